//! Serves the built PWA (Trunk's output). Every path that is not a file gets `index.html`, so
//! that the app's own routes (/owner, ...) load on a reload or a shared link.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderValue, header};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// A router that serves the app found in `dir`.
pub fn router(dir: &Path) -> Router {
    if !dir.join("index.html").is_file() {
        tracing::warn!(dir = %dir.display(), "no built app here: run `cargo xtask run` to build it");
    }
    // The build writes brotli and gzip copies of the wasm, js and css (app/compress.mjs): a
    // browser that accepts them gets a third of the bytes.
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(ServeFile::new(dir.join("index.html")));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            // The service worker decides what is cached; the network copy must never be stale.
            HeaderValue::from_static("no-cache"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
}
