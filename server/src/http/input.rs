//! What clients send: JSON bodies read so that any problem names its field (`422`, like the
//! domain's errors), in the same `{"error", "field"}` shape as every other error.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use akinai_core::error::Field;

use crate::error::Error;

/// A JSON body of type `T`.
#[derive(Clone, Debug)]
pub struct Input<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Input<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Response> {
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            // Too large is the one way reading a body fails that the client can fix.
            let error = if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Error::TooLarge
            } else {
                Error::BadRequest { field: "input", message: rejection.body_text() }
            };
            error.into_response()
        })?;
        parse(&bytes).map(Input).map_err(IntoResponse::into_response)
    }
}

/// Reads `bytes` as JSON, naming the field of the first problem.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut reader = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut reader).map_err(|err| {
        let field = Field::path(&err.path().to_string());
        json_error(err.into_inner(), field)
    })?;
    reader.end().map_err(|err| json_error(err, Field::top("input")))?;
    Ok(value)
}

/// A domain error for a JSON problem: malformed text, a word not allowed, or a value that does
/// not fit `field`.
fn json_error(err: serde_json::Error, field: Field) -> Error {
    Error::Domain(akinai_core::Error::from_json(err, field))
}

/// A domain error naming `field` of the request, for rules the server checks itself.
pub fn invalid(field: &str, detail: &str) -> Error {
    Error::Domain(akinai_core::Error::Invalid { field: Field::top(field), detail: detail.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // Only read to see what fails.
    struct Body {
        name: String,
        count: u32,
    }

    fn field(bytes: &[u8]) -> String {
        match parse::<Body>(bytes) {
            Err(Error::Domain(err)) => err.field().as_str().to_owned(),
            other => panic!("expected a domain error, got {other:?}"),
        }
    }

    #[test]
    fn problems_name_their_field() {
        assert_eq!(field(br#"{"name": "a", "count": -1}"#), "count");
        assert_eq!(field(br#"{"name": "a"}"#), "input");
        assert_eq!(field(b"{"), "input");
        assert!(parse::<Body>(br#"{"name": "a", "count": 1}"#).is_ok());
    }
}
