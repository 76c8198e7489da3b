//! Akinai's user-facing text. Japanese is the source language (`i18n/ja.ftl`); each translation
//! is a file `i18n/locales/<tag>.ftl`, and a file is a language. With the `all` feature (the
//! default: server, CLI, tests) every file is compiled in; without it only Japanese is, as in the
//! app, whose pages ship the other files and give them to [`Lang::load`] when they are chosen
//! (their service workers keep them offline).
//!
//! Besides messages the crate formats money and dates per language ([`Lang::yen`],
//! [`Lang::date_time`]), picks a language from `Accept-Language` ([`Lang::negotiate`]) and lays
//! out receipts ([`receipt`]).

use std::fmt;
use std::sync::OnceLock;

use akinai_core::Error;
use akinai_core::api::ErrorCode;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

mod format;
mod langs;
mod negotiate;
pub mod receipt;

pub use format::{LEGAL_IDS, Label};

use langs::LANGS;

/// Each language's texts, parsed once (index: the [`Lang`]'s).
static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; LANGS.len()] =
    [const { OnceLock::new() }; LANGS.len()];

/// A language Akinai speaks: one of its Fluent files. Japanese is the default.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Lang(u8);

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl Lang {
    /// 日本語, the source language and the default.
    pub const JA: Lang = Lang(0);
    /// English, the language of last resort for a visitor whose language we do not speak.
    pub const EN: Lang = Lang(langs::EN);

    /// Every language, in the order a switcher shows them (Japanese first).
    pub fn all() -> &'static [Lang] {
        const ALL: [Lang; LANGS.len()] = {
            let mut all = [Lang(0); LANGS.len()];
            let mut i = 0;
            while i < all.len() {
                // The table is a handful of files, so the index fits.
                all[i] = Lang(i as u8);
                i += 1;
            }
            all
        };
        &ALL
    }

    fn file_of(self) -> &'static langs::LangFile {
        &LANGS[usize::from(self.0)]
    }

    /// The BCP 47 tag (`ja`, `zh-Hant`), as used in `<html lang>` and stored in a sale.
    pub fn tag(self) -> &'static str {
        self.file_of().tag
    }

    /// The language's name in its own script (`한국어`), the same in every language's UI.
    pub fn own_name(self) -> &'static str {
        self.file_of().own_name
    }

    /// The file of this language's texts, as the app's pages ship it (`locales/ko.ftl`; Japanese,
    /// always compiled in, is `ja.ftl`).
    pub fn file(self) -> String {
        self.file_of().path.to_owned()
    }

    /// Whether this language's texts are here: compiled in, or given to [`Lang::load`].
    pub fn is_loaded(self) -> bool {
        self.bundle().is_some()
    }

    /// Takes this language's texts (the content of [`Lang::file`]), read at run time. Texts
    /// compiled in or loaded before stay: a language's texts never change while the app runs.
    pub fn load(self, text: String) {
        if self.bundle().is_none() {
            let _ = BUNDLES[usize::from(self.0)].get_or_init(|| self.parse(text));
        }
    }

    /// The texts compiled into this build, if they are.
    fn embedded(self) -> Option<&'static str> {
        self.file_of().text
    }

    fn id(self) -> LanguageIdentifier {
        // Tags are checked to parse when the table is made; the default is a fallback only.
        self.tag().parse().unwrap_or_default()
    }

    fn parse(self, text: String) -> FluentBundle<FluentResource> {
        // A syntax error still yields the messages that parsed; the tests keep the files clean.
        let resource = FluentResource::try_new(text).unwrap_or_else(|(res, _)| res);
        let mut bundle = FluentBundle::new_concurrent(vec![self.id()]);
        // No Unicode isolation marks: the text goes to terminals and plain DOM text too.
        bundle.set_use_isolating(false);
        // Message ids are unique in each file (tested), so adding cannot clash.
        let _ = bundle.add_resource(resource);
        bundle
    }

    fn bundle(self) -> Option<&'static FluentBundle<FluentResource>> {
        let cell = &BUNDLES[usize::from(self.0)];
        if let Some(bundle) = cell.get() {
            return Some(bundle);
        }
        let text = self.embedded()?;
        Some(cell.get_or_init(|| self.parse(text.to_owned())))
    }

    /// Whether this language's texts define the message `id`.
    fn has(self, id: &str) -> bool {
        self.bundle().is_some_and(|bundle| bundle.has_message(id))
    }

    /// The message `id`, with `args` filled in. A missing id (or language) shows as the id, never
    /// as a panic.
    pub fn text_with(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let Some(bundle) = self.bundle() else {
            return id.to_owned();
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }

    /// The message `id`, which takes no arguments.
    pub fn text(self, id: &str) -> String {
        self.text_with(id, &[])
    }

    /// A refusal the server answered with a machine code, in this language, naming the field
    /// when the server did and the field has a name in this language (a wire name such as
    /// `registration_number` is never shown to a person).
    pub fn refusal(self, code: ErrorCode, field: Option<&str>) -> String {
        let text = self.text(&format!("code-{}", code.as_str().replace('_', "-")));
        match field.and_then(|field| self.field_label(field)) {
            Some(label) => format!("{label}: {text}"),
            None => text,
        }
    }

    /// What a form calls the API field `field` (`field-registration-number`), if it has a name.
    fn field_label(self, field: &str) -> Option<String> {
        let id = format!("field-{}", field.replace('_', "-"));
        let label = self.text(&id);
        (label != id).then_some(label)
    }

    /// A domain error as one line in this language, naming the field.
    pub fn error(self, error: &Error) -> String {
        let field = error.field().to_string();
        let s = |v: String| FluentValue::from(v);
        let mut args = vec![("field", s(field))];
        let id = match error {
            Error::Malformed { line, column } => {
                args.push(("line", s(line.to_string())));
                args.push(("column", s(column.to_string())));
                "error-malformed"
            }
            Error::Invalid { detail, .. } => {
                args.push(("detail", s(detail.clone())));
                "error-invalid"
            }
            Error::UnknownValue { value, expected, .. } => {
                args.push(("value", s(value.clone())));
                args.push(("expected", s((*expected).to_owned())));
                "error-unknown-value"
            }
            Error::Negative { .. } => "error-negative",
            Error::DiscountTooLarge { discount, applies_to, .. } => {
                args.push(("discount", s(discount.to_string())));
                args.push(("applies_to", s(applies_to.to_string())));
                "error-discount-too-large"
            }
            Error::TooLarge { .. } => "error-too-large",
            Error::TooMany { limit, .. } => {
                args.push(("limit", s(limit.to_string())));
                "error-too-many"
            }
            Error::NameNeeded { .. } => "error-name-needed",
            Error::NotAnAmount { value, .. } => {
                args.push(("value", s(value.clone())));
                "error-not-an-amount"
            }
            Error::InvalidDate { value, .. } => {
                args.push(("value", s(value.clone())));
                "error-invalid-date"
            }
            Error::EmptySale => "error-empty-sale",
            Error::TenderShort { due, tendered } => {
                args.push(("due", s(due.to_string())));
                args.push(("tendered", s(tendered.to_string())));
                "error-tender-short"
            }
            Error::ChangeWithoutCash { change } => {
                args.push(("change", s(change.to_string())));
                "error-change-without-cash"
            }
            Error::RefundTooMuch { .. } => "error-refund-too-much",
            Error::RefundTenderTooMuch { .. } => "error-refund-tender-too-much",
            Error::RefundWrongTender { .. } => "error-refund-wrong-tender",
            Error::NothingToRefund => "error-nothing-to-refund",
            Error::NotRefundable => "error-not-refundable",
            Error::InvalidRegistrationNumber { value } => {
                args.push(("value", s(value.clone())));
                "error-invalid-registration-number"
            }
            Error::InvalidPin { .. } => "error-invalid-pin",
            Error::ShiftClosed => "error-shift-closed",
            Error::PinTaken => "error-pin-taken",
            Error::LastOwner => "error-last-owner",
            Error::NoRate { date } => {
                args.push(("date", s(date.to_string())));
                "error-no-rate"
            }
            Error::CsvEncoding { line } => {
                args.push(("line", s(line.to_string())));
                "error-csv-encoding"
            }
            Error::CsvRead { row, message } => {
                args.push(("row", s(row.to_string())));
                args.push(("message", s(message.clone())));
                "error-csv-read"
            }
            Error::CsvEmpty => "error-csv-empty",
            Error::CsvTooManyRows { limit } => {
                args.push(("limit", s(limit.to_string())));
                "error-csv-too-many-rows"
            }
            Error::CsvMissingColumn { column } => {
                args.push(("column", s(self.csv_column(column))));
                "error-csv-missing-column"
            }
            Error::CsvDuplicateColumn { column, first, second } => {
                args.push(("column", s(self.csv_column(column))));
                args.push(("first", s(first.clone())));
                args.push(("second", s(second.clone())));
                "error-csv-duplicate-column"
            }
            Error::CsvExtraCells { row, found, expected } => {
                args.push(("row", s(row.to_string())));
                args.push(("found", s(found.to_string())));
                args.push(("expected", s(expected.to_string())));
                "error-csv-extra-cells"
            }
            Error::CsvCell { row, column, value } => {
                args.push(("row", s(row.to_string())));
                args.push(("column", s(self.csv_column(column))));
                args.push(("value", s(value.clone())));
                args.push(("expected", s(self.text(&format!("csv-expected-{column}")))));
                if value.is_empty() { "error-csv-cell-empty" } else { "error-csv-cell" }
            }
            Error::CsvDuplicateRow { row, first_row, column, value } => {
                args.push(("row", s(row.to_string())));
                args.push(("first_row", s(first_row.to_string())));
                args.push(("column", s(self.csv_column(column))));
                args.push(("value", s(value.clone())));
                "error-csv-duplicate-row"
            }
        };
        self.text_with(id, &args)
    }

    /// A catalog CSV column's name in this language, from its English header word (`price`).
    fn csv_column(self, column: &str) -> String {
        self.text(&format!("csv-column-{column}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use akinai_core::{Field, Yen};

    #[test]
    fn texts_compiled_in_outlive_a_load() {
        // Every language is compiled into this crate's tests (default features).
        assert!(Lang::all().iter().all(|lang| lang.is_loaded()));
        Lang::EN.load("app-name = Something else".to_owned());
        assert_eq!(Lang::EN.text("app-name"), "Akinai");
        assert_eq!(Lang::JA.file(), "ja.ftl");
    }

    #[test]
    fn errors_read_naturally_in_both_languages() {
        let err = Error::DiscountTooLarge {
            field: Field::line(0, "discount"),
            discount: Yen::new(1500),
            applies_to: Yen::new(1200),
        };
        assert_eq!(
            Lang::EN.error(&err),
            "lines[0].discount: discount ¥1,500 is more than the ¥1,200 it applies to"
        );
        assert_eq!(
            Lang::JA.error(&err),
            "lines[0].discount: 値引 ¥1,500 が対象の金額 ¥1,200 を超えています"
        );
        assert_eq!(Lang::EN.error(&err), err.to_string(), "the English text matches Display");
    }

    /// One error of each variant, the catalog CSV's with each column a cell can be wrong in.
    fn every_error() -> Vec<Error> {
        let field = || Field::line(1, "qty");
        let mut errors = vec![
            Error::Malformed { line: 2, column: 3 },
            Error::Invalid { field: field(), detail: "expected a number".into() },
            Error::UnknownValue { field: field(), value: "beer".into(), expected: "food, alcohol" },
            Error::Negative { field: field() },
            Error::DiscountTooLarge {
                field: field(),
                discount: Yen::new(2),
                applies_to: Yen::new(1),
            },
            Error::TooLarge { field: field() },
            Error::NotAnAmount { field: field(), value: "1,2,3".into() },
            Error::NameNeeded { field: field() },
            Error::InvalidDate { field: field(), value: "2024-13-01".into() },
            Error::EmptySale,
            Error::TenderShort { due: Yen::new(500), tendered: Yen::new(100) },
            Error::ChangeWithoutCash { change: Yen::new(10) },
            Error::RefundTooMuch { field: field() },
            Error::NothingToRefund,
            Error::NotRefundable,
            Error::ShiftClosed,
            Error::PinTaken,
            Error::LastOwner,
            Error::InvalidRegistrationNumber { value: "T123".into() },
            Error::InvalidPin { field: field() },
            Error::NoRate { date: chrono::NaiveDate::MIN },
            Error::CsvEncoding { line: 3 },
            Error::CsvRead { row: 4, message: "bad quote".into() },
            Error::CsvEmpty,
            Error::CsvMissingColumn { column: "tax_class" },
            Error::CsvDuplicateColumn {
                column: "name",
                first: "name".into(),
                second: "商品名".into(),
            },
            Error::CsvExtraCells { row: 2, found: 4, expected: 3 },
            Error::CsvDuplicateRow {
                row: 5,
                first_row: 2,
                column: "barcode",
                value: "4901234567894".into(),
            },
        ];
        for column in ["name", "price", "tax_class", "open_price", "color", "barcode"] {
            errors.push(Error::CsvCell { row: 3, column, value: "x".into() });
            errors.push(Error::CsvCell { row: 3, column, value: String::new() });
        }
        errors
    }

    #[test]
    fn every_error_has_a_message_in_every_language() {
        for err in every_error() {
            for lang in Lang::all().iter().copied() {
                let text = lang.error(&err);
                for id in ["error-", "csv-column-", "csv-expected-"] {
                    assert!(!text.contains(id), "{lang:?} lacks a message: {text}");
                }
            }
        }
    }

    #[test]
    fn every_error_code_has_a_message_in_every_language() {
        for code in ErrorCode::ALL {
            for lang in Lang::all().iter().copied() {
                let text = lang.refusal(*code, None);
                assert!(!text.starts_with("code-"), "{lang:?} lacks a message for {code:?}");
            }
        }
        assert_eq!(
            Lang::JA.refusal(ErrorCode::EmailTaken, Some("email")),
            "メールアドレス: このメールアドレスはすでに登録されています"
        );
        assert_eq!(
            Lang::JA.refusal(ErrorCode::Invalid, Some("lines[0].qty")),
            "入力が正しくありません",
            "a field with no name in the language is left out, not shown raw"
        );
        assert_eq!(
            Lang::EN.refusal(ErrorCode::LastOwner, None),
            "The store's last owner must stay"
        );
    }

    #[test]
    fn csv_errors_read_naturally_in_both_languages() {
        for err in every_error().into_iter().filter(|err| err.field().as_str().starts_with("csv")) {
            assert_eq!(Lang::EN.error(&err), err.to_string(), "the English text matches Display");
        }
        let cell = |column, value: &str| Error::CsvCell { row: 3, column, value: value.into() };
        assert_eq!(
            Lang::JA.error(&cell("price", "abc")),
            "CSV の 3 行目の価格「abc」が読めません（0 以上の円の整数で、1200、1,200、¥1200 のように書きます）"
        );
        assert_eq!(
            Lang::JA.error(&cell("tax_class", "")),
            "CSV の 3 行目の税区分が空欄です（標準・軽減・新聞・酒類・非課税（または standard・food・reduced・alcohol・exempt）のどれかです）"
        );
        assert_eq!(
            Lang::JA.error(&Error::CsvMissingColumn { column: "price" }),
            "CSV の 1 行目（見出し）に価格の列がありません"
        );
        assert_eq!(
            Lang::JA.error(&Error::CsvDuplicateRow {
                row: 4,
                first_row: 2,
                column: "name",
                value: "おにぎり".into()
            }),
            "CSV の 4 行目は 2 行目と同じ商品です（商品名「おにぎり」）"
        );
    }

    #[test]
    fn locales_pick_a_language() {
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Some(Lang::JA));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::EN));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
