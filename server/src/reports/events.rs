//! What happens live, for the owner's open views: a sale or refund synced, a device synced.
//! Sync publishes on a broadcast channel; each owner's server-sent-event stream passes on only
//! that owner's events.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{self, KeepAlive, Sse};
use serde::Serialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use akinai_core::api::EventKind;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::http::auth::OwnerSession;

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
            description = "Live events: `event: sale` / `event: device`, each `data:` a LiveEvent")))]
pub async fn stream(
    State(state): State<AppState>,
    owner: OwnerSession,
) -> Sse<impl Stream<Item = Result<sse::Event, Infallible>>> {
    let events = BroadcastStream::new(state.events.subscribe()).filter_map(move |event| {
        // A view that fell behind skips what it missed; the next event brings it up to date.
        let event = event.ok().filter(|event| event.owner_id == owner.owner_id)?;
        sse::Event::default().event(event.kind.as_str()).json_data(&event).ok().map(Ok)
    });
    Sse::new(events).keep_alive(KeepAlive::default())
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
