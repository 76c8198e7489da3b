//! `POST /api/v1/pair`: a tablet sends the owner's one-time code with its own id and gets its
//! device token and the store's data. Failed attempts count against the client's address like
//! sign-ins ([`crate::http::limiter`]).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;

use akinai_core::api::{ErrorBody, PairRequest};
use akinai_core::sync::Pairing;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::time_text;
use crate::db::store_data::changes;
use crate::error::{Error, Result};
use crate::http::auth::{new_token, token_hash};
use crate::http::input::{Input, invalid};
use crate::http::limiter::{ClientIp, Key};
use crate::owner::pairing::{MAX_MISSES, code_hash, lookup_hash};

/// The longest device name kept, in characters.
const MAX_NAME: usize = 100;

/// `POST /api/v1/pair`: pairs the device that shows a valid code with the code's store.
#[utoipa::path(post, path = "/api/v1/pair", operation_id = "pair", tag = "devices", request_body = PairRequest,
    responses((status = 201, body = Pairing, description = "The device's id, token and store, and the store's data (changes since 0)"),
        (status = 409, body = ErrorBody, description = "The code is unknown, used, expired or burnt (5 wrong guesses at its second half), or the device is already paired"),
        (status = 422, body = ErrorBody, description = "No device name"),
        (status = 429, body = ErrorBody, description = "20 failed attempts from the client's network, or 100 from everywhere, within 15 minutes; see `Retry-After`")))]
pub async fn pair(
    State(state): State<AppState>,
    client: ClientIp,
    Input(request): Input<PairRequest>,
) -> Result<(StatusCode, Json<Pairing>)> {
    let name: String = request.name.trim().chars().take(MAX_NAME).collect();
    if name.is_empty() {
        return Err(invalid("name", "a device name is needed"));
    }
    // Reserved before the code is looked at, so attempts at once count against each other.
    let attempt = state.limiter.reserve(&[Key::Client(client.net()), Key::Pairing])?;
    match pair_device(&state, &request, &name).await {
        Ok(pairing) => {
            attempt.release();
            Ok((StatusCode::CREATED, Json(pairing)))
        }
        Err(Error::CodeRefused) => {
            // A guess at a live code's second half brings it nearer to burning.
            sqlx::query(
                "UPDATE pairing SET misses = misses + 1 WHERE lookup_hash = $1 AND used_at IS NULL",
            )
            .bind(lookup_hash(&request.code))
            .execute(&state.db.pool)
            .await?;
            Err(Error::CodeRefused)
        }
        // A paired device showing a code counts as a failed attempt too.
        Err(err @ Error::AlreadyPaired) => Err(err),
        Err(err) => {
            attempt.release();
            Err(err)
        }
    }
}

/// Uses the code and adds the device, all or nothing: a refused device leaves the code usable.
async fn pair_device(state: &AppState, request: &PairRequest, name: &str) -> Result<Pairing> {
    let now = time_text(Utc::now());
    let hash = code_hash(&request.code);
    let (_turn, mut tx) = state.db.begin_write().await?;
    let store_id: Option<String> = sqlx::query_scalar(
        "UPDATE pairing SET used_at = $1
         WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 AND misses < $3
         RETURNING store_id",
    )
    .bind(&now)
    .bind(&hash)
    .bind(MAX_MISSES)
    .fetch_optional(&mut *tx)
    .await?;
    let store_id = store_id.ok_or(Error::CodeRefused)?;
    let device_id = request.device_id.to_string();
    // A device the owner revoked may come back to the same store with a new code (its chain
    // goes on); a device paired elsewhere, or still paired, may not.
    let known: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT store_id, revoked_at FROM device WHERE id = $1")
            .bind(&device_id)
            .fetch_optional(&mut *tx)
            .await?;
    let token = new_token();
    let sql = match known {
        None => {
            "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, $3, $4, $5)"
        }
        Some((store, Some(_))) if store == store_id => {
            "UPDATE device SET name = $3, token_hash = $4, paired_at = $5, revoked_at = NULL
             WHERE id = $1 AND store_id = $2"
        }
        Some(_) => return Err(Error::AlreadyPaired),
    };
    sqlx::query(sql)
        .bind(&device_id)
        .bind(&store_id)
        .bind(name)
        .bind(token_hash(&token))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    let changes = changes(&mut tx, &store_id, 0).await?;
    tx.commit().await?;
    let store_id = store_id.parse().map_err(|_| Error::Internal(format!("store id {store_id}")))?;
    Ok(Pairing { device_id: request.device_id, token, store_id, changes })
}

/// A device's use of a pairing code.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pair))
}
