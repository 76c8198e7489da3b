//! The register: the catalog on the left (categories, search, barcode, quick keys), the cart on
//! the right (quantities, discounts, eat-in / take-out, hold and recall) and cash payment.
//! The cart and its totals change the moment a key is tapped; only completing the sale writes.

use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::catalog::{Item, SearchIndex, by_barcode};
use akinai_core::money::parse_whole;
use akinai_core::payment::{PaymentMethod, Tender, change_due};
use akinai_core::receipt::Receipt;
use akinai_core::sale::Sale;
use akinai_core::tax::{DiningMode, RateTable};
use akinai_core::{Field, Yen};
use chrono::Utc;
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;

use crate::state::{HeldCart, Screen, use_app};
use crate::storage::stores;

fn line_of(item: &Item, price: Yen) -> CartLine {
    CartLine {
        item_id: Some(item.id),
        category: item.category.clone(),
        name: item.name.clone(),
        unit_price: price,
        qty: 1,
        tax_class: item.tax_class,
        discount: Discount::NONE,
    }
}

/// The most quick keys the register shows at once.
const MAX_KEYS: usize = 120;

/// The first [`MAX_KEYS`] items of `matched` to show, and how many more there are.
fn first_keys<'a>(mut matched: impl Iterator<Item = &'a Item>) -> (Vec<Item>, usize) {
    let keys = matched.by_ref().take(MAX_KEYS).cloned().collect();
    (keys, matched.count())
}

/// Keys closer together than this (ms) come from a barcode scanner, not a person.
const SCANNER_KEY_GAP_MS: f64 = 50.0;

/// The register screen.
#[component]
pub fn Register() -> impl IntoView {
    let app = use_app();
    let paying = RwSignal::new(false);
    let receipt =
        Memo::new(move |_| app.cart.with(|cart| Receipt::compute(cart, &RateTable::japan())));
    let shift_open = move || app.shifts.with(|s| s.last().is_some_and(|s| s.is_open()));
    let no_shift = move || {
        view! {
            <section class="panel" aria-labelledby="no-shift-title">
                <h2 id="no-shift-title">{move || app.t("shift-needed")}</h2>
                <button type="button" class="primary" on:click=move |_| app.screen.set(Screen::Shift)>
                    {move || app.t("open-shift")}
                </button>
            </section>
        }
    };
    view! {
        <Show when=shift_open fallback=no_shift>
        <div class="register">
            <CatalogPanel />
            <section class="cart-panel" aria-labelledby="cart-title">
                <h2 id="cart-title">{move || app.t("cart-title")}</h2>
                <Show when=move || !paying.get() fallback=move || view! { <PayPanel receipt paying /> }>
                    <CartPanel receipt paying />
                </Show>
            </section>
        </div>
        </Show>
    }
}

/// Categories, search / barcode box and the grid of quick keys.
#[component]
fn CatalogPanel() -> impl IntoView {
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
            app.cart.update(|cart| cart.add(line_of(&item, item.price)));
        }
    };
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
    // A scanner also types when the search box does not have focus (after a tap on a key):
    // keys that come faster than a person types, ending in Enter, are a scanned code.
    let scanned = StoredValue::new((String::new(), 0.0_f64));
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        let in_field = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if in_field {
            return;
        }
        let now = js_sys::Date::now();
        let (mut code, last) = scanned.get_value();
        let quick = now - last < SCANNER_KEY_GAP_MS;
        let key = ev.key();
        if key == "Enter" {
            if quick && code.chars().count() >= 4 {
                ev.prevent_default();
                take_code(code);
            }
            code = String::new();
        } else if key.chars().count() == 1 {
            if !quick {
                code.clear();
            }
            code.push_str(&key);
        }
        scanned.set_value((code, now));
    });
    on_cleanup(move || handle.remove());
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
            <crate::scanner::CameraScan on_code=Callback::new(take_code) />
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
                                on:click=move |_| add(tapped.clone())>
                                <span class="item-name">{item.name.clone()}</span>
                                <span class="item-price">
                                    {if item.open_price { "—".to_owned() } else { item.price.to_string() }}
                                </span>
                            </button>
                        }
                    }
                </For>
            </div>
            <Show when=move || shown.with(|(_, more)| *more > 0)>
                <p class="more-items" role="note">
                    {move || app.lang.get().text_with("more-items", &[("count", shown.with(|(_, more)| *more).into())])}
                </p>
            </Show>
            <Show when=move || open_price.with(Option::is_some)>
                <form class="dialog" role="dialog" aria-label=move || app.t("open-price-title")
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if let (Some(item), Ok(price)) = (open_price.get_untracked(), Yen::parse_typed(&open_amount.get_untracked(), Field::top("price"))) {
                            app.cart.update(|cart| cart.add(line_of(&item, price)));
                            open_price.set(None);
                        }
                    }>
                    <label class="field">
                        <span>{move || open_price.with(|i| i.as_ref().map(|i| i.name.clone()))} " " {move || app.t("price")}</span>
                        <input type="text" inputmode="numeric" prop:value=move || open_amount.get()
                            on:input=move |ev| open_amount.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit" class="primary">{move || app.t("add")}</button>
                    <button type="button" on:click=move |_| open_price.set(None)>{move || app.t("cancel")}</button>
                </form>
            </Show>
        </section>
    }
}

/// What one row of the cart shows. Rows are keyed by all of it, so a tap that adds a line
/// builds that line's row alone rather than every row of the cart again.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct CartRow {
    index: usize,
    name: String,
    qty: u32,
    unit_price: Yen,
    reduced: bool,
    amount: Yen,
    off: Yen,
}

/// The cart's rows as the receipt prices them (before discounts while it cannot be priced).
fn cart_rows(cart: RwSignal<Cart>, receipt: Memo<akinai_core::Result<Receipt>>) -> Vec<CartRow> {
    receipt.with(|printed| {
        let printed = printed.as_ref().ok();
        cart.with(|cart| {
            cart.lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let shown = printed.and_then(|r| r.lines.get(index));
                    CartRow {
                        index,
                        name: line.name.clone(),
                        qty: line.qty,
                        unit_price: line.unit_price,
                        reduced: shown.is_some_and(|l| l.reduced),
                        amount: shown.map_or(line.before_discount(), |l| l.amount),
                        off: shown.map(|l| l.discount).unwrap_or_default(),
                    }
                })
                .collect()
        })
    })
}

/// The cart's lines, discounts, dining mode and totals.
#[component]
fn CartPanel(receipt: Memo<akinai_core::Result<Receipt>>, paying: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    let editing: RwSignal<Option<usize>> = RwSignal::new(None);

    let dining = move |mode: DiningMode| {
        view! {
            <button type="button"
                aria-pressed=move || (app.cart.with(|c| c.dining) == mode).to_string()
                on:click=move |_| app.cart.update(|c| c.dining = mode)>
                {move || app.t(match mode { DiningMode::TakeOut => "take-out", DiningMode::EatIn => "eat-in" })}
            </button>
        }
    };
    let hold = move |_| {
        let cart = app.cart.get_untracked();
        if cart.is_empty() {
            return;
        }
        let held = HeldCart { id: Uuid::now_v7(), held_at: Utc::now().to_rfc3339(), cart };
        app.cart.set(app.fresh_cart());
        app.held.update(|h| h.push(held.clone()));
        app.spawn(async move { app.storage()?.put_all(stores::HELD, &[held]).await });
    };
    let recall = move |id: Uuid| {
        let Some(held) = app.held.with_untracked(|h| h.iter().find(|c| c.id == id).cloned()) else {
            return;
        };
        if !app.cart.with_untracked(Cart::is_empty) {
            return;
        }
        app.cart.set(held.cart);
        app.held.update(|h| h.retain(|c| c.id != id));
        app.spawn(async move { app.storage()?.remove(stores::HELD, &id.to_string()).await });
    };

    view! {
        <div class="dining" role="group" aria-label=move || app.t("dining")>
            {dining(DiningMode::TakeOut)}
            {dining(DiningMode::EatIn)}
        </div>
        <ul class="cart-lines" aria-label=move || app.t("cart-lines")>
            <For each=move || cart_rows(app.cart, receipt) key=CartRow::clone let:row>
                {
                    let CartRow { index, name, qty, unit_price, reduced, amount, off } = row;
                    let name_minus = name.clone();
                    let name_plus = name.clone();
                    let name_off = name.clone();
                    let name_remove = name.clone();
                    let name_qty = name.clone();
                    view! {
                        <li class="cart-line">
                            <div class="line-head">
                                <span class="line-name">{name.clone()}{reduced.then_some(" ※")}</span>
                                <span class="line-amount">{amount.to_string()}</span>
                            </div>
                            <div class="line-detail">
                                <span>{format!("{unit_price} × {qty}")}</span>
                                {(off.get() > 0).then(|| view! { <span class="line-off">{format!("−{off}")}</span> })}
                            </div>
                            <div class="line-actions">
                                <button type="button" aria-label=move || format!("{} {}", app.t("qty-down"), name_minus)
                                    on:click=move |_| app.cart.update(|c| c.set_qty(index, qty.saturating_sub(1)))>"−"</button>
                                <input type="number" class="qty" min="0" inputmode="numeric"
                                    aria-label=move || format!("{} {}", app.t("qty"), name_qty)
                                    prop:value=qty.to_string()
                                    on:change=move |ev| {
                                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                                            app.cart.update(|c| c.set_qty(index, n));
                                        }
                                    } />
                                <button type="button" aria-label=move || format!("{} {}", app.t("qty-up"), name_plus)
                                    on:click=move |_| app.cart.update(|c| c.set_qty(index, qty.saturating_add(1)))>"+"</button>
                                <button type="button" aria-label=move || format!("{} {}", app.t("line-discount"), name_off)
                                    on:click=move |_| editing.set(Some(index))>
                                    {move || app.t("discount")}
                                </button>
                                <button type="button" aria-label=move || format!("{} {}", app.t("remove"), name_remove)
                                    on:click=move |_| { editing.set(None); app.cart.update(|c| c.remove(index)); }>"×"</button>
                            </div>
                            <Show when=move || editing.get() == Some(index)>
                                <DiscountForm
                                    class="line-discount"
                                    amount="line-discount-amount"
                                    unit="line-discount-unit"
                                    apply="apply"
                                    on_apply=Callback::new(move |d| {
                                        app.cart.update(|c| c.set_line_discount(index, d));
                                        editing.set(None);
                                    })
                                />
                            </Show>
                        </li>
                    }
                }
            </For>
        </ul>
        <DiscountForm
            class="receipt-discount"
            amount="receipt-discount"
            unit="receipt-discount-unit"
            apply="apply-receipt-discount"
            on_apply=Callback::new(move |d| app.cart.update(|c| c.discount = d))
        />
        <Totals receipt />
        <div class="cart-actions">
            <button type="button" on:click=hold disabled=move || app.cart.with(Cart::is_empty)>{move || app.t("hold")}</button>
            <button type="button" class="primary pay" disabled=move || app.cart.with(Cart::is_empty) || receipt.with(|r| r.is_err())
                on:click=move |_| paying.set(true)>{move || app.t("pay")}</button>
        </div>
        <Show when=move || app.held.with(|h| !h.is_empty())>
            <div class="held" role="group" aria-label=move || app.t("held-carts")>
                <For each=move || app.held.get() key=|h| h.id let:held>
                    {
                        let id = held.id;
                        let total = Receipt::compute(&held.cart, &RateTable::japan()).map(|r| r.total).unwrap_or_default();
                        view! {
                            <button type="button" on:click=move |_| recall(id)>
                                {move || format!("{} {}", app.t("recall"), total)}
                            </button>
                        }
                    }
                </For>
            </div>
        </Show>
    }
}

/// A discount typed in yen or percent; a blank amount takes the discount off.
#[component]
fn DiscountForm(
    /// CSS class of the form.
    class: &'static str,
    /// Message id of the amount's label.
    amount: &'static str,
    /// Message id of the unit switch's label.
    unit: &'static str,
    /// Message id of the apply button.
    apply: &'static str,
    /// Gets the discount when applied.
    on_apply: Callback<Discount>,
) -> impl IntoView {
    let app = use_app();
    let text = RwSignal::new(String::new());
    let percent = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = text.get_untracked();
        let discount = if typed.trim().is_empty() {
            Some(Discount::NONE)
        } else if percent.get_untracked() {
            parse_whole(&typed).map(|n| Discount::Percent(n.clamp(0, 100) as u8))
        } else {
            Yen::parse_typed(&typed, Field::top("discount")).ok().map(Discount::Yen)
        };
        if let Some(discount) = discount {
            on_apply.run(discount);
        }
    };
    view! {
        <form class=class on:submit=submit>
            <label class="field">
                <span>{move || app.t(amount)}</span>
                <input type="text" inputmode="numeric" prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev)) />
            </label>
            <UnitSwitch percent label=unit />
            <button type="submit">{move || app.t(apply)}</button>
        </form>
    }
}

/// ¥ / % choice for a discount.
#[component]
fn UnitSwitch(percent: RwSignal<bool>, label: &'static str) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="unit-switch" role="group" aria-label=move || app.t(label)>
            <button type="button" aria-pressed=move || (!percent.get()).to_string() on:click=move |_| percent.set(false)>"¥"</button>
            <button type="button" aria-pressed=move || percent.get().to_string() on:click=move |_| percent.set(true)>"%"</button>
        </div>
    }
}

/// Per-rate totals and the total, or the reason the cart cannot be totalled.
#[component]
fn Totals(receipt: Memo<akinai_core::Result<Receipt>>) -> impl IntoView {
    let app = use_app();
    view! {
        <div class="totals" aria-live="polite">
            {move || match receipt.get() {
                Err(err) => view! { <p class="error" role="alert">{app.lang.get().error(&err)}</p> }.into_any(),
                Ok(r) => view! {
                    <dl>
                        {(r.discount.get() > 0).then(|| view! {
                            <dt>{app.t("receipt-discount")}</dt><dd>{format!("−{}", r.discount)}</dd>
                        })}
                        {r.rates.iter().map(|rate| view! {
                            <dt>{app.lang.get().text_with("rate-target", &[("rate", rate.rate.into())])}</dt>
                            <dd>{format!("{} ({} {})", rate.gross, app.t("tax"), rate.tax)}</dd>
                        }).collect_view()}
                        {(r.exempt.get() != 0 || r.lines.iter().any(|l| l.exempt)).then(|| view! {
                            <dt>{app.t("exempt")}</dt><dd>{r.exempt.to_string()}</dd>
                        })}
                        <dt class="total">{app.t("total")}</dt>
                        <dd class="total" aria-label=app.t("total")>{r.total.to_string()}</dd>
                    </dl>
                }.into_any(),
            }}
        </div>
    }
}

/// Cash payment: tendered amount, quick buttons, change shown large.
#[component]
fn PayPanel(receipt: Memo<akinai_core::Result<Receipt>>, paying: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    let tendered = RwSignal::new(String::new());
    let total = move || receipt.with(|r| r.as_ref().map(|r| r.total).unwrap_or_default());
    let tendered_yen = move || Yen::parse_typed(&tendered.get(), Field::top("tendered")).ok();
    let cash = |amount| vec![Tender { method: PaymentMethod::Cash, amount }];
    let change = move || tendered_yen().and_then(|t| change_due(total(), &cash(t)).ok());
    let busy = RwSignal::new(false);
    let complete = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(amount) = tendered_yen() else { return };
        let Some(ctx) = app.sale_context() else {
            return app.fail(crate::error::Error::NoShift);
        };
        match Sale::ring_up(ctx, app.cart.get_untracked(), cash(amount)) {
            Err(err) => app.fail(err),
            Ok(sale) => {
                busy.set(true);
                app.spawn(async move {
                    let result = app.commit(sale).await;
                    busy.set(false);
                    result?;
                    app.cart.set(app.fresh_cart());
                    paying.set(false);
                    Ok(())
                });
            }
        }
    };
    let quick = move |label: String, amount: Option<i64>| {
        view! {
            <button type="button" on:click=move |_| {
                let value = amount.unwrap_or_else(|| total().get());
                tendered.set(value.to_string());
            }>{label}</button>
        }
    };
    view! {
        <form class="pay-panel" on:submit=complete>
            <p class="due">
                <span>{move || app.t("due")}</span>
                <strong aria-label=move || app.t("due")>{move || total().to_string()}</strong>
            </p>
            <label class="field">
                <span>{move || app.t("tendered")}</span>
                <input type="text" inputmode="numeric" prop:value=move || tendered.get()
                    on:input=move |ev| tendered.set(event_target_value(&ev)) />
            </label>
            <div class="quick-tender" role="group" aria-label=move || app.t("quick-tender")>
                {move || quick(app.t("exact"), None)}
                {quick("¥1,000".into(), Some(1000))}
                {quick("¥5,000".into(), Some(5000))}
                {quick("¥10,000".into(), Some(10000))}
            </div>
            <p class="change" role="status">
                <span>{move || app.t("change")}</span>
                <strong>{move || change().map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</strong>
            </p>
            <div class="pay-actions">
                <button type="button" on:click=move |_| paying.set(false)>{move || app.t("back")}</button>
                <button type="submit" class="primary" disabled=move || change().is_none() || busy.get()>
                    {move || app.t("complete-sale")}
                </button>
            </div>
        </form>
    }
}
