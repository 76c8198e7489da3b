//! What a tablet calls: pairing with a code, its outbox arriving, and the changes of its store.

pub mod changes;
pub mod pair;
pub mod sync;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(changes::router()).merge(pair::router()).merge(sync::router())
}
