//! The owner's settings: the shop (name, address, registration number, pricing and rounding,
//! receipt footer, paper width), staff and their PINs, and the catalog (edit by hand, or import
//! a CSV saved by a spreadsheet in UTF-8 or Shift_JIS), so a shop can start with no server.

use akinai_core::Yen;
use akinai_core::catalog::{Item, export_csv, import_csv_text};
use akinai_core::name::Name;
use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::staff::{Pin, Role, Staff, check_owner_stays, check_pin};
use akinai_core::sync::Record;
use akinai_core::tax::{Named, PricingMode, Rounding, TaxClass};
use akinai_i18n::Lang;
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::error::{Error, Result};
use crate::setup::random_salt;
use crate::state::use_app;
use crate::storage::stores;

/// The settings screen.
#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <section class="panel settings">
            <ShopForm />
            <StaffForm />
            <CatalogEditor />
            <crate::pairing::SyncPanel />
        </section>
    }
}

/// A labelled input of type `kind` bound to `value`; `autocomplete` tells password managers and
/// phones what it holds.
pub(crate) fn input_field(
    lang: RwSignal<Lang>,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || lang.get().text(label)}</span>
            <input type=kind autocomplete=autocomplete prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
        </label>
    }
}

/// A labelled text input bound to `value`.
pub(crate) fn text_field(
    lang: RwSignal<Lang>,
    label: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    input_field(lang, label, "text", "on", value)
}

/// A labelled choice among a [`Named`] type's words, shown translated (`{prefix}-{word}`).
pub(crate) fn word_select<T: Named + Send + Sync>(
    lang: RwSignal<Lang>,
    label: &'static str,
    prefix: &'static str,
    value: RwSignal<T>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{move || lang.get().text(label)}</span>
            <select on:change=move |ev| {
                if let Ok(v) = T::parse(&event_target_value(&ev), akinai_core::Field::top(label)) { value.set(v); }
            }>
                {T::NAMES.iter().map(|(word, v)| {
                    let v = *v;
                    view! {
                        <option value=*word selected=move || value.get() == v>{move || lang.get().text(&format!("{prefix}-{word}"))}</option>
                    }
                }).collect_view()}
            </select>
        </label>
    }
}

/// The shop's settings as form fields: on the tablet's settings screen and in the owner's
/// store form.
#[derive(Clone, Copy)]
pub(crate) struct ShopFields {
    name: RwSignal<String>,
    address: RwSignal<String>,
    phone: RwSignal<String>,
    registration: RwSignal<String>,
    footer: RwSignal<String>,
    pricing: RwSignal<PricingMode>,
    rounding: RwSignal<Rounding>,
}

impl ShopFields {
    /// Fields filled from `shop`, or empty (with the usual pricing and rounding).
    pub(crate) fn new(shop: Option<&ShopSettings>) -> ShopFields {
        let get = |f: fn(&ShopSettings) -> String| RwSignal::new(shop.map(f).unwrap_or_default());
        ShopFields {
            name: get(|s| s.name.clone()),
            address: get(|s| s.address.clone()),
            phone: get(|s| s.phone.clone()),
            registration: get(|s| s.registration_number.to_string()),
            footer: get(|s| s.receipt_footer.clone()),
            pricing: RwSignal::new(shop.map_or(PricingMode::default(), |s| s.pricing)),
            rounding: RwSignal::new(shop.map_or(Rounding::default(), |s| s.rounding)),
        }
    }

    /// The settings entered, once the registration number is checked.
    pub(crate) fn settings(&self) -> Result<ShopSettings> {
        Ok(ShopSettings {
            name: self.name.get_untracked().trim().to_owned(),
            address: self.address.get_untracked(),
            phone: self.phone.get_untracked(),
            registration_number: RegistrationNumber::parse(&self.registration.get_untracked())?,
            pricing: self.pricing.get_untracked(),
            rounding: self.rounding.get_untracked(),
            receipt_footer: self.footer.get_untracked(),
        })
    }

    /// The labelled inputs.
    pub(crate) fn view(self, lang: RwSignal<Lang>) -> impl IntoView {
        view! {
            {text_field(lang, "shop-name", self.name)}
            {text_field(lang, "registration-number", self.registration)}
            {text_field(lang, "shop-address", self.address)}
            {text_field(lang, "shop-phone", self.phone)}
            {word_select(lang, "pricing", "pricing", self.pricing)}
            {word_select(lang, "rounding", "rounding", self.rounding)}
            {text_field(lang, "receipt-footer", self.footer)}
        }
    }
}

#[component]
fn ShopForm() -> impl IntoView {
    let app = use_app();
    let fields = ShopFields::new(app.shop.get_untracked().as_ref());
    let paper = RwSignal::new(app.device.with_untracked(|d| d.as_ref().map_or(80, |d| d.paper_mm)));
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
                app.storage()?.set(stores::SETTINGS, "device", device).await?;
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
            {fields.view(app.lang)}
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

#[component]
fn StaffForm() -> impl IntoView {
    let app = use_app();
    let name = RwSignal::new(String::new());
    let pin = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Cashier);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let checked = Pin::parse(&pin.get_untracked()).and_then(|p| {
            app.staff.with_untracked(|s| check_pin(s, &p, None))?;
            let person = Name::parse(&name.get_untracked(), akinai_core::Field::top("name"))?;
            Ok(Staff::new(
                Uuid::now_v7(),
                person.as_str(),
                role.get_untracked(),
                &p,
                &random_salt(),
            ))
        });
        match checked {
            Err(err) => app.fail(err),
            Ok(person) => app.spawn(async move {
                app.edit(vec![Record::Staff(Box::new(person))]).await?;
                name.set(String::new());
                pin.set(String::new());
                Ok(())
            }),
        }
    };
    view! {
        <form class="staff-form" on:submit=add aria-labelledby="staff-title">
            <h2 id="staff-title">{move || app.t("settings-staff")}</h2>
            <ul>
                <For each=move || app.staff.get() key=|s| s.id let:person>
                    {
                        let id = person.id;
                        let label = format!("{} {}", app.t("staff-remove"), person.name);
                        // The last owner stays: someone must be able to reach the settings.
                        let last_owner = move || app.staff.with(|s| check_owner_stays(s, id, None).is_err());
                        view! {
                            <li>
                                {format!("{} ({})", person.name, app.t(&format!("role-{}", person.role.word())))}
                                <button type="button" aria-label=label disabled=last_owner on:click=move |_| {
                                    app.spawn(async move {
                                        app.edit(vec![Record::StaffRemoved(id)]).await
                                    });
                                }>{move || app.t("delete")}</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {text_field(app.lang, "staff-name", name)}
            <label class="field">
                <span>{move || app.t("pin")}</span>
                <input type="password" inputmode="numeric" autocomplete="new-password" prop:value=move || pin.get()
                    on:input=move |ev| pin.set(event_target_value(&ev)) />
            </label>
            {word_select(app.lang, "role", "role", role)}
            <button type="submit">{move || app.t("staff-add")}</button>
        </form>
    }
}

/// The bytes of the file chosen in an `<input type=file>`.
pub(crate) async fn read_file(input: &web_sys::HtmlInputElement) -> Result<js_sys::Uint8Array> {
    let file = input.files().and_then(|files| files.get(0)).ok_or(Error::NoFile)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| Error::Data(format!("{e:?}")))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}

/// Reads the text of a CSV file chosen in an `<input type=file>`: UTF-8, or else Shift_JIS
/// (Windows-31J, what Japanese Excel saves), decoded by the browser itself so the app ships no
/// encoding tables.
async fn read_csv(input: &web_sys::HtmlInputElement) -> Result<String> {
    let bytes = read_file(input).await?;
    ["utf-8", "shift_jis"]
        .into_iter()
        .find_map(|label| {
            let options = web_sys::TextDecoderOptions::new();
            options.set_fatal(true);
            let decoder = web_sys::TextDecoder::new_with_label_and_options(label, &options).ok()?;
            decoder.decode_with_js_u8_array(&bytes).ok()
        })
        .ok_or(Error::NotText)
}

#[component]
fn CatalogEditor() -> impl IntoView {
    let app = use_app();
    let editing: RwSignal<Option<Uuid>> = RwSignal::new(None);
    let name = RwSignal::new(String::new());
    let kana = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let tax_class = RwSignal::new(TaxClass::Food);
    let category = RwSignal::new(String::new());
    let barcode = RwSignal::new(String::new());
    let color = RwSignal::new(String::new());
    let open_price = RwSignal::new(false);
    let imported = RwSignal::new(None::<String>);
    let file_input: NodeRef<leptos::html::Input> = NodeRef::new();

    let edit = move |item: Item| {
        editing.set(Some(item.id));
        name.set(item.name);
        kana.set(item.kana);
        price.set(item.price.get().to_string());
        tax_class.set(item.tax_class);
        category.set(item.category);
        barcode.set(item.barcode.unwrap_or_default());
        color.set(item.color);
        open_price.set(item.open_price);
    };
    let clear = move || {
        editing.set(None);
        for s in [name, kana, price, category, barcode, color] {
            s.set(String::new());
        }
        open_price.set(false);
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let amount =
            Yen::parse_typed(&price.get_untracked(), akinai_core::Field::top("price")).ok();
        let item_name = name.get_untracked().trim().to_owned();
        let (Some(amount), false) =
            (amount.or(open_price.get_untracked().then_some(Yen::ZERO)), item_name.is_empty())
        else {
            return app.fail(Error::Domain(akinai_core::Error::Invalid {
                field: akinai_core::Field::top(if item_name.is_empty() { "name" } else { "price" }),
                detail: app.t("item-invalid"),
            }));
        };
        let code = barcode.get_untracked().trim().to_owned();
        let item = Item {
            id: editing.get_untracked().unwrap_or_else(Uuid::now_v7),
            name: item_name,
            kana: kana.get_untracked(),
            price: amount,
            tax_class: tax_class.get_untracked(),
            category: category.get_untracked().trim().to_owned(),
            barcode: (!code.is_empty()).then_some(code),
            color: color.get_untracked(),
            open_price: open_price.get_untracked(),
        };
        app.spawn(async move {
            app.edit(vec![Record::Item(Box::new(item))]).await?;
            clear();
            Ok(())
        });
    };
    let remove = move |id: Uuid| {
        app.spawn(async move { app.edit(vec![Record::ItemRemoved(id)]).await });
    };
    let import = move |_| {
        let Some(input) = file_input.get_untracked() else { return };
        // A failed import must not leave the last one's counts on screen.
        imported.set(None);
        app.spawn(async move {
            let text = read_csv(&input).await?;
            let existing = app.catalog.get_untracked();
            // The domain's error names the row and column; the banner shows it translated.
            let result = import_csv_text(&text, &existing, Uuid::now_v7).map_err(Error::Domain)?;
            app.edit(result.items.iter().map(|i| Record::Item(Box::new(i.clone()))).collect())
                .await?;
            imported.set(Some(app.lang.get_untracked().text_with(
                "csv-imported",
                &[("added", result.added.into()), ("updated", result.updated.into())],
            )));
            Ok(())
        });
    };
    let export = move |_| {
        let csv = app.catalog.with_untracked(|items| export_csv(items));
        let href = format!("data:text/csv;charset=utf-8,{}", js_sys::encode_uri_component(&csv));
        if let Some(link) = document()
            .create_element("a")
            .ok()
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        {
            link.set_href(&href);
            link.set_download("akinai-catalog.csv");
            link.click();
        }
    };
    view! {
        <div class="catalog-editor" aria-labelledby="catalog-editor-title">
            <h2 id="catalog-editor-title">{move || app.t("settings-catalog")}</h2>
            <div class="csv">
                <label class="field">
                    <span>{move || app.t("csv-file")}</span>
                    <input type="file" accept=".csv,text/csv" node_ref=file_input />
                </label>
                <button type="button" on:click=import>{move || app.t("csv-import")}</button>
                <button type="button" on:click=export>{move || app.t("csv-export")}</button>
                <Show when=move || imported.with(Option::is_some)><p role="status">{move || imported.get()}</p></Show>
            </div>
            <table class="catalog-table">
                <thead><tr>
                    <th scope="col">{move || app.t("item-name")}</th>
                    <th scope="col">{move || app.t("price")}</th>
                    <th scope="col">{move || app.t("tax-class")}</th>
                    <th scope="col">{move || app.t("category")}</th>
                    <th scope="col"></th>
                </tr></thead>
                <tbody>
                    <For each=move || app.catalog.get() key=|i| (i.id, i.name.clone(), i.price, i.tax_class, i.category.clone()) let:item>
                        {
                            let id = item.id;
                            let label = item.name.clone();
                            let tapped = item.clone();
                            view! {
                                <tr>
                                    <td>{item.name.clone()}</td>
                                    <td>{if item.open_price { "—".into() } else { item.price.to_string() }}</td>
                                    <td>{move || app.t(&format!("tax-class-{}", item.tax_class.word()))}</td>
                                    <td>{item.category.clone()}</td>
                                    <td>
                                        <button type="button" aria-label=format!("{} {label}", app.t("edit")) on:click=move |_| edit(tapped.clone())>{move || app.t("edit")}</button>
                                        <button type="button" aria-label=format!("{} {}", app.t("delete"), item.name) on:click=move |_| remove(id)>{move || app.t("delete")}</button>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
            <form class="item-form" on:submit=save>
                <h3>{move || app.t(if editing.with(Option::is_some) { "item-edit" } else { "item-add" })}</h3>
                {text_field(app.lang, "item-name", name)}
                {text_field(app.lang, "item-kana", kana)}
                {text_field(app.lang, "price", price)}
                {word_select(app.lang, "tax-class", "tax-class", tax_class)}
                {text_field(app.lang, "category", category)}
                {text_field(app.lang, "barcode", barcode)}
                <label class="field">
                    <span>{move || app.t("color")}</span>
                    <input type="color" prop:value=move || color.get() on:input=move |ev| color.set(event_target_value(&ev)) />
                </label>
                <label class="field checkbox">
                    <input type="checkbox" prop:checked=move || open_price.get() on:change=move |ev| open_price.set(event_target_checked(&ev)) />
                    <span>{move || app.t("open-price")}</span>
                </label>
                <button type="submit" class="primary">{move || app.t("save")}</button>
                <button type="button" on:click=move |_| clear()>{move || app.t("cancel")}</button>
            </form>
        </div>
    }
}
