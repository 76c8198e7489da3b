//! Akinai's server: keeps the shops' data and serves the app and its API.
//!
//! - [`database`]: SQLite or PostgreSQL, one set of queries.
//! - [`auth`]: who is asking (an owner's session or a paired device) and what they may see.
//! - [`accounts`]: owners' accounts.
//! - [`stores`]: stores, their staff and catalog, and the changes devices pull.
//! - [`shop`]: the demo shop.
//! - [`quote`]: the receipt of a cart, over HTTP and on the command line.
//! - [`events`]: live happenings for the owner's view.
//! - [`app_shell`]: the built PWA.

pub mod accounts;
pub mod app_shell;
pub mod auth;
pub mod database;
pub mod error;
pub mod events;
pub mod quote;
pub mod shop;
pub mod stores;

use std::path::Path;

use axum::Router;
use axum::routing::{get, post};
use serde_json::json;
use tokio::sync::broadcast;

pub use database::Db;
pub use error::{Error, Result};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Live events for owners' open views.
    pub events: broadcast::Sender<events::Event>,
}

impl AppState {
    /// State over an open database.
    pub fn new(db: Db) -> AppState {
        let (events, _) = broadcast::channel(1024);
        AppState { db, events }
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
        .fallback(|| async { Error::NotFound })
        .with_state(state);
    Router::new()
        .nest("/api/v1", api)
        .merge(app_shell::router(app_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
