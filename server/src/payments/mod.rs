//! Cashless payments through a provider (issue 11): PayPay behind a provider trait, an engine
//! that drives each payment from the row written before the first call to a final state, the
//! registers' and owners' routes, and the providers' secrets sealed at rest.
//!
//! - [`provider`]: what the engine asks of a provider, and the [`provider::Outcome`] of a call.
//! - [`paypay`]: PayPay's contract (signature, wire shapes) and its client.
//! - [`engine`]: one task per live payment or refund, long-polls woken by a `watch`, resume.
//! - [`store`]: the rows, and what sync checks and records of a sale's QR tenders.
//! - [`secrets`]: AES-256-GCM sealing of API secrets.
//! - [`routes`]: `/api/v1/payments…` (device) and `/api/v1/stores/{store}/providers|payments`
//!   (owner).

pub mod engine;
pub mod paypay;
pub mod provider;
pub mod routes;
pub mod secrets;
pub mod store;

use akinai_core::api::{ProviderEnv, ProviderSetup};
use utoipa_axum::router::OpenApiRouter;

pub use engine::Engine;

use crate::AppState;
use crate::error::{Error, Result};
use crate::tools::demo::DEMO_EMAIL;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}

/// Points the demo store's PayPay account at a stand-in at `base_url` with its credentials
/// (`akinai serve --demo --paypay-stand-in URL`).
pub async fn use_stand_in(
    state: &AppState,
    base_url: &str,
    key: &str,
    secret: &str,
    merchant: &str,
) -> Result<()> {
    let store: Option<String> = sqlx::query_scalar(
        "SELECT store.id FROM store JOIN owner ON owner.id = store.owner_id
         WHERE owner.email = $1 ORDER BY store.created_at LIMIT 1",
    )
    .bind(DEMO_EMAIL)
    .fetch_optional(&state.db.pool)
    .await?;
    let store =
        store.ok_or_else(|| Error::Internal("no demo store (start with --demo)".to_owned()))?;
    let setup = ProviderSetup {
        api_key: key.to_owned(),
        api_secret: secret.to_owned(),
        merchant_id: Some(merchant.to_owned()),
        environment: ProviderEnv::StandIn,
        base_url: Some(base_url.to_owned()),
    };
    state.payments.set_provider(&store, Some(&setup)).await?;
    Ok(())
}
