//! Akinai's server: keeps the shops' data and serves the app and its API.
//!
//! - [`http`]: the router, errors, reading input, who is asking, limits, the OpenAPI document
//!   and the built app.
//! - [`owner`]: what an owner manages: accounts, stores, staff, catalog, devices and pairing codes.
//! - [`device`]: what a paired device calls: its outbox arriving.
//! - [`reports`]: the owner's figures and sales, live events and export.
//! - [`db`]: SQLite or PostgreSQL, one set of queries, and multi-row inserts.
//! - [`tools`]: the command line's verify and quote, and the demo shop.

pub mod db;
pub mod device;
pub mod http;
pub mod owner;
pub mod reports;
pub mod tools;

use std::sync::Arc;

use tokio::sync::broadcast;

pub use db::database::Db;
pub use http::error::{Error, Result};
pub use http::router;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Live events for owners' open views.
    pub events: broadcast::Sender<reports::events::Event>,
    /// Failed sign-ins and pairing attempts, to slow down guessing.
    pub limiter: Arc<http::limiter::Limiter>,
}

impl AppState {
    /// State over an open database.
    pub fn new(db: Db) -> AppState {
        let (events, _) = broadcast::channel(1024);
        AppState { db, events, limiter: Arc::default() }
    }
}
