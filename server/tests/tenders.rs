//! The books by tender, over real HTTP on each backend: a sale split over several tenders lands
//! in the per-day sums by method and brand; the owner's figures show each tender with the fee and
//! the expected deposit of the store's payment settings, which reach the registers' pull; the
//! export names brands; `akinai verify` checks the tender sums; and a database from before
//! tenders had brands migrates with its figures unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use std::borrow::Cow;

use akinai_core::Yen;
use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shop::ShopSettings;
use akinai_core::sync::{GENESIS, OutboxEntry, Record};
use akinai_core::tax::TaxClass;
use akinai_server::db::database::{self, Target, now_text, time_text};
use akinai_server::tools::verify;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, Till, answer, backends, start};
use uuid::Uuid;

/// 12:00 Tokyo time on `day` of November 2026.
fn noon(day: u32) -> DateTime<Utc> {
    akinai_core::TOKYO.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap().with_timezone(&Utc)
}

/// A tender of `method` and `brand` (none for cash).
fn tender(method: PaymentMethod, brand: Option<&str>, amount: i64) -> Tender {
    Tender {
        method,
        amount: Yen::new(amount),
        id: None,
        brand: brand.map(str::to_owned),
        last4: None,
        approval: None,
        refunds: None,
    }
}

/// What these tests do with a paired register: sell, land, and read the owner's books.
trait Books {
    fn sell(&mut self, day: u32, price: i64, tenders: Vec<Tender>) -> OutboxEntry;
    async fn land(&self, server: &TestServer, entries: &[OutboxEntry]);
    async fn figures(&self, server: &TestServer, from: u32, to: u32) -> Value;
    async fn put_settings(&self, server: &TestServer, settings: &Value) -> (StatusCode, Value);
}

impl Books for Till {
    /// A sale of one ¥`price` item (10%, tax included) on `day`, paid by `tenders`, as its
    /// chained entry.
    fn sell(&mut self, day: u32, price: i64, tenders: Vec<Tender>) -> OutboxEntry {
        let at = noon(day);
        let mut cart = Cart::new(at.date_naive());
        cart.lines = vec![CartLine {
            item_id: None,
            category: "雑貨".into(),
            name: "手ぬぐい".into(),
            unit_price: Yen::new(price),
            qty: 1,
            tax_class: TaxClass::Standard,
            discount: Discount::NONE,
            names: Default::default(),
            kana: String::new(),
        }];
        let shop: ShopSettings = serde_json::from_value(support::shop_settings("店")).unwrap();
        let ctx = SaleContext {
            id: Uuid::now_v7(),
            device_id: self.device,
            at,
            staff: "山田".into(),
            shift_id: Uuid::nil(),
            shop,
            receipt: Default::default(),
        };
        self.sale_entry(Sale::ring_up(ctx, cart, tenders).unwrap())
    }

    /// Sends `entries` as one batch; every one must land.
    async fn land(&self, server: &TestServer, entries: &[OutboxEntry]) {
        let (status, reply) = self.sync(server, entries).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        assert_eq!(reply["acked"].as_array().map(Vec::len), Some(entries.len()), "{reply}");
    }

    /// The owner's figures of this store for November `from`..=`to`.
    async fn figures(&self, server: &TestServer, from: u32, to: u32) -> Value {
        let path = format!(
            "/api/v1/figures?from=2026-11-{from:02}&to=2026-11-{to:02}&store={}",
            self.store
        );
        let (status, figures) = server.get_json(&path, &self.owner).await;
        assert_eq!(status, StatusCode::OK, "{figures}");
        figures
    }

    async fn put_settings(&self, server: &TestServer, settings: &Value) -> (StatusCode, Value) {
        let path = format!("/api/v1/stores/{}/payment-settings", self.store);
        server.send_json(Method::PUT, &path, &self.owner, settings).await
    }
}

/// ¥10,000 paid as ¥3,000 by VISA, ¥2,000 by Suica, ¥1,000 by the shop's PayPay code, a ¥1,000
/// gift certificate and ¥5,000 cash (¥2,000 change).
fn split() -> Vec<Tender> {
    vec![
        tender(PaymentMethod::Card, Some("visa"), 3_000),
        tender(PaymentMethod::TransitIc, Some("suica"), 2_000),
        tender(PaymentMethod::QrStatic, Some("paypay"), 1_000),
        tender(PaymentMethod::Voucher, Some("gift"), 1_000),
        tender(PaymentMethod::Cash, None, 5_000),
    ]
}

/// The day's tender sums as stored: (method, brand, amount), in key order.
async fn day_tenders(server: &TestServer, store: &str) -> Vec<(String, String, i64)> {
    sqlx::query_as(
        "SELECT method, brand, amount FROM day_tender WHERE store_id = $1
         ORDER BY method, brand",
    )
    .bind(store)
    .fetch_all(&server.state.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_split_sale_is_kept_by_method_and_brand() {
    for backend in backends() {
        let server = start(backend).await;
        let mut counter = Till::open(&server, "split@example.jp").await;
        let first = counter.sell(20, 10_000, split());
        let second = counter.sell(
            20,
            4_000,
            vec![
                tender(PaymentMethod::Card, Some("visa"), 1_500),
                tender(PaymentMethod::Card, Some("jcb"), 2_500),
            ],
        );
        counter.land(&server, &[first, second]).await;
        let owned = |(m, b, a): (&str, &str, i64)| (m.to_owned(), b.to_owned(), a);
        assert_eq!(
            day_tenders(&server, &counter.store).await,
            [
                ("card", "jcb", 2_500),
                ("card", "visa", 4_500),
                ("cash", "", 3_000),
                ("qr_static", "paypay", 1_000),
                ("transit_ic", "suica", 2_000),
                ("voucher", "gift", 1_000),
            ]
            .map(owned),
            "{backend:?}"
        );
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sale_tender WHERE store_id = $1")
            .bind(&counter.store)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 7, "one row per sale, method and brand");
        let report = verify::run(&server.state.db).await.unwrap();
        assert!(report.is_clean(), "{backend:?}: {:?}", report.problems);

        // The check sees a tender's day sum that no longer matches its sales.
        sqlx::query("UPDATE day_tender SET amount = 1 WHERE method = 'card' AND brand = 'jcb'")
            .execute(&server.state.db.pool)
            .await
            .unwrap();
        let report = verify::run(&server.state.db).await.unwrap();
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [format!(
                "store {}: 2026-11-20: the day's card jcb takings (1) differ from its sales' (2500)",
                counter.store
            )],
            "{backend:?}"
        );
    }
}

#[tokio::test]
async fn figures_show_each_tender_with_its_fee_and_expected_deposit() {
    for backend in backends() {
        let server = start(backend).await;
        let mut counter = Till::open(&server, "fees@example.jp").await;
        let sales = [counter.sell(20, 10_000, split()), counter.sell(21, 10_000, split())];
        counter.land(&server, &sales).await;
        // 3.24% on card (any brand), VISA's own 2.5%, 1.98% on the static PayPay code.
        let settings = json!({
            "fees": [
                {"method": "card", "brand": "", "basis_points": 324},
                {"method": "card", "brand": "visa", "basis_points": 250},
                {"method": "qr_static", "brand": "paypay", "basis_points": 198},
            ],
            "enabled": ["cash", "card", "transit_ic", "qr_static", "voucher"],
        });
        let (status, stored) = counter.put_settings(&server, &settings).await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        let figures = counter.figures(&server, 20, 21).await;
        let row = |method: &str, brand: &str| {
            figures["payments"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["method"] == method && p["brand"] == brand)
                .cloned()
                .unwrap_or_else(|| panic!("no {method} {brand} in {figures}"))
        };
        // Fees are taken from the range's total, rounded down: 6,000 × 2.5% = 150.
        assert_eq!(
            row("card", "visa"),
            json!({"method": "card", "brand": "visa",
            "amount": 6_000, "fee": 150, "deposit": 5_850})
        );
        // 2,000 × 1.98% = 39.6 → 39.
        assert_eq!(
            row("qr_static", "paypay"),
            json!({"method": "qr_static", "brand": "paypay",
            "amount": 2_000, "fee": 39, "deposit": 1_961})
        );
        assert_eq!(row("transit_ic", "suica")["fee"], 0, "no rate, no fee");
        assert_eq!(row("cash", "")["deposit"], 6_000);
        assert_eq!(figures["to_reconcile"], 2_000, "the static QR takings");
        let kept: i64 = figures["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["amount"].as_i64().unwrap())
            .sum();
        assert_eq!(kept, figures["gross"].as_i64().unwrap(), "the tenders add up to the takings");
        // Across all the owner's stores the same.
        let (status, all) =
            server.get_json("/api/v1/figures?from=2026-11-20&to=2026-11-21", &counter.owner).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(all["payments"], figures["payments"], "{backend:?}");
    }
}

#[tokio::test]
async fn payment_settings_reach_the_registers_and_bad_rates_are_refused() {
    for backend in backends() {
        let server = start(backend).await;
        let counter = Till::open(&server, "settings@example.jp").await;
        let path = format!("/api/v1/stores/{}/payment-settings", counter.store);
        let (status, none) = server.get_json(&path, &counter.owner).await;
        assert_eq!(status, StatusCode::OK, "{none}");
        assert_eq!(none["fees"], json!([]));
        let (_, before) = server.get_json("/api/v1/changes", &counter.token).await;
        assert!(before.get("payments").is_none_or(Value::is_null), "nothing set: {before}");

        let settings = json!({
            "fees": [{"method": "e_money", "brand": "", "basis_points": 300}],
            "enabled": ["cash", "e_money"],
            "qr_provider": "paypay",
        });
        let (status, stored) = counter.put_settings(&server, &settings).await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        assert!(stored["qr_provider"].is_null(), "only configuring a provider sets it: {stored}");
        let since = before["version"].as_u64().unwrap();
        let (_, changes) =
            server.get_json(&format!("/api/v1/changes?since={since}"), &counter.token).await;
        assert!(changes["version"].as_u64().unwrap() > since, "the version moved on: {changes}");
        assert_eq!(changes["payments"]["fees"], settings["fees"], "{changes}");
        assert_eq!(changes["payments"]["enabled"], settings["enabled"]);
        let now = changes["version"].as_u64().unwrap();
        let (_, later) =
            server.get_json(&format!("/api/v1/changes?since={now}"), &counter.token).await;
        assert!(later.get("payments").is_none_or(Value::is_null), "sent once: {later}");
        assert_eq!(server.get_json(&path, &counter.owner).await.1, stored);

        for (fees, code, field) in [
            (
                json!([{"method": "card", "brand": "", "basis_points": 10_001}]),
                "too_large",
                "fees[0].basis_points",
            ),
            (
                json!([{"method": "card", "brand": "", "basis_points": 100},
                    {"method": "card", "brand": "suica", "basis_points": 100}]),
                "invalid",
                "fees[1].brand",
            ),
            (
                json!([{"method": "card", "brand": "visa", "basis_points": 100},
                    {"method": "card", "brand": "visa", "basis_points": 200}]),
                "invalid",
                "fees[1].brand",
            ),
            (
                json!([{"method": "cheque", "brand": "", "basis_points": 100}]),
                "unknown_value",
                "fees[0].method",
            ),
            (
                json!([{"method": "card", "brand": "", "basis_points": -1}]),
                "invalid",
                "fees[0].basis_points",
            ),
        ] {
            let (status, refusal) =
                counter.put_settings(&server, &json!({"fees": fees, "enabled": []})).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refusal}");
            assert_eq!(
                (refusal["code"].as_str(), refusal["field"].as_str()),
                (Some(code), Some(field))
            );
        }
        assert_eq!(
            server.get_json(&path, &counter.owner).await.1,
            stored,
            "refusals change nothing"
        );

        // Setting up the store's PayPay account tells the registers, and the owner's next PUT
        // keeps it; removing the account takes it back.
        let paypay = format!("/api/v1/stores/{}/providers/paypay", counter.store);
        let account = json!({"api_key": "key-1234", "api_secret": "secret", "merchant_id": null,
            "environment": "sandbox", "base_url": null});
        let (status, info) = server.send_json(Method::PUT, &paypay, &counter.owner, &account).await;
        assert_eq!(status, StatusCode::OK, "{info}");
        let (_, changes) =
            server.get_json(&format!("/api/v1/changes?since={now}"), &counter.token).await;
        assert_eq!(changes["payments"]["qr_provider"], "paypay", "{changes}");
        assert_eq!(changes["payments"]["fees"], settings["fees"], "the rates stay");
        let (status, kept) =
            counter.put_settings(&server, &json!({"fees": [], "enabled": ["qr"]})).await;
        assert_eq!((status, &kept["qr_provider"]), (StatusCode::OK, &json!("paypay")), "{kept}");
        let since = changes["version"].as_u64().unwrap();
        let (status, _) = answer(server.request(Method::DELETE, &paypay, &counter.owner)).await;
        assert_eq!(status, StatusCode::OK);
        let (_, changes) =
            server.get_json(&format!("/api/v1/changes?since={since}"), &counter.token).await;
        assert!(changes["payments"]["qr_provider"].is_null(), "{changes}");
        // Another owner's store is not found.
        let other = support::sign_up(&server, "other@example.jp").await;
        assert_eq!(server.get_json(&path, &other.token).await.0, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn the_export_names_each_tender_brand() {
    let server = start(support::Backend::Sqlite).await;
    let mut counter = Till::open(&server, "export@example.jp").await;
    let sale = counter.sell(20, 10_000, split());
    counter.land(&server, &[sale]).await;
    let files = support::export_files(&server, &counter.owner).await;
    let read = |name: &str| files[name].clone();
    let csv = read("sale_tenders.csv");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("sale_id,store_id,business_date,method,brand,amount"));
    let tenders: Vec<(String, String)> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (format!("{} {}", cells[3], cells[4]), cells[5].to_owned())
        })
        .collect();
    assert!(tenders.contains(&("card visa".to_owned(), "3000".to_owned())), "{csv}");
    assert!(tenders.contains(&("cash ".to_owned(), "3000".to_owned())), "{csv}");
    let json: Vec<Value> = serde_json::from_str(&read("sale_tenders.json")).unwrap();
    assert!(json.iter().any(|t| t["method"] == "transit_ic" && t["brand"] == "suica"));
    assert!(read("README.md").contains("| `brand` |"));
}

/// A database made before tenders had brands: the schema up to migration 5, holding one cash
/// sale as the server then stored it (entry, sale, tender and the day's sums).
async fn database_before_brands(path: &std::path::Path) -> (String, String) {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite:{}?mode=rwc", path.display());
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let mut old = sqlx::migrate!("./migrations/sqlite");
    old.migrations =
        Cow::Owned(old.migrations.iter().filter(|m| m.version <= 5).cloned().collect());
    old.run(&pool).await.unwrap();

    let (owner, store, device) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let token = akinai_server::http::auth::new_token();
    let session = akinai_server::http::auth::new_token();
    let settings = serde_json::to_string(&support::shop_settings("昔の店")).unwrap();
    for (sql, binds) in [
        (
            "INSERT INTO owner (id, email, name, password_hash, created_at) VALUES ($1, $2, '店主', 'x', $3)",
            vec![owner.to_string(), "old@example.jp".to_owned(), now_text()],
        ),
        (
            "INSERT INTO session (token_hash, owner_id, created_at, expires_at, last_seen) VALUES ($1, $2, $3, '2999-01-01T00:00:00.000Z', $3)",
            vec![akinai_server::http::auth::token_hash(&session), owner.to_string(), now_text()],
        ),
        (
            "INSERT INTO store (id, owner_id, settings, settings_version, version, created_at) VALUES ($1, $2, $3, 1, 1, $4)",
            vec![store.to_string(), owner.to_string(), settings, now_text()],
        ),
        (
            "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, 'レジ', $3, $4)",
            vec![
                device.to_string(),
                store.to_string(),
                akinai_server::http::auth::token_hash(&token),
                now_text(),
            ],
        ),
    ] {
        binds
            .into_iter()
            .fold(sqlx::query(sql), |q, value| q.bind(value))
            .execute(&pool)
            .await
            .unwrap();
    }
    let mut counter = Till {
        store: store.to_string(),
        owner: session.clone(),
        device,
        token,
        seq: 0,
        prev: GENESIS.to_owned(),
    };
    let entry = counter.sell(20, 1_100, vec![tender(PaymentMethod::Cash, None, 2_000)]);
    let Record::Sale(sale) = &entry.record else { unreachable!() };
    let (id, date, body) =
        (sale.id.to_string(), sale.business_date.to_string(), serde_json::to_string(sale).unwrap());
    sqlx::query(
        "INSERT INTO record (device_id, seq, id, store_id, kind, prev_hash, hash, body, received_at)
         VALUES ($1, 1, $2, $3, 'sale', $4, $5, $6, $7)",
    )
    .bind(device.to_string())
    .bind(&id)
    .bind(store.to_string())
    .bind(&entry.prev_hash)
    .bind(&entry.hash)
    .bind(serde_json::to_string(&entry).unwrap())
    .bind(now_text())
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, at, business_date, hour,
             staff, total, tax, discount, body)
         VALUES ($1, $2, $3, 1, 1, 'sale', $4, $5, 12, '山田', 1100, 100, 0, $6)",
    )
    .bind(&id)
    .bind(store.to_string())
    .bind(device.to_string())
    .bind(time_text(noon(20)))
    .bind(&date)
    .bind(&body)
    .execute(&pool)
    .await
    .unwrap();
    let store_id = store.to_string();
    let rows = [
        (
            "INSERT INTO sale_tender (sale_id, store_id, business_date, method, amount)
          VALUES ($1, $2, $3, 'cash', 1100)",
            Some(&id),
        ),
        (
            "INSERT INTO day_tender (store_id, business_date, method, amount)
          VALUES ($1, $2, 'cash', 1100)",
            None,
        ),
        (
            "INSERT INTO day_hour (store_id, business_date, hour, gross, tax, sales, refunds,
              refund_total) VALUES ($1, $2, 12, 1100, 100, 1, 0, 0)",
            None,
        ),
    ];
    for (sql, sale_id) in rows {
        let binds = sale_id.into_iter().chain([&store_id, &date]);
        binds
            .fold(sqlx::query(sql), |query, value| query.bind(value))
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;
    (store.to_string(), session)
}

#[tokio::test]
async fn a_cash_only_database_migrates_with_its_figures_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let (store, owner) = database_before_brands(&path).await;
    let db = database::open(&Target::Sqlite(path)).await.unwrap();
    let state = akinai_server::AppState::new(db);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = akinai_server::router(state.clone(), dir.path())
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, router).await });

    let report = verify::run(&state.db).await.unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!((report.records, report.sales), (1, 1));
    let figures: Value = reqwest::Client::new()
        .get(format!("{base}/api/v1/figures?from=2026-11-20&to=2026-11-20&store={store}"))
        .bearer_auth(&owner)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(figures["gross"], 1_100, "{figures}");
    assert_eq!(
        figures["payments"],
        json!([{"method": "cash", "brand": "", "amount": 1_100, "fee": 0, "deposit": 1_100}])
    );
    assert_eq!(figures["to_reconcile"], 0);
    let kept: Vec<(String, String)> = sqlx::query_as("SELECT method, brand FROM sale_tender")
        .fetch_all(&state.db.pool)
        .await
        .unwrap();
    assert_eq!(kept, [("cash".to_owned(), String::new())]);
}
