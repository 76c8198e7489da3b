//! A store's paired devices as the owner sees them (`/api/v1/stores/{store}/devices`,
//! `/api/v1/devices/{device}`): how far each has synced, what is missing or refused, and
//! renaming or revoking one. A revoked device's token stops working; its records stay.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

use akinai_core::api::{DeviceStatus, ErrorBody, Rename};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::{now_text, parse_id, parse_time};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::input::{Input, invalid};

/// The longest device name kept, in characters.
const MAX_NAME: usize = 100;

/// A device's row: id, name, paired_at, revoked_at, last_sync_at, waiting.
type DeviceRow = (String, String, String, Option<String>, Option<String>, i64);

/// The most gaps listed per device: the first ones, which are what the owner acts on.
const MAX_GAPS: i64 = 100;

/// Adds to a device's row what its records say. The database finds the gaps (each stored seq
/// against the one before it), so a device with a million records costs a scan of its index, not
/// a million rows here.
async fn status(state: &AppState, row: DeviceRow) -> Result<DeviceStatus> {
    let (id, name, paired_at, revoked_at, last_sync_at, waiting) = row;
    let (last_seq, rejected): (i64, i64) = sqlx::query_as(
        "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT),
             CAST(COALESCE(SUM(CASE WHEN rejection IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
         FROM record WHERE device_id = $1",
    )
    .bind(&id)
    .fetch_one(&state.db.pool)
    .await?;
    let gaps: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT before + 1, seq - 1 FROM (
             SELECT seq, LAG(seq, 1, 0) OVER (ORDER BY seq) AS before
             FROM record WHERE device_id = $1
         ) AS steps WHERE seq > before + 1 ORDER BY seq LIMIT $2",
    )
    .bind(&id)
    .bind(MAX_GAPS)
    .fetch_all(&state.db.pool)
    .await?;
    let count = |n: i64| u64::try_from(n).unwrap_or_default();
    Ok(DeviceStatus {
        id: parse_id(&id)?,
        name,
        paired_at: parse_time(&paired_at)?,
        revoked_at: revoked_at.as_deref().map(parse_time).transpose()?,
        last_sync_at: last_sync_at.as_deref().map(parse_time).transpose()?,
        last_seq: count(last_seq),
        waiting: count(waiting),
        gaps: gaps.into_iter().map(|(from, to)| (count(from), count(to))).collect(),
        rejected: count(rejected),
    })
}

/// The device's row, if it belongs to one of the owner's stores.
async fn owned_device(state: &AppState, owner: &OwnerSession, device: &str) -> Result<DeviceRow> {
    sqlx::query_as(
        "SELECT device.id, device.name, device.paired_at, device.revoked_at, device.last_sync_at,
                device.waiting
         FROM device JOIN store ON store.id = device.store_id
         WHERE device.id = $1 AND store.owner_id = $2",
    )
    .bind(device)
    .bind(&owner.owner_id)
    .fetch_optional(&state.db.pool)
    .await?
    .ok_or(Error::NotFound)
}

/// `GET /api/v1/stores/{store}/devices`: the store's devices in the order they were paired.
#[utoipa::path(get, path = "/api/v1/stores/{store}/devices", operation_id = "list_devices", tag = "devices", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = [DeviceStatus]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<Vec<DeviceStatus>>> {
    owned_store(&state, &owner, &store).await?;
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, name, paired_at, revoked_at, last_sync_at, waiting FROM device
         WHERE store_id = $1 ORDER BY paired_at, id",
    )
    .bind(&store)
    .fetch_all(&state.db.pool)
    .await?;
    let mut devices = Vec::with_capacity(rows.len());
    for row in rows {
        devices.push(status(&state, row).await?);
    }
    Ok(Json(devices))
}

/// `PATCH /api/v1/devices/{device}`: renames a device.
#[utoipa::path(patch, path = "/api/v1/devices/{device}", operation_id = "rename_device", tag = "devices", security(("owner" = []), ("owner_cookie" = [])),
    params(("device" = String, Path, description = "The device's id")),
    request_body = Rename,
    responses((status = 200, body = DeviceStatus), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "No name")))]
pub async fn rename(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(device): Path<String>,
    Input(body): Input<Rename>,
) -> Result<Json<DeviceStatus>> {
    let name: String = body.name.trim().chars().take(MAX_NAME).collect();
    if name.is_empty() {
        return Err(invalid("name", "a device name is needed"));
    }
    owned_device(&state, &owner, &device).await?;
    sqlx::query("UPDATE device SET name = $1 WHERE id = $2")
        .bind(&name)
        .bind(&device)
        .execute(&state.db.pool)
        .await?;
    let row = owned_device(&state, &owner, &device).await?;
    Ok(Json(status(&state, row).await?))
}

/// `DELETE /api/v1/devices/{device}`: revokes a device (again: no change).
#[utoipa::path(delete, path = "/api/v1/devices/{device}", operation_id = "revoke_device", tag = "devices", security(("owner" = []), ("owner_cookie" = [])),
    params(("device" = String, Path, description = "The device's id")),
    responses((status = 204, description = "Revoked: its token stops working, its records stay"),
        (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(device): Path<String>,
) -> Result<StatusCode> {
    owned_device(&state, &owner, &device).await?;
    sqlx::query("UPDATE device SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_text())
        .bind(&device)
        .execute(&state.db.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The owner's device routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(rename, revoke))
}
