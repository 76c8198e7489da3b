//! Starts the server for integration tests over real HTTP, on a fresh SQLite file or a fresh
//! database in the throwaway PostgreSQL cluster that `cargo xtask test` starts (its admin URL in
//! `AKINAI_TEST_PG`). Every test runs on each backend returned by [`backends`].

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // Each test binary uses a part.

use std::path::Path;

use akinai_server::AppState;
use akinai_server::database::{self, Target};
use sqlx::Connection;

/// A database engine to test on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file in a temporary directory.
    Sqlite,
    /// A new database in the test cluster.
    Postgres,
}

/// SQLite always; PostgreSQL too when the test command started a cluster.
pub fn backends() -> Vec<Backend> {
    if std::env::var_os("AKINAI_TEST_PG").is_some() {
        vec![Backend::Sqlite, Backend::Postgres]
    } else {
        eprintln!(
            "note: AKINAI_TEST_PG is not set, so only SQLite is tested (cargo xtask test sets it)"
        );
        vec![Backend::Sqlite]
    }
}

/// A running server.
pub struct TestServer {
    /// `http://127.0.0.1:port`.
    pub base: String,
    /// The server's state (its database), for tests that look underneath.
    pub state: AppState,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// Which engine.
    pub backend: Backend,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A new, empty PostgreSQL database in the test cluster.
async fn fresh_postgres() -> String {
    let admin = std::env::var("AKINAI_TEST_PG").expect("AKINAI_TEST_PG");
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("test cluster reachable");
    // The name is made here from a UUID, never from input.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .unwrap();
    let mut url = url::Url::parse(&admin).unwrap();
    url.set_path(&name);
    url.to_string()
}

/// Starts the server on a free port over a fresh database (with the demo when `demo`) and a
/// small built app.
pub async fn start_with(backend: Backend, demo: bool) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("dist");
    std::fs::create_dir(&app).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html><title>Akinai</title>").unwrap();
    std::fs::write(app.join("manifest.webmanifest"), r#"{"name":"Akinai"}"#).unwrap();
    let target = match backend {
        Backend::Sqlite => Target::Sqlite(dir.path().join("akinai.db")),
        Backend::Postgres => Target::Postgres(fresh_postgres().await),
    };
    let state = AppState::new(database::open(&target).await.unwrap());
    if demo {
        assert!(akinai_server::shop::load_demo(&state).await.unwrap());
        assert!(!akinai_server::shop::load_demo(&state).await.unwrap(), "loaded once only");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = akinai_server::router(state.clone(), Path::new(&app));
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestServer { base, state, client: reqwest::Client::new(), backend, _dir: dir }
}

/// Starts the server without the demo.
pub async fn start(backend: Backend) -> TestServer {
    start_with(backend, false).await
}
