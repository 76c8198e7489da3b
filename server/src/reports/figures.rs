//! The owner's figures and sales: `GET /api/v1/figures`, `/sales` and `/sales/{id}`.
//!
//! Figures are added up by the database from the per-day sums that sync keeps (`day_hour`,
//! `day_rate`, `day_tender`, `day_item`, keyed by store and business day), so a year of a busy
//! shop network reads a few thousand rows, never every sale.
//! Every query is scoped to the owner's stores (or one of them, checked to be theirs).

use akinai_core::shop::ShopSettings;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::AssertSqlSafe;

use crate::AppState;
use crate::http::auth::{OwnerSession, owned_store};
use crate::http::error::{Error, Result};

/// How many best-selling items the figures list.
const TOP_ITEMS: i64 = 10;
/// How many sales a page lists unless asked otherwise, and at most.
const PAGE: i64 = 50;
const MAX_PAGE: i64 = 500;

/// Which business days and stores: `from` and `to` inclusive, all the owner's stores or one.
#[derive(Clone, Debug, Deserialize)]
pub struct Range {
    /// First business day.
    pub from: NaiveDate,
    /// Last business day.
    pub to: NaiveDate,
    /// One store, or all the owner's.
    pub store: Option<String>,
    /// How many sales to list (`/sales` only).
    pub limit: Option<i64>,
    /// How many sales to skip (`/sales` only).
    pub offset: Option<i64>,
}

/// Sales figures over business days, as `GET /figures` answers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// First business day.
    pub from: NaiveDate,
    /// Last business day.
    pub to: NaiveDate,
    /// The one store asked about, or none for all.
    pub store: Option<String>,
    /// Totals of sales and refunds (refunds are negative).
    pub gross: i64,
    /// Their tax.
    pub tax: i64,
    /// Gross less tax.
    pub net: i64,
    /// How many sales (refunds not counted).
    pub receipts: i64,
    /// Gross per receipt, rounded down.
    pub average: i64,
    /// Refunds.
    pub refunds: Refunds,
    /// Per tax rate, highest first; non-taxable sales as rate 0.
    pub rates: Vec<RateFigure>,
    /// Per Tokyo hour, all 24.
    pub hours: Vec<HourFigure>,
    /// Per payment method, what was kept (cash less change), largest first.
    pub payments: Vec<Payment>,
    /// The best-selling items by amount.
    pub top_items: Vec<TopItem>,
    /// Per store.
    pub stores: Vec<StoreFigure>,
    /// The same days a week earlier.
    pub compare: Compare,
}

/// Refunds in the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refunds {
    /// How many.
    pub count: i64,
    /// Their total (negative).
    pub amount: i64,
}

/// One tax rate's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateFigure {
    /// Whole percent (0: non-taxable).
    pub rate: i64,
    /// The reduced rate.
    pub reduced: bool,
    /// Including tax.
    pub gross: i64,
    /// Excluding tax.
    pub net: i64,
    /// The tax.
    pub tax: i64,
}

/// One hour of the day (Tokyo).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourFigure {
    /// 0 to 23.
    pub hour: i64,
    /// Totals of sales and refunds.
    pub gross: i64,
    /// Sales.
    pub receipts: i64,
}

/// What one payment method brought in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// `cash`, ...
    pub method: String,
    /// Yen kept.
    pub amount: i64,
}

/// A best seller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TopItem {
    /// As printed on receipts.
    pub name: String,
    /// Quantity sold less quantity refunded.
    pub qty: i64,
    /// Line amounts (before receipt discounts), less refunds.
    pub amount: i64,
}

/// One store's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreFigure {
    /// The store.
    pub id: String,
    /// Its trading name.
    pub name: String,
    /// Totals of sales and refunds.
    pub gross: i64,
    /// Sales.
    pub receipts: i64,
}

/// The comparison period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compare {
    /// First business day.
    pub from: NaiveDate,
    /// Last business day.
    pub to: NaiveDate,
    /// Totals of sales and refunds.
    pub gross: i64,
    /// Sales.
    pub receipts: i64,
}

/// A line of the sales list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct SaleRow {
    /// The sale.
    pub id: String,
    /// Its store.
    pub store_id: String,
    /// The device that rang it up.
    pub device_id: String,
    /// The device's receipt number.
    pub receipt_no: i64,
    /// `sale` or `refund`.
    pub kind: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Who rang it up.
    pub staff: String,
    /// Total (negative for refunds).
    pub total: i64,
    /// Tax.
    pub tax: i64,
}

/// Which stores a query covers: `$1` is the owner or the store.
#[derive(Clone, Copy, Debug)]
enum Scope {
    Owner,
    Store,
}

impl Scope {
    fn sql(self) -> &'static str {
        match self {
            Scope::Owner => "store_id IN (SELECT id FROM store WHERE owner_id = $1)",
            Scope::Store => "store_id = $1",
        }
    }
}

/// Reads the range, checking the store is the owner's; answers the scope and its `$1`.
async fn scope(
    state: &AppState,
    owner: &OwnerSession,
    range: std::result::Result<Query<Range>, QueryRejection>,
) -> Result<(Range, Scope, String)> {
    let Query(range) =
        range.map_err(|err| Error::BadRequest { field: "query", message: err.body_text() })?;
    if range.from > range.to {
        return Err(Error::BadRequest { field: "to", message: "ends before from".to_owned() });
    }
    match &range.store {
        Some(store) => {
            owned_store(state, owner, store).await?;
            let store = store.clone();
            Ok((range, Scope::Store, store))
        }
        None => Ok((range, Scope::Owner, owner.owner_id.clone())),
    }
}

/// `GET /api/v1/figures?from&to[&store]`.
pub async fn figures(
    State(state): State<AppState>,
    owner: OwnerSession,
    range: std::result::Result<Query<Range>, QueryRejection>,
) -> Result<Json<Figures>> {
    let (range, scope, key) = scope(&state, &owner, range).await?;
    let (from, to) = (range.from.to_string(), range.to.to_string());
    let pool = &state.db.pool;
    let filter = format!("{} AND business_date >= $2 AND business_date <= $3", scope.sql());

    // The days' hours give the totals, the hours and the stores.
    let sql = format!(
        "SELECT store_id, hour, CAST(SUM(gross) AS BIGINT), CAST(SUM(tax) AS BIGINT),
             CAST(SUM(sales) AS BIGINT), CAST(SUM(refunds) AS BIGINT),
             CAST(SUM(refund_total) AS BIGINT)
         FROM day_hour WHERE {filter} GROUP BY store_id, hour"
    );
    // Statements here are constants and a constant scope; every value is bound.
    let groups: Vec<(String, i64, i64, i64, i64, i64, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(&key).bind(&from).bind(&to).fetch_all(pool).await?;
    let mut hours: Vec<HourFigure> =
        (0..24).map(|hour| HourFigure { hour, gross: 0, receipts: 0 }).collect();
    let (mut gross, mut tax, mut receipts) = (0i64, 0i64, 0i64);
    let mut refunds = Refunds { count: 0, amount: 0 };
    let mut per_store: std::collections::HashMap<&str, (i64, i64)> = Default::default();
    for (store, hour, total, tax_sum, sales, refund_count, refund_total) in &groups {
        if let Some(slot) = usize::try_from(*hour).ok().and_then(|h| hours.get_mut(h)) {
            slot.gross += total;
            slot.receipts += sales;
        }
        gross += total;
        tax += tax_sum;
        receipts += sales;
        refunds.count += refund_count;
        refunds.amount += refund_total;
        let entry = per_store.entry(store.as_str()).or_default();
        entry.0 += total;
        entry.1 += sales;
    }

    let sql = format!(
        "SELECT rate, reduced, CAST(SUM(gross) AS BIGINT), CAST(SUM(net) AS BIGINT),
             CAST(SUM(tax) AS BIGINT)
         FROM day_rate WHERE {filter} GROUP BY rate, reduced ORDER BY rate DESC, reduced"
    );
    let rates: Vec<(i64, i64, i64, i64, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(&key).bind(&from).bind(&to).fetch_all(pool).await?;
    let rates = rates
        .into_iter()
        .map(|(rate, reduced, gross, net, tax)| RateFigure {
            rate,
            reduced: reduced != 0,
            gross,
            net,
            tax,
        })
        .collect();

    let sql = format!(
        "SELECT method, CAST(SUM(amount) AS BIGINT) FROM day_tender WHERE {filter}
         GROUP BY method ORDER BY 2 DESC, method"
    );
    let payments: Vec<(String, i64)> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(&key).bind(&from).bind(&to).fetch_all(pool).await?;
    let payments =
        payments.into_iter().map(|(method, amount)| Payment { method, amount }).collect();

    let sql = format!(
        "SELECT name, CAST(SUM(qty) AS BIGINT), CAST(SUM(amount) AS BIGINT) FROM day_item
         WHERE {filter} GROUP BY name ORDER BY 3 DESC, name LIMIT $4"
    );
    let top: Vec<(String, i64, i64)> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key)
        .bind(&from)
        .bind(&to)
        .bind(TOP_ITEMS)
        .fetch_all(pool)
        .await?;
    let top_items =
        top.into_iter().map(|(name, qty, amount)| TopItem { name, qty, amount }).collect();

    let stores: Vec<(String, String)> = match scope {
        Scope::Owner => {
            sqlx::query_as(
                "SELECT id, settings FROM store WHERE owner_id = $1 ORDER BY created_at, id",
            )
            .bind(&key)
            .fetch_all(pool)
            .await?
        }
        Scope::Store => {
            sqlx::query_as("SELECT id, settings FROM store WHERE id = $1")
                .bind(&key)
                .fetch_all(pool)
                .await?
        }
    };
    let stores = stores
        .into_iter()
        .map(|(id, settings)| {
            let name = serde_json::from_str::<ShopSettings>(&settings)?.name;
            let (gross, receipts) = per_store.get(id.as_str()).copied().unwrap_or_default();
            Ok(StoreFigure { id, name, gross, receipts })
        })
        .collect::<Result<Vec<_>>>()?;

    let week = Days::new(7);
    let (compare_from, compare_to) = (
        range.from.checked_sub_days(week).unwrap_or(NaiveDate::MIN),
        range.to.checked_sub_days(week).unwrap_or(NaiveDate::MIN),
    );
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(gross), 0) AS BIGINT), CAST(COALESCE(SUM(sales), 0) AS BIGINT)
         FROM day_hour WHERE {filter}"
    );
    let (compare_gross, compare_receipts): (i64, i64) = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key)
        .bind(compare_from.to_string())
        .bind(compare_to.to_string())
        .fetch_one(pool)
        .await?;

    Ok(Json(Figures {
        from: range.from,
        to: range.to,
        store: range.store,
        gross,
        tax,
        net: gross - tax,
        receipts,
        average: if receipts > 0 { gross.div_euclid(receipts) } else { 0 },
        refunds,
        rates,
        hours,
        payments,
        top_items,
        stores,
        compare: Compare {
            from: compare_from,
            to: compare_to,
            gross: compare_gross,
            receipts: compare_receipts,
        },
    }))
}

/// `GET /api/v1/sales?from&to[&store][&limit&offset]`: newest first.
pub async fn sales(
    State(state): State<AppState>,
    owner: OwnerSession,
    range: std::result::Result<Query<Range>, QueryRejection>,
) -> Result<Json<Vec<SaleRow>>> {
    let (range, scope, key) = scope(&state, &owner, range).await?;
    let limit = range.limit.unwrap_or(PAGE).clamp(1, MAX_PAGE);
    let offset = range.offset.unwrap_or(0).max(0);
    let sql = format!(
        "SELECT id, store_id, device_id, receipt_no, kind, at, staff, total, tax FROM sale
         WHERE {} AND business_date >= $2 AND business_date <= $3
         ORDER BY at DESC, id DESC LIMIT $4 OFFSET $5",
        scope.sql()
    );
    // The statement is a constant and a constant scope; every value is bound.
    let rows = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key)
        .bind(range.from.to_string())
        .bind(range.to.to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(Json(rows))
}

/// `GET /api/v1/sales/{id}`: the whole sale as the register recorded it.
pub async fn sale(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(id): Path<String>,
) -> Result<impl IntoResponse> {
    let body: Option<String> = sqlx::query_scalar(
        "SELECT sale.body FROM sale JOIN store ON store.id = sale.store_id
         WHERE sale.id = $1 AND store.owner_id = $2",
    )
    .bind(&id)
    .bind(&owner.owner_id)
    .fetch_optional(&state.db.pool)
    .await?;
    // The body is the sale's own JSON, stored as serde wrote it: answered as is.
    Ok(([(CONTENT_TYPE, "application/json")], body.ok_or(Error::NotFound)?))
}
