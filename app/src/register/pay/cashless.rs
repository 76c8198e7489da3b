//! Tenders taken on the card terminal (card, e-money, transit IC), by the shop's printed QR
//! code, or with vouchers: the brand, the amount (what is left, unless typed), and for the
//! terminal's methods the card's last four digits and the approval number, both optional. No
//! field takes a card number: the domain refuses anything but exactly four digits.

use akinai_core::payment::{PaymentMethod, Tender, brands};
use akinai_core::{Field, Yen};
use akinai_i18n::Lang;
use leptos::prelude::*;

use super::Pay;
use crate::state::use_app;

/// What the pay screen calls a tender's field named in a refusal (`tenders[2].last4`).
fn label_of(field: &str) -> Option<&'static str> {
    match field.rsplit('.').next()? {
        "last4" => Some("pay-last4"),
        "approval" => Some("pay-approval"),
        "amount" => Some("pay-amount"),
        "brand" => Some("pay-brand"),
        "method" => Some("pay-kinds"),
        _ => None,
    }
}

/// A refusal of the domain in `lang`, naming the field by its label on the pay screen.
pub(crate) fn refusal(lang: Lang, err: &akinai_core::Error) -> String {
    let field = err.field().to_string();
    let Some(label) = label_of(&field).map(|id| lang.text(id)) else {
        return lang.error(err);
    };
    match err {
        // The domain's detail is for developers; the cashier is told what to type.
        akinai_core::Error::Invalid { .. } if field.ends_with("last4") => {
            format!("{label}: {}", lang.text("pay-last4-invalid"))
        }
        akinai_core::Error::Invalid { .. } if field.ends_with("approval") => {
            format!("{label}: {}", lang.text("pay-approval-invalid"))
        }
        _ => lang.error(err).replacen(&field, &label, 1),
    }
}

/// The tender the form describes, or what to tell the cashier. `index` is its place among the
/// sale's tenders (refusals name it), `remaining` what is left to pay: only vouchers may pay more.
fn tender(
    method: PaymentMethod,
    brand: Option<&str>,
    amount: &str,
    last4: &str,
    approval: &str,
    (index, remaining): (usize, Yen),
    lang: Lang,
) -> Result<Tender, String> {
    let field = |name: &str| Field::top(&format!("tenders[{index}].{name}"));
    let amount = Yen::parse_typed(amount, field("amount")).map_err(|e| refusal(lang, &e))?;
    let label = |id: &str, problem: &str| format!("{}: {}", lang.text(id), lang.text(problem));
    if amount.get() <= 0 {
        return Err(label("pay-amount", "pay-amount-zero"));
    }
    if method != PaymentMethod::Voucher && amount > remaining {
        return Err(label("pay-amount", "pay-over-remaining"));
    }
    let brand = brand.ok_or_else(|| label("pay-brand", "pay-brand-needed"))?;
    let typed = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let tender = Tender {
        brand: Some(brand.to_owned()),
        last4: typed(last4),
        approval: typed(approval),
        ..Tender::new(method, amount)
    };
    tender.check_shape(index).map_err(|e| refusal(lang, &e))?;
    Ok(tender)
}

/// The brand buttons of `method`, one of them chosen.
#[component]
pub(super) fn Brands(
    method: PaymentMethod,
    brand: RwSignal<Option<&'static str>>,
) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="brands" role="group" aria-label=move || app.t("pay-brand")>
            {brands(method).iter().map(|word| {
                let word: &'static str = word;
                let label = format!("brand-{word}");
                view! {
                    <button type="button" aria-pressed=move || (brand.get() == Some(word)).to_string()
                        on:click=move |_| brand.set(Some(word))>{move || app.t(&label)}</button>
                }
            }).collect_view()}
        </div>
    }
}

/// A labelled text input bound to `value`, for figures (`inputmode` numeric or text).
fn figure_input(label: &'static str, numeric: bool, value: RwSignal<String>) -> impl IntoView {
    let app = use_app();
    view! {
        <label class="field">
            <span>{move || app.t(label)}</span>
            <input type="text" autocomplete="off" inputmode=if numeric { "numeric" } else { "text" }
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// The amount of a tender, prefilled with what is left to pay.
pub(super) fn amount_input(pay: Pay) -> (RwSignal<String>, impl IntoView) {
    let amount = RwSignal::new(untrack(|| pay.remaining()).get().to_string());
    (amount, figure_input("pay-amount", true, amount))
}

/// A tender by `method`: brand, amount, and the terminal's figures; the printed QR code's is
/// added by confirming the customer's screen showed the payment done.
#[component]
pub(super) fn CashlessForm(pay: Pay, method: PaymentMethod) -> impl IntoView {
    let app = use_app();
    let only = brands(method);
    let brand = RwSignal::new(if only.len() == 1 { only.first().copied() } else { None });
    let (amount, amount_field) = amount_input(pay);
    let last4 = RwSignal::new(String::new());
    let approval = RwSignal::new(String::new());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let place = pay.checkout.with_untracked(|c| c.tenders.len());
        let taken = tender(
            method,
            brand.get_untracked(),
            &amount.get_untracked(),
            &last4.get_untracked(),
            &approval.get_untracked(),
            (place, untrack(|| pay.remaining())),
            app.lang.get_untracked(),
        );
        match taken {
            Ok(tender) => pay.take(app, tender),
            Err(problem) => pay.problem.set(Some(problem)),
        }
    };
    let confirm = if method == PaymentMethod::QrStatic { "pay-static-confirm" } else { "pay-add" };
    view! {
        <form class="cashless" on:submit=add>
            <Brands method brand />
            {amount_field}
            {method.on_terminal().then(|| view! {
                {figure_input("pay-last4", true, last4)}
                {figure_input("pay-approval", false, approval)}
            })}
            <button type="submit" class="primary">{move || app.t(confirm)}</button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use akinai_core::Yen;
    use akinai_core::payment::PaymentMethod;
    use akinai_i18n::Lang;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::tender;

    const LEFT: (usize, Yen) = (1, Yen::new(1000));

    #[wasm_bindgen_test]
    fn a_card_number_is_refused_naming_the_last_four_digits() {
        let refused = tender(
            PaymentMethod::Card,
            Some("visa"),
            "1000",
            "4111111111111111",
            "",
            LEFT,
            Lang::JA,
        );
        assert_eq!(refused.err().as_deref().map(|p| p.starts_with("下4桁: ")), Some(true));
        let refused =
            tender(PaymentMethod::Card, Some("visa"), "1000", "", "12-34", LEFT, Lang::JA);
        assert_eq!(refused.err().as_deref().map(|p| p.starts_with("承認番号: ")), Some(true));
    }

    #[wasm_bindgen_test]
    fn a_card_tender_keeps_its_figures_and_drops_empty_ones() {
        let card = tender(PaymentMethod::Card, Some("jcb"), "600", " 1234 ", "", LEFT, Lang::JA);
        let card = card.ok();
        assert_eq!(card.as_ref().and_then(|c| c.last4.as_deref()), Some("1234"));
        assert_eq!(card.as_ref().and_then(|c| c.approval.as_deref()), None);
        assert_eq!(card.map(|c| c.amount), Some(Yen::new(600)));
    }

    #[wasm_bindgen_test]
    fn only_vouchers_pay_more_than_is_left_and_a_brand_is_needed() {
        let over = |method| tender(method, Some("gift"), "1500", "", "", LEFT, Lang::JA);
        assert!(over(PaymentMethod::Voucher).is_ok());
        assert_eq!(
            tender(PaymentMethod::Card, Some("visa"), "1500", "", "", LEFT, Lang::JA)
                .err()
                .map(|p| p.starts_with("金額: ")),
            Some(true)
        );
        assert_eq!(
            tender(PaymentMethod::EMoney, None, "100", "", "", LEFT, Lang::JA)
                .err()
                .map(|p| p.starts_with("ブランド: ")),
            Some(true)
        );
        assert!(tender(PaymentMethod::Card, Some("visa"), "0", "", "", LEFT, Lang::JA).is_err());
    }
}
