//! The payments' routes: a register starts, watches, gives up and refunds QR payments (device
//! token); the owner sets up the store's PayPay account and lists its payments (session).

use std::time::Duration;

use akinai_core::api::{
    ErrorBody, Payment, PaymentRefund, PaymentStart, PaymentState, ProviderInfo, ProviderSetup,
    QrShown, RefundStart,
};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::error::{Error, Result};
use crate::http::auth::{DeviceAuth, OwnerSession, owned_store};
use crate::http::input::{Input, invalid};
use crate::owner::pairing::qr_svg;
use crate::payments::engine::PAYPAY;
use crate::payments::store::{PaymentRow, RefundRow, word};

/// The longest a request waits for a payment to change: under the server's 30 s per request.
pub const LONG_POLL: Duration = Duration::from_secs(20);

/// A payment as the register sees it: the code to show while it is pending.
fn view(row: &PaymentRow) -> Result<Payment> {
    let qr = match (&row.qr_payload, row.expires_at) {
        (Some(payload), Some(expires_at)) if row.state == PaymentState::Pending => {
            let left = (expires_at - Utc::now()).num_seconds().max(0);
            Some(QrShown {
                payload: payload.clone(),
                svg: qr_svg(payload)?,
                expires_at,
                expires_in_s: u32::try_from(left).unwrap_or(u32::MAX),
            })
        }
        _ => None,
    };
    Ok(Payment {
        id: row.id,
        state: row.state,
        amount: row.amount,
        brand: PAYPAY.to_owned(),
        qr,
        error: row.error,
        detail: row.last_code.clone(),
    })
}

/// A refund as the register sees it.
fn refund_view(row: &RefundRow) -> PaymentRefund {
    PaymentRefund {
        refund_id: row.id,
        payment_id: row.payment_id,
        state: row.state,
        amount: row.amount,
        error: row.error,
    }
}

/// An id from the path; one that is no UUID names nothing.
fn id(text: &str) -> Result<Uuid> {
    text.parse().map_err(|_| Error::NotFound)
}

/// `POST /api/v1/payments`: starts a QR payment through the store's provider.
#[utoipa::path(post, path = "/api/v1/payments", operation_id = "start_payment", tag = "payments", security(("device" = [])),
    request_body = PaymentStart,
    responses((status = 201, body = Payment, description = "Started (it may still be `creating`: then poll)"),
        (status = 200, body = Payment, description = "The same payment started before, as it stands"),
        (status = 409, body = ErrorBody, description = "`payment_mismatch` (this id with another body) or `provider_not_configured`"),
        (status = 503, body = ErrorBody, description = "`secrets_locked`: the provider's secret cannot be opened")))]
pub async fn start(
    State(state): State<AppState>,
    device: DeviceAuth,
    Input(start): Input<PaymentStart>,
) -> Result<(StatusCode, Json<Payment>)> {
    if start.amount > state.max_sale {
        return Err(invalid("amount", "more than this server takes for one sale"));
    }
    let (row, new) = state.payments.start(&device, &start).await?;
    if row.state == PaymentState::Creating {
        state.payments.settle(row.id, &word(&row.state), LONG_POLL).await;
    }
    let row = state.payments.payment(&device.store_id, row.id).await?;
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(view(&row)?)))
}

/// What `GET /payments/{id}` waits for.
#[derive(Clone, Copy, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Wait {
    /// Answer once the payment is no longer in this state (at most 20 s later).
    pub wait: Option<PaymentState>,
}

/// `GET /api/v1/payments/{id}`: the payment, as soon as it leaves the state `wait` names (one
/// such wait per payment at a time; another is answered at once).
#[utoipa::path(get, path = "/api/v1/payments/{id}", operation_id = "get_payment", tag = "payments", security(("device" = [])),
    params(("id" = Uuid, Path, description = "The payment's id"), Wait),
    responses((status = 200, body = Payment), (status = 400, body = ErrorBody, description = "`wait` is no state")))]
pub async fn get(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(payment): Path<String>,
    wait: std::result::Result<Query<Wait>, QueryRejection>,
) -> Result<Json<Payment>> {
    let Query(Wait { wait }) =
        wait.map_err(|err| Error::BadRequest { field: "wait", message: err.body_text() })?;
    let payment = id(&payment)?;
    let mut row = state.payments.payment(&device.store_id, payment).await?;
    if let Some(wait) = wait.filter(|wait| *wait == row.state) {
        state.payments.long_poll(payment, &word(&wait), LONG_POLL).await;
        row = state.payments.payment(&device.store_id, payment).await?;
    }
    Ok(Json(view(&row)?))
}

/// `DELETE /api/v1/payments/{id}`: the register gives the payment up.
#[utoipa::path(delete, path = "/api/v1/payments/{id}", operation_id = "abandon_payment", tag = "payments", security(("device" = [])),
    params(("id" = Uuid, Path, description = "The payment's id")),
    responses((status = 200, body = Payment, description = "As it stands: `cancelled` once done; `completed` if the customer had paid (the register decides)"),
        (status = 409, body = ErrorBody, description = "`payment_used`: a synced sale used it")))]
pub async fn abandon(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(payment): Path<String>,
) -> Result<Json<Payment>> {
    let payment = id(&payment)?;
    let row = state.payments.abandon(&device.store_id, payment).await?;
    if !crate::payments::store::is_final(row.state) {
        state.payments.settle(payment, &word(&row.state), LONG_POLL).await;
    }
    Ok(Json(view(&state.payments.payment(&device.store_id, payment).await?)?))
}

/// `POST /api/v1/payments/{id}/refunds`: refunds (part of) a completed payment, once.
#[utoipa::path(post, path = "/api/v1/payments/{id}/refunds", operation_id = "refund_payment", tag = "payments", security(("device" = [])),
    params(("id" = Uuid, Path, description = "The payment's id")),
    request_body = RefundStart,
    responses((status = 200, body = PaymentRefund, description = "The refund as it stands (`pending`: poll it)"),
        (status = 409, body = ErrorBody, description = "`payment_mismatch`, `payment_unconfirmed` (not completed) or `provider_not_configured`"),
        (status = 422, body = ErrorBody, description = "`provider_refund_limit`: the payment has its refund already")))]
pub async fn refund(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path(payment): Path<String>,
    Input(start): Input<RefundStart>,
) -> Result<Json<PaymentRefund>> {
    let payment = id(&payment)?;
    let row = state.payments.refund(&device.store_id, payment, &start).await?;
    state.payments.settle(row.id, &word(&row.state), LONG_POLL).await;
    Ok(Json(refund_view(&state.payments.refund_of(&device.store_id, payment, row.id).await?)))
}

/// `GET /api/v1/payments/{id}/refunds/{refund_id}`: a refund as it stands.
#[utoipa::path(get, path = "/api/v1/payments/{id}/refunds/{refund_id}", operation_id = "get_refund", tag = "payments", security(("device" = [])),
    params(("id" = Uuid, Path, description = "The payment's id"), ("refund_id" = Uuid, Path, description = "The refund's id")),
    responses((status = 200, body = PaymentRefund)))]
pub async fn get_refund(
    State(state): State<AppState>,
    device: DeviceAuth,
    Path((payment, refund)): Path<(String, String)>,
) -> Result<Json<PaymentRefund>> {
    let row = state.payments.refund_of(&device.store_id, id(&payment)?, id(&refund)?).await?;
    Ok(Json(refund_view(&row)))
}

/// `GET /api/v1/stores/{store}/providers/paypay`: the store's PayPay account, never its secret.
#[utoipa::path(get, path = "/api/v1/stores/{store}/providers/paypay", operation_id = "get_paypay", tag = "payments", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = ProviderInfo, description = "`configured` is false when not set up, or when its secret cannot be opened with this server's key")))]
pub async fn get_provider(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<ProviderInfo>> {
    owned_store(&state, &owner, &store).await?;
    Ok(Json(state.payments.provider_info(&store).await?))
}

/// `PUT /api/v1/stores/{store}/providers/paypay`: sets the store's PayPay account.
#[utoipa::path(put, path = "/api/v1/stores/{store}/providers/paypay", operation_id = "put_paypay", tag = "payments", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    request_body = ProviderSetup,
    responses((status = 200, body = ProviderInfo)))]
pub async fn put_provider(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    Input(setup): Input<ProviderSetup>,
) -> Result<Json<ProviderInfo>> {
    owned_store(&state, &owner, &store).await?;
    Ok(Json(state.payments.set_provider(&store, Some(&setup)).await?))
}

/// `DELETE /api/v1/stores/{store}/providers/paypay`: removes the store's PayPay account.
#[utoipa::path(delete, path = "/api/v1/stores/{store}/providers/paypay", operation_id = "delete_paypay", tag = "payments", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id")),
    responses((status = 200, body = ProviderInfo, description = "Not configured any more")))]
pub async fn delete_provider(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
) -> Result<Json<ProviderInfo>> {
    owned_store(&state, &owner, &store).await?;
    Ok(Json(state.payments.set_provider(&store, None).await?))
}

/// Which of a store's payments to list.
#[derive(Clone, Copy, Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Listed {
    /// Only completed payments no synced sale used (paid, but the sale is missing).
    #[serde(default)]
    pub unbound: bool,
}

/// `GET /api/v1/stores/{store}/payments`: the store's last 100 QR payments, newest first.
#[utoipa::path(get, path = "/api/v1/stores/{store}/payments", operation_id = "list_payments", tag = "payments", security(("owner" = []), ("owner_cookie" = [])),
    params(("store" = String, Path, description = "The store's id"), Listed),
    responses((status = 200, body = Vec<Payment>), (status = 400, body = ErrorBody, description = "`unbound` is not true or false")))]
pub async fn list(
    State(state): State<AppState>,
    owner: OwnerSession,
    Path(store): Path<String>,
    listed: std::result::Result<Query<Listed>, QueryRejection>,
) -> Result<Json<Vec<Payment>>> {
    let Query(Listed { unbound }) =
        listed.map_err(|err| Error::BadRequest { field: "unbound", message: err.body_text() })?;
    owned_store(&state, &owner, &store).await?;
    let rows = state.payments.payments(&store, unbound).await?;
    Ok(Json(rows.iter().map(view).collect::<Result<_>>()?))
}

/// The payments' routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(start))
        .routes(routes!(get, abandon))
        .routes(routes!(refund))
        .routes(routes!(get_refund))
        .routes(routes!(get_provider, put_provider, delete_provider))
        .routes(routes!(list))
}
