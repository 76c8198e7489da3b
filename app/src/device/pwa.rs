//! The installed app's side of the service worker (public/sw.js): registering it, learning that a
//! new version is installed and waiting, letting that version take over between sales (never in
//! the middle of one), and asking the browser to keep the shop's offline data (persistent storage).

use std::cell::Cell;
use std::time::Duration;

use leptos::logging::warn;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AddEventListenerOptions, RegistrationOptions, ServiceWorkerContainer,
    ServiceWorkerRegistration, ServiceWorkerState, StorageManager,
};

/// One of the app's two pages (two bundles): where its build lives on the site, and the routes
/// its service worker serves so that every one of them reloads offline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// The folder of the page's build (Trunk's public URL), holding its sw.js and texts.
    base: &'static str,
    /// The routes it serves.
    scope: &'static str,
}

impl Page {
    /// The URL of a file of this page's build (`sw.js`, `en.ftl`).
    pub fn file(self, name: &str) -> String {
        format!("{}{name}", self.base)
    }
}

/// The register: the whole site but the owner's routes (which the owner's worker, with the
/// longer scope, takes).
pub const REGISTER: Page = Page { base: "/", scope: "/" };
/// The owner's view: /owner and /owner/... (the server allows this scope for its worker).
pub const OWNER: Page = Page { base: "/owner-app/", scope: "/owner" };

/// How often a register left open all day asks the server whether there is a new version.
const UPDATE_CHECK: Duration = Duration::from_secs(60 * 60);

thread_local! {
    /// `activate_update` asked for the next controller change: reload when it comes.
    static RELOAD_ON_CONTROLLER_CHANGE: Cell<bool> = const { Cell::new(false) };
    /// Another tab let a new version take over this page: the code running here is the old one.
    static CONTROLLER_REPLACED: Cell<bool> = const { Cell::new(false) };
}

/// Registers `page`'s service worker if the browser supports them; never panics.
pub fn register_service_worker(page: Page) {
    let Some(container) = container() else {
        warn!("service workers are unavailable here (not a secure context?): no offline app shell");
        return;
    };
    let options = RegistrationOptions::new();
    options.set_scope(page.scope);
    let registered = JsFuture::from(container.register_with_options(&page.file("sw.js"), &options));
    spawn_local(async move {
        match registered.await {
            Ok(registration) => check_for_updates(registration.unchecked_into()),
            Err(err) => warn!("registering the service worker failed: {err:?}"),
        }
    });
}

/// A signal that turns true when a new version is installed and waiting for `activate_update`.
pub fn update_state() -> RwSignal<bool> {
    let waiting = RwSignal::new(false);
    if let Some(container) = container() {
        watch_for_updates(container, waiting);
    }
    waiting
}

/// Lets the waiting version take over and reloads into it; call only when no sale is in progress.
pub fn activate_update() {
    let Some(container) = container() else {
        return;
    };
    if CONTROLLER_REPLACED.get() {
        reload();
        return;
    }
    let registration = JsFuture::from(container.get_registration());
    spawn_local(async move {
        let registration = match registration.await {
            Ok(found) if !found.is_undefined() => {
                found.unchecked_into::<ServiceWorkerRegistration>()
            }
            Ok(_) => return warn!("no service worker is registered: nothing to update"),
            Err(err) => return warn!("looking up the service worker failed: {err:?}"),
        };
        let Some(worker) = registration.waiting() else {
            return warn!("no new version is waiting");
        };
        if !RELOAD_ON_CONTROLLER_CHANGE.replace(true) {
            let options = AddEventListenerOptions::new();
            options.set_once(true);
            let on_change = Closure::once_into_js(reload);
            if let Err(err) = container
                .add_event_listener_with_callback_and_add_event_listener_options(
                    "controllerchange",
                    on_change.unchecked_ref(),
                    &options,
                )
            {
                RELOAD_ON_CONTROLLER_CHANGE.set(false);
                return warn!("cannot follow the service worker's update: {err:?}");
            }
        }
        let message = js_sys::Object::new();
        if let Err(err) = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into())
            .and_then(|_| worker.post_message(&message))
        {
            warn!("asking the new version to take over failed: {err:?}");
        }
    });
}

/// Asks the browser to keep this site's storage under pressure: Some(granted), None if unsupported.
pub async fn request_persistent_storage() -> Option<bool> {
    let promise = storage_manager()?.persist().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// Whether this site's storage is already persistent: Some(persisted), None if unsupported.
pub async fn storage_persisted() -> Option<bool> {
    let promise = storage_manager()?.persisted().ok()?;
    JsFuture::from(promise).await.ok()?.as_bool()
}

/// The page's service worker container, if the browser offers one (secure contexts only).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// The page's storage manager, if the browser offers one (secure contexts only).
fn storage_manager() -> Option<StorageManager> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &"storage".into())
        .unwrap_or(false)
        .then(|| navigator.storage())
}

/// A register stays open all day without navigating, so the browser's own update check (on
/// navigation) would never run: ask for a new version every `UPDATE_CHECK`. Offline, it fails quietly.
fn check_for_updates(registration: ServiceWorkerRegistration) {
    set_interval(
        move || {
            if let Ok(checked) = registration.update() {
                let checked = JsFuture::from(checked);
                spawn_local(async move {
                    _ = checked.await;
                });
            }
        },
        UPDATE_CHECK,
    );
}

/// Sets `waiting` when a new version finishes installing behind the one controlling this page, or
/// when another tab has let a new version take over this page.
fn watch_for_updates(container: ServiceWorkerContainer, waiting: RwSignal<bool>) {
    let had_controller = Cell::new(container.controller().is_some());
    listen(&container, "controllerchange", move |_| {
        if RELOAD_ON_CONTROLLER_CHANGE.get() {
            return; // `activate_update` reloads.
        }
        if had_controller.replace(true) {
            CONTROLLER_REPLACED.set(true);
            waiting.try_set(true);
        }
        // Else this was the first install claiming the page: not an update.
    });

    let ready = match container.ready() {
        Ok(ready) => JsFuture::from(ready),
        Err(err) => return warn!("the service worker is unavailable: {err:?}"),
    };
    spawn_local(async move {
        let registration = match ready.await {
            Ok(registration) => registration.unchecked_into::<ServiceWorkerRegistration>(),
            Err(err) => return warn!("the service worker never became ready: {err:?}"),
        };
        if registration.waiting().is_some() && container.controller().is_some() {
            waiting.try_set(true);
        }
        let watched = registration.clone();
        listen(&registration, "updatefound", move |_| {
            let Some(installing) = watched.installing() else {
                return;
            };
            let worker = installing.clone();
            let container = container.clone();
            listen(&installing, "statechange", move |_| {
                // With no controller this is the first install, not an update.
                if worker.state() == ServiceWorkerState::Installed
                    && container.controller().is_some()
                {
                    waiting.try_set(true);
                }
            });
        });
    });
}

/// Adds an event listener for the life of the page.
fn listen(target: &web_sys::EventTarget, event: &str, handler: impl Fn(web_sys::Event) + 'static) {
    let handler = Closure::<dyn Fn(web_sys::Event)>::new(handler);
    match target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref()) {
        Ok(()) => handler.forget(),
        Err(err) => warn!("cannot listen for {event}: {err:?}"),
    }
}

/// Reloads the page (into the version now controlling it).
fn reload() {
    if let Some(Err(err)) = web_sys::window().map(|window| window.location().reload()) {
        warn!("reloading the page failed: {err:?}");
    }
}
