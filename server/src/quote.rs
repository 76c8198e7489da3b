//! `akinai quote` and `POST /api/v1/quote`: one cart in as JSON, its receipt out. The contract
//! is docs/quote.md; the computing is the domain crate's, the same code as the register's.

use axum::Json;
use axum::body::Bytes;
use chrono::Utc;

use akinai_core::receipt::Receipt;
use akinai_core::{Error as DomainError, tokyo_date};
use akinai_i18n::Lang;

use crate::error::Result;

/// Computes the receipt for a cart given as JSON text, dated today in Tokyo unless it says.
pub fn quote_json(input: &str) -> Result<Receipt, DomainError> {
    akinai_core::quote::quote(input, tokyo_date(Utc::now()))
}

/// What the CLI prints: the receipt as JSON for stdout, or one translated line for stderr.
pub fn run_cli(input: &[u8], lang: Lang) -> std::result::Result<String, String> {
    let text = std::str::from_utf8(input).map_err(|err| {
        let before = &input[..err.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        lang.error(&DomainError::Malformed { line, column })
    })?;
    let receipt = quote_json(text).map_err(|err| lang.error(&err))?;
    serde_json::to_string_pretty(&receipt).map(|json| json + "\n").map_err(|err| err.to_string())
}

/// `POST /api/v1/quote`.
pub async fn handle(body: Bytes) -> Result<Json<Receipt>> {
    let text =
        std::str::from_utf8(&body).map_err(|_| DomainError::Malformed { line: 1, column: 1 })?;
    Ok(Json(quote_json(text)?))
}
