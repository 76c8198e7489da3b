//! The command line's tools: verify the stored chains, back up and restore, quote a cart, and
//! the demo shop; a stand-in for PayPay.

pub mod backup;
pub mod demo;
pub mod quote;
pub mod standin;
pub mod verify;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(demo::router()).merge(quote::router())
}
