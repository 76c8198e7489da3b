//! The server's one error type, and how each kind answers over HTTP.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use akinai_core::api::{ErrorBody, ErrorCode};

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
    /// Sign-up with an e-mail address that already has an account.
    #[error("this e-mail address already has an account")]
    EmailTaken,
    /// A pairing code that is unknown, used or expired.
    #[error("this pairing code is unknown, used or expired")]
    CodeRefused,
    /// Pairing a device that is paired (with this store or another).
    #[error("this device is already paired")]
    AlreadyPaired,
    /// The request body is larger than the route takes.
    #[error("the request is too large")]
    TooLarge,
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
    /// A state-changing request from another site, or one a cross-site form could send.
    #[error("refused: not sent by this app (cross-site, or not JSON)")]
    CrossSite,
    /// The server is at its limit of work at once; try again after this many seconds.
    #[error("the server is busy; try again in {0} s")]
    Busy(u64),
    /// The request took longer than the server gives one.
    #[error("the request took too long")]
    TimedOut,
    /// The owner already has as many live-event streams open as allowed.
    #[error("too many live-event streams are open")]
    TooManyStreams,
    /// A payment through a provider cannot go on: its code (`payment_mismatch`,
    /// `provider_not_configured`, `secrets_locked`, …) says why.
    #[error("payment refused: {0:?}")]
    Payment(ErrorCode),
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

impl Error {
    /// The HTTP status and machine code this error answers with.
    pub fn status_and_code(&self) -> (StatusCode, ErrorCode) {
        match self {
            // The staff rules refuse what the store holds now, not the input's form.
            Error::Domain(err @ (akinai_core::Error::PinTaken | akinai_core::Error::LastOwner)) => {
                (StatusCode::CONFLICT, err.code())
            }
            Error::Domain(err) => (StatusCode::UNPROCESSABLE_ENTITY, err.code()),
            Error::BadRequest { .. } => (StatusCode::BAD_REQUEST, ErrorCode::BadParameter),
            Error::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Error::Unauthorized => (StatusCode::UNAUTHORIZED, ErrorCode::Unauthorized),
            Error::WrongCredentials => (StatusCode::UNAUTHORIZED, ErrorCode::WrongCredentials),
            Error::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Error::EmailTaken => (StatusCode::CONFLICT, ErrorCode::EmailTaken),
            Error::CodeRefused => (StatusCode::CONFLICT, ErrorCode::PairingCodeRefused),
            Error::AlreadyPaired => (StatusCode::CONFLICT, ErrorCode::DeviceAlreadyPaired),
            Error::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BodyTooLarge),
            Error::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyAttempts),
            Error::CrossSite => (StatusCode::FORBIDDEN, ErrorCode::CrossSite),
            Error::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Busy),
            Error::TimedOut => (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::TimedOut),
            Error::TooManyStreams => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyStreams),
            Error::Payment(code) => (payment_status(*code), *code),
            Error::Database(_) | Error::Migrate(_) | Error::Internal(_) | Error::Data(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal)
            }
        }
    }
}

/// The status a payment refusal answers with.
fn payment_status(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::ProviderRefused | ErrorCode::ProviderRefundLimit => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ErrorCode::ProviderUnavailable => StatusCode::BAD_GATEWAY,
        ErrorCode::SecretsLocked => StatusCode::SERVICE_UNAVAILABLE,
        // payment_mismatch, payment_used, payment_unconfirmed, provider_not_configured: the
        // request is fine, what the server holds is not.
        _ => StatusCode::CONFLICT,
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let field = match &self {
            Error::Domain(err) => Some(err.field().as_str().to_owned()),
            Error::BadRequest { field, .. } => Some((*field).to_owned()),
            _ => None,
        };
        let error = match &self {
            Error::BadRequest { message, .. } => message.clone(),
            // A full server says so; it is not a fault to log. Nor is a payment refusal.
            Error::Busy(_) | Error::TimedOut | Error::Payment(_) => self.to_string(),
            // Internals stay in the log, not in the answer.
            _ if status.is_server_error() => {
                tracing::error!(error = %self, "request failed");
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let body = Json(ErrorBody { code, error, field });
        match self {
            Error::TooMany(seconds) | Error::Busy(seconds) => {
                (status, [(axum::http::header::RETRY_AFTER, seconds.to_string())], body)
                    .into_response()
            }
            _ => (status, body).into_response(),
        }
    }
}
