//! What the engine asks of a payment provider. Only the provider clients (today [`PayPay`])
//! speak a provider's protocol and classify its answers; the engine sees [`Outcome`]s: done, a
//! definite refusal, or unknown (the provider may or may not have done it).

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::payments::paypay::client::PayPay;

/// What one call to a provider came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The provider did it and said what it is now.
    Done(T),
    /// The provider definitely did not do it (a 4xx, or a 5xx that says the transaction failed).
    Refused {
        /// The HTTP status.
        http: u16,
        /// The provider's result code (`TRANSACTION_FAILED`, …).
        code: String,
        /// The provider's code id (`00200002`, …).
        code_id: String,
    },
    /// Nobody knows whether the provider did it (a timeout, a dropped connection, a 500 that is
    /// not a definite failure, 502–504, 429): ask its status before anything else.
    Unknown(String),
}

impl<T> Outcome<T> {
    /// True for a refusal with the provider's result `code`.
    pub fn refused_with(&self, wanted: &str) -> bool {
        matches!(self, Outcome::Refused { code, .. } if code == wanted)
    }
}

/// A payment's status at the provider, as far as the engine cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayStatus {
    /// Not paid yet (an unpaid code stays so even past its expiry).
    Created,
    /// Paid.
    Completed,
    /// Failed (a declined payment, or one paid after our cancel).
    Failed,
    /// Cancelled or expired (pre-authorisation only), refunded, or anything else that is not
    /// money with us.
    Other,
}

/// A payment's status and the provider's own id of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderStatus {
    /// The provider's payment id (PayPay's `paymentId`), once there is a payment.
    pub payment_id: Option<String>,
    /// Where it stands.
    pub status: PayStatus,
}

/// A refund's status at the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefundStatus {
    /// Accepted (`CREATED` or `REFUNDED`).
    Accepted,
    /// Failed (transient at PayPay: a new refund may be tried).
    Failed,
}

/// A code for the customer to scan with their phone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRequest {
    /// Our payment id, the provider's merchantPaymentId.
    pub merchant_payment_id: String,
    /// Yen.
    pub amount: i64,
    /// The store's name, as the customer's app shows it.
    pub description: String,
    /// The store's id.
    pub store_id: String,
    /// The register's id.
    pub terminal_id: String,
}

/// A code made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeCreated {
    /// The provider's id of the code (to delete it).
    pub code_id: String,
    /// What the shown QR code encodes.
    pub url: String,
    /// When the code stops taking payments.
    pub expires_at: DateTime<Utc>,
}

/// A charge of a code the customer shows (scanned by the register).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeRequest {
    /// Our payment id.
    pub merchant_payment_id: String,
    /// Yen.
    pub amount: i64,
    /// The scanned code.
    pub customer_code: String,
    /// The store's id.
    pub store_id: String,
    /// The register's id.
    pub terminal_id: String,
}

/// A refund of a completed payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefundRequest {
    /// Our refund id, the provider's merchantRefundId.
    pub merchant_refund_id: String,
    /// The provider's payment id (not ours).
    pub payment_id: String,
    /// Yen, positive.
    pub amount: i64,
}

/// How long calls may take, and how often a pending payment is looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// A POST (PayPay: read at least 30 s).
    pub post: Duration,
    /// A GET or DELETE (15 s).
    pub get: Duration,
    /// Between two status checks of a pending payment (2–3 s in PayPay's documents; never
    /// every second).
    pub poll: Duration,
}

/// How often a pending payment's status is asked.
pub const POLL: Duration = Duration::from_secs(3);

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts { post: Duration::from_secs(30), get: Duration::from_secs(15), poll: POLL }
    }
}

/// A payment provider's API.
pub trait Provider: Send + Sync {
    /// Makes a code for the customer to scan.
    fn create_code(&self, r: &CodeRequest) -> impl Future<Output = Outcome<CodeCreated>> + Send;
    /// The status of a code's payment, by our payment id.
    fn code_status(&self, mpid: &str) -> impl Future<Output = Outcome<ProviderStatus>> + Send;
    /// Deletes a code nobody paid.
    fn delete_code(&self, code_id: &str) -> impl Future<Output = Outcome<()>> + Send;
    /// Charges a code the customer shows.
    fn charge_code(
        &self,
        r: &ChargeRequest,
    ) -> impl Future<Output = Outcome<ProviderStatus>> + Send;
    /// The status of a charged payment, by our payment id.
    fn payment_status(&self, mpid: &str) -> impl Future<Output = Outcome<ProviderStatus>> + Send;
    /// Cancels a payment whatever became of it (paid later, it fails).
    fn cancel(&self, mpid: &str) -> impl Future<Output = Outcome<()>> + Send;
    /// Refunds (part of) a completed payment.
    fn refund(&self, r: &RefundRequest) -> impl Future<Output = Outcome<RefundStatus>> + Send;
    /// The status of a refund, by our refund id.
    fn refund_status(&self, mrid: &str) -> impl Future<Output = Outcome<RefundStatus>> + Send;
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
