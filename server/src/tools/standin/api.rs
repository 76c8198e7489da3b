//! The stand-in's OPA endpoints under /v2, behind the same checks PayPay makes: the signature
//! over the received Content-Type and raw body, the clock, the API key and the merchant.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::{Control, Fail, Op, now_ms};
use crate::payments::paypay::sign;
use crate::payments::paypay::wire::{self, Envelope, ResultCode};

/// The largest request body read.
const MAX_BODY: usize = 64 * 1024;

/// The /v2 routes, each behind [`guard`].
pub(super) fn router(control: Arc<Control>) -> Router {
    Router::new()
        .route("/v2/codes", post(create_code))
        .route("/v2/codes/{code_id}", delete(delete_code))
        .route("/v2/codes/payments/{mpid}", get(code_status))
        .route("/v2/payments", post(charge))
        .route("/v2/payments/{mpid}", get(payment_status).delete(cancel))
        .route("/v2/refunds", post(refund))
        .route("/v2/refunds/{mrid}", get(refund_status))
        .layer(middleware::from_fn_with_state(control.clone(), guard))
        .with_state(control)
}

/// An OPA answer: `status` from the result code, the envelope as the body.
fn envelope<T: serde::Serialize>(code: ResultCode, message: &str, data: Option<T>) -> Response {
    let status = StatusCode::from_u16(code.http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(Envelope { result_info: code.info(message), data })).into_response()
}

/// A refusal's answer.
fn refused((code, message): (ResultCode, &str)) -> Response {
    envelope::<()>(code, message, None)
}

/// Checks the request like PayPay, then applies the slow and fail switches.
async fn guard(State(control): State<Arc<Control>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return refused((wire::INVALID_REQUEST_PARAMS, "body too large"));
    };
    let text = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let path = parts.uri.path_and_query().map_or_else(|| parts.uri.path(), |pq| pq.as_str());
    let path = path.to_owned();
    let config = &control.config;
    let verdict = sign::verify(
        text(header::AUTHORIZATION).unwrap_or(""),
        parts.method.as_str(),
        &path,
        text(header::CONTENT_TYPE),
        &bytes,
        now_ms() / 1000,
        |key| (key == config.api_key).then(|| config.api_secret.clone()),
    );
    if let Err(refusal) = verdict {
        tracing::info!(method = %parts.method, path, reason = refusal.reason(), "stand-in refused");
        return refused((wire::UNAUTHORIZED, refusal.reason()));
    }
    if !merchant_ok(config.merchant_id.as_deref(), &parts.headers, parts.uri.query()) {
        return refused((wire::OP_OUT_OF_SCOPE, "another merchant"));
    }
    let switches = control.take();
    if switches.slow_ms > 0 {
        tokio::time::sleep(Duration::from_millis(switches.slow_ms)).await;
    }
    match switches.fail {
        Fail::None => {}
        Fail::TransactionFailed => return refused((wire::TRANSACTION_FAILED, "switched to fail")),
        Fail::InternalError => return refused((wire::INTERNAL_SERVER_ERROR, "switched to fail")),
        Fail::Maintenance => return refused((wire::MAINTENANCE_MODE, "switched to fail")),
        Fail::BadGateway => {
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            return (StatusCode::BAD_GATEWAY, [(header::CONTENT_TYPE, "text/html")], page)
                .into_response();
        }
    }
    let method = parts.method.clone();
    let answer = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    tracing::info!(%method, path, status = answer.status().as_u16(), "stand-in answered");
    answer
}

/// The merchant a request names (the query wins over the header) is the configured one, or it
/// names none.
fn merchant_ok(configured: Option<&str>, headers: &HeaderMap, query: Option<&str>) -> bool {
    let from_query = query.and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(name, _)| name == "assumeMerchant")
            .map(|(_, value)| value.into_owned())
    });
    let from_header =
        headers.get("x-assume-merchant").and_then(|v| v.to_str().ok()).map(str::to_owned);
    match (configured, from_query.or(from_header)) {
        (Some(configured), Some(named)) => configured == named,
        _ => true,
    }
}

/// The answer to an operation: `ok` with its data, its refusal, or, when the operation is
/// switched to ambiguous, 500 INTERNAL_SERVER_ERROR whatever was done.
fn answer<T: serde::Serialize>(
    control: &Control,
    op: Op,
    ok: ResultCode,
    result: Result<Option<T>, (ResultCode, &'static str)>,
) -> Response {
    if control.switches().ambiguous.contains(&op) {
        let code = match op {
            Op::Create | Op::Status => wire::INTERNAL_SERVER_ERROR,
            Op::Cancel | Op::Refund => wire::PAYMENT_INTERNAL_SERVER_ERROR,
        };
        return refused((code, "switched to ambiguous"));
    }
    match result {
        Ok(data) => envelope(ok, ok.code, data),
        Err(refusal) => refused(refusal),
    }
}

/// A JSON body, or the refusal PayPay gives a malformed one.
fn parse<T: DeserializeOwned>(body: &Bytes) -> Result<T, (ResultCode, &'static str)> {
    serde_json::from_slice(body).map_err(|err| {
        if err.to_string().starts_with("missing field") {
            (wire::MISSING_REQUEST_PARAMS, "a required field is missing")
        } else {
            (wire::INVALID_REQUEST_PARAMS, "the body is not the documented JSON")
        }
    })
}

/// `POST /v2/codes`.
async fn create_code(State(control): State<Arc<Control>>, body: Bytes) -> Response {
    let ttl = i64::try_from(control.config.code_ttl.as_secs()).unwrap_or(i64::MAX);
    let result = parse(&body)
        .and_then(|body| control.book().create_code(body, &control.base, ttl, now_ms()))
        .map(Some);
    answer(&control, Op::Create, wire::CREATED, result)
}

/// `DELETE /v2/codes/{codeId}`.
async fn delete_code(State(control): State<Arc<Control>>, Path(code_id): Path<String>) -> Response {
    let result = control.book().delete_code(&code_id, now_ms()).map(|()| None::<()>);
    match result {
        Ok(data) => envelope(wire::SUCCESS, wire::SUCCESS.code, data),
        Err(refusal) => refused(refusal),
    }
}

/// `GET /v2/codes/payments/{merchantPaymentId}`.
async fn code_status(State(control): State<Arc<Control>>, Path(mpid): Path<String>) -> Response {
    let result = control.book().code_status(&mpid, now_ms()).map(Some);
    answer(&control, Op::Status, wire::SUCCESS, result)
}

/// `GET /v2/payments/{merchantPaymentId}`.
async fn payment_status(State(control): State<Arc<Control>>, Path(mpid): Path<String>) -> Response {
    let result = control.book().payment_status(&mpid, now_ms()).map(Some);
    answer(&control, Op::Status, wire::SUCCESS, result)
}

/// `DELETE /v2/payments/{merchantPaymentId}`.
async fn cancel(State(control): State<Arc<Control>>, Path(mpid): Path<String>) -> Response {
    let result = control.book().cancel(&mpid, now_ms()).map(|()| None::<()>);
    answer(&control, Op::Cancel, wire::REQUEST_ACCEPTED, result)
}

/// `POST /v2/payments`'s query.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChargeQuery {
    #[serde(default)]
    agree_similar_transaction: bool,
}

/// `POST /v2/payments?agreeSimilarTransaction=…`: a presented customer code.
async fn charge(
    State(control): State<Arc<Control>>,
    Query(query): Query<ChargeQuery>,
    body: Bytes,
) -> Response {
    let result = parse(&body)
        .and_then(|body| control.book().charge(body, query.agree_similar_transaction, now_ms()))
        .map(Some);
    answer(&control, Op::Create, wire::CREATED, result)
}

/// `POST /v2/refunds`.
async fn refund(State(control): State<Arc<Control>>, body: Bytes) -> Response {
    let result = parse(&body).and_then(|body| control.book().refund(body, now_ms())).map(Some);
    answer(&control, Op::Refund, wire::SUCCESS, result)
}

/// `GET /v2/refunds/{merchantRefundId}`.
async fn refund_status(State(control): State<Arc<Control>>, Path(mrid): Path<String>) -> Response {
    match control.book().refund_status(&mrid, now_ms()) {
        Ok(data) => envelope(wire::SUCCESS, wire::SUCCESS.code, Some(data)),
        Err(refusal) => refused(refusal),
    }
}
