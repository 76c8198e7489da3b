//! The owner's stores: a new store, and each store's settings, staff (with their PINs), catalog
//! (CSV in and out) and devices. Every change goes to the server, which moves the store's
//! version on so its registers pull it.

use akinai_core::api::{Imported, NewStaff, StaffMember, Store};
use akinai_core::catalog::Item;
use akinai_core::shop::ShopSettings;
use akinai_core::staff::Role;
use akinai_core::tax::Named;
use gloo_net::http::Method;
use leptos::prelude::*;
use uuid::Uuid;

use super::{Page, use_owner};
use crate::error::{Error, Result};
use crate::fields::{ShopFields, input_field, read_file, text_field, word_select};
use crate::http::{self, Auth};

/// The owner's stores, and a form for a new one.
#[component]
pub fn Stores() -> impl IntoView {
    let owner = use_owner();
    let stores = LocalResource::new(move || async move {
        owner.fetch::<Vec<Store>>("/stores").await.unwrap_or_default()
    });
    let fields = ShopFields::new(None);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let settings = match fields.settings() {
            Ok(settings) => settings,
            Err(err) => return owner.fail(err),
        };
        owner.spawn(async move {
            let store: Store =
                http::call(Auth::Browser, Method::POST, "/stores", &settings).await?;
            owner.go(Page::Store(store.id));
            Ok(())
        });
    };
    view! {
        <section class="panel stores" aria-labelledby="stores-title">
            <h2 id="stores-title">{owner.tr("owner-stores")}</h2>
            <div class="export">
                <a class="button wide" href=format!("{}/export?format=zip", http::BASE) download="akinai-export.zip">
                    {owner.tr("owner-export")}
                </a>
                <p class="hint">{owner.tr("owner-export-hint")}</p>
            </div>
            <Transition fallback=super::loading>
                <ul class="store-list">
                    {move || stores.get().unwrap_or_default().into_iter().map(|store| {
                        let id = store.id;
                        view! {
                            <li><button type="button" class="row" on:click=move |_| owner.go(Page::Store(id))>
                                <span>{store.settings.name}</span>
                                <span>{store.settings.address}</span>
                            </button></li>
                        }
                    }).collect_view()}
                </ul>
            </Transition>
            <form class="store-form" on:submit=create aria-labelledby="new-store-title">
                <h3 id="new-store-title">{owner.tr("owner-new-store")}</h3>
                {fields.view(owner.lang)}
                <button type="submit" class="primary wide">{owner.tr("owner-create-store")}</button>
            </form>
        </section>
    }
}

/// One store: settings, staff, catalog, devices.
#[component]
pub fn StoreScreen(
    /// The store's id.
    id: Uuid,
) -> impl IntoView {
    let owner = use_owner();
    let store =
        LocalResource::new(
            move || async move { owner.fetch::<Store>(&format!("/stores/{id}")).await },
        );
    view! {
        <section class="panel store" aria-labelledby="store-title">
            <button type="button" class="back" on:click=move |_| owner.go(Page::Stores)>
                {owner.tr("owner-stores")}
            </button>
            <h2 id="store-title">{move || store.get().flatten().map(|s| s.settings.name)}</h2>
            <button type="button" class="wide" on:click=move |_| owner.go(Page::Figures(Some(id)))>
                {owner.tr("owner-figures")}
            </button>
            <button type="button" class="wide" on:click=move |_| owner.go(Page::Payments(id))>
                {owner.tr("owner-payment-settings")}
            </button>
            <super::devices::Devices store=id />
            <StaffEditor store=id />
            <Catalog store=id />
            <Transition fallback=|| ()>
                {move || store.get().flatten().map(|s| view! { <SettingsForm store=id settings=s.settings /> })}
            </Transition>
        </section>
    }
}

/// A store's settings.
#[component]
fn SettingsForm(store: Uuid, settings: ShopSettings) -> impl IntoView {
    let owner = use_owner();
    let fields = ShopFields::new(Some(&settings));
    let saved = RwSignal::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let settings = match fields.settings() {
            Ok(settings) => settings,
            Err(err) => return owner.fail(err),
        };
        owner.spawn(async move {
            let _: Store =
                http::call(Auth::Browser, Method::PUT, &format!("/stores/{store}"), &settings)
                    .await?;
            saved.set(true);
            Ok(())
        });
    };
    view! {
        <form class="store-form" on:submit=save aria-labelledby="store-settings-title">
            <h3 id="store-settings-title">{owner.tr("settings-shop")}</h3>
            {fields.view(owner.lang)}
            <button type="submit" class="primary wide">{owner.tr("save")}</button>
            <Show when=move || saved.get()><p role="status">{owner.tr("saved")}</p></Show>
        </form>
    }
}

/// A store's staff: list, remove, add with a PIN.
#[component]
fn StaffEditor(store: Uuid) -> impl IntoView {
    let owner = use_owner();
    let changed = RwSignal::new(0u32);
    let staff = LocalResource::new(move || {
        changed.track();
        async move {
            owner
                .fetch::<Vec<StaffMember>>(&format!("/stores/{store}/staff"))
                .await
                .unwrap_or_default()
        }
    });
    let name = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Cashier);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let person = NewStaff {
            name: name.get_untracked().trim().to_owned(),
            role: role.get_untracked(),
            pin: pin.get_untracked(),
        };
        if person.name.is_empty() {
            return owner.fail(Error::Domain(akinai_core::Error::Invalid {
                field: akinai_core::Field::top("name"),
                detail: owner.t("name-needed"),
            }));
        }
        if let Err(err) = akinai_core::staff::Pin::parse(&person.pin) {
            return owner.fail(err.into());
        }
        owner.spawn(async move {
            let _: StaffMember =
                http::call(Auth::Browser, Method::POST, &format!("/stores/{store}/staff"), &person)
                    .await?;
            name.set(String::new());
            pin.set(String::new());
            changed.update(|n| *n += 1);
            Ok(())
        });
    };
    let remove = move |id: Uuid| {
        owner.spawn(async move {
            http::act(Auth::Browser, Method::DELETE, &format!("/stores/{store}/staff/{id}"))
                .await?;
            changed.update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <form class="staff-form" on:submit=add aria-labelledby="owner-staff-title">
            <h3 id="owner-staff-title">{owner.tr("settings-staff")}</h3>
            <ul class="staff-list">
                {move || staff.get().unwrap_or_default().into_iter().map(|person| {
                    let label = format!("{} {}", owner.t("staff-remove"), person.name);
                    let id = person.id;
                    view! {
                        <li>
                            <span>{format!("{} ({})", person.name, owner.t(&format!("role-{}", person.role.word())))}</span>
                            <button type="button" aria-label=label on:click=move |_| remove(id)>{owner.tr("delete")}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {text_field(owner.lang, "staff-name", name)}
            {input_field(owner.lang, "pin", "password", "new-password", pin)}
            {word_select(owner.lang, "role", "role", role)}
            <button type="submit" class="wide">{owner.tr("staff-add")}</button>
        </form>
    }
}

/// A store's catalog: the items, CSV import (the file's bytes as chosen; the server reads UTF-8
/// or Shift_JIS) and CSV export.
#[component]
fn Catalog(store: Uuid) -> impl IntoView {
    let owner = use_owner();
    let changed = RwSignal::new(0u32);
    let items = LocalResource::new(move || {
        changed.track();
        async move {
            owner.fetch::<Vec<Item>>(&format!("/stores/{store}/items")).await.unwrap_or_default()
        }
    });
    let imported = RwSignal::new(None::<Imported>);
    let file_input: NodeRef<leptos::html::Input> = NodeRef::new();
    let import = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        imported.set(None);
        owner.spawn(async move {
            let bytes = read_file(&input).await?;
            let path = format!("/stores/{store}/items.csv");
            let result: Result<Imported> =
                http::post_bytes(Auth::Browser, &path, "text/csv", bytes).await;
            imported.set(Some(result?));
            changed.update(|n| *n += 1);
            Ok(())
        });
    };
    view! {
        <div class="catalog" aria-labelledby="owner-catalog-title">
            <h3 id="owner-catalog-title">{owner.tr("settings-catalog")}</h3>
            <label class="field">
                <span>{owner.tr("csv-file")}</span>
                <input type="file" accept=".csv,text/csv" node_ref=file_input />
            </label>
            <div class="actions">
                <button type="button" on:click=import>{owner.tr("csv-import")}</button>
                <a class="button" href=format!("{}/stores/{store}/items.csv", http::BASE) download="akinai-catalog.csv">
                    {owner.tr("csv-export")}
                </a>
            </div>
            <p role="status">
                {move || imported.with(|i| i.as_ref().map(|i| owner.lang.get().text_with(
                    "csv-imported",
                    &[("added", i.added.into()), ("updated", i.updated.into())],
                )))}
            </p>
            <table class="catalog-table">
                <thead><tr>
                    <th scope="col">{owner.tr("item-name")}</th>
                    <th scope="col">{owner.tr("price")}</th>
                    <th scope="col">{owner.tr("tax-class")}</th>
                </tr></thead>
                <tbody>
                    {move || items.get().unwrap_or_default().into_iter().map(|item| view! {
                        <tr>
                            <td>{item.name}</td>
                            <td>{if item.open_price { "—".to_owned() } else { item.price.to_string() }}</td>
                            <td>{move || owner.t(&format!("tax-class-{}", item.tax_class.word()))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
