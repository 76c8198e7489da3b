//! An owner's stores (`/api/v1/stores[/{store}]`): their settings and version. What flows from
//! them to the registers is kept by [`crate::db::store_data`].

use akinai_core::api::{ErrorBody, Store};
use akinai_core::shop::ShopSettings;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::parse_id;
use crate::db::store_data::{create_store, put_settings};
use crate::error::Result;
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::Input;

/// Reads a stored store row.
fn store_view((id, settings, version): (String, String, i64)) -> Result<Store> {
    Ok(Store {
        id: parse_id(&id)?,
        settings: serde_json::from_str(&settings)?,
        version: u64::try_from(version).unwrap_or_default(),
    })
}

/// The store, which must be the owner's.
async fn load_store(state: &AppState, owner: &OwnerSession, store_id: &str) -> Result<Store> {
    let row: Option<(String, String, i64)> =
        sqlx::query_as("SELECT id, settings, version FROM store WHERE id = $1 AND owner_id = $2")
            .bind(store_id)
            .bind(&owner.owner_id)
            .fetch_optional(&state.db.pool)
            .await?;
    store_view(row.ok_or(crate::Error::NotFound)?)
}

/// `GET /api/v1/stores`: the owner's stores, oldest first.
#[utoipa::path(get, path = "/api/v1/stores", operation_id = "list_stores", tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    responses((status = 200, body = [Store]), (status = 401, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, owner: OwnerSession) -> Result<Json<Vec<Store>>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, settings, version FROM store WHERE owner_id = $1 ORDER BY created_at, id",
    )
    .bind(&owner.owner_id)
    .fetch_all(&state.db.pool)
    .await?;
    Ok(Json(rows.into_iter().map(store_view).collect::<Result<_>>()?))
}

/// `POST /api/v1/stores`: a new store with these settings.
#[utoipa::path(post, path = "/api/v1/stores", operation_id = "create_store", tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    request_body = ShopSettings,
    responses((status = 201, body = Store), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "A setting is invalid (`field` says which)")))]
pub async fn create(
    State(state): State<AppState>,
    owner: OwnerSession,
    Input(settings): Input<ShopSettings>,
) -> Result<(StatusCode, Json<Store>)> {
    let (_turn, mut tx) = state.db.begin_write().await?;
    let id = create_store(&mut tx, &owner.owner_id, &settings).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(load_store(&state, &owner, &id).await?)))
}

/// `GET /api/v1/stores/{store}`.
#[utoipa::path(get, path = "/api/v1/stores/{store}", operation_id = "get_store", tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = Store), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<Store>> {
    Ok(Json(load_store(&state, &owner, &store).await?))
}

/// `PUT /api/v1/stores/{store}`: replaces the store's settings.
#[utoipa::path(put, path = "/api/v1/stores/{store}", operation_id = "put_store", tag = "stores", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body = ShopSettings,
    responses((status = 200, body = Store), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    Input(settings): Input<ShopSettings>,
) -> Result<Json<Store>> {
    owned_store(&state, &owner, &store).await?;
    let (_turn, mut tx) = state.db.begin_write().await?;
    put_settings(&mut tx, &store, &settings).await?;
    tx.commit().await?;
    Ok(Json(load_store(&state, &owner, &store).await?))
}

/// The owner's store routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get, put))
}
