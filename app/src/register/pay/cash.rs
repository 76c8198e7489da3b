//! Cash, the last tender: the amount handed over, quick buttons, and the change shown large.

use akinai_core::payment::Settle;
use leptos::prelude::*;

use super::Pay;
use crate::state::use_app;

/// The cash handed over: typed, or a quick button (exactly what is left, or a note).
#[component]
pub(super) fn CashForm(pay: Pay) -> impl IntoView {
    let app = use_app();
    let quick = move |label: String, amount: Option<i64>| {
        view! {
            <button type="button" on:click=move |_| {
                let value = amount.unwrap_or_else(|| pay.remaining().get());
                pay.tendered.set(value.to_string());
            }>{label}</button>
        }
    };
    view! {
        <label class="field">
            <span>{move || app.t("tendered")}</span>
            <input type="text" inputmode="numeric" prop:value=move || pay.tendered.get()
                on:input=move |ev| pay.tendered.set(event_target_value(&ev)) />
        </label>
        <div class="quick-tender" role="group" aria-label=move || app.t("quick-tender")>
            {move || quick(app.t("exact"), None)}
            {quick("¥1,000".into(), Some(1000))}
            {quick("¥5,000".into(), Some(5000))}
            {quick("¥10,000".into(), Some(10000))}
        </div>
    }
}

/// The change due, large, and what vouchers paid beyond the total (kept, no change).
#[component]
pub(super) fn Change(
    settle: impl Fn() -> Option<Settle> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    view! {
        <p class="change" role="status">
            <span>{move || app.t("change")}</span>
            <strong>{move || settle().map(|s| s.change.to_string()).unwrap_or_else(|| "—".into())}</strong>
        </p>
        {move || settle().filter(|s| s.excess.get() > 0).map(|s| view! {
            <p class="excess">{format!("{} {}", app.t("pay-excess"), s.excess)}</p>
        })}
    }
}
