//! Akinai's server: keeps the shop's data and serves the app and its API.
//!
//! - [`shop`]: the shop's profile and catalog (and the demo shop).
//! - [`quote`]: the receipt of a cart, over HTTP and on the command line.
//! - [`app_shell`]: the built PWA.
//! - [`database`]: the SQLite file.

pub mod app_shell;
pub mod database;
pub mod error;
pub mod quote;
pub mod shop;

use std::path::Path;

use axum::Router;
use axum::routing::{get, post};
use serde_json::json;
use sqlx::SqlitePool;

pub use error::{Error, Result};

/// The whole HTTP surface: the versioned API under /api/v1 and the app everywhere else.
pub fn router(pool: SqlitePool, app_dir: &Path) -> Router {
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
        .with_state(pool);
    Router::new()
        .nest("/api/v1", api)
        .merge(app_shell::router(app_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
