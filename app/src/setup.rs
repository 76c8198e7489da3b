//! First run: the shop's name and registration number and the owner's PIN, so a shop can start
//! with no server at all. When the server that served the app has a shop profile and catalog
//! (the demo shop, or later the paired store), they fill the form in.

use akinai_core::catalog::Item;
use akinai_core::shop::{Pin, RegistrationNumber, Role, ShopSettings, Staff};
use akinai_core::tax::{PricingMode, Rounding};
use leptos::prelude::*;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::http::{Auth, get};
use crate::state::{Screen, use_app};

/// Random hex, for PIN salts.
pub fn random_salt() -> String {
    let mut bytes = [0u8; 16];
    bytes.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    hex::encode(bytes)
}

/// The first-run form.
#[component]
pub fn Setup() -> impl IntoView {
    let app = use_app();
    let t = move |id: &'static str| move || app.t(id);
    let name = RwSignal::new(String::new());
    let registration = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let pin_again = RwSignal::new(String::new());
    let server_shop: RwSignal<Option<ShopSettings>> = RwSignal::new(None);
    let server_items: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);

    // Offer what the server knows; without a server the form simply starts empty.
    leptos::task::spawn_local(async move {
        if let Ok(shop) = get::<ShopSettings>(Auth::Browser, "/shop").await {
            name.set(shop.name.clone());
            registration.set(shop.registration_number.to_string());
            address.set(shop.address.clone());
            phone.set(shop.phone.clone());
            server_shop.set(Some(shop));
            if let Ok(items) = get::<Vec<Item>>(Auth::Browser, "/catalog").await {
                server_items.set(items);
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = app.lang.get_untracked();
        let checked = (|| -> Result<(ShopSettings, Staff)> {
            let registration_number = RegistrationNumber::parse(&registration.get_untracked())?;
            let pin_value = Pin::parse(&pin.get_untracked())?;
            if pin.get_untracked() != pin_again.get_untracked() {
                return Err(Error::Domain(akinai_core::Error::InvalidPin {
                    field: akinai_core::Field::top("pin_again"),
                }));
            }
            let base = server_shop.get_untracked();
            let shop = ShopSettings {
                name: name.get_untracked().trim().to_owned(),
                address: address.get_untracked(),
                phone: phone.get_untracked(),
                registration_number,
                pricing: base.as_ref().map_or(PricingMode::default(), |s| s.pricing),
                rounding: base.as_ref().map_or(Rounding::default(), |s| s.rounding),
                receipt_footer: base.map(|s| s.receipt_footer).unwrap_or_default(),
            };
            let owner_name = owner.get_untracked().trim().to_owned();
            let staff =
                Staff::new(Uuid::now_v7(), &owner_name, Role::Owner, &pin_value, &random_salt());
            Ok((shop, staff))
        })();
        let (shop, staff) = match checked {
            Ok(values) => values,
            Err(err) => return problem.set(Some(err.message(lang))),
        };
        if shop.name.is_empty() || staff.name.is_empty() {
            return problem.set(Some(lang.text("setup-names-needed")));
        }
        let items = server_items.get_untracked();
        app.spawn(async move {
            app.storage()?.set_up(&shop, std::slice::from_ref(&staff), &items).await?;
            app.catalog.set(items);
            app.staff.set(vec![staff]);
            app.shop.set(Some(shop));
            app.cart.set(app.fresh_cart());
            app.screen.set(Screen::SignIn);
            Ok(())
        });
    };

    let field = move |label: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      auto: &'static str| {
        view! {
            <label class="field">
                <span>{t(label)}</span>
                <input
                    type=kind
                    autocomplete=auto
                    inputmode=if kind == "password" { "numeric" } else { "text" }
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                />
            </label>
        }
    };

    view! {
        <section class="panel setup">
            <crate::pairing::PairForm />
        </section>
        <section class="panel setup" aria-labelledby="setup-title">
            <h2 id="setup-title">{t("setup-title")}</h2>
            <p>{t("setup-intro")}</p>
            <Show when=move || server_shop.with(Option::is_some)>
                <p class="notice" role="status">
                    {move || app.lang.get().text_with(
                        "setup-from-server",
                        &[("count", server_items.with(Vec::len).into())],
                    )}
                </p>
            </Show>
            <form on:submit=submit>
                {field("shop-name", name, "text", "organization")}
                {field("registration-number", registration, "text", "off")}
                {field("shop-address", address, "text", "street-address")}
                {field("shop-phone", phone, "tel", "tel")}
                {field("owner-name", owner, "text", "name")}
                {field("owner-pin", pin, "password", "new-password")}
                {field("owner-pin-again", pin_again, "password", "new-password")}
                <Show when=move || problem.with(Option::is_some)>
                    <p class="error" role="alert">{move || problem.get()}</p>
                </Show>
                <button type="submit" class="primary">{t("setup-start")}</button>
            </form>
        </section>
    }
}
