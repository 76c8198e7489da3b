//! What happens live, for the owner's open views: a sale or refund synced, a device synced.
//! Sync publishes on a broadcast channel; each owner's server-sent-event stream passes on only
//! that owner's events.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{self, KeepAlive, Sse};
use serde::Serialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use crate::AppState;
use crate::http::auth::OwnerSession;

/// One happening in one store.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// Whose store; never sent to the browser.
    #[serde(skip)]
    pub owner_id: String,
    /// The store.
    pub store_id: String,
    /// The device it came from.
    pub device_id: String,
    /// What happened: `sale` (sales or refunds landed) or `device` (a device synced).
    pub kind: &'static str,
    /// How many records landed.
    pub count: u64,
}

/// `GET /api/v1/events`: the owner's live events as server-sent events (`event: sale` or
/// `event: device`, data `{store_id, device_id, kind, count}`), kept alive through proxies.
pub async fn stream(
    State(state): State<AppState>,
    owner: OwnerSession,
) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>>> {
    let events = BroadcastStream::new(state.events.subscribe()).filter_map(move |event| {
        // A view that fell behind skips what it missed; the next event brings it up to date.
        let event = event.ok().filter(|event| event.owner_id == owner.owner_id)?;
        sse::Event::default().event(event.kind).json_data(&event).ok().map(Ok)
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
