//! The PayPay client: each request's body serialised once, signed, and sent as those very bytes
//! with `Content-Type: application/json;charset=UTF-8`; each answer classified by
//! [`wire::classify`] into an [`Outcome`].

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::payments::paypay::sign;
use crate::payments::paypay::wire::{self, Class, Envelope, Money};
use crate::payments::provider::{
    ChargeRequest, CodeCreated, CodeRequest, Outcome, PayStatus, Provider, ProviderStatus,
    RefundRequest, RefundStatus, Timeouts,
};

/// PayPay's production API.
pub const PRODUCTION: &str = "https://api.paypay.ne.jp";
/// PayPay's sandbox API.
pub const SANDBOX: &str = "https://stg-api.sandbox.paypay.ne.jp";

/// A merchant's PayPay account: where, and the credentials.
#[derive(Clone)]
pub struct PayPayAccount {
    /// The API's origin (no trailing slash).
    pub base_url: String,
    /// The API key.
    pub api_key: String,
    /// The API secret.
    pub api_secret: String,
    /// Sent as `X-ASSUME-MERCHANT` when set.
    pub merchant_id: Option<String>,
}

impl fmt::Debug for PayPayAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret, not even in a log.
        f.debug_struct("PayPayAccount")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key)
            .field("merchant_id", &self.merchant_id)
            .finish_non_exhaustive()
    }
}

/// A PayPay client for one account.
#[derive(Clone, Debug)]
pub struct PayPay {
    /// The shared HTTP client.
    http: reqwest::Client,
    /// The account.
    account: Arc<PayPayAccount>,
    /// How long a call may take.
    timeouts: Timeouts,
}

/// A request's epoch seconds (for `requestedAt`).
fn now_epoch() -> i64 {
    Utc::now().timestamp()
}

/// The engine's view of PayPay's payment status.
fn pay_status(status: wire::PayStatus) -> PayStatus {
    match status {
        wire::PayStatus::Completed => PayStatus::Completed,
        wire::PayStatus::Failed => PayStatus::Failed,
        wire::PayStatus::Refunded | wire::PayStatus::Canceled | wire::PayStatus::Expired => {
            PayStatus::Other
        }
        // Not settled yet (a word this code does not know counts so too).
        wire::PayStatus::Created
        | wire::PayStatus::Authorized
        | wire::PayStatus::Reauthorizing
        | wire::PayStatus::Other => PayStatus::Created,
    }
}

/// A status answer as the engine sees it.
fn status_outcome(answer: Outcome<Option<wire::PaymentData>>) -> Outcome<ProviderStatus> {
    match answer {
        Outcome::Done(Some(data)) => Outcome::Done(ProviderStatus {
            payment_id: data.payment_id,
            status: pay_status(data.status),
        }),
        Outcome::Done(None) => Outcome::Unknown("an answer without data".to_owned()),
        Outcome::Refused { http, code, code_id } => Outcome::Refused { http, code, code_id },
        Outcome::Unknown(why) => Outcome::Unknown(why),
    }
}

/// A refund answer as the engine sees it.
fn refund_outcome(answer: Outcome<Option<wire::RefundData>>) -> Outcome<RefundStatus> {
    match answer {
        Outcome::Done(Some(data)) => match data.status {
            wire::RefundPhase::Created | wire::RefundPhase::Refunded => {
                Outcome::Done(RefundStatus::Accepted)
            }
            wire::RefundPhase::RefundFailed => Outcome::Done(RefundStatus::Failed),
            wire::RefundPhase::Other => Outcome::Unknown("a refund status not known".to_owned()),
        },
        Outcome::Done(None) => Outcome::Unknown("an answer without data".to_owned()),
        Outcome::Refused { http, code, code_id } => Outcome::Refused { http, code, code_id },
        Outcome::Unknown(why) => Outcome::Unknown(why),
    }
}

impl PayPay {
    /// A client for `account` over `http`.
    pub fn new(http: reqwest::Client, account: PayPayAccount, timeouts: Timeouts) -> PayPay {
        PayPay { http, account: Arc::new(account), timeouts }
    }

    /// The path (and query) of `segments` under the API, each segment escaped.
    fn path(&self, segments: &[&str], query: Option<&str>) -> Option<String> {
        let mut url = url::Url::parse(&self.account.base_url).ok()?;
        url.path_segments_mut().ok()?.pop_if_empty().extend(segments);
        url.set_query(query);
        Some(url[url::Position::BeforePath..].to_owned())
    }

    /// Sends a signed request and classifies its answer.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        segments: &[&str],
        query: Option<&str>,
        body: Option<&impl Serialize>,
    ) -> Outcome<Option<T>> {
        let Some(path) = self.path(segments, query) else {
            return Outcome::Unknown(format!("bad API address {:?}", self.account.base_url));
        };
        // Serialised once: the signature covers exactly the bytes sent.
        let body = match body.map(serde_json::to_vec).transpose() {
            Ok(body) => body.unwrap_or_default(),
            Err(err) => return Outcome::Unknown(err.to_string()),
        };
        let header = sign::authorization(
            &self.account.api_key,
            &self.account.api_secret,
            method.as_str(),
            &path,
            wire::CONTENT_TYPE,
            &body,
            &sign::nonce(),
            now_epoch(),
        );
        let timeout = if method == Method::POST { self.timeouts.post } else { self.timeouts.get };
        let origin = self.account.base_url.trim_end_matches('/');
        let origin = url::Url::parse(origin).map(|u| u.origin().ascii_serialization());
        let mut request = self
            .http
            .request(method, format!("{}{path}", origin.unwrap_or_default()))
            .timeout(timeout)
            .header(AUTHORIZATION, header);
        if !body.is_empty() {
            request = request.header(CONTENT_TYPE, wire::CONTENT_TYPE).body(body);
        }
        if let Some(merchant) = &self.account.merchant_id {
            request = request.header("X-ASSUME-MERCHANT", merchant);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return Outcome::Unknown(format!("no answer: {err}")),
        };
        let http = response.status().as_u16();
        let bytes = match response.bytes().await {
            Ok(bytes) => bytes,
            Err(err) => return Outcome::Unknown(format!("answer cut off: {err}")),
        };
        let envelope: Option<Envelope<T>> = serde_json::from_slice(&bytes).ok();
        let info = envelope.as_ref().map(|e| &e.result_info);
        match wire::classify(http, info.map(|info| info.code.as_str())) {
            Class::Done => match envelope {
                Some(envelope) => Outcome::Done(envelope.data),
                None => Outcome::Unknown(format!("{http}: an answer that does not read")),
            },
            Class::Refused => Outcome::Refused {
                http,
                code: info.map(|i| i.code.clone()).unwrap_or_default(),
                code_id: info.map(|i| i.code_id.clone()).unwrap_or_default(),
            },
            Class::RateLimited | Class::Unknown => Outcome::Unknown(format!(
                "{http} {}",
                info.map(|i| i.code.as_str()).unwrap_or_default()
            )),
        }
    }
}

/// A call with no body.
const NO_BODY: Option<&()> = None;

impl Provider for PayPay {
    async fn create_code(&self, r: &CodeRequest) -> Outcome<CodeCreated> {
        let body = wire::CreateCode {
            merchant_payment_id: r.merchant_payment_id.clone(),
            amount: Money::jpy(r.amount),
            code_type: wire::ORDER_QR.to_owned(),
            requested_at: now_epoch(),
            order_description: Some(r.description.chars().take(255).collect()),
            store_id: Some(r.store_id.clone()),
            terminal_id: Some(r.terminal_id.clone()),
        };
        let answer: Outcome<Option<wire::CodeData>> =
            self.call(Method::POST, &["v2", "codes"], None, Some(&body)).await;
        match answer {
            Outcome::Done(Some(data)) => match DateTime::from_timestamp(data.expiry_date, 0) {
                Some(expires_at) => {
                    Outcome::Done(CodeCreated { code_id: data.code_id, url: data.url, expires_at })
                }
                None => Outcome::Unknown("an expiry that is no time".to_owned()),
            },
            Outcome::Done(None) => Outcome::Unknown("an answer without data".to_owned()),
            Outcome::Refused { http, code, code_id } => Outcome::Refused { http, code, code_id },
            Outcome::Unknown(why) => Outcome::Unknown(why),
        }
    }

    async fn code_status(&self, mpid: &str) -> Outcome<ProviderStatus> {
        status_outcome(
            self.call(Method::GET, &["v2", "codes", "payments", mpid], None, NO_BODY).await,
        )
    }

    async fn delete_code(&self, code_id: &str) -> Outcome<()> {
        let answer: Outcome<Option<serde_json::Value>> =
            self.call(Method::DELETE, &["v2", "codes", code_id], None, NO_BODY).await;
        unit(answer)
    }

    async fn charge_code(&self, r: &ChargeRequest) -> Outcome<ProviderStatus> {
        let body = wire::NativePayment {
            merchant_payment_id: r.merchant_payment_id.clone(),
            user_authorization_id: r.customer_code.clone(),
            amount: Money::jpy(r.amount),
            requested_at: now_epoch(),
            store_id: Some(r.store_id.clone()),
            terminal_id: Some(r.terminal_id.clone()),
            order_description: None,
        };
        let query = Some("agreeSimilarTransaction=false");
        status_outcome(self.call(Method::POST, &["v2", "payments"], query, Some(&body)).await)
    }

    async fn payment_status(&self, mpid: &str) -> Outcome<ProviderStatus> {
        status_outcome(self.call(Method::GET, &["v2", "payments", mpid], None, NO_BODY).await)
    }

    async fn cancel(&self, mpid: &str) -> Outcome<()> {
        let answer: Outcome<Option<serde_json::Value>> =
            self.call(Method::DELETE, &["v2", "payments", mpid], None, NO_BODY).await;
        unit(answer)
    }

    async fn refund(&self, r: &RefundRequest) -> Outcome<RefundStatus> {
        let body = wire::RefundBody {
            merchant_refund_id: r.merchant_refund_id.clone(),
            payment_id: r.payment_id.clone(),
            amount: Money::jpy(r.amount),
            requested_at: now_epoch(),
            reason: None,
        };
        refund_outcome(self.call(Method::POST, &["v2", "refunds"], None, Some(&body)).await)
    }

    async fn refund_status(&self, mrid: &str) -> Outcome<RefundStatus> {
        refund_outcome(self.call(Method::GET, &["v2", "refunds", mrid], None, NO_BODY).await)
    }
}

/// An answer whose data does not matter.
fn unit(answer: Outcome<Option<serde_json::Value>>) -> Outcome<()> {
    match answer {
        Outcome::Done(_) => Outcome::Done(()),
        Outcome::Refused { http, code, code_id } => Outcome::Refused { http, code, code_id },
        Outcome::Unknown(why) => Outcome::Unknown(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base_url: &str) -> PayPay {
        let account = PayPayAccount {
            base_url: base_url.to_owned(),
            api_key: "k".to_owned(),
            api_secret: "s".to_owned(),
            merchant_id: None,
        };
        PayPay::new(reqwest::Client::new(), account, Timeouts::default())
    }

    #[test]
    fn paths_are_escaped_and_keep_a_base_path() {
        let paypay = client("http://127.0.0.1:9/");
        assert_eq!(paypay.path(&["v2", "codes", "a/b"], None).unwrap(), "/v2/codes/a%2Fb");
        let query = Some("agreeSimilarTransaction=false");
        assert_eq!(
            paypay.path(&["v2", "payments"], query).unwrap(),
            "/v2/payments?agreeSimilarTransaction=false"
        );
        assert!(!format!("{paypay:?}").contains("api_secret"));
    }

    #[tokio::test]
    async fn no_answer_is_unknown() {
        // Nothing listens on port 9 (discard) of loopback in the test environment.
        let answer = client("http://127.0.0.1:9").code_status("m1").await;
        assert!(matches!(answer, Outcome::Unknown(_)), "{answer:?}");
    }
}
