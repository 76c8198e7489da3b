//! `akinai quote` and `POST /api/v1/quote`: one cart in as JSON, its receipt out. The contract
//! is docs/quote.md; the computing is the domain crate's, the same code as the register's.

use axum::Json;
use axum::body::Bytes;
use chrono::Utc;

use akinai_core::receipt::Receipt;
use akinai_core::{Error as DomainError, tokyo_date};
use akinai_i18n::Lang;

use crate::http::error::Result;

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
pub async fn handle(body: Bytes) -> Result<Json<Receipt>> {
    Ok(Json(quote_json(&body)?))
}
