//! Pairing a tablet with the owner's store, and what the cashier sees of sync: a badge in the
//! top bar (synced / N waiting / offline since / last error) and, in the settings, the store
//! it is paired with and any records the server refused.

use akinai_core::sync::Rejection;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::device::sync::{code_from, code_in_location};
use crate::state::use_app;

/// Tokyo wall-clock time of `at`, as the shop reads it.
fn clock(at: DateTime<Utc>) -> String {
    at.with_timezone(&akinai_core::TOKYO).format("%H:%M").to_string()
}

/// The top bar's sync state, in one line: a live region, so a change is read out.
#[component]
pub fn SyncBadge() -> impl IntoView {
    let app = use_app();
    let text = move || {
        let lang = app.lang.get();
        let waiting = app.outbox.get();
        let waiting_text = lang.text_with("outbox-waiting", &[("count", waiting.into())]);
        if app.link.with(Option::is_none) {
            // Nothing to sync with yet: "synced" would not be true.
            return if waiting == 0 { lang.text("sync-standalone") } else { waiting_text };
        }
        app.sync.with(|s| {
            let trouble = match (&s.error, s.offline_since) {
                (Some(crate::error::Error::Network(_)), Some(since)) => {
                    Some(lang.text_with("sync-offline-since", &[("time", clock(since).into())]))
                }
                (Some(error), _) => Some(error.message(lang)),
                (None, _) => None,
            };
            match (trouble, waiting, s.last_ok) {
                // Nothing waits, but the last round failed: the store's changes may not have
                // arrived, so not "synced".
                (Some(trouble), 0, _) => trouble,
                (Some(trouble), _, _) => format!("{trouble} · {waiting_text}"),
                (None, 0, Some(at)) => {
                    lang.text_with("sync-synced-at", &[("time", clock(at).into())])
                }
                (None, _, _) => waiting_text,
            }
        })
    };
    view! { <span class="sync-state" role="status">{text}</span> }
}

/// The form that pairs this tablet: the owner's code, typed or scanned from the QR code.
#[component]
pub fn PairForm() -> impl IntoView {
    let app = use_app();
    let t = move |id: &'static str| move || app.t(id);
    let code = RwSignal::new(code_in_location().unwrap_or_default());
    let name = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = app.pair(&code.get_untracked(), &name.get_untracked()).await;
            busy.set(false);
            match result {
                Ok(()) => app.error.set(None),
                Err(err) => app.fail(err),
            }
        });
    };
    view! {
        <form class="pair-form" on:submit=submit aria-labelledby="pair-title">
            <h2 id="pair-title">{t("pair-title")}</h2>
            <p>{t("pair-intro")}</p>
            <label class="field">
                <span>{t("pair-code")}</span>
                <input type="text" autocomplete="off" autocapitalize="characters"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev)) />
            </label>
            <crate::register::scanner::CameraScan on_code=Callback::new(move |text: String| code.set(code_from(&text))) />
            <label class="field">
                <span>{t("pair-device-name")}</span>
                <input type="text" autocomplete="off"
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="primary" disabled=move || busy.get()>{t("pair-submit")}</button>
        </form>
    }
}

/// The settings' sync section: pair, or the pairing's state and refused records.
#[component]
pub fn SyncPanel() -> impl IntoView {
    let app = use_app();
    let t = move |id: &'static str| move || app.t(id);
    let reason = move |rejection: &Rejection| {
        let id = match rejection {
            Rejection::HashMismatch => "refused-hash",
            Rejection::WrongDevice => "refused-device",
            Rejection::TotalsMismatch => "refused-totals",
            // What the domain refused, in the cashier's language.
            Rejection::Invalid { code, field } => {
                let lang = app.lang.get();
                return format!(
                    "{}: {}",
                    lang.text("refused-invalid"),
                    lang.refusal(*code, Some(field))
                );
            }
            Rejection::UnknownOriginal => "refused-original",
            Rejection::SeqTaken => "refused-seq",
        };
        app.t(id)
    };
    view! {
        <section class="sync-panel" aria-labelledby="sync-title">
            // A revoked tablet pairs again with a new code from the owner.
            <Show when=move || app.sync.with(|s| s.error == Some(crate::error::Error::Unpaired))>
                <PairForm />
            </Show>
            <Show when=move || app.link.with(Option::is_some) fallback=|| view! { <PairForm /> }>
                <h2 id="sync-title">{t("sync-title")}</h2>
                <p><SyncBadge /></p>
                <button type="button" on:click=move |_| app.sync_trigger.kick()>{t("sync-now")}</button>
                <Show when=move || app.sync.with(|s| !s.refused.is_empty())>
                    <h3>{t("sync-refused")}</h3>
                    <ul class="refused">
                        {move || app.sync.with(|s| s.refused.iter().map(|r| {
                            view! { <li>{format!("#{} {}", r.seq, reason(&r.rejection))}</li> }
                        }).collect_view())}
                    </ul>
                </Show>
            </Show>
        </section>
    }
}
