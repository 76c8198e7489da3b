//! Starts the server for integration tests over real HTTP, on a fresh SQLite file or a fresh
//! database in the throwaway PostgreSQL cluster that `cargo xtask test` starts (its admin URL in
//! `AKINAI_TEST_PG`). Every test runs on each backend returned by [`backends`].

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // Each test binary uses a part.

use std::net::SocketAddr;
use std::path::Path;

use akinai_server::AppState;
use akinai_server::db::database::{self, Target};
use akinai_server::http::edge::Limits;
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::{Value, json};
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

    /// A request to `path` carrying `token` (an owner's session or a device's token) as
    /// `Authorization: Bearer`.
    pub fn request(&self, method: Method, path: &str, token: &str) -> RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(token)
    }

    /// `GET path` with `token`: the status and the body as JSON (`null` when it is not JSON).
    pub async fn get_json(&self, path: &str, token: &str) -> (StatusCode, Value) {
        answer(self.request(Method::GET, path, token)).await
    }

    /// `method path` with `token` and a JSON body: the status and the answer as JSON.
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        answer(self.request(method, path, token).json(body)).await
    }
}

/// Sends a request: its status and its body as JSON (`null` when empty or not JSON).
pub async fn answer(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The password [`sign_up`] gives every owner.
pub const PASSWORD: &str = "correct horse battery";

/// A signed-up owner.
#[derive(Clone, Debug)]
pub struct Owner {
    /// Their id.
    pub id: String,
    /// Their e-mail address.
    pub email: String,
    /// Their session token (send with [`TestServer::request`]).
    pub token: String,
}

/// Signs up an owner with `email` and [`PASSWORD`].
pub async fn sign_up(server: &TestServer, email: &str) -> Owner {
    let body = json!({"email": email, "name": "Test Owner", "password": PASSWORD});
    let (status, answer) =
        answer(server.client.post(server.url("/api/v1/owner/signup")).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    Owner {
        id: answer["owner"]["id"].as_str().unwrap().to_owned(),
        email: answer["owner"]["email"].as_str().unwrap().to_owned(),
        token: answer["token"].as_str().unwrap().to_owned(),
    }
}

/// Valid shop settings named `name`.
pub fn shop_settings(name: &str) -> Value {
    json!({
        "name": name,
        "address": "東京都千代田区1-1",
        "phone": "03-0000-0000",
        "registration_number": "T1234567890123",
        "pricing": "tax_included",
        "rounding": "floor",
        "receipt_footer": "ありがとうございました",
    })
}

/// Creates a store named `name` for the owner whose session `token` is; returns its id.
pub async fn create_store(server: &TestServer, token: &str, name: &str) -> String {
    let (status, store) =
        server.send_json(Method::POST, "/api/v1/stores", token, &shop_settings(name)).await;
    assert_eq!(status, StatusCode::CREATED, "{store}");
    store["id"].as_str().unwrap().to_owned()
}

/// An item as the API takes it (`tax_class`: standard, food, reduced, alcohol or exempt).
pub fn item(name: &str, price: i64, tax_class: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7(),
        "name": name,
        "kana": "",
        "price": price,
        "tax_class": tax_class,
        "category": "",
        "barcode": null,
        "color": "",
        "open_price": false,
    })
}

/// Adds `item` (from [`item`]) to the store; returns its id.
pub async fn add_item(server: &TestServer, token: &str, store: &str, item: &Value) -> String {
    let id = item["id"].as_str().unwrap();
    let path = format!("/api/v1/stores/{store}/items/{id}");
    let (status, answer) = server.send_json(Method::PUT, &path, token, item).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    id.to_owned()
}

/// Adds a staff member; returns their id.
pub async fn add_staff(
    server: &TestServer,
    token: &str,
    store: &str,
    name: &str,
    role: &str,
    pin: &str,
) -> String {
    let body = json!({"name": name, "role": role, "pin": pin});
    let path = format!("/api/v1/stores/{store}/staff");
    let (status, answer) = server.send_json(Method::POST, &path, token, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer["id"].as_str().unwrap().to_owned()
}

/// A device paired with a store.
#[derive(Clone, Debug)]
pub struct Device {
    /// Its id (made by the "device", as a tablet does).
    pub id: String,
    /// Its token (send with [`TestServer::request`]).
    pub token: String,
    /// Its store.
    pub store_id: String,
    /// What `POST /pair` answered (`sync::Pairing`).
    pub pairing: Value,
}

/// A new pairing code for the store: the whole answer `{code, expires_at, qr_svg}`.
pub async fn pairing_code(server: &TestServer, token: &str, store: &str) -> Value {
    let path = format!("/api/v1/stores/{store}/pairings");
    let (status, answer) = answer(server.request(Method::POST, &path, token)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    answer
}

/// Pairs a new device named `name` with the store, as its owner (session `token`) and a
/// tablet would.
pub async fn pair_device(server: &TestServer, token: &str, store: &str, name: &str) -> Device {
    let code = pairing_code(server, token, store).await["code"].as_str().unwrap().to_owned();
    let id = uuid::Uuid::now_v7().to_string();
    let body = json!({"code": code, "name": name, "device_id": id});
    let (status, pairing) =
        answer(server.client.post(server.url("/api/v1/pair")).json(&body)).await;
    assert_eq!(status, StatusCode::CREATED, "{pairing}");
    assert_eq!(pairing["device_id"], id.as_str());
    Device {
        id,
        token: pairing["token"].as_str().unwrap().to_owned(),
        store_id: store.to_owned(),
        pairing,
    }
}

/// Every file of the owner's export zip (`GET /api/v1/export?format=zip`), by name.
pub async fn export_files(
    server: &TestServer,
    token: &str,
) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let response = server.request(Method::GET, "/api/v1/export?format=zip", token);
    let response = response.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    (0..zip.len())
        .map(|at| {
            let mut file = zip.by_index(at).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().to_owned(), text)
        })
        .collect()
}

/// A line of `qty` × ¥`price` in the category 食品, not from the catalog.
pub fn line(
    name: &str,
    price: i64,
    qty: u32,
    tax_class: akinai_core::tax::TaxClass,
) -> akinai_core::cart::CartLine {
    akinai_core::cart::CartLine {
        item_id: None,
        category: "食品".into(),
        name: name.into(),
        unit_price: akinai_core::Yen::new(price),
        qty,
        tax_class,
        discount: akinai_core::cart::Discount::NONE,
        names: Default::default(),
        kana: String::new(),
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
    start_limited_with(backend, demo, Limits::default()).await
}

/// [`start_with`], the server taking on at most what `limits` say.
pub async fn start_limited_with(backend: Backend, demo: bool, limits: Limits) -> TestServer {
    start_configured(backend, demo, limits, |state| state).await
}

/// [`start_limited_with`], the state changed by `configure` before serving (another payments
/// engine, say).
pub async fn start_configured(
    backend: Backend,
    demo: bool,
    limits: Limits,
    configure: impl FnOnce(AppState) -> AppState,
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("dist");
    std::fs::create_dir(&app).unwrap();
    std::fs::write(app.join("index.html"), "<!doctype html><title>Akinai</title>").unwrap();
    std::fs::write(app.join("manifest.webmanifest"), r#"{"name":"Akinai"}"#).unwrap();
    let target = match backend {
        Backend::Sqlite => Target::Sqlite(dir.path().join("akinai.db")),
        Backend::Postgres => Target::Postgres(fresh_postgres().await),
    };
    let state = configure(AppState::with_limits(database::open(&target).await.unwrap(), limits));
    if demo {
        assert!(akinai_server::tools::demo::load_demo(&state, None).await.unwrap().loaded);
        let again = akinai_server::tools::demo::load_demo(&state, None).await.unwrap();
        assert!(!again.loaded, "loaded once only");
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = akinai_server::router(state.clone(), Path::new(&app))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestServer { base, state, client: reqwest::Client::new(), backend, _dir: dir }
}

/// Starts the server without the demo.
pub async fn start(backend: Backend) -> TestServer {
    start_with(backend, false).await
}

impl TestServer {
    /// The SQLite file of a server started on [`Backend::Sqlite`], for the command-line tools.
    pub fn sqlite_file(&self) -> std::path::PathBuf {
        self._dir.path().join("akinai.db")
    }
}

/// A new owner's new store with one paired register that makes chained entries as a tablet does.
pub struct Till {
    /// The store's id.
    pub store: String,
    /// The owner's session token.
    pub owner: String,
    /// The register's id.
    pub device: uuid::Uuid,
    /// The register's token.
    pub token: String,
    /// The last sequence number used.
    pub seq: u64,
    /// The hash of the last entry.
    pub prev: String,
}

impl Till {
    /// Signs `email` up, creates a store and pairs a register.
    pub async fn open(server: &TestServer, email: &str) -> Till {
        let owner = sign_up(server, email).await;
        let store = create_store(server, &owner.token, email).await;
        let device = pair_device(server, &owner.token, &store, "レジ").await;
        Till {
            store,
            owner: owner.token,
            device: device.id.parse().unwrap(),
            token: device.token,
            seq: 0,
            prev: akinai_core::sync::GENESIS.to_owned(),
        }
    }

    /// The next entry of this register's chain, with `id`.
    pub fn entry_with(
        &mut self,
        id: uuid::Uuid,
        record: akinai_core::sync::Record,
    ) -> akinai_core::sync::OutboxEntry {
        self.seq += 1;
        let entry =
            akinai_core::sync::OutboxEntry::new(id, self.device, self.seq, &self.prev, record);
        self.prev = entry.hash.clone();
        entry
    }

    /// The next entry carrying `sale` (numbered as the register numbers it).
    pub fn sale_entry(
        &mut self,
        mut sale: akinai_core::sale::Sale,
    ) -> akinai_core::sync::OutboxEntry {
        sale.seq = self.seq + 1;
        sale.receipt_no = self.seq + 1;
        self.entry_with(sale.id, akinai_core::sync::Record::Sale(Box::new(sale)))
    }

    /// Sends `entries` as one batch: the status and the answer.
    pub async fn sync(
        &self,
        server: &TestServer,
        entries: &[akinai_core::sync::OutboxEntry],
    ) -> (StatusCode, Value) {
        let batch = akinai_core::sync::SyncBatch { entries: entries.to_vec(), waiting: 0 };
        let body = serde_json::to_value(&batch).unwrap();
        server.send_json(Method::POST, "/api/v1/sync", &self.token, &body).await
    }
}
