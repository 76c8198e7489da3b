//! First run: the shop's name and registration number and the owner's PIN, so a shop can start
//! with no server at all. When the server that served the app has a shop profile and catalog
//! (the demo shop, or later the paired store), they fill the form in, and a demo server also
//! offers to pair the tablet with its demo store.

use akinai_core::api::DemoPairingCode;
use akinai_core::catalog::Item;
use akinai_core::shop::ShopSettings;
use akinai_core::staff::{Pin, Role, Staff};
use leptos::prelude::*;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::fields::{ShopFields, input_field, pin_field, random_salt};
use crate::http::{Auth, get, post};
use crate::state::{Screen, use_app};

/// The first-run form.
#[component]
pub fn Setup() -> impl IntoView {
    let app = use_app();
    let t = move |id: &'static str| move || app.t(id);
    let fields = ShopFields::new(None);
    let owner = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let pin_again = RwSignal::new(String::new());
    let from_server = RwSignal::new(false);
    let server_items: RwSignal<Vec<Item>> = RwSignal::new(Vec::new());
    let problem: RwSignal<Option<String>> = RwSignal::new(None);

    // Offer what the server knows; without a server the form simply starts empty.
    leptos::task::spawn_local(async move {
        if let Ok(shop) = get::<ShopSettings>(Auth::Browser, "/shop").await {
            fields.fill(&shop);
            from_server.set(true);
            if let Ok(items) = get::<Vec<Item>>(Auth::Browser, "/catalog").await {
                server_items.set(items);
            }
        }
    });

    let pairing_demo = RwSignal::new(false);
    let pair_demo = move |_| {
        if pairing_demo.get_untracked() {
            return;
        }
        pairing_demo.set(true);
        leptos::task::spawn_local(async move {
            let result = async {
                let code = post::<DemoPairingCode>(Auth::Browser, "/demo/pairing").await?;
                app.pair(&code.code, &app.t("setup-demo-device")).await
            }
            .await;
            pairing_demo.set(false);
            match result {
                Ok(()) => app.error.set(None),
                Err(err) => app.fail(err),
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = app.lang.get_untracked();
        let checked = (|| -> Result<(ShopSettings, Staff)> {
            let shop = fields.settings()?;
            let pin_value = Pin::parse(&pin.get_untracked())?;
            if pin.get_untracked() != pin_again.get_untracked() {
                return Err(Error::Domain(akinai_core::Error::InvalidPin {
                    field: akinai_core::Field::top("pin_again"),
                }));
            }
            let owner_name = owner.get_untracked().trim().to_owned();
            let staff =
                Staff::new(Uuid::now_v7(), &owner_name, Role::Owner, &pin_value, &random_salt()?)?;
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

    view! {
        <Show when=move || from_server.get()>
            <section class="panel setup" aria-labelledby="setup-demo-title">
                <h2 id="setup-demo-title">{t("setup-demo-title")}</h2>
                <p>{t("setup-demo-intro")}</p>
                <button type="button" class="primary" on:click=pair_demo
                    disabled=move || pairing_demo.get()>{t("setup-demo-pair")}</button>
            </section>
        </Show>
        <section class="panel setup">
            <crate::pairing::PairForm />
        </section>
        <section class="panel setup" aria-labelledby="setup-title">
            <h2 id="setup-title">{t("setup-title")}</h2>
            <p>{t("setup-intro")}</p>
            <Show when=move || from_server.get()>
                <p class="notice" role="status">
                    {move || app.lang.get().text_with(
                        "setup-from-server",
                        &[("count", server_items.with(Vec::len).into())],
                    )}
                </p>
            </Show>
            <form on:submit=submit>
                {fields.identity_view(app.lang)}
                {input_field(app.lang, "owner-name", "text", "name", owner)}
                {pin_field(app.lang, "owner-pin", pin)}
                {pin_field(app.lang, "owner-pin-again", pin_again)}
                <Show when=move || problem.with(Option::is_some)>
                    <p class="error" role="alert">{move || problem.get()}</p>
                </Show>
                <button type="submit" class="primary">{t("setup-start")}</button>
            </form>
        </section>
    }
}
