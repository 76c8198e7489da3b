//! Sync under abuse (issue 10): what a paired tablet of any shop may not do to its own store's
//! records, to another shop's, or to the server. Every test sends real HTTP on each backend.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use std::time::{Duration, Instant};

use akinai_core::Yen;
use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::staff::{Pin, Role, Staff};
use akinai_core::sync::{OutboxEntry, Record, SyncBatch};
use akinai_core::tax::{PricingMode, Rounding, TaxClass};
use akinai_server::tools::verify;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{TestServer, Till, backends, start};
use uuid::Uuid;

/// What the tests add to a paired register: sales made as it makes them.
trait Sells {
    fn ctx(&self, at: DateTime<Utc>, shop: ShopSettings) -> SaleContext;
    fn sell_as(&self, at: DateTime<Utc>, lines: Vec<CartLine>, shop: ShopSettings) -> Sale;
    fn sell(&self, at: DateTime<Utc>, lines: Vec<CartLine>) -> Sale;
}

impl Sells for Till {
    fn ctx(&self, at: DateTime<Utc>, shop: ShopSettings) -> SaleContext {
        SaleContext {
            id: Uuid::now_v7(),
            device_id: self.device,
            at,
            staff: "山田".into(),
            shift_id: Uuid::nil(),
            shop,
            receipt: Default::default(),
        }
    }

    /// A cash sale of `lines` at `at`, issued as `shop`.
    fn sell_as(&self, at: DateTime<Utc>, lines: Vec<CartLine>, shop: ShopSettings) -> Sale {
        let mut cart = Cart::new(at.date_naive());
        cart.lines = lines;
        let total = lines_total(&cart.lines);
        let cash = vec![Tender::new(PaymentMethod::Cash, total)];
        Sale::ring_up(self.ctx(at, shop), cart, cash).unwrap()
    }

    fn sell(&self, at: DateTime<Utc>, lines: Vec<CartLine>) -> Sale {
        self.sell_as(at, lines, issuer("T1234567890123"))
    }
}

/// Tax-included prices: what the lines come to, which the tests tender exactly.
fn lines_total(lines: &[CartLine]) -> Yen {
    lines.iter().map(|l| Yen::new(l.unit_price.get() * i64::from(l.qty))).sum()
}

/// The issuer a tablet prints, with `registration` (the support's stores use T1234567890123).
fn issuer(registration: &str) -> ShopSettings {
    ShopSettings {
        name: "商い堂".into(),
        address: "東京都千代田区1-1".into(),
        phone: "03-0000-0000".into(),
        registration_number: RegistrationNumber::parse(registration).unwrap(),
        pricing: PricingMode::TaxIncluded,
        rounding: Rounding::Floor,
        receipt_footer: String::new(),
    }
}

fn goods(name: &str, price: i64, qty: u32) -> CartLine {
    CartLine {
        item_id: None,
        category: String::new(),
        name: name.into(),
        unit_price: Yen::new(price),
        qty,
        tax_class: TaxClass::Standard,
        discount: Discount::NONE,
        names: Default::default(),
        kana: String::new(),
    }
}

/// 10:00 Tokyo time on 20 November 2026, long before the tests' stores were created.
fn last_month() -> DateTime<Utc> {
    akinai_core::TOKYO.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap().with_timezone(&Utc)
}

/// The acked ids, and the rejected ones with their reason's code (or reason).
fn verdicts(reply: &Value) -> (Vec<String>, Vec<(String, String, String)>) {
    let acked = reply["acked"].as_array().unwrap().iter().map(|v| v.to_string()).collect();
    let rejected = reply["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let why = r["code"].as_str().or(r["reason"].as_str()).unwrap_or_default();
            (r["id"].to_string(), why.to_owned(), r["field"].as_str().unwrap_or("").to_owned())
        })
        .collect();
    (acked, rejected)
}

fn id(entry: &OutboxEntry) -> String {
    Value::String(entry.id.to_string()).to_string()
}

async fn sales_of(server: &TestServer, store: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sale WHERE store_id = $1")
        .bind(store)
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sale_or_refund_beyond_the_caps_is_refused_naming_the_limit() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "caps@example.jp").await;
        let mut long = till.sell(last_month(), vec![goods("飴", 10, 1)]);
        long.cart.lines.extend((0..1000).map(|n| goods(&format!("飴{n}"), 10, 1)));
        let long = till.sale_entry(long);
        let original = till.sell(last_month(), vec![goods("飴", 10, 1), goods("ガム", 20, 1)]);
        let mut refund = original
            .refund(till.ctx(last_month(), issuer("T1234567890123")), &[(0, 1)], &[], None)
            .unwrap();
        if let akinai_core::sale::SaleKind::Refund { lines, .. } = &mut refund.kind {
            lines.extend(std::iter::repeat_n((1, 0), 1000));
        }
        let original = till.sale_entry(original);
        let refund = till.sale_entry(refund);
        let (status, reply) =
            till.sync(&server, &[long.clone(), original.clone(), refund.clone()]).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert_eq!(acked, vec![id(&original)], "{backend:?} {reply}");
        assert_eq!(
            rejected,
            vec![
                (id(&long), "too_many".to_owned(), "lines".to_owned()),
                (id(&refund), "too_many".to_owned(), "lines".to_owned()),
            ]
        );
    }
}

// Several threads, as the server runs: the test's own client must not stand in the server's way.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refund_batch_against_a_big_original_leaves_other_shops_writing() {
    for backend in backends() {
        let server = start(backend).await;
        let mut big = Till::open(&server, "big@example.jp").await;
        let mut other = Till::open(&server, "other@example.jp").await;
        let lines: Vec<CartLine> = (0..1000).map(|n| goods(&format!("品{n}"), 100, 1)).collect();
        let original = big.sell(last_month(), lines);
        let first = big.sale_entry(original.clone());
        assert_eq!(big.sync(&server, &[first]).await.0, StatusCode::OK);
        // Refunds of every line but the last that claim the wrong total: judged, then refused.
        let picks: Vec<(usize, u32)> = (0..999).map(|n| (n, 1)).collect();
        let refunds: Vec<OutboxEntry> = (0..30)
            .map(|_| {
                let ctx = big.ctx(last_month(), issuer("T1234567890123"));
                let mut refund = original.refund(ctx, &picks, &[], None).unwrap();
                refund.receipt.total = Yen::new(-1);
                big.sale_entry(refund)
            })
            .collect();
        let started = Instant::now();
        let heavy = {
            let (base, token) = (server.base.clone(), big.token.clone());
            let body = serde_json::to_vec(&SyncBatch { entries: refunds, waiting: 0 }).unwrap();
            tokio::spawn(async move {
                let url = format!("{base}/api/v1/sync");
                let request = reqwest::Client::new().post(url).bearer_auth(token);
                let request = request.header("content-type", "application/json").body(body);
                request.send().await.unwrap().status()
            })
        };
        // Another shop rings up and syncs, one sale after another, for as long as the batch runs.
        let (mut slowest, mut synced) = (Duration::ZERO, 0);
        while synced == 0 || !heavy.is_finished() {
            let sale = other.sell(last_month(), vec![goods("水", 100, 1)]);
            let entry = other.sale_entry(sale);
            let asked = Instant::now();
            let (status, reply) = other.sync(&server, std::slice::from_ref(&entry)).await;
            slowest = slowest.max(asked.elapsed());
            assert_eq!(status, StatusCode::OK, "{reply}");
            assert_eq!(verdicts(&reply).0, vec![id(&entry)], "sale {synced}");
            synced += 1;
        }
        assert_eq!(heavy.await.unwrap(), StatusCode::OK);
        let (sales, waited) = (sales_of(&server, &other.store).await, started.elapsed());
        assert_eq!(sales, synced);
        eprintln!("{backend:?}: {synced} syncs, the slowest {slowest:?}, the batch {waited:?}");
        assert!(
            // Relative, not absolute, so a slow machine does not fail it: judged under the lock
            // (before issue 10) the other shop waited most of the batch.
            slowest * 2 < waited,
            "{backend:?}: another shop waited {slowest:?} (all took {waited:?})"
        );
    }
}

#[tokio::test]
async fn a_tablet_cannot_change_the_issuer_or_add_nameless_staff() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "issuer@example.jp").await;
        let path = format!("/api/v1/stores/{}", till.store);
        let (_, before) = server.get_json(&path, &till.owner).await;
        let now: ShopSettings = serde_json::from_value(before["settings"].clone()).unwrap();
        let footer = ShopSettings { receipt_footer: "毎度あり".into(), ..now };
        let registration = RegistrationNumber::parse("T9999999999999").unwrap();
        let taken = ShopSettings { registration_number: registration, ..footer.clone() };
        let renamed = ShopSettings { name: "乗っ取られた店".into(), ..footer.clone() };
        let pin = Pin::parse("1234").unwrap();
        let nameless = Staff::new(Uuid::now_v7(), "  ", Role::Cashier, &pin, &[7; 16]).unwrap();
        let batch = [
            till.entry_with(Uuid::now_v7(), Record::Shop(Box::new(taken))),
            till.entry_with(Uuid::now_v7(), Record::Shop(Box::new(renamed))),
            till.entry_with(Uuid::now_v7(), Record::Staff(Box::new(nameless))),
            till.entry_with(Uuid::now_v7(), Record::Shop(Box::new(footer))),
        ];
        let (status, reply) = till.sync(&server, &batch).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert_eq!(acked, vec![id(&batch[3])], "{backend:?} {reply}");
        let codes: Vec<(&str, &str)> =
            rejected.iter().map(|(_, code, field)| (code.as_str(), field.as_str())).collect();
        assert_eq!(
            codes,
            [
                ("issuer_owner_only", "registration_number"),
                ("issuer_owner_only", "name"),
                ("name_needed", "name"),
            ]
        );
        let (_, after) = server.get_json(&path, &till.owner).await;
        assert_eq!(
            after["settings"]["registration_number"],
            before["settings"]["registration_number"]
        );
        assert_eq!(after["settings"]["name"], before["settings"]["name"]);
    }
}

#[tokio::test]
async fn an_id_another_device_stored_is_refused_and_never_acked_unstored() {
    for backend in backends() {
        let server = start(backend).await;
        let mut bob = Till::open(&server, "bob@example.jp").await;
        let mut alice = Till::open(&server, "alice@example.jp").await;
        let squatted = bob.sell(last_month(), vec![goods("水", 100, 1)]);
        let bobs = bob.sale_entry(squatted.clone());
        assert_eq!(
            verdicts(&bob.sync(&server, std::slice::from_ref(&bobs)).await.1).0,
            vec![id(&bobs)]
        );

        let mut real = alice.sell(last_month(), vec![goods("弁当", 5000, 1)]);
        real.id = squatted.id;
        let real = alice.sale_entry(real);
        let next = alice.sale_entry(alice.sell(last_month(), vec![goods("茶", 150, 1)]));
        let (status, reply) = alice.sync(&server, &[real.clone(), next.clone()]).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert_eq!(acked, vec![id(&next)], "{backend:?}: never acked unless stored: {reply}");
        assert_eq!(rejected, vec![(id(&real), "id_taken".to_owned(), "id".to_owned())]);
        // Bob's own entry still answers as his, and nothing of his leaks to Alice.
        assert_eq!(
            verdicts(&bob.sync(&server, std::slice::from_ref(&bobs)).await.1).0,
            vec![id(&bobs)]
        );
        assert_eq!(
            (sales_of(&server, &alice.store).await, sales_of(&server, &bob.store).await),
            (1, 1)
        );
    }
}

#[tokio::test]
async fn tenders_out_of_range_and_sales_above_the_ceiling_are_refused() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "money@example.jp").await;
        // [i64::MAX, i64::MAX, 102] on a ¥100 sale: the sum saturates and the change is absurd.
        let mut wild = till.sell(last_month(), vec![goods("水", 100, 1)]);
        wild.tenders = [i64::MAX, i64::MAX, 102]
            .map(|amount| Tender::new(PaymentMethod::Cash, Yen::new(amount)))
            .to_vec();
        wild.change = Yen::new(i64::MAX - 100);
        let wild = till.sale_entry(wild);
        let mut negative = till.sell(last_month(), vec![goods("水", 100, 1)]);
        negative.tenders =
            [200, -100].map(|amount| Tender::new(PaymentMethod::Cash, Yen::new(amount))).to_vec();
        let negative = till.sale_entry(negative);
        let huge = till.sale_entry(till.sell(last_month(), vec![goods("宝石", 100_000_001, 1)]));
        let fine = till.sale_entry(till.sell(last_month(), vec![goods("宝石", 100_000_000, 1)]));
        let (status, reply) =
            till.sync(&server, &[wild.clone(), negative.clone(), huge.clone(), fine.clone()]).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert_eq!(acked, vec![id(&fine)], "{backend:?} {reply}");
        assert_eq!(
            rejected,
            vec![
                (id(&wild), "too_large".to_owned(), "tenders[0].amount".to_owned()),
                (id(&negative), "negative".to_owned(), "tenders[1].amount".to_owned()),
                (id(&huge), "too_large".to_owned(), "total".to_owned()),
            ]
        );
    }
}

/// Puts a day's hour sums near the top of BIGINT, as years of absurd sales would.
async fn nearly_full_day(server: &TestServer, store: &str, date: &str) {
    sqlx::query(
        "INSERT INTO day_hour (store_id, business_date, hour, gross, tax, sales, refunds, \
         refund_total) VALUES ($1, $2, 10, $3, 0, 1, 0, 0)",
    )
    .bind(store)
    .bind(date)
    .bind(i64::MAX - 50)
    .execute(&server.state.db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn day_sums_stay_whole_numbers_and_figures_never_fail_on_them() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "days@example.jp").await;
        nearly_full_day(&server, &till.store, "2026-11-20").await;
        nearly_full_day(&server, &till.store, "2026-11-21").await;
        let over = till.sale_entry(till.sell(last_month(), vec![goods("水", 100, 1)]));
        let (status, reply) = till.sync(&server, std::slice::from_ref(&over)).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert!(acked.is_empty(), "{backend:?}: a sum past BIGINT is not kept: {reply}");
        assert_eq!(rejected.len(), 1);
        let gross: i64 = sqlx::query_scalar(
            "SELECT gross FROM day_hour WHERE business_date = '2026-11-20' AND hour = 10",
        )
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
        assert_eq!(gross, i64::MAX - 50);
        let path = format!("/api/v1/figures?from=2026-11-20&to=2026-11-21&store={}", till.store);
        let (status, answer) = server.get_json(&path, &till.owner).await;
        assert!(status.is_client_error(), "{backend:?}: {status} {answer}");
        assert_eq!(answer["code"], "too_large", "{answer}");
        // One day alone still adds up.
        let path = format!("/api/v1/figures?from=2026-11-20&to=2026-11-20&store={}", till.store);
        let (status, answer) = server.get_json(&path, &till.owner).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!(answer["gross"], json!(i64::MAX - 50));
    }
}

#[tokio::test]
async fn verify_reports_a_day_that_overflows_and_goes_on() {
    for backend in backends() {
        let server = start(backend).await;
        let till = Till::open(&server, "verify@example.jp").await;
        for _ in 0..2 {
            sqlx::query(
                "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, at, \
                 business_date, hour, staff, total, tax, discount, body)
                 VALUES ($1, $2, $3, 1, 1, 'sale', '2026-11-20T01:00:00.000Z', '2026-11-20', 10, \
                 '山田', $4, 0, 0, '{}')",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(&till.store)
            .bind(till.device.to_string())
            .bind(i64::MAX / 2 + 10)
            .execute(&server.state.db.pool)
            .await
            .unwrap();
        }
        let report = verify::run(&server.state.db).await.expect("verify never aborts");
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.what.contains("2026-11-20") && p.what.contains("too large")),
            "{backend:?}: {:?}",
            report.problems
        );
    }
}

#[tokio::test]
async fn an_unstorable_or_misnumbered_sale_is_refused_and_the_rest_lands() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "numbers@example.jp").await;
        let mut far = till.sell(last_month(), vec![goods("水", 100, 1)]);
        far.seq = till.seq + 1;
        far.receipt_no = 1 << 63;
        let far = till.entry_with(far.id, Record::Sale(Box::new(far)));
        let mut wrong = till.sell(last_month(), vec![goods("水", 100, 1)]);
        wrong.seq = 77;
        wrong.receipt_no = 2;
        let wrong = till.entry_with(wrong.id, Record::Sale(Box::new(wrong)));
        let fine = till.sale_entry(till.sell(last_month(), vec![goods("茶", 150, 1)]));
        for _ in 0..2 {
            let (status, reply) =
                till.sync(&server, &[far.clone(), wrong.clone(), fine.clone()]).await;
            assert_eq!(status, StatusCode::OK, "{backend:?} {reply}");
            let (acked, rejected) = verdicts(&reply);
            assert_eq!(acked, vec![id(&fine)]);
            assert_eq!(
                rejected,
                vec![
                    (id(&far), "invalid".to_owned(), "receipt_no".to_owned()),
                    (id(&wrong), "invalid".to_owned(), "seq".to_owned()),
                ]
            );
        }
    }
}

#[tokio::test]
async fn sales_after_tomorrow_or_from_another_issuer_are_refused() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "dates@example.jp").await;
        let now = Utc::now();
        let later =
            till.sale_entry(till.sell(now + chrono::Duration::days(3), vec![goods("水", 100, 1)]));
        let soon =
            till.sale_entry(till.sell(now + chrono::Duration::hours(2), vec![goods("水", 100, 1)]));
        let forged =
            till.sale_entry(till.sell_as(now, vec![goods("水", 100, 1)], issuer("T9999999999999")));
        // Rung up before the store's settings were last set, with the number the tablet had then.
        let before = till.sale_entry(till.sell_as(
            last_month(),
            vec![goods("水", 100, 1)],
            issuer("T9999999999999"),
        ));
        let (status, reply) = till
            .sync(&server, &[later.clone(), soon.clone(), forged.clone(), before.clone()])
            .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let (acked, rejected) = verdicts(&reply);
        assert_eq!(acked, vec![id(&soon), id(&before)], "{backend:?} {reply}");
        assert_eq!(
            rejected,
            vec![
                (id(&later), "sale_in_future".to_owned(), "at".to_owned()),
                (id(&forged), "issuer_mismatch".to_owned(), "shop.registration_number".to_owned()),
            ]
        );
    }
}

#[tokio::test]
async fn a_batch_over_the_cap_is_refused_before_it_is_read_whole() {
    for backend in backends() {
        let server = start(backend).await;
        let till = Till::open(&server, "count@example.jp").await;
        // A full batch, then a pile of entries that are never even looked at.
        let mut till = till;
        let sale = till.sell(last_month(), vec![goods("水", 100, 1)]);
        let entry = serde_json::to_string(&till.sale_entry(sale)).unwrap();
        let mut body = String::from(r#"{"waiting": 0, "entries": ["#);
        body.push_str(&vec![entry.as_str(); 200].join(","));
        body.push_str(&",{}".repeat(300_000));
        body.push_str("]}");
        let request = server
            .request(Method::POST, "/api/v1/sync", &till.token)
            .header("content-type", "application/json")
            .body(body);
        let (status, answer) = support::answer(request).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{backend:?} {answer}");
        assert_eq!(
            (answer["code"].as_str(), answer["field"].as_str()),
            (Some("bad_parameter"), Some("entries"))
        );
    }
}

#[tokio::test]
async fn device_gaps_are_found_by_the_database() {
    for backend in backends() {
        let server = start(backend).await;
        let mut till = Till::open(&server, "gaps@example.jp").await;
        let mut entries = Vec::new();
        for _ in 0..6 {
            entries.push(till.sale_entry(till.sell(last_month(), vec![goods("水", 100, 1)])));
        }
        let kept = [entries[0].clone(), entries[2].clone(), entries[5].clone()];
        assert_eq!(till.sync(&server, &kept).await.0, StatusCode::OK);
        let path = format!("/api/v1/stores/{}/devices", till.store);
        let (status, devices) = server.get_json(&path, &till.owner).await;
        assert_eq!(status, StatusCode::OK, "{devices}");
        assert_eq!(devices[0]["gaps"], json!([[2, 2], [4, 5]]), "{backend:?}");
        assert_eq!(devices[0]["last_seq"], json!(6));
    }
}
