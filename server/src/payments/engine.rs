//! The payments engine: each live payment (and refund) has one task that talks to the provider
//! and writes every step to the database, and a `watch` channel that wakes the register's
//! long-poll as soon as the state changes.
//!
//! Rules (plan §3 Part B, from PayPay's documents): a payment's row is written **before** the
//! provider is called, so a restart ([`Engine::resume`]) finds every payment that may have
//! reached it; a call whose outcome is unknown is followed by a status request, never by a
//! blind retry; a payment whose fate stays unknown is cancelled (which turns a later payment
//! into a failure), until 00:14:59 the next day, after which it is left `unknown` for the owner.
//! A completed payment is never given up by the server itself: the sale may be sitting on an
//! offline register.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use akinai_core::api::{
    ErrorCode, PaymentMode, PaymentStart, PaymentState, ProviderEnv, ProviderInfo, ProviderSetup,
    RefundStart, RefundState,
};
use akinai_core::shop::ShopSettings;
use akinai_core::{TOKYO, Yen};
use chrono::{DateTime, Days, NaiveTime, Utc};
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::db::database::Db;
use crate::db::store_data::put_qr_provider;
use crate::error::{Error, Result};
use crate::http::auth::DeviceAuth;
use crate::http::input::invalid;
use crate::payments::AnyProvider;
use crate::payments::paypay::client::{self, PayPay, PayPayAccount};
use crate::payments::paypay::wire;
use crate::payments::provider::{
    ChargeRequest, CodeRequest, Outcome, PayStatus, Provider, ProviderStatus, RefundRequest,
    RefundStatus, Timeouts,
};
use crate::payments::secrets::Sealer;
use crate::payments::store::{self, PaymentRow, ProviderRow, RefundRow, Step, word};

/// The one provider there is so far.
pub const PAYPAY: &str = "paypay";
/// Unanswered status requests before a payment of unknown fate is cancelled.
const MAX_UNANSWERED: i64 = 5;
/// Where the system's trusted roots usually are (Debian, Ubuntu, Alpine).
pub const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// A live payment's or refund's channel: its state's word, and a nudge for its task.
#[derive(Clone, Debug)]
struct Live {
    /// The state as last written.
    state: watch::Sender<String>,
    /// Wakes the task before its next poll (the register gave the payment up).
    wake: Arc<Notify>,
    /// A register's long-poll is waiting on it (one at a time).
    polled: Arc<AtomicBool>,
}

impl Live {
    /// A channel starting at `state`.
    fn new(state: &str) -> Live {
        Live {
            state: watch::Sender::new(state.to_owned()),
            wake: Arc::new(Notify::new()),
            polled: Arc::default(),
        }
    }
}

/// What the tasks share.
#[derive(Debug)]
struct Shared {
    /// The database.
    db: Db,
    /// Opens the providers' secrets.
    sealer: Sealer,
    /// The HTTP client for every provider.
    http: reqwest::Client,
    /// Call and poll times.
    timeouts: Timeouts,
    /// Live payments and refunds by id.
    live: Mutex<HashMap<Uuid, Live>>,
}

/// The payments engine; dropping it stops its tasks (a restart resumes them from the rows).
#[derive(Debug)]
pub struct Engine {
    /// What the tasks share.
    shared: Arc<Shared>,
    /// The tasks.
    tasks: Mutex<JoinSet<()>>,
    /// Owners may point a store at a stand-in (any address the server then calls).
    stand_ins: bool,
}

/// An HTTP client trusting the roots in `ca_file`, or the system's when none is given (none at
/// all when the system has no bundle: then only plain-HTTP stand-ins can be reached).
pub fn http_client(ca_file: Option<&Path>) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder().use_rustls_tls();
    let file = ca_file.unwrap_or(Path::new(SYSTEM_ROOTS));
    match std::fs::read(file) {
        Ok(pem) => {
            let roots = reqwest::Certificate::from_pem_bundle(&pem)
                .map_err(|err| Error::Internal(format!("{}: {err}", file.display())))?;
            for root in roots {
                builder = builder.add_root_certificate(root);
            }
        }
        Err(err) if ca_file.is_some() => {
            return Err(Error::Internal(format!("reading {}: {err}", file.display())));
        }
        Err(_) => {
            tracing::warn!(file = %file.display(), "no trusted roots: HTTPS providers unreachable")
        }
    }
    builder.build().map_err(|err| Error::Internal(err.to_string()))
}

/// The last moment a payment made at `at` can be cancelled: 00:14:59 (Tokyo) the next day.
pub fn cancel_deadline(at: DateTime<Utc>) -> DateTime<Utc> {
    let next = at.with_timezone(&TOKYO).date_naive().checked_add_days(Days::new(1));
    let time = NaiveTime::from_hms_opt(0, 14, 59).unwrap_or_default();
    next.and_then(|day| day.and_time(time).and_local_timezone(TOKYO).single())
        .map_or(at, |deadline| deadline.with_timezone(&Utc))
}

impl Engine {
    /// An engine over `db`; nothing runs until a payment starts or [`Engine::resume`].
    pub fn new(db: Db, sealer: Sealer, http: reqwest::Client, timeouts: Timeouts) -> Engine {
        let live = Mutex::default();
        Engine {
            shared: Arc::new(Shared { db, sealer, http, timeouts, live }),
            tasks: Mutex::default(),
            stand_ins: true,
        }
    }

    /// The same engine, taking stores' stand-in addresses only when `allowed` (`akinai serve`
    /// allows them only with `--paypay-stand-in`: otherwise an owner could have the server call
    /// any address it reaches).
    pub fn stand_ins(self, allowed: bool) -> Engine {
        Engine { stand_ins: allowed, ..self }
    }

    /// Takes up every payment and refund a previous run left unfinished; how many.
    pub async fn resume(&self) -> Result<usize> {
        let payments = store::live_payments(&self.shared.db).await?;
        let refunds = store::live_refunds(&self.shared.db).await?;
        let count = payments.len() + refunds.len();
        for (id, state) in payments {
            self.spawn_payment(id, state, None);
        }
        for id in refunds {
            self.spawn_refund(id, false);
        }
        Ok(count)
    }

    /// The live entry of `id`, made if there is none; true when made (a task is to be spawned).
    fn enter(&self, id: Uuid, state: &str) -> (Live, bool) {
        let mut live = self.shared.live.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = live.get(&id) {
            return (found.clone(), false);
        }
        let entry = Live::new(state);
        live.insert(id, entry.clone());
        (entry, true)
    }

    /// Runs `task` beside the others (finished ones are cleared on the way).
    fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        let mut tasks = self.tasks.lock().unwrap_or_else(PoisonError::into_inner);
        while tasks.try_join_next().is_some() {}
        tasks.spawn(task);
    }

    /// Starts (or nudges) the task of payment `id`, now in `state`; `customer_code` is the scanned code of a
    /// customer-presented payment, held only in memory.
    fn spawn_payment(&self, id: Uuid, state: PaymentState, customer_code: Option<String>) {
        let (live, new) = self.enter(id, &word(&state));
        if !new {
            live.wake.notify_one();
            return;
        }
        let shared = Arc::clone(&self.shared);
        self.spawn(async move {
            if let Err(err) = shared.run_payment(id, &live, customer_code).await {
                tracing::error!(error = %err, payment = %id, "payment task stopped");
            }
            shared.leave(id);
        });
    }

    /// Starts the task of refund `id`; `fresh` when it was never sent.
    fn spawn_refund(&self, id: Uuid, fresh: bool) {
        let (live, new) = self.enter(id, &word(&RefundState::Pending));
        if !new {
            return;
        }
        let shared = Arc::clone(&self.shared);
        self.spawn(async move {
            if let Err(err) = shared.run_refund(id, &live, fresh).await {
                tracing::error!(error = %err, refund = %id, "refund task stopped");
            }
            shared.leave(id);
        });
    }

    /// Waits up to `max` for the state of `id` to be other than `from` (at once when nothing
    /// is live for it).
    pub async fn settle(&self, id: Uuid, from: &str, max: Duration) {
        if let Some(live) = self.live(id) {
            wait_for_change(&live, from, max).await;
        }
    }

    /// [`Engine::settle`] for a register's long-poll: one waits per payment at a time; another
    /// is answered at once.
    pub async fn long_poll(&self, id: Uuid, from: &str, max: Duration) {
        let Some(live) = self.live(id) else { return };
        if live.polled.swap(true, Ordering::AcqRel) {
            return;
        }
        wait_for_change(&live, from, max).await;
        live.polled.store(false, Ordering::Release);
    }

    /// The live channel of `id`, if its task runs.
    fn live(&self, id: Uuid) -> Option<Live> {
        self.shared.live.lock().unwrap_or_else(PoisonError::into_inner).get(&id).cloned()
    }

    /// Starts a payment for `device` (or answers the one with the same id and body): the row,
    /// and true when it is new.
    pub async fn start(
        &self,
        device: &DeviceAuth,
        start: &PaymentStart,
    ) -> Result<(PaymentRow, bool)> {
        if start.amount <= Yen::ZERO {
            return Err(invalid("amount", "a payment is more than ¥0"));
        }
        let code = start.customer_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if start.mode == PaymentMode::CustomerCode
            && !code.is_some_and(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(invalid("customer_code", "the scanned code (up to 64 characters)"));
        }
        if let Some(row) = self.existing(device, start).await? {
            return Ok((row, false));
        }
        // Refused before anything is kept: nothing reached a provider.
        self.shared.provider(&device.store_id).await?;
        let row = PaymentRow::new(&device.store_id, &device.device_id, start);
        if let Err(err) = store::insert_payment(&self.shared.db, &row, PAYPAY).await {
            // The same start twice at once: the other one kept it.
            return match self.existing(device, start).await? {
                Some(row) => Ok((row, false)),
                None => Err(err),
            };
        }
        self.spawn_payment(row.id, row.state, code.map(str::to_owned));
        Ok((row, true))
    }

    /// The payment with `start`'s id, when there is one: the same start, or a mismatch.
    async fn existing(
        &self,
        device: &DeviceAuth,
        start: &PaymentStart,
    ) -> Result<Option<PaymentRow>> {
        let Some(row) = store::payment(&self.shared.db, start.id).await? else { return Ok(None) };
        let same = row.store_id == device.store_id
            && row.amount == start.amount
            && row.mode == start.mode
            && row.sale_id_hint == start.sale_id.to_string();
        if same { Ok(Some(row)) } else { Err(Error::Payment(ErrorCode::PaymentMismatch)) }
    }

    /// The store's payment `id`.
    pub async fn payment(&self, store_id: &str, id: Uuid) -> Result<PaymentRow> {
        store::payment(&self.shared.db, id)
            .await?
            .filter(|row| row.store_id == store_id)
            .ok_or(Error::NotFound)
    }

    /// The store's payments (only those completed and used by no sale when `unbound`).
    pub async fn payments(&self, store_id: &str, unbound: bool) -> Result<Vec<PaymentRow>> {
        store::payments_of(&self.shared.db, store_id, unbound).await
    }

    /// The register gives payment `id` up: a shown code is deleted (if it turns out paid, the
    /// payment stays completed and says so), a completed one unused by any sale is cancelled.
    pub async fn abandon(&self, store_id: &str, id: Uuid) -> Result<PaymentRow> {
        let row = self.payment(store_id, id).await?;
        if row.sale_id.is_some() {
            return Err(Error::Payment(ErrorCode::PaymentUsed));
        }
        let state = match row.state {
            PaymentState::Creating | PaymentState::Pending | PaymentState::Cancelling => {
                let step = Step { abandon: Some(true), ..Step::default() };
                store::write_step(&self.shared.db, id, &step).await?;
                row.state
            }
            // Only while no sale has used it (sync binds under its own lock).
            PaymentState::Completed if store::start_cancel(&self.shared.db, id).await? => {
                PaymentState::Cancelling
            }
            PaymentState::Completed => return Err(Error::Payment(ErrorCode::PaymentUsed)),
            _ => return Ok(row),
        };
        self.spawn_payment(id, state, None);
        self.payment(store_id, id).await
    }

    /// Refunds (part of) the store's completed payment: one refund per payment.
    pub async fn refund(
        &self,
        store_id: &str,
        payment_id: Uuid,
        start: &RefundStart,
    ) -> Result<RefundRow> {
        let payment = self.payment(store_id, payment_id).await?;
        if let Some(found) = store::refund(&self.shared.db, start.refund_id).await? {
            let same = found.payment_id == payment_id && found.amount == start.amount;
            return if same { Ok(found) } else { Err(Error::Payment(ErrorCode::PaymentMismatch)) };
        }
        if payment.state != PaymentState::Completed {
            return Err(Error::Payment(ErrorCode::PaymentUnconfirmed));
        }
        if start.amount <= Yen::ZERO || start.amount > payment.amount {
            return Err(invalid("amount", "more than ¥0 and at most the payment"));
        }
        let earlier = store::refunds_of(&self.shared.db, payment_id).await?;
        // A failed refund did nothing; any other counts as the payment's one refund.
        if earlier.iter().any(|r| r.state != RefundState::Failed) {
            return Err(Error::Payment(ErrorCode::ProviderRefundLimit));
        }
        self.shared.provider(store_id).await?;
        let row = RefundRow {
            id: start.refund_id,
            payment_id,
            store_id: store_id.to_owned(),
            amount: start.amount,
            state: RefundState::Pending,
            last_code: None,
            error: None,
        };
        store::insert_refund(&self.shared.db, &row).await?;
        self.spawn_refund(row.id, true);
        Ok(row)
    }

    /// The store's refund `refund_id` of payment `payment_id`.
    pub async fn refund_of(
        &self,
        store_id: &str,
        payment_id: Uuid,
        refund_id: Uuid,
    ) -> Result<RefundRow> {
        store::refund(&self.shared.db, refund_id)
            .await?
            .filter(|row| row.store_id == store_id && row.payment_id == payment_id)
            .ok_or(Error::NotFound)
    }

    /// What the owner sees of the store's PayPay account: never the secret.
    pub async fn provider_info(&self, store_id: &str) -> Result<ProviderInfo> {
        let row = store::provider_row(&self.shared.db, store_id, PAYPAY).await?;
        let opens = row.as_ref().is_some_and(|row| self.shared.open_secret(store_id, row).is_ok());
        Ok(match row {
            Some(row) => ProviderInfo {
                provider: PAYPAY.to_owned(),
                configured: opens,
                environment: row.environment,
                api_key_hint: row
                    .api_key
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect(),
                merchant_id: row.merchant_id,
            },
            None => ProviderInfo {
                provider: PAYPAY.to_owned(),
                configured: false,
                environment: ProviderEnv::Production,
                api_key_hint: String::new(),
                merchant_id: None,
            },
        })
    }

    /// Sets (`Some`) or removes the store's PayPay account; tablets learn of it through the
    /// store's changes.
    pub async fn set_provider(
        &self,
        store_id: &str,
        setup: Option<&ProviderSetup>,
    ) -> Result<ProviderInfo> {
        let row = setup.map(|setup| self.provider_row(store_id, setup)).transpose()?;
        let (_turn, mut tx) = self.shared.db.begin_write().await?;
        if store::put_provider(&mut tx, store_id, PAYPAY, row.as_ref()).await? {
            // The registers offer QR by API when their payment settings name the provider; the
            // change moves the store's version on so they pull it.
            put_qr_provider(&mut tx, store_id, row.as_ref().map(|_| PAYPAY)).await?;
        }
        tx.commit().await?;
        self.provider_info(store_id).await
    }

    /// The row `setup` makes, checked, its secret sealed.
    fn provider_row(&self, store_id: &str, setup: &ProviderSetup) -> Result<ProviderRow> {
        let printable = |text: &str, max: usize| {
            !text.is_empty() && text.len() <= max && text.bytes().all(|b| b.is_ascii_graphic())
        };
        if !printable(&setup.api_key, 128) {
            return Err(invalid("api_key", "1 to 128 printable ASCII characters"));
        }
        if !printable(&setup.api_secret, 256) {
            return Err(invalid("api_secret", "1 to 256 printable ASCII characters"));
        }
        let merchant_id = setup.merchant_id.as_deref().map(str::trim).filter(|m| !m.is_empty());
        if merchant_id.is_some_and(|m| !printable(m, 64)) {
            return Err(invalid("merchant_id", "up to 64 printable ASCII characters"));
        }
        let base_url = match setup.environment {
            ProviderEnv::StandIn if !self.stand_ins => {
                return Err(invalid("environment", "this server takes no stand-in"));
            }
            ProviderEnv::StandIn => {
                let url = setup.base_url.as_deref().unwrap_or_default().trim_end_matches('/');
                let parsed = url::Url::parse(url).ok();
                if !parsed
                    .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                {
                    return Err(invalid("base_url", "the stand-in's http(s) address"));
                }
                Some(url.to_owned())
            }
            // The real hosts are fixed: a stored address could send secrets elsewhere.
            ProviderEnv::Production | ProviderEnv::Sandbox => None,
        };
        Ok(ProviderRow {
            environment: setup.environment,
            base_url,
            api_key: setup.api_key.clone(),
            merchant_id: merchant_id.map(str::to_owned),
            secret_sealed: self.shared.sealer.seal(&secret_context(store_id), &setup.api_secret)?,
        })
    }
}

/// What a store's sealed secret is bound to.
fn secret_context(store_id: &str) -> String {
    format!("{store_id}|{PAYPAY}")
}

/// Waits up to `max` for `live`'s state to be other than `from`.
async fn wait_for_change(live: &Live, from: &str, max: Duration) {
    let mut receiver = live.state.subscribe();
    // A closed channel means the task ended: the row says the rest.
    let _ = tokio::time::timeout(max, receiver.wait_for(|state| state != from)).await;
}

/// What comes after a step: go on at once, or wait (for the poll, or `n` polls).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Then {
    /// Look again at once.
    Now,
    /// Wait this many polls (or a nudge).
    Wait(u32),
}

impl Shared {
    /// Drops the live entry of `id` (its task ended).
    fn leave(&self, id: Uuid) {
        self.live.lock().unwrap_or_else(PoisonError::into_inner).remove(&id);
    }

    /// The secret of a store's account.
    fn open_secret(&self, store_id: &str, row: &ProviderRow) -> Result<String> {
        self.sealer
            .open(&secret_context(store_id), &row.secret_sealed)
            .ok_or(Error::Payment(ErrorCode::SecretsLocked))
    }

    /// The store's provider, ready to call.
    async fn provider(&self, store_id: &str) -> Result<AnyProvider> {
        let row = store::provider_row(&self.db, store_id, PAYPAY)
            .await?
            .ok_or(Error::Payment(ErrorCode::ProviderNotConfigured))?;
        let api_secret = self.open_secret(store_id, &row)?;
        let base_url = match row.environment {
            ProviderEnv::Production => client::PRODUCTION.to_owned(),
            ProviderEnv::Sandbox => client::SANDBOX.to_owned(),
            ProviderEnv::StandIn => row.base_url.clone().unwrap_or_default(),
        };
        Ok(AnyProvider::PayPay(PayPay::new(
            self.http.clone(),
            PayPayAccount {
                base_url,
                api_key: row.api_key,
                api_secret,
                merchant_id: row.merchant_id,
            },
            self.timeouts,
        )))
    }

    /// The store's name, as the customer's app shows it.
    async fn store_name(&self, store_id: &str) -> Result<String> {
        let settings: String = sqlx::query_scalar("SELECT settings FROM store WHERE id = $1")
            .bind(store_id)
            .fetch_one(&self.db.pool)
            .await?;
        Ok(serde_json::from_str::<ShopSettings>(&settings)?.name)
    }

    /// Drives payment `id` until it is final (or the engine stops).
    async fn run_payment(&self, id: Uuid, live: &Live, mut code: Option<String>) -> Result<()> {
        loop {
            let Some(row) = store::payment(&self.db, id).await? else { return Ok(()) };
            live.state.send_replace(word(&row.state));
            if store::is_final(row.state) {
                return Ok(());
            }
            let provider = match self.provider(&row.store_id).await {
                Ok(provider) => provider,
                Err(Error::Payment(code)) => {
                    // No account (removed meanwhile) or a locked secret: a payment never sent
                    // fails; one that was sent waits for the next start.
                    if row.state == PaymentState::Creating && row.attempts == 0 {
                        let step = failed(code, None);
                        store::write_step(&self.db, id, &step).await?;
                        continue;
                    }
                    tracing::warn!(payment = %id, ?code, "payment left for the next start");
                    return Ok(());
                }
                Err(err) => return Err(err),
            };
            let (step, then) = match row.state {
                PaymentState::Creating if row.attempts == 0 => {
                    // Counted before the call: should the process die during it, the next
                    // start asks the status instead of calling again.
                    let counted = Step { attempts: Some(1), ..Step::default() };
                    store::write_step(&self.db, id, &counted).await?;
                    self.first_call(&provider, &row, code.take()).await?
                }
                PaymentState::Creating => resolve(&provider, &row).await,
                PaymentState::Pending => pending(&provider, &row).await,
                _ => match cancel(&provider, &row).await {
                    Some(next) => next,
                    None => self.refund_instead(&row).await?,
                },
            };
            store::write_step(&self.db, id, &step).await?;
            if let Some(state) = step.state {
                live.state.send_replace(word(&state));
            }
            if let Then::Wait(polls) = then {
                let pause = self.timeouts.poll * polls;
                tokio::select! {
                    () = tokio::time::sleep(pause) => {}
                    () = live.wake.notified() => {}
                }
            }
        }
    }

    /// The first call for a new payment: make the code, or charge the customer's.
    async fn first_call(
        &self,
        provider: &AnyProvider,
        row: &PaymentRow,
        code: Option<String>,
    ) -> Result<(Step, Then)> {
        let mpid = row.id.to_string();
        Ok(match row.mode {
            PaymentMode::ShopQr => {
                let request = CodeRequest {
                    merchant_payment_id: mpid,
                    amount: row.amount.get(),
                    description: self.store_name(&row.store_id).await?,
                    store_id: row.store_id.clone(),
                    terminal_id: row.device_id.clone(),
                };
                match provider.create_code(&request).await {
                    Outcome::Done(code) => (
                        Step {
                            state: Some(PaymentState::Pending),
                            code: Some((code.code_id, code.url, code.expires_at)),
                            attempts: Some(0),
                            ..Step::default()
                        },
                        Then::Wait(1),
                    ),
                    // A reused id: what became of the first one is the answer.
                    Outcome::Refused { code, .. }
                        if code == wire::DUPLICATE_DYNAMIC_QR_REQUEST.code =>
                    {
                        (Step { last_code: Some(code), ..Step::default() }, Then::Now)
                    }
                    Outcome::Refused { code, .. } => {
                        (failed(ErrorCode::ProviderRefused, Some(code)), Then::Now)
                    }
                    Outcome::Unknown(why) => {
                        tracing::warn!(payment = %row.id, why, "code creation unanswered");
                        (Step::default(), Then::Wait(1))
                    }
                }
            }
            PaymentMode::CustomerCode => {
                // The scanned code lives only in memory: after a restart it is gone, and a
                // payment never sent fails safely.
                let Some(customer_code) = code else {
                    return Ok((failed(ErrorCode::ProviderUnavailable, None), Then::Now));
                };
                let request = ChargeRequest {
                    merchant_payment_id: mpid,
                    amount: row.amount.get(),
                    customer_code,
                    store_id: row.store_id.clone(),
                    terminal_id: row.device_id.clone(),
                };
                match provider.charge_code(&request).await {
                    Outcome::Done(status) => status_step(&status, PaymentState::Pending),
                    Outcome::Refused { code, .. } => {
                        (failed(ErrorCode::ProviderRefused, Some(code)), Then::Now)
                    }
                    Outcome::Unknown(why) => {
                        tracing::warn!(payment = %row.id, why, "charge unanswered");
                        (Step::default(), Then::Wait(1))
                    }
                }
            }
        })
    }

    /// Gives a paid payment up when it can no longer be cancelled: refunded whole (or by the
    /// refund it already has, when that was all of it) it is `cancelled`, else `unknown`.
    async fn refund_instead(&self, row: &PaymentRow) -> Result<(Step, Then)> {
        let earlier = store::refunds_of(&self.db, row.id).await?;
        let refund = match earlier.into_iter().find(|r| r.state != RefundState::Failed) {
            Some(refund) => refund,
            None => {
                let refund = RefundRow {
                    id: Uuid::now_v7(),
                    payment_id: row.id,
                    store_id: row.store_id.clone(),
                    amount: row.amount,
                    state: RefundState::Pending,
                    last_code: None,
                    error: None,
                };
                // Kept first like every refund: a restart finds it and asks its status.
                store::insert_refund(&self.db, &refund).await?;
                self.run_refund(refund.id, &Live::new(&word(&refund.state)), true).await?;
                store::refund(&self.db, refund.id).await?.unwrap_or(refund)
            }
        };
        let (state, error) = match refund.state {
            RefundState::Accepted if refund.amount == row.amount => (PaymentState::Cancelled, None),
            RefundState::Accepted => (PaymentState::Unknown, Some(ErrorCode::ProviderRefundLimit)),
            RefundState::Failed => {
                (PaymentState::Unknown, Some(refund.error.unwrap_or(ErrorCode::ProviderRefused)))
            }
            RefundState::Pending | RefundState::Unknown => {
                (PaymentState::Unknown, Some(ErrorCode::ProviderUnavailable))
            }
        };
        let last_code = Some(wire::ORDER_NOT_REVERSIBLE.code.to_owned());
        Ok((Step { state: Some(state), error, last_code, ..Step::default() }, Then::Now))
    }

    /// Drives refund `id` until the provider's answer is known (or the engine stops).
    async fn run_refund(&self, id: Uuid, live: &Live, mut post: bool) -> Result<()> {
        let mut unanswered: i64 = 0;
        loop {
            let Some(row) = store::refund(&self.db, id).await? else { return Ok(()) };
            live.state.send_replace(word(&row.state));
            if row.state != RefundState::Pending {
                return Ok(());
            }
            let payment = store::payment(&self.db, row.payment_id).await?;
            let Some(payment_id) = payment.and_then(|p| p.provider_payment_id) else {
                let error = Some(ErrorCode::PaymentUnconfirmed);
                store::write_refund(&self.db, id, RefundState::Failed, None, error).await?;
                continue;
            };
            let provider = match self.provider(&row.store_id).await {
                Ok(provider) => provider,
                Err(Error::Payment(code)) if post => {
                    store::write_refund(&self.db, id, RefundState::Failed, None, Some(code))
                        .await?;
                    continue;
                }
                Err(err) => return Err(err),
            };
            let outcome = if post {
                post = false;
                let request = RefundRequest {
                    merchant_refund_id: id.to_string(),
                    payment_id,
                    amount: row.amount.get(),
                };
                provider.refund(&request).await
            } else {
                match provider.refund_status(&id.to_string()).await {
                    // Never reached the provider: sending it again with the same id is safe.
                    Outcome::Refused { code, .. } if code == wire::NO_SUCH_REFUND_ORDER.code => {
                        post = true;
                        continue;
                    }
                    other => other,
                }
            };
            match outcome {
                Outcome::Done(RefundStatus::Accepted) => {
                    store::write_refund(&self.db, id, RefundState::Accepted, None, None).await?;
                }
                Outcome::Done(RefundStatus::Failed) => {
                    let code = Some("REFUND_FAILED");
                    let error = Some(ErrorCode::ProviderRefused);
                    store::write_refund(&self.db, id, RefundState::Failed, code, error).await?;
                }
                Outcome::Refused { code, code_id, .. } => {
                    let error = if code_id == wire::MULTIPLE_REFUND_NOT_ALLOWED.code_id {
                        ErrorCode::ProviderRefundLimit
                    } else {
                        ErrorCode::ProviderRefused
                    };
                    store::write_refund(
                        &self.db,
                        id,
                        RefundState::Failed,
                        Some(&code),
                        Some(error),
                    )
                    .await?;
                }
                Outcome::Unknown(why) => {
                    tracing::warn!(refund = %id, why, "refund unanswered");
                    unanswered += 1;
                    if unanswered >= MAX_UNANSWERED {
                        let error = Some(ErrorCode::ProviderUnavailable);
                        store::write_refund(&self.db, id, RefundState::Unknown, None, error)
                            .await?;
                        continue;
                    }
                    let pause = self.timeouts.poll * u32::try_from(unanswered).unwrap_or(1);
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }
}

/// A step to `failed` for `error`.
fn failed(error: ErrorCode, last_code: Option<String>) -> Step {
    Step { state: Some(PaymentState::Failed), error: Some(error), last_code, ..Step::default() }
}

/// The step a provider's status of a payment makes; `unpaid` is the state while it is unpaid.
fn status_step(status: &ProviderStatus, unpaid: PaymentState) -> (Step, Then) {
    match status.status {
        PayStatus::Completed => (
            Step {
                state: Some(PaymentState::Completed),
                provider_payment_id: status.payment_id.clone(),
                attempts: Some(0),
                // Paid after all: the register is told, and decides.
                abandon: Some(false),
                ..Step::default()
            },
            Then::Now,
        ),
        PayStatus::Failed | PayStatus::Other => {
            (failed(ErrorCode::ProviderRefused, None), Then::Now)
        }
        PayStatus::Created => (Step { state: Some(unpaid), ..Step::default() }, Then::Wait(1)),
    }
}

/// The status of a payment by its mode.
async fn status_of(provider: &AnyProvider, row: &PaymentRow) -> Outcome<ProviderStatus> {
    let mpid = row.id.to_string();
    match row.mode {
        PaymentMode::ShopQr => provider.code_status(&mpid).await,
        PaymentMode::CustomerCode => provider.payment_status(&mpid).await,
    }
}

/// One more unanswered call: wait longer each time, and after [`MAX_UNANSWERED`] cancel.
fn unanswered(row: &PaymentRow, cancel_after: bool) -> (Step, Then) {
    let attempts = row.attempts + 1;
    if cancel_after && attempts > MAX_UNANSWERED {
        let step =
            Step { state: Some(PaymentState::Cancelling), attempts: Some(0), ..Step::default() };
        return (step, Then::Now);
    }
    let polls = u32::try_from(attempts.min(MAX_UNANSWERED)).unwrap_or(1);
    (Step { attempts: Some(attempts), ..Step::default() }, Then::Wait(polls))
}

/// A payment whose creation's outcome is unknown: its status decides.
async fn resolve(provider: &AnyProvider, row: &PaymentRow) -> (Step, Then) {
    match status_of(provider, row).await {
        // The code exists but its id is lost with the answer: cancel, so paying it fails.
        Outcome::Done(ProviderStatus { status: PayStatus::Created, .. }) => (
            Step { state: Some(PaymentState::Cancelling), attempts: Some(0), ..Step::default() },
            Then::Now,
        ),
        Outcome::Done(status) => status_step(&status, PaymentState::Cancelling),
        // Never made: nothing to undo; the register starts again with a new id.
        Outcome::Refused { http, code, .. } if http == 404 || code.ends_with("NOT_FOUND") => {
            (failed(ErrorCode::ProviderUnavailable, Some(code)), Then::Now)
        }
        Outcome::Refused { .. } | Outcome::Unknown(_) => unanswered(row, true),
    }
}

/// A pending payment: given up, expired, or its status asked.
async fn pending(provider: &AnyProvider, row: &PaymentRow) -> (Step, Then) {
    if row.mode == PaymentMode::CustomerCode {
        if row.abandon {
            return (Step { state: Some(PaymentState::Cancelling), ..Step::default() }, Then::Now);
        }
        return match status_of(provider, row).await {
            Outcome::Done(status) => status_step(&status, PaymentState::Pending),
            _ => unanswered(row, false),
        };
    }
    let expired = row.expires_at.is_some_and(|at| at <= Utc::now());
    if !row.abandon && !expired {
        return match status_of(provider, row).await {
            Outcome::Done(status) => status_step(&status, PaymentState::Pending),
            // An unpaid code stays pending; its expiry ends it.
            _ => (Step::default(), Then::Wait(1)),
        };
    }
    let gone = if row.abandon { PaymentState::Cancelled } else { PaymentState::Expired };
    let deleted = provider.delete_code(row.code_id.as_deref().unwrap_or_default()).await;
    match deleted {
        Outcome::Done(()) => (Step { state: Some(gone), ..Step::default() }, Then::Now),
        Outcome::Refused { code, .. }
            if code == wire::DYNAMIC_QR_ALREADY_PAID.code
                || code == wire::DYNAMIC_QR_NOT_FOUND.code =>
        {
            match status_of(provider, row).await {
                Outcome::Done(ProviderStatus { status: PayStatus::Created, .. }) => (
                    Step { state: Some(gone), last_code: Some(code), ..Step::default() },
                    Then::Now,
                ),
                Outcome::Done(status) => status_step(&status, PaymentState::Pending),
                _ => unanswered(row, false),
            }
        }
        _ => unanswered(row, false),
    }
}

/// A payment being cancelled, until the deadline; `None` when a payment known to be paid
/// can no longer be cancelled and is to be refunded instead. One never known to be paid is left
/// `unknown` for the owner after the deadline.
async fn cancel(provider: &AnyProvider, row: &PaymentRow) -> Option<(Step, Then)> {
    let paid = row.provider_payment_id.is_some();
    if Utc::now() > cancel_deadline(row.created_at) {
        let step = Step {
            state: Some(PaymentState::Unknown),
            error: Some(ErrorCode::ProviderUnavailable),
            ..Step::default()
        };
        return (!paid).then_some((step, Then::Now));
    }
    Some(match provider.cancel(&row.id.to_string()).await {
        Outcome::Done(()) => {
            (Step { state: Some(PaymentState::Cancelled), ..Step::default() }, Then::Now)
        }
        Outcome::Refused { code, .. } if paid && code == wire::ORDER_NOT_REVERSIBLE.code => {
            return None;
        }
        Outcome::Refused { code, .. } => {
            let step = Step {
                state: Some(PaymentState::Unknown),
                error: Some(ErrorCode::ProviderRefused),
                last_code: Some(code),
                ..Step::default()
            };
            (step, Then::Now)
        }
        Outcome::Unknown(_) => {
            let attempts = row.attempts + 1;
            let polls = u32::try_from(attempts.min(MAX_UNANSWERED)).unwrap_or(1);
            (Step { attempts: Some(attempts), ..Step::default() }, Then::Wait(polls))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_payment_can_be_cancelled_until_a_quarter_past_midnight_the_next_day() {
        // 2026-12-03 23:50 in Tokyo.
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 14, 50, 0).unwrap();
        // 2026-12-04 00:14:59 in Tokyo.
        assert_eq!(cancel_deadline(at), Utc.with_ymd_and_hms(2026, 12, 3, 15, 14, 59).unwrap());
        // 2026-12-04 00:10 in Tokyo: the next day is the 5th.
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 15, 10, 0).unwrap();
        assert_eq!(cancel_deadline(at), Utc.with_ymd_and_hms(2026, 12, 4, 15, 14, 59).unwrap());
    }
}
