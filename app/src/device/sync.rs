//! The tablet's link to its store on the server. Sales never wait for it: the outbox is drained
//! in the background in batches — at start, when the browser comes back online, after each
//! sale, as soon as the server answers again after an outage, and on a timer that backs off
//! with jitter while the server answers with errors — and the store's catalog, staff and
//! settings are pulled by version after each push. Nothing leaves the outbox until the server
//! has answered for it.

use std::pin::pin;
use std::rc::Rc;

use akinai_core::api::PairRequest;
use akinai_core::sync::{
    Changes, MAX_BATCH, Pairing, Record, Rejected, SyncBatch, SyncReply, retry_delay_ms,
};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use futures::channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use gloo_net::http::Method;
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use uuid::Uuid;

use super::StoreLink;
use super::keys::{LINK, PAYMENTS, REFUSED};
use super::storage::{Edit, Storage, stores};
use crate::error::{Error, Result};
use crate::http::{self, Auth};

/// How often a synced tablet asks for the store's changes.
const POLL_MS: u32 = 30_000;

/// How often a tablet that cannot reach the server asks whether it answers again: a health
/// check is cheap, and a shop's outbox should drain within seconds of the server's return.
const HEALTH_MS: u32 = 3_000;

/// What the cashier sees of sync.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// The last time a round went through.
    pub last_ok: Option<DateTime<Utc>>,
    /// Since when the server has not been reached (cleared by a round that goes through).
    pub offline_since: Option<DateTime<Utc>>,
    /// The last failure, if the last round failed.
    pub error: Option<Error>,
    /// Records the server refused, with its reasons (kept on the device for the owner).
    pub refused: Vec<Rejected>,
}

/// Wakes the sync loop: the sending end of its wake-up channel, set once the loop runs.
#[derive(Clone, Copy)]
pub struct SyncTrigger(StoredValue<Option<UnboundedSender<()>>, LocalStorage>);

impl SyncTrigger {
    /// A trigger for a loop not started yet.
    pub fn new() -> Self {
        SyncTrigger(StoredValue::new_local(None))
    }

    /// Asks the sync loop to go now rather than at its next timer (nothing if it is not running).
    pub fn kick(&self) {
        // Nothing to wake once the app that owned the trigger is gone.
        let _ = self.0.try_with_value(|sender| {
            if let Some(sender) = sender {
                // A loop that ended has nothing left to do with a kick.
                let _ = sender.unbounded_send(());
            }
        });
    }
}

impl Default for SyncTrigger {
    fn default() -> Self {
        SyncTrigger::new()
    }
}

/// Shows records on screen; `true`: they replace the catalog and staff.
pub type OnRecords = Rc<dyn Fn(&[Record], bool)>;

/// What sync reads and changes of the app: the database, the signals the screens show, and
/// what to do with records that arrive. Sync knows nothing else of the app's state.
#[derive(Clone)]
pub struct SyncHandle {
    /// The device's open database.
    pub db: Rc<Storage>,
    /// The pairing; `None` for a tablet used on its own.
    pub link: RwSignal<Option<StoreLink>>,
    /// How sync is going.
    pub status: RwSignal<SyncStatus>,
    /// Records waiting for the server.
    pub outbox: RwSignal<u32>,
    /// The loop's wake-up.
    pub trigger: SyncTrigger,
    /// Shows arrived shop records on screen; `true`: they replace the catalog and staff.
    pub on_records: OnRecords,
}

impl SyncHandle {
    /// Reads the stored pairing and refused records into the signals.
    pub async fn restore(&self) -> Result<()> {
        let link: Option<StoreLink> = self.db.get(stores::SETTINGS, LINK).await?;
        let refused: Vec<Rejected> =
            self.db.get(stores::SETTINGS, REFUSED).await?.unwrap_or_default();
        self.link.set(link);
        self.status.update(|s| s.refused = refused);
        Ok(())
    }

    /// Starts the background sync of a paired device (once; later calls do nothing).
    pub fn start(self) {
        if self.link.with_untracked(Option::is_none) || self.trigger.0.with_value(Option::is_some) {
            return;
        }
        let (sender, wakeups) = unbounded();
        self.trigger.0.set_value(Some(sender));
        let trigger = self.trigger;
        let online = window_event_listener(leptos::ev::online, move |_| trigger.kick());
        leptos::task::spawn_local(async move {
            self.run(wakeups).await;
            online.remove();
        });
    }

    /// Rounds forever: at once while more records wait, every [`POLL_MS`] when all went
    /// through, as soon as the server answers again when it could not be reached, backing off
    /// with jitter while it answers with errors; a kick cuts a wait.
    /// Ends when the app whose signals it updates is gone (tests unmount it; a page does not).
    async fn run(self, mut wakeups: UnboundedReceiver<()>) {
        let mut failures = 0u32;
        while self.link.try_get_untracked().is_some() {
            let delay = match self.round().await {
                Ok(true) => continue,
                Ok(false) => {
                    failures = 0;
                    POLL_MS
                }
                Err(err) => {
                    let unreachable = unreachable(&err);
                    self.status.update(|s| {
                        s.offline_since.get_or_insert_with(Utc::now);
                        s.error = Some(err);
                    });
                    if unreachable {
                        // An attempt that never reached the server says nothing of its load:
                        // no longer wait, only watch for its return.
                        self.until_reachable(&mut wakeups).await;
                        continue;
                    }
                    failures = failures.saturating_add(1);
                    // Only randomness, never money: spreads many tablets' retries apart.
                    let jitter = (js_sys::Math::random() * 1000.0) as u32;
                    u32::try_from(retry_delay_ms(failures, jitter)).unwrap_or(u32::MAX)
                }
            };
            wait(delay, &mut wakeups).await;
        }
    }

    /// Waits until the server answers a health check (asked every [`HEALTH_MS`] while the
    /// browser is online) or a kick comes (a sale, the `online` event, the cashier).
    async fn until_reachable(&self, wakeups: &mut UnboundedReceiver<()>) {
        while self.link.try_get_untracked().is_some() {
            if wait(HEALTH_MS, wakeups).await {
                return;
            }
            let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
            if online && http::act(Auth::Browser, Method::GET, "/health").await.is_ok() {
                return;
            }
        }
    }

    /// One push of waiting records and one pull of changes; true when more records wait.
    async fn round(&self) -> Result<bool> {
        let Some(link) = self.link.get_untracked() else { return Ok(false) };
        // No network at all: no point asking; the `online` event starts the next round.
        if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
            return Err(Error::Network("offline".into()));
        }
        let entries = self.db.outbox(MAX_BATCH as u32).await?;
        let full = entries.len() == MAX_BATCH;
        if !entries.is_empty() {
            self.push(&link, entries).await?;
        }
        super::payments::send_cancels(&self.db, &link.token).await.map_err(unpaired)?;
        let path = format!("/changes?since={}", link.version);
        let changes: Changes =
            http::get(Auth::Device(&link.token), &path).await.map_err(unpaired)?;
        self.keep_payments(&changes).await?;
        if changes.version != link.version {
            let records = changes.records();
            let link = StoreLink { version: changes.version, ..link };
            self.db.apply(Edit { records: &records, link: Some(&link), ..Edit::default() }).await?;
            (self.on_records)(&records, false);
            self.link.set(Some(link));
        }
        self.status.update(|s| {
            s.last_ok = Some(Utc::now());
            s.offline_since = None;
            s.error = None;
        });
        Ok(full)
    }

    /// Keeps the store's payment settings when the server sent them: the register reads them
    /// (is QR by API set up?) from the device's database.
    async fn keep_payments(&self, changes: &Changes) -> Result<()> {
        match &changes.payments {
            Some(payments) => self.db.set(stores::SETTINGS, PAYMENTS, payments).await,
            None => Ok(()),
        }
    }

    /// Sends a batch and drops what the server answered for from the outbox, keeping the
    /// refusals for the owner.
    async fn push(
        &self,
        link: &StoreLink,
        entries: Vec<akinai_core::sync::OutboxEntry>,
    ) -> Result<()> {
        let waiting = u64::from(self.db.count(stores::OUTBOX).await?);
        let batch = SyncBatch { entries, waiting };
        let reply: SyncReply = http::call(Auth::Device(&link.token), Method::POST, "/sync", &batch)
            .await
            .map_err(unpaired)?;
        let answered = reply.answered(&batch);
        if !reply.rejected.is_empty() {
            let mut refused = self.status.with_untracked(|s| s.refused.clone());
            refused.extend(reply.rejected);
            self.db.set(stores::SETTINGS, REFUSED, &refused).await?;
            self.status.update(|s| s.refused = refused);
        }
        self.db.drop_sent(&answered).await?;
        self.outbox.set(self.db.count(stores::OUTBOX).await?);
        Ok(())
    }

    /// Pairs this tablet (`device_id`) with a store using the owner's one-time `code`: the
    /// store's catalog, staff and settings replace the device's, and sync starts.
    pub async fn pair(self, device_id: Uuid, code: &str, name: &str) -> Result<()> {
        let body =
            PairRequest { code: code.trim().to_owned(), name: name.trim().to_owned(), device_id };
        let pairing: Pairing = http::call(Auth::Browser, Method::POST, "/pair", &body).await?;
        let link = StoreLink {
            token: pairing.token,
            store_id: pairing.store_id,
            version: pairing.changes.version,
        };
        let records = pairing.changes.records();
        let edit = Edit { records: &records, replace: true, link: Some(&link), ..Edit::default() };
        self.db.apply(edit).await?;
        self.keep_payments(&pairing.changes).await?;
        (self.on_records)(&records, true);
        self.link.set(Some(link));
        self.status.update(|s| s.error = None);
        let trigger = self.trigger;
        self.start();
        // A tablet paired again (after a revocation) has its loop running already: wake it.
        trigger.kick();
        Ok(())
    }
}

/// Waits `ms` or until a kick; true when a kick (or the end of the kicks) cut it short.
/// Kicks that came together count as one.
async fn wait(ms: u32, wakeups: &mut UnboundedReceiver<()>) -> bool {
    let kicked = matches!(
        futures::future::select(pin!(TimeoutFuture::new(ms)), wakeups.next()).await,
        futures::future::Either::Right(_)
    );
    while wakeups.try_recv().is_ok() {}
    kicked
}

/// An attempt that never reached the server: no network, or a gateway in front of it that
/// could not reach it either.
fn unreachable(err: &Error) -> bool {
    matches!(err, Error::Network(_) | Error::Refused { status: 502 | 504, .. })
}

/// A 401 to the tablet's token: the owner revoked this tablet.
fn unpaired(err: Error) -> Error {
    if err.status() == Some(401) { Error::Unpaired } else { err }
}

/// The code in what was typed or scanned: the code itself, or the pairing URL's `code`.
pub fn code_from(text: &str) -> String {
    let text = text.trim();
    match text.split_once("code=") {
        Some((_, rest)) => rest.split('&').next().unwrap_or_default().to_owned(),
        None => text.to_owned(),
    }
}

/// The `code` of the page's own URL (`/pair?code=...`, opened from the owner's QR code).
pub fn code_in_location() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let code = code_from(&search);
    (!code.is_empty() && search.contains("code=")).then_some(code)
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{code_from, unreachable};
    use crate::error::Error;

    #[wasm_bindgen_test]
    fn only_attempts_that_never_reached_the_server_skip_the_backoff() {
        assert!(unreachable(&Error::Network("connection refused".into())));
        assert!(unreachable(&Error::Refused { status: 502, code: None, field: None }));
        assert!(!unreachable(&Error::Refused { status: 503, code: None, field: None }));
        assert!(!unreachable(&Error::Refused { status: 500, code: None, field: None }));
        assert!(!unreachable(&Error::Unpaired));
    }

    #[wasm_bindgen_test]
    fn a_scanned_url_or_a_typed_code_gives_the_code() {
        assert_eq!(code_from(" ABCD-EFGH "), "ABCD-EFGH");
        assert_eq!(code_from("https://shop.example/pair?code=ABCD-EFGH"), "ABCD-EFGH");
        assert_eq!(code_from("?code=ABCD-EFGH&x=1"), "ABCD-EFGH");
    }
}
