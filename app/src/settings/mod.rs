//! The owner's settings: the shop (name, address, registration number, pricing and rounding,
//! receipt footer, paper width), staff and their PINs, and the catalog (edit by hand, or import
//! a CSV saved by a spreadsheet in UTF-8 or Shift_JIS), so a shop can start with no server.

mod catalog_editor;
mod shop_form;
mod staff_form;

use leptos::prelude::*;

use catalog_editor::CatalogEditor;
use shop_form::ShopForm;
use staff_form::StaffForm;

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
