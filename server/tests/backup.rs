//! `akinai backup` and `akinai restore` on a live SQLite database: a backup taken while a
//! register syncs batch after batch restores to a database that `akinai verify` finds whole and
//! that holds a prefix of the synced sales (never half a batch); and what the commands refuse.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use akinai_core::Yen;
use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shop::ShopSettings;
use akinai_core::sync::{GENESIS, OutboxEntry, Record, SyncBatch, SyncReply};
use akinai_core::tax::TaxClass;
use chrono::Utc;
use reqwest::StatusCode;
use sqlx::Connection;
use support::{Backend, TestServer};
use uuid::Uuid;

/// Sales per batch.
const BATCH: usize = 5;

/// Runs `akinai ARGS`: its exit code and everything it printed.
fn akinai(args: &[&str]) -> (Option<i32>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_akinai"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("AKINAI_DB")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code(), text)
}

/// `count` chained sales of one device, each for ¥500 of bento, receipts 1, 2, 3, ...
fn chain(device: Uuid, shop: &ShopSettings, count: usize) -> Vec<OutboxEntry> {
    let shift = Uuid::now_v7();
    let mut prev = GENESIS.to_owned();
    (1..=count as u64)
        .map(|n| {
            let id = Uuid::now_v7();
            let at = Utc::now();
            let ctx = SaleContext {
                id,
                device_id: device,
                at,
                staff: "山田".into(),
                shift_id: shift,
                shop: shop.clone(),
                receipt: Default::default(),
            };
            let mut cart = Cart::new(akinai_core::tokyo_date(at));
            cart.lines.push(CartLine {
                item_id: None,
                category: "食品".into(),
                name: "弁当".into(),
                unit_price: Yen::new(500),
                qty: 1,
                tax_class: TaxClass::Food,
                discount: Discount::NONE,
                names: Default::default(),
                kana: String::new(),
            });
            let cash = vec![Tender::new(PaymentMethod::Cash, Yen::new(1_000))];
            let mut sale = Sale::ring_up(ctx, cart, cash).unwrap();
            sale.seq = n;
            sale.receipt_no = n;
            let entry = OutboxEntry::new(id, device, n, &prev, Record::Sale(Box::new(sale)));
            prev = entry.hash.clone();
            entry
        })
        .collect()
}

/// The receipt numbers of the sales stored in the SQLite file at `db`, in order.
async fn receipts(db: &Path) -> Vec<i64> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(db).read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::query_scalar("SELECT receipt_no FROM sale ORDER BY receipt_no")
        .fetch_all(&mut conn)
        .await
        .unwrap()
}

/// A paired register of a new store on `server`: its id and token, and the store's settings.
async fn register(server: &TestServer) -> (Uuid, String, ShopSettings) {
    let owner = support::sign_up(server, "backup@example.jp").await;
    let store = support::create_store(server, &owner.token, "商い堂").await;
    let device = support::pair_device(server, &owner.token, &store, "レジ1").await;
    let shop = serde_json::from_value(support::shop_settings("商い堂")).unwrap();
    (device.id.parse().unwrap(), device.token, shop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_mid_sync_restores_whole() {
    let server = support::start(Backend::Sqlite).await;
    let (device, token, shop) = register(&server).await;
    let entries = chain(device, &shop, 2_000);
    let live = server.sqlite_file();

    // The register syncs batch after batch until the backups are taken, and a few more after.
    let landed = Arc::new(AtomicUsize::new(0));
    let backed_up = Arc::new(AtomicBool::new(false));
    let syncing = {
        let (landed, backed_up) = (landed.clone(), backed_up.clone());
        let url = server.url("/api/v1/sync");
        let client = server.client.clone();
        tokio::spawn(async move {
            let mut after = 0;
            for batch in entries.chunks(BATCH) {
                let body = SyncBatch { entries: batch.to_vec(), waiting: batch.len() as u64 };
                let response = client.post(&url).bearer_auth(&token).json(&body).send().await;
                let response = response.unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                let reply: SyncReply = response.json().await.unwrap();
                assert_eq!(reply.acked.len(), batch.len(), "{:?}", reply.rejected);
                landed.fetch_add(batch.len(), Ordering::SeqCst);
                after += usize::from(backed_up.load(Ordering::SeqCst));
                if after == 3 {
                    break;
                }
            }
        })
    };
    while landed.load(Ordering::SeqCst) < 10 * BATCH {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut backups = Vec::new();
    for n in 0..3 {
        let file = dir.path().join(format!("backup-{n}.db"));
        let (code, out) =
            akinai(&["backup", "--out", file.to_str().unwrap(), "--db", live.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{out}");
        backups.push(file);
    }
    backed_up.store(true, Ordering::SeqCst);
    syncing.await.unwrap();
    let synced = landed.load(Ordering::SeqCst) as i64;

    for (n, backup) in backups.iter().enumerate() {
        let restored = dir.path().join(format!("restored-{n}.db"));
        let restored = restored.to_str().unwrap();
        let (code, out) =
            akinai(&["restore", "--from", backup.to_str().unwrap(), "--db", restored]);
        assert_eq!(code, Some(0), "{out}");
        let (code, out) = akinai(&["verify", "--db", restored]);
        assert_eq!(code, Some(0), "{out}");
        let held = receipts(Path::new(restored)).await;
        let count = held.len() as i64;
        assert_eq!(held, (1..=count).collect::<Vec<_>>(), "a prefix of the sales");
        assert_eq!(count % BATCH as i64, 0, "whole batches only: {count}");
        assert!((10 * BATCH as i64..synced).contains(&count), "{count} of {synced}");
    }
    assert_eq!(receipts(&live).await.len() as i64, synced);
}

#[tokio::test]
async fn restore_and_backup_refuse_what_would_lose_data() {
    let server = support::start(Backend::Sqlite).await;
    let live = server.sqlite_file();
    let live = live.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    let backup = backup.to_str().unwrap();
    let (code, out) = akinai(&["backup", "--out", backup, "--db", live]);
    assert_eq!(code, Some(0), "{out}");

    // Over the database of a running server (its log is there): refused.
    let (code, out) = akinai(&["restore", "--from", backup, "--db", live]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("--db") && out.contains("server"), "{out}");

    // Over a database that is there: only with --force.
    let other = dir.path().join("other.db");
    let other = other.to_str().unwrap();
    let (code, out) = akinai(&["restore", "--from", backup, "--db", other]);
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = akinai(&["restore", "--from", backup, "--db", other]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("--force"), "{out}");
    let (code, out) = akinai(&["restore", "--from", backup, "--db", other, "--force"]);
    assert_eq!(code, Some(0), "{out}");

    // Not a database: refused, the target untouched.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "not a database at all, just some text long enough").unwrap();
    let fresh = dir.path().join("fresh.db");
    let (code, out) =
        akinai(&["restore", "--from", junk.to_str().unwrap(), "--db", fresh.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(!fresh.exists());

    // No database to back up: said, and none made.
    let missing = dir.path().join("missing.db");
    let (code, out) = akinai(&["backup", "--out", backup, "--db", missing.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(!missing.exists() && out.contains("no database"), "{out}");

    // PostgreSQL: pg_dump's job.
    let (code, out) = akinai(&[
        "backup",
        "--out",
        backup,
        "--database-url",
        "postgres://akinai@127.0.0.1:1/akinai",
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("pg_dump"), "{out}");
}
