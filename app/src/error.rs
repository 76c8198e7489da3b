//! The app's one error type. Each variant is something the cashier can be told in their
//! language and, where possible, act on.

use akinai_core::api::ErrorCode;
use akinai_i18n::Lang;

/// Everything the app can fail at.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum Error {
    /// The domain refused something (a short tender, a bad PIN ...).
    #[error(transparent)]
    Domain(#[from] akinai_core::Error),
    /// The device's storage is full.
    #[error("storage is full: {0}")]
    QuotaExceeded(String),
    /// The browser does not let the app store data (private browsing, disabled storage).
    #[error("storage is not available: {0}")]
    Unavailable(String),
    /// Another tab with an older version keeps the database from being upgraded.
    #[error("storage upgrade is blocked by another tab")]
    Blocked,
    /// Any other storage failure.
    #[error("storage failed: {0}")]
    Storage(String),
    /// A stored record could not be read or written as data.
    #[error("stored data could not be read: {0}")]
    Data(String),
    /// A sale needs an open shift.
    #[error("no shift is open")]
    NoShift,
    /// Nothing in the catalog has this code or name.
    #[error("not in the catalog: {0}")]
    NotInCatalog(String),
    /// An import was asked for with no file chosen.
    #[error("no file chosen")]
    NoFile,
    /// A file that is neither UTF-8 nor Shift_JIS text.
    #[error("the file is neither UTF-8 nor Shift_JIS text")]
    NotText,
    /// The camera could not be opened (no permission, no camera).
    #[error("the camera could not be used")]
    Camera,
    /// The server no longer knows this tablet's token: it was revoked in the owner's view.
    #[error("this device is no longer paired")]
    Unpaired,
    /// The device's own settings are missing.
    #[error("the device is not set up")]
    NoDevice,
    /// The server could not be reached or answered with an error.
    #[error("server: {0}")]
    Network(String),
    /// The server refused a request: its HTTP status, and its machine code and the field it
    /// names when it said them.
    #[error("server refused ({status}): {code:?} {field:?}")]
    Refused {
        /// The HTTP status.
        status: u16,
        /// Why, when the server said.
        code: Option<ErrorCode>,
        /// The field of the request it is about, when there is one.
        field: Option<String>,
    },
}

/// The app's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<rexie::Error> for Error {
    fn from(err: rexie::Error) -> Self {
        // rexie's own Display is just "idb error"; the detail is in the source.
        let detail = match &err {
            rexie::Error::IdbError(inner) => inner.to_string(),
            other => other.to_string(),
        };
        if detail.contains("QuotaExceeded") {
            Error::QuotaExceeded(detail)
        } else {
            Error::Storage(detail)
        }
    }
}

impl Error {
    /// The HTTP status the server refused with, if it did.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// An error while opening the database: the browser may refuse storage altogether.
    pub fn opening(err: rexie::Error) -> Self {
        match Error::from(err) {
            Error::Storage(detail) => Error::Unavailable(detail),
            other => other,
        }
    }

    /// One line for the cashier, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Domain(err) => lang.error(err),
            Error::QuotaExceeded(_) => lang.text("storage-full"),
            Error::Unavailable(_) => lang.text("storage-unavailable"),
            Error::Blocked => lang.text("storage-blocked"),
            Error::Storage(detail) | Error::Data(detail) => {
                format!("{} ({detail})", lang.text("storage-failed"))
            }
            Error::NoShift => lang.text("shift-needed"),
            Error::Camera => lang.text("camera-failed"),
            Error::NoFile => lang.text("csv-choose-file"),
            Error::NotText => lang.text("csv-not-text"),
            Error::NotInCatalog(code) => {
                lang.text_with("scan-not-found", &[("code", code.clone().into())])
            }
            Error::Unpaired => lang.text("sync-unpaired"),
            Error::NoDevice => lang.text("storage-unavailable"),
            Error::Network(detail) => format!("{} ({detail})", lang.text("network-failed")),
            Error::Refused { code: Some(code), field, .. } => lang.refusal(*code, field.as_deref()),
            Error::Refused { status, code: None, .. } => {
                let id = match status {
                    400 | 422 => "server-refused-invalid",
                    403 => "server-refused-forbidden",
                    404 => "server-refused-not-found",
                    409 => "server-refused-conflict",
                    429 => "server-refused-too-many",
                    _ => "server-refused-other",
                };
                lang.text(id)
            }
        }
    }
}
