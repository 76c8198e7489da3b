//! The HTTP plumbing: the router, errors, reading input, who is asking, limits, the OpenAPI
//! document and the built app.

pub mod app_shell;
pub mod auth;
pub mod error;
pub mod input;
pub mod limiter;
pub mod openapi;

use std::path::Path;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use serde_json::json;

use crate::AppState;
use crate::device::sync;
use crate::http::error::Error;
use crate::owner::{accounts, catalog, devices, pairing, staff, stores};
use crate::reports::{events, export, figures};
use crate::tools::{demo, quote};

/// The largest sync request: a full batch of large sales, with room to spare.
const SYNC_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// The whole HTTP surface: the versioned API under /api/v1 and the app everywhere else.
pub fn router(state: AppState, app_dir: &Path) -> Router {
    let api = Router::new()
        .route(
            "/health",
            get(|| async {
                axum::Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
            }),
        )
        .route("/shop", get(demo::profile))
        .route("/catalog", get(demo::catalog))
        .route("/quote", post(quote::handle))
        // Accounts, stores, staff, items, pairing and devices (the owner's side), and a
        // device's pull of changes.
        .route("/owner/signup", post(accounts::sign_up))
        .route("/owner/signin", post(accounts::sign_in))
        .route("/owner/signout", post(accounts::sign_out))
        .route("/owner/me", get(accounts::me))
        .route("/stores", get(stores::list).post(stores::create))
        .route("/stores/{store}", get(stores::get).put(stores::put))
        .route("/stores/{store}/staff", get(staff::list).post(staff::add))
        .route("/stores/{store}/staff/{id}", put(staff::edit).delete(staff::delete))
        .route("/stores/{store}/items", get(catalog::list))
        .route("/stores/{store}/items/{id}", put(catalog::put).delete(catalog::delete))
        .route("/stores/{store}/items.csv", get(catalog::export).post(catalog::import))
        .route("/stores/{store}/pairings", post(pairing::create))
        .route("/stores/{store}/devices", get(devices::list))
        .route("/devices/{device}", patch(devices::rename).delete(devices::revoke))
        .route("/pair", post(pairing::pair))
        .route("/changes", get(stores::pull))
        // Devices' sync and the owner's live figures, sales, events and export.
        .route("/sync", post(sync::handle).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT)))
        .route("/figures", get(figures::figures))
        .route("/sales", get(figures::sales))
        .route("/sales/{id}", get(figures::sale))
        .route("/events", get(events::stream))
        .route("/export", get(export::download))
        .fallback(|| async { Error::NotFound })
        .with_state(state);
    Router::new()
        .route("/api/openapi.json", get(openapi::document))
        .nest("/api/v1", api)
        .merge(app_shell::router(app_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
