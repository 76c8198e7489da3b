//! The catalog editor: items by hand, and the whole catalog in or out as CSV.

use std::collections::BTreeMap;

use akinai_core::Yen;
use akinai_core::catalog::{Item, export_csv, import_csv_text};
use akinai_core::sync::Record;
use akinai_core::tax::{Named, TaxClass};
use akinai_i18n::Lang;
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::error::{Error, Result};
use crate::fields::{read_file, text_field, word_select};
use crate::state::use_app;

/// An item as form fields, like [`crate::fields::ShopFields`] for the shop.
#[derive(Clone, Copy)]
struct ItemFields {
    /// The item being edited; `None` while adding one.
    editing: RwSignal<Option<Uuid>>,
    name: RwSignal<String>,
    kana: RwSignal<String>,
    price: RwSignal<String>,
    tax_class: RwSignal<TaxClass>,
    category: RwSignal<String>,
    barcode: RwSignal<String>,
    color: RwSignal<String>,
    open_price: RwSignal<bool>,
    /// The name in other languages, by tag, as typed (trimmed when saved).
    names: RwSignal<BTreeMap<String, String>>,
}

impl ItemFields {
    /// Empty fields, for a new food item.
    fn new() -> Self {
        let text = || RwSignal::new(String::new());
        ItemFields {
            editing: RwSignal::new(None),
            name: text(),
            kana: text(),
            price: text(),
            tax_class: RwSignal::new(TaxClass::Food),
            category: text(),
            barcode: text(),
            color: text(),
            open_price: RwSignal::new(false),
            names: RwSignal::new(BTreeMap::new()),
        }
    }

    /// The fields filled from `item`, to edit it.
    fn fill(&self, item: Item) {
        self.editing.set(Some(item.id));
        self.name.set(item.name);
        self.kana.set(item.kana);
        self.price.set(item.price.get().to_string());
        self.tax_class.set(item.tax_class);
        self.category.set(item.category);
        self.barcode.set(item.barcode.unwrap_or_default());
        self.color.set(item.color);
        self.open_price.set(item.open_price);
        self.names.set(item.names);
    }

    /// Back to adding a new item (the tax class stays as last picked).
    fn clear(&self) {
        self.editing.set(None);
        for s in [self.name, self.kana, self.price, self.category, self.barcode, self.color] {
            s.set(String::new());
        }
        self.open_price.set(false);
        self.names.set(BTreeMap::new());
    }

    /// The item entered: it needs a name, and a price unless the price is asked at the register.
    fn item(&self, lang: Lang) -> Result<Item> {
        let amount =
            Yen::parse_typed(&self.price.get_untracked(), akinai_core::Field::top("price")).ok();
        let name = self.name.get_untracked().trim().to_owned();
        let (Some(amount), false) =
            (amount.or(self.open_price.get_untracked().then_some(Yen::ZERO)), name.is_empty())
        else {
            return Err(Error::Domain(akinai_core::Error::Invalid {
                field: akinai_core::Field::top(if name.is_empty() { "name" } else { "price" }),
                detail: lang.text("item-invalid"),
            }));
        };
        let code = self.barcode.get_untracked().trim().to_owned();
        Ok(Item {
            id: self.editing.get_untracked().unwrap_or_else(Uuid::now_v7),
            name,
            kana: self.kana.get_untracked(),
            price: amount,
            tax_class: self.tax_class.get_untracked(),
            category: self.category.get_untracked().trim().to_owned(),
            barcode: (!code.is_empty()).then_some(code),
            color: self.color.get_untracked(),
            open_price: self.open_price.get_untracked(),
            // An emptied field removes that translation (the receipt then romanises the name).
            names: self
                .names
                .get_untracked()
                .into_iter()
                .map(|(tag, name)| (tag, name.trim().to_owned()))
                .filter(|(_, name)| !name.is_empty())
                .collect(),
        })
    }

    /// The labelled inputs.
    fn view(self, lang: RwSignal<Lang>) -> impl IntoView {
        let t = move |id: &'static str| move || lang.get().text(id);
        let (color, open_price, names) = (self.color, self.open_price, self.names);
        // One field per language besides Japanese (the name itself), labelled with the
        // language's own name; a receipt in that language shows it.
        let translations = Lang::all()
            .iter()
            .filter(|&&other| other != Lang::JA)
            .map(|&other| {
                let tag = other.tag();
                let label = move || {
                    lang.get().text_with("item-name-in", &[("language", other.own_name().into())])
                };
                view! {
                    <label class="field">
                        <span>{label}</span>
                        <input type="text" lang=tag
                            prop:value=move || names.with(|n| n.get(tag).cloned().unwrap_or_default())
                            on:input=move |ev| names.update(|n| {
                                n.insert(tag.to_owned(), event_target_value(&ev));
                            }) />
                    </label>
                }
            })
            .collect_view();
        view! {
            {text_field(lang, "item-name", self.name)}
            {translations}
            {text_field(lang, "item-kana", self.kana)}
            {text_field(lang, "price", self.price)}
            {word_select(lang, "tax-class", "tax-class", self.tax_class)}
            {text_field(lang, "category", self.category)}
            {text_field(lang, "barcode", self.barcode)}
            <label class="field">
                <span>{t("color")}</span>
                <input type="color" prop:value=move || color.get() on:input=move |ev| color.set(event_target_value(&ev)) />
            </label>
            <label class="field checkbox">
                <input type="checkbox" prop:checked=move || open_price.get() on:change=move |ev| open_price.set(event_target_checked(&ev)) />
                <span>{t("open-price")}</span>
            </label>
        }
    }
}

/// The catalog's section of the settings: CSV in and out, the items, and the item form.
#[component]
pub(super) fn CatalogEditor() -> impl IntoView {
    let app = use_app();
    let fields = ItemFields::new();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let item = match fields.item(app.lang.get_untracked()) {
            Ok(item) => item,
            Err(err) => return app.fail(err),
        };
        app.spawn(async move {
            app.edit(vec![Record::Item(Box::new(item))]).await?;
            fields.clear();
            Ok(())
        });
    };
    let heading = move || fields.editing.with(Option::is_some);
    view! {
        <div class="catalog-editor" aria-labelledby="catalog-editor-title">
            <h2 id="catalog-editor-title">{move || app.t("settings-catalog")}</h2>
            <CsvImportExport />
            <CatalogTable on_edit=Callback::new(move |item| fields.fill(item)) />
            <form class="item-form" on:submit=save>
                <h3>{move || app.t(if heading() { "item-edit" } else { "item-add" })}</h3>
                {fields.view(app.lang)}
                <button type="submit" class="primary">{move || app.t("save")}</button>
                <button type="button" on:click=move |_| fields.clear()>{move || app.t("cancel")}</button>
            </form>
        </div>
    }
}

/// The catalog's items, each with edit and delete.
#[component]
fn CatalogTable(
    /// Gets the item whose edit button is tapped.
    on_edit: Callback<Item>,
) -> impl IntoView {
    let app = use_app();
    let remove = move |id: Uuid| {
        app.spawn(async move { app.edit(vec![Record::ItemRemoved(id)]).await });
    };
    view! {
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
                                    <button type="button" aria-label=format!("{} {label}", app.t("edit")) on:click=move |_| on_edit.run(tapped.clone())>{move || app.t("edit")}</button>
                                    <button type="button" aria-label=format!("{} {}", app.t("delete"), item.name) on:click=move |_| remove(id)>{move || app.t("delete")}</button>
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
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

/// Imports a CSV file into the catalog (adding and updating items), and exports the catalog.
#[component]
fn CsvImportExport() -> impl IntoView {
    let app = use_app();
    let imported = RwSignal::new(None::<String>);
    let file_input: NodeRef<leptos::html::Input> = NodeRef::new();
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
        <div class="csv">
            <label class="field">
                <span>{move || app.t("csv-file")}</span>
                <input type="file" accept=".csv,text/csv" node_ref=file_input />
            </label>
            <button type="button" on:click=import>{move || app.t("csv-import")}</button>
            <button type="button" on:click=export>{move || app.t("csv-export")}</button>
            <Show when=move || imported.with(Option::is_some)><p role="status">{move || imported.get()}</p></Show>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use akinai_i18n::Lang;
    use leptos::prelude::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::ItemFields;

    #[wasm_bindgen_test]
    fn names_per_language_are_trimmed_and_an_emptied_one_is_dropped() {
        let fields = ItemFields::new();
        fields.name.set("おにぎり 鮭".into());
        fields.price.set("180".into());
        fields.names.set(BTreeMap::from([
            ("en".to_owned(), "  Salmon rice ball ".to_owned()),
            ("ko".to_owned(), "   ".to_owned()),
            // A language the app has no file for (from a CSV) is kept as it came.
            ("fr".to_owned(), "Onigiri au saumon".to_owned()),
        ]));
        let item = fields.item(Lang::JA).map(|item| item.names).unwrap_or_default();
        assert_eq!(
            item,
            BTreeMap::from([
                ("en".to_owned(), "Salmon rice ball".to_owned()),
                ("fr".to_owned(), "Onigiri au saumon".to_owned()),
            ])
        );
        fields.clear();
        assert!(fields.names.get_untracked().is_empty(), "a new item starts with no translations");
    }
}
