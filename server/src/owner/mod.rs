//! What an owner manages: accounts, stores, staff, catalog, devices and pairing codes.

pub mod accounts;
pub mod catalog;
pub mod devices;
pub mod pairing;
pub mod payment_settings;
pub mod staff;
pub mod stores;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(accounts::router())
        .merge(catalog::router())
        .merge(devices::router())
        .merge(pairing::router())
        .merge(payment_settings::router())
        .merge(staff::router())
        .merge(stores::router())
}
