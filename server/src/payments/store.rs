//! Payments as the database keeps them (`payment`, `payment_refund`, `store_provider`), and what
//! sync asks of them: whether a sale's QR tenders were paid ([`check_tenders`]) and, once the
//! sale is written, which sale used each payment ([`bind_sale`]).

use akinai_core::Yen;
use akinai_core::api::{
    ErrorCode, PaymentMode, PaymentStart, PaymentState, ProviderEnv, RefundState,
};
use akinai_core::payment::PaymentMethod;
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::sync::Rejection;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::{Any, AssertSqlSafe, Transaction};
use uuid::Uuid;

use crate::db::database::{Db, now_text, parse_id, parse_time, time_text};
use crate::db::rows::push_placeholders;
use crate::error::{Error, Result};

/// A value's serde word (`pending`, `shop_qr`, …), as the database keeps enums.
pub fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        _ => String::new(),
    }
}

/// An enum read back from its word.
pub fn from_word<T: DeserializeOwned>(word: &str) -> Result<T> {
    serde_json::from_value(serde_json::Value::String(word.to_owned()))
        .map_err(|err| Error::Internal(format!("stored word {word:?}: {err}")))
}

/// The columns of a payment, in [`PaymentRow`]'s order.
const PAYMENT_COLUMNS: &str = "id, store_id, device_id, sale_id_hint, sale_id, mode, amount, \
     state, code_id, qr_payload, expires_at, provider_payment_id, last_code, error, abandon, \
     attempts, created_at";

/// A payment's row as read.
#[derive(Debug, sqlx::FromRow)]
struct Raw {
    id: String,
    store_id: String,
    device_id: String,
    sale_id_hint: String,
    sale_id: Option<String>,
    mode: String,
    amount: i64,
    state: String,
    code_id: Option<String>,
    qr_payload: Option<String>,
    expires_at: Option<String>,
    provider_payment_id: Option<String>,
    last_code: Option<String>,
    error: Option<String>,
    abandon: i64,
    attempts: i64,
    created_at: String,
}

/// A payment through a provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentRow {
    /// The tender's id, the provider's merchantPaymentId.
    pub id: Uuid,
    /// The store.
    pub store_id: String,
    /// The register that started it.
    pub device_id: String,
    /// The sale the register meant it for (as it said; not checked).
    pub sale_id_hint: String,
    /// The synced sale that used it.
    pub sale_id: Option<String>,
    /// Shop's code or customer's code.
    pub mode: PaymentMode,
    /// How much.
    pub amount: Yen,
    /// Where it stands.
    pub state: PaymentState,
    /// The provider's code id (shop's code).
    pub code_id: Option<String>,
    /// What the shown QR code encodes.
    pub qr_payload: Option<String>,
    /// When the shown code stops taking payments.
    pub expires_at: Option<DateTime<Utc>>,
    /// The provider's payment id, once paid.
    pub provider_payment_id: Option<String>,
    /// The provider's last result code that mattered.
    pub last_code: Option<String>,
    /// Why it failed or is unknown.
    pub error: Option<ErrorCode>,
    /// The register gave it up.
    pub abandon: bool,
    /// How often the provider was asked about it without an answer (0: never called).
    pub attempts: i64,
    /// When it was started.
    pub created_at: DateTime<Utc>,
}

impl PaymentRow {
    /// A payment `start`ed by register `device_id` of `store_id`, not yet sent to the provider.
    pub fn new(store_id: &str, device_id: &str, start: &PaymentStart) -> PaymentRow {
        PaymentRow {
            id: start.id,
            store_id: store_id.to_owned(),
            device_id: device_id.to_owned(),
            sale_id_hint: start.sale_id.to_string(),
            sale_id: None,
            mode: start.mode,
            amount: start.amount,
            state: PaymentState::Creating,
            code_id: None,
            qr_payload: None,
            expires_at: None,
            provider_payment_id: None,
            last_code: None,
            error: None,
            abandon: false,
            attempts: 0,
            created_at: Utc::now(),
        }
    }
}

impl TryFrom<Raw> for PaymentRow {
    type Error = Error;

    fn try_from(raw: Raw) -> Result<PaymentRow> {
        Ok(PaymentRow {
            id: parse_id(&raw.id)?,
            store_id: raw.store_id,
            device_id: raw.device_id,
            sale_id_hint: raw.sale_id_hint,
            sale_id: raw.sale_id,
            mode: from_word(&raw.mode)?,
            amount: Yen::new(raw.amount),
            state: from_word(&raw.state)?,
            code_id: raw.code_id,
            qr_payload: raw.qr_payload,
            expires_at: raw.expires_at.as_deref().map(parse_time).transpose()?,
            provider_payment_id: raw.provider_payment_id,
            last_code: raw.last_code,
            error: raw.error.as_deref().map(from_word).transpose()?,
            abandon: raw.abandon != 0,
            attempts: raw.attempts,
            created_at: parse_time(&raw.created_at)?,
        })
    }
}

/// True for the states a payment never leaves by itself.
pub fn is_final(state: PaymentState) -> bool {
    matches!(
        state,
        PaymentState::Completed
            | PaymentState::Failed
            | PaymentState::Expired
            | PaymentState::Cancelled
            | PaymentState::Unknown
    )
}

/// Keeps a new payment, not yet sent to the provider.
pub async fn insert_payment(db: &Db, row: &PaymentRow, provider: &str) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO payment (id, store_id, device_id, sale_id_hint, mode, provider, amount, \
         state, attempts, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $9)",
    )
    .bind(row.id.to_string())
    .bind(&row.store_id)
    .bind(&row.device_id)
    .bind(&row.sale_id_hint)
    .bind(word(&row.mode))
    .bind(provider)
    .bind(row.amount.get())
    .bind(word(&row.state))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// The payment `id`, whichever store it is of.
pub async fn payment(db: &Db, id: Uuid) -> Result<Option<PaymentRow>> {
    let sql = format!("SELECT {PAYMENT_COLUMNS} FROM payment WHERE id = $1");
    let raw: Option<Raw> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(id.to_string()).fetch_optional(&db.pool).await?;
    raw.map(PaymentRow::try_from).transpose()
}

/// The store's payments, newest first: those completed and used by no sale when `unbound`,
/// else the last 100.
pub async fn payments_of(db: &Db, store_id: &str, unbound: bool) -> Result<Vec<PaymentRow>> {
    let only = if unbound { "AND state = 'completed' AND sale_id IS NULL" } else { "" };
    let sql = format!(
        "SELECT {PAYMENT_COLUMNS} FROM payment WHERE store_id = $1 {only} \
         ORDER BY created_at DESC LIMIT 100"
    );
    let raws: Vec<Raw> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(store_id).fetch_all(&db.pool).await?;
    raws.into_iter().map(PaymentRow::try_from).collect()
}

/// The ids and states of the payments a restart must take up again: those not final.
pub async fn live_payments(db: &Db) -> Result<Vec<(Uuid, PaymentState)>> {
    let ids: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, state FROM payment WHERE state IN ('creating', 'pending', 'cancelling')
         ORDER BY created_at",
    )
    .fetch_all(&db.pool)
    .await?;
    ids.iter().map(|(id, state)| Ok((parse_id(id)?, from_word(state)?))).collect()
}

/// Turns a completed payment no sale used into one being cancelled; false when a sale used it
/// (or it is no longer completed) meanwhile.
pub async fn start_cancel(db: &Db, id: Uuid) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE payment SET state = 'cancelling', abandon = 1, attempts = 0, updated_at = $1
         WHERE id = $2 AND state = 'completed' AND sale_id IS NULL",
    )
    .bind(now_text())
    .bind(id.to_string())
    .execute(&db.pool)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// What changes in a payment's row at one step.
#[derive(Clone, Debug, Default)]
pub struct Step {
    /// The new state.
    pub state: Option<PaymentState>,
    /// The code made: id, payload, expiry.
    pub code: Option<(String, String, DateTime<Utc>)>,
    /// The provider's payment id.
    pub provider_payment_id: Option<String>,
    /// The provider's result code.
    pub last_code: Option<String>,
    /// Why it failed or is unknown.
    pub error: Option<ErrorCode>,
    /// The new count of unanswered calls.
    pub attempts: Option<i64>,
    /// Given up by the register (or no longer, once the answer is that it was paid).
    pub abandon: Option<bool>,
}

/// Writes one step of a payment.
pub async fn write_step(db: &Db, id: Uuid, step: &Step) -> Result<()> {
    let (code_id, payload, expires) = match &step.code {
        Some((code_id, payload, expires)) => {
            (Some(code_id.clone()), Some(payload.clone()), Some(time_text(*expires)))
        }
        None => (None, None, None),
    };
    sqlx::query(
        "UPDATE payment SET state = COALESCE($1, state), code_id = COALESCE($2, code_id),
             qr_payload = COALESCE($3, qr_payload), expires_at = COALESCE($4, expires_at),
             provider_payment_id = COALESCE($5, provider_payment_id),
             last_code = COALESCE($6, last_code), error = COALESCE($7, error),
             attempts = COALESCE($8, attempts), abandon = COALESCE($9, abandon), updated_at = $10
         WHERE id = $11",
    )
    .bind(step.state.as_ref().map(word))
    .bind(code_id)
    .bind(payload)
    .bind(expires)
    .bind(step.provider_payment_id.clone())
    .bind(step.last_code.clone())
    .bind(step.error.as_ref().map(word))
    .bind(step.attempts)
    .bind(step.abandon.map(i64::from))
    .bind(now_text())
    .bind(id.to_string())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// A refund of a payment through its provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundRow {
    /// The refund's id, the provider's merchantRefundId.
    pub id: Uuid,
    /// The payment refunded.
    pub payment_id: Uuid,
    /// The store.
    pub store_id: String,
    /// How much (positive).
    pub amount: Yen,
    /// Where it stands.
    pub state: RefundState,
    /// The provider's last result code that mattered.
    pub last_code: Option<String>,
    /// Why it failed or is unknown.
    pub error: Option<ErrorCode>,
}

/// A refund's row as read: id, payment, store, amount, state, last code, error.
type RawRefund = (String, String, String, i64, String, Option<String>, Option<String>);

impl TryFrom<RawRefund> for RefundRow {
    type Error = Error;

    fn try_from(raw: RawRefund) -> Result<RefundRow> {
        let (id, payment_id, store_id, amount, state, last_code, error) = raw;
        Ok(RefundRow {
            id: parse_id(&id)?,
            payment_id: parse_id(&payment_id)?,
            store_id,
            amount: Yen::new(amount),
            state: from_word(&state)?,
            last_code,
            error: error.as_deref().map(from_word).transpose()?,
        })
    }
}

/// The columns of a refund, in [`RawRefund`]'s order.
const REFUND_COLUMNS: &str = "id, payment_id, store_id, amount, state, last_code, error";

/// The refunds of a payment, or the one refund `id` (`payment_id` empty).
async fn refunds_where(db: &Db, column: &str, value: &str) -> Result<Vec<RefundRow>> {
    let sql =
        format!("SELECT {REFUND_COLUMNS} FROM payment_refund WHERE {column} = $1 ORDER BY id");
    let raws: Vec<RawRefund> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(value).fetch_all(&db.pool).await?;
    raws.into_iter().map(RefundRow::try_from).collect()
}

/// The refund `id`.
pub async fn refund(db: &Db, id: Uuid) -> Result<Option<RefundRow>> {
    Ok(refunds_where(db, "id", &id.to_string()).await?.into_iter().next())
}

/// The refunds of the payment `payment_id`.
pub async fn refunds_of(db: &Db, payment_id: Uuid) -> Result<Vec<RefundRow>> {
    refunds_where(db, "payment_id", &payment_id.to_string()).await
}

/// The ids of the refunds whose outcome a restart must find out.
pub async fn live_refunds(db: &Db) -> Result<Vec<Uuid>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM payment_refund WHERE state = 'pending' ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    ids.iter().map(|id| parse_id(id)).collect()
}

/// Keeps a new refund, not yet sent to the provider.
pub async fn insert_refund(db: &Db, row: &RefundRow) -> Result<()> {
    let now = now_text();
    sqlx::query(
        "INSERT INTO payment_refund (id, payment_id, store_id, amount, state, created_at, \
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
    )
    .bind(row.id.to_string())
    .bind(row.payment_id.to_string())
    .bind(&row.store_id)
    .bind(row.amount.get())
    .bind(word(&row.state))
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Writes a refund's new state.
pub async fn write_refund(
    db: &Db,
    id: Uuid,
    state: RefundState,
    last_code: Option<&str>,
    error: Option<ErrorCode>,
) -> Result<()> {
    sqlx::query(
        "UPDATE payment_refund SET state = $1, last_code = COALESCE($2, last_code),
             error = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(word(&state))
    .bind(last_code)
    .bind(error.as_ref().map(word))
    .bind(now_text())
    .bind(id.to_string())
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// What sync knows of a payment or refund a sale's QR tender names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    /// The payment's or refund's id.
    pub id: String,
    /// True for a refund.
    pub refund: bool,
    /// Its state's word.
    pub state: String,
    /// Its amount (positive).
    pub amount: i64,
    /// The sale that used it.
    pub sale_id: Option<String>,
}

/// The ids a sale's QR tenders name.
fn qr_ids(sale: &Sale) -> impl Iterator<Item = (usize, Option<Uuid>)> + '_ {
    sale.tenders
        .iter()
        .enumerate()
        .filter(|(_, tender)| tender.method == PaymentMethod::Qr)
        .map(|(i, tender)| (i, tender.id))
}

/// What the store's database knows of the payments and refunds the sales of a batch name.
pub async fn known_for<'a>(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    sales: impl Iterator<Item = &'a Sale>,
) -> Result<Vec<Known>> {
    let (mut payments, mut refunds) = (Vec::new(), Vec::new());
    for sale in sales {
        let ids = qr_ids(sale).filter_map(|(_, id)| id).map(|id| id.to_string());
        match sale.kind {
            SaleKind::Sale => payments.extend(ids),
            SaleKind::Refund { .. } => refunds.extend(ids),
        }
    }
    let mut known = Vec::new();
    for (table, ids, refund) in [("payment", payments, false), ("payment_refund", refunds, true)] {
        if ids.is_empty() {
            continue;
        }
        let mut sql = format!(
            "SELECT id, state, amount, sale_id FROM {table} WHERE store_id = $1 AND id IN ("
        );
        push_placeholders(&mut sql, 2, ids.len());
        sql.push_str(") ORDER BY id");
        // Constants and placeholders only; every value is bound.
        let mut query = sqlx::query_as(AssertSqlSafe(sql)).bind(store_id);
        for id in ids {
            query = query.bind(id);
        }
        let rows: Vec<(String, String, i64, Option<String>)> = query.fetch_all(&mut **tx).await?;
        known.extend(rows.into_iter().map(|(id, state, amount, sale_id)| Known {
            id,
            refund,
            state,
            amount,
            sale_id,
        }));
    }
    Ok(known)
}

/// Why `sale` cannot be accepted for its QR tenders, if it cannot: each must name a payment of
/// this store that completed for the same amount and that no other sale used (a refund: a
/// refund the provider accepted), counting the sales accepted earlier in the batch.
pub fn check_tenders(known: &[Known], sale: &Sale, earlier: &[Sale]) -> Option<Rejection> {
    let refund = matches!(sale.kind, SaleKind::Refund { .. });
    let done = if refund { word(&RefundState::Accepted) } else { word(&PaymentState::Completed) };
    for (i, id) in qr_ids(sale) {
        let field = format!("tenders[{i}].id");
        let refuse = |code| Some(Rejection::Invalid { code, field: field.clone() });
        let Some(id) = id else { return refuse(ErrorCode::PaymentUnconfirmed) };
        let amount = sale.tenders[i].amount.get().unsigned_abs();
        let id_text = id.to_string();
        let Some(found) = known.iter().find(|k| k.id == id_text && k.refund == refund) else {
            return refuse(ErrorCode::PaymentUnconfirmed);
        };
        if found.state != done || found.amount.unsigned_abs() != amount {
            return refuse(ErrorCode::PaymentUnconfirmed);
        }
        let used_before = earlier
            .iter()
            .filter(|s| s.id != sale.id)
            .any(|s| s.tenders.iter().any(|t| t.method == PaymentMethod::Qr && t.id == Some(id)));
        let this_sale = sale.id.to_string();
        if used_before || found.sale_id.as_ref().is_some_and(|s| *s != this_sale) {
            return refuse(ErrorCode::PaymentUsed);
        }
        // The same payment twice in one sale is used twice.
        if qr_ids(sale).filter(|(_, other)| *other == Some(id)).count() > 1 {
            return refuse(ErrorCode::PaymentUsed);
        }
    }
    None
}

/// Records, in the sync's write transaction, that `sale` used the payments (or refunds) its QR
/// tenders name. [`check_tenders`] has passed under the same lock, so each is unused.
pub async fn bind_sale(tx: &mut Transaction<'_, Any>, store_id: &str, sale: &Sale) -> Result<()> {
    let table = match sale.kind {
        SaleKind::Sale => "payment",
        SaleKind::Refund { .. } => "payment_refund",
    };
    for (_, id) in qr_ids(sale) {
        let Some(id) = id else { continue };
        let sql = format!(
            "UPDATE {table} SET sale_id = $1, updated_at = $2 \
             WHERE id = $3 AND store_id = $4 AND sale_id IS NULL"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(sale.id.to_string())
            .bind(now_text())
            .bind(id.to_string())
            .bind(store_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A store's account with a provider, its secret sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderRow {
    /// Production, sandbox or the stand-in.
    pub environment: ProviderEnv,
    /// The stand-in's address.
    pub base_url: Option<String>,
    /// The API key.
    pub api_key: String,
    /// The merchant id, sent when set.
    pub merchant_id: Option<String>,
    /// The API secret, sealed ([`crate::payments::secrets`]).
    pub secret_sealed: String,
}

/// A provider account's row as read: environment, base URL, key, merchant, sealed secret.
type RawProvider = (String, Option<String>, String, Option<String>, String);

/// The store's account with `provider`, if it has one.
pub async fn provider_row(db: &Db, store_id: &str, provider: &str) -> Result<Option<ProviderRow>> {
    let row: Option<RawProvider> = sqlx::query_as(
        "SELECT environment, base_url, api_key, merchant_id, secret_sealed FROM store_provider
         WHERE store_id = $1 AND provider = $2",
    )
    .bind(store_id)
    .bind(provider)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(environment, base_url, api_key, merchant_id, secret_sealed)| {
        Ok(ProviderRow {
            environment: from_word(&environment)?,
            base_url,
            api_key,
            merchant_id,
            secret_sealed,
        })
    })
    .transpose()
}

/// Sets (`Some`) or removes (`None`) the store's account with `provider`; true when something
/// changed.
pub async fn put_provider(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    provider: &str,
    row: Option<&ProviderRow>,
) -> Result<bool> {
    let removed = sqlx::query("DELETE FROM store_provider WHERE store_id = $1 AND provider = $2")
        .bind(store_id)
        .bind(provider)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    let Some(row) = row else { return Ok(removed > 0) };
    sqlx::query(
        "INSERT INTO store_provider (store_id, provider, environment, base_url, api_key, \
         merchant_id, secret_sealed, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(store_id)
    .bind(provider)
    .bind(word(&row.environment))
    .bind(row.base_url.clone())
    .bind(&row.api_key)
    .bind(row.merchant_id.clone())
    .bind(&row.secret_sealed)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}
