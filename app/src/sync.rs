//! The tablet's link to its store on the server. Sales never wait for it: the outbox is drained
//! in the background in batches — at start, when the browser comes back online, after each
//! sale, and on a timer that backs off with jitter while the server cannot be reached — and
//! the store's catalog, staff and settings are pulled by version after each push. Nothing
//! leaves the outbox until the server has answered for it.

use std::cell::Cell;

use akinai_core::api::PairRequest;
use akinai_core::sync::{
    Changes, MAX_BATCH, Pairing, Rejected, SyncBatch, SyncReply, retry_delay_ms,
};
use chrono::{DateTime, Utc};
use gloo_net::http::Method;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::http::{self, Auth};
use crate::state::{AppState, Screen};
use crate::storage::{Edit, LINK, sleep, stores};

/// How often a synced tablet asks for the store's changes.
const POLL_MS: u64 = 30_000;
/// The settings key of the records the server refused.
const REFUSED: &str = "refused";

/// The device's pairing with a store, kept in the device's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The bearer token the server gave at pairing.
    pub token: String,
    /// The store.
    pub store_id: Uuid,
    /// The store version whose changes the device has.
    pub version: u64,
}

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

thread_local! {
    static RUNNING: Cell<bool> = const { Cell::new(false) };
    static KICKED: Cell<bool> = const { Cell::new(false) };
}

/// Asks the sync loop to go now rather than at its next timer.
pub fn kick() {
    KICKED.with(|k| k.set(true));
}

/// Waits `ms`, or less if kicked meanwhile.
async fn wait(ms: u64) {
    let mut left = ms;
    while left > 0 && !KICKED.with(|k| k.replace(false)) {
        let step = left.min(250);
        sleep(step as i32).await;
        left -= step;
    }
}

/// Starts the background sync of a paired device (once; later calls do nothing).
pub fn start(app: AppState) {
    if app.link.with_untracked(Option::is_none) || RUNNING.with(|r| r.replace(true)) {
        return;
    }
    // The handle lives as long as the page.
    std::mem::forget(window_event_listener(leptos::ev::online, |_| kick()));
    leptos::task::spawn_local(async move {
        let mut failures = 0u32;
        loop {
            let delay = match round(app).await {
                Ok(true) => continue,
                Ok(false) => {
                    failures = 0;
                    POLL_MS
                }
                Err(err) => {
                    failures = failures.saturating_add(1);
                    app.sync.update(|s| {
                        s.offline_since.get_or_insert_with(Utc::now);
                        s.error = Some(err);
                    });
                    // Only randomness, never money: spreads many tablets' retries apart.
                    retry_delay_ms(failures, (js_sys::Math::random() * 1000.0) as u32)
                }
            };
            wait(delay).await;
        }
    });
}

/// One push of waiting records and one pull of changes; true when more records wait.
async fn round(app: AppState) -> Result<bool> {
    let Some(link) = app.link.get_untracked() else { return Ok(false) };
    // No network at all: no point asking; the `online` event starts the next round.
    if web_sys::window().is_some_and(|w| !w.navigator().on_line()) {
        return Err(Error::Network("offline".into()));
    }
    let db = app.storage()?;
    let entries = db.outbox(MAX_BATCH as u32).await?;
    let full = entries.len() == MAX_BATCH;
    if !entries.is_empty() {
        let waiting = u64::from(db.count(stores::OUTBOX).await?);
        let batch = SyncBatch { entries, waiting };
        let reply: SyncReply = http::call(Auth::Device(&link.token), Method::POST, "/sync", &batch)
            .await
            .map_err(unpaired)?;
        let answered: Vec<u64> = batch
            .entries
            .iter()
            .filter(|e| reply.acked.contains(&e.id) || reply.rejected.iter().any(|r| r.id == e.id))
            .map(|e| e.seq)
            .collect();
        if !reply.rejected.is_empty() {
            let mut refused = app.sync.with_untracked(|s| s.refused.clone());
            refused.extend(reply.rejected);
            db.set(stores::SETTINGS, REFUSED, &refused).await?;
            app.sync.update(|s| s.refused = refused);
        }
        db.drop_sent(&answered).await?;
        app.outbox.set(db.count(stores::OUTBOX).await?);
    }
    let path = format!("/changes?since={}", link.version);
    let changes: Changes = http::get(Auth::Device(&link.token), &path).await.map_err(unpaired)?;
    if changes.version != link.version {
        let records = changes.records();
        let link = Link { version: changes.version, ..link };
        db.apply(Edit { records: &records, link: Some(&link), ..Edit::default() }).await?;
        app.absorb(&records, false);
        app.link.set(Some(link));
    }
    app.sync.update(|s| {
        s.last_ok = Some(Utc::now());
        s.offline_since = None;
        s.error = None;
    });
    Ok(full)
}

/// A 401 to the tablet's token: the owner revoked this tablet.
fn unpaired(err: Error) -> Error {
    if err.status() == Some(401) { Error::Unpaired } else { err }
}

/// Loads the refused records kept on the device.
pub async fn load_refused(app: AppState) -> Result<()> {
    let refused: Vec<Rejected> =
        app.storage()?.get(stores::SETTINGS, REFUSED).await?.unwrap_or_default();
    app.sync.update(|s| s.refused = refused);
    Ok(())
}

/// Pairs this tablet with a store using the owner's one-time `code`: the store's catalog,
/// staff and settings replace the device's, and sync starts.
pub async fn pair(app: AppState, code: &str, name: &str) -> Result<()> {
    let device_id =
        app.device.with_untracked(|d| d.as_ref().map(|d| d.id)).ok_or(Error::NoDevice)?;
    let body =
        PairRequest { code: code.trim().to_owned(), name: name.trim().to_owned(), device_id };
    let pairing: Pairing = http::call(Auth::Browser, Method::POST, "/pair", &body).await?;
    let link =
        Link { token: pairing.token, store_id: pairing.store_id, version: pairing.changes.version };
    let records = pairing.changes.records();
    let edit = Edit { records: &records, replace: true, link: Some(&link), ..Edit::default() };
    app.storage()?.apply(edit).await?;
    app.absorb(&records, true);
    app.link.set(Some(link));
    // The staff are now the store's: whoever was signed in signs in again.
    app.user.set(None);
    app.screen.set(if app.shop.with_untracked(Option::is_some) {
        Screen::SignIn
    } else {
        Screen::Setup
    });
    app.sync.update(|s| s.error = None);
    start(app);
    // A tablet paired again (after a revocation) has its loop running already: wake it.
    kick();
    Ok(())
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

/// The device's pairing as stored, if any.
pub async fn load_link(app: AppState) -> Result<()> {
    let link: Option<Link> = app.storage()?.get(stores::SETTINGS, LINK).await?;
    app.link.set(link);
    Ok(())
}

#[cfg(test)]
mod tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::code_from;

    #[wasm_bindgen_test]
    fn a_scanned_url_or_a_typed_code_gives_the_code() {
        assert_eq!(code_from(" ABCD-EFGH "), "ABCD-EFGH");
        assert_eq!(code_from("https://shop.example/pair?code=ABCD-EFGH"), "ABCD-EFGH");
        assert_eq!(code_from("?code=ABCD-EFGH&x=1"), "ABCD-EFGH");
    }
}
