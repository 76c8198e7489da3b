//! The domain's one error type. Every variant names the field it is about, so a cashier, an
//! integrator or the server can point at what to fix; the app and CLI translate it (i18n/).

use std::fmt;

use chrono::NaiveDate;

use crate::money::Yen;
use crate::tax::Named;

/// Where in an input a problem is, written like `lines[2].discount`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field(String);

impl Field {
    /// A top-level field such as `discount`.
    pub fn top(name: &str) -> Self {
        Field(name.to_owned())
    }

    /// A field of the line at `index` (0-based), such as `lines[0].qty`.
    pub fn line(index: usize, name: &str) -> Self {
        Field(format!("lines[{index}].{name}"))
    }

    /// A path as written by a JSON reader; the root of the document is called `input`.
    pub fn path(path: &str) -> Self {
        if path.is_empty() || path == "." { Field::top("input") } else { Field(path.to_owned()) }
    }

    /// A place in a catalog CSV file: `csv`, a header column `csv.price`, a row `csv.rows[3]`
    /// or a cell `csv.rows[3].price`. Rows are numbered as a spreadsheet shows them (the header
    /// is row 1) and columns by their English header word, whatever the file called them.
    pub fn csv(row: Option<usize>, column: Option<&str>) -> Self {
        let mut path = String::from("csv");
        if let Some(row) = row {
            path.push_str(&format!(".rows[{row}]"));
        }
        if let Some(column) = column {
            path.push('.');
            path.push_str(column);
        }
        Field(path)
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything that can be wrong with what the domain is asked to compute.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is not JSON at all.
    #[error("input: malformed JSON at line {line} column {column}")]
    Malformed {
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// A field is missing, has the wrong type, or is not part of the contract.
    #[error("{field}: {detail}")]
    Invalid {
        /// Where.
        field: Field,
        /// The reader's description (English).
        detail: String,
    },
    /// A value is not one of the allowed words.
    #[error("{field}: unknown value \"{value}\" (expected one of: {expected})")]
    UnknownValue {
        /// Where.
        field: Field,
        /// What was given.
        value: String,
        /// The allowed words, comma-separated.
        expected: &'static str,
    },
    /// A quantity, price or discount below zero.
    #[error("{field}: must not be negative")]
    Negative {
        /// Where.
        field: Field,
    },
    /// A discount above the amount it applies to.
    #[error("{field}: discount {discount} is more than the {applies_to} it applies to")]
    DiscountTooLarge {
        /// Where.
        field: Field,
        /// The discount asked for.
        discount: Yen,
        /// The amount it would come off.
        applies_to: Yen,
    },
    /// A name left empty.
    #[error("{field}: a name is needed")]
    NameNeeded {
        /// Where.
        field: Field,
    },
    /// Typed text that is not a whole number of yen.
    #[error("{field}: \"{value}\" is not an amount of yen")]
    NotAnAmount {
        /// Where.
        field: Field,
        /// What was typed (width-folded and trimmed).
        value: String,
    },
    /// An amount too large to compute with.
    #[error("{field}: amount too large")]
    TooLarge {
        /// Where.
        field: Field,
    },
    /// More of something than one record may hold (lines of a sale, picks of a refund).
    #[error("{field}: more than {limit}")]
    TooMany {
        /// Where.
        field: Field,
        /// The most allowed.
        limit: usize,
    },
    /// A date that is not `YYYY-MM-DD`.
    #[error("{field}: \"{value}\" is not a date (YYYY-MM-DD)")]
    InvalidDate {
        /// Where.
        field: Field,
        /// What was given.
        value: String,
    },
    /// A sale with no lines.
    #[error("lines: nothing has been rung up")]
    EmptySale,
    /// The tenders do not cover the total.
    #[error("tenders: {tendered} tendered does not cover the {due} due")]
    TenderShort {
        /// The total due.
        due: Yen,
        /// What was handed over.
        tendered: Yen,
    },
    /// Change is due but no cash was tendered to give it from.
    #[error("tenders: {change} change is due but no cash was tendered")]
    ChangeWithoutCash {
        /// The change that would be due.
        change: Yen,
    },
    /// A refund asks for more than was sold (or is left after earlier refunds).
    #[error("{field}: more than is left to refund")]
    RefundTooMuch {
        /// The line asked for.
        field: Field,
    },
    /// A refund tender gives back more than is left of the sale's tender it goes through, or the
    /// refund's tenders give back more than its total.
    #[error("{field}: more than is left to give back through this tender")]
    RefundTenderTooMuch {
        /// The tender's amount, or `tenders`.
        field: Field,
    },
    /// A refund tender names no tender of the sale, or one paid another way.
    #[error("{field}: not a tender of the sale that money can go back through this way")]
    RefundWrongTender {
        /// The tender's `refunds`.
        field: Field,
    },
    /// A refund that gives nothing back.
    #[error("lines: pick at least one item to refund")]
    NothingToRefund,
    /// Only sales can be refunded, not refunds.
    #[error("kind: a refund cannot be refunded")]
    NotRefundable,
    /// Another staff member already signs in with this PIN.
    #[error("pin: another staff member already has this PIN")]
    PinTaken,
    /// The change would leave the store without an owner to manage it.
    #[error("role: a store keeps at least one owner")]
    LastOwner,
    /// The shift is closed: no more cash moves, no second close.
    #[error("shift: the shift is already closed")]
    ShiftClosed,
    /// A registration number that is not T and 13 digits.
    #[error("registration_number: \"{value}\" is not T followed by 13 digits")]
    InvalidRegistrationNumber {
        /// What was given.
        value: String,
    },
    /// A PIN that is not 4 to 6 digits.
    #[error("{field}: a PIN is 4 to 6 digits")]
    InvalidPin {
        /// Where.
        field: Field,
    },
    /// A date before any consumption tax rate in the table.
    #[error("date: no consumption tax rate is in force on {date}")]
    NoRate {
        /// The date asked for.
        date: NaiveDate,
    },
    /// A catalog CSV file's bytes are neither UTF-8 nor Shift_JIS (Windows-31J) text.
    #[error("the file is neither UTF-8 nor Shift_JIS text (unreadable bytes on line {line})")]
    CsvEncoding {
        /// 1-based line of the file where the first unreadable bytes are.
        line: usize,
    },
    /// The CSV reader could not read a row of a catalog file.
    #[error("row {row}: not readable as CSV ({message})")]
    CsvRead {
        /// Spreadsheet row (the header is row 1, blank rows count).
        row: usize,
        /// The reader's description (English).
        message: String,
    },
    /// A catalog CSV file has no header row: it is empty or blank.
    #[error("the file is empty: the first row must name the columns, like name,price,tax_class")]
    CsvEmpty,
    /// A required column (`name`, `price` or `tax_class`) is not in a catalog CSV's header.
    #[error("the header row has no {column} column")]
    CsvMissingColumn {
        /// The column's English header word.
        column: &'static str,
    },
    /// Two header cells of a catalog CSV name the same column, so it is unclear which to read.
    #[error("the header row has two {column} columns: \"{first}\" and \"{second}\"")]
    CsvDuplicateColumn {
        /// The column's English header word.
        column: &'static str,
        /// The first header cell, as written.
        first: String,
        /// The second header cell, as written.
        second: String,
    },
    /// A catalog CSV row has more cells than the header has columns: often a price like 1,200
    /// or a name with a comma that lacks its quotes, which shifts every cell after it.
    #[error("row {row}: {found} cells but the header has {expected} columns")]
    CsvExtraCells {
        /// Spreadsheet row (the header is row 1, blank rows count).
        row: usize,
        /// Cells in the row, up to the last non-empty one.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A catalog CSV cell's value is not valid for its column.
    #[error("row {row}, {column}: \"{value}\" is not valid (expected {})", csv_expected(.column))]
    CsvCell {
        /// Spreadsheet row (the header is row 1, blank rows count).
        row: usize,
        /// The column's English header word.
        column: &'static str,
        /// The cell as written (trimmed).
        value: String,
    },
    /// A catalog CSV file has more rows than one import takes.
    #[error("the file has more than {limit} rows: import it in parts of at most {limit} rows")]
    CsvTooManyRows {
        /// The most rows one import takes.
        limit: usize,
    },
    /// A catalog CSV row is the same item as an earlier row: the same barcode, or without a
    /// barcode the same name, or both rows would update the same existing item.
    #[error("row {row}: {column} \"{value}\" is the same item as row {first_row}")]
    CsvDuplicateRow {
        /// Spreadsheet row (the header is row 1, blank rows count).
        row: usize,
        /// Spreadsheet row of the earlier one.
        first_row: usize,
        /// `barcode` or `name`: what made them the same item.
        column: &'static str,
        /// The barcode or name.
        value: String,
    },
}

/// What a catalog CSV column's cells may hold, in English, for [`Error::CsvCell`]'s message.
fn csv_expected(column: &str) -> &'static str {
    match column {
        "name" => "a name",
        "price" => "a whole number of yen, 0 or more, like 1200, 1,200 or ¥1200",
        "tax_class" => {
            "standard, food, reduced, alcohol or exempt (標準, 軽減, 新聞, 酒類, 非課税)"
        }
        "open_price" => "true or false, or empty for false",
        "color" => "a colour like #2a9d8f, or empty",
        "barcode" => "the code's digits; format the column as text so Excel keeps them all",
        "name_translation" => {
            "a column name.<language> such as name.ko or name.zh-Hant, with names of at most 100 \
             characters; save the file as CSV UTF-8 for Korean or Chinese"
        }
        _ => "another value",
    }
}

impl Error {
    /// The field the error is about.
    pub fn field(&self) -> Field {
        match self {
            Error::Malformed { .. } => Field::top("input"),
            Error::EmptySale | Error::NothingToRefund => Field::top("lines"),
            Error::TenderShort { .. } | Error::ChangeWithoutCash { .. } => Field::top("tenders"),
            Error::NotRefundable => Field::top("kind"),
            Error::ShiftClosed => Field::top("shift"),
            Error::PinTaken => Field::top("pin"),
            Error::LastOwner => Field::top("role"),
            Error::InvalidRegistrationNumber { .. } => Field::top("registration_number"),
            Error::NoRate { .. } => Field::top("date"),
            Error::CsvEncoding { .. } | Error::CsvEmpty | Error::CsvTooManyRows { .. } => {
                Field::csv(None, None)
            }
            Error::CsvMissingColumn { column } | Error::CsvDuplicateColumn { column, .. } => {
                Field::csv(None, Some(column))
            }
            Error::CsvRead { row, .. } | Error::CsvExtraCells { row, .. } => {
                Field::csv(Some(*row), None)
            }
            Error::CsvCell { row, column, .. } | Error::CsvDuplicateRow { row, column, .. } => {
                Field::csv(Some(*row), Some(column))
            }
            Error::Invalid { field, .. }
            | Error::UnknownValue { field, .. }
            | Error::Negative { field }
            | Error::DiscountTooLarge { field, .. }
            | Error::TooLarge { field }
            | Error::TooMany { field, .. }
            | Error::NotAnAmount { field, .. }
            | Error::NameNeeded { field }
            | Error::RefundTooMuch { field }
            | Error::RefundTenderTooMuch { field }
            | Error::RefundWrongTender { field }
            | Error::InvalidPin { field }
            | Error::InvalidDate { field, .. } => field.clone(),
        }
    }
}

impl Error {
    /// The error for a JSON reader's problem at `field`: malformed text, a word that is not one
    /// of a [`Named`] type's (`unknown_value`, with the words allowed), or another value that
    /// does not fit (`invalid`).
    pub fn from_json(err: serde_json::Error, field: Field) -> Error {
        use serde_json::error::Category;
        match err.classify() {
            Category::Syntax | Category::Eof | Category::Io => {
                Error::Malformed { line: err.line(), column: err.column() }
            }
            Category::Data => {
                // serde_json appends the position, which the field already says better.
                let text = err.to_string();
                let position = format!(" at line {} column {}", err.line(), err.column());
                let detail = text.strip_suffix(&position).unwrap_or(&text).to_owned();
                match unknown_word(&detail) {
                    Some((value, expected)) => Error::UnknownValue { field, value, expected },
                    None => Error::Invalid { field, detail },
                }
            }
        }
    }
}

/// The word and the allowed words of serde's "unknown variant `x`, expected one of `a`, `b`",
/// when the allowed words are exactly those of one of the domain's [`Named`] types.
fn unknown_word(detail: &str) -> Option<(String, &'static str)> {
    let rest = detail.strip_prefix("unknown variant `")?;
    let (value, rest) = rest.split_once('`')?;
    // Every other back-quoted piece is an allowed word.
    let words: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let expected = expected_of::<crate::payment::PaymentMethod>(&words)
        .or_else(|| expected_of::<crate::tax::TaxClass>(&words))
        .or_else(|| expected_of::<crate::tax::DiningMode>(&words))
        .or_else(|| expected_of::<crate::tax::PricingMode>(&words))
        .or_else(|| expected_of::<crate::tax::Rounding>(&words))
        .or_else(|| expected_of::<crate::staff::Role>(&words))?;
    Some((value.to_owned(), expected))
}

/// `T`'s allowed words when `words` are exactly its words, in order.
fn expected_of<T: Named>(words: &[&str]) -> Option<&'static str> {
    let same = T::NAMES.len() == words.len()
        && T::NAMES.iter().zip(words).all(|((name, _), word)| name == word);
    same.then_some(T::EXPECTED)
}

/// The domain's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
