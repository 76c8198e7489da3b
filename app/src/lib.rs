//! Akinai's app: the register on the shop's tablet and, under `/owner`, the owner's view on a
//! phone: two Leptos CSR PWAs built from this crate as two bundles (`src/bin/register.rs`,
//! `src/bin/owner.rs`), each working with no network once loaded. The money is computed by
//! `akinai-core`, the same code the server runs; the device's data lives in IndexedDB.
//!
//! - [`device`]: the device's plumbing (its database, sync, the service worker), below
//!   [`state`]: what every screen shares, and the actions that store it.
//! - Screens: [`setup`], [`sign_in`], [`register`], [`receipt`], [`history`], [`shift`],
//!   [`settings`], and [`pairing`] (pairing with a store, and how fresh the data is).
//! - [`owner`]: the owner's view, which talks to the server and keeps nothing in IndexedDB.

pub mod device;
pub mod error;
mod fields;
mod formal;
pub mod history;
pub mod http;
mod language;
pub mod owner;
pub mod pairing;
pub mod pin_lock;
pub mod qr;
pub mod receipt;
pub mod register;
pub mod settings;
pub mod setup;
pub mod shift;
pub mod sign_in;
pub mod state;

use device::{pwa, storage};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use language::{LanguageSwitch, ensure_loaded, provide_language, use_language};
use state::{AppState, Screen};

/// How long opening the database may take before the cashier is told another tab holds it.
const BLOCKED_AFTER_MS: u32 = 8000;

/// Mounts the register (using the device's database) on the page's body: the tablet's bundle.
pub fn start_register() {
    start(pwa::REGISTER, || view! { <App /> }.into_any());
}

/// Mounts the owner's view on the page's body: the phone's bundle, served under `/owner`.
pub fn start_owner() {
    start(pwa::OWNER, || view! { <owner::OwnerApp /> }.into_any());
}

/// Mounts `app`, the root of `page`, once the texts of the device's language are read.
fn start(page: pwa::Page, app: fn() -> AnyView) {
    // Leptos' own executor starts with the mount: this first step runs on wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async move {
        language::prepare(page).await;
        // The page's static splash (app/owner.html) gives way to the app, once a frame with it
        // was painted: removed before that, the browser does not count it as the first screen.
        if let Some(boot) = document().get_element_by_id("boot") {
            splash_painted().await;
            boot.remove();
        }
        leptos::mount::mount_to_body(move || {
            provide_context(page);
            app()
        });
    });
}

/// The longest the app waits for the browser to report the splash painted (a hidden tab never does).
const SPLASH_WAIT_MS: u32 = 500;

/// Resolves once the browser has reported the page's largest paint so far (the splash: removed
/// before that report, it does not count as the first screen), at once where the browser reports
/// no such paints (Safari), and after [`SPLASH_WAIT_MS`] at most.
async fn splash_painted() {
    const LCP: &str = "largest-contentful-paint";
    let supported = js_sys::Reflect::get(&js_sys::global(), &"PerformanceObserver".into())
        .and_then(|class| js_sys::Reflect::get(&class, &"supportedEntryTypes".into()))
        .ok()
        .and_then(|types| types.dyn_into::<js_sys::Array>().ok())
        .is_some_and(|types| types.includes(&LCP.into(), 0));
    if !supported {
        return;
    }
    let (done, reported) = futures::channel::oneshot::channel();
    let mut done = Some(done);
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
        if let Some(done) = done.take() {
            // The receiver is gone only once the wait has timed out.
            let _ = done.send(());
        }
    });
    let Ok(observer) = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    // `type` (not `entryTypes`) so that `buffered` replays a paint reported before the wasm ran.
    let init = web_sys::PerformanceObserverInit::new(&js_sys::Array::new());
    init.set_buffered(true);
    if js_sys::Reflect::set(&init, &"type".into(), &LCP.into()).is_ok()
        && js_sys::Reflect::delete_property(&init, &"entryTypes".into()).is_ok()
    {
        observer.observe(&init);
        let timeout = gloo_timers::future::TimeoutFuture::new(SPLASH_WAIT_MS);
        futures::future::select(reported, timeout).await;
    }
    observer.disconnect();
}

/// The bar that offers a waiting new version when `ready` says it may take over now.
#[component]
pub fn UpdateBanner(
    /// True when a new version is waiting and switching to it cannot interrupt anything.
    #[prop(into)]
    ready: Signal<bool>,
) -> impl IntoView {
    let lang = use_language();
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner no-print" role="status">
                <span>{move || lang.get().text("update-ready")}</span>
                <button type="button" on:click=move |_| pwa::activate_update()>{move || lang.get().text("update-now")}</button>
            </div>
        </Show>
    }
}

/// The bar that shows `error` in the UI language until it is dismissed.
#[component]
pub fn ErrorBanner(
    /// The error shown, if any; dismissing clears it.
    error: RwSignal<Option<error::Error>>,
) -> impl IntoView {
    let lang = use_language();
    view! {
        <Show when=move || error.with(Option::is_some)>
            <div class="error-banner no-print" role="alert">
                <span>{move || error.get().map(|e| e.message(lang.get()))}</span>
                <button type="button" on:click=move |_| error.set(None)>{move || lang.get().text("dismiss")}</button>
            </div>
        </Show>
    }
}

/// The whole app on the database `db` (tests pass their own name).
#[component]
pub fn App(
    /// The IndexedDB database to use.
    #[prop(default = storage::DB_NAME)]
    db: &'static str,
) -> impl IntoView {
    let lang = provide_language();
    let app = AppState::new(lang);
    provide_context(app);
    pwa::register_service_worker(pwa::REGISTER);
    let update = pwa::update_state();
    let loaded = RwSignal::new(false);
    // An upgrade that another tab's older version holds up waits; say so meanwhile.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(BLOCKED_AFTER_MS).await;
        if !loaded.get_untracked() && app.error.with_untracked(Option::is_none) {
            app.fail(error::Error::Blocked);
        }
    });
    leptos::task::spawn_local(async move {
        match app.load(db).await {
            Ok(()) => {
                loaded.set(true);
                if app.error.get_untracked() == Some(error::Error::Blocked) {
                    app.error.set(None);
                }
                // The keypad first: the catalog (the longest read) once it is on screen.
                after_paint().await;
                if let Err(err) = app.load_catalog().await {
                    app.fail(err);
                }
            }
            Err(err) => app.fail(err),
        }
        // Safari and Chromium may evict a site's storage under pressure unless it is persistent.
        let persisted = match pwa::storage_persisted().await {
            Some(true) => Some(true),
            _ => pwa::request_persistent_storage().await,
        };
        app.persisted.set(persisted);
    });
    lock_when_idle(app);
    // A new version takes over only between sales: never with items in the cart.
    let can_update = move || {
        update.get() && app.cart.with(|c| c.is_empty()) && app.screen.get() != Screen::Receipt
    };
    let text = move |id: &'static str| move || lang.get().text(id);
    // The keypad and the first run need no catalog; every other screen waits for it.
    let ready = move || {
        loaded.get()
            && (matches!(app.screen.get(), Screen::SignIn | Screen::Setup)
                || app.catalog_loaded.get())
    };
    view! {
        <header class="top-bar no-print">
            <div class="brand">
                <h1>{text("app-name")}</h1>
                <p class="tagline">{text("app-tagline")}</p>
            </div>
            <Show when=move || app.user.with(Option::is_some)>
                <Nav />
            </Show>
            <LanguageSwitch />
        </header>
        <UpdateBanner ready=Signal::derive(can_update) />
        <Show when=move || app.persisted.get() == Some(false)>
            <p class="storage-warning no-print" role="note">{text("storage-not-persistent")}</p>
        </Show>
        <ErrorBanner error=app.error />
        <main id="main" class="workspace">
            <Show when=ready fallback=move || view! { <p class="loading">{text("loading")}</p> }>
                {move || match app.screen.get() {
                    Screen::Setup => view! { <setup::Setup /> }.into_any(),
                    Screen::SignIn => view! { <sign_in::SignIn /> }.into_any(),
                    Screen::Register => view! { <register::Register /> }.into_any(),
                    Screen::Receipt => view! { <receipt::ReceiptScreen /> }.into_any(),
                    Screen::History => view! { <history::History /> }.into_any(),
                    Screen::Shift => view! { <shift::ShiftScreen /> }.into_any(),
                    Screen::Settings => view! { <settings::Settings /> }.into_any(),
                }}
            </Show>
        </main>
    }
}

/// Resolves once the frame showing the current DOM is painted: a `requestAnimationFrame`
/// callback runs just before the paint, a timeout set from it just after.
async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else {
            return drop(resolve.call0(&wasm_bindgen::JsValue::NULL));
        };
        let done = resolve.clone();
        let timeout = wasm_bindgen::closure::Closure::once_into_js(move || {
            let timer = web_sys::window()
                .map(|window| window.set_timeout_with_callback(done.unchecked_ref()));
            // Without a timer the catalog is simply read at once.
            if !matches!(timer, Some(Ok(_))) {
                drop(done.call0(&wasm_bindgen::JsValue::NULL));
            }
        });
        if window.request_animation_frame(timeout.unchecked_ref()).is_err() {
            drop(resolve.call0(&wasm_bindgen::JsValue::NULL));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Signs the cashier out after the device's `lock_minutes` without a touch or a key.
fn lock_when_idle(app: AppState) {
    let last = StoredValue::new(js_sys::Date::now());
    let touched = move || last.set_value(js_sys::Date::now());
    // The handles live as long as the page: the app is never unmounted.
    std::mem::forget(window_event_listener(leptos::ev::pointerdown, move |_| touched()));
    std::mem::forget(window_event_listener(leptos::ev::keydown, move |_| touched()));
    set_interval(
        move || {
            let minutes = app.device.with_untracked(|d| d.as_ref().map_or(5, |d| d.lock_minutes));
            let idle = js_sys::Date::now() - last.get_value();
            if app.user.with_untracked(Option::is_some) && idle > f64::from(minutes) * 60_000.0 {
                app.user.set(None);
                app.screen.set(Screen::SignIn);
            }
        },
        std::time::Duration::from_secs(10),
    );
}

/// The screens a signed-in person can switch between, the sync state, and the lock.
#[component]
fn Nav() -> impl IntoView {
    let app = state::use_app();
    let tab = move |screen: Screen, id: &'static str| {
        view! {
            <button type="button" aria-current=move || (app.screen.get() == screen).then_some("page")
                on:click=move |_| {
                    app.error.set(None);
                    app.screen.set(screen);
                }>{move || app.t(id)}</button>
        }
    };
    let owner = move || {
        app.user.with(|u| u.as_ref().is_some_and(|u| u.role == akinai_core::staff::Role::Owner))
    };
    view! {
        <nav class="nav" aria-label=move || app.t("nav")>
            {tab(Screen::Register, "nav-register")}
            {tab(Screen::History, "nav-history")}
            {tab(Screen::Shift, "nav-shift")}
            <Show when=owner>{tab(Screen::Settings, "nav-settings")}</Show>
            <pairing::SyncBadge />
            <button type="button" on:click=move |_| { app.user.set(None); app.screen.set(Screen::SignIn); }>
                {move || app.t("lock")}
            </button>
        </nav>
    }
}
