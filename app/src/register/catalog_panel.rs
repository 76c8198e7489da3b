//! The catalog side of the register: the search / barcode box, the categories, the quick keys,
//! and the price asked for an open-price item.

use akinai_core::cart::CartLine;
use akinai_core::catalog::{Item, SearchIndex, by_barcode};
use akinai_core::{Field, Yen};
use leptos::prelude::*;

use super::scanner::{CameraScan, use_scanner_keys};
use crate::state::use_app;

/// The most quick keys the register shows at once.
const MAX_KEYS: usize = 120;

/// The first [`MAX_KEYS`] items of `matched` to show, and how many more there are.
fn first_keys<'a>(mut matched: impl Iterator<Item = &'a Item>) -> (Vec<Item>, usize) {
    let keys = matched.by_ref().take(MAX_KEYS).cloned().collect();
    (keys, matched.count())
}

/// Categories, search / barcode box and the grid of quick keys.
#[component]
pub(super) fn CatalogPanel() -> impl IntoView {
    let app = use_app();
    let query = RwSignal::new(String::new());
    let category: RwSignal<Option<String>> = RwSignal::new(None);
    let open_price: RwSignal<Option<Item>> = RwSignal::new(None);
    let open_amount = RwSignal::new(String::new());

    let add = move |item: Item| {
        if item.open_price {
            open_amount.set(String::new());
            open_price.set(Some(item));
        } else {
            app.cart.update(|cart| cart.add(CartLine::of_item(&item, item.price)));
        }
    };
    let index = Memo::new(move |_| app.catalog.with(|items| SearchIndex::new(items)));
    // Folding a big catalog's text takes a moment: do it once the keys are on screen, not before
    // (a search typed sooner folds it then).
    request_animation_frame(move || {
        set_timeout(move || index.with_untracked(|_| ()), std::time::Duration::ZERO)
    });
    // The keys shown, and how many more matched: a big catalog is narrowed by search, category
    // or scanner, never drawn whole (thousands of keys make every tap re-lay them all out).
    let shown = Memo::new(move |_| {
        let q = query.get();
        let cat = category.get();
        let keep = |item: &&Item| cat.as_ref().is_none_or(|c| &item.category == c);
        app.catalog.with(|items| {
            // No query, no index: every item matches, in catalog order.
            if q.trim().is_empty() {
                first_keys(items.iter().filter(keep))
            } else {
                index.with(|index| first_keys(index.search(items, &q).into_iter().filter(keep)))
            }
        })
    });
    // A scanner types the code and Enter (or the camera reads it): an exact barcode adds the
    // item; so does a search with a single result.
    let take_code = move |q: String| {
        let hit = app.catalog.with_untracked(|items| {
            by_barcode(items, &q).cloned().or_else(|| {
                let found = index.with_untracked(|index| index.search(items, &q));
                (found.len() == 1).then(|| found[0].clone())
            })
        });
        match hit {
            Some(item) => {
                add(item);
                query.set(String::new());
            }
            None => app.fail(crate::error::Error::NotInCatalog(q)),
        }
    };
    use_scanner_keys(take_code);
    let on_enter = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            take_code(query.get_untracked());
        }
    };

    view! {
        <section class="catalog-panel" aria-labelledby="catalog-title">
            <h2 id="catalog-title" class="visually-hidden">{move || app.t("catalog-title")}</h2>
            <label class="field search">
                <span>{move || app.t("search-label")}</span>
                <input
                    type="search"
                    enterkeyhint="enter"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=on_enter
                />
            </label>
            <CameraScan on_code=Callback::new(take_code) />
            <CategoryBar category />
            <QuickKeys shown on_pick=Callback::new(add) />
            <Show when=move || open_price.with(Option::is_some)>
                <OpenPriceDialog item=open_price amount=open_amount />
            </Show>
        </section>
    }
}

/// One button per category of the catalog (in catalog order), and "all".
#[component]
fn CategoryBar(
    /// The category picked; `None` for all.
    category: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let categories = Memo::new(move |_| {
        app.catalog.with(|items| {
            let mut seen: Vec<String> = Vec::new();
            for item in items {
                if !item.category.is_empty() && !seen.contains(&item.category) {
                    seen.push(item.category.clone());
                }
            }
            seen
        })
    });
    view! {
        <div class="categories" role="group" aria-label=move || app.t("categories")>
            <button type="button" aria-pressed=move || category.with(Option::is_none).to_string()
                on:click=move |_| category.set(None)>{move || app.t("category-all")}</button>
            <For each=move || categories.get() key=|c| c.clone() let:c>
                {
                    let name = c.clone();
                    let pressed = c.clone();
                    view! {
                        <button type="button"
                            aria-pressed=move || (category.get().as_ref() == Some(&pressed)).to_string()
                            on:click=move |_| category.set(Some(name.clone()))>{c}</button>
                    }
                }
            </For>
        </div>
    }
}

/// The grid of keys for the items shown, and how many more matched.
#[component]
fn QuickKeys(
    /// The items shown, and how many more matched.
    shown: Memo<(Vec<Item>, usize)>,
    /// Gets the item whose key is tapped.
    on_pick: Callback<Item>,
) -> impl IntoView {
    let app = use_app();
    let more = move || shown.with(|(_, more)| *more);
    let has_more = move || more() > 0;
    view! {
        <div class="item-grid">
            <For each=move || shown.get().0 key=|item| (item.id, item.price, item.name.clone()) let:item>
                {
                    let label = if item.open_price {
                        item.name.clone()
                    } else {
                        format!("{} {}", item.name, item.price)
                    };
                    let style = (!item.color.is_empty()).then(|| format!("border-left-color: {}", item.color));
                    let tapped = item.clone();
                    view! {
                        <button type="button" class="item-key" style=style aria-label=label
                            on:click=move |_| on_pick.run(tapped.clone())>
                            <span class="item-name">{item.name.clone()}</span>
                            <span class="item-price">
                                {if item.open_price { "—".to_owned() } else { item.price.to_string() }}
                            </span>
                        </button>
                    }
                }
            </For>
        </div>
        <Show when=has_more>
            <p class="more-items" role="note">
                {move || app.lang.get().text_with("more-items", &[("count", more().into())])}
            </p>
        </Show>
    }
}

/// Asks the price of an open-price item, then adds it to the cart at that price.
#[component]
fn OpenPriceDialog(
    /// The item asked about; cleared when added or cancelled.
    item: RwSignal<Option<Item>>,
    /// The price as typed.
    amount: RwSignal<String>,
) -> impl IntoView {
    let app = use_app();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(picked), Ok(price)) =
            (item.get_untracked(), Yen::parse_typed(&amount.get_untracked(), Field::top("price")))
        {
            app.cart.update(|cart| cart.add(CartLine::of_item(&picked, price)));
            item.set(None);
        }
    };
    view! {
        <form class="dialog" role="dialog" aria-label=move || app.t("open-price-title") on:submit=submit>
            <label class="field">
                <span>{move || item.with(|i| i.as_ref().map(|i| i.name.clone()))} " " {move || app.t("price")}</span>
                <input type="text" inputmode="numeric" prop:value=move || amount.get()
                    on:input=move |ev| amount.set(event_target_value(&ev)) />
            </label>
            <button type="submit" class="primary">{move || app.t("add")}</button>
            <button type="button" on:click=move |_| item.set(None)>{move || app.t("cancel")}</button>
        </form>
    }
}
