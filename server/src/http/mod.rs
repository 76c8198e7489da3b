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
use axum::routing::{any, get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use akinai_core::api::Health;

use crate::http::error::Error;
use crate::{AppState, device, owner, reports, tools};

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
        .merge(reports::router())
        .merge(tools::router())
}

/// The whole HTTP surface: the versioned API under /api/v1, its document, and the app
/// everywhere else.
pub fn router(state: AppState, app_dir: &Path) -> Router {
    let (api, mut doc) = api().split_for_parts();
    openapi::add_common_refusals(&mut doc);
    let doc = std::sync::Arc::new(doc);
    let not_found = || async { Error::NotFound };
    let api = api
        // Anything else under the API is a JSON 404, never the app's page.
        .route("/api/v1", any(not_found))
        .route("/api/v1/{*rest}", any(not_found))
        .with_state(state);
    let document = move || {
        let doc = doc.clone();
        async move { axum::Json(doc.as_ref().clone()) }
    };
    Router::new()
        .route("/api/openapi.json", get(document))
        .merge(api)
        .merge(app_shell::router(app_dir))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}
