//! Sales arriving from registers and what the owner sees of them, over real HTTP on each
//! backend: sync (idempotent, with rejections kept), figures, sales, the live stream, the
//! export and the chain check.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use std::io::Read;
use std::time::Duration;

use akinai_core::Yen;
use akinai_core::api::Figures;
use akinai_core::cart::{Cart, CartLine};
use akinai_core::ledger::TaxBucket;
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shift::{DrawerCount, Shift};
use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::sync::{GENESIS, MAX_BATCH, OutboxEntry, Record, Rejection, SyncBatch, SyncReply};
use akinai_core::tax::{PricingMode, Rounding, TaxClass};
use akinai_server::AppState;
use akinai_server::db::database::{now_text, time_text};
use akinai_server::db::store_data;
use akinai_server::http::auth::token_hash;
use akinai_server::tools::verify;
use chrono::{DateTime, Duration as Span, NaiveDate, TimeZone, Utc};
use reqwest::StatusCode;
use serde_json::Value;
use support::{Backend, TestServer, backends, line, start};
use uuid::Uuid;

/// An owner signed in, with one store and one paired register.
struct Shop {
    owner_token: String,
    store_id: String,
    device: Uuid,
    device_token: String,
}

fn settings(name: &str) -> ShopSettings {
    ShopSettings {
        name: name.into(),
        address: "東京都台東区浅草1-2-3".into(),
        phone: "03-1234-5678".into(),
        registration_number: RegistrationNumber::parse("T1234567890123").unwrap(),
        pricing: PricingMode::TaxIncluded,
        rounding: Rounding::Floor,
        receipt_footer: String::new(),
    }
}

/// Signs up an owner, creates their store and pairs a register with it, over HTTP.
async fn seed(server: &TestServer, email: &str) -> Shop {
    let owner = support::sign_up(server, email).await;
    let store_id = support::create_store(server, &owner.token, email).await;
    let device = support::pair_device(server, &owner.token, &store_id, "レジ1").await;
    Shop {
        owner_token: owner.token,
        store_id,
        device: device.id.parse().unwrap(),
        device_token: device.token,
    }
}

/// The same straight through the library, for a server started outside the harness.
async fn seed_in_database(state: &AppState, email: &str) -> Shop {
    let pool = &state.db.pool;
    let owner_id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO owner (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, 'x', $4)",
    )
    .bind(&owner_id)
    .bind(email)
    .bind("店主")
    .bind(now_text())
    .execute(pool)
    .await
    .unwrap();
    let owner_token = akinai_server::http::auth::new_token();
    sqlx::query(
        "INSERT INTO session (token_hash, owner_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&owner_token))
    .bind(&owner_id)
    .bind(now_text())
    .bind(time_text(Utc::now() + Span::days(30)))
    .execute(pool)
    .await
    .unwrap();
    let mut tx = pool.begin().await.unwrap();
    let store_id = store_data::create_store(&mut tx, &owner_id, &settings(email)).await.unwrap();
    tx.commit().await.unwrap();
    let device = Uuid::now_v7();
    let device_token = akinai_server::http::auth::new_token();
    sqlx::query(
        "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(device.to_string())
    .bind(&store_id)
    .bind("レジ1")
    .bind(token_hash(&device_token))
    .bind(now_text())
    .execute(pool)
    .await
    .unwrap();
    Shop { owner_token, store_id, device, device_token }
}

/// A register making chained outbox entries.
struct Register {
    device: Uuid,
    seq: u64,
    receipt_no: u64,
    prev: String,
    shift: Uuid,
}

impl Register {
    fn new(device: Uuid) -> Register {
        Register { device, seq: 0, receipt_no: 0, prev: GENESIS.to_owned(), shift: Uuid::now_v7() }
    }

    fn ctx(&self, id: Uuid, at: DateTime<Utc>) -> SaleContext {
        SaleContext {
            id,
            device_id: self.device,
            at,
            staff: "山田".into(),
            shift_id: self.shift,
            shop: settings("商い堂"),
            receipt: Default::default(),
        }
    }

    fn entry(&mut self, id: Uuid, record: Record) -> OutboxEntry {
        self.seq += 1;
        let entry = OutboxEntry::new(id, self.device, self.seq, &self.prev, record);
        self.prev = entry.hash.clone();
        entry
    }

    fn numbered(&mut self, mut sale: Sale) -> Sale {
        self.receipt_no += 1;
        sale.seq = self.seq + 1;
        sale.receipt_no = self.receipt_no;
        sale
    }

    /// A sale of `lines` paid in cash with a ¥10,000 note, and its entry.
    fn sell(&mut self, at: DateTime<Utc>, lines: Vec<CartLine>) -> (Sale, OutboxEntry) {
        let id = Uuid::now_v7();
        let mut cart = Cart::new(at.date_naive());
        cart.lines = lines;
        let cash = vec![Tender::new(PaymentMethod::Cash, Yen::new(10_000))];
        let sale = self.numbered(Sale::ring_up(self.ctx(id, at), cart, cash).unwrap());
        let entry = self.entry(id, Record::Sale(Box::new(sale.clone())));
        (sale, entry)
    }

    /// A refund of `picks` of `original`, and its entry.
    fn refund(
        &mut self,
        original: &Sale,
        picks: &[(usize, u32)],
        earlier: &[Sale],
        at: DateTime<Utc>,
    ) -> (Sale, OutboxEntry) {
        let id = Uuid::now_v7();
        let refund = original.refund(self.ctx(id, at), picks, earlier, None).unwrap();
        let refund = self.numbered(refund);
        let entry = self.entry(id, Record::Sale(Box::new(refund.clone())));
        (refund, entry)
    }
}

/// `hour`:00 Tokyo time on `day` of November 2026.
fn tokyo(day: u32, hour: u32) -> DateTime<Utc> {
    akinai_core::TOKYO.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap().with_timezone(&Utc)
}

async fn sync(server: &TestServer, shop: &Shop, entries: &[OutboxEntry]) -> SyncReply {
    sync_to(&server.base, shop, entries).await
}

async fn sync_to(base: &str, shop: &Shop, entries: &[OutboxEntry]) -> SyncReply {
    let batch = SyncBatch { entries: entries.to_vec(), waiting: entries.len() as u64 + 2 };
    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/sync"))
        .bearer_auth(&shop.device_token)
        .json(&batch)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn owner_get(server: &TestServer, token: &str, path: &str) -> reqwest::Response {
    server.client.get(server.url(path)).bearer_auth(token).send().await.unwrap()
}

async fn count(server: &TestServer, table: &str) -> i64 {
    // Test-only SQL over a fixed table name.
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_batch_lands_once_however_often_it_is_sent() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "a@example.jp").await;
        let mut register = Register::new(shop.device);
        let shift =
            Shift::open(register.shift, shop.device, tokyo(20, 8), "山田", DrawerCount::new());
        let mut entries = vec![register.entry(shift.id, Record::Shift(Box::new(shift.clone())))];
        for hour in [9, 10, 11] {
            let lines = vec![line("おにぎり", 160, 2, TaxClass::Food)];
            entries.push(register.sell(tokyo(20, hour), lines).1);
        }
        let mut closed = shift.clone();
        closed.close(tokyo(20, 18), "山田", DrawerCount::new()).unwrap();
        entries.push(register.entry(Uuid::now_v7(), Record::Shift(Box::new(closed))));
        let item = akinai_core::catalog::Item {
            id: Uuid::now_v7(),
            name: "お茶".into(),
            kana: "おちゃ".into(),
            price: Yen::new(150),
            tax_class: TaxClass::Food,
            category: "飲料".into(),
            barcode: None,
            color: String::new(),
            open_price: false,
            names: Default::default(),
        };
        entries.push(register.entry(Uuid::now_v7(), Record::Item(Box::new(item))));

        let first = sync(&server, &shop, &entries).await;
        assert_eq!(first.acked, entries.iter().map(|e| e.id).collect::<Vec<_>>(), "{backend:?}");
        assert!(first.rejected.is_empty());
        for _ in 0..3 {
            assert_eq!(sync(&server, &shop, &entries).await, first, "re-sending answers the same");
        }
        assert_eq!(count(&server, "sale").await, 3);
        assert_eq!(count(&server, "sale_line").await, 3);
        assert_eq!(count(&server, "sale_rate").await, 3);
        assert_eq!(count(&server, "sale_tender").await, 3);
        assert_eq!(count(&server, "record").await, 6);
        assert_eq!(count(&server, "shift").await, 1);
        let (seq, closed_at): (i64, Option<String>) =
            sqlx::query_as("SELECT seq, closed_at FROM shift")
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        assert_eq!((seq, closed_at.is_some()), (5, true), "the newest version of the shift");
        let items: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM item WHERE store_id = $1")
            .bind(&shop.store_id)
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(items, 1);
        let (last_sync, waiting): (Option<String>, i64) =
            sqlx::query_as("SELECT last_sync_at, waiting FROM device WHERE id = $1")
                .bind(shop.device.to_string())
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        assert!(last_sync.is_some());
        assert_eq!(waiting, 2);
        // The stored record is the entry exactly as hashed.
        let body: String = sqlx::query_scalar("SELECT body FROM record WHERE seq = 2")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        let stored: OutboxEntry = serde_json::from_str(&body).unwrap();
        assert_eq!(stored, entries[1]);
        // An entry twice in one batch lands once and is acked twice.
        let twice = register.sell(tokyo(20, 12), vec![line("お茶", 150, 1, TaxClass::Food)]).1;
        let reply = sync(&server, &shop, &[twice.clone(), twice.clone()]).await;
        assert_eq!(reply.acked, vec![twice.id, twice.id]);
        assert_eq!(count(&server, "sale").await, 4);
        // An empty batch only says the device is there.
        assert_eq!(sync(&server, &shop, &[]).await, SyncReply::default());
        let waiting: i64 = sqlx::query_scalar("SELECT waiting FROM device")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(waiting, 2);
    }
}

#[tokio::test]
async fn rejected_entries_are_kept_and_do_not_stop_the_rest() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "b@example.jp").await;
        let mut register = Register::new(shop.device);
        let good = register.sell(tokyo(20, 9), vec![line("弁当", 500, 1, TaxClass::Food)]).1;
        // The register claims more than the domain computes, and hashes its claim.
        let (mut sale, _) =
            register.sell(tokyo(20, 10), vec![line("弁当", 500, 1, TaxClass::Food)]);
        register.seq -= 1;
        register.prev = good.hash.clone();
        sale.receipt.total = Yen::new(400);
        let tampered = register.entry(sale.id, Record::Sale(Box::new(sale)));
        // Changed after it was hashed.
        let mut bad_hash =
            register.sell(tokyo(20, 11), vec![line("ビール", 300, 1, TaxClass::Alcohol)]).1;
        if let Record::Sale(sale) = &mut bad_hash.record {
            sale.staff = "誰か".into();
        }
        let other_device = {
            let mut other = Register::new(Uuid::now_v7());
            other.sell(tokyo(20, 12), vec![line("水", 100, 1, TaxClass::Food)]).1
        };
        let after = register.sell(tokyo(20, 13), vec![line("お茶", 150, 2, TaxClass::Food)]).1;
        let taken = OutboxEntry::new(
            Uuid::now_v7(),
            shop.device,
            1,
            GENESIS,
            Record::ItemRemoved(Uuid::now_v7()),
        );
        let batch = [
            good.clone(),
            tampered.clone(),
            bad_hash.clone(),
            other_device.clone(),
            after.clone(),
            taken.clone(),
        ];
        let reply = sync(&server, &shop, &batch).await;
        assert_eq!(reply.acked, vec![good.id, after.id], "{backend:?}");
        let reasons: Vec<(Uuid, Rejection)> =
            reply.rejected.iter().map(|r| (r.id, r.rejection.clone())).collect();
        assert_eq!(
            reasons,
            vec![
                (tampered.id, Rejection::TotalsMismatch),
                (bad_hash.id, Rejection::HashMismatch),
                (other_device.id, Rejection::WrongDevice),
                (taken.id, Rejection::SeqTaken),
            ]
        );
        assert_eq!(count(&server, "sale").await, 2);
        // Kept, marked, for the owner to see.
        let kept: Vec<(i64, Option<String>)> =
            sqlx::query_as("SELECT seq, rejection FROM record ORDER BY seq")
                .fetch_all(&server.state.db.pool)
                .await
                .unwrap();
        assert_eq!(kept.len(), 4);
        assert!(kept[1].1.as_deref().unwrap().contains("totals_mismatch"));
        assert!(kept[2].1.as_deref().unwrap().contains("hash_mismatch"));
        assert_eq!((kept[0].1.clone(), kept[3].1.clone()), (None, None));
        // Re-sending gives the same verdicts and stores nothing more.
        assert_eq!(sync(&server, &shop, &batch).await, reply);
        assert_eq!(count(&server, "record").await, 4);

        let too_many = SyncBatch { entries: vec![good.clone(); MAX_BATCH + 1], waiting: 0 };
        let response = server
            .client
            .post(server.url("/api/v1/sync"))
            .bearer_auth(&shop.device_token)
            .json(&too_many)
            .send()
            .await
            .unwrap();
        assert!(matches!(
            response.status(),
            StatusCode::BAD_REQUEST | StatusCode::PAYLOAD_TOO_LARGE
        ));
        let response =
            server.client.post(server.url("/api/v1/sync")).json(&too_many).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_device_cannot_leave_the_store_without_an_owner() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "o@example.jp").await;
        let mut register = Register::new(shop.device);
        let member = |name: &str, role, pin: &str| {
            akinai_core::staff::Staff::new(
                Uuid::now_v7(),
                name,
                role,
                &akinai_core::staff::Pin::parse(pin).unwrap(),
                b"a-sixteen-bytes!",
            )
            .unwrap()
        };
        let (owner, cashier) = (
            member("店長", akinai_core::staff::Role::Owner, "1111"),
            member("佐藤", akinai_core::staff::Role::Cashier, "2222"),
        );
        let demoted =
            akinai_core::staff::Staff { role: akinai_core::staff::Role::Cashier, ..owner.clone() };
        let batch = [
            register.entry(Uuid::now_v7(), Record::Staff(Box::new(owner.clone()))),
            register.entry(Uuid::now_v7(), Record::Staff(Box::new(cashier.clone()))),
            // Within the batch: the only owner is neither removed nor made a cashier.
            register.entry(Uuid::now_v7(), Record::StaffRemoved(owner.id)),
            register.entry(Uuid::now_v7(), Record::Staff(Box::new(demoted.clone()))),
            register.entry(Uuid::now_v7(), Record::StaffRemoved(cashier.id)),
        ];
        let reply = sync(&server, &shop, &batch).await;
        assert_eq!(reply.acked, vec![batch[0].id, batch[1].id, batch[4].id], "{backend:?}");
        let refused: Vec<Uuid> = reply.rejected.iter().map(|r| r.id).collect();
        assert_eq!(refused, vec![batch[2].id, batch[3].id]);
        // In a later batch too, and once a second owner joins, the first may go.
        let again = [register.entry(Uuid::now_v7(), Record::StaffRemoved(owner.id))];
        assert_eq!(sync(&server, &shop, &again).await.rejected.len(), 1);
        let second = member("副店長", akinai_core::staff::Role::Owner, "3333");
        let handover = [
            register.entry(Uuid::now_v7(), Record::Staff(Box::new(second))),
            register.entry(Uuid::now_v7(), Record::StaffRemoved(owner.id)),
        ];
        let reply = sync(&server, &shop, &handover).await;
        assert_eq!(reply.acked, vec![handover[0].id, handover[1].id], "{backend:?}");
    }
}

#[tokio::test]
async fn refunds_are_checked_against_their_original() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "c@example.jp").await;
        let mut register = Register::new(shop.device);
        let lines = vec![
            line("おにぎり", 160, 3, TaxClass::Food),
            line("ビール", 250, 2, TaxClass::Alcohol),
        ];
        let (sale, sold) = register.sell(tokyo(20, 9), lines);
        let (first, refunded) = register.refund(&sale, &[(0, 1)], &[], tokyo(20, 10));
        let reply = sync(&server, &shop, &[sold.clone(), refunded.clone()]).await;
        assert_eq!(reply.acked, vec![sold.id, refunded.id], "{backend:?}: in the same batch");

        // The second refund is checked with the first one stored before it.
        let (_, second) =
            register.refund(&sale, &[(0, 2), (1, 2)], std::slice::from_ref(&first), tokyo(20, 11));
        // Refunding again what was already given back does not add up.
        let (_, again) = register.refund(&sale, &[(0, 2)], &[], tokyo(20, 12));
        let mut stranger = Register::new(shop.device);
        let (unknown_sale, _) =
            stranger.sell(tokyo(20, 9), vec![line("水", 100, 1, TaxClass::Food)]);
        let (_, unknown) = register.refund(&unknown_sale, &[(0, 1)], &[], tokyo(20, 13));
        let reply = sync(&server, &shop, &[second.clone(), again.clone(), unknown.clone()]).await;
        assert_eq!(reply.acked, vec![second.id]);
        assert!(matches!(reply.rejected[0].rejection, Rejection::Invalid { .. }), "{reply:?}");
        assert_eq!(reply.rejected[1].rejection, Rejection::UnknownOriginal);
        let refunded_total: i64 =
            sqlx::query_scalar("SELECT CAST(SUM(total) AS BIGINT) FROM sale WHERE kind = 'refund'")
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        assert_eq!(refunded_total, -sale.receipt.total.get(), "everything given back, no more");

        // A register of another store, even the same owner's, cannot refund this store's sale.
        let (fresh, sold) = register.sell(tokyo(20, 14), vec![line("水", 100, 2, TaxClass::Food)]);
        assert_eq!(sync(&server, &shop, &[sold]).await.acked.len(), 1);
        let elsewhere = support::create_store(&server, &shop.owner_token, "支店").await;
        let paired = support::pair_device(&server, &shop.owner_token, &elsewhere, "支店").await;
        let branch = Shop {
            owner_token: shop.owner_token.clone(),
            store_id: elsewhere,
            device: paired.id.parse().unwrap(),
            device_token: paired.token,
        };
        let (_, across) =
            Register::new(branch.device).refund(&fresh, &[(0, 1)], &[], tokyo(20, 15));
        let reply = sync(&server, &branch, &[across]).await;
        assert_eq!(reply.rejected[0].rejection, Rejection::UnknownOriginal, "{backend:?}");
    }
}

#[tokio::test]
async fn figures_add_up_per_rate_hour_item_store_and_week() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "d@example.jp").await;
        let mut register = Register::new(shop.device);
        let mut entries = Vec::new();
        let mut sales = Vec::new();
        for (hour, lines) in [
            (
                9,
                vec![
                    line("おにぎり", 160, 3, TaxClass::Food),
                    line("ビール", 250, 2, TaxClass::Alcohol),
                ],
            ),
            (9, vec![line("弁当", 500, 1, TaxClass::Food)]),
            (
                12,
                vec![
                    line("切手", 84, 5, TaxClass::Exempt),
                    line("おにぎり", 160, 1, TaxClass::Food),
                ],
            ),
            (23, vec![line("ビール", 250, 4, TaxClass::Alcohol)]),
        ] {
            let (sale, entry) = register.sell(tokyo(20, hour), lines);
            sales.push(sale);
            entries.push(entry);
        }
        let (refund, entry) = register.refund(&sales[1], &[(0, 1)], &[], tokyo(20, 13));
        entries.push(entry);
        // The week before, and a day outside the range.
        let (last_week, entry) =
            register.sell(tokyo(13, 10), vec![line("弁当", 500, 2, TaxClass::Food)]);
        entries.push(entry);
        entries.push(register.sell(tokyo(21, 10), vec![line("弁当", 500, 9, TaxClass::Food)]).1);
        // In two batches, the second adding to the day's sums the first began; sent twice, the
        // second adds nothing.
        for batch in [&entries[..1], &entries[1..], &entries[1..]] {
            assert!(sync(&server, &shop, batch).await.rejected.is_empty());
        }

        let other = seed(&server, "other@example.jp").await;
        let mut theirs = Register::new(other.device);
        let (their_sale, entry) =
            theirs.sell(tokyo(20, 9), vec![line("水", 100, 1, TaxClass::Food)]);
        assert!(sync(&server, &other, &[entry]).await.rejected.is_empty());

        let response =
            owner_get(&server, &shop.owner_token, "/api/v1/figures?from=2026-11-20&to=2026-11-20")
                .await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        let figures: Figures = response.json().await.unwrap();
        let gross: i64 =
            sales.iter().map(|s| s.receipt.total.get()).sum::<i64>() + refund.receipt.total.get();
        let tax: i64 =
            sales.iter().map(|s| s.receipt.tax.get()).sum::<i64>() + refund.receipt.tax.get();
        let yen = |figure: Yen| figure.get();
        assert_eq!(
            (yen(figures.gross), yen(figures.tax), yen(figures.net)),
            (gross, tax, gross - tax)
        );
        assert_eq!(figures.receipts, 4);
        assert_eq!(yen(figures.average), gross.div_euclid(4));
        assert_eq!((figures.refunds.count, figures.refunds.amount), (1, refund.receipt.total));
        assert_eq!(figures.rates.iter().map(|r| yen(r.gross)).sum::<i64>(), gross, "rates add up");
        assert_eq!(figures.rates.iter().map(|r| yen(r.tax)).sum::<i64>(), tax);
        assert_eq!(
            figures.rates.iter().map(|r| r.bucket).collect::<Vec<_>>(),
            vec![
                TaxBucket::Rate { percent: 10, reduced: false },
                TaxBucket::Rate { percent: 8, reduced: true },
                TaxBucket::Exempt
            ]
        );
        assert_eq!(yen(figures.rates[2].gross), 420, "stamps are non-taxable");
        assert_eq!(figures.hours.len(), 24);
        assert_eq!(figures.hours.iter().map(|h| yen(h.gross)).sum::<i64>(), gross);
        assert_eq!(figures.hours[9].receipts, 2);
        assert_eq!(yen(figures.hours[9].gross), sales[0].receipt.total.get() + 500);
        assert_eq!(figures.hours[13].gross, refund.receipt.total);
        assert_eq!(figures.hours[23].receipts, 1);
        assert_eq!(figures.payments.len(), 1);
        assert_eq!(
            (figures.payments[0].method, yen(figures.payments[0].amount)),
            (PaymentMethod::Cash, gross)
        );
        let top: Vec<(&str, i64, i64)> =
            figures.top_items.iter().map(|t| (t.name.as_str(), t.qty, yen(t.amount))).collect();
        assert_eq!(
            top,
            vec![("ビール", 6, 1500), ("おにぎり", 4, 640), ("切手", 5, 420), ("弁当", 0, 0)]
        );
        assert_eq!(figures.stores.len(), 1);
        assert_eq!(
            (figures.stores[0].id.to_string(), yen(figures.stores[0].gross)),
            (shop.store_id.clone(), gross)
        );
        assert_eq!(figures.compare.from, NaiveDate::from_ymd_opt(2026, 11, 13).unwrap());
        assert_eq!((figures.compare.gross, figures.compare.receipts), (last_week.receipt.total, 1));

        // One store: the owner's own, never another's.
        let path = format!("/api/v1/figures?from=2026-11-20&to=2026-11-20&store={}", shop.store_id);
        let one: Figures = owner_get(&server, &shop.owner_token, &path).await.json().await.unwrap();
        assert_eq!(
            (yen(one.gross), one.store.map(|id| id.to_string())),
            (gross, Some(shop.store_id.clone()))
        );
        let path =
            format!("/api/v1/figures?from=2026-11-20&to=2026-11-20&store={}", other.store_id);
        assert_eq!(
            owner_get(&server, &shop.owner_token, &path).await.status(),
            StatusCode::NOT_FOUND
        );
        let bad =
            owner_get(&server, &shop.owner_token, "/api/v1/figures?from=2026-11-21&to=2026-11-20")
                .await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            server
                .client
                .get(server.url("/api/v1/figures?from=2026-11-20&to=2026-11-20"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );

        // The sales list, newest first, paged; and one whole sale.
        let list: Vec<Value> =
            owner_get(&server, &shop.owner_token, "/api/v1/sales?from=2026-11-20&to=2026-11-20")
                .await
                .json()
                .await
                .unwrap();
        assert_eq!(list.len(), 5);
        assert_eq!(list[0]["id"], sales[3].id.to_string());
        assert_eq!(list[1]["kind"], "refund");
        assert_eq!(list[0]["total"], sales[3].receipt.total.get());
        let page: Vec<Value> = owner_get(
            &server,
            &shop.owner_token,
            "/api/v1/sales?from=2026-11-13&to=2026-11-21&limit=2&offset=1",
        )
        .await
        .json()
        .await
        .unwrap();
        assert_eq!(page.len(), 2);
        assert_eq!(page[0]["id"], sales[3].id.to_string());
        let path = format!("/api/v1/sales/{}", sales[0].id);
        let whole: Sale = owner_get(&server, &shop.owner_token, &path).await.json().await.unwrap();
        assert_eq!(whole, sales[0]);
        let path = format!("/api/v1/sales/{}", their_sale.id);
        assert_eq!(
            owner_get(&server, &shop.owner_token, &path).await.status(),
            StatusCode::NOT_FOUND
        );
    }
}

/// Reads the stream until `needle` shows or `wait` passes; what was read.
async fn read_until(response: &mut reqwest::Response, needle: &str, wait: Duration) -> String {
    let mut text = String::new();
    let _ = tokio::time::timeout(wait, async {
        while let Some(chunk) = response.chunk().await.unwrap() {
            text.push_str(&String::from_utf8_lossy(&chunk));
            if text.contains(needle) {
                break;
            }
        }
    })
    .await;
    text
}

#[tokio::test]
async fn the_owner_sees_sales_land_live() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "e@example.jp").await;
        let other = seed(&server, "f@example.jp").await;
        let mut mine = owner_get(&server, &shop.owner_token, "/api/v1/events").await;
        assert_eq!(mine.status(), StatusCode::OK);
        assert!(mine.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
        let mut theirs = owner_get(&server, &other.owner_token, "/api/v1/events").await;

        let mut register = Register::new(shop.device);
        let entries = [
            register.sell(tokyo(20, 9), vec![line("弁当", 500, 1, TaxClass::Food)]).1,
            register.sell(tokyo(20, 9), vec![line("弁当", 500, 1, TaxClass::Food)]).1,
        ];
        sync(&server, &shop, &entries).await;
        let text = read_until(&mut mine, "event: device", Duration::from_secs(10)).await;
        assert!(text.contains("event: sale"), "{backend:?}: {text}");
        let data = text
            .lines()
            .skip_while(|l| *l != "event: sale")
            .find_map(|l| l.strip_prefix("data: "))
            .unwrap();
        let data: Value = serde_json::from_str(data).unwrap();
        assert_eq!(data["count"], 2);
        assert_eq!(data["kind"], "sale");
        assert_eq!(data["store_id"], shop.store_id.as_str());
        assert_eq!(data["device_id"], shop.device.to_string());
        assert!(data.get("owner_id").is_none());
        let text = read_until(&mut theirs, "event:", Duration::from_millis(500)).await;
        assert!(!text.contains("event:"), "another owner's stream stays quiet: {text}");
    }
}

#[tokio::test]
async fn the_export_has_every_table_and_a_readme() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "g@example.jp").await;
        let mut register = Register::new(shop.device);
        let staff = akinai_core::staff::Staff::new(
            Uuid::now_v7(),
            "佐藤",
            akinai_core::staff::Role::Cashier,
            &akinai_core::staff::Pin::parse("1234").unwrap(),
            b"a-sixteen-bytes!",
        )
        .unwrap();
        let entries = [
            register.entry(Uuid::now_v7(), Record::Staff(Box::new(staff))),
            register.sell(tokyo(20, 9), vec![line("弁当", 500, 1, TaxClass::Food)]).1,
        ];
        sync(&server, &shop, &entries).await;

        let response = owner_get(&server, &shop.owner_token, "/api/v1/export?format=zip").await;
        assert_eq!(response.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(response.headers()["content-type"], "application/zip");
        let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"akinai-export-"), "{disposition}");
        let bytes = response.bytes().await.unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
            text
        };
        let readme = read("README.md");
        for table in [
            "owner",
            "stores",
            "staff",
            "items",
            "devices",
            "sales",
            "sale_lines",
            "sale_rates",
            "sale_tenders",
            "shifts",
            "records",
        ] {
            assert!(readme.contains(&format!("## {table}.json")), "{table}");
            let json: Vec<Value> = serde_json::from_str(&read(&format!("{table}.json"))).unwrap();
            let csv = read(&format!("{table}.csv"));
            assert_eq!(csv.lines().count(), json.len() + 1, "{table}: header and one line a row");
            for column in csv.lines().next().unwrap().split(',') {
                assert!(readme.contains(&format!("| `{column}` |")), "{table}.{column} described");
            }
        }
        let sales: Vec<Value> = serde_json::from_str(&read("sales.json")).unwrap();
        assert_eq!(sales.len(), 1);
        assert_eq!(sales[0]["total"], 500);
        let staff = read("staff.json");
        assert!(staff.contains("佐藤") && !staff.contains("pin_hash") && !staff.contains("salt"));
        assert!(!read("devices.csv").contains("token"));
        assert!(!read("owner.json").contains("password"));

        let other = owner_get(&server, &shop.owner_token, "/api/v1/export?format=tar").await;
        assert_eq!(other.status(), StatusCode::BAD_REQUEST);

        let dir = tempfile::tempdir().unwrap();
        let written = akinai_server::reports::export::write_dirs(
            &server.state.db,
            dir.path(),
            Some("g@example.jp"),
        )
        .await
        .unwrap();
        assert_eq!(written, vec![dir.path().join("g@example.jp")]);
        assert!(dir.path().join("g@example.jp/sale_lines.csv").exists());
        assert!(
            akinai_server::reports::export::write_dirs(
                &server.state.db,
                dir.path(),
                Some("nobody@example.jp")
            )
            .await
            .is_err()
        );
    }
}

#[tokio::test]
async fn verify_reports_every_kind_of_tampering() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "h@example.jp").await;
        let mut register = Register::new(shop.device);
        let entries: Vec<OutboxEntry> = (0..6)
            .map(|n| {
                register.sell(tokyo(20, 9 + n), vec![line("弁当", 500, n + 1, TaxClass::Food)]).1
            })
            .collect();
        sync(&server, &shop, &entries).await;
        let db = &server.state.db;
        let clean = verify::run(db).await.unwrap();
        assert!(clean.is_clean(), "{backend:?}: {:?}", clean.problems);
        assert_eq!((clean.devices, clean.records, clean.sales), (1, 6, 6));

        // Someone edits the second sale's record, the fourth sale's total, and removes the fifth
        // record.
        let device = shop.device.to_string();
        let body: String =
            sqlx::query_scalar("SELECT body FROM record WHERE device_id = $1 AND seq = 2")
                .bind(&device)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        sqlx::query("UPDATE record SET body = $1 WHERE device_id = $2 AND seq = 2")
            .bind(body.replace("山田", "田中"))
            .bind(&device)
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("UPDATE sale SET total = 1 WHERE id = $1")
            .bind(entries[3].id.to_string())
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM record WHERE device_id = $1 AND seq = 5")
            .bind(&device)
            .execute(&db.pool)
            .await
            .unwrap();

        let report = verify::run(db).await.unwrap();
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        let has = |needle: &str| lines.iter().any(|l| l.contains(&device) && l.contains(needle));
        assert!(has("seq 2: content does not match its hash"), "{lines:#?}");
        assert!(has("seq 5: missing"), "{lines:#?}");
        assert!(has("receipt 4 (sale"), "{lines:#?}");
        assert!(has("total 1 differs from its record's 2000"), "{lines:#?}");
        assert!(has("body differs"), "{lines:#?}");
        assert!(has("receipt 5") && has("has no record"), "{lines:#?}");
        assert!(has("receipt 2") && has("differs from its record"), "the edited record's sale too");
        // The lowered total no longer matches the day's sums the owner's figures read.
        let day = format!("store {}: 2026-11-20: the day's sums", shop.store_id);
        assert!(lines.iter().any(|l| l.starts_with(&day)), "{lines:#?}");
        assert!(!report.is_clean());
        assert!(report.summary().contains("problems"));
    }
}

#[tokio::test]
async fn a_record_the_database_cannot_store_does_not_hold_up_its_batch() {
    for backend in backends() {
        let server = start(backend).await;
        let shop = seed(&server, "nul@example.jp").await;
        let mut register = Register::new(shop.device);
        let before = register.sell(tokyo(20, 9), vec![line("弁当", 500, 1, TaxClass::Food)]).1;
        // PostgreSQL refuses a NUL character in text; SQLite keeps it.
        let odd = register.sell(tokyo(20, 10), vec![line("弁\0当", 500, 1, TaxClass::Food)]).1;
        let after = register.sell(tokyo(20, 11), vec![line("弁当", 500, 1, TaxClass::Food)]).1;
        let reply = sync(&server, &shop, &[before.clone(), odd.clone(), after.clone()]).await;
        match backend {
            Backend::Sqlite => assert_eq!(reply.acked, vec![before.id, odd.id, after.id]),
            Backend::Postgres => {
                assert_eq!(reply.acked, vec![before.id, after.id]);
                assert_eq!(reply.rejected[0].id, odd.id);
                assert!(matches!(reply.rejected[0].rejection, Rejection::Invalid { .. }));
            }
        }
        assert_eq!(sync(&server, &shop, &[before, odd, after]).await, reply);
        let waiting: i64 = sqlx::query_scalar("SELECT waiting FROM device")
            .fetch_one(&server.state.db.pool)
            .await
            .unwrap();
        assert_eq!(waiting, 2, "{backend:?}");
    }
}

#[tokio::test]
async fn verify_and_export_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("akinai.db");
    let state = AppState::new(
        akinai_server::db::database::open(&akinai_server::db::database::Target::Sqlite(
            db_path.clone(),
        ))
        .await
        .unwrap(),
    );
    let shop = seed_in_database(&state, "cli@example.jp").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = akinai_server::router(state.clone(), dir.path());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut register = Register::new(shop.device);
    let entries: Vec<OutboxEntry> = (0..3)
        .map(|n| register.sell(tokyo(20, 9 + n), vec![line("弁当", 500, 1, TaxClass::Food)]).1)
        .collect();
    assert_eq!(sync_to(&base, &shop, &entries).await.acked.len(), 3);

    let akinai = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_akinai"))
            .args(args)
            .arg("--db")
            .arg(&db_path)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    let (code, out) = akinai(&["verify"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("1 devices, 3 records, 3 sales checked: no problems"), "{out}");

    sqlx::query("DELETE FROM record WHERE seq = 2").execute(&state.db.pool).await.unwrap();
    let (code, out) = akinai(&["verify"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains(&format!("device {}: seq 2: missing", shop.device)), "{out}");
    assert!(out.contains("2 problems"), "{out}");

    let out_dir = dir.path().join("export");
    let (code, out) = akinai(&["export", "--out", out_dir.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}");
    let sales = std::fs::read_to_string(out_dir.join("cli@example.jp/sales.csv")).unwrap();
    assert_eq!(sales.lines().count(), 4);
    assert!(out_dir.join("cli@example.jp/README.md").exists());
    let (code, _) =
        akinai(&["export", "--out", out_dir.to_str().unwrap(), "--owner", "no@example.jp"]);
    assert_eq!(code, Some(1));
}
