//! Paying for the cart: today cash (tendered amount, quick buttons, change shown large); the
//! cashless methods join here.

use akinai_core::payment::{PaymentMethod, Tender, change_due};
use akinai_core::receipt::Receipt;
use akinai_core::sale::Sale;
use akinai_core::{Field, Yen};
use leptos::prelude::*;

use crate::state::use_app;

/// Cash payment: tendered amount, quick buttons, change shown large.
#[component]
pub(super) fn PayPanel(
    receipt: Memo<akinai_core::Result<Receipt>>,
    paying: RwSignal<bool>,
) -> impl IntoView {
    let app = use_app();
    let tendered = RwSignal::new(String::new());
    let total = move || receipt.with(|r| r.as_ref().map(|r| r.total).unwrap_or_default());
    let tendered_yen = move || Yen::parse_typed(&tendered.get(), Field::top("tendered")).ok();
    let cash = |amount| vec![Tender::new(PaymentMethod::Cash, amount)];
    let change =
        move || tendered_yen().and_then(|t| change_due(total(), &cash(t)).ok().map(|s| s.change));
    let busy = RwSignal::new(false);
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(amount) = tendered_yen() else { return };
        let Some(ctx) = app.sale_context() else {
            return app.fail(crate::error::Error::NoShift);
        };
        match Sale::ring_up(ctx, app.cart.get_untracked(), cash(amount)) {
            Err(err) => app.fail(err),
            Ok(sale) => {
                busy.set(true);
                app.spawn(async move {
                    let result = app.commit(sale).await;
                    busy.set(false);
                    result?;
                    app.cart.set(app.fresh_cart());
                    paying.set(false);
                    Ok(())
                });
            }
        }
    };
    let quick = move |label: String, amount: Option<i64>| {
        view! {
            <button type="button" on:click=move |_| {
                let value = amount.unwrap_or_else(|| total().get());
                tendered.set(value.to_string());
            }>{label}</button>
        }
    };
    view! {
        <form class="pay-panel" on:submit=complete>
            <p class="due">
                <span>{move || app.t("due")}</span>
                <strong aria-label=move || app.t("due")>{move || total().to_string()}</strong>
            </p>
            <label class="field">
                <span>{move || app.t("tendered")}</span>
                <input type="text" inputmode="numeric" prop:value=move || tendered.get()
                    on:input=move |ev| tendered.set(event_target_value(&ev)) />
            </label>
            <div class="quick-tender" role="group" aria-label=move || app.t("quick-tender")>
                {move || quick(app.t("exact"), None)}
                {quick("¥1,000".into(), Some(1000))}
                {quick("¥5,000".into(), Some(5000))}
                {quick("¥10,000".into(), Some(10000))}
            </div>
            <p class="change" role="status">
                <span>{move || app.t("change")}</span>
                <strong>{move || change().map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</strong>
            </p>
            <div class="pay-actions">
                <button type="button" on:click=move |_| paying.set(false)>{move || app.t("back")}</button>
                <button type="submit" class="primary" disabled=move || change().is_none() || busy.get()>
                    {move || app.t("complete-sale")}
                </button>
            </div>
        </form>
    }
}
