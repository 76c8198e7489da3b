//! The receipt: a qualified simplified invoice (適格簡易請求書) on screen and on 58 mm or 80 mm
//! thermal paper, in the language the customer chose at the register. The content comes from
//! [`akinai_i18n::receipt`] (the same document the server's e-receipt page draws): Japanese
//! legal labels with the translation beside them, amounts and dates written for the language.
//! A sale rung up on a paired register carries the QR code of its e-receipt.

use akinai_core::formal::FormalReceipt;
use akinai_core::sale::Sale;
use akinai_i18n::receipt::{DocRow, ReceiptDoc, document, formal, formal_language, language};
use akinai_i18n::{Label, Lang};
use leptos::logging::warn;
use leptos::prelude::*;

use crate::qr::QrCodeSvg;
use crate::state::{Screen, use_app};

/// A label: the Japanese, which the law reads, and the translation beside it.
fn label_view(label: Label, lang: Lang) -> impl IntoView {
    let local = label.local.map(|text| view! { <span class="local" lang=lang.tag()>{text}</span> });
    view! { <span lang="ja">{label.ja}</span>{local} }
}

/// Rows of label and value. On a Japanese receipt a rate's tax joins its rate's row, in
/// brackets, as registers print it (`10%対象 ¥1,718 (内消費税 ¥156)`); with a translation beside
/// each label that is too wide for the paper, so the tax keeps a row of its own.
fn rows_view(rows: Vec<DocRow>, lang: Lang) -> impl IntoView {
    let mut rows = rows.into_iter().peekable();
    let mut views = Vec::new();
    while let Some(row) = rows.next() {
        // The row after a rate's is its tax (class `rate-tax`).
        let joins = |next: &DocRow| {
            lang == Lang::JA && row.class == "rate" && next.class.starts_with("rate-")
        };
        let tax = rows.next_if(joins);
        let class = row.class;
        let value = (!row.value.is_empty() || tax.is_some()).then(|| {
            let tax = tax.map(|tax| {
                view! { <span class="joined-tax">" (" {label_view(tax.label, lang)} " " {tax.value} ")"</span> }
            });
            view! { <dd class=class>{row.value}{tax}</dd> }
        });
        // A row without a value (a tender's details) is its label alone, across the paper.
        views.push(view! { <dt class=class>{label_view(row.label, lang)}</dt>{value} });
    }
    views.collect_view()
}

/// The e-receipt link of `token` as a QR code with a caption: on this server, at `/r/<token>`.
#[component]
fn ReceiptQr(
    /// The sale's e-receipt token.
    token: String,
    /// The receipt's language, for the caption.
    lang: Lang,
) -> impl IntoView {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let url = format!("{origin}/r/{token}");
    let text = url.clone();
    view! {
        <figure class="receipt-qr" data-url=url>
            <QrCodeSvg text />
            <figcaption>{lang.text("receipt-qr-caption")}</figcaption>
        </figure>
    }
}

/// A receipt or 領収書 as laid out by [`akinai_i18n::receipt`], drawn on paper `paper_mm` wide.
#[component]
fn Document(
    /// What to draw.
    doc: ReceiptDoc,
    /// The paper roll's width in mm (58 or 80).
    paper_mm: u8,
    /// The accessible name of the document (レシート, 領収書) in the UI language.
    name: String,
) -> impl IntoView {
    let lang = doc.lang;
    let formal = matches!(doc.kind, akinai_i18n::receipt::DocKind::Formal { .. });
    let class = format!("receipt paper-{paper_mm}{}", if formal { " formal" } else { "" });
    let (registration, number) = doc.issuer.registration;
    let meta = doc.meta.into_iter().map(|row| {
        let value = (!row.value.is_empty()).then(|| format!(" {}", row.value));
        view! { <span class=row.class>{label_view(row.label, lang)}{value}</span> }
    });
    let lines = doc.lines.into_iter().map(|line| {
        let exempt = line.exempt.then(|| format!(" ({})", lang.text("exempt-short")));
        let name_ja =
            line.name_ja.map(|name| view! { <span class="line-ja" lang="ja">{name}</span> });
        let discount = line.discount.map(|off| {
            view! {
                <tr class="line-off">
                    <td colspan="2">{label_view(off.label, lang)}</td>
                    <td class="amount">{off.value}</td>
                </tr>
            }
        });
        view! {
            <tr>
                <td class="name">{line.name}{line.reduced.then_some(" ※")}{exempt}{name_ja}</td>
                <td class="qty">{line.qty}</td>
                <td class="amount">{line.amount}</td>
            </tr>
            {discount}
        }
    });
    let stamp = doc.stamp.map(|duty| {
        view! {
            <div class="stamp-box">
                {label_view(lang.legal("formal-stamp"), lang)}
                <span class="duty">{duty}</span>
            </div>
        }
    });
    view! {
        <article class=class lang=lang.tag() aria-label=name>
            <header>
                <h3>{doc.issuer.name}</h3>
                <p>{doc.issuer.address}</p>
                <p>{format!("TEL {}", doc.issuer.phone)}</p>
                <p class="registration">{label_view(registration, lang)}" "{number}</p>
                <p class="kind">{label_view(doc.title, lang)}</p>
            </header>
            {doc.addressee.map(|to| view! { <p class="addressee" lang="ja">{to}</p> })}
            {doc.amount.map(|amount| view! { <p class="formal-amount">{amount}</p> })}
            {doc.purpose.map(|purpose| view! { <p class="purpose">{label_view(purpose, lang)}</p> })}
            <p class="meta">{meta.collect_view()}</p>
            <table class="receipt-lines">
                <tbody>{lines.collect_view()}</tbody>
            </table>
            <dl class="receipt-totals">
                {rows_view(doc.totals, lang)}
                {rows_view(doc.tenders, lang)}
            </dl>
            {doc.notes.into_iter().map(|note| view! { <p class="note">{label_view(note, lang)}</p> }).collect_view()}
            {stamp}
            <footer>{doc.footer}</footer>
            {doc.token.map(|token| view! { <ReceiptQr token lang /> })}
        </article>
    }
}

/// Draws `draw()` once the texts of `lang` are here: a receipt in a language the UI has not
/// shown yet reads them first (from the precache when offline).
fn when_loaded<V: IntoView + 'static>(
    lang: Lang,
    draw: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let loaded = RwSignal::new(lang.is_loaded());
    if !lang.is_loaded() {
        let loading = crate::language::ensure_loaded(lang);
        leptos::task::spawn_local(async move {
            if let Err(err) = loading.await {
                warn!("the texts of {} could not be read: {err}", lang.tag());
            }
            loaded.try_set(true);
        });
    }
    move || loaded.get().then(&draw)
}

/// One receipt, as printed, in the sale's receipt language.
#[component]
pub fn ReceiptView(
    /// The sale or refund to show.
    sale: Sale,
    /// The paper roll's width in mm (58 or 80): the register's device setting; the owner's view
    /// shows the wider roll.
    paper_mm: u8,
) -> impl IntoView {
    let ui = crate::use_language();
    let lang = language(&sale);
    when_loaded(lang, move || {
        view! { <Document doc=document(&sale, lang) paper_mm name=ui.get().text("receipt") /> }
    })
}

/// A formal 領収書 as printed, in the language it was issued in.
#[component]
pub fn FormalReceiptView(
    /// The sale it is for.
    sale: Sale,
    /// The issue to show.
    issue: FormalReceipt,
    /// The paper roll's width in mm (58 or 80).
    paper_mm: u8,
) -> impl IntoView {
    let ui = crate::use_language();
    let lang = formal_language(&issue);
    when_loaded(lang, move || {
        let doc = formal(&sale, &issue, lang);
        view! { <Document doc paper_mm name=ui.get().text("formal-title") /> }
    })
}

/// Opens the browser's print dialog (the receipt printer, with the print CSS for 58/80 mm).
pub fn print() {
    if let Some(window) = web_sys::window() {
        // Best effort: a device without a printer just shows the dialog.
        let _ = window.print();
    }
}

/// The receipt of the sale just completed (or reprinted), or the 領収書 just issued for it,
/// with print, 領収書 and next-sale buttons.
#[component]
pub fn ReceiptScreen() -> impl IntoView {
    let app = use_app();
    let shown = move || {
        let sale = app.receipt.get()?;
        Some(match app.formal.get() {
            Some(issue) => {
                view! { <FormalReceiptView sale issue paper_mm=app.paper_mm() /> }.into_any()
            }
            None => view! { <ReceiptView sale paper_mm=app.paper_mm() /> }.into_any(),
        })
    };
    // A 領収書 for the receipt shown; the one shown already is printed again with 印刷.
    let formal_button = move || {
        let sale = app.receipt.get().filter(|_| app.formal.with(Option::is_none))?;
        Some(view! { <crate::formal::FormalButton sale /> })
    };
    view! {
        <section class="panel receipt-screen" aria-labelledby="receipt-screen-title">
            <h2 id="receipt-screen-title" class="no-print">
                {move || app.t(if app.formal.with(Option::is_some) { "formal-title" } else { "receipt" })}
            </h2>
            {shown}
            <div class="no-print actions">
                <button type="button" on:click=move |_| print()>{move || app.t("print")}</button>
                {formal_button}
                <button type="button" class="primary" on:click=move |_| app.screen.set(Screen::Register)>
                    {move || app.t("next-sale")}
                </button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use akinai_core::Yen;
    use akinai_core::cart::{Cart, CartLine, Discount};
    use akinai_core::formal::FormalReceipt;
    use akinai_core::payment::{PaymentMethod, Tender};
    use akinai_core::sale::{ReceiptChoice, Sale, SaleContext};
    use akinai_core::shop::{RegistrationNumber, ShopSettings};
    use akinai_core::tax::TaxClass;
    use akinai_i18n::Lang;
    use chrono::{NaiveDate, Utc};
    use leptos::prelude::*;
    use uuid::Uuid;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
    use web_sys::HtmlElement;

    use super::{FormalReceiptView, ReceiptView};

    wasm_bindgen_test_configure!(run_in_browser);

    const DEVICE: Uuid = Uuid::from_u128(1);

    fn context(receipt: ReceiptChoice) -> Option<SaleContext> {
        Some(SaleContext {
            id: Uuid::now_v7(),
            device_id: DEVICE,
            at: Utc::now(),
            staff: "山田".into(),
            shift_id: Uuid::from_u128(2),
            shop: ShopSettings {
                name: "商い堂".into(),
                address: String::new(),
                phone: String::new(),
                registration_number: RegistrationNumber::parse("T1234567890123").ok()?,
                pricing: Default::default(),
                rounding: Default::default(),
                receipt_footer: String::new(),
            },
            receipt,
        })
    }

    /// A deli sale of `price` (8%) paid in cash, with the receipt `receipt`.
    fn sale(price: i64, receipt: ReceiptChoice) -> Option<Sale> {
        let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 12, 3)?);
        cart.lines.push(CartLine {
            item_id: None,
            category: "弁当".into(),
            name: "惣菜".into(),
            unit_price: Yen::new(price),
            qty: 1,
            tax_class: TaxClass::Food,
            discount: Discount::NONE,
            names: Default::default(),
            kana: "そうざい".into(),
        });
        let tenders = vec![Tender::new(PaymentMethod::Cash, Yen::new(price))];
        Sale::ring_up(context(receipt)?, cart, tenders).ok()
    }

    /// `view` mounted in a fresh element, with the UI in Japanese.
    fn mounted<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Option<HtmlElement> {
        let document = web_sys::window()?.document()?;
        let root: HtmlElement = document.create_element("div").ok()?.unchecked_into();
        document.body()?.append_child(&root).ok()?;
        leptos::mount::mount_to(root.clone(), move || {
            provide_context(RwSignal::new(Lang::JA));
            view()
        })
        .forget();
        Some(root)
    }

    fn text(root: &HtmlElement) -> String {
        root.text_content().unwrap_or_default()
    }

    #[wasm_bindgen_test]
    fn a_korean_receipt_keeps_the_japanese_legal_labels_and_links_its_e_receipt() {
        let key = akinai_core::ereceipt::device_receipt_key("bearer");
        let token = akinai_core::ereceipt::ReceiptToken::mint(DEVICE, &key, [7; 16]);
        let choice = ReceiptChoice { token: Some(token.clone()), lang: Some("ko".into()) };
        let sale = sale(180, choice).unwrap_or_else(|| panic!("a sale"));
        let root = mounted(move || view! { <ReceiptView sale paper_mm=80 /> })
            .unwrap_or_else(|| panic!("mounted"));
        let shown = text(&root);
        assert!(shown.contains("合計") && shown.contains("합계"), "{shown}");
        assert!(shown.contains("登録番号"), "{shown}");
        let figure = root.query_selector("figure.receipt-qr svg").ok().flatten();
        assert!(figure.is_some(), "the QR code is drawn");
        let url = root
            .query_selector("figure.receipt-qr")
            .ok()
            .flatten()
            .and_then(|f| f.get_attribute("data-url"))
            .unwrap_or_default();
        assert!(url.ends_with(&format!("/r/{token}")), "{url}");
        root.remove();
    }

    #[wasm_bindgen_test]
    fn a_receipt_of_a_register_on_its_own_has_no_qr_code() {
        let sale = sale(180, ReceiptChoice::default()).unwrap_or_else(|| panic!("a sale"));
        let root = mounted(move || view! { <ReceiptView sale paper_mm=58 /> })
            .unwrap_or_else(|| panic!("mounted"));
        assert!(root.query_selector("figure.receipt-qr").ok().flatten().is_none());
        assert!(root.query_selector(".receipt.paper-58").ok().flatten().is_some());
        assert!(!text(&root).contains("합계"), "Japanese by default");
        // A rate's tax in brackets on its row, as Japanese receipts always printed it.
        assert!(text(&root).contains("8%対象 ※¥180 (内消費税 ¥13)"), "{}", text(&root));
        root.remove();
    }

    #[wasm_bindgen_test]
    fn a_second_formal_receipt_says_reissue_and_keeps_its_stamp_box() {
        let sale = sale(62_000, ReceiptChoice::default()).unwrap_or_else(|| panic!("a sale"));
        let ctx = context(ReceiptChoice::default()).unwrap_or_else(|| panic!("a context"));
        let issue = |copy| FormalReceipt::issue(&ctx, &sale, "株式会社テスト", "", copy, None);
        let (first, second) = (issue(1), issue(2));
        let (first, second) =
            (first.unwrap_or_else(|e| panic!("{e}")), second.unwrap_or_else(|e| panic!("{e}")));
        let shown = |issue: FormalReceipt| {
            let sale = sale.clone();
            mounted(move || view! { <FormalReceiptView sale issue paper_mm=80 /> })
                .unwrap_or_else(|| panic!("mounted"))
        };
        let root = shown(first);
        let stamp = root.query_selector(".stamp-box").ok().flatten().and_then(|s| s.text_content());
        assert!(stamp.is_some_and(|s| s.contains("収入印紙") && s.contains("¥200")));
        assert!(text(&root).contains("株式会社テスト 様"));
        assert!(!text(&root).contains("再発行"));
        root.remove();
        let root = shown(second);
        assert!(text(&root).contains("再発行"));
        assert!(root.query_selector(".stamp-box").ok().flatten().is_some());
        root.remove();
    }
}
