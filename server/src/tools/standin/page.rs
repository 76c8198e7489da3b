//! The stand-in's pages, plain server-rendered HTML that works without JavaScript: the
//! customer's (`/`: live codes; `/qr/{codeId}`: pay or decline one) and the switches
//! (`/control`, also JSON; `/control/codes` lists every code as JSON for tests).

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use akinai_core::Yen;

use super::book::{CodeView, Tap};
use super::{Control, Fail, Op, Switches, now_ms};
use crate::http::html::escape;
use crate::payments::paypay::wire::PayStatus;

/// The pages' routes.
pub(super) fn router(control: Arc<Control>) -> Router {
    Router::new()
        .route("/", get(list))
        .route("/qr/{code_id}", get(code_page))
        .route("/qr/{code_id}/approve", post(approve))
        .route("/qr/{code_id}/decline", post(decline))
        .route("/control", get(control_page).post(set_switches))
        .route("/control/codes", get(codes))
        .with_state(control)
}

/// A whole page around `body`; `refresh` reloads it every few seconds (the list of codes).
fn page(title: &str, body: &str, refresh: bool) -> Html<String> {
    let refresh = if refresh { r#"<meta http-equiv="refresh" content="3">"# } else { "" };
    Html(format!(
        r#"<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">{refresh}
<title>{title} · PayPay stand-in</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 1rem auto; padding: 0 1rem; }}
.note {{ background: #fff3cd; padding: .5rem; border-radius: .3rem; font-size: .9rem; }}
.amount {{ font-size: 3rem; margin: 1rem 0; }}
button {{ font-size: 1.5rem; padding: 1rem 2rem; margin: .5rem 0; min-width: 12rem; border-radius: .5rem; }}
.pay {{ background: #e60033; color: #fff; border: 0; }}
ul.codes a {{ display: block; font-size: 1.3rem; padding: .8rem; }}
small {{ color: #555; }}
</style></head>
<body>
<p class="note">これは本物の PayPay ではありません。お金は動きません。<br>
<small>A stand-in for PayPay, for demos and tests: no real money moves.</small></p>
{body}
</body></html>"#,
        title = escape(title),
    ))
}

/// `GET /`: the codes a customer can pay now, newest first.
async fn list(State(control): State<Arc<Control>>) -> Html<String> {
    let mut body = String::from("<h1>お支払い待ち <small>Codes waiting</small></h1>\n");
    let live: Vec<CodeView> = control.codes().into_iter().rev().filter(CodeView::live).collect();
    if live.is_empty() {
        body.push_str(
            "<p>お支払い待ちのコードはありません。<br><small>No code is waiting.</small></p>",
        );
    } else {
        body.push_str(r#"<ul class="codes">"#);
        for code in &live {
            let shop = code.order_description.as_deref().unwrap_or("");
            let _ = write!(
                body,
                r#"<li><a href="/qr/{id}">{amount} {shop}</a></li>"#,
                id = escape(&code.code_id),
                amount = Yen::new(code.amount),
                shop = escape(shop),
            );
        }
        body.push_str("</ul>");
    }
    page("お支払い待ち", &body, true)
}

/// `GET /qr/{codeId}`: what the shop's QR code opens: the amount, and 支払う / 拒否 while it can
/// be paid.
async fn code_page(State(control): State<Arc<Control>>, Path(code_id): Path<String>) -> Response {
    let Some(code) = control.book().code(&code_id, now_ms()) else {
        let body = "<h1>コードが見つかりません <small>No such code</small></h1>";
        return (StatusCode::NOT_FOUND, page("コードが見つかりません", body, false))
            .into_response();
    };
    let mut body = String::new();
    if let Some(shop) = &code.order_description {
        let _ = write!(body, "<h2>{}</h2>", escape(shop));
    }
    let _ = write!(body, r#"<p class="amount">{}</p>"#, Yen::new(code.amount));
    let id = escape(&code.code_id);
    let state = match code.status {
        _ if code.live() => {
            let _ = write!(
                body,
                r#"<form method="post" action="/qr/{id}/approve"><button class="pay">支払う</button> <small>Pay</small></form>
<form method="post" action="/qr/{id}/decline"><button>拒否</button> <small>Decline</small></form>"#
            );
            None
        }
        PayStatus::Completed => Some(("支払い済み", "Paid")),
        PayStatus::Refunded => Some(("返金済み", "Refunded")),
        PayStatus::Failed => Some(("お支払いは失敗しました", "Declined or cancelled")),
        _ if code.deleted => Some(("お店がこのコードを取り消しました", "Withdrawn by the shop")),
        _ if code.expired => Some(("期限切れ", "Expired")),
        _ => Some(("お支払いできません", "Cannot be paid")),
    };
    if let Some((ja, en)) = state {
        let _ = write!(body, r#"<p role="status"><strong>{ja}</strong> <small>{en}</small></p>"#);
    }
    body.push_str(r#"<p><a href="/">一覧へ <small>All codes</small></a></p>"#);
    page("PayPay", &body, false).into_response()
}

/// `POST /qr/{codeId}/approve`.
async fn approve(State(control): State<Arc<Control>>, Path(code_id): Path<String>) -> Response {
    tap(&control, &code_id, true)
}

/// `POST /qr/{codeId}/decline`.
async fn decline(State(control): State<Arc<Control>>, Path(code_id): Path<String>) -> Response {
    tap(&control, &code_id, false)
}

/// A tap, then back to the code's page, which shows what it came to.
fn tap(control: &Control, code_id: &str, pay: bool) -> Response {
    let tap = control.book().tap(code_id, pay, now_ms());
    tracing::info!(code_id, ?tap, "stand-in customer tapped");
    if tap == Tap::NotFound {
        return StatusCode::NOT_FOUND.into_response();
    }
    let to = format!(
        "/qr/{}",
        url::form_urlencoded::byte_serialize(code_id.as_bytes()).collect::<String>()
    );
    Redirect::to(&to).into_response()
}

/// `GET /control/codes`: every code with its `url` and state, oldest first.
async fn codes(State(control): State<Arc<Control>>) -> Json<Vec<CodeView>> {
    Json(control.codes())
}

/// The words of a [`Fail`] and an [`Op`], for the form.
const FAILS: [(Fail, &str); 5] = [
    (Fail::None, "none"),
    (Fail::TransactionFailed, "transaction_failed"),
    (Fail::InternalError, "internal_error"),
    (Fail::Maintenance, "maintenance"),
    (Fail::BadGateway, "bad_gateway"),
];
/// See [`FAILS`].
const OPS: [(Op, &str); 4] = [
    (Op::Create, "create"),
    (Op::Status, "status"),
    (Op::Cancel, "cancel"),
    (Op::Refund, "refund"),
];

/// `GET /control`: the switches as a form, and every code.
async fn control_page(State(control): State<Arc<Control>>) -> Html<String> {
    let switches = control.switches();
    let mut body = String::from(
        r#"<h1>スイッチ <small>Switches</small></h1><form method="post" action="/control">"#,
    );
    let _ = write!(
        body,
        r#"<p><label>slow_ms <input name="slow_ms" type="number" min="0" value="{}"></label></p><p><label>fail <select name="fail">"#,
        switches.slow_ms
    );
    for (fail, word) in FAILS {
        let selected = if switches.fail == fail { " selected" } else { "" };
        let _ = write!(body, r#"<option value="{word}"{selected}>{word}</option>"#);
    }
    body.push_str("</select></label></p><fieldset><legend>ambiguous</legend>");
    for (op, word) in OPS {
        let checked = if switches.ambiguous.contains(&op) { " checked" } else { "" };
        let _ = write!(
            body,
            r#"<label><input type="checkbox" name="ambiguous" value="{word}"{checked}> {word}</label> "#
        );
    }
    body.push_str(r#"</fieldset><p><button>設定 <small>Set</small></button></p></form>"#);
    body.push_str("<h2>コード <small>Codes</small></h2><ul>");
    for code in control.codes().iter().rev() {
        let _ = write!(
            body,
            r#"<li><a href="/qr/{id}">{id}</a> {amount} {status:?}{expired}{deleted}</li>"#,
            id = escape(&code.code_id),
            amount = Yen::new(code.amount),
            status = code.status,
            expired = if code.expired { " expired" } else { "" },
            deleted = if code.deleted { " deleted" } else { "" },
        );
    }
    body.push_str("</ul>");
    page("Switches", &body, false)
}

/// `POST /control`: JSON sets every switch (a missing one goes back to its default) and answers
/// them; the page's form does the same and comes back to the page.
async fn set_switches(
    State(control): State<Arc<Control>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if json {
        return match serde_json::from_slice::<Switches>(&body) {
            Ok(switches) => {
                control.set(switches);
                Json(control.switches()).into_response()
            }
            Err(err) => (StatusCode::BAD_REQUEST, err.to_string()).into_response(),
        };
    }
    let mut switches = Switches::default();
    for (name, value) in url::form_urlencoded::parse(&body) {
        match &*name {
            "slow_ms" => switches.slow_ms = value.parse().unwrap_or(0),
            "fail" => {
                if let Some((fail, _)) = FAILS.iter().find(|(_, word)| *word == value) {
                    switches.fail = *fail;
                }
            }
            "ambiguous" => {
                if let Some((op, _)) = OPS.iter().find(|(_, word)| *word == value) {
                    switches.ambiguous.insert(*op);
                }
            }
            _ => {}
        }
    }
    control.set(switches);
    Redirect::to("/control").into_response()
}
