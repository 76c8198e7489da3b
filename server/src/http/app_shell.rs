//! Serves the built PWA (Trunk's output): two pages, the register (`index.html`) and the owner's
//! view (`owner-app/index.html`, for /owner and /owner/...). Every other path that is not a file
//! gets the register's `index.html`, so that a reload or a shared link loads the right page.

use std::path::Path;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::{SetResponseHeader, SetResponseHeaderLayer};

/// Where in the app's folder the owner's page is built (xtask builds app/owner.html there).
const OWNER_DIR: &str = "owner-app";

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
    let owner = dir.join(OWNER_DIR);
    let owner_page = ServeFile::new(owner.join("index.html"));
    // The owner's worker lives beside its page's files but serves /owner (pwa::OWNER).
    let owner_worker = SetResponseHeader::overriding(
        ServeFile::new(owner.join("sw.js")),
        HeaderName::from_static("service-worker-allowed"),
        HeaderValue::from_static("/owner"),
    );
    Router::new()
        .route_service("/owner", owner_page.clone())
        .route_service("/owner/{*route}", owner_page)
        .route_service(&format!("/{OWNER_DIR}/sw.js"), owner_worker)
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
