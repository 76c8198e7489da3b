//! The sale being paid for: its cart, the tenders taken so far and how each QR payment stands.
//! It is kept in the device's `checkout` store while it has tenders, so a reload (or a crash)
//! finds a QR payment the customer may already have made, and its sale id stays the one the
//! server knows the payment by.

use akinai_core::Yen;
use akinai_core::api::{Payment, PaymentState, QrShown};
use akinai_core::cart::Cart;
use akinai_core::ereceipt::{ReceiptToken, device_receipt_key};
use akinai_core::payment::{PaymentMethod, Settle, Tender, change_due};
use akinai_core::sale::{ReceiptChoice, Sale};
use akinai_i18n::Lang;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::device::storage::{Storage, stores};
use crate::error::Result;

/// The one key of the `checkout` store: a register pays for one sale at a time.
const KEY: &str = "current";

/// A new e-receipt token for a sale of `device_id`, signed with the key of the device's bearer
/// `link_token` (the server holds its hash, so it can tell this token from a made-up one before
/// the sale arrives), with 128 bits from the browser's generator.
pub(crate) fn mint_token(device_id: Uuid, link_token: &str) -> Result<String> {
    let nonce = crate::fields::random_bytes()?;
    Ok(ReceiptToken::mint(device_id, &device_receipt_key(link_token), nonce))
}

/// How a QR payment by the provider's API stands, as the server last said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct QrTender {
    /// The tender's id: the payment's id on the server and the provider's merchantPaymentId.
    pub id: Uuid,
    /// Its state.
    pub state: PaymentState,
    /// The code to show, once the provider made it.
    pub shown: Option<QrShown>,
    /// When the register heard of the code: its countdown runs from here.
    pub heard_at: DateTime<Utc>,
    /// The code scanned from the customer's app, when the customer shows one instead of the
    /// shop showing a code: kept until the server has it, so a reload can send it again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_code: Option<String>,
}

/// What became of a QR payment the server answered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QrOutcome {
    /// Still waiting (being made, shown, being called off).
    Waiting,
    /// Paid: the tender stays.
    Paid,
    /// Declined by the customer's app or the provider: the tender is gone.
    Declined,
    /// Not paid in time: the tender is gone.
    Expired,
    /// Called off: the tender is gone.
    Cancelled,
}

impl QrOutcome {
    /// The outcome a payment state means.
    pub fn of(state: PaymentState) -> QrOutcome {
        match state {
            PaymentState::Creating | PaymentState::Pending | PaymentState::Cancelling => {
                QrOutcome::Waiting
            }
            PaymentState::Completed => QrOutcome::Paid,
            PaymentState::Failed | PaymentState::Unknown => QrOutcome::Declined,
            PaymentState::Expired => QrOutcome::Expired,
            PaymentState::Cancelled => QrOutcome::Cancelled,
        }
    }

    /// The message id the cashier is told, if any.
    pub fn message(self) -> Option<&'static str> {
        match self {
            QrOutcome::Waiting | QrOutcome::Cancelled => None,
            QrOutcome::Paid => Some("pay-qr-paid"),
            QrOutcome::Declined => Some("pay-qr-declined"),
            QrOutcome::Expired => Some("pay-qr-expired"),
        }
    }
}

/// The sale being paid for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct Checkout {
    /// The sale's id, fixed when paying began: the server's payments name it.
    pub sale_id: Uuid,
    /// The cart paid for.
    pub cart: Cart,
    /// The tenders taken so far (cash typed last is not among them until the sale commits).
    pub tenders: Vec<Tender>,
    /// The QR payments among the tenders.
    pub qr: Vec<QrTender>,
    /// The e-receipt token the receipt will carry, minted when paying began (on a paired
    /// register): kept here so a reload mid-payment keeps the same link.
    #[serde(default)]
    pub receipt_token: Option<String>,
    /// The customer's receipt language as a tag; `None` is Japanese, every sale's default.
    #[serde(default)]
    pub receipt_lang: Option<String>,
}

impl Checkout {
    /// Paying for `cart` begins; the receipt will carry `receipt_token` (see [`mint_token`]).
    pub fn new(cart: Cart, receipt_token: Option<String>) -> Checkout {
        Checkout {
            sale_id: Uuid::now_v7(),
            cart,
            tenders: Vec::new(),
            qr: Vec::new(),
            receipt_token,
            receipt_lang: None,
        }
    }

    /// The language the receipt is written in.
    pub fn receipt_lang(&self) -> Lang {
        self.receipt_lang.as_deref().and_then(Lang::from_tag).unwrap_or(Lang::JA)
    }

    /// Writes the receipt in `lang` (Japanese is stored as no choice, as sales store it).
    pub fn choose_lang(&mut self, lang: Lang) {
        self.receipt_lang = (lang != Lang::JA).then(|| lang.tag().to_owned());
    }

    /// What the sale records of its receipt: the token and the language.
    pub fn receipt_choice(&self) -> ReceiptChoice {
        ReceiptChoice { token: self.receipt_token.clone(), lang: self.receipt_lang.clone() }
    }

    /// What the tenders taken cover.
    pub fn paid(&self) -> Yen {
        self.tenders.iter().map(|t| t.amount).sum()
    }

    /// What is left to pay of `total` (never below zero: vouchers may pay more).
    pub fn remaining(&self, total: Yen) -> Yen {
        let left = total - self.paid();
        if left.is_negative() { Yen::ZERO } else { left }
    }

    /// The tenders with the cash typed last, if any.
    pub fn with_cash(&self, cash: Option<Yen>) -> Vec<Tender> {
        let mut tenders = self.tenders.clone();
        tenders.extend(cash.filter(|c| c.get() > 0).map(|c| Tender::new(PaymentMethod::Cash, c)));
        tenders
    }

    /// Change and excess when the tenders and the cash typed pay `total`; `None` while they
    /// do not (or nothing at all was tendered).
    pub fn settle(&self, total: Yen, cash: Option<Yen>) -> Option<Settle> {
        let tenders = self.with_cash(cash);
        if tenders.is_empty() && total.get() > 0 {
            return None;
        }
        change_due(total, &tenders).ok()
    }

    /// True when no QR payment is still waiting: a sale commits only with every one paid.
    pub fn qr_settled(&self) -> bool {
        self.qr.iter().all(|q| q.state == PaymentState::Completed)
    }

    /// The QR payment still waiting, if any: its code is on screen.
    pub fn waiting(&self) -> Option<&QrTender> {
        self.qr.iter().find(|q| QrOutcome::of(q.state) == QrOutcome::Waiting)
    }

    /// Takes a QR tender of `amount` (brand `brand`) with a new id, waiting for the server; with
    /// the code scanned from the customer's app when there is one.
    pub fn add_qr(&mut self, amount: Yen, brand: &str, customer_code: Option<String>) -> Uuid {
        let id = Uuid::now_v7();
        self.tenders.push(Tender {
            id: Some(id),
            brand: Some(brand.to_owned()),
            ..Tender::new(PaymentMethod::Qr, amount)
        });
        self.qr.push(QrTender {
            id,
            state: PaymentState::Creating,
            shown: None,
            heard_at: Utc::now(),
            customer_code,
        });
        id
    }

    /// Drops the tender `index`; the id of the QR payment to call off, if it was one.
    pub fn remove(&mut self, index: usize) -> Option<Uuid> {
        if index >= self.tenders.len() {
            return None;
        }
        let id = self.tenders.remove(index).id;
        self.qr.retain(|q| Some(q.id) != id);
        id
    }

    /// Drops the QR tender `id`.
    pub fn drop_qr(&mut self, id: Uuid) {
        self.tenders.retain(|t| t.id != Some(id));
        self.qr.retain(|q| q.id != id);
    }

    /// Takes in what the server said of a QR payment: a declined, expired or cancelled one
    /// leaves the tenders. `None` when the payment is not (or no longer) one of the tenders.
    pub fn heard(&mut self, payment: &Payment) -> Option<QrOutcome> {
        let qr = self.qr.iter_mut().find(|q| q.id == payment.id)?;
        qr.state = payment.state;
        if payment.qr.is_some() && payment.qr != qr.shown {
            qr.shown = payment.qr.clone();
            qr.heard_at = Utc::now();
        }
        let outcome = QrOutcome::of(payment.state);
        if matches!(outcome, QrOutcome::Declined | QrOutcome::Expired | QrOutcome::Cancelled) {
            self.drop_qr(payment.id);
        }
        Some(outcome)
    }

    /// The checkout kept on the device, if a sale was being paid for and is not stored yet (a
    /// reload between storing the sale and forgetting its checkout leaves one behind).
    pub async fn load(db: &Storage) -> Result<Option<Checkout>> {
        let Some(checkout) = db.get::<Checkout>(stores::CHECKOUT, KEY).await? else {
            return Ok(None);
        };
        if db.get::<Sale>(stores::SALES, &checkout.sale_id.to_string()).await?.is_some() {
            Checkout::forget(db).await?;
            return Ok(None);
        }
        Ok(Some(checkout))
    }

    /// Keeps the checkout while it has tenders (and forgets it once it has none).
    pub async fn keep(&self, db: &Storage) -> Result<()> {
        if self.tenders.is_empty() {
            Checkout::forget(db).await
        } else {
            db.set(stores::CHECKOUT, KEY, self).await
        }
    }

    /// Forgets the checkout: its sale committed, or it was abandoned.
    pub async fn forget(db: &Storage) -> Result<()> {
        db.remove(stores::CHECKOUT, KEY).await
    }
}

#[cfg(test)]
mod tests {
    use akinai_core::Yen;
    use akinai_core::api::{Payment, PaymentState};
    use akinai_core::cart::Cart;
    use akinai_core::payment::{PaymentMethod, Tender};
    use chrono::NaiveDate;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::{Checkout, QrOutcome};

    fn checkout() -> Checkout {
        Checkout::new(Cart::new(NaiveDate::from_ymd_opt(2026, 12, 3).unwrap_or_default()), None)
    }

    fn card(amount: i64) -> Tender {
        Tender { brand: Some("visa".into()), ..Tender::new(PaymentMethod::Card, Yen::new(amount)) }
    }

    fn answer(id: uuid::Uuid, state: PaymentState) -> Payment {
        Payment {
            id,
            state,
            amount: Yen::new(500),
            brand: "paypay".into(),
            qr: None,
            error: None,
            detail: None,
        }
    }

    #[wasm_bindgen_test]
    fn cash_typed_last_pays_what_is_left_and_gives_the_change() {
        let mut c = checkout();
        c.tenders.push(card(600));
        assert_eq!(c.remaining(Yen::new(1000)), Yen::new(400));
        assert_eq!(c.settle(Yen::new(1000), None), None);
        let settle = c.settle(Yen::new(1000), Some(Yen::new(500)));
        assert_eq!(settle.map(|s| s.change), Some(Yen::new(100)));
        assert_eq!(c.with_cash(Some(Yen::ZERO)).len(), 1, "no empty cash tender");
    }

    #[wasm_bindgen_test]
    fn a_card_alone_settles_exactly_and_never_gives_change() {
        let mut c = checkout();
        c.tenders.push(card(1000));
        assert_eq!(c.settle(Yen::new(1000), None).map(|s| s.change), Some(Yen::ZERO));
        c.tenders[0].amount = Yen::new(1200);
        assert_eq!(c.settle(Yen::new(1000), None), None);
    }

    #[wasm_bindgen_test]
    fn a_sale_waits_for_every_qr_payment() {
        let mut c = checkout();
        let id = c.add_qr(Yen::new(500), "paypay", None);
        assert!(!c.qr_settled());
        assert_eq!(c.waiting().map(|q| q.id), Some(id));
        assert_eq!(c.heard(&answer(id, PaymentState::Pending)), Some(QrOutcome::Waiting));
        assert_eq!(c.heard(&answer(id, PaymentState::Completed)), Some(QrOutcome::Paid));
        assert!(c.qr_settled());
        assert_eq!(c.waiting(), None);
        assert_eq!(c.tenders.len(), 1);
    }

    #[wasm_bindgen_test]
    fn a_declined_or_expired_qr_payment_leaves_the_tenders() {
        for (state, outcome) in [
            (PaymentState::Failed, QrOutcome::Declined),
            (PaymentState::Expired, QrOutcome::Expired),
            (PaymentState::Cancelled, QrOutcome::Cancelled),
        ] {
            let mut c = checkout();
            c.tenders.push(card(100));
            let id = c.add_qr(Yen::new(500), "paypay", None);
            assert_eq!(c.heard(&answer(id, state)), Some(outcome));
            assert_eq!(c.tenders.len(), 1);
            assert!(c.qr.is_empty());
            assert!(c.qr_settled());
            assert_eq!(c.heard(&answer(id, PaymentState::Completed)), None, "gone for good");
        }
    }

    #[wasm_bindgen_test]
    fn every_checkout_starts_in_japanese_and_keeps_its_token_and_language() {
        let device = uuid::Uuid::from_u128(7);
        let token = super::mint_token(device, "bearer").unwrap_or_default();
        assert!(
            akinai_core::ereceipt::ReceiptToken::verify(
                &token,
                &akinai_core::ereceipt::device_receipt_key("bearer")
            )
            .is_some_and(|t| t.device_id == device)
        );
        let mut c = Checkout::new(checkout().cart, Some(token.clone()));
        assert_eq!(c.receipt_lang(), akinai_i18n::Lang::JA);
        assert_eq!(c.receipt_choice().lang, None);
        let korean = akinai_i18n::Lang::from_tag("ko").unwrap_or_default();
        c.choose_lang(korean);
        assert_eq!(c.receipt_choice().lang.as_deref(), Some("ko"));
        assert_eq!(c.receipt_choice().token, Some(token));
        // Kept on the device and read back after a reload.
        let kept: Checkout = serde_json::from_str(&serde_json::to_string(&c).unwrap_or_default())
            .unwrap_or_else(|_| checkout());
        assert_eq!(kept, c);
        c.choose_lang(akinai_i18n::Lang::JA);
        assert_eq!(c.receipt_lang, None, "Japanese is no choice");
        // A checkout kept before receipts had languages reads as Japanese, with no link.
        let mut old = serde_json::to_value(&c).unwrap_or_default();
        if let Some(fields) = old.as_object_mut() {
            fields.retain(|key, _| !key.starts_with("receipt_"));
        }
        let old: Result<Checkout, _> = serde_json::from_value(old);
        assert!(old.is_ok_and(|c| c.receipt_token.is_none() && c.receipt_lang.is_none()));
    }

    #[wasm_bindgen_test]
    fn removing_a_qr_tender_names_the_payment_to_call_off() {
        let mut c = checkout();
        c.tenders.push(card(100));
        let id = c.add_qr(Yen::new(500), "paypay", None);
        assert_eq!(c.remove(0), None);
        assert_eq!(c.remove(0), Some(id));
        assert!(c.tenders.is_empty() && c.qr.is_empty());
        assert_eq!(c.remove(3), None);
    }
}
