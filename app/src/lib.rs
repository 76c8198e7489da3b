//! Akinai's app: the register on the shop's tablet and the owner's view on a phone, one
//! Leptos CSR PWA. The money is computed by `akinai-core`, the same code the server runs.

mod language;

use leptos::prelude::*;

pub use language::{LanguageSwitch, provide_language, use_language};

/// Mounts the app on the page's body.
pub fn start() {
    leptos::mount::mount_to_body(App);
}

/// The whole app.
#[component]
pub fn App() -> impl IntoView {
    let lang = provide_language();
    let text = move |id: &'static str| move || lang.get().text(id);
    view! {
        <header class="top-bar">
            <div class="brand">
                <h1>{text("app-name")}</h1>
                <p class="tagline">{text("app-tagline")}</p>
            </div>
            <LanguageSwitch />
        </header>
        <main id="main" class="workspace"></main>
    }
}
