//! Guessing is slowed down: failed sign-ins and pairing attempts are counted in memory per
//! e-mail address and per client address over a sliding window, and once a key has too many,
//! it is refused with 429 until its oldest failure leaves the window. Memory is enough: a
//! restart forgets the counts, which only helps an attacker who can restart the server.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::{Error, Result};

/// How long a failure counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed per e-mail address within the window.
pub const PER_EMAIL: usize = 5;
/// Failures allowed per client address within the window.
pub const PER_IP: usize = 20;
/// Above this many keys, keys whose failures have all left the window are dropped.
const SWEEP_ABOVE: usize = 10_000;

/// What failures are counted against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A (normalised) e-mail address being signed in to.
    Email(String),
    /// The client's address.
    Ip(IpAddr),
}

impl Key {
    /// How many failures the key may have within the window.
    fn limit(&self) -> usize {
        match self {
            Key::Email(_) => PER_EMAIL,
            Key::Ip(_) => PER_IP,
        }
    }
}

/// Recent failures by key.
#[derive(Debug, Default)]
pub struct Limiter {
    failures: Mutex<HashMap<Key, VecDeque<Instant>>>,
}

impl Limiter {
    /// Fails with [`Error::TooMany`] (seconds to wait) when any of `keys` has used up its
    /// failures.
    pub fn check(&self, keys: &[Key]) -> Result<()> {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let mut wait = Duration::ZERO;
        for key in keys {
            let Some(times) = failures.get_mut(key) else { continue };
            forget_old(times, now);
            if times.len() >= key.limit() {
                // The oldest of the last `limit` failures leaving the window frees one attempt.
                let oldest = times[times.len() - key.limit()];
                wait = wait.max(WINDOW.saturating_sub(now.duration_since(oldest)));
            }
        }
        if wait.is_zero() { Ok(()) } else { Err(Error::TooMany(wait.as_secs().max(1))) }
    }

    /// Counts a failure against each of `keys`.
    pub fn fail(&self, keys: &[Key]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| {
                forget_old(times, now);
                !times.is_empty()
            });
        }
        for key in keys {
            let times = failures.entry(key.clone()).or_default();
            forget_old(times, now);
            times.push_back(now);
        }
    }

    /// Forgets the failures of `key` (a successful sign-in clears its e-mail address's).
    pub fn clear(&self, key: &Key) {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }
}

/// Drops the failures that have left the window.
fn forget_old(times: &mut VecDeque<Instant>, now: Instant) {
    while times.front().is_some_and(|at| now.duration_since(*at) >= WINDOW) {
        times.pop_front();
    }
}

/// The address of the client that sent the request, as the TCP connection shows it.
///
/// The server must be served with `into_make_service_with_connect_info::<SocketAddr>()`. Behind
/// a reverse proxy every client shares the proxy's address, so the per-address limit then
/// applies to all clients together (stricter, never looser); `X-Forwarded-For` is not trusted
/// because any client can set it.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self> {
        parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| ClientIp(addr.ip()))
            .ok_or_else(|| Error::Internal("the server is not served with connect info".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_an_address_until_cleared() {
        let limiter = Limiter::default();
        let email = Key::Email("a@example.com".into());
        let ip = Key::Ip(IpAddr::from([127, 0, 0, 1]));
        for _ in 0..PER_EMAIL {
            limiter.check(&[email.clone(), ip.clone()]).unwrap();
            limiter.fail(&[email.clone(), ip.clone()]);
        }
        match limiter.check(&[email.clone(), ip.clone()]) {
            Err(Error::TooMany(seconds)) => assert!((899..=900).contains(&seconds)),
            other => panic!("expected TooMany, got {other:?}"),
        }
        // Another address from the same client is still allowed until the client's own limit.
        limiter.check(&[Key::Email("b@example.com".into()), ip.clone()]).unwrap();
        limiter.clear(&email);
        limiter.check(&[email, ip]).unwrap();
    }

    #[test]
    fn a_client_is_limited_across_addresses() {
        let limiter = Limiter::default();
        let ip = Key::Ip(IpAddr::from([10, 0, 0, 1]));
        for n in 0..PER_IP {
            limiter.fail(&[Key::Email(format!("{n}@example.com")), ip.clone()]);
        }
        assert!(matches!(limiter.check(&[ip]), Err(Error::TooMany(_))));
        limiter.check(&[Key::Ip(IpAddr::from([10, 0, 0, 2]))]).unwrap();
    }
}
