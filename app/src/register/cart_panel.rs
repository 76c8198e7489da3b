//! The cart side of the register: its lines with quantities and discounts, eat-in / take-out,
//! the receipt discount, the totals, and the carts held aside.

use akinai_core::cart::{Cart, Discount};
use akinai_core::money::parse_whole;
use akinai_core::receipt::Receipt;
use akinai_core::tax::{DiningMode, RateTable};
use akinai_core::{Field, Yen};
use chrono::Utc;
use leptos::prelude::*;
use uuid::Uuid;

use crate::device::HeldCart;
use crate::device::storage::stores;
use crate::state::use_app;

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
pub(super) fn CartPanel(
    receipt: Memo<akinai_core::Result<Receipt>>,
    paying: RwSignal<bool>,
) -> impl IntoView {
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
    view! {
        <div class="dining" role="group" aria-label=move || app.t("dining")>
            {dining(DiningMode::TakeOut)}
            {dining(DiningMode::EatIn)}
        </div>
        <ul class="cart-lines" aria-label=move || app.t("cart-lines")>
            <For each=move || cart_rows(app.cart, receipt) key=CartRow::clone let:row>
                <CartLineRow row editing />
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
        <HeldCarts />
    }
}

/// One line of the cart: name, amount, quantity buttons, its discount and removal.
#[component]
fn CartLineRow(
    /// What the row shows.
    row: CartRow,
    /// The line whose discount form is open, if any.
    editing: RwSignal<Option<usize>>,
) -> impl IntoView {
    let app = use_app();
    let CartRow { index, name, qty, unit_price, reduced, amount, off } = row;
    let title = format!("{name}{}", if reduced { " ※" } else { "" });
    let name = StoredValue::new(name);
    // Each button says what it does to which line, for a screen reader.
    let label = move |id: &'static str| move || name.with_value(|n| format!("{} {n}", app.t(id)));
    view! {
        <li class="cart-line">
            <div class="line-head">
                <span class="line-name">{title}</span>
                <span class="line-amount">{amount.to_string()}</span>
            </div>
            <div class="line-detail">
                <span>{format!("{unit_price} × {qty}")}</span>
                {(off.get() > 0).then(|| view! { <span class="line-off">{format!("−{off}")}</span> })}
            </div>
            <div class="line-actions">
                <button type="button" aria-label=label("qty-down")
                    on:click=move |_| app.cart.update(|c| c.set_qty(index, qty.saturating_sub(1)))>"−"</button>
                <input type="number" class="qty" min="0" inputmode="numeric"
                    aria-label=label("qty")
                    prop:value=qty.to_string()
                    on:change=move |ev| {
                        if let Ok(n) = event_target_value(&ev).trim().parse::<u32>() {
                            app.cart.update(|c| c.set_qty(index, n));
                        }
                    } />
                <button type="button" aria-label=label("qty-up")
                    on:click=move |_| app.cart.update(|c| c.set_qty(index, qty.saturating_add(1)))>"+"</button>
                <button type="button" aria-label=label("line-discount")
                    on:click=move |_| editing.set(Some(index))>
                    {move || app.t("discount")}
                </button>
                <button type="button" aria-label=label("remove")
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

/// The carts held aside, each recalled with a tap while the cart is empty.
#[component]
fn HeldCarts() -> impl IntoView {
    let app = use_app();
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
