//! The server's one error type, and how each kind answers over HTTP.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

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
    /// A sign-in with an unknown e-mail address or the wrong password (which one is not said).
    #[error("wrong e-mail address or password")]
    WrongCredentials,
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

/// What every error answers with.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What is wrong, in English (the app translates by status and `field`).
    pub error: String,
    /// The field of the request it is about, when there is one (`lines[0].qty`, `email`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    /// A body without a field.
    fn new(error: impl Into<String>) -> Json<ErrorBody> {
        Json(ErrorBody { error: error.into(), field: None })
    }
}

/// The server's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Error::Domain(err) => {
                let body =
                    ErrorBody { error: err.to_string(), field: Some(err.field().as_str().into()) };
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            Error::BadRequest { field, message } => {
                let body = ErrorBody { error: message, field: Some(field.to_owned()) };
                (StatusCode::BAD_REQUEST, Json(body)).into_response()
            }
            Error::NotFound
            | Error::Unauthorized
            | Error::WrongCredentials
            | Error::Forbidden
            | Error::Rejected(_) => {
                let status = match self {
                    Error::NotFound => StatusCode::NOT_FOUND,
                    Error::Unauthorized | Error::WrongCredentials => StatusCode::UNAUTHORIZED,
                    Error::Forbidden => StatusCode::FORBIDDEN,
                    _ => StatusCode::CONFLICT,
                };
                (status, ErrorBody::new(self.to_string())).into_response()
            }
            Error::TooMany(seconds) => (
                StatusCode::TOO_MANY_REQUESTS,
                [(axum::http::header::RETRY_AFTER, seconds.to_string())],
                ErrorBody::new(self.to_string()),
            )
                .into_response(),
            // Internals stay in the log, not in the answer.
            other => {
                tracing::error!(error = %other, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorBody::new("internal error"))
                    .into_response()
            }
        }
    }
}
