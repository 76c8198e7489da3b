//! The catalog as a CSV file, the way a shop keeps it in Excel: UTF-8 or Shift_JIS, English or
//! Japanese column names, prices written as `¥1,200`, tax classes written as `軽減` or `8%`.
//!
//! An import is all or nothing: the first problem is returned as one of the `Csv*` variants of
//! [`Error`], naming its row as a spreadsheet numbers it (the header is row 1, blank rows count)
//! and its column by the English header word (`price`, `tax_class`, ...) whatever the file
//! called it, so that the message can be translated; and no item is changed.
//!
//! Item names in other languages ([`Item::names`]) are one column per language, `name.<tag>`
//! (`name.ko`, `name.zh-Hant`; also `name_<tag>` and `商品名(<tag>)`). Their errors name the
//! column [`NAME_TRANSLATION`]. Korean and Chinese are not in Shift_JIS: such a file must be
//! saved as UTF-8.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use csv::StringRecord;
use encoding_rs::{DecoderResult, SHIFT_JIS};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use super::{Item, MAX_NAME_CHARS, MAX_NAMES, fold_width, normalize};
use crate::Error;
use crate::error::{Field, Result};
use crate::money::Yen;
use crate::name::is_language_tag;
use crate::tax::{Named, TaxClass};

/// Rows one import may hold: a shop's catalog fits many times over, and a bigger file is refused
/// before it costs the server or the tablet much work.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// What makes a spreadsheet read a cell as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when `text` is any number of `'` and then a formula start.
fn formula_like(text: &str) -> bool {
    text.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// A text cell made safe to open in Excel: one starting like a formula gets a `'` in front, so
/// it shows as text. So does one already starting with `'`s before such a character, which lets
/// an import take exactly one `'` off and get the original back. Number cells are not text
/// cells: a negative amount stays a number.
pub fn guard_csv_cell(text: &str) -> Cow<'_, str> {
    if formula_like(text) { Cow::Owned(format!("'{text}")) } else { Cow::Borrowed(text) }
}

/// A cell as [`guard_csv_cell`] wrote it, back to the text it guarded.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if formula_like(rest) => rest,
        _ => cell,
    }
}

/// The result of an import. The catalog itself is not changed here: the caller stores
/// `items` by id (replacing the updated ones, adding the new ones), or uses
/// [`CsvImport::merged_into`]. Items that are not in the file are left as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvImport {
    /// Every row of the file as an item, in the file's order: an existing item's id where the
    /// row matched one, else a new id.
    pub items: Vec<Item>,
    /// Rows that became new items.
    pub added: usize,
    /// Rows that changed an existing item.
    pub updated: usize,
    /// Rows that matched an existing item and changed nothing.
    pub unchanged: usize,
}

impl CsvImport {
    /// The whole catalog after the import: `existing` in its order with matched items
    /// replaced, then the new items in the file's order.
    pub fn merged_into(&self, existing: &[Item]) -> Vec<Item> {
        let by_id: HashMap<Uuid, &Item> = self.items.iter().map(|item| (item.id, item)).collect();
        let mut merged: Vec<Item> =
            existing.iter().map(|old| by_id.get(&old.id).map_or(old, |new| *new).clone()).collect();
        let known: std::collections::HashSet<Uuid> = existing.iter().map(|item| item.id).collect();
        merged.extend(self.items.iter().filter(|item| !known.contains(&item.id)).cloned());
        merged
    }
}

/// The column word of the `name.<tag>` columns in errors (`csv-column-name_translation`).
pub const NAME_TRANSLATION: &str = "name_translation";

/// Every column word an error can name, for the messages that translate them.
pub const CSV_COLUMNS: [&str; 9] = [
    "name",
    "kana",
    "price",
    "tax_class",
    "category",
    "barcode",
    "color",
    "open_price",
    NAME_TRANSLATION,
];

/// The columns Akinai knows, in the order [`export_csv`] writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Name,
    Kana,
    Price,
    TaxClass,
    Category,
    Barcode,
    Color,
    OpenPrice,
}

impl Column {
    const ALL: [Column; 8] = [
        Column::Name,
        Column::Kana,
        Column::Price,
        Column::TaxClass,
        Column::Category,
        Column::Barcode,
        Column::Color,
        Column::OpenPrice,
    ];

    /// The English header word, used in exports and errors.
    fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Kana => "kana",
            Column::Price => "price",
            Column::TaxClass => "tax_class",
            Column::Category => "category",
            Column::Barcode => "barcode",
            Column::Color => "color",
            Column::OpenPrice => "open_price",
        }
    }

    /// Header words that mean this column, compared after [`header_key`].
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Name => &["name", "商品名", "品名"],
            Column::Kana => &["kana", "reading", "読み", "よみ", "カナ", "よみがな", "フリガナ"],
            Column::Price => &["price", "価格", "単価", "売価", "販売価格"],
            Column::TaxClass => &["tax_class", "tax", "税区分", "課税区分", "税率"],
            Column::Category => &["category", "カテゴリ", "カテゴリー", "分類", "部門"],
            Column::Barcode => &["barcode", "バーコード", "jan", "janコード", "ean"],
            Column::Color => &["color", "colour", "色"],
            Column::OpenPrice => &["open_price", "自由価格", "価格入力"],
        }
    }

    fn of_header(header: &str) -> Option<Column> {
        let key = header_key(header);
        Column::ALL
            .into_iter()
            .find(|column| column.aliases().iter().any(|alias| header_key(alias) == key))
    }
}

/// The language of a translated-name header (`name.ko`, `name_zh-Hant`, `商品名(en)`), its tag
/// in the usual case (`zh-hant` → `zh-Hant`); `None` for any other header. `Some(None)` for a
/// `name.<…>` header whose tag is not one, or is `ja` (that is the `name` column): the shop
/// meant a translation. The other spellings with something else in them (`name_kana`,
/// `商品名(カナ)`) are other columns, ignored as before.
fn translation_tag(header: &str) -> Option<Option<String>> {
    let header: String = header.nfkc().collect();
    let header = header.trim();
    let prefix = header.get(..5).map(str::to_lowercase);
    let (raw, explicit) = match prefix.as_deref() {
        Some("name.") => (header.get(5..)?, true),
        Some("name_") => (header.get(5..)?, false),
        _ => (header.strip_prefix("商品名(")?.strip_suffix(')')?, false),
    };
    let tag: Vec<String> = raw
        .trim()
        .split('-')
        .enumerate()
        .map(|(at, part)| match (at, part.len()) {
            (0, _) => part.to_lowercase(),
            (_, 4) => {
                let (first, rest) = part.split_at(part.ceil_char_boundary(1));
                first.to_uppercase() + &rest.to_lowercase()
            }
            _ => part.to_uppercase(),
        })
        .collect();
    let tag = tag.join("-");
    let valid = is_language_tag(&tag) && tag != "ja";
    (valid || explicit).then(|| valid.then_some(tag))
}

/// A header word folded so that `Tax Class`, `tax_class` and `ＴＡＸ＿ＣＬＡＳＳ` are one word.
fn header_key(header: &str) -> String {
    normalize(header).chars().filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-')).collect()
}

/// Where each known column is in the file.
struct Layout {
    positions: [Option<usize>; 8],
    /// The translated-name columns: (language tag, position), in the file's order.
    translations: Vec<(String, usize)>,
    width: usize,
}

impl Layout {
    fn from_header(header: &StringRecord) -> Result<Layout> {
        let mut positions = [None; 8];
        let mut translations: Vec<(String, usize)> = Vec::new();
        for (at, cell) in header.iter().enumerate() {
            if let Some(tag) = translation_tag(cell) {
                let bad = || Error::CsvCell {
                    row: 1,
                    column: NAME_TRANSLATION,
                    value: cell.trim().to_owned(),
                };
                let tag = tag.ok_or_else(bad)?;
                if let Some((_, first)) = translations.iter().find(|(seen, _)| *seen == tag) {
                    return Err(Error::CsvDuplicateColumn {
                        column: NAME_TRANSLATION,
                        first: header.get(*first).unwrap_or_default().trim().to_owned(),
                        second: cell.trim().to_owned(),
                    });
                }
                if translations.len() == MAX_NAMES {
                    return Err(bad());
                }
                translations.push((tag, at));
                continue;
            }
            let Some(column) = Column::of_header(cell) else { continue };
            match positions[column as usize] {
                Some(first) => {
                    return Err(Error::CsvDuplicateColumn {
                        column: column.key(),
                        first: header.get(first).unwrap_or_default().trim().to_owned(),
                        second: cell.trim().to_owned(),
                    });
                }
                None => positions[column as usize] = Some(at),
            }
        }
        for required in [Column::Name, Column::Price, Column::TaxClass] {
            if positions[required as usize].is_none() {
                return Err(Error::CsvMissingColumn { column: required.key() });
            }
        }
        Ok(Layout { positions, translations, width: header.len() })
    }
}

/// One data row and where it is.
struct Row<'r> {
    number: usize,
    record: &'r StringRecord,
    layout: &'r Layout,
}

impl Row<'_> {
    /// The trimmed cell, `None` when the file has no such column. A short row's missing cells
    /// are empty: Excel drops trailing empty cells on some rows.
    fn cell(&self, column: Column) -> Option<&str> {
        self.layout.positions[column as usize]
            .map(|at| unguard(self.record.get(at).unwrap_or_default().trim()).trim())
    }

    fn invalid(&self, column: Column, value: &str) -> Error {
        Error::CsvCell { row: self.number, column: column.key(), value: value.to_owned() }
    }

    /// Reads a present column's cell with `parse`, or `None` when the column is absent.
    fn read<T>(&self, column: Column, parse: impl FnOnce(&str) -> Option<T>) -> Result<Option<T>> {
        match self.cell(column) {
            None => Ok(None),
            Some(cell) => parse(cell).map(Some).ok_or_else(|| self.invalid(column, cell)),
        }
    }

    /// The translated names of the row: (tag, name), an empty name where the cell is empty.
    fn names(&self) -> Result<Vec<(String, String)>> {
        let mut names = Vec::with_capacity(self.layout.translations.len());
        for (tag, at) in &self.layout.translations {
            let cell = unguard(self.record.get(*at).unwrap_or_default().trim()).trim();
            // Only question marks is what Excel writes for Korean (or Chinese) text it saved
            // as Shift_JIS, which cannot hold it: the file must be saved as UTF-8.
            let lost =
                !cell.is_empty() && cell.chars().all(|c| matches!(c, '?' | '？' | ' ' | '　'));
            if lost || cell.chars().count() > MAX_NAME_CHARS {
                return Err(Error::CsvCell {
                    row: self.number,
                    column: NAME_TRANSLATION,
                    value: cell.to_owned(),
                });
            }
            names.push((tag.clone(), cell.to_owned()));
        }
        Ok(names)
    }

    fn fields(&self) -> Result<Fields> {
        // The layout has checked that the required columns are there.
        let required = |column| self.cell(column).unwrap_or_default();
        let name = required(Column::Name);
        if name.is_empty() {
            return Err(self.invalid(Column::Name, name));
        }
        let price = match required(Column::Price) {
            "" => None,
            cell => Some(
                Yen::parse_typed(cell, Field::csv(None, Some("price")))
                    .map_err(|_| self.invalid(Column::Price, cell))?,
            ),
        };
        let tax_class = required(Column::TaxClass);
        let tax_class =
            parse_tax_class(tax_class).ok_or_else(|| self.invalid(Column::TaxClass, tax_class))?;
        Ok(Fields {
            name: name.to_owned(),
            price,
            tax_class,
            kana: self.cell(Column::Kana).map(str::to_owned),
            category: self.cell(Column::Category).map(str::to_owned),
            barcode: self.read(Column::Barcode, parse_barcode)?,
            color: self.read(Column::Color, parse_color)?,
            open_price: self.read(Column::OpenPrice, parse_bool)?,
            names: self.names()?,
        })
    }
}

/// A row's values; `None` for an optional column the file does not have, which leaves an
/// updated item's value as it was.
struct Fields {
    name: String,
    /// `None` for a blank cell, allowed only for open-price items.
    price: Option<Yen>,
    tax_class: TaxClass,
    kana: Option<String>,
    category: Option<String>,
    barcode: Option<Option<String>>,
    color: Option<String>,
    open_price: Option<bool>,
    /// The file's translated names, (tag, name); an empty name removes that translation.
    names: Vec<(String, String)>,
}

/// The contract's words and the Japanese ones a shop writes.
fn parse_tax_class(cell: &str) -> Option<TaxClass> {
    const JAPANESE: &[(&str, TaxClass)] = &[
        ("標準", TaxClass::Standard),
        ("標準税率", TaxClass::Standard),
        ("10%", TaxClass::Standard),
        ("10", TaxClass::Standard),
        ("軽減", TaxClass::Food),
        ("軽減税率", TaxClass::Food),
        ("食品", TaxClass::Food),
        ("8%", TaxClass::Food),
        ("8", TaxClass::Food),
        ("新聞", TaxClass::Reduced),
        ("酒類", TaxClass::Alcohol),
        ("酒", TaxClass::Alcohol),
        ("非課税", TaxClass::Exempt),
    ];
    let word = cell.nfkc().collect::<String>().trim().to_lowercase();
    TaxClass::NAMES.iter().chain(JAPANESE).find(|(name, _)| *name == word).map(|(_, class)| *class)
}

fn parse_bool(cell: &str) -> Option<bool> {
    match cell.nfkc().collect::<String>().trim().to_lowercase().as_str() {
        "true" | "1" | "yes" | "はい" | "○" | "〇" | "◯" => Some(true),
        "false" | "0" | "no" | "いいえ" | "×" | "" => Some(false),
        _ => None,
    }
}

/// The code with full-width digits folded; empty is no barcode. A code Excel turned into a
/// number (`4.90123E+12`) has lost digits and is refused.
fn parse_barcode(cell: &str) -> Option<Option<String>> {
    let code = fold_width(cell);
    let lower = code.to_ascii_lowercase();
    let excel_number = lower.contains("e+")
        && lower.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '+'));
    if excel_number {
        return None;
    }
    Some((!code.is_empty()).then_some(code))
}

/// Empty or `#rrggbb` (full-width forms folded), as every item keeps ([`super::check_color`]).
fn parse_color(cell: &str) -> Option<String> {
    let color = fold_width(cell);
    super::check_color(&color).is_ok().then_some(color)
}

/// The file as text: UTF-8 (a BOM is dropped) if it is valid UTF-8, else Shift_JIS.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>> {
    let utf8 = std::str::from_utf8(bytes);
    if let Ok(text) = utf8 {
        return Ok(Cow::Borrowed(text.strip_prefix('\u{FEFF}').unwrap_or(text)));
    }
    // A UTF-8 BOM says what the file is meant to be; decoding it as Shift_JIS would garble it.
    if let (Err(error), Some(_)) = (utf8, bytes.strip_prefix(b"\xEF\xBB\xBF")) {
        return Err(Error::CsvEncoding { line: line_of(bytes, error.valid_up_to()) });
    }
    // WHATWG's Shift_JIS is Windows-31J, with the NEC and IBM extensions Excel writes.
    let mut decoder = SHIFT_JIS.new_decoder_without_bom_handling();
    let mut text = String::new();
    let mut read = 0;
    loop {
        let rest = bytes.get(read..).unwrap_or_default();
        text.reserve(
            decoder.max_utf8_buffer_length_without_replacement(rest.len()).unwrap_or(1024),
        );
        let (result, consumed) =
            decoder.decode_to_string_without_replacement(rest, &mut text, true);
        read += consumed;
        match result {
            DecoderResult::InputEmpty => return Ok(Cow::Owned(text)),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let at = read.saturating_sub(usize::from(bad) + usize::from(after));
                return Err(Error::CsvEncoding { line: line_of(bytes, at) });
            }
        }
    }
}

/// The 1-based line of the byte at `at`. Neither UTF-8 nor Shift_JIS uses the byte 0x0A inside
/// a character, so counting it in the raw bytes is safe.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes.get(..at).unwrap_or_default().iter().filter(|b| **b == b'\n').count() + 1
}

/// The file's non-blank records with their spreadsheet row numbers.
///
/// The reader skips empty lines without saying so, so rows are counted here from byte offsets:
/// a record's row is the number of line breaks before it, plus one, less the breaks that were
/// inside quoted cells (a new line of the file but not a new row of the sheet).
struct Records<'t> {
    text: &'t [u8],
    reader: csv::Reader<&'t [u8]>,
    /// Where the previous record ended.
    end: usize,
    /// Line breaks before `end`.
    breaks: usize,
    /// Line breaks inside quoted cells before `end`.
    breaks_in_cells: usize,
}

impl<'t> Records<'t> {
    fn new(text: &'t str) -> Self {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        Records { text: text.as_bytes(), reader, end: 0, breaks: 0, breaks_in_cells: 0 }
    }

    /// Line breaks in `text[from..to]`.
    fn breaks_between(&self, from: usize, to: usize) -> usize {
        line_breaks(self.text.get(from..to).unwrap_or_default(), self.text.get(to).copied())
    }

    /// The row of the record the reader just read, and moves past it.
    fn advance(&mut self, cells: &StringRecord) -> usize {
        // Only empty lines come between one record and the next.
        let rest = self.text.get(self.end..).unwrap_or_default();
        let start = self.end + rest.iter().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        let row = self.breaks + self.breaks_between(self.end, start) + 1 - self.breaks_in_cells;
        let end = usize::try_from(self.reader.position().byte()).unwrap_or(usize::MAX);
        let end = end.clamp(start, self.text.len());
        self.breaks += self.breaks_between(self.end, end);
        self.breaks_in_cells +=
            cells.iter().map(|cell| line_breaks(cell.as_bytes(), None)).sum::<usize>();
        self.end = end;
        row
    }

    /// The next record that has a non-blank cell, and its row. Lines of only commas (what
    /// Excel writes for an empty row) are skipped here.
    fn next(&mut self) -> Result<Option<(usize, StringRecord)>> {
        let mut record = StringRecord::new();
        loop {
            match self.reader.read_record(&mut record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(error) => {
                    let row = self.advance(&StringRecord::new());
                    return Err(Error::CsvRead { row, message: error.to_string() });
                }
            }
            let row = self.advance(&record);
            if record.iter().any(|cell| !cell.trim().is_empty()) {
                return Ok(Some((row, record)));
            }
        }
    }
}

/// Line breaks in `bytes`: LF, CRLF or a lone CR (what the reader also takes for one). A CR
/// at the very end is one unless `next`, the byte after `bytes`, is LF.
fn line_breaks(bytes: &[u8], next: Option<u8>) -> usize {
    let after = |at: usize| bytes.get(at + 1).copied().or(next);
    bytes
        .iter()
        .enumerate()
        .filter(|(at, b)| **b == b'\n' || (**b == b'\r' && after(*at) != Some(b'\n')))
        .count()
}

/// The catalog's items by what a row can match them on.
struct Existing<'a> {
    items: &'a [Item],
    by_barcode: HashMap<String, usize>,
    /// Items without a barcode, by name.
    plain_by_name: HashMap<&'a str, usize>,
    by_name: HashMap<&'a str, usize>,
}

impl<'a> Existing<'a> {
    fn new(items: &'a [Item]) -> Self {
        let mut existing = Existing {
            items,
            by_barcode: HashMap::new(),
            plain_by_name: HashMap::new(),
            by_name: HashMap::new(),
        };
        // The first item wins where the catalog already has two with one key.
        for (at, item) in items.iter().enumerate() {
            let name = item.name.trim();
            existing.by_name.entry(name).or_insert(at);
            match item.barcode.as_deref().map(fold_width).filter(|code| !code.is_empty()) {
                Some(code) => {
                    existing.by_barcode.entry(code).or_insert(at);
                }
                None => {
                    existing.plain_by_name.entry(name).or_insert(at);
                }
            }
        }
        existing
    }

    /// The item a row updates, and the column it matched on. A row with a barcode matches the
    /// item with that barcode, or else an item of the same name that has no barcode yet (the
    /// shop is adding barcodes). A row without one matches by name, preferring an item that
    /// also has no barcode.
    fn find(&self, fields: &Fields) -> Option<(usize, Column)> {
        match fields.barcode.as_ref().and_then(Option::as_deref) {
            Some(code) => {
                self.by_barcode.get(code).map(|at| (*at, Column::Barcode)).or_else(|| {
                    self.plain_by_name.get(fields.name.as_str()).map(|at| (*at, Column::Name))
                })
            }
            None => self
                .plain_by_name
                .get(fields.name.as_str())
                .or_else(|| self.by_name.get(fields.name.as_str()))
                .map(|at| (*at, Column::Name)),
        }
    }
}

/// Reads a catalog CSV (see the module docs) against the shop's `existing` items.
///
/// A row updates the existing item with its barcode, or without a barcode the item with its
/// exact name, keeping that item's id; the item's optional fields whose column the file lacks
/// are kept too. A row whose barcode no item has yet updates an item of the same name that has
/// no barcode (the shop is adding barcodes to its catalog). Every other row becomes a new item
/// with an id from `new_id`, called in the file's order. Two rows for one item are refused.
/// Blank rows are skipped; columns Akinai does not know are ignored. A header with no rows
/// imports nothing; more than [`MAX_IMPORT_ROWS`] rows are refused. A cell that
/// [`export_csv`] guarded against formulas (`'=…`) is read without the `'`.
///
/// On any error nothing is returned but the error, which names the row and column.
pub fn import_csv(
    bytes: &[u8],
    existing: &[Item],
    new_id: impl FnMut() -> Uuid,
) -> Result<CsvImport> {
    import_csv_text(&decode(bytes)?, existing, new_id)
}

/// [`import_csv`] for text already decoded (a browser decodes Shift_JIS natively, so the app
/// need not ship encoding tables). A leading BOM is ignored.
pub fn import_csv_text(
    text: &str,
    existing: &[Item],
    mut new_id: impl FnMut() -> Uuid,
) -> Result<CsvImport> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut records = Records::new(text);
    let Some((_, header)) = records.next()? else { return Err(Error::CsvEmpty) };
    let layout = Layout::from_header(&header)?;
    let catalog = Existing::new(existing);

    let mut import = CsvImport { items: Vec::new(), added: 0, updated: 0, unchanged: 0 };
    // What each earlier row was keyed on and which existing items they took, to refuse a
    // second row for the same item rather than let the last one silently win.
    let mut keys: HashMap<(&'static str, String), usize> = HashMap::new();
    let mut taken: HashMap<usize, usize> = HashMap::new();
    while let Some((number, record)) = records.next()? {
        if import.items.len() == MAX_IMPORT_ROWS {
            return Err(Error::CsvTooManyRows { limit: MAX_IMPORT_ROWS });
        }
        let row = Row { number, record: &record, layout: &layout };
        let found = record
            .iter()
            .enumerate()
            .filter(|(_, cell)| !cell.trim().is_empty())
            .last()
            .map_or(0, |(at, _)| at + 1);
        if found > layout.width {
            return Err(Error::CsvExtraCells { row: number, found, expected: layout.width });
        }
        let fields = row.fields()?;

        let key = match fields.barcode.as_ref().and_then(Option::as_deref) {
            Some(code) => (Column::Barcode.key(), code.to_owned()),
            None => (Column::Name.key(), fields.name.clone()),
        };
        if let Some(first_row) = keys.get(&key) {
            let (column, value) = key;
            return Err(duplicate(number, *first_row, column, value));
        }
        let matched = catalog.find(&fields);
        if let Some((at, column)) = matched
            && let Some(first_row) = taken.insert(at, number)
        {
            let value = match column {
                Column::Barcode => key.1,
                _ => fields.name,
            };
            return Err(duplicate(number, first_row, column.key(), value));
        }
        keys.insert(key, number);

        let base = matched.and_then(|(at, _)| catalog.items.get(at));
        let open_price = fields.open_price.or(base.map(|item| item.open_price)).unwrap_or(false);
        let price = match fields.price {
            Some(price) => price,
            None if open_price => Yen::ZERO,
            None => return Err(row.invalid(Column::Price, "")),
        };
        let keep = |field: Option<String>, old: fn(&Item) -> &String| {
            field.or_else(|| base.map(|item| old(item).clone())).unwrap_or_default()
        };
        // Languages the file has no column for keep their names.
        let mut names = base.map(|item| item.names.clone()).unwrap_or_default();
        for (tag, name) in fields.names {
            if name.is_empty() {
                names.remove(&tag);
            } else {
                names.insert(tag, name);
            }
        }
        let item = Item {
            id: base.map_or_else(&mut new_id, |item| item.id),
            kana: keep(fields.kana, |item| &item.kana),
            category: keep(fields.category, |item| &item.category),
            color: keep(fields.color, |item| &item.color),
            barcode: fields.barcode.unwrap_or_else(|| base.and_then(|item| item.barcode.clone())),
            name: fields.name,
            price,
            tax_class: fields.tax_class,
            open_price,
            names,
        };
        match base {
            None => import.added += 1,
            Some(old) if *old == item => import.unchanged += 1,
            Some(_) => import.updated += 1,
        }
        import.items.push(item);
    }
    Ok(import)
}

fn duplicate(row: usize, first_row: usize, column: &'static str, value: String) -> Error {
    Error::CsvDuplicateRow { row, first_row, column, value }
}

/// The catalog as CSV that [`import_csv`] reads back to the same items: the English header,
/// one row per item, CRLF line ends, prices as plain digits, text cells guarded against
/// formulas ([`guard_csv_cell`]). It starts with a UTF-8 BOM, without which Japanese Excel
/// reads UTF-8 as Shift_JIS and garbles every name. The items' translated names come as
/// [`export_csv_with`] writes them.
pub fn export_csv(items: &[Item]) -> String {
    export_csv_with(items, &[])
}

/// [`export_csv`] with a `name.<tag>` column after `kana` for each of `langs`, in their order
/// (empty where an item has no such name, for the shop to fill in), then for each other
/// language some item has a name in, by tag.
pub fn export_csv_with(items: &[Item], langs: &[&str]) -> String {
    let present: BTreeSet<&str> =
        items.iter().flat_map(|item| item.names.keys().map(String::as_str)).collect();
    let mut tags: Vec<&str> = Vec::new();
    for tag in langs.iter().copied().chain(present) {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    let mut out = String::from("\u{FEFF}");
    let headers: Vec<String> = tags.iter().map(|tag| format!("name.{tag}")).collect();
    let [name, kana, rest @ ..] = Column::ALL.map(Column::key);
    let header = [name, kana].into_iter().chain(headers.iter().map(String::as_str)).chain(rest);
    push_row(&mut out, header);
    for item in items {
        let price = item.price.get().to_string();
        let names = tags.iter().map(|tag| translated(&item.names, tag));
        let rest = [
            price.as_str(),
            item.tax_class.word(),
            &guard_csv_cell(&item.category),
            &guard_csv_cell(item.barcode.as_deref().unwrap_or_default()),
            &guard_csv_cell(&item.color),
            if item.open_price { "true" } else { "false" },
        ];
        let cells = [guard_csv_cell(&item.name), guard_csv_cell(&item.kana)]
            .into_iter()
            .chain(names)
            .chain(rest.into_iter().map(Cow::Borrowed));
        push_row(&mut out, cells);
    }
    out
}

/// The item's name in `tag`, guarded against formulas; empty when it has none.
fn translated<'a>(names: &'a BTreeMap<String, String>, tag: &str) -> Cow<'a, str> {
    names.get(tag).map_or(Cow::Borrowed(""), |name| guard_csv_cell(name))
}

fn push_row<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    for (at, cell) in cells.into_iter().enumerate() {
        let cell = cell.as_ref();
        if at > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests;
