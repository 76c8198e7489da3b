//! Owners' accounts: sign-up, sign-in and sign-out (`/api/v1/owner/...`). Passwords are kept
//! as argon2id hashes (PHC strings), hashed off the async threads and a few at a time; sessions
//! are random tokens kept as SHA-256 hashes for 30 days (14 unused); an owner can end them all,
//! and changing the password ends all but the current one. Failed sign-ins are limited per
//! e-mail address and client network, and sign-ups per client network
//! ([`crate::http::limiter`]).

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use axum::Json;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use chrono::{Duration, Utc};
use rand::RngCore;
use tokio::sync::Semaphore;
use uuid::Uuid;

use akinai_core::api::{ChangePassword, ErrorBody, Owner, SignIn, SignUp, SignedIn};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::{now_text, parse_id, time_text};
use crate::error::{Error, Result};
use crate::http::auth::{
    IDLE_DAYS, OwnerSession, SESSION_COOKIE, new_token, session_token, token_hash,
};
use crate::http::input::{Input, invalid};
use crate::http::limiter::{Attempt, ClientIp, Key};

/// How long a session lasts.
pub const SESSION_DAYS: i64 = 30;
/// The shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 10;

/// Argon2's working memory (19 MiB a hash), kept between hashes and reused. Allocated afresh
/// each time, the allocator keeps what each thread freed (glibc's arenas): a burst of hashes
/// then left hundreds of megabytes behind, however few ran at once. There are never more
/// buffers than hashes that ran at once ([`crate::http::edge::Limits::hashing`]).
static MEMORY: Mutex<Vec<Vec<Block>>> = Mutex::new(Vec::new());

/// Argon2id with `params` into `out`, in a buffer of [`MEMORY`].
fn argon2_into(argon: &Argon2<'_>, password: &str, salt: &[u8], out: &mut [u8]) -> Result<()> {
    let take = || MEMORY.lock().unwrap_or_else(PoisonError::into_inner).pop();
    let mut blocks = take().unwrap_or_default();
    blocks.resize(argon.params().block_count(), Block::default());
    let hashed = argon.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut blocks);
    MEMORY.lock().unwrap_or_else(PoisonError::into_inner).push(blocks);
    hashed.map_err(|err| Error::Internal(err.to_string()))
}

/// The argon2id hash of `password` (a PHC string), with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let internal = |err: argon2::password_hash::Error| Error::Internal(err.to_string());
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let argon = Argon2::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    argon2_into(&argon, password, &salt, &mut out)?;
    let salt = SaltString::encode_b64(&salt).map_err(internal)?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(internal)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(internal)?),
    };
    Ok(hash.to_string())
}

/// Whether `password` matches a stored hash (a malformed stored hash matches nothing).
pub fn password_matches(password: &str, stored: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else { return false };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else { return false };
    let algorithm = Algorithm::try_from(hash.algorithm);
    let version = hash.version.map_or(Ok(Version::default()), Version::try_from);
    let (Ok(algorithm), Ok(version), Ok(params)) = (algorithm, version, Params::try_from(&hash))
    else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_bytes) else { return false };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version, params);
    // `Output`'s comparison takes the same time wherever the bytes differ.
    argon2_into(&argon, password, salt, &mut out).is_ok() && Output::new(&out) == Ok(expected)
}

/// An e-mail address as it is kept and compared: trimmed and lower-case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Whether a (normalised) address looks deliverable: one `@`, a local part, a dotted domain,
/// no spaces; the mail server decides the rest.
fn email_is_valid(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A hash that matches no password, checked when the e-mail address is unknown so that a
/// wrong address takes as long as a wrong password.
static NO_OWNER: LazyLock<String> =
    LazyLock::new(|| hash_password(&new_token()).unwrap_or_default());

/// How long a request waits for a turn at hashing before the server says it is busy.
const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs password (and PIN) hashing on the blocking pool (it takes tens of milliseconds of CPU and 19 MiB),
/// at most [`crate::http::edge::Limits::hashing`] at once: a request that waits longer than
/// [`HASH_WAIT`] for its turn is answered 503 (`busy`), so a burst cannot exhaust the memory.
pub(crate) async fn hashing<T: Send + 'static>(
    permits: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    let permit = tokio::time::timeout(HASH_WAIT, permits.clone().acquire_owned())
        .await
        .map_err(|_| Error::Busy(1))?
        .map_err(|err| Error::Internal(err.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|err| Error::Internal(err.to_string()))
}

/// Whether `password` matches the stored hash `stored`, checked under [`hashing`]. `attempt`
/// is given back unless the password was judged wrong, so a busy server counts no failure.
async fn check_password(
    state: &AppState,
    attempt: Attempt<'_>,
    password: String,
    stored: String,
) -> Result<bool> {
    match hashing(&state.hashing, move || password_matches(&password, &stored)).await {
        Ok(true) => {
            attempt.release();
            Ok(true)
        }
        Ok(false) => Ok(false),
        Err(err) => {
            attempt.release();
            Err(err)
        }
    }
}

/// Opens a session for the owner and returns its token; the owner's lapsed sessions go.
async fn open_session(state: &AppState, owner_id: &str) -> Result<String> {
    let token = new_token();
    let now = Utc::now();
    sqlx::query(
        "DELETE FROM session WHERE owner_id = $1 AND (expires_at <= $2 OR last_seen <= $3)",
    )
    .bind(owner_id)
    .bind(time_text(now))
    .bind(time_text(now - Duration::days(IDLE_DAYS)))
    .execute(&state.db.pool)
    .await?;
    sqlx::query(
        "INSERT INTO session (token_hash, owner_id, created_at, expires_at, last_seen)
         VALUES ($1, $2, $3, $4, $3)",
    )
    .bind(token_hash(&token))
    .bind(owner_id)
    .bind(time_text(now))
    .bind(time_text(now + Duration::days(SESSION_DAYS)))
    .execute(&state.db.pool)
    .await?;
    Ok(token)
}

/// The `Set-Cookie` value that carries a session (an empty token with no lifetime clears it).
fn cookie(token: &str, max_age: i64) -> String {
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={max_age}"
    )
}

/// The answer for a new session: the status, the cookie and the body.
fn signed_in(status: StatusCode, owner: Owner, token: String) -> Response {
    let set_cookie = cookie(&token, SESSION_DAYS * 24 * 60 * 60);
    (status, AppendHeaders([(SET_COOKIE, set_cookie)]), Json(SignedIn { owner, token }))
        .into_response()
}

/// The answer that ends the browser's session: 204 and the cookie cleared.
fn signed_out() -> Response {
    (StatusCode::NO_CONTENT, AppendHeaders([(SET_COOKIE, cookie("", 0))])).into_response()
}

/// `POST /api/v1/owner/signup`: a new owner, signed in.
///
/// Whether an address has an account is told (409) only at the pace of sign-ups: every sign-up
/// from a client network counts, whatever its outcome, 10 an hour; and a taken address is found
/// only after the password is hashed, so it answers no faster than a new one.
#[utoipa::path(post, path = "/api/v1/owner/signup", operation_id = "sign_up", tag = "accounts", request_body = SignUp,
    responses((status = 201, body = SignedIn, description = "Signed up and in; the token is also set as the `__Host-akinai_session` cookie"),
        (status = 409, body = ErrorBody, description = "The e-mail address is taken"),
        (status = 422, body = ErrorBody, description = "An invalid e-mail address, name or password (`field` says which)"),
        (status = 429, body = ErrorBody, description = "10 sign-ups from the client's network within an hour; see `Retry-After`")))]
pub async fn sign_up(
    State(state): State<AppState>,
    client: ClientIp,
    Input(body): Input<SignUp>,
) -> Result<Response> {
    let email = normalise_email(&body.email);
    if !email_is_valid(&email) {
        return Err(invalid("email", "not an e-mail address"));
    }
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        return Err(invalid("name", "a name is needed"));
    }
    if body.password.chars().count() < MIN_PASSWORD {
        return Err(invalid("password", "a password has at least 10 characters"));
    }
    let attempt = state.limiter.reserve(&[Key::SignUp(client.net())])?;
    let password = body.password;
    let hash = match hashing(&state.hashing, move || hash_password(&password)).await {
        Ok(hash) => hash?,
        Err(err) => {
            // The server was busy: the sign-up was not judged.
            attempt.release();
            return Err(err);
        }
    };
    // Every judged sign-up counts, the ones that succeed too.
    drop(attempt);
    let id = Uuid::now_v7();
    let inserted = sqlx::query(
        "INSERT INTO owner (id, email, name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(&email)
    .bind(&name)
    .bind(hash)
    .bind(now_text())
    .execute(&state.db.pool)
    .await;
    match inserted {
        // The unique index says the address is taken, also for two sign-ups at once.
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
            return Err(Error::EmailTaken);
        }
        other => other?,
    };
    let token = open_session(&state, &id.to_string()).await?;
    Ok(signed_in(StatusCode::CREATED, Owner { id, email, name }, token))
}

/// `POST /api/v1/owner/signin`.
#[utoipa::path(post, path = "/api/v1/owner/signin", operation_id = "sign_in", tag = "accounts", request_body = SignIn,
    responses((status = 200, body = SignedIn, description = "Signed in; the token is also set as the `__Host-akinai_session` cookie"),
        (status = 401, body = ErrorBody, description = "Wrong e-mail address or password"),
        (status = 429, body = ErrorBody, description = "5 failures for the address from the client's network, 20 from the network, or 50 for the address from networks that never signed in to it, within 15 minutes; see `Retry-After`")))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: ClientIp,
    Input(body): Input<SignIn>,
) -> Result<Response> {
    let email = normalise_email(&body.email);
    let net = client.net();
    let attempt = state.limiter.reserve(&state.limiter.sign_in_keys(&email, net))?;
    let owner: Option<(String, String, String)> =
        sqlx::query_as("SELECT id, name, password_hash FROM owner WHERE email = $1")
            .bind(&email)
            .fetch_optional(&state.db.pool)
            .await?;
    let stored = owner.as_ref().map_or_else(|| (*NO_OWNER).clone(), |(_, _, hash)| hash.clone());
    let matches = check_password(&state, attempt, body.password, stored).await?;
    let Some((id, name, _)) = owner.filter(|_| matches) else {
        return Err(Error::WrongCredentials);
    };
    state.limiter.clear(&Key::SignIn(email.clone(), net));
    state.limiter.know(&email, net);
    let token = open_session(&state, &id).await?;
    Ok(signed_in(StatusCode::OK, Owner { id: parse_id(&id)?, email, name }, token))
}

/// `POST /api/v1/owner/signout`: ends the request's session (if any) and clears the cookie.
#[utoipa::path(post, path = "/api/v1/owner/signout", operation_id = "sign_out", tag = "accounts",
    responses((status = 204, description = "Signed out; the cookie is cleared")))]
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session_token(&headers) {
        sqlx::query("DELETE FROM session WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&state.db.pool)
            .await?;
    }
    Ok(signed_out())
}

/// `POST /api/v1/owner/signout-everywhere`: ends every session of the owner, on every browser
/// (a lost phone), and clears this browser's cookie.
#[utoipa::path(post, path = "/api/v1/owner/signout-everywhere", operation_id = "sign_out_everywhere", tag = "accounts",
    security(("owner" = []), ("owner_cookie" = [])),
    responses((status = 204, description = "Every session of the owner is ended; the cookie is cleared")))]
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    owner: OwnerSession,
) -> Result<Response> {
    sqlx::query("DELETE FROM session WHERE owner_id = $1")
        .bind(&owner.owner_id)
        .execute(&state.db.pool)
        .await?;
    Ok(signed_out())
}

/// `PUT /api/v1/owner/password`: a new password, given the current one. Every other session of
/// the owner ends; this one goes on.
#[utoipa::path(put, path = "/api/v1/owner/password", operation_id = "change_password", tag = "accounts",
    security(("owner" = []), ("owner_cookie" = [])), request_body = ChangePassword,
    responses((status = 204, description = "Changed; the owner's other sessions are ended"),
        (status = 401, body = ErrorBody, description = "No session, or the current password is wrong (`code`: `wrong_credentials`)"),
        (status = 422, body = ErrorBody, description = "The new password is too short (`field`: `new_password`)"),
        (status = 429, body = ErrorBody, description = "Too many wrong passwords, as at sign-in; see `Retry-After`")))]
pub async fn change_password(
    State(state): State<AppState>,
    owner: OwnerSession,
    client: ClientIp,
    Input(body): Input<ChangePassword>,
) -> Result<StatusCode> {
    if body.new_password.chars().count() < MIN_PASSWORD {
        return Err(invalid("new_password", "a password has at least 10 characters"));
    }
    let (email, stored): (String, String) =
        sqlx::query_as("SELECT email, password_hash FROM owner WHERE id = $1")
            .bind(&owner.owner_id)
            .fetch_one(&state.db.pool)
            .await?;
    // A stolen session must not guess the password faster than sign-in could.
    let attempt = state.limiter.reserve(&state.limiter.sign_in_keys(&email, client.net()))?;
    if !check_password(&state, attempt, body.current_password, stored).await? {
        return Err(Error::WrongCredentials);
    }
    let new_password = body.new_password;
    let hash = hashing(&state.hashing, move || hash_password(&new_password)).await??;
    let (_turn, mut tx) = state.db.begin_write().await?;
    sqlx::query("UPDATE owner SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(&owner.owner_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM session WHERE owner_id = $1 AND token_hash <> $2")
        .bind(&owner.owner_id)
        .bind(&owner.token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/owner/me`: who is signed in.
#[utoipa::path(get, path = "/api/v1/owner/me", operation_id = "me", tag = "accounts", security(("owner" = []), ("owner_cookie" = [])),
    responses((status = 200, body = Owner), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, owner: OwnerSession) -> Result<Json<Owner>> {
    let (email, name): (String, String) =
        sqlx::query_as("SELECT email, name FROM owner WHERE id = $1")
            .bind(&owner.owner_id)
            .fetch_one(&state.db.pool)
            .await?;
    Ok(Json(Owner { id: parse_id(&owner.owner_id)?, email, name }))
}

/// The owner's account routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sign_up))
        .routes(routes!(sign_in))
        .routes(routes!(sign_out))
        .routes(routes!(sign_out_everywhere))
        .routes(routes!(change_password))
        .routes(routes!(me))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_hashed_and_checked() {
        let stored = hash_password("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(password_matches("correct horse", &stored));
        assert!(!password_matches("wrong horse", &stored));
        assert!(!password_matches("correct horse", "not a hash"));
        assert!(!password_matches("", &NO_OWNER));
    }

    #[test]
    fn hashes_read_as_the_argon2_crate_writes_and_reads_them() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let theirs = Argon2::default().hash_password(b"correct horse", &salt).unwrap().to_string();
        assert!(password_matches("correct horse", &theirs));
        assert!(!password_matches("correct horsf", &theirs));
        let ours = hash_password("correct horse").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"correct horse", &parsed).is_ok());
    }

    #[test]
    fn e_mail_addresses_are_normalised_and_checked() {
        assert_eq!(normalise_email("  Hanako@Example.JP "), "hanako@example.jp");
        for good in ["a@b.jp", "hanako.yamada+shop@example.co.jp"] {
            assert!(email_is_valid(good), "{good}");
        }
        for bad in ["", "a", "a@b", "@b.jp", "a@@b.jp", "a b@c.jp", "a@b..jp", "a@.jp"] {
            assert!(!email_is_valid(bad), "{bad}");
        }
    }
}
