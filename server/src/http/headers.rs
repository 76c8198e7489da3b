//! The security headers of every answer (the app's pages and files, and the API): a Content
//! Security Policy that allows only what the app needs, no sniffing, no framing, and no
//! referrer beyond this origin.
//!
//! The pages start the wasm with an inline module script that Trunk writes (and renames with
//! every build), so the policy allows exactly those scripts by their SHA-256, read from the
//! built pages when the server starts: a rebuild never needs the policy edited.

use std::path::Path;

use axum::Router;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, VARY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

use super::html::hash_source;

/// The built pages whose inline scripts the policy allows (the register's and the owner's).
const PAGES: [&str; 2] = ["index.html", "owner-app/index.html"];

/// The headers, for the app built in `dir`.
pub fn security_headers(dir: &Path) -> Vec<(HeaderName, HeaderValue)> {
    let pages: Vec<String> =
        PAGES.iter().filter_map(|page| std::fs::read_to_string(dir.join(page)).ok()).collect();
    let hashes: Vec<String> = pages.iter().flat_map(|page| inline_script_hashes(page)).collect();
    let policy = policy(&hashes);
    let mut headers = vec![
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (REFERRER_POLICY, HeaderValue::from_static("same-origin")),
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    match HeaderValue::from_str(&policy) {
        Ok(value) => headers.push((CONTENT_SECURITY_POLICY, value)),
        // Hashes are base64 and the rest is constant: this cannot happen, but a page without
        // its policy must not go unnoticed.
        Err(err) => tracing::error!(%err, "the Content-Security-Policy is not a header value"),
    }
    headers
}

/// The headers of a page that runs nothing and fetches nothing, its one inline style sheet
/// allowed by `style` (its CSP source), and whose URL is a secret (the e-receipt pages): no
/// referrer, never cached or indexed, isolated from other sites; HSTS when `https` (the server
/// itself serves HTTPS).
pub fn sealed_page_headers(style: &str, https: bool) -> Vec<(HeaderName, HeaderValue)> {
    let policy = format!(
        "default-src 'none'; style-src {style}; base-uri 'none'; form-action 'none'; \
         frame-ancestors 'none'"
    );
    let mut headers = vec![
        // A hash is base64 and the rest constant: the fallback is only ever stricter.
        (
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&policy)
                .unwrap_or(HeaderValue::from_static("default-src 'none'")),
        ),
        // The token is in the URL: nothing the page leads to may learn it.
        (REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        (CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow, noarchive"),
        ),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        (X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
        (VARY, HeaderValue::from_static("Accept-Language")),
    ];
    if https {
        headers.push((STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000")));
    }
    headers
}

/// `router` with the security headers of the app built in `dir` on every answer (a route that
/// sets its own keeps it).
pub fn with_security_headers(mut router: Router, dir: &Path) -> Router {
    for (name, value) in security_headers(dir) {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router
}

/// The policy, allowing the inline scripts of `hashes` (`'sha256-…'` each).
fn policy(hashes: &[String]) -> String {
    let scripts: String = hashes.iter().map(|hash| format!(" {hash}")).collect();
    [
        "default-src 'self'".to_owned(),
        format!("script-src 'self' 'wasm-unsafe-eval'{scripts}"),
        // Leptos sets style attributes (item colours, bar widths).
        "style-src 'self' 'unsafe-inline'".to_owned(),
        // The pairing QR code is an SVG data URL; the camera's frames are blobs.
        "img-src 'self' data: blob:".to_owned(),
        "connect-src 'self'".to_owned(),
        "worker-src 'self'".to_owned(),
        "manifest-src 'self'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        "form-action 'self'".to_owned(),
    ]
    .join("; ")
}

/// The CSP source of each inline `<script>` (one without `src`) of an HTML page.
fn inline_script_hashes(page: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else { break };
        let Some(close) = rest.find("</script>") else { break };
        let tag = &rest[..open_end];
        if open_end < close && !tag.contains(" src=") {
            hashes.push(hash_source(&rest[open_end + 1..close]));
        }
        rest = &rest[close + "</script>".len()..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let page = r#"<script type="module">alert(1)</script><script src="/a.js"></script>
            <script>x</script>"#;
        let hashes = inline_script_hashes(page);
        // `echo -n alert(1) | openssl sha256 -binary | base64`, and the same of `x`.
        assert_eq!(
            hashes,
            [
                "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='",
                "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='",
            ]
        );
        assert!(policy(&hashes).contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-bhH"));
    }

    #[test]
    fn sealed_pages_ask_for_https_only_when_served_over_it() {
        let hsts = |https| {
            sealed_page_headers("'sha256-x'", https)
                .into_iter()
                .find(|(name, _)| *name == STRICT_TRANSPORT_SECURITY)
                .map(|(_, value)| value)
        };
        assert_eq!(hsts(true), Some(HeaderValue::from_static("max-age=31536000")));
        assert_eq!(hsts(false), None);
        let headers = sealed_page_headers("'sha256-x'", false);
        let policy = headers.iter().find(|(name, _)| *name == CONTENT_SECURITY_POLICY).unwrap();
        assert_eq!(
            policy.1,
            "default-src 'none'; style-src 'sha256-x'; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'"
        );
    }
}
