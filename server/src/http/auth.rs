//! Who is asking: an owner (session cookie `akinai_session` or `Authorization: Bearer`) or a
//! paired device (`Authorization: Bearer` with its device token). Tokens are 256 random bits;
//! the database keeps only their SHA-256, so a leaked database opens no session and no device.
//!
//! Handlers take [`OwnerSession`] or [`DeviceAuth`] as an argument, and every query they make is
//! scoped by its `owner_id` / `store_id`: a resource of another owner is simply not found.

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::db::database::now_text;
use crate::error::{Error, Result};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "akinai_session";

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
}

impl FromRequestParts<AppState> for OwnerSession {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let token = session_token(&parts.headers).ok_or(Error::Unauthorized)?;
        let owner_id: Option<String> = sqlx::query_scalar(
            "SELECT owner_id FROM session WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(token_hash(token))
        .bind(now_text())
        .fetch_optional(&state.db.pool)
        .await?;
        owner_id.map(|owner_id| OwnerSession { owner_id }).ok_or(Error::Unauthorized)
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
