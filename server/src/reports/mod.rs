//! What an owner reads: sales figures and sales over a range, live events and the export.

pub mod events;
pub mod export;
pub mod figures;
pub mod range;
pub mod sales;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(events::router())
        .merge(export::router())
        .merge(figures::router())
        .merge(sales::router())
}
