//! The customer's receipt language, chosen at the pay screen with one tap: each language named
//! in its own script, so a customer can point at theirs. Japanese for every new sale.

use akinai_i18n::Lang;
use leptos::logging::warn;
use leptos::prelude::*;

use super::Pay;
use crate::state::use_app;

/// One button per language the app has texts for.
#[component]
pub(super) fn ReceiptLanguage(pay: Pay) -> impl IntoView {
    let app = use_app();
    let choose = move |lang: Lang| {
        // The texts come now, while the customer pays, so the receipt shows at once after.
        let loading = crate::language::ensure_loaded(lang);
        app.spawn(async move {
            pay.change(app, |c| c.choose_lang(lang)).await?;
            if let Err(err) = loading.await {
                warn!("the texts of {} could not be read: {err}", lang.tag());
            }
            Ok(())
        });
    };
    let button = move |lang: Lang| {
        let pressed = move || pay.checkout.with(|c| c.receipt_lang() == lang).to_string();
        view! {
            <button type="button" lang=lang.tag() aria-pressed=pressed on:click=move |_| choose(lang)>
                {lang.own_name()}
            </button>
        }
    };
    view! {
        <div class="receipt-language" role="group" aria-labelledby="receipt-language-label">
            <span id="receipt-language-label" class="label">{move || app.t("receipt-language")}</span>
            {Lang::all().iter().copied().map(button).collect_view()}
        </div>
    }
}
