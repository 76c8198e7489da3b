//! The server over real HTTP, on a real SQLite file, as the app and integrators reach it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{Backend, TestServer, backends, start_with};

async fn get(server: &TestServer, path: &str) -> (StatusCode, String) {
    let response = server.client.get(server.url(path)).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_demo_shop_is_there_with_its_catalog() {
    for backend in backends() {
        let server = start_with(backend, true).await;
        let (status, body) = get(&server, "/api/v1/shop").await;
        assert_eq!(status, StatusCode::OK);
        let shop: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(shop["name"], "商い堂 本店");
        assert_eq!(shop["pricing"], "tax_included");
        assert!(shop["registration_number"].as_str().unwrap().starts_with('T'));

        let (_, body) = get(&server, "/api/v1/catalog").await;
        let items: Vec<Value> = serde_json::from_str(&body).unwrap();
        assert!(items.len() >= 10);
        let classes: Vec<&str> = items.iter().map(|i| i["tax_class"].as_str().unwrap()).collect();
        for class in ["standard", "food", "reduced", "alcohol", "exempt"] {
            assert!(classes.contains(&class), "the demo sells {class} goods");
        }
    }
}

#[tokio::test]
async fn without_a_shop_the_profile_is_not_found() {
    let server = start_with(Backend::Sqlite, false).await;
    assert_eq!(get(&server, "/api/v1/shop").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&server, "/api/v1/no-such-thing").await.0, StatusCode::NOT_FOUND);
    let (status, body) = get(&server, "/api/v1/health").await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&body).unwrap()["status"].clone()),
        (StatusCode::OK, json!("ok"))
    );
}

#[tokio::test]
async fn quotes_over_http_follow_the_cli_contract() {
    let server = start_with(Backend::Sqlite, false).await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/quote", server.base);
    let cart = json!({"date": "2026-11-23", "lines": [
        {"name": "おにぎり", "unit_price": 160, "qty": 2, "tax_class": "food"},
        {"name": "ビール", "unit_price": 250, "qty": 1, "tax_class": "alcohol"}
    ]});
    let response = client.post(&url).json(&cart).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let receipt: Value = response.json().await.unwrap();
    assert_eq!(receipt["total"], 570);
    assert_eq!(receipt["rates"][0]["rate"], 10);
    assert_eq!(receipt["rates"][1]["tax"], 23);

    let bad = json!({"lines": [{"name": "a", "unit_price": 1, "qty": 1, "tax_class": "wine"}]});
    let response = client.post(&url).json(&bad).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["field"], "lines[0].tax_class");
}

#[tokio::test]
async fn the_app_is_served_on_every_route_it_owns() {
    let server = start_with(Backend::Sqlite, false).await;
    let (status, body) = get(&server, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<title>Akinai</title>"));
    // A reload on a route that is not a file still gets the app.
    assert!(get(&server, "/some/route").await.1.contains("<title>Akinai</title>"));
    assert!(get(&server, "/manifest.webmanifest").await.1.contains("Akinai"));
}

/// Serves the built app in `dir` alone on a free port; returns its base URL.
async fn serve_app(dir: &std::path::Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = akinai_server::http::app_shell::router(dir);
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn the_owner_routes_get_the_owner_page_and_its_worker_may_serve_them() {
    // Two bundles (xtask): the register at the root, the owner's view in owner-app/.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("owner-app")).unwrap();
    std::fs::write(dir.path().join("index.html"), "register").unwrap();
    std::fs::write(dir.path().join("owner-app/index.html"), "owner").unwrap();
    std::fs::write(dir.path().join("owner-app/sw.js"), "worker").unwrap();
    let base = serve_app(dir.path()).await;
    let client = reqwest::Client::new();
    let body = |path: &'static str| {
        let request = client.get(format!("{base}{path}"));
        async move { request.send().await.unwrap().text().await.unwrap() }
    };

    for path in ["/owner", "/owner/stores", "/owner/figures/2026-12-01"] {
        assert_eq!(body(path).await, "owner", "{path}");
    }
    for path in ["/", "/ownership", "/history"] {
        assert_eq!(body(path).await, "register", "{path}");
    }
    let worker = client.get(format!("{base}/owner-app/sw.js")).send().await.unwrap();
    assert_eq!(worker.headers()["service-worker-allowed"], "/owner");
    assert_eq!(worker.text().await.unwrap(), "worker");
}

#[tokio::test]
async fn the_app_goes_out_compressed_to_browsers_that_take_it() {
    // The build writes brotli and gzip copies beside each file (app/compress.mjs).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
    std::fs::write(dir.path().join("app.wasm"), "plain").unwrap();
    std::fs::write(dir.path().join("app.wasm.br"), "brotli").unwrap();
    std::fs::write(dir.path().join("app.wasm.gz"), "gzip").unwrap();
    let url = format!("{}/app.wasm", serve_app(dir.path()).await);
    let client = reqwest::Client::new();

    for (accepts, encoding, body) in [
        ("br, gzip", Some("br"), "brotli"),
        ("gzip", Some("gzip"), "gzip"),
        ("identity", None, "plain"),
    ] {
        let response = client.get(&url).header("accept-encoding", accepts).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let header =
            |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(header("content-encoding").as_deref(), encoding, "{accepts}");
        assert!(header("vary").unwrap().to_lowercase().contains("accept-encoding"), "{accepts}");
        assert_eq!(response.text().await.unwrap(), body, "{accepts}");
    }
}
