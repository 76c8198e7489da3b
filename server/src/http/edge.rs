//! What every request passes on its way in: a cap on requests at once and a deadline (both
//! answer 503 in the JSON error shape rather than hanging), the same-origin rule for requests
//! that change something (CSRF), and a 413 from any body limit in the JSON error shape.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, HOST, ORIGIN};
use axum::http::uri::Authority;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::error::Error;

/// The header the app adds to every request: a cross-site page cannot send it without the
/// browser asking the server first (CORS), which the server never allows.
pub const APP_HEADER: &str = "x-requested-with";

/// How much the server takes on at once, and for how long.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The longest a request may take to be answered (a live-event stream's body is not
    /// counted: its answer starts at once).
    pub request_timeout: Duration,
    /// Requests being answered at once; more answer 503 at once.
    pub in_flight: usize,
    /// Password hashes computed at once (argon2id takes 19 MiB each).
    pub hashing: usize,
    /// Live-event streams open at once per owner; more answer 429.
    pub streams_per_owner: usize,
    /// Live-event streams open at once in all; more answer 503.
    pub streams: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Limits {
            request_timeout: Duration::from_secs(30),
            in_flight: 512,
            hashing: 2 * cores,
            streams_per_owner: 8,
            streams: 512,
        }
    }
}

/// Answers 503 (`busy`) when the server already answers [`Limits::in_flight`] requests, and
/// 503 (`timed_out`) for a request not answered within [`Limits::request_timeout`].
pub async fn capacity(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Ok(_permit) = state.in_flight.clone().try_acquire_owned() else {
        return Error::Busy(1).into_response();
    };
    tokio::time::timeout(state.limits.request_timeout, next.run(request))
        .await
        .unwrap_or_else(|_| Error::TimedOut.into_response())
}

/// Refuses (403, `cross_site`) a request that changes something unless it comes from this
/// origin: a cross-site `Origin` or `Sec-Fetch-Site` is refused; and a form-shaped body
/// (`text/plain`, a form's types) or a cookie without JSON, a token or [`APP_HEADER`] is
/// refused even from clients that send neither header (older browsers), since any site can
/// make a browser send those.
pub async fn same_origin(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    if is_cross_site(request.headers()) {
        return Error::CrossSite.into_response();
    }
    next.run(request).await
}

/// Whether a request that changes something may have come from another site.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).map(|value| value.to_str().unwrap_or(""));
    if let Some(site) = text("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return true;
    }
    if let Some(origin) = text(ORIGIN.as_str()) {
        let authority =
            |name: &'static str| text(name).and_then(|host| host.parse::<Authority>().ok());
        let origin = origin.split_once("://").and_then(|(_, rest)| rest.parse::<Authority>().ok());
        // A TLS proxy that rewrites Host (nginx does by default) names the browser's host in
        // X-Forwarded-Host; a page cannot set that header on a request to another origin.
        let ours = |host: Option<Authority>| host.is_some() && host == origin;
        if origin.is_none()
            || !(ours(authority(HOST.as_str())) || ours(authority("x-forwarded-host")))
        {
            return true;
        }
    }
    let essence = text(CONTENT_TYPE.as_str())
        .and_then(|kind| kind.split(';').next())
        .map(|essence| essence.trim().to_ascii_lowercase());
    // What a cross-site form can send, or what the browser signs with its cookie by itself.
    let form_shaped = essence.as_deref().is_some_and(|essence| {
        matches!(
            essence,
            "text/plain" | "application/x-www-form-urlencoded" | "multipart/form-data"
        )
    });
    if !(form_shaped || headers.contains_key(COOKIE)) {
        return false;
    }
    // A browser sends JSON, a token or a custom header to another origin only after asking it
    // (CORS), which this server never allows.
    let json = essence.as_deref() == Some("application/json");
    !(json || headers.contains_key(AUTHORIZATION) || headers.contains_key(APP_HEADER))
}

/// Gives a 413 from any body limit (the framework's is plain text) the JSON error shape.
pub async fn json_too_large(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"application/json"));
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json {
        return Error::TooLarge.into_response();
    }
    response
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, HeaderValue::from_static(value));
        }
        headers
    }

    #[test]
    fn only_this_origins_json_or_tokens_pass() {
        let json = ("content-type", "application/json; charset=utf-8");
        let host = ("host", "shop.example:8080");
        assert!(!is_cross_site(&headers(&[json])));
        assert!(!is_cross_site(&headers(&[("authorization", "Bearer x")])));
        assert!(!is_cross_site(&headers(&[(APP_HEADER, "akinai")])));
        assert!(!is_cross_site(&headers(&[json, host, ("origin", "https://shop.example:8080")])));
        assert!(!is_cross_site(&headers(&[json, ("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[("content-type", "text/plain")])));
        assert!(is_cross_site(&headers(&[("content-type", "multipart/form-data; boundary=x")])));
        assert!(is_cross_site(&headers(&[("cookie", "__Host-akinai_session=x")])));
        // Nothing ambient and nothing a form sends: the route's own checks answer (401).
        assert!(!is_cross_site(&headers(&[])));
        assert!(is_cross_site(&headers(&[json, host, ("origin", "https://evil.example")])));
        // Behind a proxy that rewrote Host, the forwarded host is the browser's.
        let proxied = [json, ("host", "127.0.0.1:8080"), ("x-forwarded-host", "shop.example")];
        assert!(!is_cross_site(&headers(&[
            proxied[0],
            proxied[1],
            proxied[2],
            ("origin", "https://shop.example")
        ])));
        assert!(is_cross_site(&headers(&[
            proxied[0],
            proxied[1],
            proxied[2],
            ("origin", "https://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[json, host, ("origin", "null")])));
        assert!(is_cross_site(&headers(&[json, ("sec-fetch-site", "same-site")])));
        assert!(is_cross_site(&headers(&[json, ("sec-fetch-site", "cross-site")])));
    }
}
