//! Cashless payments through a provider (issue 11): PayPay behind a provider trait, an engine
//! that drives each payment from the row written before the first call to a final state, the
//! registers' and owners' routes, and the providers' secrets sealed at rest.
//!
//! - [`provider`]: what the engine asks of a provider, and the [`provider::Outcome`] of a call;
//!   [`AnyProvider`] (here) dispatches to the one a store uses.
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

use utoipa_axum::router::OpenApiRouter;

pub use engine::Engine;

use paypay::client::PayPay;
use provider::{
    ChargeRequest, CodeCreated, CodeRequest, Outcome, Provider, ProviderStatus, RefundRequest,
    RefundStatus,
};

use crate::AppState;

/// This room's routes.
pub fn router() -> OpenApiRouter<AppState> {
    routes::router()
}

/// Every provider the server speaks to, dispatched without boxing.
#[derive(Clone, Debug)]
pub enum AnyProvider {
    /// PayPay's Open Payment API (or the stand-in).
    PayPay(PayPay),
}

impl Provider for AnyProvider {
    async fn create_code(&self, r: &CodeRequest) -> Outcome<CodeCreated> {
        match self {
            AnyProvider::PayPay(p) => p.create_code(r).await,
        }
    }
    async fn code_status(&self, mpid: &str) -> Outcome<ProviderStatus> {
        match self {
            AnyProvider::PayPay(p) => p.code_status(mpid).await,
        }
    }
    async fn delete_code(&self, code_id: &str) -> Outcome<()> {
        match self {
            AnyProvider::PayPay(p) => p.delete_code(code_id).await,
        }
    }
    async fn charge_code(&self, r: &ChargeRequest) -> Outcome<ProviderStatus> {
        match self {
            AnyProvider::PayPay(p) => p.charge_code(r).await,
        }
    }
    async fn payment_status(&self, mpid: &str) -> Outcome<ProviderStatus> {
        match self {
            AnyProvider::PayPay(p) => p.payment_status(mpid).await,
        }
    }
    async fn cancel(&self, mpid: &str) -> Outcome<()> {
        match self {
            AnyProvider::PayPay(p) => p.cancel(mpid).await,
        }
    }
    async fn refund(&self, r: &RefundRequest) -> Outcome<RefundStatus> {
        match self {
            AnyProvider::PayPay(p) => p.refund(r).await,
        }
    }
    async fn refund_status(&self, mrid: &str) -> Outcome<RefundStatus> {
        match self {
            AnyProvider::PayPay(p) => p.refund_status(mrid).await,
        }
    }
}
