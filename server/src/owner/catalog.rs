//! A store's catalog, as the owner manages it (`/api/v1/stores/{store}/items`): one item at a
//! time, or the whole catalog as the CSV file a shop keeps in Excel (the domain reads and
//! writes it; an import is all or nothing).
//!
//! An import holds the database's write lock only while it writes: the file is read and
//! compared with the catalog first, on the blocking pool, and then only the changed items are
//! written, many rows per statement. The domain caps the rows of one file
//! ([`akinai_core::catalog::MAX_IMPORT_ROWS`]).

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use sqlx::{Any, Transaction};
use uuid::Uuid;

use akinai_core::api::{ErrorBody, Imported};
use akinai_core::catalog::{Item, export_csv_with, import_csv};
use akinai_i18n::Lang;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::rows::Rows;
use crate::db::store_data::{Removable, put_item, remove};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::{Input, invalid};

/// The store's current (not removed) items in catalog order.
async fn current(tx: &mut Transaction<'_, Any>, store_id: &str) -> Result<Vec<Item>> {
    let bodies: Vec<String> = sqlx::query_scalar(
        "SELECT body FROM item WHERE store_id = $1 AND removed = 0 ORDER BY position",
    )
    .bind(store_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(bodies.iter().map(|body| serde_json::from_str(body)).collect::<Result<_, _>>()?)
}

/// The store's items, read in a transaction of their own.
async fn catalog(state: &AppState, store_id: &str) -> Result<Vec<Item>> {
    let mut tx = state.db.pool.begin().await?;
    let items = current(&mut tx, store_id).await?;
    tx.commit().await?;
    Ok(items)
}

/// `GET /api/v1/stores/{store}/items`: the catalog in order.
#[utoipa::path(get, path = "/api/v1/stores/{store}/items", operation_id = "list_items", tag = "items", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = [Item]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<Vec<Item>>> {
    owned_store(&state, &owner, &store).await?;
    Ok(Json(catalog(&state, &store).await?))
}

/// `PUT /api/v1/stores/{store}/items/{id}`: adds or replaces an item.
#[utoipa::path(put, path = "/api/v1/stores/{store}/items/{id}", operation_id = "put_item", tag = "items", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id"), ("id" = Uuid, Path, description = "The item's id (as in the body)")),
    request_body = Item,
    responses((status = 200, body = Item), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "An invalid field, or an `id` other than the path's")))]
pub async fn put(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path((store, id)): Path<(String, String)>,
    Input(item): Input<Item>,
) -> Result<Json<Item>> {
    owned_store(&state, &owner, &store).await?;
    if id.parse::<Uuid>().ok() != Some(item.id) {
        return Err(invalid("id", "the item's id must be the one in the path"));
    }
    item.check()?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    put_item(&mut tx, &store, &item).await?;
    tx.commit().await?;
    Ok(Json(item))
}

/// `DELETE /api/v1/stores/{store}/items/{id}`.
#[utoipa::path(delete, path = "/api/v1/stores/{store}/items/{id}", operation_id = "remove_item", tag = "items", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id"), ("id" = Uuid, Path, description = "The item's id")),
    responses((status = 204, description = "Removed"), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path((store, id)): Path<(String, String)>,
) -> Result<StatusCode> {
    owned_store(&state, &owner, &store).await?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    let present: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM item WHERE store_id = $1 AND id = $2 AND removed = 0",
    )
    .bind(&store)
    .bind(&id)
    .fetch_one(&mut *tx)
    .await?;
    if present == 0 {
        return Err(Error::NotFound);
    }
    remove(&mut tx, &store, Removable::Item, &id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/stores/{store}/items.csv`: adds and updates items from a CSV file; items not
/// in the file stay as they are.
#[utoipa::path(post, path = "/api/v1/stores/{store}/items.csv", operation_id = "import_items_csv", tag = "items", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body(content = String, content_type = "text/csv", description = "The app's CSV format, UTF-8 or Shift_JIS"),
    responses((status = 200, body = Imported), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "Nothing imported; `field` names the row and column, like `csv.rows[3].price`")))]
pub async fn import(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    body: Bytes,
) -> Result<Json<Imported>> {
    owned_store(&state, &owner, &store).await?;
    let existing = catalog(&state, &store).await?;
    let (import, changed) = tokio::task::spawn_blocking(move || {
        let import = import_csv(&body, &existing, Uuid::now_v7)?;
        let changed = changed_rows(&import.items, &existing)?;
        Ok::<_, Error>((import, changed))
    })
    .await
    .map_err(|err| Error::Internal(err.to_string()))??;
    let (_turn, mut tx) = state.db.begin_write().await?;
    put_items(&mut tx, &store, &changed).await?;
    tx.commit().await?;
    // Counts of rows of one file always fit.
    let count = |rows: usize| u64::try_from(rows).unwrap_or(u64::MAX);
    Ok(Json(Imported { added: count(import.added), updated: count(import.updated) }))
}

/// The imported items that differ from the existing one with their id (or are new), as id and
/// JSON body. Unchanged rows are not written, so devices are not sent them again.
fn changed_rows(imported: &[Item], existing: &[Item]) -> Result<Vec<(String, String)>> {
    let by_id: HashMap<Uuid, &Item> = existing.iter().map(|item| (item.id, item)).collect();
    imported
        .iter()
        .filter(|item| by_id.get(&item.id) != Some(item))
        .map(|item| Ok((item.id.to_string(), serde_json::to_string(item)?)))
        .collect()
}

/// Adds or replaces `items` (id and body) as [`put_item`] does one by one: each gets its own
/// store version, in order, so new items keep the file's order; but the versions are taken in
/// one update and the rows written many to a statement ([`Rows`]).
async fn put_items(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    items: &[(String, String)],
) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(items.len()).map_err(|err| Error::Internal(err.to_string()))?;
    let last: i64 = sqlx::query_scalar(
        "UPDATE store SET version = version + $2 WHERE id = $1 RETURNING version",
    )
    .bind(store_id)
    .bind(count)
    .fetch_one(&mut **tx)
    .await?;
    let mut rows = Rows::adding(
        "INSERT INTO item (store_id, id, position, body, version, removed)",
        6,
        " ON CONFLICT (store_id, id) DO UPDATE SET body = excluded.body, \
         version = excluded.version, removed = 0",
    );
    for ((id, body), version) in items.iter().zip(last - count + 1..) {
        rows.push([
            store_id.into(),
            id.as_str().into(),
            version.into(),
            body.as_str().into(),
            version.into(),
            0.into(),
        ]);
    }
    rows.insert(tx).await
}

/// `GET /api/v1/stores/{store}/items.csv`: the catalog as the app's CSV file.
#[utoipa::path(get, path = "/api/v1/stores/{store}/items.csv", operation_id = "export_items_csv", tag = "items", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, content_type = "text/csv", body = String, description = "UTF-8 with a BOM, so Excel reads it"),
        (status = 404, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<([(axum::http::HeaderName, &'static str); 2], String)> {
    owned_store(&state, &owner, &store).await?;
    // A column per language the server speaks, empty where no name is given yet: the owner
    // fills them in a spreadsheet.
    let langs: Vec<&str> =
        Lang::all().iter().filter(|lang| **lang != Lang::JA).map(|lang| lang.tag()).collect();
    let csv = export_csv_with(&catalog(&state, &store).await?, &langs);
    Ok((
        [
            (CONTENT_TYPE, "text/csv; charset=utf-8"),
            (CONTENT_DISPOSITION, "attachment; filename=\"items.csv\""),
        ],
        csv,
    ))
}

/// The owner's catalog routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(put, delete))
        .routes(routes!(export, import))
}
