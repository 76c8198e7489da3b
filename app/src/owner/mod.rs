//! The owner's view, phone first, under `/owner`: today's figures per store and for all stores,
//! live as registers sync; the receipts behind them; stores, staff, catalog and devices; and an
//! export of everything. It talks to the server ([`crate::http`]) and keeps nothing in IndexedDB; only
//! the last figures stay in localStorage, to be shown (with their time) when offline.
//!
//! Navigation is a signal mirrored into the address bar with `history.pushState`, so the
//! phone's back button walks back through the drill-down without a router crate.

mod account;
mod dashboard;
mod devices;
mod payments;
mod stores;

use akinai_core::api::{self, ErrorCode, EventKind, LiveEvent};
use akinai_i18n::Lang;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::error::{Error, Result};
use crate::http::{self, Auth};
use crate::{ErrorBanner, LanguageSwitch, UpdateBanner, provide_language};

/// Where the owner view lives.
const ROOT: &str = "/owner";

/// A screen of the owner view; each has its own address so back and reload work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Figures for all stores (`None`) or one.
    Figures(Option<Uuid>),
    /// The receipts behind those figures.
    Receipts(Option<Uuid>),
    /// One receipt.
    Receipt(Uuid),
    /// The owner's stores, and a form for a new one.
    Stores,
    /// One store's settings, staff, catalog and devices.
    Store(Uuid),
    /// One store's payment settings: fee rates, methods, the QR provider.
    Payments(Uuid),
}

impl Page {
    /// Whether `path` belongs to the owner view.
    pub fn is_owner_path(path: &str) -> bool {
        path.strip_prefix(ROOT).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The page's address.
    fn path(self) -> String {
        match self {
            Page::Figures(None) => ROOT.to_owned(),
            Page::Figures(Some(id)) => format!("{ROOT}/figures/{id}"),
            Page::Receipts(None) => format!("{ROOT}/receipts"),
            Page::Receipts(Some(id)) => format!("{ROOT}/receipts/{id}"),
            Page::Receipt(id) => format!("{ROOT}/receipt/{id}"),
            Page::Stores => format!("{ROOT}/stores"),
            Page::Store(id) => format!("{ROOT}/stores/{id}"),
            Page::Payments(id) => format!("{ROOT}/payments/{id}"),
        }
    }

    /// The page at `path`; anything unknown is the all-stores figures.
    fn from_path(path: &str) -> Page {
        let rest = path.strip_prefix(ROOT).unwrap_or_default().trim_matches('/');
        let mut parts = rest.split('/');
        let section = parts.next().unwrap_or_default();
        let id = parts.next().and_then(|s| Uuid::parse_str(s).ok());
        match (section, id) {
            ("figures", id) => Page::Figures(id),
            ("receipts", id) => Page::Receipts(id),
            ("receipt", Some(id)) => Page::Receipt(id),
            ("stores", None) => Page::Stores,
            ("stores", Some(id)) => Page::Store(id),
            ("payments", Some(id)) => Page::Payments(id),
            _ => Page::Figures(None),
        }
    }

    /// The page shown now, from the address bar.
    fn current() -> Page {
        Page::from_path(&window().location().pathname().unwrap_or_default())
    }
}

/// Whether anyone is signed in.
#[derive(Clone, Debug, PartialEq)]
pub enum Session {
    /// Asking the server.
    Checking,
    /// Nobody: show sign-in and sign-up.
    SignedOut,
    /// This owner.
    SignedIn(api::Owner),
    /// The server cannot be reached: show what was kept from last time.
    Offline,
}

/// A happening the server pushed, and when it arrived here.
pub type Live = (LiveEvent, DateTime<Utc>);

/// An open event stream and the listeners it calls: one for events, one for (re)connecting and
/// failing.
type Stream = (
    web_sys::EventSource,
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut(web_sys::Event)>,
);

/// How long a stream the browser gave up on waits before it is opened again.
const RELISTEN_MS: u32 = 5_000;

/// What every owner screen shares. Copy: every field is a handle.
#[derive(Clone, Copy)]
pub struct Owner {
    /// UI language.
    pub lang: RwSignal<Lang>,
    /// The screen shown.
    pub page: RwSignal<Page>,
    /// Who is signed in.
    pub session: RwSignal<Session>,
    /// The last failure, shown until dismissed.
    pub error: RwSignal<Option<Error>>,
    /// The first business day of the figures shown.
    pub from: RwSignal<NaiveDate>,
    /// The last business day of the figures shown.
    pub to: RwSignal<NaiveDate>,
    /// The last live event; screens showing synced data reload when it changes.
    pub live: RwSignal<Option<Live>>,
    /// The last sales that landed, for the status line (a device's own sync says less).
    pub last_sale: RwSignal<Option<Live>>,
    /// The open event stream and its listener (dropping the listener would break the stream).
    stream: StoredValue<Option<Stream>, LocalStorage>,
}

impl Owner {
    fn new(lang: RwSignal<Lang>) -> Owner {
        let today = akinai_core::tokyo_date(Utc::now());
        Owner {
            lang,
            page: RwSignal::new(Page::current()),
            session: RwSignal::new(Session::Checking),
            error: RwSignal::new(None),
            from: RwSignal::new(today),
            to: RwSignal::new(today),
            live: RwSignal::new(None),
            last_sale: RwSignal::new(None),
            stream: StoredValue::new_local(None),
        }
    }

    /// The message `id` in the UI language.
    pub fn t(&self, id: &str) -> String {
        self.lang.get().text(id)
    }

    /// The message `id` as a view that follows the UI language. One closure type for every
    /// message, so that the wasm carries one copy of the code that renders it.
    pub fn tr(self, id: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
        move || self.t(id)
    }

    /// The message `id` with `args` filled in, in the UI language.
    pub fn text(&self, id: &str, args: &[(&'static str, String)]) -> String {
        // Whole numbers go in as numbers, so that plural forms follow them.
        let args: Vec<_> = args
            .iter()
            .map(|(name, value)| match value.parse::<i64>() {
                Ok(number) => (*name, number.into()),
                Err(_) => (*name, value.clone().into()),
            })
            .collect();
        self.lang.get().text_with(id, &args)
    }

    /// Shows `page` and adds it to the browser's history, so back returns here.
    pub fn go(&self, page: Page) {
        if page != self.page.get_untracked() {
            // Without history the page still changes; only back would skip it.
            let _ = window().history().and_then(|h| {
                h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page.path()))
            });
            self.error.set(None);
            self.page.set(page);
        }
    }

    /// Shows a failure: a lapsed session goes back to sign-in, anything else to the banner.
    pub fn fail(&self, err: Error) {
        if lapsed(&err) {
            self.signed_out();
        } else {
            self.error.set(Some(err));
        }
    }

    /// `GET path`; a failure goes to the banner (or to sign-in) and answers `None`.
    pub async fn fetch<T: serde::de::DeserializeOwned>(self, path: &str) -> Option<T> {
        http::get(Auth::Browser, path).await.map_err(|err| self.fail(err)).ok()
    }

    /// Runs a server action in the background, showing its error if it fails.
    pub fn spawn(self, action: impl std::future::Future<Output = Result<()>> + 'static) {
        leptos::task::spawn_local(async move {
            if let Err(err) = action.await {
                self.fail(err);
            }
        });
    }

    /// Signed in as `me`: start listening for live events.
    fn signed_in(self, me: api::Owner) {
        self.session.set(Session::SignedIn(me));
        self.listen();
    }

    /// Nobody is signed in any more: stop listening and show sign-in.
    fn signed_out(self) {
        self.stream.update_value(|stream| {
            if let Some((source, ..)) = stream.take() {
                source.close();
            }
        });
        self.session.set(Session::SignedOut);
    }

    /// Opens `GET /events`: each sale or device sync anywhere becomes [`Owner::live`]. The browser
    /// reconnects by itself after a drop; each (re)connection counts as news too, since what
    /// landed while the stream was down sent no event. A stream the browser gave up on (an
    /// answer other than a stream, such as a server busy restarting) is opened again later.
    fn listen(self) {
        if self.stream.with_value(Option::is_some) {
            return;
        }
        let Ok(source) = web_sys::EventSource::new(&format!("{}/events", http::BASE)) else {
            return;
        };
        let on_event =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let event =
                    ev.data().as_string().and_then(|data| http::from_json::<LiveEvent>(&data).ok());
                if let Some(event) = event {
                    let live = (event, Utc::now());
                    if live.0.kind == EventKind::Sale {
                        self.last_sale.set(Some(live.clone()));
                    }
                    self.live.set(Some(live));
                }
            });
        let opened = std::cell::Cell::new(false);
        let on_state = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            if ev.type_() == "open" {
                // The first opening follows the screen's own load; a later one is a reconnection.
                if opened.replace(true) {
                    self.live.update(|_| ());
                }
            } else if self.stream.try_with_value(|stream| {
                stream
                    .as_ref()
                    .is_some_and(|(s, ..)| s.ready_state() == web_sys::EventSource::CLOSED)
            }) == Some(true)
            {
                self.relisten();
            }
        });
        for kind in [EventKind::Sale, EventKind::Device] {
            // Without a listener the view still works; it just is not live.
            let _ = source
                .add_event_listener_with_callback(kind.as_str(), on_event.as_ref().unchecked_ref());
        }
        for kind in ["open", "error"] {
            let _ =
                source.add_event_listener_with_callback(kind, on_state.as_ref().unchecked_ref());
        }
        self.stream.set_value(Some((source, on_event, on_state)));
    }

    /// Drops a stream the browser closed and opens a new one after [`RELISTEN_MS`], if the owner
    /// is still signed in then.
    fn relisten(self) {
        leptos::task::spawn_local(async move {
            // Dropped after this task starts: the listener that called us is part of the stream.
            if let Some(Some((source, ..))) = self.stream.try_update_value(Option::take) {
                source.close();
            }
            gloo_timers::future::TimeoutFuture::new(RELISTEN_MS).await;
            if self.session.try_with_untracked(|s| matches!(s, Session::SignedIn(_))) == Some(true)
            {
                self.listen();
                // Whatever landed while no stream was open.
                self.live.update(|_| ());
            }
        });
    }
}

/// Whether the server refused because the owner's session is missing or over (not a wrong
/// password at sign-in, which is a 401 too).
pub fn lapsed(err: &Error) -> bool {
    matches!(err, Error::Refused { status: 401, code: Some(ErrorCode::Unauthorized) | None, .. })
}

/// The owner state provided by [`OwnerApp`]; a component mounted outside it is a bug.
pub fn use_owner() -> Owner {
    expect_context::<Owner>()
}

/// Asks the server who is signed in; with no server, shows what was kept from last time.
fn check_session(owner: Owner) {
    leptos::task::spawn_local(async move {
        match http::get::<api::Owner>(Auth::Browser, "/owner/me").await {
            Ok(me) => owner.signed_in(me),
            Err(Error::Network(_)) => owner.session.set(Session::Offline),
            Err(err) => {
                owner.fail(err);
                owner.signed_out();
            }
        }
    });
}

/// The whole owner view.
#[component]
pub fn OwnerApp() -> impl IntoView {
    let lang = provide_language();
    let owner = Owner::new(lang);
    provide_context(owner);
    crate::device::pwa::register_service_worker(crate::device::pwa::OWNER);
    let update = crate::device::pwa::update_state();
    // The phone's back button: show the page the address bar went back to.
    std::mem::forget(window_event_listener(leptos::ev::popstate, move |_| {
        owner.page.set(Page::current());
    }));
    check_session(owner);
    // Back online after starting offline: find out who is signed in, and go live.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        if owner.session.get_untracked() == Session::Offline {
            check_session(owner);
        }
    }));
    view! {
        <div class="owner">
            <header class="top-bar">
                <div class="brand">
                    <h1>{owner.tr("app-name")}</h1>
                    <p class="tagline">{owner.tr("owner-tagline")}</p>
                </div>
                <LanguageSwitch />
            </header>
            <UpdateBanner ready=update />
            <ErrorBanner error=owner.error />
            <main id="main" class="workspace">
                {move || match owner.session.get() {
                    Session::Checking => loading().into_any(),
                    Session::SignedOut => view! { <account::Account /> }.into_any(),
                    Session::SignedIn(_) | Session::Offline => view! { <Nav /> <Screen /> }.into_any(),
                }}
            </main>
        </div>
    }
}

/// What shows while the server is asked.
fn loading() -> impl IntoView {
    view! { <p class="loading">{use_owner().tr("loading")}</p> }
}

/// The page shown now.
#[component]
fn Screen() -> impl IntoView {
    let owner = use_owner();
    move || match owner.page.get() {
        Page::Figures(store) => view! { <dashboard::Figures store /> }.into_any(),
        Page::Receipts(store) => view! { <dashboard::Receipts store /> }.into_any(),
        Page::Receipt(id) => view! { <dashboard::OneReceipt id /> }.into_any(),
        Page::Stores => view! { <stores::Stores /> }.into_any(),
        Page::Store(id) => view! { <stores::StoreScreen id /> }.into_any(),
        Page::Payments(store) => view! { <payments::PaymentsScreen store /> }.into_any(),
    }
}

/// The sections, the export, who is signed in, and the live status.
#[component]
fn Nav() -> impl IntoView {
    let owner = use_owner();
    let tab = move |page: Page, id: &'static str| {
        let current = move || {
            let shown = owner.page.get();
            let same = match page {
                Page::Stores => matches!(shown, Page::Stores | Page::Store(_) | Page::Payments(_)),
                _ => !matches!(shown, Page::Stores | Page::Store(_) | Page::Payments(_)),
            };
            same.then_some("page")
        };
        view! {
            <button type="button" aria-current=current on:click=move |_| owner.go(page)>
                {move || owner.t(id)}
            </button>
        }
    };
    let sign_out = move |_| {
        owner.spawn(async move {
            http::act(Auth::Browser, gloo_net::http::Method::POST, "/owner/signout").await?;
            owner.signed_out();
            Ok(())
        });
    };
    let who = move || match owner.session.get() {
        Session::SignedIn(me) => me.name,
        _ => owner.t("owner-offline"),
    };
    view! {
        <nav class="owner-nav" aria-label=owner.tr("nav")>
            {tab(Page::Figures(None), "owner-nav-figures")}
            {tab(Page::Stores, "owner-nav-stores")}
        </nav>
        <p class="owner-who">
            <span>{who}</span>
            <Show when=move || matches!(owner.session.get(), Session::SignedIn(_))>
                <button type="button" on:click=sign_out>{owner.tr("owner-sign-out")}</button>
            </Show>
        </p>
        <Show when=move || matches!(owner.session.get(), Session::SignedIn(_))>
            <account::AccountActions />
        </Show>
        <p class="live-status" role="status">
            {move || owner.last_sale.get().map(|(event, at)| {
                let time = at.with_timezone(&akinai_core::TOKYO).format("%H:%M:%S").to_string();
                owner.text("owner-live-sale", &[("count", event.count.to_string()), ("time", time)])
            })}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::Page;

    #[wasm_bindgen_test]
    fn every_page_has_an_address_that_leads_back_to_it() {
        let id = Uuid::now_v7();
        let pages = [
            Page::Figures(None),
            Page::Figures(Some(id)),
            Page::Receipts(None),
            Page::Receipts(Some(id)),
            Page::Receipt(id),
            Page::Stores,
            Page::Store(id),
            Page::Payments(id),
        ];
        for page in pages {
            assert!(Page::is_owner_path(&page.path()), "{page:?}");
            assert_eq!(Page::from_path(&page.path()), page);
        }
        assert_eq!(Page::from_path("/owner/"), Page::Figures(None));
        assert_eq!(Page::from_path("/owner/receipt/not-an-id"), Page::Figures(None));
        assert!(!Page::is_owner_path("/"));
        assert!(!Page::is_owner_path("/ownership"));
    }
}
