//! The shop's settings form, with the device's own preferences.

use akinai_core::sync::Record;
use leptos::prelude::*;

use crate::device::keys;
use crate::device::storage::stores;
use crate::fields::ShopFields;
use crate::state::use_app;

/// The shop's settings and this device's paper width and lock time.
#[component]
pub(super) fn ShopForm() -> impl IntoView {
    let app = use_app();
    let fields = ShopFields::new(app.shop.get_untracked().as_ref());
    let paper = RwSignal::new(app.paper_mm());
    let lock =
        RwSignal::new(app.device.with_untracked(|d| d.as_ref().map_or(5, |d| d.lock_minutes)));
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let settings = match fields.settings() {
            Ok(settings) => settings,
            Err(err) => return app.fail(err),
        };
        let device = app.device.get_untracked().map(|mut d| {
            d.paper_mm = paper.get_untracked();
            d.lock_minutes = lock.get_untracked();
            d
        });
        app.spawn(async move {
            if let Some(device) = &device {
                app.storage()?.set(stores::SETTINGS, keys::DEVICE, device).await?;
            }
            app.edit(vec![Record::Shop(Box::new(settings))]).await?;
            app.device.set(device);
            saved.set(true);
            Ok(())
        });
    };
    view! {
        <form class="shop-form" on:submit=save aria-labelledby="shop-form-title">
            <h2 id="shop-form-title">{move || app.t("settings-shop")}</h2>
            {move || if app.link.with(Option::is_some) {
                fields.issuer_summary(app.lang).into_any()
            } else {
                fields.identity_view(app.lang).into_any()
            }}
            {fields.rules_view(app.lang)}
            <label class="field">
                <span>{move || app.t("paper-width")}</span>
                <select on:change=move |ev| paper.set(if event_target_value(&ev) == "58" { 58 } else { 80 })>
                    <option value="80" selected=move || paper.get() == 80>"80 mm"</option>
                    <option value="58" selected=move || paper.get() == 58>"58 mm"</option>
                </select>
            </label>
            <label class="field">
                <span>{move || app.t("lock-minutes")}</span>
                <select on:change=move |ev| lock.set(event_target_value(&ev).parse().unwrap_or(5))>
                    {[1u32, 2, 5, 10, 30].into_iter().map(|m| view! {
                        <option value=m.to_string() selected=move || lock.get() == m>
                            {move || app.lang.get().text_with("minutes", &[("n", m.into())])}
                        </option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="primary">{move || app.t("save")}</button>
            <Show when=move || saved.get()><p role="status">{move || app.t("saved")}</p></Show>
        </form>
    }
}
