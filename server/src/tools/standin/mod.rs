//! A stand-in for PayPay's Open Payment API, for demos and tests: the endpoints Akinai calls,
//! each request's signature checked as PayPay does, state kept in memory, a customer's page to
//! pay or decline a shown code, and switches (`/control`) that make it slow, failing or
//! ambiguous. `akinai stand-in paypay` serves it; tests start it in-process with [`spawn`].

mod api;
pub mod book;
mod page;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::Router;
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;

use book::{Book, CodeView};

/// The demo API key: the stand-in's default, and what `akinai serve --paypay-stand-in` uses.
pub const DEMO_API_KEY: &str = "akinai-demo-key";
/// The demo API secret.
pub const DEMO_API_SECRET: &str = "akinai-demo-secret";
/// The demo merchant id.
pub const DEMO_MERCHANT_ID: &str = "akinai-demo-merchant";
/// How long a code stays payable unless told otherwise.
pub const DEFAULT_CODE_TTL: Duration = Duration::from_secs(300);

/// How the stand-in is set up.
#[derive(Debug, Clone)]
pub struct StandInConfig {
    /// The one API key it accepts.
    pub api_key: String,
    /// That key's secret.
    pub api_secret: String,
    /// When set, a request naming another merchant (`X-ASSUME-MERCHANT`, `?assumeMerchant=`)
    /// is refused; one naming none is served.
    pub merchant_id: Option<String>,
    /// How long a code stays payable.
    pub code_ttl: Duration,
    /// Where customers reach the stand-in (the codes' `url` start with it); by default
    /// `http://` and the listening address.
    pub public_url: Option<String>,
}

impl Default for StandInConfig {
    fn default() -> StandInConfig {
        StandInConfig {
            api_key: DEMO_API_KEY.to_owned(),
            api_secret: DEMO_API_SECRET.to_owned(),
            merchant_id: Some(DEMO_MERCHANT_ID.to_owned()),
            code_ttl: DEFAULT_CODE_TTL,
            public_url: None,
        }
    }
}

/// A forced failure of every API request, answered before any work is done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fail {
    /// Answer normally.
    #[default]
    None,
    /// 500 TRANSACTION_FAILED: definitely not done.
    TransactionFailed,
    /// 500 INTERNAL_SERVER_ERROR, nothing done (the caller cannot know that).
    InternalError,
    /// 503 MAINTENANCE_MODE.
    Maintenance,
    /// 502 from a proxy, not an OPA envelope.
    BadGateway,
}

/// An operation that can be made ambiguous: done, but answered 500 INTERNAL_SERVER_ERROR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// `POST /v2/codes` and `POST /v2/payments`.
    Create,
    /// `GET /v2/codes/payments/{id}` and `GET /v2/payments/{id}`.
    Status,
    /// `DELETE /v2/payments/{id}`.
    Cancel,
    /// `POST /v2/refunds`.
    Refund,
}

/// The switches `/control` sets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Switches {
    /// Wait this long before answering each API request, in milliseconds.
    #[serde(default)]
    pub slow_ms: u64,
    /// Fail every API request so.
    #[serde(default)]
    pub fail: Fail,
    /// Fail only this many requests, then answer normally; unset, `fail` holds until changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_times: Option<u32>,
    /// These operations do their work, then answer 500 INTERNAL_SERVER_ERROR.
    #[serde(default)]
    pub ambiguous: BTreeSet<Op>,
}

/// The stand-in's state, shared by its handlers and whoever started it.
#[derive(Debug)]
pub struct Control {
    config: StandInConfig,
    /// The codes' `url` start with this.
    base: String,
    switches: Mutex<Switches>,
    book: Mutex<Book>,
}

/// The time now in epoch milliseconds.
fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Control {
    /// The switches now.
    pub fn switches(&self) -> Switches {
        self.switches.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The switches for one API request: a counted failure is used up by it.
    pub fn take(&self) -> Switches {
        let mut switches = self.switches.lock().unwrap_or_else(PoisonError::into_inner);
        let now = switches.clone();
        let Some(left) = switches.fail_times else { return now };
        if left > 1 {
            switches.fail_times = Some(left - 1);
        } else {
            switches.fail = Fail::None;
            switches.fail_times = None;
        }
        if left == 0 { Switches { fail: Fail::None, ..now } } else { now }
    }

    /// Sets every switch.
    pub fn set(&self, switches: Switches) {
        *self.switches.lock().unwrap_or_else(PoisonError::into_inner) = switches;
    }

    /// Every code, oldest first.
    pub fn codes(&self) -> Vec<CodeView> {
        self.book().codes(now_ms())
    }

    /// The memory, locked (never across an await).
    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running stand-in.
#[derive(Debug, Clone)]
pub struct StandIn {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its switches and memory.
    pub control: Arc<Control>,
}

impl StandIn {
    /// `http://` and its address: the base URL the shop's server is given.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Serves a stand-in on `listener` in a background task.
pub async fn spawn(listener: TcpListener, config: StandInConfig) -> std::io::Result<StandIn> {
    let addr = listener.local_addr()?;
    let base = config.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let control = Arc::new(Control {
        config,
        base: base.trim_end_matches('/').to_owned(),
        switches: Mutex::default(),
        book: Mutex::default(),
    });
    let app = router(control.clone());
    tokio::spawn(async move {
        if let Err(err) = axum::serve(listener, app).await {
            tracing::error!(error = %err, "the PayPay stand-in stopped");
        }
    });
    Ok(StandIn { addr, control })
}

/// The API under /v2 and the pages.
fn router(control: Arc<Control>) -> Router {
    api::router(control.clone()).merge(page::router(control))
}
