//! The demo shop that `cargo xtask run` starts with: an owner account, one store with the
//! bundled catalog, and the public read-only profile and catalog that a standalone tablet's
//! first run prefills itself from.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use uuid::Uuid;

use akinai_core::api::ErrorBody;
use akinai_core::catalog::Item;
use akinai_core::shop::ShopSettings;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::now_text;
use crate::db::store_data::{create_store, put_item};
use crate::error::{Error, Result};
use crate::owner::accounts::hash_password;

/// The demo owner's e-mail address.
pub const DEMO_EMAIL: &str = "demo@akinai.jp";
/// The demo owner's password (the demo is for trying Akinai out, never for a real shop).
pub const DEMO_PASSWORD: &str = "akinai-demo";

/// The demo shop with its catalog, as bundled in `server/demo/shop.json`.
#[derive(Debug, Deserialize)]
struct Demo {
    #[serde(flatten)]
    shop: ShopSettings,
    items: Vec<Item>,
}

/// Loads the demo owner and store unless they are there already; true when it loaded them.
pub async fn load_demo(state: &AppState) -> Result<bool> {
    let Demo { shop, items } = serde_json::from_str(include_str!("../../demo/shop.json"))?;
    let mut tx = state.db.pool.begin().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM owner WHERE email = $1")
        .bind(DEMO_EMAIL)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Ok(false);
    }
    let owner_id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO owner (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&owner_id)
    .bind(DEMO_EMAIL)
    .bind("デモ オーナー")
    .bind(hash_password(DEMO_PASSWORD)?)
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    let store_id = create_store(&mut tx, &owner_id, &shop).await?;
    for item in &items {
        put_item(&mut tx, &store_id, item).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// The demo store's id, if the demo is loaded.
async fn demo_store(state: &AppState) -> Result<String> {
    sqlx::query_scalar(
        "SELECT store.id FROM store JOIN owner ON owner.id = store.owner_id
         WHERE owner.email = $1 ORDER BY store.created_at LIMIT 1",
    )
    .bind(DEMO_EMAIL)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::NotFound)
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

/// The demo store's public profile and catalog.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(profile)).routes(routes!(catalog))
}
