//! The device database in real headless Chromium and real IndexedDB.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

use akinai_app::device::storage::{Edit, Storage, VERSION, stores};
use akinai_core::Yen;
use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::catalog::Item;
use akinai_core::formal::FormalReceipt;
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shop::{RegistrationNumber, ShopSettings};
use akinai_core::sync::{GENESIS, Link, OutboxEntry, Record, verify_chain};
use akinai_core::tax::TaxClass;
use chrono::{NaiveDate, Utc};
use uuid::Uuid;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn sale(id: u128) -> Sale {
    let mut cart = Cart::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    cart.lines.push(CartLine {
        item_id: None,
        category: "おにぎり".into(),
        name: "おにぎり".into(),
        unit_price: Yen::new(160),
        qty: 2,
        tax_class: TaxClass::Food,
        discount: Discount::NONE,
        names: Default::default(),
        kana: String::new(),
    });
    let ctx = SaleContext {
        id: Uuid::from_u128(id),
        device_id: Uuid::from_u128(1),
        at: Utc::now(),
        staff: "山田".into(),
        shift_id: Uuid::from_u128(2),
        shop: ShopSettings {
            name: "商い堂".into(),
            address: String::new(),
            phone: String::new(),
            registration_number: RegistrationNumber::parse("T1234567890123").unwrap(),
            pricing: Default::default(),
            rounding: Default::default(),
            receipt_footer: String::new(),
        },
        receipt: Default::default(),
    };
    Sale::ring_up(ctx, cart, vec![Tender::new(PaymentMethod::Cash, Yen::new(500))]).unwrap()
}

async fn fresh(name: &str) -> Storage {
    Storage::delete(name).await.unwrap();
    Storage::open(name).await.unwrap()
}

#[wasm_bindgen_test]
async fn an_old_database_is_upgraded_keeping_its_records() {
    let name = "akinai-test-upgrade";
    Storage::delete(name).await.unwrap();
    let v1 = Storage::open_version(name, 1).await.unwrap();
    assert!(!v1.store_names().contains(&stores::SHIFTS.to_owned()));
    let item = Item {
        id: Uuid::from_u128(9),
        name: "緑茶".into(),
        kana: "りょくちゃ".into(),
        price: Yen::new(150),
        tax_class: TaxClass::Food,
        category: "飲み物".into(),
        barcode: Some("4900000000059".into()),
        color: String::new(),
        open_price: false,
        names: Default::default(),
    };
    v1.put_all(stores::CATALOG, std::slice::from_ref(&item)).await.unwrap();
    v1.commit_sale(sale(10)).await.unwrap();
    v1.close();

    let current = Storage::open(name).await.unwrap();
    assert_eq!(current.version().unwrap(), VERSION);
    for store in [
        stores::SHIFTS,
        stores::HELD,
        stores::CHECKOUT,
        stores::PAYMENT_CANCELS,
        stores::FORMAL_RECEIPTS,
    ] {
        assert!(current.store_names().contains(&store.to_owned()), "{store} added");
    }
    assert_eq!(current.all::<Item>(stores::CATALOG).await.unwrap(), vec![item]);
    assert_eq!(current.sale_by_receipt_no(1).await.unwrap().unwrap().id, Uuid::from_u128(10));
    current.close();
}

#[wasm_bindgen_test]
async fn a_sale_and_its_outbox_entry_are_written_together_or_not_at_all() {
    let db = fresh("akinai-test-atomic").await;
    let stored = db.commit_sale(sale(1)).await.unwrap();
    assert_eq!((stored.receipt_no, stored.seq), (1, 1));
    let outbox: Vec<OutboxEntry> = db.all(stores::OUTBOX).await.unwrap();
    let record = Record::Sale(Box::new(stored.clone()));
    assert_eq!(outbox, vec![OutboxEntry::new(stored.id, stored.device_id, 1, GENESIS, record)]);

    // The same id again is refused by the sales store, and the whole transaction with it:
    // no outbox entry, no receipt number used up.
    assert!(db.commit_sale(sale(1)).await.is_err());
    assert_eq!(db.count(stores::SALES).await.unwrap(), 1);
    assert_eq!(db.count(stores::OUTBOX).await.unwrap(), 1);
    assert_eq!(db.last_receipt_no().await.unwrap(), 1);
    assert_eq!(db.commit_sale(sale(2)).await.unwrap().receipt_no, 2, "no gap after the failure");

    // A paired tablet's catalog edit joins the same chain, after the sales.
    let removed = [Record::ItemRemoved(Uuid::from_u128(5))];
    let send_as = Some(Uuid::from_u128(1));
    db.apply(Edit { records: &removed, send_as, ..Edit::default() }).await.unwrap();
    let outbox: Vec<OutboxEntry> = db.all(stores::OUTBOX).await.unwrap();
    assert_eq!(outbox.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    let links: Vec<Link> = outbox.iter().map(Link::from).collect();
    assert_eq!(verify_chain(&links), vec![], "an unbroken chain");

    // Once the server has answered for entries, they leave the outbox; the rest stay.
    db.drop_sent(&[1, 2]).await.unwrap();
    assert_eq!(db.outbox(10).await.unwrap().iter().map(|e| e.seq).collect::<Vec<_>>(), [3]);
    db.close();
}

#[wasm_bindgen_test]
async fn a_formal_receipt_joins_the_outbox_chain_and_is_found_by_its_sale() {
    let db = fresh("akinai-test-formal").await;
    let stored = db.commit_sale(sale(1)).await.unwrap();
    let issue = |copy: u32| FormalReceipt {
        id: Uuid::from_u128(100 + u128::from(copy)),
        sale_id: stored.id,
        device_id: stored.device_id,
        at: stored.at,
        staff: "山田".into(),
        addressee: "株式会社テスト".into(),
        purpose: "お品代".into(),
        copy,
        stamp_duty: Yen::ZERO,
        lang: None,
    };
    db.commit_formal(&issue(1)).await.unwrap();
    db.commit_formal(&issue(2)).await.unwrap();
    // The same id again is refused, with no outbox entry.
    assert!(db.commit_formal(&issue(2)).await.is_err());
    let copies: Vec<u32> =
        db.formal_receipts_of(stored.id).await.unwrap().iter().map(|f| f.copy).collect();
    assert_eq!(copies, [1, 2]);
    assert!(db.formal_receipts_of(Uuid::from_u128(9)).await.unwrap().is_empty());
    let outbox: Vec<OutboxEntry> = db.all(stores::OUTBOX).await.unwrap();
    assert_eq!(outbox.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(outbox[2].record, Record::FormalReceipt(Box::new(issue(2))));
    let links: Vec<Link> = outbox.iter().map(Link::from).collect();
    assert_eq!(verify_chain(&links), vec![], "an unbroken chain");
}

#[wasm_bindgen_test]
async fn receipt_numbers_continue_after_a_reload() {
    let name = "akinai-test-numbering";
    let db = fresh(name).await;
    for id in 1..=3 {
        db.commit_sale(sale(id)).await.unwrap();
    }
    db.close();
    let reopened = Storage::open(name).await.unwrap();
    assert_eq!(reopened.last_receipt_no().await.unwrap(), 3);
    let next = reopened.commit_sale(sale(4)).await.unwrap();
    assert_eq!((next.receipt_no, next.seq), (4, 4));
    assert_eq!(reopened.sale_by_receipt_no(2).await.unwrap().unwrap().id, Uuid::from_u128(2));
    let all: Vec<Sale> = reopened.all(stores::SALES).await.unwrap();
    let mut numbers: Vec<u64> = all.iter().map(|s| s.receipt_no).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, vec![1, 2, 3, 4]);
    reopened.close();
}

#[wasm_bindgen_test]
async fn the_history_pages_by_business_day_through_the_index() {
    let db = fresh("akinai-test-days").await;
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    // Two sales on the 20th, none on the 21st, one on the 22nd and one on the 23rd.
    for (id, date) in [(10, day(20)), (11, day(22)), (12, day(20)), (13, day(23))] {
        let mut sale = sale(id);
        sale.business_date = date;
        db.commit_sale(sale).await.unwrap();
    }
    let ids = |sales: Vec<Sale>| sales.iter().map(|s| s.id.as_u128()).collect::<Vec<_>>();

    assert_eq!(ids(db.sales_from(day(22)).await.unwrap()), [11, 13]);
    assert_eq!(ids(db.sales_of_day(day(20)).await.unwrap()), [10, 12]);
    assert!(db.sales_of_day(day(21)).await.unwrap().is_empty());
    assert_eq!(db.day_before(day(23)).await.unwrap(), Some(day(22)));
    assert_eq!(db.day_before(day(22)).await.unwrap(), Some(day(20)));
    assert_eq!(db.day_before(day(20)).await.unwrap(), None);
}
