//! A device's pull (`/api/v1/changes?since=N`): what changed in its store since a version.

use akinai_core::api::ErrorBody;
use akinai_core::sync::Changes;
use axum::Json;
use axum::extract::{RawQuery, State};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::store_data::changes;
use crate::error::Result;
use crate::http::auth::DeviceAuth;
use crate::http::input::invalid;

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
    responses((status = 200, body = Changes),
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

/// A device's pull of changes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pull))
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
