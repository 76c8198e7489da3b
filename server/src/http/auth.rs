//! Who is asking: an owner (session cookie `__Host-akinai_session` or `Authorization: Bearer`)
//! or a paired device (`Authorization: Bearer` with its device token). Tokens are 256 random
//! bits; the database keeps only their SHA-256, so a leaked database opens no session and no
//! device. A session ends 30 days after sign-in, or after 14 days unused.
//!
//! Handlers take [`OwnerSession`] or [`DeviceAuth`] as an argument, and every query they make is
//! scoped by its `owner_id` / `store_id`: a resource of another owner is simply not found.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use chrono::{Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::database::time_text;
use crate::error::{Error, Result};

/// The session cookie's name. The `__Host-` prefix makes browsers take it only when set by this
/// host itself (`Secure`, `Path=/`, no `Domain`), so a sibling subdomain cannot plant one.
pub const SESSION_COOKIE: &str = "__Host-akinai_session";
/// How long a session lasts unused.
pub const IDLE_DAYS: i64 = 14;
/// How stale a session's `last_seen` may get before a request writes it again: it is read far
/// more often than the idle timeout needs it written.
const SEEN_EVERY_SECONDS: i64 = 60;

/// A new random token (URL-safe, 43 characters) to hand out once.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The bearer token of a request, if it has one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The session cookie of a request, if it has one.
fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|header| {
        header.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then_some(value)
        })
    })
}

/// The owner's session token a request carries: the bearer token, else the session cookie.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    bearer(headers).or_else(|| session_cookie(headers))
}

/// A signed-in owner.
#[derive(Clone, Debug)]
pub struct OwnerSession {
    /// The owner's id.
    pub owner_id: String,
    /// The SHA-256 of the session's token (the session's key).
    pub token_hash: String,
}

impl FromRequestParts<AppState> for OwnerSession {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = session_token(&parts.headers).ok_or(Error::Unauthorized)?;
        let hash = token_hash(token);
        let now = Utc::now();
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT owner_id, last_seen FROM session
             WHERE token_hash = $1 AND expires_at > $2 AND last_seen > $3",
        )
        .bind(&hash)
        .bind(time_text(now))
        .bind(time_text(now - Duration::days(IDLE_DAYS)))
        .fetch_optional(&state.db.pool)
        .await?;
        let (owner_id, last_seen) = row.ok_or(Error::Unauthorized)?;
        if last_seen < time_text(now - Duration::seconds(SEEN_EVERY_SECONDS)) {
            sqlx::query("UPDATE session SET last_seen = $1 WHERE token_hash = $2")
                .bind(time_text(now))
                .bind(&hash)
                .execute(&state.db.pool)
                .await?;
        }
        Ok(OwnerSession { owner_id, token_hash: hash })
    }
}

/// A paired, not revoked device, and the one store it may read and write.
#[derive(Clone, Debug)]
pub struct DeviceAuth {
    /// The device's id.
    pub device_id: String,
    /// Its store.
    pub store_id: String,
}

impl FromRequestParts<AppState> for DeviceAuth {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = bearer(&parts.headers).ok_or(Error::Unauthorized)?;
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT id, store_id FROM device WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash(token))
        .fetch_optional(&state.db.pool)
        .await?;
        let (device_id, store_id) = row.ok_or(Error::Unauthorized)?;
        Ok(DeviceAuth { device_id, store_id })
    }
}

/// Fails with `NotFound` unless `store_id` belongs to the owner: another owner's store looks
/// exactly like one that does not exist.
pub async fn owned_store(state: &AppState, owner: &OwnerSession, store_id: &str) -> Result<()> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT id FROM store WHERE id = $1 AND owner_id = $2")
            .bind(store_id)
            .bind(&owner.owner_id)
            .fetch_optional(&state.db.pool)
            .await?;
    found.map(|_| ()).ok_or(Error::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }
}
