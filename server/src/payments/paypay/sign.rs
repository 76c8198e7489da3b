//! OPA request signature: `Authorization: hmac OPA-Auth:{key}:{mac}:{nonce}:{epoch}:{hash}`.
//!
//! `hash` = Base64(MD5(Content-Type ‖ body)), or the literal `empty` (for the Content-Type too)
//! when there is no body; `mac` = Base64(HMAC-SHA256(secret, path ⏎ METHOD ⏎ nonce ⏎ epoch ⏎
//! Content-Type ⏎ hash)) with the query string left out of the path. Both sides work on bytes as
//! sent: the signer signs the exact body it sends, the verifier hashes the received header and
//! raw body, never a re-serialised JSON (official SDKs differ in the Content-Type they send).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest as _, Md5};
use rand::Rng as _;
use ring::hmac;

/// What the hash and the Content-Type are replaced by when a request has no body.
pub const EMPTY: &str = "empty";

/// How far a request's epoch may be from the verifier's clock, exclusive: 2 minutes or more is
/// refused.
pub const MAX_SKEW_SECS: i64 = 120;

/// The header's fixed start.
const PREFIX: &str = "hmac OPA-Auth:";

/// Why a verifier refused a request's `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthRefusal {
    /// No header, or not `hmac OPA-Auth:` followed by five `:`-separated parts.
    Malformed,
    /// The API key is not one the verifier knows.
    UnknownKey,
    /// The epoch is 2 minutes or more away from the verifier's clock.
    ClockSkew,
    /// The hash does not match the received Content-Type and body.
    BodyHash,
    /// The MAC does not match.
    Signature,
}

impl AuthRefusal {
    /// A short English reason, for logs and the stand-in's answers.
    pub fn reason(self) -> &'static str {
        match self {
            AuthRefusal::Malformed => "malformed Authorization header",
            AuthRefusal::UnknownKey => "unknown API key",
            AuthRefusal::ClockSkew => "epoch too far from the server's clock",
            AuthRefusal::BodyHash => "body hash does not match",
            AuthRefusal::Signature => "signature does not match",
        }
    }
}

/// `hash`: Base64(MD5(content_type ‖ body)), or `empty` when the body is empty.
pub fn body_hash(content_type: &str, body: &[u8]) -> String {
    if body.is_empty() {
        return EMPTY.to_owned();
    }
    let mut md5 = Md5::new();
    md5.update(content_type.as_bytes());
    md5.update(body);
    STANDARD.encode(md5.finalize())
}

/// The path that is signed: the query string is not part of it.
fn signed_path(path_and_query: &str) -> &str {
    path_and_query.split_once('?').map_or(path_and_query, |(path, _)| path)
}

/// `macData` for a request whose hash is already known.
fn mac(
    api_secret: &str,
    method: &str,
    path_and_query: &str,
    content_type: &str,
    hash: &str,
    nonce: &str,
    epoch: i64,
) -> hmac::Tag {
    let message =
        [signed_path(path_and_query), method, nonce, &epoch.to_string(), content_type, hash]
            .join("\n");
    let key = hmac::Key::new(hmac::HMAC_SHA256, api_secret.as_bytes());
    hmac::sign(&key, message.as_bytes())
}

/// The Content-Type that is signed: the sent one, or `empty` when there is no body.
fn signed_content_type<'a>(content_type: &'a str, body: &[u8]) -> &'a str {
    if body.is_empty() { EMPTY } else { content_type }
}

/// The `Authorization` header for a request; `content_type` and `body` are exactly what is sent.
#[allow(clippy::too_many_arguments)] // each is one input of the documented algorithm
pub fn authorization(
    api_key: &str,
    api_secret: &str,
    method: &str,
    path_and_query: &str,
    content_type: &str,
    body: &[u8],
    nonce: &str,
    epoch: i64,
) -> String {
    let content_type = signed_content_type(content_type, body);
    let hash = body_hash(content_type, body);
    let tag = mac(api_secret, method, path_and_query, content_type, &hash, nonce, epoch);
    format!("{PREFIX}{api_key}:{}:{nonce}:{epoch}:{hash}", STANDARD.encode(tag.as_ref()))
}

/// Checks a received request's header against its method, path, Content-Type header (verbatim)
/// and raw body; the API key on success. `secret_of` gives a known key's secret.
pub fn verify(
    header: &str,
    method: &str,
    path_and_query: &str,
    received_content_type: Option<&str>,
    raw_body: &[u8],
    now_epoch: i64,
    secret_of: impl Fn(&str) -> Option<String>,
) -> Result<String, AuthRefusal> {
    let fields = header.strip_prefix(PREFIX).ok_or(AuthRefusal::Malformed)?;
    let parts: Vec<&str> = fields.split(':').collect();
    let [api_key, mac_data, nonce, epoch, hash] = parts[..] else {
        return Err(AuthRefusal::Malformed);
    };
    let epoch: i64 = epoch.parse().map_err(|_| AuthRefusal::Malformed)?;
    let secret = secret_of(api_key).ok_or(AuthRefusal::UnknownKey)?;
    if now_epoch.abs_diff(epoch) >= MAX_SKEW_SECS.unsigned_abs() {
        return Err(AuthRefusal::ClockSkew);
    }
    // A GET may arrive with a Content-Type header (Python's SDK sends one); with no body it
    // still signs `empty`.
    let content_type = signed_content_type(received_content_type.unwrap_or(""), raw_body);
    if body_hash(content_type, raw_body) != hash {
        return Err(AuthRefusal::BodyHash);
    }
    let tag = STANDARD.decode(mac_data).map_err(|_| AuthRefusal::Signature)?;
    let message =
        [signed_path(path_and_query), method, nonce, &epoch.to_string(), content_type, hash]
            .join("\n");
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret.as_bytes());
    hmac::verify(&key, message.as_bytes(), &tag).map_err(|_| AuthRefusal::Signature)?;
    Ok(api_key.to_owned())
}

/// A fresh nonce: 8 lowercase letters and digits, as the SDKs make.
pub fn nonce() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..8).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "APIKeyGenerated";
    const SECRET: &str = "APIKeySecretGenerated";
    const NONCE: &str = "acd028";
    const EPOCH: i64 = 1579843452;
    const BODY: &[u8] = br#"{"sampleRequestBodyKey1":"sampleRequestBodyValue1","sampleRequestBodyKey2":"sampleRequestBodyValue2"}"#;
    const PUBLISHED_CT: &str = "application/json;charset=UTF-8;";
    const PUBLISHED: &str = "hmac OPA-Auth:APIKeyGenerated:NW1jKIMnzR7tEhMWtcJcaef+nFVBt7jjAGcVuxHhchc=:acd028:1579843452:1j0FnY4flNp5CtIKa7x9MQ==";

    /// The vectors' request: their key, secret, nonce and epoch.
    fn signed(method: &str, path: &str, content_type: &str, body: &[u8]) -> String {
        authorization(KEY, SECRET, method, path, content_type, body, NONCE, EPOCH)
    }

    fn secret_of(key: &str) -> Option<String> {
        (key == KEY).then(|| SECRET.to_owned())
    }

    #[test]
    fn published_vector() {
        assert_eq!(body_hash(PUBLISHED_CT, BODY), "1j0FnY4flNp5CtIKa7x9MQ==");
        let header = signed("POST", "/v2/codes", PUBLISHED_CT, BODY);
        assert_eq!(header, PUBLISHED);
    }

    #[test]
    fn derived_vectors() {
        let get = signed("GET", "/v2/codes/payments/TEST-0001", "", b"");
        assert_eq!(
            get,
            "hmac OPA-Auth:APIKeyGenerated:Zvwqoww0JeuPC9CES8HTOy6xa+QaNBMOjIBImwolveY=:acd028:1579843452:empty"
        );
        // A Content-Type on a bodiless request changes nothing: `empty` is signed.
        let delete =
            signed("DELETE", "/v2/payments/TEST-0001", "application/json;charset=UTF-8", b"");
        assert_eq!(
            delete,
            "hmac OPA-Auth:APIKeyGenerated:Vhes8knc6ZJZlmBKNx9pngIcP5Yzp1tgHxkKpRwidvY=:acd028:1579843452:empty"
        );
        assert_eq!(body_hash("application/json", BODY), "i3GU5qrLqFGYbYymM6gKHQ==");
        let plain = signed("POST", "/v2/codes", "application/json", BODY);
        assert_eq!(
            plain,
            "hmac OPA-Auth:APIKeyGenerated:MN7EXTtA7UbHXClLXGPMbhFLEDADuNESkGI0K+OtgRk=:acd028:1579843452:i3GU5qrLqFGYbYymM6gKHQ=="
        );
    }

    #[test]
    fn query_is_not_signed() {
        let with = signed("POST", "/v2/payments?agreeSimilarTransaction=true", PUBLISHED_CT, BODY);
        let without = signed("POST", "/v2/payments", PUBLISHED_CT, BODY);
        assert_eq!(with, without);
    }

    #[test]
    fn verifies_the_published_vector() {
        let ok = verify(
            PUBLISHED,
            "POST",
            "/v2/codes",
            Some(PUBLISHED_CT),
            BODY,
            EPOCH + 119,
            secret_of,
        );
        assert_eq!(ok, Ok(KEY.to_owned()));
    }

    #[test]
    fn verifier_uses_the_received_content_type_verbatim() {
        // Signed over `…;charset=UTF-8;`: the same body with another header is not the same request.
        let other = verify(
            PUBLISHED,
            "POST",
            "/v2/codes",
            Some("application/json;charset=UTF-8"),
            BODY,
            EPOCH,
            secret_of,
        );
        assert_eq!(other, Err(AuthRefusal::BodyHash));
        let reserialised = br#"{"sampleRequestBodyKey1": "sampleRequestBodyValue1", "sampleRequestBodyKey2": "sampleRequestBodyValue2"}"#;
        let other = verify(
            PUBLISHED,
            "POST",
            "/v2/codes",
            Some(PUBLISHED_CT),
            reserialised,
            EPOCH,
            secret_of,
        );
        assert_eq!(other, Err(AuthRefusal::BodyHash));
    }

    #[test]
    fn bodiless_requests_sign_empty_whatever_the_header() {
        let header = signed("GET", "/v2/codes/payments/TEST-0001", "", b"");
        for content_type in [None, Some("application/json;charset=UTF-8")] {
            let ok = verify(
                &header,
                "GET",
                "/v2/codes/payments/TEST-0001",
                content_type,
                b"",
                EPOCH,
                secret_of,
            );
            assert_eq!(ok, Ok(KEY.to_owned()));
        }
    }

    #[test]
    fn refusals() {
        let at =
            |now| verify(PUBLISHED, "POST", "/v2/codes", Some(PUBLISHED_CT), BODY, now, secret_of);
        assert_eq!(at(EPOCH - 119), Ok(KEY.to_owned()));
        assert_eq!(at(EPOCH + 120), Err(AuthRefusal::ClockSkew));
        assert_eq!(at(EPOCH - 120), Err(AuthRefusal::ClockSkew));
        let wrong_path =
            verify(PUBLISHED, "POST", "/v2/refunds", Some(PUBLISHED_CT), BODY, EPOCH, secret_of);
        assert_eq!(wrong_path, Err(AuthRefusal::Signature));
        let wrong_method =
            verify(PUBLISHED, "PUT", "/v2/codes", Some(PUBLISHED_CT), BODY, EPOCH, secret_of);
        assert_eq!(wrong_method, Err(AuthRefusal::Signature));
        let no_key =
            verify(PUBLISHED, "POST", "/v2/codes", Some(PUBLISHED_CT), BODY, EPOCH, |_| None);
        assert_eq!(no_key, Err(AuthRefusal::UnknownKey));
        let wrong_secret =
            verify(PUBLISHED, "POST", "/v2/codes", Some(PUBLISHED_CT), BODY, EPOCH, |_| {
                Some("x".to_owned())
            });
        assert_eq!(wrong_secret, Err(AuthRefusal::Signature));
        for bad in [
            "",
            "hmac OPA-Auth:a:b:c:d",
            "Bearer x",
            "hmac OPA-Auth:a:b:c:notanumber:e",
            "hmac OPA-Auth:a:b:c:1:e:f",
        ] {
            let refused =
                verify(bad, "POST", "/v2/codes", Some(PUBLISHED_CT), BODY, EPOCH, secret_of);
            assert_eq!(refused, Err(AuthRefusal::Malformed), "{bad}");
        }
    }

    #[test]
    fn nonces_are_eight_lowercase_alphanumerics() {
        let a = nonce();
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert_ne!(a, nonce());
    }
}
