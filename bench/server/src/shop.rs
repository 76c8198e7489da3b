//! A store to measure on: a fresh database (SQLite file or PostgreSQL database) with the demo
//! owner and store, one paired device and an owner session, served in-process on a port.

use std::path::PathBuf;

use akinai_core::catalog::Item;
use akinai_core::shop::ShopSettings;
use akinai_core::sync::OutboxEntry;
use akinai_server::db::database::{self, Db, Target, now_text};
use akinai_server::http::auth::{new_token, token_hash};
use akinai_server::tools::demo::{DEMO_EMAIL, load_demo, ring_up};
use akinai_server::{AppState, router};
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use sqlx::AssertSqlSafe;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// Where the bench's databases live.
pub enum Engine {
    /// SQLite files in this folder.
    Sqlite(PathBuf),
    /// Databases made on the PostgreSQL server of this admin URL.
    Postgres(String),
}

impl Engine {
    /// The engine's name for the table.
    pub fn name(&self) -> &'static str {
        match self {
            Engine::Sqlite(_) => "SQLite",
            Engine::Postgres(_) => "PostgreSQL",
        }
    }

    /// A new, empty database called `name`.
    async fn fresh(&self, name: &str) -> Result<Target> {
        match self {
            Engine::Sqlite(dir) => Ok(Target::Sqlite(dir.join(format!("{name}.db")))),
            Engine::Postgres(admin) => {
                sqlx::any::install_default_drivers();
                let pool =
                    sqlx::AnyPool::connect(admin).await.context("connecting to PostgreSQL")?;
                sqlx::query(AssertSqlSafe(format!("DROP DATABASE IF EXISTS bench_{name}")))
                    .execute(&pool)
                    .await?;
                sqlx::query(AssertSqlSafe(format!("CREATE DATABASE bench_{name}")))
                    .execute(&pool)
                    .await?;
                pool.close().await;
                let mut url = url::Url::parse(admin).context("the PostgreSQL URL")?;
                url.set_path(&format!("bench_{name}"));
                Ok(Target::Postgres(url.to_string()))
            }
        }
    }
}

/// The demo store on a fresh database, served on a port.
pub struct Shop {
    /// The database.
    pub db: Db,
    /// The server's address.
    pub base: String,
    /// The store's id.
    pub store_id: String,
    /// The paired device's id (every bench database pairs the same one).
    pub device_id: Uuid,
    /// The device's bearer token.
    pub device_token: String,
    /// The demo owner's bearer token.
    pub owner_token: String,
    /// The store's settings, as its receipts print them.
    pub settings: ShopSettings,
    /// The catalog's items with a price (open-price ones are left out).
    pub items: Vec<Item>,
    server: JoinHandle<()>,
}

/// The device every bench database pairs: the same id, so the same entries fit any of them.
const DEVICE: Uuid = Uuid::from_u128(0x0193_a000_0000_7000_8000_00be_0c00_0001);

impl Shop {
    /// Makes the database `name`, sets the shop up and serves it on `port`.
    pub async fn open(engine: &Engine, name: &str, port: u16) -> Result<Shop> {
        let db = database::open(&engine.fresh(name).await?).await?;
        let state = AppState::new(db.clone());
        load_demo(&state, None).await?;
        let (owner_id, store_id, settings): (String, String, String) = sqlx::query_as(
            "SELECT owner.id, store.id, store.settings FROM owner JOIN store ON store.owner_id = owner.id
             WHERE owner.email = $1",
        )
        .bind(DEMO_EMAIL)
        .fetch_one(&db.pool)
        .await?;
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM item WHERE store_id = $1 ORDER BY position")
                .bind(&store_id)
                .fetch_all(&db.pool)
                .await?;
        let items: Vec<Item> =
            bodies.iter().map(|b| serde_json::from_str(b)).collect::<Result<_, _>>()?;
        let (device_token, owner_token) = (new_token(), new_token());
        sqlx::query(
            "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(DEVICE.to_string())
        .bind(&store_id)
        .bind("bench")
        .bind(token_hash(&device_token))
        .bind(now_text())
        .execute(&db.pool)
        .await?;
        let expires = database::time_text(Utc::now() + Duration::days(1));
        sqlx::query(
            "INSERT INTO session (token_hash, owner_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&owner_token))
        .bind(&owner_id)
        .bind(now_text())
        .bind(expires)
        .execute(&db.pool)
        .await?;

        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("listening on port {port}"))?;
        let app = router(state, &std::env::temp_dir().join("akinai-bench-no-app"));
        let server = tokio::spawn(async move {
            // The bench stops the server by aborting this task; an error ends the bench's requests.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Shop {
            db,
            base: format!("http://127.0.0.1:{port}"),
            store_id,
            device_id: DEVICE,
            device_token,
            owner_token,
            settings: serde_json::from_str(&settings)?,
            items: items.into_iter().filter(|i| !i.open_price).collect(),
            server,
        })
    }

    /// `count` sales of 1-4 lines as the device's register makes them, a second apart up to
    /// now, numbered and chained into its outbox entries.
    pub fn queued_sales(&self, count: usize) -> Result<Vec<OutboxEntry>> {
        Ok(ring_up(self.device_id, &self.settings, &self.items, &seconds_apart(count))?)
    }

    /// Stops serving and closes the database.
    pub async fn close(self) {
        self.server.abort();
        self.db.pool.close().await;
    }
}

/// `count` times a second apart, the last one now.
pub fn seconds_apart(count: usize) -> Vec<DateTime<Utc>> {
    let now = Utc::now();
    (0..count).map(|n| now - Duration::seconds((count - n) as i64)).collect()
}
