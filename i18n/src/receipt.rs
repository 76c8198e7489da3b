//! A receipt laid out in one language: what the register prints, the e-receipt page shows and
//! the 領収書 says, made once here and drawn by two renderers (the app with Leptos, the server
//! as HTML).
//!
//! For renderers (the app's `ReceiptView`/`FormalReceiptView`, the server's `/r/` page):
//! - Every [`Label`] keeps the Japanese (`ja`, to be marked `lang="ja"`) and, on a document in
//!   another language, its translation (`local`, marked `lang={doc.lang.tag()}`) beside it:
//!   the law reads the Japanese, the customer the translation. Show both when `local` is some.
//! - Values (amounts, dates, names) are already formatted in the document's language; draw them
//!   as they are, after their label (`お釣り` `¥3,130`; `No.` `000001`).
//! - Each [`DocRow`] names its kind in `class`, which is also its CSS class:
//!   meta `date`, `number`, `staff`, `refund-of`, `reissue`, `dining-mode` (label only);
//!   totals `subtotal`, `discount`, `rate` (`10%対象`, with ` ※` when reduced), `rate-tax`
//!   (always right after its `rate` row), `exempt`, `total`, `tax-total`; tenders `tender`,
//!   `tender-details` (label only), `excess`, `tendered`, `change`; a line's discount
//!   `line-off`. To keep today's Japanese receipt (register.spec asserts
//!   `10%対象¥1,718 (内消費税 ¥156)`), draw a `rate-tax` row inside its `rate` row's value:
//!   `{value} ({label} {value})`.
//! - Draw in this order: title, issuer (name, address, `TEL` phone, registration label and
//!   number), then for a 領収書 the addressee, amount and purpose, then `meta`, `lines` (name
//!   with ` ※` when `reduced`, `exempt-short` when `exempt`, `name_ja` under the name when
//!   some, then its `discount` row), `totals`, `tenders`, `notes`, the stamp box when `stamp`
//!   is some (`.stamp-box` with label `lang.legal("formal-stamp")` and the duty inside),
//!   `footer`, and the e-receipt QR when `token` is some (`<origin>/r/<token>`; a 領収書 has
//!   none).
//! - [`DocKind`] tells a refund (`original_no`) and a 領収書 (`reissue`) apart; both are also
//!   in the rows, so a renderer need not look at it.
//! - The app holds only Japanese compiled in: load the document's language first (B's
//!   `ensure_loaded`), or its labels show message ids. A sale's language is
//!   `Sale.receipt_lang` (`Lang::from_tag`, `None` = Japanese); a 領収書's is
//!   `FormalReceipt.lang`.

use akinai_core::Yen;
use akinai_core::cart::CartLine;
use akinai_core::formal::{DEFAULT_PURPOSE, FormalReceipt};
use akinai_core::payment::{PaymentMethod, Tender, to_reconcile};
use akinai_core::romaji::romaji;
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::stamp;
use akinai_core::tax::{DiningMode, Named, PricingMode};

use crate::{Label, Lang};

/// What a document is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DocKind {
    /// The register's receipt of a sale (適格簡易請求書).
    Receipt,
    /// The receipt of a refund of the sale numbered `original_no`.
    Refund {
        /// The refunded sale's receipt number.
        original_no: u64,
    },
    /// A 領収書 made out to an addressee; `reissue` from its second copy on (再発行).
    Formal {
        /// Printed again: marked 再発行.
        reissue: bool,
    },
}

/// Who issued the document: the shop as it was at the sale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issuer {
    /// The shop's name.
    pub name: String,
    /// Its address.
    pub address: String,
    /// Its phone number (renderers put `TEL` before it).
    pub phone: String,
    /// 登録番号 and the number (`T` + 13 digits, the same in every language).
    pub registration: (Label, String),
}

/// A line of the document: a label and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocRow {
    /// What it is.
    pub label: Label,
    /// The value, formatted in the document's language (may be empty).
    pub value: String,
    /// A CSS class naming the row's kind (`total`, `rate`, `rate-tax`, `tender`, …).
    pub class: &'static str,
}

/// One sold (or refunded) line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocLine {
    /// The item's name in the document's language ([`line_name`]).
    pub name: String,
    /// The Japanese name, when `name` is a translation.
    pub name_ja: Option<String>,
    /// Reduced-rate: marked ※.
    pub reduced: bool,
    /// Non-taxable: marked as such.
    pub exempt: bool,
    /// Unit price × quantity (`¥120 × 2`).
    pub qty: String,
    /// The line's amount after its discount.
    pub amount: String,
    /// The line's discount, when it has one.
    pub discount: Option<DocRow>,
}

/// A receipt or 領収書 laid out in one language, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptDoc {
    /// The language of the translations and formatting.
    pub lang: Lang,
    /// What it is.
    pub kind: DocKind,
    /// 領収書 / 返品 …
    pub title: Label,
    /// The issuer.
    pub issuer: Issuer,
    /// Date and time, receipt number, staff, (refund of, reissue, dining mode).
    pub meta: Vec<DocRow>,
    /// 領収書 only: the addressee with 様, or 上様.
    pub addressee: Option<String>,
    /// 領収書 only: 但し … として.
    pub purpose: Option<Label>,
    /// 領収書 only: the amount received, written as `¥62,000-`.
    pub amount: Option<String>,
    /// What was sold.
    pub lines: Vec<DocLine>,
    /// Subtotal, discount, per-rate totals and tax, total.
    pub totals: Vec<DocRow>,
    /// How it was paid, change.
    pub tenders: Vec<DocRow>,
    /// ※ note, card statement, "received" statement.
    pub notes: Vec<Label>,
    /// The revenue-stamp duty, formatted: the stamp box is drawn iff this is some.
    pub stamp: Option<String>,
    /// The shop's footer text.
    pub footer: String,
    /// The e-receipt token: the renderer links `<origin>/r/<token>`.
    pub token: Option<String>,
}

/// The message `id` as a label: Japanese, and the translation beside it.
fn text(lang: Lang, id: &str) -> Label {
    Label::both(lang, |l| l.text(id))
}

/// A line's name in `lang`, and the Japanese name when the first is a translation: the shop's
/// translation if it typed one, else the name with its reading in romaji (`手ぬぐい (tenugui)`),
/// else the name as it is.
pub fn line_name(line: &CartLine, lang: Lang) -> (String, Option<String>) {
    if lang == Lang::JA {
        return (line.name.clone(), None);
    }
    if let Some(name) = line.names.get(lang.tag()).filter(|n| !n.trim().is_empty()) {
        return (name.clone(), Some(line.name.clone()));
    }
    let reading = romaji(&line.kana);
    if reading.trim().is_empty() || line.name.is_ascii() {
        return (line.name.clone(), None);
    }
    (format!("{} ({reading})", line.name), None)
}

/// A tender as receipts name it: its method and brand (現金, カード VISA).
pub fn tender_name(lang: Lang, tender: &Tender) -> String {
    method_name(lang, tender.method, tender.brand.as_deref().unwrap_or_default())
}

/// A way of paying as receipts and reports name it: the method, and its brand when it has one
/// (`カード VISA`, `現金`; `brand` empty for none).
pub fn method_name(lang: Lang, method: PaymentMethod, brand: &str) -> String {
    let method = lang.text(&format!("payment-{}", method.word()));
    match brand {
        "" => method,
        brand => format!("{method} {}", lang.text(&format!("brand-{brand}"))),
    }
}

/// What else a tender says: the card's last four digits (never more), the terminal's approval
/// number, and 要照合 for a payment nobody confirmed with the provider.
pub fn tender_details(lang: Lang, tender: &Tender) -> Vec<String> {
    let mut details = Vec::new();
    if let Some(last4) = &tender.last4 {
        details.push(format!("****{last4}"));
    }
    if let Some(approval) = &tender.approval {
        details.push(format!("{} {approval}", lang.text("pay-approval")));
    }
    if to_reconcile(tender.method) {
        details.push(lang.text("pay-to-reconcile"));
    }
    details
}

/// The language `sale`'s receipt was asked for at the register (`Sale.receipt_lang`):
/// Japanese when none was, or when it is not one of this build's.
pub fn language(sale: &Sale) -> Lang {
    stored(sale.receipt_lang.as_deref())
}

/// The language a 領収書 was issued in (`FormalReceipt.lang`), as [`language`] for a sale.
pub fn formal_language(issue: &FormalReceipt) -> Lang {
    stored(issue.lang.as_deref())
}

/// A language tag as records store it: `None` is Japanese.
fn stored(tag: Option<&str>) -> Lang {
    tag.and_then(Lang::from_tag).unwrap_or(Lang::JA)
}

/// The register's receipt of `sale` (or refund) in `lang`: the 適格簡易請求書 (issuer and
/// registration number, date, lines with ※, totals and tax per rate) and how it was paid.
pub fn document(sale: &Sale, lang: Lang) -> ReceiptDoc {
    let shop = &sale.shop;
    let (kind, title) = match &sale.kind {
        SaleKind::Refund { original_receipt_no, .. } => {
            (DocKind::Refund { original_no: *original_receipt_no }, lang.legal("receipt-refund"))
        }
        SaleKind::Sale => (DocKind::Receipt, lang.legal("receipt-title")),
    };
    let mut meta = vec![
        DocRow { label: text(lang, "receipt-date"), value: lang.date_time(sale.at), class: "date" },
        DocRow {
            label: text(lang, "receipt-no"),
            value: format!("{:06}", sale.receipt_no),
            class: "number",
        },
        DocRow { label: text(lang, "staff"), value: sale.staff.clone(), class: "staff" },
    ];
    if let DocKind::Refund { original_no } = kind {
        let of = Label::both(lang, |l| {
            l.text_with("refund-of", &[("no", format!("{original_no:06}").into())])
        });
        meta.push(DocRow { label: of, value: String::new(), class: "refund-of" });
    }
    let dining = match sale.receipt.dining {
        DiningMode::TakeOut => "take-out",
        DiningMode::EatIn => "eat-in",
    };
    meta.push(DocRow { label: text(lang, dining), value: String::new(), class: "dining-mode" });
    let notes =
        if sale.receipt.has_reduced() { vec![lang.legal("reduced-note")] } else { Vec::new() };
    ReceiptDoc {
        lang,
        kind,
        title,
        issuer: Issuer {
            name: shop.name.clone(),
            address: shop.address.clone(),
            phone: shop.phone.clone(),
            registration: (lang.legal("registration-number"), shop.registration_number.to_string()),
        },
        meta,
        addressee: None,
        purpose: None,
        amount: None,
        lines: lines(sale, lang),
        totals: totals(sale, lang),
        tenders: tenders(sale, lang),
        notes,
        stamp: None,
        footer: shop.receipt_footer.clone(),
        token: sale.receipt_token.clone(),
    }
}

/// The 領収書 `issue` of `sale` in `lang`: the receipt's content made out to the addressee,
/// with the amount, 但し書き, the statement of what was paid by card, the stamp box when duty
/// is due, and 再発行 from the second copy on.
pub fn formal(sale: &Sale, issue: &FormalReceipt, lang: Lang) -> ReceiptDoc {
    let mut doc = document(sale, lang);
    let reissue = issue.is_reissue();
    doc.kind = DocKind::Formal { reissue };
    doc.title = lang.legal("formal-title");
    doc.meta = vec![
        DocRow {
            label: text(lang, "formal-issued"),
            value: lang.date(issue.at.date_naive()),
            class: "date",
        },
        DocRow {
            label: text(lang, "receipt-no"),
            value: format!("{:06}", sale.receipt_no),
            class: "number",
        },
        DocRow { label: text(lang, "staff"), value: issue.staff.clone(), class: "staff" },
    ];
    if reissue {
        doc.meta.push(DocRow {
            label: text(lang, "formal-reissue"),
            value: String::new(),
            class: "reissue",
        });
    }
    let addressee = issue.addressee.trim();
    doc.addressee = Some(if addressee.is_empty() {
        Lang::JA.text("formal-addressee-default")
    } else {
        format!("{addressee} {}", Lang::JA.text("formal-addressee-suffix"))
    });
    let purpose = match issue.purpose.trim() {
        "" => DEFAULT_PURPOSE,
        purpose => purpose,
    };
    doc.purpose =
        Some(Label::both(lang, |l| l.text_with("formal-purpose", &[("purpose", purpose.into())])));
    doc.amount = Some(format!("{}-", lang.yen(sale.receipt.total)));
    // The 領収書 states what was received; change is the register receipt's business.
    doc.tenders.retain(|row| !matches!(row.class, "tendered" | "change"));
    for (method, amount) in stamp::judge(sale).not_stampable {
        doc.notes.push(Label::both(lang, |l| {
            let name = match method {
                PaymentMethod::Card => l.text("formal-credit-card"),
                other => l.text(&format!("payment-{}", other.word())),
            };
            let paid = l.text_with("formal-paid-by", &[("method", name.into())]);
            format!("{paid} {}", l.yen(amount))
        }));
    }
    doc.notes.push(lang.legal("formal-received"));
    doc.stamp = (issue.stamp_duty > Yen::ZERO).then(|| lang.yen(issue.stamp_duty));
    // The e-receipt link belongs to the register receipt.
    doc.token = None;
    doc
}

/// The lines, each named in `lang`.
fn lines(sale: &Sale, lang: Lang) -> Vec<DocLine> {
    sale.cart
        .lines
        .iter()
        .zip(&sale.receipt.lines)
        .map(|(cart_line, line)| {
            let (name, name_ja) = line_name(cart_line, lang);
            let discount = (line.discount != Yen::ZERO).then(|| {
                let off = Yen::new(-line.discount.get().abs());
                DocRow { label: text(lang, "discount"), value: lang.yen(off), class: "line-off" }
            });
            DocLine {
                name,
                name_ja,
                reduced: line.reduced,
                exempt: line.exempt,
                qty: format!("{} × {}", lang.yen(line.unit_price), line.qty),
                amount: lang.yen(line.amount),
                discount,
            }
        })
        .collect()
}

/// Subtotal, discount, each rate's total and tax, the non-taxable amount, total and tax total.
fn totals(sale: &Sale, lang: Lang) -> Vec<DocRow> {
    let r = &sale.receipt;
    let tax_included = r.pricing == PricingMode::TaxIncluded;
    let mut totals = vec![DocRow {
        label: text(lang, "subtotal"),
        value: lang.yen(r.subtotal),
        class: "subtotal",
    }];
    if r.discount != Yen::ZERO {
        let off = Yen::new(-r.discount.get().abs());
        totals.push(DocRow {
            label: text(lang, "receipt-discount"),
            value: lang.yen(off),
            class: "discount",
        });
    }
    for rate in &r.rates {
        let target = Label::both(lang, |l| {
            let text = l.text_with("rate-target", &[("rate", rate.rate.into())]);
            if rate.reduced { format!("{text} ※") } else { text }
        });
        let base = if tax_included { rate.gross } else { rate.net };
        totals.push(DocRow { label: target, value: lang.yen(base), class: "rate" });
        let tax = if tax_included { "tax-included-in" } else { "tax" };
        totals.push(DocRow {
            label: text(lang, tax),
            value: lang.yen(rate.tax),
            class: "rate-tax",
        });
    }
    if r.lines.iter().any(|l| l.exempt) {
        totals.push(DocRow {
            label: text(lang, "exempt"),
            value: lang.yen(r.exempt),
            class: "exempt",
        });
    }
    totals.push(DocRow { label: text(lang, "total"), value: lang.yen(r.total), class: "total" });
    totals.push(DocRow {
        label: text(lang, "tax-total"),
        value: lang.yen(r.tax),
        class: "tax-total",
    });
    totals
}

/// Each tender (unless cash alone paid: that is just お預かり), excess, お預かり and お釣り.
fn tenders(sale: &Sale, lang: Lang) -> Vec<DocRow> {
    let mut rows = Vec::new();
    let cash_only =
        sale.tenders.len() <= 1 && sale.tenders.iter().all(|t| t.method == PaymentMethod::Cash);
    if !cash_only {
        for tender in &sale.tenders {
            let name = Label::both(lang, |l| tender_name(l, tender));
            rows.push(DocRow { label: name, value: lang.yen(tender.amount), class: "tender" });
            if !tender_details(lang, tender).is_empty() {
                let details = Label::both(lang, |l| tender_details(l, tender).join(" "));
                rows.push(DocRow { label: details, value: String::new(), class: "tender-details" });
            }
        }
    }
    if sale.excess > Yen::ZERO {
        rows.push(DocRow {
            label: text(lang, "pay-excess"),
            value: lang.yen(sale.excess),
            class: "excess",
        });
    }
    if !sale.is_refund() {
        let tendered: Yen = sale.tenders.iter().map(|t| t.amount).sum();
        rows.push(DocRow {
            label: text(lang, "tendered"),
            value: lang.yen(tendered),
            class: "tendered",
        });
        rows.push(DocRow {
            label: text(lang, "change"),
            value: lang.yen(sale.change),
            class: "change",
        });
    }
    rows
}

#[cfg(test)]
mod tests;
