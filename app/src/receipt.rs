//! The receipt: a qualified simplified invoice (適格簡易請求書) on screen and on 58 mm or 80 mm
//! thermal paper. Everything on it comes from the stored sale, computed by the domain crate.

use akinai_core::payment::{PaymentMethod, Tender, to_reconcile};
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::tax::Named;
use akinai_i18n::Lang;
use leptos::prelude::*;

use crate::state::{Screen, use_app};

/// A tender as the receipt names it: its method and brand (現金, カード VISA).
pub(crate) fn tender_name(lang: Lang, tender: &Tender) -> String {
    let method = lang.text(&format!("payment-{}", tender.method.word()));
    match &tender.brand {
        Some(brand) => format!("{method} {}", lang.text(&format!("brand-{brand}"))),
        None => method,
    }
}

/// What else a tender says: the card's last four digits (never more), the terminal's approval
/// number, and 要照合 for a payment nobody confirmed with the provider.
pub(crate) fn tender_details(lang: Lang, tender: &Tender) -> Vec<String> {
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

/// One receipt, as printed.
#[component]
pub fn ReceiptView(
    /// The sale or refund to show.
    sale: Sale,
    /// The paper roll's width in mm (58 or 80): the register's device setting; the owner's view
    /// shows the wider roll.
    paper_mm: u8,
) -> impl IntoView {
    let lang = crate::use_language().get_untracked();
    let t = |id: &str| lang.text(id);
    // The issuer as it was when this receipt was made.
    let shop = sale.shop.clone();
    let r = sale.receipt.clone();
    let refund_of = match &sale.kind {
        SaleKind::Refund { original_receipt_no, .. } => Some(*original_receipt_no),
        SaleKind::Sale => None,
    };
    let tax_included = r.pricing == akinai_core::tax::PricingMode::TaxIncluded;
    let tendered: akinai_core::Yen = sale.tenders.iter().map(|t| t.amount).sum();
    view! {
        <article class=format!("receipt paper-{paper_mm}") aria-label=t("receipt")>
            <header>
                <h3>{shop.name.clone()}</h3>
                <p>{shop.address.clone()}</p>
                <p>{format!("TEL {}", shop.phone)}</p>
                <p class="registration">
                    {format!("{} {}", t("registration-number"), shop.registration_number)}
                </p>
                <p class="kind">{t(if refund_of.is_some() { "receipt-refund" } else { "receipt-title" })}</p>
            </header>
            <p class="meta">
                <span>{sale.at.format("%Y-%m-%d %H:%M").to_string()}</span>
                <span>{format!("No. {:06}", sale.receipt_no)}</span>
                <span>{format!("{} {}", t("staff"), sale.staff)}</span>
            </p>
            {refund_of.map(|no| view! { <p class="refund-of">{lang.text_with("refund-of", &[("no", format!("{no:06}").into())])}</p> })}
            <p class="dining-mode">{t(match r.dining { akinai_core::tax::DiningMode::TakeOut => "take-out", akinai_core::tax::DiningMode::EatIn => "eat-in" })}</p>
            <table class="receipt-lines">
                <tbody>
                    {r.lines.iter().map(|line| view! {
                        <tr>
                            <td class="name">{line.name.clone()}{line.reduced.then_some(" ※")}{line.exempt.then(|| format!(" ({})", t("exempt-short")))}</td>
                            <td class="qty">{format!("{} × {}", line.unit_price, line.qty)}</td>
                            <td class="amount">{line.amount.to_string()}</td>
                        </tr>
                        {(line.discount.get() != 0).then(|| view! {
                            <tr class="line-off"><td colspan="2">{t("discount")}</td><td class="amount">{format!("−{}", line.discount.get().abs())}</td></tr>
                        })}
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="receipt-totals">
                <dt>{t("subtotal")}</dt><dd>{r.subtotal.to_string()}</dd>
                {(r.discount.get() != 0).then(|| view! { <dt>{t("receipt-discount")}</dt><dd>{format!("−{}", r.discount.get().abs())}</dd> })}
                {r.rates.iter().map(|rate| {
                    let target = lang.text_with("rate-target", &[("rate", rate.rate.into())]);
                    let tax_label = if tax_included { t("tax-included-in") } else { t("tax") };
                    view! {
                        <dt class="rate">{target}{rate.reduced.then_some(" ※")}</dt>
                        <dd class="rate">{format!("{} ({} {})", if tax_included { rate.gross } else { rate.net }, tax_label, rate.tax)}</dd>
                    }
                }).collect_view()}
                {(r.lines.iter().any(|l| l.exempt)).then(|| view! { <dt>{t("exempt")}</dt><dd>{r.exempt.to_string()}</dd> })}
                <dt class="total">{t("total")}</dt><dd class="total">{r.total.to_string()}</dd>
                <dt>{t("tax-total")}</dt><dd>{r.tax.to_string()}</dd>
                // Each tender, unless cash alone paid: that is just お預かり below.
                {(sale.tenders.len() > 1 || sale.tenders.iter().any(|t| t.method != PaymentMethod::Cash)).then(|| sale.tenders.iter().map(|tender| {
                    let details = tender_details(lang, tender).join(" ");
                    view! {
                        <dt class="tender">{tender_name(lang, tender)}</dt>
                        <dd class="tender">{tender.amount.to_string()}</dd>
                        {(!details.is_empty()).then(|| view! { <dd class="tender-details">{details}</dd> })}
                    }
                }).collect_view())}
                {(sale.excess.get() > 0).then(|| view! {
                    <dt class="excess">{t("pay-excess")}</dt><dd class="excess">{sale.excess.to_string()}</dd>
                })}
                {(refund_of.is_none()).then(|| view! {
                    <dt>{t("tendered")}</dt><dd>{tendered.to_string()}</dd>
                    <dt>{t("change")}</dt><dd>{sale.change.to_string()}</dd>
                })}
            </dl>
            {r.has_reduced().then(|| view! { <p class="reduced-note">{t("reduced-note")}</p> })}
            <footer>{shop.receipt_footer}</footer>
        </article>
    }
}

/// Opens the browser's print dialog (the receipt printer, with the print CSS for 58/80 mm).
pub fn print() {
    if let Some(window) = web_sys::window() {
        // Best effort: a device without a printer just shows the dialog.
        let _ = window.print();
    }
}

/// The receipt of the sale just completed (or reprinted), with print and next-sale buttons.
#[component]
pub fn ReceiptScreen() -> impl IntoView {
    let app = use_app();
    view! {
        <section class="panel receipt-screen" aria-labelledby="receipt-screen-title">
            <h2 id="receipt-screen-title" class="no-print">{move || app.t("receipt")}</h2>
            {move || app.receipt.get().map(|sale| view! { <ReceiptView sale paper_mm=app.paper_mm() /> })}
            <div class="no-print actions">
                <button type="button" on:click=move |_| print()>{move || app.t("print")}</button>
                <button type="button" class="primary" on:click=move |_| app.screen.set(Screen::Register)>
                    {move || app.t("next-sale")}
                </button>
            </div>
        </section>
    }
}
