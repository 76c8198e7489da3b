//! QR payments through the PayPay stand-in, over real HTTP both ways (register → server →
//! stand-in): a code paid once however often it is started, unknown outcomes resolved by status
//! and cancel, failures, expiry, giving up, refunds, a restart mid-payment, and sync accepting a
//! QR tender only with its completed, unused payment.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use akinai_core::Yen;
use akinai_core::api::{PaymentMode, PaymentStart, PaymentState, ProviderEnv, ProviderSetup};
use akinai_core::cart::{Cart, CartLine, Discount};
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::sync::{GENESIS, OutboxEntry, Record, SyncBatch, SyncReply};
use akinai_core::tax::TaxClass;
use akinai_server::db::database::{Target, time_text};
use akinai_server::http::auth::DeviceAuth;
use akinai_server::http::edge::Limits;
use akinai_server::payments::Engine;
use akinai_server::payments::paypay::client::{PayPay, PayPayAccount};
use akinai_server::payments::paypay::wire::PayStatus;
use akinai_server::payments::provider::{CodeRequest, Outcome, Provider, Timeouts};
use akinai_server::payments::secrets::Sealer;
use akinai_server::payments::store::{self, PaymentRow, Step};
use akinai_server::tools::standin::book::CodeView;
use akinai_server::tools::standin::{
    self, DEMO_API_KEY, DEMO_API_SECRET, DEMO_MERCHANT_ID, Fail, Op, StandIn, StandInConfig,
    Switches,
};
use chrono::Utc;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Backend, Device, Owner, TestServer, backends};
use uuid::Uuid;

/// Quick polls and short call timeouts, so that a test takes seconds.
const FAST: Timeouts = Timeouts {
    post: Duration::from_secs(2),
    get: Duration::from_secs(2),
    poll: Duration::from_millis(200),
};

/// The secrets key of every engine here: a restarted engine opens what the first one sealed.
const KEY: [u8; 32] = [7; 32];

/// An engine over `state`'s database like `akinai serve` makes, but quick.
fn engine(db: &akinai_server::Db) -> Engine {
    Engine::new(db.clone(), Sealer::new(&KEY), reqwest::Client::new(), FAST)
}

/// A server whose store uses a stand-in, and a register paired with it.
struct Shop {
    server: TestServer,
    stand_in: StandIn,
    owner: Owner,
    store: String,
    device: Device,
}

/// Starts a server and a stand-in (set up as `config` says), and sets the store up with it.
async fn shop(backend: Backend, config: StandInConfig) -> Shop {
    let server = support::start_configured(backend, false, Limits::default(), |state| {
        let engine = engine(&state.db);
        state.with_payments(engine)
    })
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let stand_in = standin::spawn(listener, config).await.unwrap();
    let owner = support::sign_up(&server, "paypay@example.jp").await;
    let store = support::create_store(&server, &owner.token, "商い堂").await;
    let info = set_paypay(&server, &owner, &store, DEMO_API_SECRET, &stand_in.url()).await;
    assert_eq!(info["configured"], true, "{info}");
    assert_eq!(info["api_key_hint"], "-key");
    assert_eq!(info["environment"], "stand_in");
    assert!(!info.to_string().contains(DEMO_API_SECRET), "the secret is never answered");
    let device = support::pair_device(&server, &owner.token, &store, "レジ1").await;
    Shop { server, stand_in, owner, store, device }
}

/// Sets the store's PayPay account to the stand-in at `url` with `secret`.
async fn set_paypay(
    server: &TestServer,
    owner: &Owner,
    store: &str,
    secret: &str,
    url: &str,
) -> Value {
    let body = json!({"api_key": DEMO_API_KEY, "api_secret": secret,
        "merchant_id": DEMO_MERCHANT_ID, "environment": "stand_in", "base_url": url});
    let path = format!("/api/v1/stores/{store}/providers/paypay");
    let (status, info) = server.send_json(Method::PUT, &path, &owner.token, &body).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    info
}

/// A payment's start: `id` for ¥`amount` of sale `sale`, the shop's code.
fn start_body(id: Uuid, sale: Uuid, amount: i64) -> Value {
    json!({"id": id, "sale_id": sale, "amount": amount, "mode": "shop_qr"})
}

impl Shop {
    /// `POST /payments`.
    async fn start(&self, body: &Value) -> (StatusCode, Value) {
        self.server.send_json(Method::POST, "/api/v1/payments", &self.device.token, body).await
    }

    /// The payment once it is final, long-polling as the register does.
    async fn settled(&self, id: Uuid) -> Value {
        let path = format!("/api/v1/payments/{id}");
        let (status, mut payment) = self.server.get_json(&path, &self.device.token).await;
        assert_eq!(status, StatusCode::OK, "{payment}");
        for _ in 0..30 {
            let state = payment["state"].as_str().unwrap().to_owned();
            if !["creating", "pending", "cancelling"].contains(&state.as_str()) {
                return payment;
            }
            let waited = format!("{path}?wait={state}");
            (_, payment) = self.server.get_json(&waited, &self.device.token).await;
        }
        panic!("never settled: {payment}");
    }

    /// The stand-in's code for our payment `id`.
    fn code(&self, id: Uuid) -> CodeView {
        let codes = self.stand_in.control.codes();
        let mine: Vec<_> =
            codes.into_iter().filter(|c| c.merchant_payment_id == id.to_string()).collect();
        assert_eq!(mine.len(), 1, "one code per payment: {mine:?}");
        mine.into_iter().next().unwrap()
    }

    /// The customer pays (or declines) the code of payment `id` on the stand-in's page.
    async fn tap(&self, id: Uuid, pay: bool) {
        let what = if pay { "approve" } else { "decline" };
        let url = format!("{}/qr/{}/{what}", self.stand_in.url(), self.code(id).code_id);
        let response = reqwest::Client::new().post(url).send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
    }

    /// Sets the stand-in's switches.
    fn switch(&self, fail: Fail, ambiguous: &[Op]) {
        let ambiguous: BTreeSet<Op> = ambiguous.iter().copied().collect();
        self.stand_in.control.set(Switches { fail, ambiguous, ..Switches::default() });
    }

    /// A completed payment of ¥`amount`.
    async fn paid(&self, amount: i64) -> Uuid {
        let id = Uuid::now_v7();
        let (status, payment) = self.start(&start_body(id, Uuid::now_v7(), amount)).await;
        assert_eq!((status, payment["state"].as_str()), (StatusCode::CREATED, Some("pending")));
        self.tap(id, true).await;
        assert_eq!(self.settled(id).await["state"], "completed");
        id
    }
}

#[tokio::test]
async fn a_shown_code_is_paid_once_however_often_it_is_started() {
    for backend in backends() {
        let shop = shop(backend, StandInConfig::default()).await;
        let (id, sale) = (Uuid::now_v7(), Uuid::now_v7());
        let (status, payment) = shop.start(&start_body(id, sale, 1200)).await;
        assert_eq!(status, StatusCode::CREATED, "{payment}");
        assert_eq!(payment["state"], "pending");
        assert_eq!(payment["brand"], "paypay");
        let code = shop.code(id);
        assert_eq!(payment["qr"]["payload"], code.url.as_str(), "the code's url is shown");
        assert!(payment["qr"]["svg"].as_str().unwrap().contains("<svg"));
        let left = payment["qr"]["expires_in_s"].as_u64().unwrap();
        assert!((250..=300).contains(&left), "{left}");

        // The same start again (a retry after a lost answer): the same payment, no new code.
        let (status, again) = shop.start(&start_body(id, sale, 1200)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(again["qr"]["payload"], payment["qr"]["payload"]);
        assert_eq!(shop.stand_in.control.codes().len(), 1);
        // The same id for something else is refused.
        let (status, refused) = shop.start(&start_body(id, sale, 1300)).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (StatusCode::CONFLICT, Some("payment_mismatch"))
        );

        // A register waiting on the payment hears at once that it was paid.
        let path = format!("/api/v1/payments/{id}?wait=pending");
        let waiting = {
            let (client, url, token) =
                (shop.server.client.clone(), shop.server.url(&path), shop.device.token.clone());
            tokio::spawn(async move { support::answer(client.get(url).bearer_auth(token)).await })
        };
        tokio::time::sleep(Duration::from_millis(1000)).await;
        // One wait per payment: another register's (or a stray retry's) is answered at once.
        let asked = Instant::now();
        let (_, second) = shop.server.get_json(&path, &shop.device.token).await;
        assert_eq!(second["state"], "pending");
        assert!(asked.elapsed() < Duration::from_secs(1), "{:?}", asked.elapsed());
        let paid_at = Instant::now();
        shop.tap(id, true).await;
        let (status, done) = waiting.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert_eq!(done["state"], "completed", "{done}");
        assert!(paid_at.elapsed() < Duration::from_secs(2), "{:?}", paid_at.elapsed());
        assert_eq!(done["qr"], Value::Null);

        // Paid, and no sale has used it yet: the owner sees it.
        let listed = format!("/api/v1/stores/{}/payments?unbound=true", shop.store);
        let (status, unbound) = shop.server.get_json(&listed, &shop.owner.token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(unbound[0]["id"], id.to_string());
        assert_eq!(shop.stand_in.control.codes().len(), 1, "charged once");
        assert_eq!(shop.code(id).status, PayStatus::Completed);
    }
}

#[tokio::test]
async fn an_ambiguous_create_is_cancelled_and_a_later_payment_fails() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    shop.switch(Fail::None, &[Op::Create]);
    let id = Uuid::now_v7();
    let (status, _) = shop.start(&start_body(id, Uuid::now_v7(), 800)).await;
    assert_eq!(status, StatusCode::CREATED);
    // The code was made but its answer lost: the status says CREATED, so it is cancelled.
    let payment = shop.settled(id).await;
    assert_eq!(payment["state"], "cancelled", "{payment}");
    shop.switch(Fail::None, &[]);
    // The customer pays the code anyway: PayPay turns it into a failure.
    shop.tap(id, true).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(shop.code(id).status, PayStatus::Failed);
    assert_eq!(shop.settled(id).await["state"], "cancelled");

    // Status answers lost too: asked again, longer apart, then the payment is cancelled.
    shop.switch(Fail::None, &[Op::Create, Op::Status]);
    let id = Uuid::now_v7();
    shop.start(&start_body(id, Uuid::now_v7(), 900)).await;
    let payment = shop.settled(id).await;
    assert_eq!(payment["state"], "cancelled", "{payment}");
    assert!(shop.code(id).live(), "the code is left, but paying it fails");
}

#[tokio::test]
async fn a_create_that_never_reached_the_provider_fails_safely() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    // 500 INTERNAL_SERVER_ERROR before any work: unknown to us; the status then says not found.
    // Only the create fails, however long it takes to arrive.
    shop.stand_in.control.set(Switches {
        fail: Fail::InternalError,
        fail_times: Some(1),
        ..Switches::default()
    });
    let id = Uuid::now_v7();
    let (status, _) = shop.start(&start_body(id, Uuid::now_v7(), 500)).await;
    assert_eq!(status, StatusCode::CREATED);
    let payment = shop.settled(id).await;
    assert_eq!(payment["state"], "failed", "{payment}");
    assert_eq!(payment["error"], "provider_unavailable");
    assert_eq!(payment["detail"], "DYNAMIC_QR_PAYMENT_NOT_FOUND");
    assert!(shop.stand_in.control.codes().is_empty());
}

#[tokio::test]
async fn a_customer_code_is_charged_at_once_and_a_refused_one_fails() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    let sale = Uuid::now_v7();
    let customer = |id: Uuid, code: &str| {
        json!({"id": id, "sale_id": sale, "amount": 800, "mode": "customer_code",
            "customer_code": code})
    };
    let id = Uuid::now_v7();
    let (status, payment) = shop.start(&customer(id, "281234567890123456")).await;
    assert_eq!(status, StatusCode::CREATED, "{payment}");
    assert_eq!(shop.settled(id).await["state"], "completed");
    assert_eq!(payment["qr"], Value::Null, "nothing to show: the customer showed the code");
    // Charged once: the same start again is the same payment.
    let (status, again) = shop.start(&customer(id, "281234567890123456")).await;
    assert_eq!((status, again["state"].as_str()), (StatusCode::OK, Some("completed")));

    let declined = Uuid::now_v7();
    shop.start(&customer(declined, "281234567890129999")).await;
    assert_eq!(shop.settled(declined).await["state"], "failed");
}

#[tokio::test]
async fn a_failed_transaction_or_a_declined_code_fails_without_a_cancel() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    shop.switch(Fail::TransactionFailed, &[]);
    let id = Uuid::now_v7();
    let (status, payment) = shop.start(&start_body(id, Uuid::now_v7(), 500)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(payment["state"], "failed", "{payment}");
    assert_eq!(payment["error"], "provider_refused");
    assert_eq!(payment["detail"], "TRANSACTION_FAILED");
    let row = store::payment(&shop.server.state.db, id).await.unwrap().unwrap();
    assert_eq!(row.attempts, 1, "one call, no status asked, nothing cancelled");

    shop.switch(Fail::None, &[]);
    let declined = Uuid::now_v7();
    shop.start(&start_body(declined, Uuid::now_v7(), 500)).await;
    shop.tap(declined, false).await;
    let payment = shop.settled(declined).await;
    assert_eq!(
        (payment["state"].as_str(), payment["error"].as_str()),
        (Some("failed"), Some("provider_refused"))
    );
}

#[tokio::test]
async fn a_code_expires_unpaid_and_a_given_up_one_is_deleted() {
    let config = StandInConfig { code_ttl: Duration::from_secs(1), ..StandInConfig::default() };
    let shop = shop(Backend::Sqlite, config).await;
    let id = Uuid::now_v7();
    shop.start(&start_body(id, Uuid::now_v7(), 500)).await;
    assert_eq!(shop.settled(id).await["state"], "expired");
    assert!(shop.code(id).deleted, "an expired code is deleted");

    let config = StandInConfig::default();
    let shop = self::shop(Backend::Sqlite, config).await;
    let id = Uuid::now_v7();
    shop.start(&start_body(id, Uuid::now_v7(), 500)).await;
    let path = format!("/api/v1/payments/{id}");
    let (status, payment) =
        support::answer(shop.server.request(Method::DELETE, &path, &shop.device.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(payment["state"], "cancelled", "{payment}");
    assert!(shop.code(id).deleted);
    // Too late for the customer.
    shop.tap(id, true).await;
    assert_eq!(shop.code(id).status, PayStatus::Created);

    // Given up after it was paid (and before any sale used it): cancelled with PayPay.
    let paid = shop.paid(600).await;
    let path = format!("/api/v1/payments/{paid}");
    let (status, payment) =
        support::answer(shop.server.request(Method::DELETE, &path, &shop.device.token)).await;
    assert_eq!((status, payment["state"].as_str()), (StatusCode::OK, Some("cancelled")));
    assert_eq!(shop.code(paid).status, PayStatus::Failed);
}

#[tokio::test]
async fn a_payment_has_one_refund() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    let id = shop.paid(1000).await;
    let path = format!("/api/v1/payments/{id}/refunds");
    let refund_id = Uuid::now_v7();
    let body = json!({"refund_id": refund_id, "amount": 300});
    let (status, refund) =
        shop.server.send_json(Method::POST, &path, &shop.device.token, &body).await;
    assert_eq!(status, StatusCode::OK, "{refund}");
    assert_eq!(refund["state"], "accepted");
    assert_eq!(refund["amount"], 300);
    assert_eq!(shop.code(id).refunded, Some(300));
    // Sent again (a lost answer): the same refund.
    let (status, again) =
        shop.server.send_json(Method::POST, &path, &shop.device.token, &body).await;
    assert_eq!((status, again["state"].as_str()), (StatusCode::OK, Some("accepted")));
    // A second refund is refused before PayPay is asked.
    let other = json!({"refund_id": Uuid::now_v7(), "amount": 100});
    let (status, refused) =
        shop.server.send_json(Method::POST, &path, &shop.device.token, &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["code"], "provider_refund_limit");
    let (status, got) =
        shop.server.get_json(&format!("{path}/{refund_id}"), &shop.device.token).await;
    assert_eq!((status, got["state"].as_str()), (StatusCode::OK, Some("accepted")));

    // Paid days ago and given up now: too late to cancel, so it is refunded whole.
    let old = shop.paid(800).await;
    sqlx::query("UPDATE payment SET created_at = $1 WHERE id = $2")
        .bind(time_text(Utc::now() - chrono::Duration::days(3)))
        .bind(old.to_string())
        .execute(&shop.server.state.db.pool)
        .await
        .unwrap();
    let gone = format!("/api/v1/payments/{old}");
    let (status, payment) =
        support::answer(shop.server.request(Method::DELETE, &gone, &shop.device.token)).await;
    assert_eq!(
        (status, payment["state"].as_str()),
        (StatusCode::OK, Some("cancelled")),
        "{payment}"
    );
    assert_eq!(shop.code(old).refunded, Some(800));

    // Only a completed payment is refunded.
    let pending = Uuid::now_v7();
    shop.start(&start_body(pending, Uuid::now_v7(), 500)).await;
    let path = format!("/api/v1/payments/{pending}/refunds");
    let (status, refused) =
        shop.server.send_json(Method::POST, &path, &shop.device.token, &other).await;
    assert_eq!(
        (status, refused["code"].as_str()),
        (StatusCode::CONFLICT, Some("payment_unconfirmed"))
    );
}

#[tokio::test]
async fn a_payment_is_taken_up_again_after_a_restart_and_completes_once() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    let db = &shop.server.state.db;
    let device = DeviceAuth { device_id: shop.device.id.clone(), store_id: shop.store.clone() };
    let start = PaymentStart {
        id: Uuid::now_v7(),
        sale_id: Uuid::now_v7(),
        amount: Yen::new(700),
        mode: PaymentMode::ShopQr,
        customer_code: None,
    };
    let first = engine(db);
    let (row, new) = first.start(&device, &start).await.unwrap();
    assert!(new);
    first.settle(row.id, "creating", Duration::from_secs(5)).await;
    assert_eq!(store::payment(db, start.id).await.unwrap().unwrap().state, PaymentState::Pending);
    drop(first);
    // Paid while the server is down.
    shop.tap(start.id, true).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(store::payment(db, start.id).await.unwrap().unwrap().state, PaymentState::Pending);

    let second = engine(db);
    assert_eq!(second.resume().await.unwrap(), 1);
    second.settle(start.id, "pending", Duration::from_secs(5)).await;
    let row = store::payment(db, start.id).await.unwrap().unwrap();
    assert_eq!(row.state, PaymentState::Completed);
    assert!(row.provider_payment_id.is_some());
    assert_eq!(shop.code(start.id).status, PayStatus::Completed, "one code, paid once");
    assert_eq!(second.resume().await.unwrap(), 0, "nothing left to take up");

    // A process that died during the create call: the code exists, the answer was never read.
    let lost = PaymentStart { id: Uuid::now_v7(), ..start.clone() };
    let paypay = PayPay::new(
        reqwest::Client::new(),
        PayPayAccount {
            base_url: shop.stand_in.url(),
            api_key: DEMO_API_KEY.into(),
            api_secret: DEMO_API_SECRET.into(),
            merchant_id: None,
        },
        FAST,
    );
    let request = CodeRequest {
        merchant_payment_id: lost.id.to_string(),
        amount: 700,
        description: "商い堂".into(),
        store_id: shop.store.clone(),
        terminal_id: shop.device.id.clone(),
    };
    assert!(matches!(paypay.create_code(&request).await, Outcome::Done(_)));
    let row = PaymentRow::new(&shop.store, &shop.device.id, &lost);
    store::insert_payment(db, &row, "paypay").await.unwrap();
    let called = Step { attempts: Some(1), ..Step::default() };
    store::write_step(db, lost.id, &called).await.unwrap();
    assert_eq!(second.resume().await.unwrap(), 1);
    second.settle(lost.id, "creating", Duration::from_secs(5)).await;
    second.settle(lost.id, "cancelling", Duration::from_secs(5)).await;
    let row = store::payment(db, lost.id).await.unwrap().unwrap();
    assert_eq!(row.state, PaymentState::Cancelled, "status said created, so it was cancelled");

    // Another key cannot open the secret: payments are refused until it is entered again.
    let locked = Engine::new(db.clone(), Sealer::new(&[8; 32]), reqwest::Client::new(), FAST);
    let again = PaymentStart { id: Uuid::now_v7(), ..start.clone() };
    let refused = locked.start(&device, &again).await.unwrap_err();
    assert_eq!(refused.status_and_code().0, StatusCode::SERVICE_UNAVAILABLE);
    assert!(!locked.provider_info(&shop.store).await.unwrap().configured);
}

#[tokio::test]
async fn a_wrong_secret_is_refused_by_the_provider_and_no_account_by_the_server() {
    let shop = shop(Backend::Sqlite, StandInConfig::default()).await;
    set_paypay(&shop.server, &shop.owner, &shop.store, "not-the-secret", &shop.stand_in.url())
        .await;
    let id = Uuid::now_v7();
    let (status, payment) = shop.start(&start_body(id, Uuid::now_v7(), 500)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(payment["state"], "failed", "{payment}");
    assert_eq!(payment["detail"], "UNAUTHORIZED", "the stand-in answered 401");

    // A backup carries no sealed secret.
    let out = shop.server.sqlite_file().with_file_name("backup.db");
    let live = Target::Sqlite(shop.server.sqlite_file());
    akinai_server::tools::backup::backup(&live, &out).await.unwrap();
    let copy = akinai_server::db::database::open(&Target::Sqlite(out)).await.unwrap();
    let sealed: Vec<String> = sqlx::query_scalar("SELECT secret_sealed FROM store_provider")
        .fetch_all(&copy.pool)
        .await
        .unwrap();
    assert_eq!(sealed, vec![String::new()]);

    let path = format!("/api/v1/stores/{}/providers/paypay", shop.store);
    let (status, info) =
        support::answer(shop.server.request(Method::DELETE, &path, &shop.owner.token)).await;
    assert_eq!((status, info["configured"].as_bool()), (StatusCode::OK, Some(false)));
    let (status, refused) = shop.start(&start_body(Uuid::now_v7(), Uuid::now_v7(), 500)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(refused["code"], "provider_not_configured");
    // A server started without a stand-in takes none: it would call any address it is given.
    let setup = ProviderSetup {
        api_key: DEMO_API_KEY.into(),
        api_secret: DEMO_API_SECRET.into(),
        merchant_id: None,
        environment: ProviderEnv::StandIn,
        base_url: Some("http://10.0.0.1:8080".into()),
    };
    let strict = engine(&shop.server.state.db).stand_ins(false);
    let refused = strict.set_provider(&shop.store, Some(&setup)).await.unwrap_err();
    assert_eq!(refused.status_and_code().0, StatusCode::UNPROCESSABLE_ENTITY);
    // Another owner's store is not found.
    let other = support::sign_up(&shop.server, "other@example.jp").await;
    let (status, _) = shop.server.get_json(&path, &other.token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A sale of ¥500 paid with the QR payment `payment`, as the register's entry number `seq`.
fn qr_sale(device: Uuid, seq: u64, prev: &str, payment: Uuid) -> OutboxEntry {
    let id = Uuid::now_v7();
    let ctx = SaleContext {
        id,
        device_id: device,
        at: Utc::now(),
        staff: "山田".into(),
        shift_id: Uuid::from_u128(7),
        shop: serde_json::from_value(support::shop_settings("商い堂")).unwrap(),
        receipt: Default::default(),
    };
    let mut cart = Cart::new(Utc::now().date_naive());
    cart.lines.push(CartLine {
        item_id: None,
        category: String::new(),
        name: "お茶".into(),
        unit_price: Yen::new(500),
        qty: 1,
        tax_class: TaxClass::Standard,
        discount: Discount::NONE,
        names: Default::default(),
        kana: String::new(),
    });
    let tender = Tender {
        id: Some(payment),
        brand: Some("paypay".into()),
        ..Tender::new(PaymentMethod::Qr, Yen::new(500))
    };
    let mut sale = Sale::ring_up(ctx, cart, vec![tender]).unwrap();
    sale.seq = seq;
    sale.receipt_no = seq;
    OutboxEntry::new(id, device, seq, prev, Record::Sale(Box::new(sale)))
}

#[tokio::test]
async fn sync_takes_a_qr_tender_only_with_its_completed_unused_payment() {
    for backend in backends() {
        let shop = shop(backend, StandInConfig::default()).await;
        let device: Uuid = shop.device.id.parse().unwrap();
        let sync = |entries: Vec<OutboxEntry>| {
            let batch = SyncBatch { waiting: entries.len() as u64, entries };
            let request = shop.server.request(Method::POST, "/api/v1/sync", &shop.device.token);
            async move {
                let response = request.json(&batch).send().await.unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                response.json::<SyncReply>().await.unwrap()
            }
        };
        // No such payment.
        let unpaid = qr_sale(device, 1, GENESIS, Uuid::now_v7());
        let reply = sync(vec![unpaid.clone()]).await;
        let text = serde_json::to_string(&reply.rejected).unwrap();
        assert!(text.contains("payment_unconfirmed") && text.contains("tenders[0].id"), "{text}");

        let payment = shop.paid(500).await;
        let used = qr_sale(device, 2, &unpaid.hash, payment);
        let again = qr_sale(device, 3, &used.hash, payment);
        let reply = sync(vec![used.clone(), again.clone()]).await;
        assert_eq!(reply.acked, vec![used.id], "{reply:?}");
        let text = serde_json::to_string(&reply.rejected).unwrap();
        assert!(text.contains("payment_used") && text.contains("tenders[0].id"), "{text}");
        let row = store::payment(&shop.server.state.db, payment).await.unwrap().unwrap();
        assert_eq!(row.sale_id, Some(used.id.to_string()));
        let listed = format!("/api/v1/stores/{}/payments?unbound=true", shop.store);
        let (_, unbound) = shop.server.get_json(&listed, &shop.owner.token).await;
        assert_eq!(unbound, json!([]));
        // A later batch cannot use it either, and the register can no longer give it up.
        let later = qr_sale(device, 4, &again.hash, payment);
        let text = serde_json::to_string(&sync(vec![later]).await.rejected).unwrap();
        assert!(text.contains("payment_used"), "{text}");
        let path = format!("/api/v1/payments/{payment}");
        let (status, refused) =
            support::answer(shop.server.request(Method::DELETE, &path, &shop.device.token)).await;
        assert_eq!(
            (status, refused["code"].as_str()),
            (StatusCode::CONFLICT, Some("payment_used"))
        );
    }
}
