//! The stand-in's memory: every code, payment and refund it was asked for, and how each moves on
//! (paid on the customer's page, expired, cancelled, refunded) the way PayPay's documents say.

use chrono::{DateTime, Days, NaiveTime};
use rand::Rng as _;
use serde::Serialize;

use akinai_core::TOKYO;

use crate::payments::paypay::wire::{
    self, CodeData, CreateCode, Money, NativePayment, PayStatus, PaymentData, RefundBody,
    RefundData, RefundPhase, ResultCode,
};

/// How long after the customer pays a cancel armed before it turns the payment into FAILED, and
/// how long a CREATED refund takes to become REFUNDED, in milliseconds.
pub const SETTLE_MS: i64 = 1000;

/// A presented customer code ending in this is declined (500 TRANSACTION_FAILED), to try the
/// refusal path in customer-code mode.
pub const DECLINED_CODE_SUFFIX: &str = "9999";

/// A refusal: the documented result and a message.
pub type Refusal = (ResultCode, &'static str);

/// One refund of a payment.
#[derive(Debug, Clone)]
struct Refund {
    merchant_refund_id: String,
    amount: i64,
    requested_at: i64,
    accepted_at: i64,
    reason: Option<String>,
    /// When it turns from CREATED to REFUNDED, epoch milliseconds.
    refunded_at_ms: i64,
}

/// One payment: from a dynamic QR code, or charged from a presented customer code.
#[derive(Debug, Clone)]
struct Entry {
    merchant_payment_id: String,
    /// Code payments only.
    code: Option<Code>,
    amount: i64,
    requested_at: i64,
    store_id: Option<String>,
    terminal_id: Option<String>,
    order_description: Option<String>,
    status: PayStatus,
    payment_id: Option<String>,
    accepted_at: i64,
    /// A cancel arrived before the customer paid: a later payment turns FAILED.
    cancel_armed: bool,
    /// The code a customer presented (charged payments only).
    customer_code: Option<String>,
    /// When an armed cancel turns the completed payment FAILED, epoch milliseconds.
    fails_at_ms: Option<i64>,
    refund: Option<Refund>,
}

/// The code part of a code payment.
#[derive(Debug, Clone)]
struct Code {
    code_id: String,
    url: String,
    expires_at: i64,
    deleted: bool,
}

/// A code as `GET /control/codes` and the customer's page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodeView {
    /// The code's id.
    pub code_id: String,
    /// The payment's merchantPaymentId.
    pub merchant_payment_id: String,
    /// What the shop's QR code encodes (this stand-in's `/qr/{codeId}`).
    pub url: String,
    /// Yen.
    pub amount: i64,
    /// PayPay's status word (an expired unpaid code stays CREATED).
    pub status: PayStatus,
    /// Past its expiry date.
    pub expired: bool,
    /// Deleted by the shop.
    pub deleted: bool,
    /// When it expires, epoch seconds.
    pub expiry_date: i64,
    /// PayPay's payment id once paid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// The store's name, as the shop sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_description: Option<String>,
    /// The refunded amount, if refunded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refunded: Option<i64>,
}

impl CodeView {
    /// Payable now: created, not deleted, not expired.
    pub fn live(&self) -> bool {
        self.status == PayStatus::Created && !self.expired && !self.deleted
    }
}

/// What the customer's tap did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tap {
    /// Paid now.
    Paid,
    /// Declined now.
    Declined,
    /// Nothing: the code was paid already.
    AlreadyPaid,
    /// Nothing: the code was declined or cancelled already.
    AlreadyFailed,
    /// Nothing: past its expiry date.
    Expired,
    /// Nothing: the shop deleted the code.
    Deleted,
    /// No such code.
    NotFound,
}

/// Everything the stand-in knows.
#[derive(Debug, Default)]
pub struct Book {
    entries: Vec<Entry>,
    /// merchantPaymentIds cancelled before any payment existed: never usable again.
    burnt: Vec<String>,
}

/// A random id of `len` characters from `alphabet`.
fn random_id(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len).map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())])).collect()
}

/// Until when a payment accepted at `accepted_at` can be cancelled: 00:14:59 the next day, Tokyo.
fn cancel_deadline(accepted_at: i64) -> i64 {
    let Some(paid) = DateTime::from_timestamp(accepted_at, 0) else {
        return accepted_at;
    };
    let next_day = paid.with_timezone(&TOKYO).date_naive() + Days::new(1);
    let limit = NaiveTime::from_hms_opt(0, 14, 59).unwrap_or(NaiveTime::MIN);
    next_day
        .and_time(limit)
        .and_local_timezone(TOKYO)
        .single()
        .map_or(accepted_at, |d| d.timestamp())
}

/// An id PayPay would accept: 1 to 64 characters.
fn valid_id(id: &str) -> bool {
    (1..=64).contains(&id.chars().count())
}

impl Entry {
    fn data(&self) -> PaymentData {
        PaymentData {
            payment_id: self.payment_id.clone(),
            status: self.status,
            accepted_at: self.accepted_at,
            merchant_payment_id: self.merchant_payment_id.clone(),
            amount: Money::jpy(self.amount),
            requested_at: self.requested_at,
            store_id: self.store_id.clone(),
            terminal_id: self.terminal_id.clone(),
        }
    }

    fn refund_data(&self, refund: &Refund, now_ms: i64) -> RefundData {
        RefundData {
            status: if now_ms >= refund.refunded_at_ms {
                RefundPhase::Refunded
            } else {
                RefundPhase::Created
            },
            accepted_at: refund.accepted_at,
            merchant_refund_id: refund.merchant_refund_id.clone(),
            payment_id: self.payment_id.clone().unwrap_or_default(),
            amount: Money::jpy(refund.amount),
            requested_at: refund.requested_at,
            reason: refund.reason.clone(),
        }
    }

    /// Marks it paid now; an armed cancel will turn it FAILED shortly.
    fn pay(&mut self, now_ms: i64) {
        self.status = PayStatus::Completed;
        self.payment_id = Some(random_id(b"0123456789", 19));
        self.accepted_at = now_ms / 1000;
        if self.cancel_armed {
            self.fails_at_ms = Some(now_ms + SETTLE_MS);
        }
    }

    fn view(&self, now_ms: i64) -> Option<CodeView> {
        let code = self.code.as_ref()?;
        Some(CodeView {
            code_id: code.code_id.clone(),
            merchant_payment_id: self.merchant_payment_id.clone(),
            url: code.url.clone(),
            amount: self.amount,
            status: self.status,
            expired: now_ms / 1000 >= code.expires_at,
            deleted: code.deleted,
            expiry_date: code.expires_at,
            payment_id: self.payment_id.clone(),
            order_description: self.order_description.clone(),
            refunded: self.refund.as_ref().map(|r| r.amount),
        })
    }
}

impl Book {
    /// Moves time-driven changes on to `now_ms`: armed cancels fire, refunds complete.
    fn settle(&mut self, now_ms: i64) {
        for entry in &mut self.entries {
            if entry.fails_at_ms.is_some_and(|at| now_ms >= at) {
                entry.fails_at_ms = None;
                entry.status = PayStatus::Failed;
            }
            if let Some(refund) = &entry.refund
                && now_ms >= refund.refunded_at_ms
                && refund.amount == entry.amount
                && entry.status == PayStatus::Completed
            {
                entry.status = PayStatus::Refunded;
            }
        }
    }

    fn used(&self, mpid: &str) -> bool {
        self.burnt.iter().any(|b| b == mpid)
            || self.entries.iter().any(|e| e.merchant_payment_id == mpid)
    }

    fn by_mpid(&mut self, mpid: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.merchant_payment_id == mpid)
    }

    fn by_code(&mut self, code_id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.code.as_ref().is_some_and(|c| c.code_id == code_id))
    }

    /// `POST /v2/codes`. `base` is the URL the customer's page is served from.
    pub fn create_code(
        &mut self,
        body: CreateCode,
        base: &str,
        ttl_s: i64,
        now_ms: i64,
    ) -> Result<CodeData, Refusal> {
        self.settle(now_ms);
        if body.code_type != wire::ORDER_QR {
            return Err((wire::DYNAMIC_QR_BAD_REQUEST, "codeType must be ORDER_QR"));
        }
        check_request(&body.merchant_payment_id, &body.amount)?;
        if self.used(&body.merchant_payment_id) {
            return Err((wire::DUPLICATE_DYNAMIC_QR_REQUEST, "merchantPaymentId already used"));
        }
        let code_id = format!(
            "04-{}",
            random_id(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 16)
        );
        let url = format!("{}/qr/{code_id}", base.trim_end_matches('/'));
        let expires_at = now_ms / 1000 + ttl_s;
        let data = CodeData {
            code_id: code_id.clone(),
            url: url.clone(),
            deeplink: Some(format!("paypay://stand-in/qr/{code_id}")),
            expiry_date: expires_at,
            merchant_payment_id: body.merchant_payment_id.clone(),
            amount: body.amount.clone(),
        };
        self.entries.push(Entry {
            merchant_payment_id: body.merchant_payment_id,
            code: Some(Code { code_id, url, expires_at, deleted: false }),
            amount: body.amount.amount,
            requested_at: body.requested_at,
            store_id: body.store_id,
            terminal_id: body.terminal_id,
            order_description: body.order_description,
            status: PayStatus::Created,
            payment_id: None,
            accepted_at: 0,
            cancel_armed: false,
            customer_code: None,
            fails_at_ms: None,
            refund: None,
        });
        Ok(data)
    }

    /// `DELETE /v2/codes/{codeId}`.
    pub fn delete_code(&mut self, code_id: &str, now_ms: i64) -> Result<(), Refusal> {
        self.settle(now_ms);
        let entry = self.by_code(code_id).ok_or((wire::DYNAMIC_QR_NOT_FOUND, "no such code"))?;
        if matches!(entry.status, PayStatus::Completed | PayStatus::Refunded) {
            return Err((wire::DYNAMIC_QR_ALREADY_PAID, "the code was paid"));
        }
        match &mut entry.code {
            Some(code) if !code.deleted => {
                code.deleted = true;
                Ok(())
            }
            _ => Err((wire::DYNAMIC_QR_NOT_FOUND, "no such code")),
        }
    }

    /// `GET /v2/codes/payments/{merchantPaymentId}`.
    pub fn code_status(&mut self, mpid: &str, now_ms: i64) -> Result<PaymentData, Refusal> {
        self.settle(now_ms);
        match self.by_mpid(mpid) {
            Some(entry) if entry.code.is_some() => Ok(entry.data()),
            _ => Err((wire::DYNAMIC_QR_PAYMENT_NOT_FOUND, "no such payment")),
        }
    }

    /// `GET /v2/payments/{merchantPaymentId}` (any payment, code or charged).
    pub fn payment_status(&mut self, mpid: &str, now_ms: i64) -> Result<PaymentData, Refusal> {
        self.settle(now_ms);
        self.by_mpid(mpid).map(|e| e.data()).ok_or((wire::RESOURCE_NOT_FOUND, "no such payment"))
    }

    /// `DELETE /v2/payments/{merchantPaymentId}`: cancels a payment, or arms a cancel of one
    /// not (yet) made; works until 00:14:59 the day after the payment.
    pub fn cancel(&mut self, mpid: &str, now_ms: i64) -> Result<(), Refusal> {
        self.settle(now_ms);
        let Some(entry) = self.by_mpid(mpid) else {
            // Cancelling what was perhaps never created burns the id.
            self.burnt.push(mpid.to_owned());
            return Ok(());
        };
        match entry.status {
            PayStatus::Completed if entry.refund.is_some() => {
                Err((wire::ORDER_NOT_REVERSIBLE, "the payment was refunded"))
            }
            PayStatus::Completed if now_ms / 1000 > cancel_deadline(entry.accepted_at) => {
                Err((wire::ORDER_NOT_REVERSIBLE, "past the cancel deadline: refund instead"))
            }
            PayStatus::Completed => {
                entry.status = PayStatus::Failed;
                entry.fails_at_ms = None;
                Ok(())
            }
            PayStatus::Refunded => Err((wire::ORDER_NOT_REVERSIBLE, "the payment was refunded")),
            _ => {
                entry.cancel_armed = true;
                Ok(())
            }
        }
    }

    /// `POST /v2/payments`: charges a presented customer code at once.
    pub fn charge(
        &mut self,
        body: NativePayment,
        agree_similar: bool,
        now_ms: i64,
    ) -> Result<PaymentData, Refusal> {
        self.settle(now_ms);
        check_request(&body.merchant_payment_id, &body.amount)?;
        if !valid_id(&body.user_authorization_id) {
            return Err((wire::INVALID_REQUEST_PARAMS, "userAuthorizationId: 1 to 64 characters"));
        }
        if self.used(&body.merchant_payment_id) {
            return Err((wire::INVALID_REQUEST_PARAMS, "merchantPaymentId already used"));
        }
        // Near-duplicate: the same code, the same amount, within ten minutes.
        let similar = self.entries.iter().any(|e| {
            e.code.is_none()
                && e.amount == body.amount.amount
                && e.accepted_at * 1000 + 600_000 > now_ms
                && e.customer_code.as_deref() == Some(&*body.user_authorization_id)
        });
        if similar && !agree_similar {
            return Err((wire::SUSPECTED_DUPLICATE_PAYMENT, "a similar payment was just made"));
        }
        let declined = body.user_authorization_id.ends_with(DECLINED_CODE_SUFFIX);
        let mut entry = Entry {
            merchant_payment_id: body.merchant_payment_id,
            code: None,
            amount: body.amount.amount,
            requested_at: body.requested_at,
            store_id: body.store_id,
            terminal_id: body.terminal_id,
            order_description: body.order_description,
            status: PayStatus::Failed,
            payment_id: None,
            accepted_at: 0,
            cancel_armed: false,
            customer_code: Some(body.user_authorization_id),
            fails_at_ms: None,
            refund: None,
        };
        if declined {
            self.entries.push(entry);
            return Err((wire::TRANSACTION_FAILED, "the customer's payment was declined"));
        }
        entry.pay(now_ms);
        let data = entry.data();
        self.entries.push(entry);
        Ok(data)
    }

    /// `POST /v2/refunds`: one refund per payment, up to its amount.
    pub fn refund(&mut self, body: RefundBody, now_ms: i64) -> Result<RefundData, Refusal> {
        self.settle(now_ms);
        if !valid_id(&body.merchant_refund_id) || body.amount.currency != wire::JPY {
            return Err((wire::INVALID_PARAMS, "merchantRefundId or currency"));
        }
        if let Some(entry) = self.entries.iter().find(|e| {
            e.refund.as_ref().is_some_and(|r| r.merchant_refund_id == body.merchant_refund_id)
        }) {
            // The same refund asked again: what it is now.
            return match &entry.refund {
                Some(refund) if entry.payment_id.as_deref() == Some(&*body.payment_id) => {
                    Ok(entry.refund_data(refund, now_ms))
                }
                _ => Err((wire::INVALID_PARAMS, "merchantRefundId already used")),
            };
        }
        if self.entries.iter().any(|e| e.merchant_payment_id == body.payment_id) {
            // PayPay answers so when given a merchantPaymentId where its paymentId belongs.
            return Err((wire::PAYMENT_INTERNAL_SERVER_ERROR, "paymentId is PayPay's id"));
        }
        let entry = self
            .entries
            .iter_mut()
            .find(|e| e.payment_id.as_deref() == Some(&*body.payment_id))
            .ok_or((wire::RESOURCE_NOT_FOUND, "no such payment"))?;
        if entry.status != PayStatus::Completed {
            return Err((wire::UNACCEPTABLE_OP, "the payment cannot be refunded"));
        }
        if entry.refund.is_some() {
            return Err((wire::MULTIPLE_REFUND_NOT_ALLOWED, "one refund per payment"));
        }
        if body.amount.amount <= 0 || body.amount.amount > entry.amount {
            return Err((wire::INVALID_REFUND_AMOUNT, "invalid refund amount"));
        }
        let refund = Refund {
            merchant_refund_id: body.merchant_refund_id,
            amount: body.amount.amount,
            requested_at: body.requested_at,
            accepted_at: now_ms / 1000,
            reason: body.reason,
            refunded_at_ms: now_ms + SETTLE_MS,
        };
        let data = entry.refund_data(&refund, now_ms);
        entry.refund = Some(refund);
        Ok(data)
    }

    /// `GET /v2/refunds/{merchantRefundId}`.
    pub fn refund_status(&mut self, mrid: &str, now_ms: i64) -> Result<RefundData, Refusal> {
        self.settle(now_ms);
        self.entries
            .iter()
            .find_map(|e| {
                let refund = e.refund.as_ref().filter(|r| r.merchant_refund_id == mrid)?;
                Some(e.refund_data(refund, now_ms))
            })
            .ok_or((wire::NO_SUCH_REFUND_ORDER, "no such refund"))
    }

    /// The customer taps 支払う (`pay`) or 拒否 on a code's page.
    pub fn tap(&mut self, code_id: &str, pay: bool, now_ms: i64) -> Tap {
        self.settle(now_ms);
        let Some(entry) = self.by_code(code_id) else {
            return Tap::NotFound;
        };
        let Some(code) = &entry.code else {
            return Tap::NotFound;
        };
        match entry.status {
            PayStatus::Completed | PayStatus::Refunded => return Tap::AlreadyPaid,
            PayStatus::Created => {}
            _ => return Tap::AlreadyFailed,
        }
        if code.deleted {
            return Tap::Deleted;
        }
        if now_ms / 1000 >= code.expires_at {
            return Tap::Expired;
        }
        if pay {
            entry.pay(now_ms);
            Tap::Paid
        } else {
            entry.status = PayStatus::Failed;
            Tap::Declined
        }
    }

    /// Every code, oldest first.
    pub fn codes(&mut self, now_ms: i64) -> Vec<CodeView> {
        self.settle(now_ms);
        self.entries.iter().filter_map(|e| e.view(now_ms)).collect()
    }

    /// One code.
    pub fn code(&mut self, code_id: &str, now_ms: i64) -> Option<CodeView> {
        self.settle(now_ms);
        self.by_code(code_id).and_then(|e| e.view(now_ms))
    }
}

/// The checks shared by both ways of asking for a payment.
fn check_request(mpid: &str, amount: &Money) -> Result<(), Refusal> {
    if !valid_id(mpid) {
        return Err((wire::INVALID_REQUEST_PARAMS, "merchantPaymentId: 1 to 64 characters"));
    }
    if amount.currency != wire::JPY || amount.amount <= 0 {
        return Err((wire::INVALID_REQUEST_PARAMS, "amount: a positive amount in JPY"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cancel_deadline_is_00_14_59_the_next_tokyo_day() {
        // 2026-12-03 23:30 JST = 14:30 UTC.
        let paid = DateTime::parse_from_rfc3339("2026-12-03T23:30:00+09:00").unwrap().timestamp();
        let deadline =
            DateTime::parse_from_rfc3339("2026-12-04T00:14:59+09:00").unwrap().timestamp();
        assert_eq!(cancel_deadline(paid), deadline);
        let early = DateTime::parse_from_rfc3339("2026-12-03T00:01:00+09:00").unwrap().timestamp();
        assert_eq!(cancel_deadline(early), deadline);
    }
}
