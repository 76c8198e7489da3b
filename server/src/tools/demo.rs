//! The demo shop that `cargo xtask run` starts with: an owner account with a password of its
//! own, one store with the bundled catalog and about 60 days of sample sales from a demo
//! register, and the public read-only profile and catalog that a standalone tablet's first run
//! prefills itself from.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use rand::Rng;
use rand::seq::IndexedRandom;
use serde::Deserialize;
use sqlx::AnyConnection;
use uuid::Uuid;

use akinai_core::api::{DemoPairingCode, ErrorBody, ProviderEnv, ProviderSetup};
use akinai_core::cart::{Cart, CartLine};
use akinai_core::catalog::Item;
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{Sale, SaleContext};
use akinai_core::shop::ShopSettings;
use akinai_core::staff::{Pin, Role, Staff};
use akinai_core::sync::{GENESIS, OutboxEntry, Record, SyncBatch};
use akinai_core::{TOKYO, Yen};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::{now_text, parse_id};
use crate::db::store_data::{create_store, put_item, put_staff};
use crate::device::sync;
use crate::error::{Error, Result};
use crate::http::auth::{DeviceAuth, new_token, token_hash};
use crate::http::input::Input;
use crate::owner::accounts::hash_password;
use crate::owner::pairing::keep_code;
use crate::owner::staff::new_salt;
use crate::tools::standin;

/// The demo owner's e-mail address.
pub const DEMO_EMAIL: &str = "demo@akinai.jp";
/// Days of sample sales the demo store starts with, today included.
const SAMPLE_DAYS: u64 = 60;
/// Sample sales per batch: small, so that a real register's sync waits little behind one while
/// they land in the background.
const SAMPLE_BATCH: usize = 50;
/// The demo register's name, as the owner's device list shows it.
const DEMO_REGISTER: &str = "デモのレジ";
/// Who rings up the sample sales.
const DEMO_STAFF: &str = "店長";
/// The demo store's owner-role staff member, who signs in on the demo tablet.
const DEMO_STAFF_ID: Uuid = Uuid::from_u128(0x0193_a000_0000_7000_8000_0000_0000_0100);
/// Set once this process has loaded the demo at its start: only then does it hand out codes
/// for pairing with the demo store (a database that once had the demo does not).
static DEMO_SERVED: AtomicBool = AtomicBool::new(false);
/// Letters a generated password is made of: no 0/o, 1/l/i to misread.
const PASSWORD_LETTERS: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// The demo shop with its catalog, as bundled in `server/demo/shop.json`.
#[derive(Debug, Deserialize)]
struct Demo {
    #[serde(flatten)]
    shop: ShopSettings,
    items: Vec<Item>,
}

/// What starting with the demo did.
#[derive(Debug)]
pub struct DemoStart {
    /// True when the demo shop was loaded now (the database had none).
    pub loaded: bool,
    /// The demo owner's password from now on. Only its hash is stored, so this is the one
    /// moment it can be shown.
    pub password: String,
    /// The PIN of the demo store's 店長 from now on, for the tablet paired with the demo store;
    /// stored only as its hash too.
    pub pin: String,
}

/// Loads the demo owner and store unless they are there already, and gives the demo owner
/// `password`, or a new random one, and the store's 店長 a new PIN: neither can be read back
/// from its hash, so each start sets them and shows them. The sample sales come separately
/// ([`add_sample_sales`]), so a server can answer while they land.
pub async fn load_demo(state: &AppState, password: Option<&str>) -> Result<DemoStart> {
    let password = password.map_or_else(new_password, str::to_owned);
    let hash = hash_password(&password)?;
    let pin = format!("{:06}", rand::rng().random_range(0..1_000_000));
    let pin_value = Pin::parse(&pin)?;
    // A PIN's hash is slow on purpose: off the async threads.
    let staff = tokio::task::spawn_blocking(move || {
        Staff::new(DEMO_STAFF_ID, DEMO_STAFF, Role::Owner, &pin_value, &new_salt())
    })
    .await
    .map_err(|err| Error::Internal(err.to_string()))??;
    let Demo { shop, items } = serde_json::from_str(include_str!("../../demo/shop.json"))?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    let changed = sqlx::query("UPDATE owner SET password_hash = $1 WHERE email = $2")
        .bind(&hash)
        .bind(DEMO_EMAIL)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed > 0 {
        let store_id = demo_store_in(&mut tx).await?;
        put_staff(&mut tx, &store_id, &staff).await?;
        tx.commit().await?;
        DEMO_SERVED.store(true, Ordering::Relaxed);
        return Ok(DemoStart { loaded: false, password, pin });
    }
    let owner_id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO owner (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&owner_id)
    .bind(DEMO_EMAIL)
    .bind("デモ オーナー")
    .bind(&hash)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    let store_id = create_store(&mut tx, &owner_id, &shop).await?;
    for item in &items {
        put_item(&mut tx, &store_id, item).await?;
    }
    put_staff(&mut tx, &store_id, &staff).await?;
    // The register the sample sales come from; its token is never shown, so nothing signs in
    // as it.
    sqlx::query(
        "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(&store_id)
    .bind(DEMO_REGISTER)
    .bind(token_hash(&new_token()))
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    DEMO_SERVED.store(true, Ordering::Relaxed);
    Ok(DemoStart { loaded: true, password, pin })
}

/// A password of 16 letters and digits in four groups (about 79 bits), easy to type.
fn new_password() -> String {
    let mut rng = rand::rng();
    let letters: Vec<String> = (0..4)
        .map(|_| {
            (0..4)
                .map(|_| char::from(PASSWORD_LETTERS[rng.random_range(0..PASSWORD_LETTERS.len())]))
                .collect()
        })
        .collect();
    letters.join("-")
}

/// Rings up about 60 days of sales on the demo register, up to now, and lands them the way its
/// sync would; does nothing once the register has sent anything. The number of sales landed.
pub async fn add_sample_sales(state: &AppState) -> Result<usize> {
    let demo_register: Option<(String, String, String)> = sqlx::query_as(
        "SELECT device.id, store.id, store.settings FROM device
         JOIN store ON store.id = device.store_id JOIN owner ON owner.id = store.owner_id
         WHERE owner.email = $1 AND device.name = $2
           AND NOT EXISTS (SELECT 1 FROM record WHERE record.device_id = device.id)",
    )
    .bind(DEMO_EMAIL)
    .bind(DEMO_REGISTER)
    .fetch_optional(&state.db.pool)
    .await?;
    let Some((device_id, store_id, settings)) = demo_register else { return Ok(0) };
    let shop: ShopSettings = serde_json::from_str(&settings)?;
    let Demo { items, .. } = serde_json::from_str(include_str!("../../demo/shop.json"))?;
    let items: Vec<Item> = items.into_iter().filter(|item| !item.open_price).collect();
    let times = sample_times(Utc::now());
    let device = DeviceAuth { device_id: device_id.clone(), store_id };
    let entries = ring_up(parse_id(&device_id)?, &shop, &items, &times)?;
    let mut waiting = entries.len();
    for batch in entries.chunks(SAMPLE_BATCH) {
        let batch = SyncBatch { entries: batch.to_vec(), waiting: waiting as u64 };
        let reply = sync::handle(State(state.clone()), device.clone(), Input(batch.into())).await?;
        if let Some(refused) = reply.rejected.first() {
            return Err(Error::Internal(format!("a sample sale was refused: {refused:?}")));
        }
        waiting = waiting.saturating_sub(SAMPLE_BATCH);
    }
    Ok(entries.len())
}

/// Customers per hour of a weekday, 7:00 to 20:00 Tokyo (about 25 a day): a morning rush,
/// lunch, the way home.
const HOURLY: [(u32, Range<usize>); 13] = [
    (7, 0..2),
    (8, 1..4),
    (9, 0..3),
    (10, 0..3),
    (11, 1..4),
    (12, 3..7),
    (13, 1..4),
    (14, 0..3),
    (15, 0..3),
    (16, 1..3),
    (17, 1..4),
    (18, 2..5),
    (19, 1..3),
];

/// When the sample sales were paid, oldest first: the last [`SAMPLE_DAYS`] days up to `now`.
fn sample_times(now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let today = akinai_core::tokyo_date(now);
    let mut rng = rand::rng();
    let mut times = Vec::new();
    for back in (0..SAMPLE_DAYS).rev() {
        let day = today.checked_sub_days(Days::new(back)).unwrap_or(today);
        times.extend(customers(day, &mut rng).into_iter().filter(|at| *at <= now));
    }
    times
}

/// When a day's customers pay, in order: busier at weekends.
fn customers(day: NaiveDate, rng: &mut impl Rng) -> Vec<DateTime<Utc>> {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let mut times = Vec::new();
    for (hour, range) in HOURLY {
        let count = rng.random_range(range) + usize::from(weekend);
        let mut seconds: Vec<u32> = (0..count).map(|_| rng.random_range(0..3600)).collect();
        seconds.sort_unstable();
        for second in seconds {
            let local = day.and_hms_opt(hour, second / 60, second % 60);
            if let Some(at) = local.and_then(|t| TOKYO.from_local_datetime(&t).single()) {
                times.push(at.with_timezone(&Utc));
            }
        }
    }
    times
}

/// A register's sales as it makes them, one at each of `times` (oldest first): one to four of
/// `items` (which need a price), paid in cash, numbered from 1 and chained from the genesis
/// hash, a shift per business day.
pub fn ring_up(
    device_id: Uuid,
    shop: &ShopSettings,
    items: &[Item],
    times: &[DateTime<Utc>],
) -> Result<Vec<OutboxEntry>> {
    let mut rng = rand::rng();
    let mut prev = GENESIS.to_owned();
    let mut shift = (NaiveDate::MIN, Uuid::now_v7());
    let mut entries = Vec::with_capacity(times.len());
    for (n, at) in times.iter().enumerate() {
        let date = akinai_core::tokyo_date(*at);
        if shift.0 != date {
            shift = (date, Uuid::now_v7());
        }
        let mut cart = Cart::new(date);
        let mut most = 0;
        for _ in 0..rng.random_range(1..=4) {
            let Some(item) = items.choose(&mut rng) else { break };
            let qty = rng.random_range(1..=3);
            most += item.price.get() * i64::from(qty);
            cart.add(CartLine { qty, ..CartLine::of_item(item, item.price) });
        }
        let context = SaleContext {
            id: Uuid::now_v7(),
            device_id,
            at: *at,
            staff: DEMO_STAFF.to_owned(),
            shift_id: shift.1,
            shop: shop.clone(),
            receipt: Default::default(),
        };
        // Paid with the next thousand yen above the prices with tax at its highest rate, as
        // customers hand over notes; the change is computed.
        let paid = (most * 11 / 10 / 1000 + 1) * 1000;
        let tender = Tender::new(PaymentMethod::Cash, Yen::new(paid));
        let mut sale = Sale::ring_up(context, cart, vec![tender])?;
        let seq = n as u64 + 1;
        (sale.seq, sale.receipt_no) = (seq, seq);
        let entry = OutboxEntry::new(sale.id, device_id, seq, &prev, Record::Sale(Box::new(sale)));
        prev.clone_from(&entry.hash);
        entries.push(entry);
    }
    Ok(entries)
}

/// The demo store's id, if the demo is loaded.
async fn demo_store(state: &AppState) -> Result<String> {
    let mut conn = state.db.pool.acquire().await?;
    demo_store_in(&mut conn).await
}

/// The demo store's id, read on `conn` (or in a transaction).
async fn demo_store_in(conn: &mut AnyConnection) -> Result<String> {
    sqlx::query_scalar(
        "SELECT store.id FROM store JOIN owner ON owner.id = store.owner_id
         WHERE owner.email = $1 ORDER BY store.created_at LIMIT 1",
    )
    .bind(DEMO_EMAIL)
    .fetch_optional(conn)
    .await?
    .ok_or(Error::NotFound)
}

/// Points the demo store's PayPay account at the stand-in at `base_url`, with the stand-in's demo
/// key, secret and merchant (`akinai serve --demo --paypay-stand-in URL`).
pub async fn use_stand_in(state: &AppState, base_url: &str) -> Result<()> {
    let store = demo_store(state).await?;
    let setup = ProviderSetup {
        api_key: standin::DEMO_API_KEY.to_owned(),
        api_secret: standin::DEMO_API_SECRET.to_owned(),
        merchant_id: Some(standin::DEMO_MERCHANT_ID.to_owned()),
        environment: ProviderEnv::StandIn,
        base_url: Some(base_url.to_owned()),
    };
    state.payments.set_provider(&store, Some(&setup)).await?;
    Ok(())
}

/// `POST /api/v1/demo/pairing`: a one-time code that pairs a tablet with the demo store, so the
/// demo's tablet is the demo store's register and its sales show on `/owner`.
#[utoipa::path(post, path = "/api/v1/demo/pairing", operation_id = "demo_pairing", tag = "public",
    responses((status = 201, body = DemoPairingCode, description = "A code for `POST /api/v1/pair`, valid 10 minutes"),
        (status = 404, body = ErrorBody, description = "The server was started without --demo")))]
pub async fn pairing(State(state): State<AppState>) -> Result<(StatusCode, Json<DemoPairingCode>)> {
    if !DEMO_SERVED.load(Ordering::Relaxed) {
        return Err(Error::NotFound);
    }
    let store_id = demo_store(&state).await?;
    // Used at once by the app that asked, never typed: a token is as good a code as any.
    let code = new_token();
    let expires_at = keep_code(&state.db, &store_id, &code).await?;
    Ok((StatusCode::CREATED, Json(DemoPairingCode { code, expires_at })))
}

/// `GET /api/v1/shop`: the demo store's profile (what its receipts print anyway).
#[utoipa::path(get, path = "/api/v1/shop", operation_id = "demo_shop", tag = "public",
    responses((status = 200, body = ShopSettings, description = "The demo store's settings"),
        (status = 404, body = ErrorBody, description = "The server was started without --demo")))]
pub async fn profile(State(state): State<AppState>) -> Result<Json<ShopSettings>> {
    let store_id = demo_store(&state).await?;
    let settings: String = sqlx::query_scalar("SELECT settings FROM store WHERE id = $1")
        .bind(&store_id)
        .fetch_one(&state.db.pool)
        .await?;
    Ok(Json(serde_json::from_str(&settings)?))
}

/// `GET /api/v1/catalog`: the demo store's items, in the order they were added.
#[utoipa::path(get, path = "/api/v1/catalog", operation_id = "demo_catalog", tag = "public",
    responses((status = 200, body = [Item], description = "The demo store's items"),
        (status = 404, body = ErrorBody, description = "The server was started without --demo")))]
pub async fn catalog(State(state): State<AppState>) -> Result<Json<Vec<Item>>> {
    let store_id = demo_store(&state).await?;
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM item WHERE store_id = $1 AND removed = 0 ORDER BY position",
    )
    .bind(&store_id)
    .fetch_all(&state.db.pool)
    .await?;
    let items = bodies.iter().map(|b| serde_json::from_str(b)).collect::<Result<_, _>>()?;
    Ok(Json(items))
}

/// The demo store's public profile and catalog, and pairing with it.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(profile)).routes(routes!(catalog)).routes(routes!(pairing))
}
