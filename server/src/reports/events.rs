//! What happens live, for the owner's open views: a sale or refund synced, a device synced.
//! Sync publishes on a broadcast channel; each owner's server-sent-event stream passes on only
//! that owner's events.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::State;
use axum::response::sse::{self, KeepAlive, Sse};
use serde::Serialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use akinai_core::api::{ErrorBody, EventKind};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{Error, Result};
use crate::http::auth::OwnerSession;
use crate::http::edge::Limits;

/// The live-event streams open: how many per owner, and in all.
#[derive(Debug, Default)]
pub struct Streams {
    open: Mutex<(HashMap<String, usize>, usize)>,
}

/// One open stream, counted until it is dropped (the browser went away).
#[derive(Debug)]
struct StreamSlot {
    streams: Arc<Streams>,
    owner_id: String,
}

impl Streams {
    /// Counts a new stream of `owner_id`, or refuses it: 429 (`too_many_streams`) when the
    /// owner has [`Limits::streams_per_owner`] open, 503 (`busy`) when the server has
    /// [`Limits::streams`].
    fn open(self: &Arc<Self>, owner_id: &str, limits: &Limits) -> Result<StreamSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let (per_owner, total) = &mut *open;
        let mine = per_owner.entry(owner_id.to_owned()).or_default();
        if *mine >= limits.streams_per_owner {
            return Err(Error::TooManyStreams);
        }
        if *total >= limits.streams {
            return Err(Error::Busy(5));
        }
        *mine += 1;
        *total += 1;
        Ok(StreamSlot { streams: self.clone(), owner_id: owner_id.to_owned() })
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(PoisonError::into_inner);
        let (per_owner, total) = &mut *open;
        *total = total.saturating_sub(1);
        if let Some(mine) = per_owner.get_mut(&self.owner_id) {
            *mine = mine.saturating_sub(1);
            if *mine == 0 {
                per_owner.remove(&self.owner_id);
            }
        }
    }
}

/// One happening in one store, sent as [`akinai_core::api::LiveEvent`] (plus whose it is).
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// Whose store; never sent to the browser.
    #[serde(skip)]
    pub owner_id: String,
    /// The store.
    pub store_id: String,
    /// The device it came from.
    pub device_id: String,
    /// What happened.
    pub kind: EventKind,
    /// How many records landed.
    pub count: u64,
}

/// `GET /api/v1/events`: the owner's live events as server-sent events (`event: sale` or
/// `event: device`, data `{store_id, device_id, kind, count}`), kept alive through proxies.
#[utoipa::path(get, path = "/api/v1/events", operation_id = "events", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    responses((status = 200, content_type = "text/event-stream", body = String,
            description = "Live events: `event: sale` / `event: device`, each `data:` a LiveEvent"),
        (status = 429, body = ErrorBody, description = "The owner has 8 streams open (`code`: `too_many_streams`)"),
        (status = 503, body = ErrorBody, description = "The server has as many streams open as it takes (`code`: `busy`)")))]
pub async fn stream(
    State(state): State<AppState>,
    owner: OwnerSession,
) -> Result<Sse<impl Stream<Item = Result<sse::Event, Infallible>>>> {
    let slot = state.streams.open(&owner.owner_id, &state.limits)?;
    let events = BroadcastStream::new(state.events.subscribe()).filter_map(move |event| {
        // The stream holds its slot until the browser goes away and the stream is dropped.
        let _slot = &slot;
        // A view that fell behind skips what it missed; the next event brings it up to date.
        let event = event.ok().filter(|event| event.owner_id == owner.owner_id)?;
        sse::Event::default().event(event.kind.as_str()).json_data(&event).ok().map(Ok)
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

/// The owner's live events.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(stream))
}

#[cfg(test)]
mod tests {
    use akinai_core::api::LiveEvent;

    use super::*;

    #[test]
    fn an_event_reads_as_the_apps_live_event() {
        let id = uuid::Uuid::now_v7();
        let event = Event {
            owner_id: "owner".into(),
            store_id: id.to_string(),
            device_id: id.to_string(),
            kind: EventKind::Sale,
            count: 2,
        };
        let read: LiveEvent =
            serde_json::from_value(serde_json::to_value(&event).unwrap()).unwrap();
        assert_eq!(
            read,
            LiveEvent { store_id: id, device_id: id, kind: EventKind::Sale, count: 2 }
        );
    }
}
