//! The server's payment routes as the register calls them (`docs/api.md` "Payments"): start a
//! provider payment (the QR code the customer scans), wait for its outcome, call it off, refund
//! it. A call-off that cannot reach the server waits in the `payment_cancels` store until the
//! sync loop sends it ([`send_cancels`]).

use akinai_core::api::{Payment, PaymentRefund, PaymentStart, PaymentState, RefundStart};
use gloo_net::http::Method;
use uuid::Uuid;

use super::storage::{Storage, stores};
use crate::error::{Error, Result};
use crate::http::{self, Auth};

/// Starts the payment `start` (the same body again answers with its current state).
pub async fn start(token: &str, start: &PaymentStart) -> Result<Payment> {
    http::call(Auth::Device(token), Method::POST, "/payments", start).await
}

/// The payment `id` once its state is no longer `state` (the server answers within 20 s,
/// changed or not).
pub async fn wait(token: &str, id: Uuid, state: PaymentState) -> Result<Payment> {
    let word = serde_json::to_value(state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .ok_or_else(|| Error::Data("a payment state has no word".into()))?;
    http::get(Auth::Device(token), &format!("/payments/{id}?wait={word}")).await
}

/// Calls the payment `id` off: the code is withdrawn, or a payment made is cancelled.
pub async fn abandon(token: &str, id: Uuid) -> Result<Payment> {
    http::delete(Auth::Device(token), &format!("/payments/{id}")).await
}

/// Asks the provider to refund `refund.amount` of the payment `payment_id`.
pub async fn refund(token: &str, payment_id: Uuid, refund: &RefundStart) -> Result<PaymentRefund> {
    http::call(
        Auth::Device(token),
        Method::POST,
        &format!("/payments/{payment_id}/refunds"),
        refund,
    )
    .await
}

/// How the refund `refund_id` of the payment `payment_id` stands.
pub async fn refund_status(
    token: &str,
    payment_id: Uuid,
    refund_id: Uuid,
) -> Result<PaymentRefund> {
    http::get(Auth::Device(token), &format!("/payments/{payment_id}/refunds/{refund_id}")).await
}

/// Keeps the call-off of the payment `id` for the sync loop to send.
pub async fn queue_cancel(db: &Storage, id: Uuid) -> Result<()> {
    db.set(stores::PAYMENT_CANCELS, &id.to_string(), &id).await
}

/// Sends the call-offs kept while the server could not be reached. Each leaves the queue once
/// the server answered for it, whatever it said (a payment it does not know, or one past calling
/// off, has nothing left to do); one it could not answer for stays, and the rest wait with it.
/// Only a revoked tablet is an error: the sync round stops there.
pub async fn send_cancels(db: &Storage, token: &str) -> Result<()> {
    let ids: Vec<Uuid> = db.all(stores::PAYMENT_CANCELS).await?;
    for id in ids {
        match abandon(token, id).await {
            Err(err @ Error::Refused { status: 401, .. }) => return Err(err),
            Err(Error::Network(_) | Error::Refused { status: 500.., .. }) => return Ok(()),
            Ok(_) | Err(_) => db.remove(stores::PAYMENT_CANCELS, &id.to_string()).await?,
        }
    }
    Ok(())
}
