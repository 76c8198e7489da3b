//! Akinai's server: keeps the shops' data and serves the app and its API.
//!
//! - [`router`] (here): every room's routes joined, the generated OpenAPI document, the app.
//! - [`error`]: the server's one error type and how each kind answers (status, machine code).
//! - [`http`]: the plumbing under the rooms: reading input, who is asking, limits, the OpenAPI
//!   document's common parts and the built app.
//! - [`owner`]: what an owner manages: accounts, stores, staff, catalog, devices and pairing codes.
//! - [`device`]: what a paired device calls: its outbox arriving.
//! - [`payments`]: QR payments through a provider (PayPay), refunds, the provider's secrets.
//! - [`reports`]: the owner's figures and sales, live events and export.
//! - [`ereceipt`]: the e-receipt pages a receipt's QR code links to (`/r/{token}`).
//! - [`db`]: SQLite or PostgreSQL, one set of queries, and multi-row inserts.
//! - [`tools`]: the command line's verify and quote, and the demo shop.

pub mod db;
pub mod device;
pub mod ereceipt;
pub mod error;
pub mod http;
pub mod owner;
pub mod payments;
pub mod reports;
pub mod tools;

use std::path::Path;
use std::sync::Arc;

use akinai_core::api::Health;
use axum::routing::{any, get};
use axum::{Router, middleware};
use tokio::sync::{Semaphore, broadcast};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::edge::{self, Limits};
use crate::http::{app_shell, headers, openapi};

pub use db::database::Db;
pub use error::{Error, Result};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Live events for owners' open views.
    pub events: broadcast::Sender<reports::events::Event>,
    /// Sign-in, sign-up and pairing attempts, to slow down guessing.
    pub limiter: Arc<http::limiter::Limiter>,
    /// How much the server takes on at once.
    pub limits: Limits,
    /// Requests being answered ([`Limits::in_flight`] permits).
    pub in_flight: Arc<Semaphore>,
    /// Password hashes being computed ([`Limits::hashing`] permits).
    pub hashing: Arc<Semaphore>,
    /// Live-event streams open, per owner.
    pub streams: Arc<reports::events::Streams>,
    /// The largest total one synced sale (or refund) may come to.
    pub max_sale: akinai_core::Yen,
    /// QR payments through the stores' providers.
    pub payments: Arc<payments::Engine>,
    /// True when this process serves HTTPS itself (pages then ask browsers to keep to it).
    pub https: bool,
}

/// The ceiling on one sale's total unless `akinai serve --max-sale` says otherwise: ¥100,000,000.
pub const DEFAULT_MAX_SALE: akinai_core::Yen = akinai_core::Yen::new(100_000_000);

impl AppState {
    /// State over an open database, with the default limits.
    pub fn new(db: Db) -> AppState {
        AppState::with_limits(db, Limits::default())
    }

    /// State over an open database, taking on at most what `limits` say. Its payments engine
    /// seals secrets with a key that lives as long as the process and trusts the system's
    /// roots; `akinai serve` gives it the key file ([`AppState::with_payments`]).
    pub fn with_limits(db: Db, limits: Limits) -> AppState {
        let (events, _) = broadcast::channel(1024);
        let engine = payments::Engine::new(
            db.clone(),
            payments::secrets::Sealer::ephemeral(),
            payments::engine::http_client(None).unwrap_or_default(),
            payments::provider::Timeouts::default(),
        );
        AppState {
            payments: Arc::new(engine),
            db,
            events,
            limiter: Arc::default(),
            limits,
            in_flight: Arc::new(Semaphore::new(limits.in_flight)),
            hashing: Arc::new(Semaphore::new(limits.hashing)),
            streams: Arc::default(),
            max_sale: DEFAULT_MAX_SALE,
            https: false,
        }
    }

    /// The same state with `engine` for payments.
    pub fn with_payments(self, engine: payments::Engine) -> AppState {
        AppState { payments: Arc::new(engine), ..self }
    }
}

/// `GET /api/v1/health`: the server is up.
#[utoipa::path(get, path = "/api/v1/health", operation_id = "health", tag = "public",
    responses((status = 200, body = Health, description = "The server is up, and its version")))]
async fn health() -> axum::Json<Health> {
    axum::Json(Health { status: "ok".to_owned(), version: env!("CARGO_PKG_VERSION").to_owned() })
}

/// The versioned API: each room's routes, with their descriptions.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(routes!(health))
        .merge(owner::router())
        .merge(device::router())
        .merge(payments::router())
        .merge(reports::router())
        .merge(tools::router())
}

/// The whole HTTP surface: the versioned API under /api/v1, its document, the e-receipt pages
/// under /r, and the app everywhere else.
pub fn router(state: AppState, app_dir: &Path) -> Router {
    let (api, mut doc) = api().split_for_parts();
    openapi::add_common_refusals(&mut doc);
    let doc = std::sync::Arc::new(doc);
    let not_found = || async { Error::NotFound };
    let api = api
        // Anything else under the API is a JSON 404, never the app's page.
        .route("/api/v1", any(not_found))
        .route("/api/v1/{*rest}", any(not_found))
        .layer(middleware::from_fn(edge::json_too_large))
        .layer(middleware::from_fn(edge::same_origin))
        .with_state(state.clone());
    let document = move || {
        let doc = doc.clone();
        async move { axum::Json(doc.as_ref().clone()) }
    };
    let router = Router::new()
        .route("/api/openapi.json", get(document))
        .merge(api)
        // Before the app, whose fallback would answer any path with its page.
        .merge(ereceipt::router(state.clone()))
        .merge(app_shell::router(app_dir))
        .layer(middleware::from_fn_with_state(state, edge::capacity));
    headers::with_security_headers(router, app_dir)
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
