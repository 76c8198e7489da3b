//! The formal 領収書, issued from a sale at the register or later from history: the cashier
//! types the customer's name (宛名; none prints 上様) and what it was for (但し書き). Each issue
//! is a record of its own, stored and synced like a sale; the second and later say 再発行. The
//! stamp box and the card statement come from the domain's rule, fixed at issue.

use akinai_core::formal::{DEFAULT_PURPOSE, FormalReceipt, MAX_ADDRESSEE_CHARS, MAX_PURPOSE_CHARS};
use akinai_core::sale::Sale;
use leptos::prelude::*;

use crate::error::{Error, Result};
use crate::state::{AppState, use_app};

/// Issues the next copy of `sale`'s 領収書 and shows it.
async fn issue(app: AppState, sale: Sale, addressee: String, purpose: String) -> Result<()> {
    let ctx = app.sale_context().ok_or(Error::NoShift)?;
    let earlier = app.storage()?.formal_receipts_of(sale.id).await?;
    let copy = u32::try_from(earlier.len()).unwrap_or(u32::MAX).saturating_add(1);
    let lang = sale.receipt_lang.clone();
    let formal = FormalReceipt::issue(&ctx, &sale, &addressee, &purpose, copy, lang)?;
    app.commit_formal(sale, formal).await
}

/// The button that issues a 領収書 for `sale`, and its form (none for a refund).
#[component]
pub fn FormalButton(
    /// The sale the 領収書 is for.
    sale: Sale,
) -> impl IntoView {
    let app = use_app();
    let open = RwSignal::new(false);
    let addressee = RwSignal::new(String::new());
    let purpose = RwSignal::new(DEFAULT_PURPOSE.to_owned());
    let busy = RwSignal::new(false);
    let sale = StoredValue::new(sale);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        app.spawn(async move {
            let issued =
                issue(app, sale.get_value(), addressee.get_untracked(), purpose.get_untracked())
                    .await;
            busy.try_set(false);
            if issued.is_ok() {
                open.try_set(false);
            }
            issued
        });
    };
    let refund = sale.with_value(Sale::is_refund);
    (!refund).then(|| {
        view! {
            <button type="button" class="no-print" on:click=move |_| open.set(true)>{move || app.t("formal-issue")}</button>
            <Show when=move || open.get()>
                <div class="formal-dialog no-print" role="dialog" aria-modal="true" aria-labelledby="formal-dialog-title">
                    <form on:submit=submit>
                        <h3 id="formal-dialog-title">{move || app.t("formal-issue")}</h3>
                        <label class="field">
                            <span>{move || app.t("formal-addressee-field")}</span>
                            <input type="text" autocomplete="organization" maxlength=MAX_ADDRESSEE_CHARS
                                placeholder=akinai_i18n::Lang::JA.text("formal-addressee-default")
                                prop:value=move || addressee.get()
                                on:input=move |ev| addressee.set(event_target_value(&ev)) />
                        </label>
                        <label class="field">
                            <span>{move || app.t("formal-purpose-field")}</span>
                            <input type="text" maxlength=MAX_PURPOSE_CHARS
                                prop:value=move || purpose.get()
                                on:input=move |ev| purpose.set(event_target_value(&ev)) />
                        </label>
                        <div class="actions">
                            <button type="button" on:click=move |_| open.set(false)>{move || app.t("cancel")}</button>
                            <button type="submit" class="primary" disabled=move || busy.get()>{move || app.t("formal-submit")}</button>
                        </div>
                    </form>
                </div>
            </Show>
        }
    })
}
