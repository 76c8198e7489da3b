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
    /// Nothing is there (or it belongs to someone else, which looks the same).
    #[error("not found")]
    NotFound,
    /// No valid session or device token.
    #[error("sign in first")]
    Unauthorized,
    /// Signed in, but not allowed to do this.
    #[error("not allowed")]
    Forbidden,
    /// The request cannot be taken as it is (a taken e-mail address, an expired code ...).
    #[error("{0}")]
    Rejected(String),
    /// The request itself is malformed (a missing or impossible parameter, an oversized batch).
    #[error("{field}: {message}")]
    BadRequest {
        /// The parameter or body field at fault.
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Too many attempts; try again after this many seconds.
    #[error("too many attempts; try again in {0} s")]
    TooMany(u64),
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema could not be brought up to date.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Something that should not fail did (hashing, encoding); details go to the log.
    #[error("{0}")]
    Internal(String),
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
            Error::BadRequest { field, ref message } => {
                let body = json!({"error": message, "field": field});
                (StatusCode::BAD_REQUEST, Json(body)).into_response()
            }
            Error::NotFound | Error::Unauthorized | Error::Forbidden | Error::Rejected(_) => {
                let status = match self {
                    Error::NotFound => StatusCode::NOT_FOUND,
                    Error::Unauthorized => StatusCode::UNAUTHORIZED,
                    Error::Forbidden => StatusCode::FORBIDDEN,
                    _ => StatusCode::CONFLICT,
                };
                (status, Json(json!({"error": self.to_string()}))).into_response()
            }
            Error::TooMany(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, seconds.to_string())],
                Json(json!({"error": self.to_string()})),
            )
                .into_response(),
            // Internals stay in the log, not in the answer.
            other => {
                tracing::error!(error = %other, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal error"})))
                    .into_response()
            }
        }
    }
}
