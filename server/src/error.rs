//! The server's one error type, and how each kind answers over HTTP.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Everything the server can fail at.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request is well-formed but its content is wrong; the domain names the field.
    #[error(transparent)]
    Domain(#[from] akinai_core::Error),
    /// Nothing is there.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Demo data or another bundled file did not parse.
    #[error("{0}")]
    Data(#[from] serde_json::Error),
}

/// The server's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Error::Domain(err) => {
                let body = json!({
                    "error": err.to_string(),
                    "field": err.field().as_str(),
                });
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            Error::NotFound => {
                (StatusCode::NOT_FOUND, Json(json!({"error": "not found"}))).into_response()
            }
            // Internals stay in the log, not in the answer.
            other => {
                tracing::error!(error = %other, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal error"})))
                    .into_response()
            }
        }
    }
}
