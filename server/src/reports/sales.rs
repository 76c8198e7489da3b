//! The owner's sales: `GET /api/v1/sales` (a page of a range, newest first),
//! `GET /api/v1/sales/{id}` (one whole sale as the register recorded it) and its e-receipt link
//! (`GET`, and `DELETE` to revoke it for good).

use akinai_core::Yen;
use akinai_core::api::{EReceiptInfo, ErrorBody, SaleKindName, SaleSummary};
use akinai_core::sale::Sale;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use sqlx::AssertSqlSafe;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::db::database::{now_text, parse_id, parse_time};
use crate::error::{Error, Result};
use crate::http::auth::OwnerSession;
use crate::owner::pairing::origin;
use crate::reports::range::{Range, scope};

/// How many sales a page lists unless asked otherwise, and at most.
const PAGE: i64 = 50;
const MAX_PAGE: i64 = 500;

/// A line of the sales list as the database keeps it.
type SaleRow = (String, String, String, i64, String, String, String, i64, i64);

/// A stored line of the sales list as the API writes it.
fn summary(row: SaleRow) -> Result<SaleSummary> {
    let (id, store_id, device_id, receipt_no, kind, at, staff, total, tax) = row;
    Ok(SaleSummary {
        id: parse_id(&id)?,
        store_id: parse_id(&store_id)?,
        device_id: parse_id(&device_id)?,
        receipt_no: u64::try_from(receipt_no).unwrap_or_default(),
        kind: if kind == "refund" { SaleKindName::Refund } else { SaleKindName::Sale },
        at: parse_time(&at)?,
        staff,
        total: Yen::new(total),
        tax: Yen::new(tax),
    })
}

/// `GET /api/v1/sales?from&to[&store][&limit&offset]`: newest first.
#[utoipa::path(get, path = "/api/v1/sales", operation_id = "list_sales", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    params(Range),
    responses((status = 200, body = [SaleSummary], description = "Sales and refunds in the range, newest first"),
        (status = 400, body = ErrorBody, description = "A missing or impossible date, store id, limit or offset, or `to` before `from`"),
        (status = 404, body = ErrorBody, description = "The store is not one of the owner's")))]
pub async fn sales(
    State(state): State<AppState>,
    owner: OwnerSession,
    range: std::result::Result<Query<Range>, QueryRejection>,
) -> Result<Json<Vec<SaleSummary>>> {
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
    let rows: Vec<SaleRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(&key)
        .bind(range.from.to_string())
        .bind(range.to.to_string())
        .bind(limit)
        .bind(offset)
        .fetch_all(&state.db.pool)
        .await?;
    Ok(Json(rows.into_iter().map(summary).collect::<Result<_>>()?))
}

/// `GET /api/v1/sales/{id}`: the whole sale as the register recorded it.
#[utoipa::path(get, path = "/api/v1/sales/{id}", operation_id = "get_sale", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    params(("id" = String, Path, description = "The sale's id")),
    responses((status = 200, body = Sale, description = "The whole sale"),
        (status = 404, body = ErrorBody, description = "No such sale in the owner's stores")))]
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

/// `GET /api/v1/sales/{id}/e-receipt`: the link the sale's QR code carries, and whether it
/// was revoked.
#[utoipa::path(get, path = "/api/v1/sales/{id}/e-receipt", operation_id = "get_e_receipt", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    params(("id" = String, Path, description = "The sale's id")),
    responses((status = 200, body = EReceiptInfo, description = "The link (from this request's origin) and when it was revoked, if it was"),
        (status = 404, body = ErrorBody, description = "No such sale in the owner's stores, or it has no e-receipt")))]
pub async fn e_receipt(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<EReceiptInfo>> {
    e_receipt_info(&state, &owner, &id, &headers).await
}

/// `DELETE /api/v1/sales/{id}/e-receipt`: revokes the link for good (again: no change).
#[utoipa::path(delete, path = "/api/v1/sales/{id}/e-receipt", operation_id = "revoke_e_receipt", tag = "figures",
    security(("owner" = []), ("owner_cookie" = [])),
    params(("id" = String, Path, description = "The sale's id")),
    responses((status = 200, body = EReceiptInfo, description = "The link, revoked: it answers 404 from now on"),
        (status = 404, body = ErrorBody, description = "No such sale in the owner's stores, or it has no e-receipt")))]
pub async fn revoke_e_receipt(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<EReceiptInfo>> {
    sqlx::query(
        "UPDATE e_receipt SET revoked_at = $1 WHERE sale_id = $2 AND revoked_at IS NULL
         AND store_id IN (SELECT id FROM store WHERE owner_id = $3)",
    )
    .bind(now_text())
    .bind(&id)
    .bind(&owner.owner_id)
    .execute(&state.db.pool)
    .await?;
    e_receipt_info(&state, &owner, &id, &headers).await
}

/// The e-receipt link of the owner's sale `id`, from the request's origin.
async fn e_receipt_info(
    state: &AppState,
    owner: &OwnerSession,
    id: &str,
    headers: &HeaderMap,
) -> Result<Json<EReceiptInfo>> {
    let row: Option<(String, Option<String>)> = sqlx::query_as(
        "SELECT sale.body, e_receipt.revoked_at FROM e_receipt
         JOIN sale ON sale.id = e_receipt.sale_id JOIN store ON store.id = e_receipt.store_id
         WHERE e_receipt.sale_id = $1 AND store.owner_id = $2",
    )
    .bind(id)
    .bind(&owner.owner_id)
    .fetch_optional(&state.db.pool)
    .await?;
    let (body, revoked_at) = row.ok_or(Error::NotFound)?;
    // The table keeps only the token's hash; the sale carries the token itself.
    let sale: Sale = serde_json::from_str(&body)?;
    let token = sale.receipt_token.ok_or(Error::NotFound)?;
    Ok(Json(EReceiptInfo {
        url: format!("{}{}/{token}", origin(headers)?, crate::ereceipt::PREFIX),
        revoked_at: revoked_at.as_deref().map(parse_time).transpose()?,
    }))
}

/// The owner's sales.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sales))
        .routes(routes!(sale))
        .routes(routes!(e_receipt, revoke_e_receipt))
}
