//! Pairing a tablet with a store: the owner asks for a one-time code (`POST
//! /api/v1/stores/{store}/pairings`), shown as text and as a QR code; the tablet sends it back
//! ([`crate::device::pair`]) with its own id and gets its device token and the store's data.
//!
//! Codes are 8 characters from an alphabet without look-alikes (no 0/O, 1/I), valid for 10
//! minutes and once; the database keeps only their SHA-256. That is 40 bits against at most 20
//! failed guesses per client network and 100 from everywhere in 15 minutes
//! ([`crate::http::limiter`]). A code's first half finds it: after [`MAX_MISSES`] guesses with
//! its first half and a wrong second half, the code is burnt, even for its right second half.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::HOST;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, StatusCode};
use chrono::{DateTime, Duration, Utc};
use qrcode::QrCode;
use qrcode::render::svg;
use rand::Rng;

use akinai_core::api::{ErrorBody, PairingCode};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::{Db, time_text};
use crate::error::{Error, Result};
use crate::http::auth::{OwnerSession, owned_store, token_hash};
use crate::http::input::invalid;

/// The characters of a code: capitals and digits without 0, O, 1 and I, which read alike.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// How long a code is valid.
pub const CODE_MINUTES: i64 = 10;

/// A new code, `XXXX-XXXX`.
fn new_code() -> String {
    let mut rng = rand::rng();
    let mut code: String =
        (0..8).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
    code.insert(4, '-');
    code
}

/// How many wrong second halves burn a code.
pub const MAX_MISSES: i64 = 5;

/// A code however it was typed, as it is compared: case and dashes do not matter.
fn fold(code: &str) -> String {
    code.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect()
}

/// What the database keeps of a code.
pub fn code_hash(code: &str) -> String {
    token_hash(&fold(code))
}

/// What the database finds a code by to count a miss: its first half.
pub fn lookup_hash(code: &str) -> String {
    token_hash(&fold(code).chars().take(4).collect::<String>())
}

/// The origin the app is reached at, as the owner's request shows it. The server speaks plain
/// HTTP; a TLS proxy in front says so with `X-Forwarded-Proto`.
pub(crate) fn origin(headers: &HeaderMap) -> Result<String> {
    let host = headers
        .get(HOST)
        .and_then(|host| host.to_str().ok())
        .and_then(|host| host.parse::<Authority>().ok())
        .ok_or_else(|| invalid("host", "the request has no valid Host header"))?;
    let scheme = match headers.get("x-forwarded-proto").and_then(|p| p.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    Ok(format!("{scheme}://{host}"))
}

/// The QR code of `url` as an SVG document.
pub(crate) fn qr_svg(url: &str) -> Result<String> {
    let code = QrCode::new(url.as_bytes()).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(code.render::<svg::Color>().min_dimensions(240, 240).build())
}

/// Keeps a new pairing `code` for `store_id` (hashed, with the lookup of its first half that
/// counts misses), valid [`CODE_MINUTES`]; when it expires.
pub(crate) async fn keep_code(db: &Db, store_id: &str, code: &str) -> Result<DateTime<Utc>> {
    let now = Utc::now();
    let expires_at = now + Duration::minutes(CODE_MINUTES);
    sqlx::query(
        "INSERT INTO pairing (code_hash, lookup_hash, store_id, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(code_hash(code))
    .bind(lookup_hash(code))
    .bind(store_id)
    .bind(time_text(now))
    .bind(time_text(expires_at))
    .execute(&db.pool)
    .await?;
    Ok(expires_at)
}

/// `POST /api/v1/stores/{store}/pairings`: a new code for pairing a tablet with the store.
#[utoipa::path(post, path = "/api/v1/stores/{store}/pairings", operation_id = "create_pairing_code", tag = "devices", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 201, body = PairingCode), (status = 404, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    headers: HeaderMap,
) -> Result<(StatusCode, Json<PairingCode>)> {
    owned_store(&state, &owner, &store).await?;
    let origin = origin(&headers)?;
    let code = new_code();
    let expires_at = keep_code(&state.db, &store, &code).await?;
    let qr_svg = qr_svg(&format!("{origin}/pair?code={code}"))?;
    Ok((StatusCode::CREATED, Json(PairingCode { code, expires_at, qr_svg })))
}

/// The owner's pairing route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_avoid_look_alikes_and_read_loosely() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 9);
            assert_eq!(&code[4..5], "-");
            assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
            assert_eq!(code_hash(&code), code_hash(&code.to_lowercase().replace('-', "")));
        }
        assert_ne!(new_code(), new_code());
    }

    #[test]
    fn the_origin_comes_from_the_host() {
        let mut headers = HeaderMap::new();
        assert!(origin(&headers).is_err());
        headers.insert(HOST, "shop.example.jp:8080".parse().unwrap());
        assert_eq!(origin(&headers).unwrap(), "http://shop.example.jp:8080");
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(origin(&headers).unwrap(), "https://shop.example.jp:8080");
        headers.insert(HOST, "bad host/x".parse().unwrap());
        assert!(origin(&headers).is_err());
    }

    #[test]
    fn the_qr_code_is_svg() {
        assert!(qr_svg("http://shop.example.jp/pair?code=ABCD-EFGH").unwrap().contains("<svg"));
    }
}
