//! What goes over the wire to PayPay: the answer envelope, request and answer bodies, result
//! codes with their HTTP status, and which answers leave a payment's outcome unknown.
//!
//! Field names are PayPay's (camelCase); amounts are whole yen. Only the fields Akinai sends or
//! reads are here; unknown fields in answers are ignored.

use serde::{Deserialize, Serialize};

/// The only currency Akinai sends.
pub const JPY: &str = "JPY";

/// The Content-Type Akinai sends and signs (the Java and Python SDKs send the same).
pub const CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// The `codeType` of a dynamic QR code for one order.
pub const ORDER_QR: &str = "ORDER_QR";

/// `resultInfo`, in every answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultInfo {
    /// The result's name, e.g. `SUCCESS`, `DYNAMIC_QR_ALREADY_PAID`.
    pub code: String,
    /// A human-readable message.
    #[serde(default)]
    pub message: String,
    /// The result's number, e.g. `08100001`; codes sharing a name differ here.
    #[serde(default)]
    pub code_id: String,
}

/// Every answer: `{"resultInfo": …, "data": … | null}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// What happened.
    pub result_info: ResultInfo,
    /// The answer's object, absent or null on most refusals.
    #[serde(default = "none")]
    pub data: Option<T>,
}

/// `data` defaults to none without asking `T` for a default.
fn none<T>() -> Option<T> {
    None
}

/// An amount: `{"amount": 500, "currency": "JPY"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    /// Whole yen.
    pub amount: i64,
    /// Always `JPY`.
    pub currency: String,
}

impl Money {
    /// An amount in yen.
    pub fn jpy(amount: i64) -> Money {
        Money { amount, currency: JPY.to_owned() }
    }
}

/// `POST /v2/codes`: a dynamic QR code for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateCode {
    /// Our payment's id, unique per merchant, ≤ 64 characters.
    pub merchant_payment_id: String,
    /// The amount to pay.
    pub amount: Money,
    /// Always [`ORDER_QR`].
    pub code_type: String,
    /// When we asked, epoch seconds.
    pub requested_at: i64,
    /// Shown to the customer (the store's name), ≤ 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_description: Option<String>,
    /// Our store's id, ≤ 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// Our device's id, ≤ 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
}

/// The answer's `data` to `POST /v2/codes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeData {
    /// The code's id, for `DELETE /v2/codes/{codeId}`.
    pub code_id: String,
    /// The link the shown QR code encodes (UNVERIFIED that the screen should show this rather
    /// than `deeplink`).
    pub url: String,
    /// The app's deep link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deeplink: Option<String>,
    /// When the code stops being payable, epoch seconds (its length is not ours to choose).
    pub expiry_date: i64,
    /// Our payment's id, echoed.
    pub merchant_payment_id: String,
    /// The amount, echoed.
    pub amount: Money,
}

/// A payment's `status`. An unpaid dynamic QR code past its expiry stays `Created`; `Expired`
/// and `Canceled` belong to pre-authorisation, which Akinai does not use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PayStatus {
    /// Shown, not paid (also after the code expired).
    Created,
    /// Pre-authorised.
    Authorized,
    /// Being captured.
    Reauthorizing,
    /// Paid.
    Completed,
    /// Paid, then refunded.
    Refunded,
    /// Failed, or cancelled by us (a cancel before payment turns a later payment into this).
    Failed,
    /// A pre-authorisation reverted.
    Canceled,
    /// A pre-authorisation expired.
    Expired,
    /// A word this code does not know: read as "not settled yet".
    #[serde(other)]
    Other,
}

/// The `data` of `GET /v2/codes/payments/{mpid}` and of the native `POST|GET /v2/payments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentData {
    /// PayPay's id of the payment (what a refund names); absent before payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// Where the payment stands.
    pub status: PayStatus,
    /// When it was paid, epoch seconds; 0 when not.
    #[serde(default)]
    pub accepted_at: i64,
    /// Our payment's id.
    pub merchant_payment_id: String,
    /// The amount.
    pub amount: Money,
    /// When we asked, epoch seconds.
    #[serde(default)]
    pub requested_at: i64,
    /// Our store's id, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// Our device's id, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
}

/// `POST /v2/payments?agreeSimilarTransaction=…`: charge a code the customer presents. PayPay's
/// public "native payment" shape; that the scanned code goes in `userAuthorizationId` is our
/// assumption (UNVERIFIED: the in-store endpoint is not public), so only the stand-in answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NativePayment {
    /// Our payment's id.
    pub merchant_payment_id: String,
    /// The code the customer presented (see above).
    pub user_authorization_id: String,
    /// The amount to charge.
    pub amount: Money,
    /// When we asked, epoch seconds.
    pub requested_at: i64,
    /// Our store's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store_id: Option<String>,
    /// Our device's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_id: Option<String>,
    /// Shown to the customer (the store's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_description: Option<String>,
}

/// `POST /v2/refunds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundBody {
    /// Our refund's id, ≤ 64.
    pub merchant_refund_id: String,
    /// PayPay's `paymentId` (not our merchantPaymentId: that answers INTERNAL_SERVER_ERROR).
    pub payment_id: String,
    /// How much goes back.
    pub amount: Money,
    /// When we asked, epoch seconds.
    pub requested_at: i64,
    /// Why, ≤ 255.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A refund's `status`: `Created` and `Refunded` both mean it is accepted (PayPay finishes a
/// created one by itself); `RefundFailed` is only ever passing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RefundPhase {
    /// Accepted, to be paid back.
    Created,
    /// Paid back.
    Refunded,
    /// Not (yet) done.
    RefundFailed,
    /// A word this code does not know: read as "not settled yet".
    #[serde(other)]
    Other,
}

/// The `data` of `POST /v2/refunds` and `GET /v2/refunds/{merchantRefundId}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundData {
    /// Where the refund stands.
    pub status: RefundPhase,
    /// When it was accepted, epoch seconds.
    #[serde(default)]
    pub accepted_at: i64,
    /// Our refund's id.
    pub merchant_refund_id: String,
    /// PayPay's payment id.
    pub payment_id: String,
    /// How much goes back.
    pub amount: Money,
    /// When we asked, epoch seconds.
    #[serde(default)]
    pub requested_at: i64,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One documented answer: its HTTP status, `code` and `codeId`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultCode {
    /// The HTTP status it comes with.
    pub http: u16,
    /// `resultInfo.code`.
    pub code: &'static str,
    /// `resultInfo.codeId`.
    pub code_id: &'static str,
}

impl ResultCode {
    /// Its `resultInfo`, with a message.
    pub fn info(self, message: &str) -> ResultInfo {
        ResultInfo {
            code: self.code.to_owned(),
            message: message.to_owned(),
            code_id: self.code_id.to_owned(),
        }
    }
}

/// Shorthand for the table below.
const fn rc(http: u16, code: &'static str, code_id: &'static str) -> ResultCode {
    ResultCode { http, code, code_id }
}

/// 200: done.
pub const SUCCESS: ResultCode = rc(200, "SUCCESS", "08100001");
/// 201: a code (or native payment) created.
pub const CREATED: ResultCode = rc(201, "SUCCESS", "08100001");
/// 202: accepted, done later.
pub const REQUEST_ACCEPTED: ResultCode = rc(202, "REQUEST_ACCEPTED", "08100001");
/// 400: a field is wrong.
pub const INVALID_REQUEST_PARAMS: ResultCode = rc(400, "INVALID_REQUEST_PARAMS", "08100006");
/// 400: a field is missing.
pub const MISSING_REQUEST_PARAMS: ResultCode = rc(400, "MISSING_REQUEST_PARAMS", "08100024");
/// 401: bad signature, unknown key or clock too far off.
pub const UNAUTHORIZED: ResultCode = rc(401, "UNAUTHORIZED", "08100016");
/// 401: not allowed for this client.
pub const OP_OUT_OF_SCOPE: ResultCode = rc(401, "OP_OUT_OF_SCOPE", "08100023");
/// 404: the client (API key) is not found.
pub const OPA_CLIENT_NOT_FOUND: ResultCode = rc(404, "OPA_CLIENT_NOT_FOUND", "08100007");
/// 429: too many requests; not processed.
pub const RATE_LIMIT: ResultCode = rc(429, "RATE_LIMIT", "08100998");
/// 500: a service error (classed unknown: the sources do not say).
pub const SERVICE_ERROR: ResultCode = rc(500, "SERVICE_ERROR", "08100026");
/// 500: the outcome is unknown.
pub const INTERNAL_SERVER_ERROR: ResultCode = rc(500, "INTERNAL_SERVER_ERROR", "08101000");
/// 503: maintenance (unknown outcome).
pub const MAINTENANCE_MODE: ResultCode = rc(503, "MAINTENANCE_MODE", "08100999");
/// 400: a code for this merchantPaymentId exists already (that a reused id answers this is
/// UNVERIFIED).
pub const DUPLICATE_DYNAMIC_QR_REQUEST: ResultCode =
    rc(400, "DUPLICATE_DYNAMIC_QR_REQUEST", "01652073");
/// 400: the code request is wrong.
pub const DYNAMIC_QR_BAD_REQUEST: ResultCode = rc(400, "DYNAMIC_QR_BAD_REQUEST", "01650000");
/// 400: no payment with this merchantPaymentId.
pub const DYNAMIC_QR_PAYMENT_NOT_FOUND: ResultCode =
    rc(400, "DYNAMIC_QR_PAYMENT_NOT_FOUND", "01652075");
/// 400: the code cannot be deleted, it was paid.
pub const DYNAMIC_QR_ALREADY_PAID: ResultCode = rc(400, "DYNAMIC_QR_ALREADY_PAID", "01652074");
/// 404: no such code.
pub const DYNAMIC_QR_NOT_FOUND: ResultCode = rc(404, "DYNAMIC_QR_NOT_FOUND", "01652072");
/// 400: the payment can no longer be cancelled (refund it).
pub const ORDER_NOT_REVERSIBLE: ResultCode = rc(400, "ORDER_NOT_REVERSIBLE", "00200044");
/// 500: cancel, refund or payment timed out inside PayPay (unknown outcome).
pub const PAYMENT_INTERNAL_SERVER_ERROR: ResultCode = rc(500, "INTERNAL_SERVER_ERROR", "00200034");
/// 500: the payment or refund definitely failed (also 00200003, and 00800017 for balance).
pub const TRANSACTION_FAILED: ResultCode = rc(500, "TRANSACTION_FAILED", "00200002");
/// 400: a refund field is wrong.
pub const INVALID_PARAMS: ResultCode = rc(400, "INVALID_PARAMS", "00200004");
/// 400: the refund amount is wrong.
pub const INVALID_REFUND_AMOUNT: ResultCode = rc(400, "INVALID_PARAMS", "00200015");
/// 400: this payment cannot be refunded.
pub const UNACCEPTABLE_OP: ResultCode = rc(400, "UNACCEPTABLE_OP", "00200013");
/// 400: a second refund of one payment.
pub const MULTIPLE_REFUND_NOT_ALLOWED: ResultCode = rc(400, "UNACCEPTABLE_OP", "00200014");
/// 400: the customer's account is closed.
pub const CANCELED_USER: ResultCode = rc(400, "CANCELED_USER", "01103027");
/// 404: no such payment (refund).
pub const RESOURCE_NOT_FOUND: ResultCode = rc(404, "RESOURCE_NOT_FOUND", "00200001");
/// 404: no refund with this merchantRefundId.
pub const NO_SUCH_REFUND_ORDER: ResultCode = rc(404, "NO_SUCH_REFUND_ORDER", "00200018");
/// 400: a near-duplicate native payment, refused unless `agreeSimilarTransaction=true`.
pub const SUSPECTED_DUPLICATE_PAYMENT: ResultCode =
    rc(400, "SUSPECTED_DUPLICATE_PAYMENT", "00200017");

/// What an answer means for the request's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Done (2xx).
    Done,
    /// Definitely not done: a 4xx refusal, or 500 TRANSACTION_FAILED.
    Refused,
    /// Not processed, try again later (429; our reading).
    RateLimited,
    /// Maybe done: 500 INTERNAL_SERVER_ERROR / SERVICE_ERROR (our reading), 502/503/504, any
    /// other status. Resolve by asking the status, then cancelling.
    Unknown,
}

/// Classes an answer by its HTTP status and `resultInfo.code` (`None` when the body was not an
/// envelope, e.g. a proxy's 502 page).
pub fn classify(http: u16, code: Option<&str>) -> Class {
    match http {
        200..=299 => Class::Done,
        429 => Class::RateLimited,
        400..=499 => Class::Refused,
        500 if code == Some(TRANSACTION_FAILED.code) => Class::Refused,
        _ => Class::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_code_is_camel_case_and_leaves_out_what_we_do_not_send() {
        let body = CreateCode {
            merchant_payment_id: "0192".to_owned(),
            amount: Money::jpy(1200),
            code_type: ORDER_QR.to_owned(),
            requested_at: 1_700_000_000,
            order_description: None,
            store_id: Some("s1".to_owned()),
            terminal_id: None,
        };
        assert_eq!(
            serde_json::to_string(&body).ok().as_deref(),
            Some(
                r#"{"merchantPaymentId":"0192","amount":{"amount":1200,"currency":"JPY"},"codeType":"ORDER_QR","requestedAt":1700000000,"storeId":"s1"}"#
            )
        );
    }

    #[test]
    fn reads_a_documented_status_answer() {
        let text = r#"{"resultInfo":{"code":"SUCCESS","message":"Success","codeId":"08100001"},
            "data":{"paymentId":"P1","status":"COMPLETED","acceptedAt":1700000100,"refunds":{"data":[]},
            "merchantPaymentId":"m1","amount":{"amount":500,"currency":"JPY"},"requestedAt":1700000000,
            "expiresAt":null,"canceledAt":null,"storeId":"s","terminalId":"t","orderItems":[]}}"#;
        let answer: Envelope<PaymentData> = serde_json::from_str(text).unwrap();
        let data = answer.data.unwrap();
        assert_eq!(data.status, PayStatus::Completed);
        assert_eq!(data.payment_id.as_deref(), Some("P1"));
        assert_eq!(data.amount, Money::jpy(500));
    }

    #[test]
    fn a_refusal_has_null_or_no_data_and_unknown_words_do_not_fail() {
        for text in [
            r#"{"resultInfo":{"code":"DYNAMIC_QR_PAYMENT_NOT_FOUND","message":"x","codeId":"01652075"},"data":null}"#,
            r#"{"resultInfo":{"code":"DYNAMIC_QR_PAYMENT_NOT_FOUND","message":"x","codeId":"01652075"}}"#,
        ] {
            let answer: Envelope<PaymentData> = serde_json::from_str(text).unwrap();
            assert_eq!(answer.result_info, DYNAMIC_QR_PAYMENT_NOT_FOUND.info("x"));
            assert_eq!(answer.data, None);
        }
        let status: PayStatus = serde_json::from_str(r#""SOMETHING_NEW""#).unwrap();
        assert_eq!(status, PayStatus::Other);
        let phase: RefundPhase = serde_json::from_str(r#""REFUND_FAILED""#).unwrap();
        assert_eq!(phase, RefundPhase::RefundFailed);
    }

    #[test]
    fn classes() {
        assert_eq!(classify(201, Some("SUCCESS")), Class::Done);
        assert_eq!(classify(202, Some("REQUEST_ACCEPTED")), Class::Done);
        assert_eq!(classify(400, Some("DUPLICATE_DYNAMIC_QR_REQUEST")), Class::Refused);
        assert_eq!(classify(401, Some("UNAUTHORIZED")), Class::Refused);
        assert_eq!(classify(429, Some("RATE_LIMIT")), Class::RateLimited);
        assert_eq!(classify(500, Some("TRANSACTION_FAILED")), Class::Refused);
        assert_eq!(classify(500, Some("INTERNAL_SERVER_ERROR")), Class::Unknown);
        assert_eq!(classify(500, Some("SERVICE_ERROR")), Class::Unknown);
        assert_eq!(classify(500, None), Class::Unknown);
        for http in [502, 503, 504] {
            assert_eq!(classify(http, None), Class::Unknown);
        }
    }
}
