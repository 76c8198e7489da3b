//! The shop's catalog of items: what the quick keys show, what a scanned barcode finds, and
//! what a search by name or reading finds.
//!
//! Search folds the ways Japanese text is typed: hiragana and katakana, full-width and
//! half-width forms, upper and lower case all match one another (see [`normalize`]). The
//! catalog is also read from and written to CSV, as Excel saves it ([`import_csv`],
//! [`export_csv`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::money::Yen;
use crate::name::is_language_tag;
use crate::tax::TaxClass;

mod csv_file;

pub use csv_file::{
    CSV_COLUMNS, CsvImport, MAX_IMPORT_ROWS, NAME_TRANSLATION, export_csv, export_csv_with,
    guard_csv_cell, import_csv, import_csv_text,
};

/// One item the shop sells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Item {
    /// Made on the device that created the item.
    pub id: Uuid,
    /// Shown on the quick key and printed on the receipt.
    pub name: String,
    /// The reading of the name (hiragana or katakana), for search.
    pub kana: String,
    /// Tax-included or tax-excluded as the shop's pricing mode says; 0 is allowed for
    /// open-price items.
    pub price: Yen,
    /// Decides the rate together with the sale's dining mode.
    pub tax_class: TaxClass,
    /// Groups quick keys and sales figures.
    pub category: String,
    /// JAN/EAN or the shop's own code.
    pub barcode: Option<String>,
    /// The quick key's colour as `#rrggbb` such as `#2a9d8f`, or empty (see [`check_color`]).
    pub color: String,
    /// The price is typed at the register.
    pub open_price: bool,
    /// The name in other languages, language tag → name (`ko` → `주먹밥 연어`); `name` is the
    /// Japanese one. Left out of the JSON when empty, so older records keep their encoding.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
}

/// The most translations one item may carry.
pub const MAX_NAMES: usize = 16;

/// The longest translated name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

impl Item {
    /// The rules every item keeps, wherever it comes from (the owner API, a CSV file, a
    /// device's sync): a colour the register can put in a style, and translations it can print
    /// ([`check_names`]).
    pub fn check(&self) -> Result<()> {
        check_color(&self.color)?;
        check_names(&self.names)
    }
}

/// Refuses more than [`MAX_NAMES`] translations, a key that is not a language tag
/// ([`is_language_tag`]) or is `ja` (the Japanese name is `name`), and a name that is blank,
/// not trimmed or longer than [`MAX_NAME_CHARS`]. The error names the field `names.<tag>`.
pub fn check_names(names: &BTreeMap<String, String>) -> Result<()> {
    if names.len() > MAX_NAMES {
        return Err(Error::TooMany { field: Field::top("names"), limit: MAX_NAMES });
    }
    for (tag, name) in names {
        let field = Field::top(&format!("names.{tag}"));
        let detail = if !is_language_tag(tag) || tag == "ja" {
            "a language tag such as en, ko or zh-Hant, other than ja"
        } else if name.trim().is_empty() || name.trim() != name {
            "a name without spaces around it"
        } else if name.chars().count() > MAX_NAME_CHARS {
            "at most 100 characters"
        } else {
            continue;
        };
        return Err(Error::Invalid { field, detail: detail.to_owned() });
    }
    Ok(())
}

/// Refuses a colour other than empty or `#rrggbb` (hex digits, either case): the register puts
/// it in a `style` attribute, where anything else could inject CSS (`red;background:url(…)`).
pub fn check_color(color: &str) -> Result<()> {
    let valid = color.is_empty()
        || color
            .strip_prefix('#')
            .is_some_and(|hex| hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
    if valid {
        Ok(())
    } else {
        Err(Error::Invalid {
            field: Field::top("color"),
            detail: "a colour is #rrggbb, like #2a9d8f, or empty".to_owned(),
        })
    }
}

/// Folds text for matching: compatibility forms to their plain form (NFKC, so `ＡＢＣ１２３`
/// becomes `ABC123` and `ｶﾞ` becomes `ガ`), katakana to hiragana, and upper case to lower.
/// Whitespace is kept as it is (full-width spaces become plain ones).
pub fn normalize(text: &str) -> String {
    text.nfkc().map(katakana_to_hiragana).flat_map(char::to_lowercase).collect()
}

/// The hiragana of a katakana letter (ァ..ヶ sit 0x60 above ぁ..ゖ); any other character as is.
fn katakana_to_hiragana(c: char) -> char {
    match c {
        '\u{30A1}'..='\u{30F6}' => char::from_u32(u32::from(c) - 0x60).unwrap_or(c),
        _ => c,
    }
}

/// How well an item matches a search; lower sorts first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Barcode,
    Prefix,
    Substring,
}

/// An item's name, reading and barcode as search compares them, folded once.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Folded {
    name: String,
    kana: String,
    barcode: Option<String>,
}

impl Folded {
    fn new(item: &Item) -> Folded {
        Folded {
            name: normalize(&item.name),
            kana: normalize(&item.kana),
            barcode: item.barcode.as_deref().map(|code| normalize(code.trim())),
        }
    }

    fn rank(&self, query: &str) -> Option<Rank> {
        if self.barcode.as_deref() == Some(query) {
            Some(Rank::Barcode)
        } else if self.name.starts_with(query) || self.kana.starts_with(query) {
            Some(Rank::Prefix)
        } else if self.name.contains(query)
            || self.kana.contains(query)
            || self.barcode.as_deref().is_some_and(|code| code.contains(query))
        {
            Some(Rank::Substring)
        } else {
            None
        }
    }
}

/// A catalog's search keys, folded once so that each keystroke only compares: a register keeps
/// one per catalog (folding 10,000 items' text on every keystroke is what made search slow).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchIndex(Vec<Folded>);

impl SearchIndex {
    /// The index of `items`, in their order.
    pub fn new(items: &[Item]) -> SearchIndex {
        SearchIndex(items.iter().map(Folded::new).collect())
    }

    /// The items whose name, reading or barcode contain `query`, ignoring case, hiragana versus
    /// katakana and full-width versus half-width. An exact barcode comes first, then items whose
    /// name or reading starts with the query, then the other matches; within each group the
    /// catalog's order is kept. A blank query returns every item. `items` must be the items the
    /// index was made of.
    pub fn search<'a>(&self, items: &'a [Item], query: &str) -> Vec<&'a Item> {
        let query = normalize(query);
        let query = query.trim();
        if query.is_empty() {
            return items.iter().collect();
        }
        let mut found: Vec<(Rank, &Item)> = self
            .0
            .iter()
            .zip(items)
            .filter_map(|(folded, item)| folded.rank(query).map(|rank| (rank, item)))
            .collect();
        // A stable sort keeps the catalog's order within a rank.
        found.sort_by_key(|(rank, _)| *rank);
        found.into_iter().map(|(_, item)| item).collect()
    }
}

/// The first item whose barcode is `code`, ignoring surrounding whitespace (a scanner types the
/// digits and Enter) and full-width forms (a scanner typing through a Japanese input method
/// sends `４９０…`). Otherwise the match is exact.
pub fn by_barcode<'a>(items: &'a [Item], code: &str) -> Option<&'a Item> {
    let code = fold_width(code);
    if code.is_empty() {
        return None;
    }
    items.iter().find(|item| item.barcode.as_deref().is_some_and(|own| fold_width(own) == code))
}

/// Trims and folds full-width forms, keeping case: how barcodes are compared and stored.
fn fold_width(text: &str) -> String {
    text.trim().nfkc().collect::<String>().trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search<'a>(items: &'a [Item], query: &str) -> Vec<&'a Item> {
        SearchIndex::new(items).search(items, query)
    }

    fn item(name: &str, kana: &str, barcode: Option<&str>) -> Item {
        Item {
            id: Uuid::from_u128(name.len() as u128),
            name: name.into(),
            kana: kana.into(),
            price: Yen::new(100),
            tax_class: TaxClass::Food,
            category: String::new(),
            barcode: barcode.map(Into::into),
            color: String::new(),
            open_price: false,
            names: BTreeMap::new(),
        }
    }

    fn names<'a>(found: &[&'a Item]) -> Vec<&'a str> {
        found.iter().map(|item| item.name.as_str()).collect()
    }

    #[test]
    fn a_colour_is_rrggbb_or_empty() {
        for good in ["", "#2a9d8f", "#FFFFFF"] {
            assert_eq!(check_color(good), Ok(()), "{good}");
        }
        for bad in
            ["red;background:url(x)", "red", "#fff", "#2a9d8f;", "2a9d8f", "#2a9d8g", "＃2a9d8f"]
        {
            let err = check_color(bad).unwrap_err();
            assert_eq!(err.field(), Field::top("color"), "{bad}");
            let mut item = item("x", "", None);
            item.color = bad.to_owned();
            assert_eq!(item.check(), Err(err));
        }
    }

    #[test]
    fn normalize_folds_kana_width_and_case() {
        assert_eq!(normalize("ＡＢＣ１２３"), "abc123");
        assert_eq!(normalize("ｶﾞ"), "が");
        assert_eq!(normalize("ガ"), "が");
        assert_eq!(normalize("が"), "が");
        assert_eq!(normalize("ヴァヵヶ"), "ゔぁゕゖ");
        assert_eq!(normalize("ｺｰﾋｰ"), "こーひー");
        assert_eq!(normalize("Coffee　Ｌ"), "coffee l");
    }

    #[test]
    fn search_matches_hiragana_katakana_and_half_width() {
        let items = [
            item("コーヒー", "コーヒー", None),
            item("緑茶", "りょくちゃ", None),
            item("Café Latte", "カフェラテ", None),
            item("ガム", "がむ", None),
        ];
        assert_eq!(names(&search(&items, "こーひー")), ["コーヒー"]);
        assert_eq!(names(&search(&items, "ｺｰﾋｰ")), ["コーヒー"]);
        assert_eq!(names(&search(&items, "リョクチャ")), ["緑茶"]);
        assert_eq!(names(&search(&items, "ｶﾞﾑ")), ["ガム"]);
        assert_eq!(names(&search(&items, "ＣＡＦÉ")), ["Café Latte"]);
        assert_eq!(names(&search(&items, "latte")), ["Café Latte"]);
        assert!(search(&items, "紅茶").is_empty());
    }

    #[test]
    fn a_blank_query_returns_everything_in_order() {
        let items = [item("b", "", None), item("a", "", None)];
        assert_eq!(names(&search(&items, "")), ["b", "a"]);
        assert_eq!(names(&search(&items, " 　")), ["b", "a"]);
    }

    #[test]
    fn exact_barcode_then_prefix_then_substring() {
        let items = [
            item("ミルクティー", "みるくてぃー", None),
            item("いちごミルク", "いちごみるく", None),
            item("牛乳", "ぎゅうにゅう", Some("4901234567894")),
            item("ミルクパン", "みるくぱん", Some("ミルク")),
            item("Code 4901234567894", "", None),
        ];
        assert_eq!(
            names(&search(&items, "みるく")),
            ["ミルクパン", "ミルクティー", "いちごミルク"]
        );
        assert_eq!(
            names(&search(&items, "４９０１２３４５６７８９４")),
            ["牛乳", "Code 4901234567894"]
        );
        // A part of a barcode is an ordinary substring match.
        assert_eq!(names(&search(&items, "4567")), ["牛乳", "Code 4901234567894"]);
    }

    #[test]
    fn by_barcode_trims_what_the_scanner_typed() {
        let items = [item("牛乳", "", Some("4901234567894")), item("パン", "", Some("A-12"))];
        assert_eq!(by_barcode(&items, "4901234567894\r\n").map(|i| i.name.as_str()), Some("牛乳"));
        assert_eq!(
            by_barcode(&items, "４９０１２３４５６７８９４").map(|i| i.name.as_str()),
            Some("牛乳")
        );
        assert_eq!(by_barcode(&items, "A-12").map(|i| i.name.as_str()), Some("パン"));
        assert_eq!(by_barcode(&items, "a-12"), None);
        assert_eq!(by_barcode(&items, "490123456789"), None);
        assert_eq!(by_barcode(&items, " "), None);
    }

    #[test]
    fn translated_names_are_checked_naming_the_language() {
        let mut item = item("おにぎり 鮭", "おにぎり さけ", None);
        let names = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs.iter().map(|(tag, name)| ((*tag).to_owned(), (*name).to_owned())).collect()
        };
        item.names =
            names(&[("en", "Salmon rice ball"), ("ko", "연어 주먹밥"), ("zh-Hant", "鮭魚飯糰")]);
        assert_eq!(item.check(), Ok(()));
        item.names = names(&[("en", &"a".repeat(MAX_NAME_CHARS))]);
        assert_eq!(item.check(), Ok(()));
        for (tag, name) in [
            ("ja", "おにぎり"),
            ("english", "Rice ball"),
            ("zh-hant", "飯糰"),
            ("en", ""),
            ("en", "  "),
            ("en", " Rice ball"),
            ("ko", &"가".repeat(MAX_NAME_CHARS + 1)),
        ] {
            item.names = names(&[("en", "Rice ball"), (tag, name)]);
            let err = item.check().unwrap_err();
            assert_eq!(err.field().to_string(), format!("names.{tag}"), "{tag} {name:?}");
        }
        item.names = (0..=MAX_NAMES).map(|n| (format!("x{n:02}"), "x".to_owned())).collect();
        let err = item.check().unwrap_err();
        assert_eq!(err, Error::TooMany { field: Field::top("names"), limit: MAX_NAMES });
    }

    #[test]
    fn an_item_without_translations_encodes_as_before() {
        let item = item("おにぎり", "おにぎり", None);
        let json = serde_json::to_string(&item).unwrap();
        assert!(!json.contains("names"), "{json}");
        let mut translated = item;
        translated.names.insert("en".into(), "Rice ball".into());
        let json = serde_json::to_string(&translated).unwrap();
        assert!(json.ends_with(r#""names":{"en":"Rice ball"}}"#), "{json}");
        assert_eq!(serde_json::from_str::<Item>(&json).unwrap(), translated);
    }
}
