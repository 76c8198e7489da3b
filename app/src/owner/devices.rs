//! A store's devices: pair a new tablet with a one-time code (typed, or scanned from the QR),
//! see how fresh each device's data is (last sync, waiting, sequence gaps, rejected records),
//! rename one, or revoke a lost one.

use akinai_core::api::{DeviceStatus, PairingCode, Rename};
use chrono::Utc;
use gloo_net::http::Method;
use leptos::prelude::*;
use uuid::Uuid;

use super::use_owner;
use crate::http::{self, Auth};

/// Sequence gaps as `3–5, 9`.
fn gaps_text(gaps: &[(u64, u64)]) -> String {
    let parts: Vec<String> = gaps
        .iter()
        .map(|(from, to)| if from == to { from.to_string() } else { format!("{from}–{to}") })
        .collect();
    parts.join(", ")
}

/// Pairing and the device list of a store.
#[component]
pub fn Devices(
    /// The store.
    store: Uuid,
) -> impl IntoView {
    let owner = use_owner();
    let changed = RwSignal::new(0u32);
    let devices = LocalResource::new(move || {
        changed.track();
        owner.live.track();
        async move {
            owner
                .fetch::<Vec<DeviceStatus>>(&format!("/stores/{store}/devices"))
                .await
                .unwrap_or_default()
        }
    });
    let pairing = RwSignal::new(None::<PairingCode>);
    let pair = move |_| {
        owner.spawn(async move {
            let code = http::post(Auth::Browser, &format!("/stores/{store}/pairings")).await?;
            pairing.set(Some(code));
            Ok(())
        });
    };
    view! {
        <div class="devices" aria-labelledby="devices-title">
            <h3 id="devices-title">{owner.tr("owner-devices")}</h3>
            <button type="button" class="primary wide" on:click=pair>{owner.tr("owner-pair")}</button>
            {move || pairing.get().map(|code| view! { <Pairing code on_done=move || { pairing.set(None); changed.update(|n| *n += 1); } /> })}
            <ul class="device-list">
                {move || devices.get().unwrap_or_default().into_iter().map(|device| {
                    view! { <DeviceRow device on_change=move || changed.update(|n| *n += 1) /> }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// A code on screen for a tablet to take: big text, its QR, and the time left.
#[component]
fn Pairing(code: PairingCode, on_done: impl Fn() + Send + Sync + Copy + 'static) -> impl IntoView {
    let owner = use_owner();
    let now = RwSignal::new(Utc::now());
    // The countdown ticks once a second for as long as the code is on screen.
    if let Ok(handle) =
        set_interval_with_handle(move || now.set(Utc::now()), std::time::Duration::from_secs(1))
    {
        on_cleanup(move || handle.clear());
    }
    let expires = code.expires_at;
    let left = move || (expires - now.get()).num_seconds().max(0);
    let until = expires.with_timezone(&akinai_core::TOKYO).format("%H:%M").to_string();
    view! {
        <div class="pairing" role="group" aria-labelledby="pairing-title">
            <h4 id="pairing-title">{owner.tr("owner-pair-title")}</h4>
            <p class="pair-code">
                <span class="visually-hidden">{owner.tr("owner-pair-code")}</span>
                <strong class="code">{code.code.clone()}</strong>
            </p>
            <div class="qr" role="img" aria-label=owner.tr("owner-pair-qr") inner_html=code.qr_svg.clone()></div>
            // Not a live region: a countdown read out every second would drown a screen reader.
            <p class="expiry">
                {move || if left() > 0 {
                    let left = format!("{}:{:02}", left() / 60, left() % 60);
                    owner.text("owner-pair-expires", &[("time", until.clone()), ("left", left)])
                } else {
                    owner.t("owner-pair-expired")
                }}
            </p>
            <p class="hint">{owner.tr("owner-pair-hint")}</p>
            <button type="button" on:click=move |_| on_done()>{owner.tr("owner-pair-done")}</button>
        </div>
    }
}

/// One device: its freshness, a rename form, and revoke with a confirmation.
#[component]
fn DeviceRow(
    device: DeviceStatus,
    on_change: impl Fn() + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let owner = use_owner();
    let id = device.id;
    let name = RwSignal::new(device.name.clone());
    let confirming = RwSignal::new(false);
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Rename { name: name.get_untracked().trim().to_owned() };
        owner.spawn(async move {
            let _: DeviceStatus =
                http::call(Auth::Browser, Method::PATCH, &format!("/devices/{id}"), &body).await?;
            on_change();
            Ok(())
        });
    };
    let revoke = move |_| {
        owner.spawn(async move {
            http::act(Auth::Browser, Method::DELETE, &format!("/devices/{id}")).await?;
            confirming.set(false);
            on_change();
            Ok(())
        });
    };
    let d = device.clone();
    let revoked = d.revoked_at.is_some();
    let last_sync = d
        .last_sync_at
        .map(|at| at.with_timezone(&akinai_core::TOKYO).format("%Y-%m-%d %H:%M").to_string());
    let gaps = gaps_text(&d.gaps);
    let (gaps_warn, rejected_warn) = (!d.gaps.is_empty(), d.rejected > 0);
    let title = device.name.clone();
    view! {
        <li class="device" class:revoked=revoked>
            <h4>{title.clone()}</h4>
            <dl>
                <dt>{owner.tr("owner-last-sync")}</dt>
                <dd>{move || last_sync.clone().unwrap_or_else(|| owner.t("owner-never"))}</dd>
                <dt>{owner.tr("owner-waiting")}</dt><dd>{d.waiting.to_string()}</dd>
                <dt>{owner.tr("owner-last-seq")}</dt><dd>{d.last_seq.to_string()}</dd>
                <dt>{owner.tr("owner-gaps")}</dt>
                <dd class:warn=gaps_warn>{move || if gaps.is_empty() { owner.t("owner-none") } else { gaps.clone() }}</dd>
                <dt>{owner.tr("owner-rejected")}</dt><dd class:warn=rejected_warn>{d.rejected.to_string()}</dd>
            </dl>
            {if revoked {
                view! { <p class="revoked-note">{owner.tr("owner-revoked")}</p> }.into_any()
            } else {
                view! {
                    <form class="rename" on:submit=rename>
                        {crate::fields::text_field(owner.lang, "owner-device-name", name)}
                        <button type="submit">{owner.tr("owner-rename")}</button>
                    </form>
                    <Show when=move || confirming.get() fallback=move || view! {
                        <button type="button" class="danger" on:click=move |_| confirming.set(true)>{owner.tr("owner-revoke")}</button>
                    }>
                        <div class="confirm" role="alertdialog" aria-labelledby=format!("revoke-{id}")>
                            <p id=format!("revoke-{id}")>{
                                let title = title.clone();
                                move || owner.text("owner-revoke-confirm", &[("name", title.clone())])
                            }</p>
                            <button type="button" class="danger" on:click=revoke>{owner.tr("owner-revoke")}</button>
                            <button type="button" on:click=move |_| confirming.set(false)>{owner.tr("cancel")}</button>
                        </div>
                    </Show>
                }.into_any()
            }}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::gaps_text;

    #[wasm_bindgen_test]
    fn gaps_read_as_ranges() {
        assert_eq!(gaps_text(&[]), "");
        assert_eq!(gaps_text(&[(3, 5), (9, 9)]), "3–5, 9");
    }
}
