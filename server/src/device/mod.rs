//! What a paired device calls: its outbox arriving, and the changes of its store.

pub mod changes;
pub mod sync;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(changes::router()).merge(sync::router())
}
