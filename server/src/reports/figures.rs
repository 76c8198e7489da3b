//! The owner's figures: `GET /api/v1/figures`.
//!
//! Figures are added up by the database from the per-day sums that sync keeps (`day_hour`,
//! `day_rate`, `day_tender`, `day_item`, keyed by store and business day), so a year of a busy
//! shop network reads a few thousand rows, never every sale. Fees and expected deposits are
//! worked out from each store's payment settings as they stand now.
//! Every query is scoped to the owner's stores (or one of them, checked to be theirs).

use akinai_core::api::{
    Compare, ErrorBody, Figures, HourFigure, PaymentFigure, RateFigure, Refunds, StoreFigure,
    TopItem,
};
use akinai_core::payment::{PaymentSettings, TenderKey, fee, to_reconcile};
use akinai_core::shop::ShopSettings;
use akinai_core::{Field, Yen};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{Days, NaiveDate};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe};
use std::collections::{BTreeMap, HashMap};

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::columns::{bucket_of, method_of};
use crate::db::database::parse_id;
use crate::error::{Error, Result};
use crate::http::auth::OwnerSession;
use crate::reports::range::{Range, Scope, scope};

/// How many best-selling items the figures list.
const TOP_ITEMS: i64 = 10;

/// A count the database summed (never negative), as the API writes it.
fn count(sum: i128) -> u64 {
    u64::try_from(sum).unwrap_or_default()
}

/// The range's sums do not fit the figures: absurd days (a tenant's own doing) refuse the range
/// with a 422 naming it, never a 500.
fn range_too_large() -> Error {
    Error::Domain(akinai_core::Error::TooLarge { field: Field::top("to") })
}

/// An amount summed here in `i128`, as the API writes it.
fn yen(sum: i128) -> Result<Yen> {
    i64::try_from(sum).map(Yen::new).map_err(|_| range_too_large())
}

/// Runs one of the range's sums, with the scope's key and the dates bound.
async fn sums<T>(pool: &AnyPool, sql: String, [key, from, to]: [&str; 3]) -> Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
{
    // Statements here are constants and a constant scope; every value is bound.
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(key.to_owned())
        .bind(from.to_owned())
        .bind(to.to_owned())
        .fetch_all(pool)
        .await
        .map_err(overflow)
}

/// A database sum that left BIGINT (SQLite says "integer overflow", PostgreSQL 22003) is the
/// range's fault; anything else is the server's.
fn overflow(err: sqlx::Error) -> Error {
    let overflowed = matches!(&err, sqlx::Error::Database(db)
        if db.code().as_deref() == Some("22003") || db.message().contains("integer overflow"));
    if overflowed { range_too_large() } else { Error::Database(err) }
}

/// What each tender (method and brand) kept over the range, each store's at its own fee rate
/// (a rate applies to a period's total, so fees are worked out from the stores' sums, never
/// per sale), most kept first; and how much of it is still to reconcile (static QR).
fn by_tender(
    stores: &[(String, String, Option<String>)],
    tenders: Vec<(String, String, String, i64)>,
) -> Result<(Vec<PaymentFigure>, i128)> {
    let settings = stores
        .iter()
        .map(|(id, _, payments)| {
            let settings: PaymentSettings =
                payments.as_deref().map(serde_json::from_str).transpose()?.unwrap_or_default();
            Ok((id.as_str(), settings))
        })
        .collect::<Result<HashMap<_, _>>>()?;
    let none = PaymentSettings::default();
    let mut sums: BTreeMap<TenderKey, (i128, i128)> = BTreeMap::new();
    for (store, method, brand, amount) in tenders {
        let key = TenderKey { method: method_of(&method)?, brand };
        let fee = fee(settings.get(store.as_str()).unwrap_or(&none), &key, Yen::new(amount));
        let sum = sums.entry(key).or_default();
        sum.0 += i128::from(amount);
        sum.1 += i128::from(fee.get());
    }
    let to_reconcile = sums
        .iter()
        .filter(|(key, _)| to_reconcile(key.method))
        .map(|(_, (amount, _))| amount)
        .sum();
    let mut payments = sums
        .into_iter()
        .map(|(key, (amount, fee))| {
            Ok(PaymentFigure {
                method: key.method,
                brand: key.brand,
                amount: yen(amount)?,
                fee: yen(fee)?,
                deposit: yen(amount - fee)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    payments.sort_by_key(|p| std::cmp::Reverse(p.amount));
    Ok((payments, to_reconcile))
}

/// `GET /api/v1/figures?from&to[&store]`.
#[utoipa::path(get, path = "/api/v1/figures", operation_id = "figures", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    params(Range),
    responses((status = 200, body = Figures, description = "Sales figures for the range"),
        (status = 400, body = ErrorBody, description = "A missing or impossible date or store id, or `to` before `from`"),
        (status = 404, body = ErrorBody, description = "The store is not one of the owner's"),
        (status = 422, body = ErrorBody, description = "The range's sums do not fit 64 bits (`code`: `too_large`)")))]
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
    let groups: Vec<(String, i64, i64, i64, i64, i64, i64)> =
        sums(pool, sql, [&key, &from, &to]).await?;
    // Added up here in i128: however absurd the days, the sum is exact, and refused if the
    // figures cannot show it.
    let mut hour_sums = [(0i128, 0i128); 24];
    let (mut gross, mut tax, mut receipts) = (0i128, 0i128, 0i128);
    let (mut refund_count, mut refund_amount) = (0i128, 0i128);
    let mut per_store: HashMap<&str, (i128, i128)> = HashMap::new();
    for (store, hour, total, tax_sum, sales, refund_count_sum, refund_total) in &groups {
        let (total, sales) = (i128::from(*total), i128::from(*sales));
        if let Some(slot) = usize::try_from(*hour).ok().and_then(|h| hour_sums.get_mut(h)) {
            slot.0 += total;
            slot.1 += sales;
        }
        gross += total;
        tax += i128::from(*tax_sum);
        receipts += sales;
        refund_count += i128::from(*refund_count_sum);
        refund_amount += i128::from(*refund_total);
        let entry = per_store.entry(store.as_str()).or_default();
        entry.0 += total;
        entry.1 += sales;
    }
    let hours = (0u8..)
        .zip(hour_sums)
        .map(|(hour, (gross, receipts))| {
            Ok(HourFigure { hour, gross: yen(gross)?, receipts: count(receipts) })
        })
        .collect::<Result<Vec<_>>>()?;

    let sql = format!(
        "SELECT rate, reduced, CAST(SUM(gross) AS BIGINT), CAST(SUM(net) AS BIGINT),
             CAST(SUM(tax) AS BIGINT)
         FROM day_rate WHERE {filter} GROUP BY rate, reduced ORDER BY rate DESC, reduced"
    );
    let rates: Vec<(i64, i64, i64, i64, i64)> = sums(pool, sql, [&key, &from, &to]).await?;
    let rates = rates
        .into_iter()
        .map(|(rate, reduced, gross, net, tax)| {
            Ok(RateFigure {
                bucket: bucket_of(rate, reduced != 0)?,
                gross: Yen::new(gross),
                net: Yen::new(net),
                tax: Yen::new(tax),
            })
        })
        .collect::<Result<_>>()?;

    let stores: Vec<(String, String, Option<String>)> = match scope {
        Scope::Owner => {
            sqlx::query_as(
                "SELECT id, settings, payment_settings FROM store WHERE owner_id = $1
                 ORDER BY created_at, id",
            )
            .bind(&key)
            .fetch_all(pool)
            .await?
        }
        Scope::Store => {
            sqlx::query_as("SELECT id, settings, payment_settings FROM store WHERE id = $1")
                .bind(&key)
                .fetch_all(pool)
                .await?
        }
    };

    let sql = format!(
        "SELECT store_id, method, brand, CAST(SUM(amount) AS BIGINT) FROM day_tender
         WHERE {filter} GROUP BY store_id, method, brand"
    );
    let tenders: Vec<(String, String, String, i64)> = sums(pool, sql, [&key, &from, &to]).await?;
    let (payments, to_reconcile) = by_tender(&stores, tenders)?;
    let sql = format!(
        "SELECT name, CAST(SUM(qty) AS BIGINT), CAST(SUM(amount) AS BIGINT) FROM day_item
         WHERE {filter} GROUP BY name ORDER BY 3 DESC, name LIMIT {TOP_ITEMS}"
    );
    let top: Vec<(String, i64, i64)> = sums(pool, sql, [&key, &from, &to]).await?;
    let top_items = top
        .into_iter()
        .map(|(name, qty, amount)| TopItem { name, qty, amount: Yen::new(amount) })
        .collect();

    let stores = stores
        .into_iter()
        .map(|(id, settings, _)| {
            let name = serde_json::from_str::<ShopSettings>(&settings)?.name;
            let (gross, receipts) = per_store.get(id.as_str()).copied().unwrap_or_default();
            Ok(StoreFigure {
                id: parse_id(&id)?,
                name,
                gross: yen(gross)?,
                receipts: count(receipts),
            })
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
    let (from, to) = (compare_from.to_string(), compare_to.to_string());
    let compared: Vec<(i64, i64)> = sums(pool, sql, [&key, &from, &to]).await?;
    let (compare_gross, compare_receipts) = compared.first().copied().unwrap_or_default();

    Ok(Json(Figures {
        from: range.from,
        to: range.to,
        store: range.store,
        gross: yen(gross)?,
        tax: yen(tax)?,
        net: yen(gross - tax)?,
        receipts: count(receipts),
        average: yen(if receipts > 0 { gross.div_euclid(receipts) } else { 0 })?,
        refunds: Refunds { count: count(refund_count), amount: yen(refund_amount)? },
        rates,
        hours,
        payments,
        to_reconcile: yen(to_reconcile)?,
        top_items,
        stores,
        compare: Compare {
            from: compare_from,
            to: compare_to,
            gross: Yen::new(compare_gross),
            receipts: count(compare_receipts.into()),
        },
    }))
}

/// The owner's figures.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(figures))
}
