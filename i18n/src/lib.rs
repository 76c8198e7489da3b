//! Akinai's user-facing text. The translations are the Fluent files beside this crate
//! (`i18n/ja.ftl`, `i18n/en.ftl`). Each language's cargo feature (`ja`, `en`; both by default, as
//! the server and its CLI use them) compiles that language in; the app compiles in only Japanese,
//! the first screen's language, and gives the others to [`Lang::load`] when they are chosen (its
//! pages ship the files, and their service workers keep them offline).

use std::sync::OnceLock;

use akinai_core::Error;
use akinai_core::api::ErrorCode;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::{LanguageIdentifier, langid};

/// Each language's texts, parsed once (index: `Lang as usize`).
static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] = [OnceLock::new(), OnceLock::new()];

/// A language the UI speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// 日本語, the default.
    #[default]
    Ja,
    /// English, for staff and tourists who do not read Japanese.
    En,
}

impl Lang {
    /// Every language, in the order a switcher shows them.
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    /// The BCP 47 tag (`ja`, `en`), as used in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The language of a tag or locale such as `en-US` or `ja_JP.UTF-8`, if we speak it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_', '.']).next().unwrap_or_default().to_ascii_lowercase();
        Lang::ALL.into_iter().find(|lang| lang.tag() == primary)
    }

    /// The file of this language's texts, as the app's pages ship it (`en.ftl`).
    pub fn file(self) -> String {
        format!("{}.ftl", self.tag())
    }

    /// Whether this language's texts are here: compiled in, or given to [`Lang::load`].
    pub fn is_loaded(self) -> bool {
        self.bundle().is_some()
    }

    /// Takes this language's texts (the content of [`Lang::file`]), read at run time. Texts
    /// compiled in or loaded before stay: a language's texts never change while the app runs.
    pub fn load(self, text: String) {
        if self.bundle().is_none() {
            let _ = BUNDLES[self as usize].get_or_init(|| self.parse(text));
        }
    }

    /// The texts compiled into this build, if this language's feature is on.
    fn embedded(self) -> Option<&'static str> {
        #[cfg(feature = "ja")]
        if self == Lang::Ja {
            return Some(include_str!("../ja.ftl"));
        }
        #[cfg(feature = "en")]
        if self == Lang::En {
            return Some(include_str!("../en.ftl"));
        }
        None
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Ja => langid!("ja"),
            Lang::En => langid!("en"),
        }
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
        let cell = &BUNDLES[self as usize];
        if let Some(bundle) = cell.get() {
            return Some(bundle);
        }
        let text = self.embedded()?;
        Some(cell.get_or_init(|| self.parse(text.to_owned())))
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
        // Both languages are compiled into this crate's tests (default features).
        assert!(Lang::ALL.iter().all(|lang| lang.is_loaded()));
        Lang::En.load("app-name = Something else".to_owned());
        assert_eq!(Lang::En.text("app-name"), "Akinai");
        assert_eq!(Lang::Ja.file(), "ja.ftl");
    }

    fn ids(lang: Lang) -> Vec<String> {
        let text = lang.embedded().expect("the tests build every language in");
        let resource = match FluentResource::try_new(text.to_owned()) {
            Ok(resource) => resource,
            Err((_, errors)) => panic!("{lang:?}: {errors:?}"),
        };
        let mut ids: Vec<String> = resource
            .entries()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn every_language_has_every_message_and_parses() {
        let ja = ids(Lang::Ja);
        assert!(ja.len() > 10);
        assert_eq!(ja, ids(Lang::En));
        let mut unique = ja.clone();
        unique.dedup();
        assert_eq!(unique, ja);
    }

    #[test]
    fn errors_read_naturally_in_both_languages() {
        let err = Error::DiscountTooLarge {
            field: Field::line(0, "discount"),
            discount: Yen::new(1500),
            applies_to: Yen::new(1200),
        };
        assert_eq!(
            Lang::En.error(&err),
            "lines[0].discount: discount ¥1,500 is more than the ¥1,200 it applies to"
        );
        assert_eq!(
            Lang::Ja.error(&err),
            "lines[0].discount: 値引 ¥1,500 が対象の金額 ¥1,200 を超えています"
        );
        assert_eq!(Lang::En.error(&err), err.to_string(), "the English text matches Display");
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
            for lang in Lang::ALL {
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
            for lang in Lang::ALL {
                let text = lang.refusal(*code, None);
                assert!(!text.starts_with("code-"), "{lang:?} lacks a message for {code:?}");
            }
        }
        assert_eq!(
            Lang::Ja.refusal(ErrorCode::EmailTaken, Some("email")),
            "メールアドレス: このメールアドレスはすでに登録されています"
        );
        assert_eq!(
            Lang::Ja.refusal(ErrorCode::Invalid, Some("lines[0].qty")),
            "入力が正しくありません",
            "a field with no name in the language is left out, not shown raw"
        );
        assert_eq!(
            Lang::En.refusal(ErrorCode::LastOwner, None),
            "The store's last owner must stay"
        );
    }

    #[test]
    fn csv_errors_read_naturally_in_both_languages() {
        for err in every_error().into_iter().filter(|err| err.field().as_str().starts_with("csv")) {
            assert_eq!(Lang::En.error(&err), err.to_string(), "the English text matches Display");
        }
        let cell = |column, value: &str| Error::CsvCell { row: 3, column, value: value.into() };
        assert_eq!(
            Lang::Ja.error(&cell("price", "abc")),
            "CSV の 3 行目の価格「abc」が読めません（0 以上の円の整数で、1200、1,200、¥1200 のように書きます）"
        );
        assert_eq!(
            Lang::Ja.error(&cell("tax_class", "")),
            "CSV の 3 行目の税区分が空欄です（標準・軽減・新聞・酒類・非課税（または standard・food・reduced・alcohol・exempt）のどれかです）"
        );
        assert_eq!(
            Lang::Ja.error(&Error::CsvMissingColumn { column: "price" }),
            "CSV の 1 行目（見出し）に価格の列がありません"
        );
        assert_eq!(
            Lang::Ja.error(&Error::CsvDuplicateRow {
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
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
    }
}
