//! The register: the catalog on the left ([`catalog_panel`]: categories, search, barcode, quick
//! keys), the cart on the right ([`cart_panel`]: quantities, discounts, eat-in / take-out, hold
//! and recall) and payment ([`pay`]: tenders of every kind, QR payments through the server). Barcodes arrive through [`scanner`].
//! The cart and its totals change the moment a key is tapped; only completing the sale writes.

mod cart_panel;
mod catalog_panel;
mod pay;
pub mod scanner;

pub(crate) use pay::tender_refusal;

use akinai_core::receipt::Receipt;
use akinai_core::tax::RateTable;
use leptos::prelude::*;

use crate::state::{Screen, use_app};
use cart_panel::CartPanel;
use catalog_panel::CatalogPanel;
use pay::PayPanel;

/// The register screen.
#[component]
pub fn Register() -> impl IntoView {
    let app = use_app();
    let paying = RwSignal::new(false);
    // A sale being paid for when the app last stopped (or left this screen) comes back.
    app.spawn(pay::restore(app, paying));
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
