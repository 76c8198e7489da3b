//! Akinai's server: keeps the shops' data and serves the app and its API.
//!
//! - [`database`]: SQLite or PostgreSQL, one set of queries.
//! - [`auth`]: who is asking (an owner's session or a paired device) and what they may see.
//! - [`accounts`]: owners' accounts and sessions; [`limiter`] slows down guessing.
//! - [`stores`]: stores and the changes devices pull; [`staff`] and [`items`]: their staff and
//!   catalog.
//! - [`pairing`] and [`devices`]: tablets joining a store, and the owner's view of them.
//! - [`openapi`]: the API's OpenAPI document; [`input`]: reading request bodies.
//! - [`shop`]: the demo shop.
//! - [`quote`]: the receipt of a cart, over HTTP and on the command line.
//! - [`sync`]: devices' outbox entries arriving.
//! - [`figures`]: the owner's sales figures and sales.
//! - [`events`]: live happenings for the owner's view.
//! - [`export`]: everything an owner has, as JSON and CSV files.
//! - [`verify`]: checks every device's chain and every stored sale against its record.
//! - [`app_shell`]: the built PWA.

pub mod accounts;
pub mod app_shell;
pub mod auth;
pub mod database;
pub mod devices;
pub mod error;
pub mod events;
pub mod export;
pub mod figures;
pub mod input;
pub mod items;
pub mod limiter;
pub mod openapi;
pub mod pairing;
pub mod quote;
pub mod rows;
pub mod shop;
pub mod staff;
pub mod stores;
pub mod sync;
pub mod verify;

use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, patch, post, put};
use serde_json::json;
use tokio::sync::broadcast;

pub use database::Db;
pub use error::{Error, Result};

/// The largest sync request: a full batch of large sales, with room to spare.
const SYNC_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Live events for owners' open views.
    pub events: broadcast::Sender<events::Event>,
    /// Failed sign-ins and pairing attempts, to slow down guessing.
    pub limiter: Arc<limiter::Limiter>,
}

impl AppState {
    /// State over an open database.
    pub fn new(db: Db) -> AppState {
        let (events, _) = broadcast::channel(1024);
        AppState { db, events, limiter: Arc::default() }
    }
}

/// The whole HTTP surface: the versioned API under /api/v1 and the app everywhere else.
pub fn router(state: AppState, app_dir: &Path) -> Router {
    let api = Router::new()
        .route(
            "/health",
            get(|| async {
                axum::Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
            }),
        )
        .route("/shop", get(shop::profile))
        .route("/catalog", get(shop::catalog))
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
        .route("/stores/{store}/items", get(items::list))
        .route("/stores/{store}/items/{id}", put(items::put).delete(items::delete))
        .route("/stores/{store}/items.csv", get(items::export).post(items::import))
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
