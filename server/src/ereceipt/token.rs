//! Finding what an e-receipt link names: a synced sale (by the SHA-256 of its token), a real
//! token whose sale has not arrived yet (its tag checks out against its register's key), or
//! nothing at all.

use akinai_core::ereceipt::ReceiptToken;
use akinai_core::sale::Sale;

use crate::Db;
use crate::error::Result;
use crate::http::auth::token_hash;

/// What a token leads to.
#[derive(Debug)]
pub enum Found {
    /// The synced sale whose link it is, not revoked.
    Receipt(Box<Sale>),
    /// A token its register really minted (a register still paired) for a sale not synced yet.
    Pending,
    /// Anything else: malformed, made up, from a revoked register, or a revoked link.
    Nothing,
}

/// What `text` (the path's token) leads to. Lookups are by hash, so the database never holds
/// a working link.
pub async fn find(db: &Db, text: &str) -> Result<Found> {
    let Some(token) = ReceiptToken::parse(text) else { return Ok(Found::Nothing) };
    let synced: Option<(Option<String>, String)> = sqlx::query_as(
        "SELECT e_receipt.revoked_at, sale.body FROM e_receipt
         JOIN sale ON sale.id = e_receipt.sale_id WHERE e_receipt.token_hash = $1",
    )
    .bind(token_hash(text))
    .fetch_optional(&db.pool)
    .await?;
    if let Some((revoked_at, body)) = synced {
        return Ok(match revoked_at {
            Some(_) => Found::Nothing,
            None => Found::Receipt(serde_json::from_str(&body)?),
        });
    }
    let device: Option<String> =
        sqlx::query_scalar("SELECT token_hash FROM device WHERE id = $1 AND revoked_at IS NULL")
            .bind(token.device_id.to_string())
            .fetch_optional(&db.pool)
            .await?;
    // The device's key is the raw SHA-256 of its bearer token: the hex the server keeps.
    let key: Option<[u8; 32]> =
        device.and_then(|hash| hex::decode(hash).ok()).and_then(|bytes| bytes.try_into().ok());
    Ok(match key.and_then(|key| ReceiptToken::verify(text, &key)) {
        Some(_) => Found::Pending,
        None => Found::Nothing,
    })
}
