//! `akinai quote` and `POST /api/v1/quote`: one cart in as JSON, its receipt out. The contract
//! is docs/quote.md; the computing is the domain crate's, the same code as the register's.

use axum::Json;
use axum::body::Bytes;
use chrono::Utc;

use akinai_core::api::ErrorBody;
use akinai_core::quote::QuoteRequest;
use akinai_core::receipt::Receipt;
use akinai_core::{Error as DomainError, tokyo_date};
use akinai_i18n::Lang;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::Result;

/// Computes the receipt for a cart given as JSON, dated today in Tokyo unless it says.
pub fn quote_json(input: &[u8]) -> Result<Receipt, DomainError> {
    akinai_core::quote::quote_bytes(input, tokyo_date(Utc::now()))
}

/// What the CLI prints: the receipt as JSON for stdout, or one translated line for stderr.
pub fn run_cli(input: &[u8], lang: Lang) -> std::result::Result<String, String> {
    let receipt = quote_json(input).map_err(|err| lang.error(&err))?;
    serde_json::to_string_pretty(&receipt).map(|json| json + "\n").map_err(|err| err.to_string())
}

/// `POST /api/v1/quote`.
#[utoipa::path(post, path = "/api/v1/quote", operation_id = "quote", tag = "public",
    request_body = QuoteRequest,
    responses((status = 200, body = Receipt, description = "The receipt of the cart (docs/quote.md)"),
        (status = 413, body = ErrorBody, description = "The body is too large"),
        (status = 422, body = ErrorBody, description = "The cart is not valid; `field` says where")))]
pub async fn handle(body: Bytes) -> Result<Json<Receipt>> {
    Ok(Json(quote_json(&body)?))
}

/// The public quote.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handle))
}
