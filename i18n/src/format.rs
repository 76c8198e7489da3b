//! Money and dates as each language writes them, from the `fmt-*` patterns of its file (no ICU
//! data in the app), and the Japanese legal labels with their translation beside them.

use akinai_core::Yen;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};
use fluent_bundle::FluentValue;

use crate::Lang;

/// The receipt labels the law reads in Japanese (適格簡易請求書, 領収書): a receipt in another
/// language keeps the Japanese and shows the translation beside it, as a reading aid.
pub const LEGAL_IDS: &[&str] = &[
    "registration-number",
    "rate-target",
    "tax-included-in",
    "tax",
    "tax-total",
    "total",
    "subtotal",
    "exempt",
    "receipt-title",
    "receipt-refund",
    "reduced-note",
    "formal-title",
    "formal-addressee-suffix",
    "formal-addressee-default",
    "formal-purpose",
    "formal-received",
    "formal-stamp",
    "formal-reissue",
    "formal-paid-by",
    "formal-issued",
];

/// A label in Japanese with, on a document in another language, its translation beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The Japanese text (renderers mark it `lang="ja"`).
    pub ja: String,
    /// The same in the document's language; `None` when that is Japanese.
    pub local: Option<String>,
}

impl Label {
    /// The label that `text` makes in Japanese and, unless `lang` is Japanese, in `lang`.
    pub fn both(lang: Lang, text: impl Fn(Lang) -> String) -> Label {
        Label { ja: text(Lang::JA), local: (lang != Lang::JA).then(|| text(lang)) }
    }

    /// Both texts on one line, the Japanese first (`合計 합계`): for plain-text use and tests.
    pub fn joined(&self) -> String {
        match &self.local {
            Some(local) => format!("{} {local}", self.ja),
            None => self.ja.clone(),
        }
    }
}

/// `1234567` → `1,234,567`: every language here groups by three with a comma.
fn grouped(digits: u64) -> String {
    let digits = digits.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Lang {
    /// A pattern of this language's file, or Japanese's while this language's texts are not
    /// loaded (a date is better in Japanese than as a message id).
    fn pattern(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let lang = if self.has(id) { self } else { Lang::JA };
        lang.text_with(id, args)
    }

    /// An amount of money: `¥1,234,567` (ja, en, zh-Hant), `JP¥1,234,567` (ko, zh-Hans),
    /// negative `-¥5,000`.
    pub fn yen(self, amount: Yen) -> String {
        let id = if amount.get() < 0 { "fmt-yen-negative" } else { "fmt-yen" };
        self.pattern(id, &[("amount", grouped(amount.get().unsigned_abs()).into())])
    }

    /// A date: `2026年12月3日`, `Dec 3, 2026`, `2026년 12월 3일`.
    pub fn date(self, date: NaiveDate) -> String {
        let month = self.pattern(&format!("fmt-month-{}", date.month()), &[]);
        let args = [
            ("year", date.year().to_string().into()),
            ("month", month.into()),
            ("day", date.day().to_string().into()),
        ];
        self.pattern("fmt-date", &args)
    }

    /// A date and time, 24-hour in every language, in the offset it was stored with (Tokyo):
    /// `2026年12月3日 18:05`.
    pub fn date_time(self, at: DateTime<FixedOffset>) -> String {
        let time = self.pattern(
            "fmt-time",
            &[
                ("hour", format!("{:02}", at.hour()).into()),
                ("minute", format!("{:02}", at.minute()).into()),
            ],
        );
        let args = [("date", self.date(at.date_naive()).into()), ("time", time.into())];
        self.pattern("fmt-date-time", &args)
    }

    /// A legal label ([`LEGAL_IDS`]): its Japanese text, and this language's beside it.
    pub fn legal(self, id: &str) -> Label {
        Label::both(self, |lang| lang.text(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Lang {
        Lang::all().iter().copied().find(|l| l.tag() == tag).expect("a language of the build")
    }

    #[test]
    fn money_and_dates_read_as_each_language_writes_them() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T18:05:00+09:00").expect("a date");
        let cases = [
            ("ja", "¥1,234,567", "-¥5,000", "2026年12月3日"),
            ("en", "¥1,234,567", "-¥5,000", "Dec 3, 2026"),
            ("ko", "JP¥1,234,567", "-JP¥5,000", "2026년 12월 3일"),
            ("zh-Hans", "JP¥1,234,567", "-JP¥5,000", "2026年12月3日"),
            ("zh-Hant", "¥1,234,567", "-¥5,000", "2026年12月3日"),
        ];
        assert_eq!(cases.len(), Lang::all().len(), "every language is checked");
        for (tag, yen, negative, date) in cases {
            let lang = lang(tag);
            assert_eq!(lang.yen(Yen::new(1_234_567)), yen, "{tag}");
            assert_eq!(lang.yen(Yen::new(-5_000)), negative, "{tag}");
            assert_eq!(lang.date(at.date_naive()), date, "{tag}");
            assert_eq!(lang.date_time(at), format!("{date} 18:05"), "{tag}");
        }
        assert_eq!(Lang::JA.yen(Yen::ZERO), "¥0");
        assert_eq!(Lang::EN.yen(Yen::new(999)), "¥999");
        assert_eq!(Lang::EN.yen(Yen::new(1_000)), "¥1,000");
        let morning = DateTime::parse_from_rfc3339("2027-01-09T09:07:00+09:00").expect("a date");
        assert_eq!(Lang::EN.date_time(morning), "Jan 9, 2027 09:07");
        assert_eq!(Lang::JA.yen(Yen::new(858)), Yen::new(858).to_string(), "ja as receipts were");
    }

    #[test]
    fn legal_labels_keep_the_japanese() {
        assert_eq!(
            lang("ko").legal("total"),
            Label { ja: "合計".into(), local: Some("합계".into()) }
        );
        assert_eq!(Lang::JA.legal("total"), Label { ja: "合計".into(), local: None });
        assert_eq!(lang("ko").legal("total").joined(), "合計 합계");
        for lang in Lang::all() {
            for id in LEGAL_IDS {
                let label = lang.legal(id);
                assert_ne!(label.ja, *id, "{id} is in ja.ftl");
                assert_ne!(label.local.as_deref(), Some(*id), "{id} is in {lang:?}");
            }
        }
    }
}
