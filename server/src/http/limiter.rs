//! Guessing is slowed down: sign-ins, sign-ups, pairing attempts and e-receipt pages are counted
//! in memory per key (an e-mail address from one client network, a client network, every
//! pairing attempt) over a sliding window, and a key that has used up its attempts is refused with 429 until
//! its oldest attempt leaves the window.
//!
//! An attempt is reserved before it is judged ([`Limiter::reserve`]), under one lock for all of
//! its keys, so that requests in flight at once count against each other; a success gives its
//! reservation back. Clients are keyed by network: an IPv4 address, or the /64 of an IPv6
//! address (one subscriber's share, which rotating addresses never leaves).
//!
//! An owner is never locked out at an attacker's will: the tight limit (5) is per e-mail
//! address *and* client network, so an attacker locks only themselves. A looser limit per
//! e-mail address from anywhere (against guessing from many networks) skips the networks that
//! recently signed in to that account, so the owner's own shop and phone still get in.
//!
//! Memory is enough: a restart forgets the counts, which only helps an attacker who can restart
//! the server.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::error::{Error, Result};

/// How long a failed sign-in or pairing attempt counts.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed sign-ins allowed per e-mail address from one client network within the window.
pub const PER_EMAIL: usize = 5;
/// Failed sign-ins allowed per e-mail address from networks that never signed in to it.
pub const PER_ACCOUNT: usize = 50;
/// Failed sign-ins and pairing attempts allowed per client network within the window.
pub const PER_IP: usize = 20;
/// Failed pairing attempts allowed from all clients together within the window.
pub const PAIRING_BUDGET: usize = 100;
/// Sign-ups allowed per client network within [`SIGN_UP_WINDOW`], whatever their outcome.
pub const SIGN_UPS: usize = 10;
/// How long a sign-up counts.
pub const SIGN_UP_WINDOW: Duration = Duration::from_secs(60 * 60);
/// E-receipt pages a client network may open within [`RECEIPT_VIEW_WINDOW`], found or not.
pub const RECEIPT_VIEWS: usize = 120;
/// How long an e-receipt page counts.
pub const RECEIPT_VIEW_WINDOW: Duration = Duration::from_secs(10 * 60);
/// E-receipt links that lead nowhere (404) a client network may open within [`WINDOW`].
pub const RECEIPT_MISSES: usize = 20;
/// How long a network that signed in to an account is known to it.
const KNOWN_FOR: Duration = Duration::from_secs(30 * 24 * 60 * 60);
/// Above this many keys, keys whose attempts have all left the window are dropped.
const SWEEP_ABOVE: usize = 10_000;

/// A client's network: its IPv4 address, or the /64 its IPv6 address is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Net(IpAddr);

impl Net {
    /// The network `ip` is in (an IPv4-mapped IPv6 address is its IPv4 address).
    pub fn of(ip: IpAddr) -> Net {
        match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                Net(IpAddr::V6(Ipv6Addr::from(prefix)))
            }
            v4 => Net(v4),
        }
    }
}

/// What attempts are counted against.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// Failed sign-ins to a (normalised) e-mail address from one network.
    SignIn(String, Net),
    /// Failed sign-ins to a (normalised) e-mail address from networks not known to it.
    Account(String),
    /// Failed sign-ins and pairing attempts from one network.
    Client(Net),
    /// Failed pairing attempts from everywhere.
    Pairing,
    /// Sign-ups from one network.
    SignUp(Net),
    /// E-receipt pages opened from one network (never given back: generous, for a shop's Wi-Fi).
    ReceiptView(Net),
    /// E-receipt links from one network that led nowhere (a found one gives its place back).
    ReceiptMiss(Net),
}

impl Key {
    /// How many attempts the key may have within its window.
    fn limit(&self) -> usize {
        match self {
            Key::SignIn(..) => PER_EMAIL,
            Key::Account(_) => PER_ACCOUNT,
            Key::Client(_) => PER_IP,
            Key::Pairing => PAIRING_BUDGET,
            Key::SignUp(_) => SIGN_UPS,
            Key::ReceiptView(_) => RECEIPT_VIEWS,
            Key::ReceiptMiss(_) => RECEIPT_MISSES,
        }
    }

    /// How long an attempt counts against the key.
    fn window(&self) -> Duration {
        match self {
            Key::SignUp(_) => SIGN_UP_WINDOW,
            Key::ReceiptView(_) => RECEIPT_VIEW_WINDOW,
            _ => WINDOW,
        }
    }
}

/// Recent attempts by key, and the networks known to each account.
#[derive(Debug, Default)]
pub struct Limiter {
    attempts: Mutex<HashMap<Key, VecDeque<Instant>>>,
    known: Mutex<HashMap<(String, Net), Instant>>,
}

/// An attempt counted against its keys; dropped, it stays counted (a failure), unless given
/// back with [`Attempt::release`].
#[derive(Debug)]
#[must_use = "an attempt stays counted unless released"]
pub struct Attempt<'a> {
    limiter: &'a Limiter,
    keys: Vec<Key>,
    at: Instant,
}

impl Attempt<'_> {
    /// Gives the attempt back: it succeeded, or was never judged.
    pub fn release(self) {
        let mut attempts = self.limiter.lock();
        for key in &self.keys {
            if let Some(times) = attempts.get_mut(key)
                && let Some(index) = times.iter().rposition(|at| *at == self.at)
            {
                times.remove(index);
            }
        }
    }
}

impl Limiter {
    /// The attempts, even if a thread panicked while holding them (they stay consistent).
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, VecDeque<Instant>>> {
        self.attempts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an attempt against each of `keys`, or fails with [`Error::TooMany`] (seconds to
    /// wait) when any of them has used up its attempts, counting none.
    pub fn reserve(&self, keys: &[Key]) -> Result<Attempt<'_>> {
        let now = Instant::now();
        let mut attempts = self.lock();
        if attempts.len() > SWEEP_ABOVE {
            attempts.retain(|key, times| {
                forget_old(times, now, key.window());
                !times.is_empty()
            });
        }
        let mut wait = Duration::ZERO;
        for key in keys {
            let Some(times) = attempts.get_mut(key) else { continue };
            forget_old(times, now, key.window());
            if times.len() >= key.limit() {
                // The oldest of the last `limit` attempts leaving the window frees one.
                let oldest = times[times.len() - key.limit()];
                wait = wait.max(key.window().saturating_sub(now.duration_since(oldest)));
            }
        }
        if !wait.is_zero() {
            return Err(Error::TooMany(wait.as_secs().max(1)));
        }
        for key in keys {
            attempts.entry(key.clone()).or_default().push_back(now);
        }
        Ok(Attempt { limiter: self, keys: keys.to_vec(), at: now })
    }

    /// Forgets the attempts of `key` (a successful sign-in clears its e-mail address's).
    pub fn clear(&self, key: &Key) {
        self.lock().remove(key);
    }

    /// Remembers that `net` signed in to the account of `email`.
    pub fn know(&self, email: &str, net: Net) {
        let now = Instant::now();
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() > SWEEP_ABOVE {
            known.retain(|_, at| now.duration_since(*at) < KNOWN_FOR);
        }
        known.insert((email.to_owned(), net), now);
    }

    /// The keys a sign-in to `email` from `net` is counted against.
    pub fn sign_in_keys(&self, email: &str, net: Net) -> Vec<Key> {
        let known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        let is_known =
            known.get(&(email.to_owned(), net)).is_some_and(|at| at.elapsed() < KNOWN_FOR);
        let mut keys = vec![Key::SignIn(email.to_owned(), net), Key::Client(net)];
        if !is_known {
            keys.push(Key::Account(email.to_owned()));
        }
        keys
    }
}

/// Drops the attempts that have left the window.
fn forget_old(times: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while times.front().is_some_and(|at| now.duration_since(*at) >= window) {
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

impl ClientIp {
    /// The client's network, which limits are keyed by.
    pub fn net(self) -> Net {
        Net::of(self.0)
    }
}

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

    fn net(last: u8) -> Net {
        Net::of(IpAddr::from([127, 0, 0, last]))
    }

    #[test]
    fn five_failures_lock_an_address_from_one_network_until_cleared() {
        let limiter = Limiter::default();
        let keys = limiter.sign_in_keys("a@example.com", net(1));
        for _ in 0..PER_EMAIL {
            drop(limiter.reserve(&keys).unwrap());
        }
        match limiter.reserve(&keys) {
            Err(Error::TooMany(seconds)) => assert!((899..=900).contains(&seconds)),
            other => panic!("expected TooMany, got {other:?}"),
        }
        // The same address from another network, and another address, are still allowed.
        limiter.reserve(&limiter.sign_in_keys("a@example.com", net(2))).unwrap().release();
        limiter.reserve(&limiter.sign_in_keys("b@example.com", net(1))).unwrap().release();
        limiter.clear(&keys[0]);
        limiter.reserve(&keys).unwrap().release();
    }

    #[test]
    fn a_released_attempt_does_not_count() {
        let limiter = Limiter::default();
        for _ in 0..PER_IP * 2 {
            limiter.reserve(&[Key::Client(net(1))]).unwrap().release();
        }
        limiter.reserve(&[Key::Client(net(1))]).unwrap().release();
    }

    #[test]
    fn a_known_network_skips_the_account_wide_limit() {
        let limiter = Limiter::default();
        for n in 0..PER_ACCOUNT as u8 / PER_EMAIL as u8 {
            for _ in 0..PER_EMAIL {
                drop(limiter.reserve(&limiter.sign_in_keys("a@example.com", net(10 + n))).unwrap());
            }
        }
        let owner = limiter.sign_in_keys("a@example.com", net(2));
        assert!(matches!(limiter.reserve(&owner), Err(Error::TooMany(_))));
        limiter.know("a@example.com", net(2));
        limiter.reserve(&limiter.sign_in_keys("a@example.com", net(2))).unwrap().release();
    }

    #[test]
    fn a_client_is_limited_across_addresses() {
        let limiter = Limiter::default();
        for n in 0..PER_IP {
            drop(limiter.reserve(&limiter.sign_in_keys(&format!("{n}@example.com"), net(1))));
        }
        assert!(matches!(limiter.reserve(&[Key::Client(net(1))]), Err(Error::TooMany(_))));
        limiter.reserve(&[Key::Client(net(2))]).unwrap().release();
    }

    #[test]
    fn receipt_views_are_counted_over_ten_minutes_and_misses_over_fifteen() {
        let limiter = Limiter::default();
        for _ in 0..RECEIPT_MISSES {
            drop(limiter.reserve(&[Key::ReceiptMiss(net(1))]).unwrap());
        }
        match limiter.reserve(&[Key::ReceiptMiss(net(1))]) {
            Err(Error::TooMany(seconds)) => assert!((899..=900).contains(&seconds)),
            other => panic!("expected TooMany, got {other:?}"),
        }
        for _ in 0..RECEIPT_VIEWS {
            drop(limiter.reserve(&[Key::ReceiptView(net(1))]).unwrap());
        }
        match limiter.reserve(&[Key::ReceiptView(net(1))]) {
            Err(Error::TooMany(seconds)) => assert!((599..=600).contains(&seconds)),
            other => panic!("expected TooMany, got {other:?}"),
        }
        limiter.reserve(&[Key::ReceiptView(net(2)), Key::ReceiptMiss(net(2))]).unwrap().release();
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(Net::of(a), Net::of(b));
        assert_ne!(Net::of(a), Net::of(c));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(Net::of(mapped), Net::of(IpAddr::from([10, 0, 0, 1])));
    }
}
