//! An owner's stores and what flows from them to their registers: shop settings, staff and the
//! catalog, each row carrying the store version at which it last changed, so a device asks
//! "what changed since N" ([`changes`]). Removals are kept as tombstones for the same reason.
//!
//! The owner's routes for the stores themselves are here (`/api/v1/stores[/{store}]`), and a
//! device's pull (`/api/v1/changes`); staff and items have their own modules.

use akinai_core::catalog::Item;
use akinai_core::shop::{ShopSettings, Staff};
use akinai_core::sync::Changes;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use serde::Serialize;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use crate::AppState;
use crate::db::database::now_text;
use crate::http::auth::{DeviceAuth, OwnerSession, owned_store};
use crate::http::error::{ErrorBody, Result};
use crate::http::input::{Input, invalid};

/// Moves the store's version on by one and returns the new version; every change takes one.
pub async fn bump_version(tx: &mut Transaction<'_, Any>, store_id: &str) -> Result<i64> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE store SET version = version + 1 WHERE id = $1 RETURNING version",
    )
    .bind(store_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(version)
}

/// Creates a store for `owner_id` and returns its id.
pub async fn create_store(
    tx: &mut Transaction<'_, Any>,
    owner_id: &str,
    settings: &ShopSettings,
) -> Result<String> {
    let id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO store (id, owner_id, settings, settings_version, version, created_at)
         VALUES ($1, $2, $3, 1, 1, $4)",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(serde_json::to_string(settings)?)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Replaces the store's settings.
pub async fn put_settings(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    settings: &ShopSettings,
) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query("UPDATE store SET settings = $1, settings_version = $2 WHERE id = $3")
        .bind(serde_json::to_string(settings)?)
        .bind(version)
        .bind(store_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Adds or replaces an item (a removed item with the same id comes back).
pub async fn put_item(tx: &mut Transaction<'_, Any>, store_id: &str, item: &Item) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "INSERT INTO item (store_id, id, position, body, version, removed)
         VALUES ($1, $2, $3, $4, $3, 0)
         ON CONFLICT (store_id, id) DO UPDATE SET body = excluded.body,
             version = excluded.version, removed = 0",
    )
    .bind(store_id)
    .bind(item.id.to_string())
    .bind(version)
    .bind(serde_json::to_string(item)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds or replaces a staff member.
pub async fn put_staff(tx: &mut Transaction<'_, Any>, store_id: &str, staff: &Staff) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "INSERT INTO staff (store_id, id, body, version, removed) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (store_id, id) DO UPDATE SET body = excluded.body,
             version = excluded.version, removed = 0",
    )
    .bind(store_id)
    .bind(staff.id.to_string())
    .bind(serde_json::to_string(staff)?)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Which table a removal is in.
#[derive(Clone, Copy, Debug)]
pub enum Removable {
    /// A catalog item.
    Item,
    /// A staff member.
    Staff,
}

/// Marks an item or staff member removed; true if there was one.
pub async fn remove(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    what: Removable,
    id: &str,
) -> Result<bool> {
    let version = bump_version(tx, store_id).await?;
    let sql = match what {
        Removable::Item => {
            "UPDATE item SET removed = 1, version = $1 WHERE store_id = $2 AND id = $3"
        }
        Removable::Staff => {
            "UPDATE staff SET removed = 1, version = $1 WHERE store_id = $2 AND id = $3"
        }
    };
    let done = sqlx::query(sql).bind(version).bind(store_id).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// Everything that changed in the store after version `since` (0: everything).
pub async fn changes(tx: &mut Transaction<'_, Any>, store_id: &str, since: i64) -> Result<Changes> {
    let (settings, settings_version, version): (String, i64, i64) =
        sqlx::query_as("SELECT settings, settings_version, version FROM store WHERE id = $1")
            .bind(store_id)
            .fetch_one(&mut **tx)
            .await?;
    let mut changes = Changes {
        version: u64::try_from(version).unwrap_or_default(),
        shop: (settings_version > since).then(|| serde_json::from_str(&settings)).transpose()?,
        ..Changes::default()
    };
    let items: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, body, removed FROM item WHERE store_id = $1 AND version > $2 ORDER BY position",
    )
    .bind(store_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    for (id, body, removed) in items {
        match removed {
            0 => changes.items.push(serde_json::from_str(&body)?),
            _ => changes.removed_items.extend(id.parse::<Uuid>().ok()),
        }
    }
    let staff: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, body, removed FROM staff WHERE store_id = $1 AND version > $2 ORDER BY version",
    )
    .bind(store_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    for (id, body, removed) in staff {
        match removed {
            0 => changes.staff.push(serde_json::from_str(&body)?),
            _ => changes.removed_staff.extend(id.parse::<Uuid>().ok()),
        }
    }
    Ok(changes)
}

/// A store as the owner sees it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StoreView {
    /// The store's id.
    pub id: String,
    /// Its settings.
    #[schema(value_type = crate::http::openapi::core::ShopSettings)]
    pub settings: ShopSettings,
    /// Its version: every change moves it on.
    pub version: u64,
}

/// Reads a stored store row.
fn store_view((id, settings, version): (String, String, i64)) -> Result<StoreView> {
    Ok(StoreView {
        id,
        settings: serde_json::from_str(&settings)?,
        version: u64::try_from(version).unwrap_or_default(),
    })
}

/// The store, which must be the owner's.
async fn load_store(state: &AppState, owner: &OwnerSession, store_id: &str) -> Result<StoreView> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT id, settings, version FROM store WHERE id = $1 AND owner_id = $2")
            .bind(store_id)
            .bind(&owner.owner_id)
            .fetch_optional(&state.db.pool)
            .await?;
    store_view(row.ok_or(crate::Error::NotFound)?)
}

/// `GET /api/v1/stores`: the owner's stores, oldest first.
#[utoipa::path(get, path = "/api/v1/stores", operation_id = "list_stores", tag = "stores", security(("owner" = [])),
    responses((status = 200, body = [StoreView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    owner: OwnerSession,
) -> Result<Json<Vec<StoreView>>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, settings, version FROM store WHERE owner_id = $1 ORDER BY created_at, id",
    )
    .bind(&owner.owner_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(rows.into_iter().map(store_view).collect::<Result<_>>()?))
}

/// `POST /api/v1/stores`: a new store with these settings.
#[utoipa::path(post, path = "/api/v1/stores", operation_id = "create_store", tag = "stores", security(("owner" = [])),
    request_body = crate::http::openapi::core::ShopSettings,
    responses((status = 201, body = StoreView), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "A setting is invalid (`field` says which)")))]
pub async fn create(
    State(state): State<AppState>,
    owner: OwnerSession,
    Input(settings): Input<ShopSettings>,
) -> Result<(StatusCode, Json<StoreView>)> {
    let mut tx = state.db.pool.begin().await?;
    let id = create_store(&mut tx, &owner.owner_id, &settings).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_store(&state, &owner, &id).await?)))
}

/// `GET /api/v1/stores/{store}`.
#[utoipa::path(get, path = "/api/v1/stores/{store}", operation_id = "get_store", tag = "stores", security(("owner" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = StoreView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<StoreView>> {
    Ok(Json(load_store(&state, &owner, &store).await?))
}

/// `PUT /api/v1/stores/{store}`: replaces the store's settings.
#[utoipa::path(put, path = "/api/v1/stores/{store}", operation_id = "put_store", tag = "stores", security(("owner" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body = crate::http::openapi::core::ShopSettings,
    responses((status = 200, body = StoreView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    Input(settings): Input<ShopSettings>,
) -> Result<Json<StoreView>> {
    owned_store(&state, &owner, &store).await?;
    let mut tx = state.db.pool.begin().await?;
    put_settings(&mut tx, &store, &settings).await?;
    tx.commit().await?;
    Ok(Json(load_store(&state, &owner, &store).await?))
}

/// The version a device asks for changes since (`?since=N`, 0 when absent).
fn since(query: Option<&str>) -> Result<i64> {
    let value = query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
        .unwrap_or("0");
    value
        .parse::<i64>()
        .ok()
        .filter(|since| *since >= 0)
        .ok_or_else(|| invalid("since", "a store version (a whole number, 0 or more)"))
}

/// `GET /api/v1/changes?since=N`: what changed in the device's store after version N.
#[utoipa::path(get, path = "/api/v1/changes", operation_id = "pull_changes", tag = "sync", security(("device" = [])),
    params(("since" = Option<u64>, Query, description = "The version the device has (0 or absent: everything)")),
    responses((status = 200, body = crate::http::openapi::core::Changes),
        (status = 401, body = ErrorBody, description = "No valid device token, or the device was revoked")))]
pub async fn pull(
    State(state): State<AppState>,
    device: DeviceAuth,
    RawQuery(query): RawQuery,
) -> Result<Json<Changes>> {
    let since = since(query.as_deref())?;
    let mut tx = state.db.pool.begin().await?;
    let changes = changes(&mut tx, &device.store_id, since).await?;
    tx.commit().await?;
    Ok(Json(changes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_read_from_the_query() {
        assert_eq!(since(None).unwrap(), 0);
        assert_eq!(since(Some("since=12")).unwrap(), 12);
        assert_eq!(since(Some("x=1&since=3")).unwrap(), 3);
        assert!(since(Some("since=-1")).is_err());
        assert!(since(Some("since=abc")).is_err());
    }
}
