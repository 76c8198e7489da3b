//! The PayPay stand-in over real HTTP: PayPay's checks on every request, and the life of a code
//! (created, paid on the customer's page or not, cancelled, refunded once).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use akinai_server::payments::paypay::{sign, wire};
use akinai_server::tools::standin::{self, StandIn, StandInConfig};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A stand-in with the demo keys and codes that live `ttl`.
async fn start(ttl: Duration) -> StandIn {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    standin::spawn(listener, StandInConfig { code_ttl: ttl, ..StandInConfig::default() })
        .await
        .unwrap()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A signed request as the SDKs make it; `skew` moves its epoch, `content_type` is sent and
/// signed as is (also on a bodiless request, like the Python SDK).
struct Call<'a> {
    method: Method,
    path: &'a str,
    body: Option<Value>,
    content_type: &'a str,
    key: &'a str,
    secret: &'a str,
    skew: i64,
}

impl<'a> Call<'a> {
    fn new(method: Method, path: &'a str, body: Option<Value>) -> Call<'a> {
        Call {
            method,
            path,
            body,
            content_type: wire::CONTENT_TYPE,
            key: standin::DEMO_API_KEY,
            secret: standin::DEMO_API_SECRET,
            skew: 0,
        }
    }

    async fn send(self, stand_in: &StandIn) -> (StatusCode, Value) {
        let body = self.body.map(|b| serde_json::to_vec(&b).unwrap()).unwrap_or_default();
        let header = sign::authorization(
            self.key,
            self.secret,
            self.method.as_str(),
            self.path,
            self.content_type,
            &body,
            &sign::nonce(),
            now() + self.skew,
        );
        let answer = reqwest::Client::new()
            .request(self.method, format!("{}{}", stand_in.url(), self.path))
            .header("Authorization", header)
            .header("Content-Type", self.content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = answer.status();
        (status, answer.json().await.unwrap_or(Value::Null))
    }
}

fn create_body(mpid: &str, amount: i64) -> Value {
    json!({"merchantPaymentId": mpid, "amount": {"amount": amount, "currency": "JPY"},
           "codeType": "ORDER_QR", "requestedAt": now(), "orderDescription": "テスト商店 <&>"})
}

async fn create(stand_in: &StandIn, mpid: &str, amount: i64) -> (StatusCode, Value) {
    Call::new(Method::POST, "/v2/codes", Some(create_body(mpid, amount))).send(stand_in).await
}

async fn status(stand_in: &StandIn, mpid: &str) -> (StatusCode, Value) {
    Call::new(Method::GET, &format!("/v2/codes/payments/{mpid}"), None).send(stand_in).await
}

fn code_id(answer: &Value) -> &str {
    answer["resultInfo"]["codeId"].as_str().unwrap()
}

/// The customer taps a button on the code's page; the page it lands on.
async fn tap(stand_in: &StandIn, code: &str, button: &str) -> String {
    let answer = reqwest::Client::new()
        .post(format!("{}/qr/{code}/{button}", stand_in.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    answer.text().await.unwrap()
}

#[tokio::test]
async fn a_signed_create_is_served_and_the_code_is_listed() {
    let stand_in = start(Duration::from_secs(300)).await;
    let (status_code, answer) = create(&stand_in, "m-1", 1200).await;
    assert_eq!(status_code, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["resultInfo"]["code"], "SUCCESS");
    let data = &answer["data"];
    let code = data["codeId"].as_str().unwrap();
    assert_eq!(data["url"], format!("{}/qr/{code}", stand_in.url()));
    assert_eq!(data["amount"], json!({"amount": 1200, "currency": "JPY"}));
    let expiry = data["expiryDate"].as_i64().unwrap();
    assert!((now() + 298..=now() + 300).contains(&expiry), "{expiry}");

    let listed: Value = reqwest::get(format!("{}/control/codes", stand_in.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed[0]["url"], data["url"]);
    assert_eq!(listed[0]["status"], "CREATED");
    assert_eq!(listed[0]["merchantPaymentId"], "m-1");

    // The customer's list links to the code; the page escapes what the shop sent.
    let home = reqwest::get(format!("{}/", stand_in.url())).await.unwrap().text().await.unwrap();
    assert!(home.contains(&format!(r#"href="/qr/{code}""#)), "{home}");
    assert!(home.contains("テスト商店 &lt;&amp;&gt;") && !home.contains("<&>"), "{home}");
    let page = reqwest::get(data["url"].as_str().unwrap()).await.unwrap().text().await.unwrap();
    assert!(page.contains("¥1,200") && page.contains("支払う") && page.contains("拒否"), "{page}");

    let (status_code, answer) = status(&stand_in, "m-1").await;
    assert_eq!(status_code, StatusCode::OK);
    assert_eq!(answer["data"]["status"], "CREATED");
    assert_eq!(answer["data"]["acceptedAt"], 0);
}

#[tokio::test]
async fn refusals_of_the_signature_the_clock_and_the_key() {
    let stand_in = start(Duration::from_secs(300)).await;
    let refused = |(status_code, answer): (StatusCode, Value)| {
        assert_eq!(status_code, StatusCode::UNAUTHORIZED, "{answer}");
        assert_eq!(code_id(&answer), "08100016");
        assert_eq!(answer["resultInfo"]["code"], "UNAUTHORIZED");
    };
    let body = || Some(create_body("m-2", 500));
    refused(
        Call { secret: "wrong", ..Call::new(Method::POST, "/v2/codes", body()) }
            .send(&stand_in)
            .await,
    );
    refused(
        Call { key: "who", ..Call::new(Method::POST, "/v2/codes", body()) }.send(&stand_in).await,
    );
    refused(
        Call { skew: -121, ..Call::new(Method::POST, "/v2/codes", body()) }.send(&stand_in).await,
    );
    refused(
        Call { skew: 121, ..Call::new(Method::POST, "/v2/codes", body()) }.send(&stand_in).await,
    );
    let unsigned = reqwest::Client::new()
        .get(format!("{}/v2/codes/payments/m-2", stand_in.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(unsigned.status(), StatusCode::UNAUTHORIZED);
    assert!(stand_in.control.codes().is_empty(), "nothing refused was done");

    // Within the two minutes, with the Go SDK's trailing `;` in the Content-Type: served.
    let (status_code, answer) = Call {
        skew: -110,
        content_type: "application/json;charset=UTF-8;",
        ..Call::new(Method::POST, "/v2/codes", body())
    }
    .send(&stand_in)
    .await;
    assert_eq!(status_code, StatusCode::CREATED, "{answer}");
    // A GET carrying a Content-Type header (the Python SDK does) is signed over `empty`.
    let (status_code, answer) = status(&stand_in, "m-2").await;
    assert_eq!(status_code, StatusCode::OK, "{answer}");
    // Another merchant is out of scope; this one, or none, is served.
    let other = reqwest::Client::new()
        .get(format!("{}/v2/codes/payments/m-2?assumeMerchant=someone-else", stand_in.url()))
        .header(
            "Authorization",
            sign::authorization(
                standin::DEMO_API_KEY,
                standin::DEMO_API_SECRET,
                "GET",
                "/v2/codes/payments/m-2?assumeMerchant=someone-else",
                "",
                b"",
                &sign::nonce(),
                now(),
            ),
        )
        .header("X-ASSUME-MERCHANT", standin::DEMO_MERCHANT_ID)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::UNAUTHORIZED, "the query wins over the header");
}

#[tokio::test]
async fn a_reused_merchant_payment_id_is_a_duplicate() {
    let stand_in = start(Duration::from_secs(300)).await;
    assert_eq!(create(&stand_in, "m-3", 800).await.0, StatusCode::CREATED);
    let (status_code, answer) = create(&stand_in, "m-3", 800).await;
    assert_eq!(status_code, StatusCode::BAD_REQUEST);
    assert_eq!(answer["resultInfo"]["code"], "DUPLICATE_DYNAMIC_QR_REQUEST");
    assert_eq!(code_id(&answer), "01652073");
    assert_eq!(stand_in.control.codes().len(), 1);
    let (status_code, answer) = status(&stand_in, "m-none").await;
    assert_eq!(status_code, StatusCode::BAD_REQUEST);
    assert_eq!(code_id(&answer), "01652075");
}

#[tokio::test]
async fn approved_on_the_page_then_refunded_once() {
    let stand_in = start(Duration::from_secs(300)).await;
    let (_, created) = create(&stand_in, "m-4", 1500).await;
    let code = created["data"]["codeId"].as_str().unwrap().to_owned();
    let page = tap(&stand_in, &code, "approve").await;
    assert!(page.contains("支払い済み"), "{page}");
    let (_, answer) = status(&stand_in, "m-4").await;
    assert_eq!(answer["data"]["status"], "COMPLETED");
    assert!(answer["data"]["acceptedAt"].as_i64().unwrap() > 0);
    let payment_id = answer["data"]["paymentId"].as_str().unwrap().to_owned();
    // Paid: the code cannot be deleted, nor paid twice, and leaves the customer's list.
    let (status_code, answer) =
        Call::new(Method::DELETE, &format!("/v2/codes/{code}"), None).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::BAD_REQUEST, "01652074"));
    assert!(tap(&stand_in, &code, "decline").await.contains("支払い済み"));
    let home = reqwest::get(format!("{}/", stand_in.url())).await.unwrap().text().await.unwrap();
    assert!(!home.contains(&code));

    let refund = |mrid: &str, payment: &str, amount: i64| {
        Call::new(
            Method::POST,
            "/v2/refunds",
            Some(json!({"merchantRefundId": mrid, "paymentId": payment,
                        "amount": {"amount": amount, "currency": "JPY"}, "requestedAt": now()})),
        )
    };
    // PayPay's trap: our merchantPaymentId where its paymentId belongs.
    let (status_code, answer) = refund("r-0", "m-4", 1500).send(&stand_in).await;
    assert_eq!(
        (status_code, answer["resultInfo"]["code"].as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, Some("INTERNAL_SERVER_ERROR"))
    );
    let (status_code, answer) = refund("r-1", &payment_id, 1501).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::BAD_REQUEST, "00200015"));
    let (status_code, answer) = refund("r-1", &payment_id, 500).send(&stand_in).await;
    assert_eq!(status_code, StatusCode::OK, "{answer}");
    assert_eq!(answer["data"]["status"], "CREATED");
    // The same refund asked again answers it; a second refund is refused.
    let (status_code, again) = refund("r-1", &payment_id, 500).send(&stand_in).await;
    assert_eq!((status_code, &again["data"]["merchantRefundId"]), (StatusCode::OK, &json!("r-1")));
    let (status_code, answer) = refund("r-2", &payment_id, 500).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::BAD_REQUEST, "00200014"));
    let (status_code, answer) =
        Call::new(Method::GET, "/v2/refunds/r-2", None).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::NOT_FOUND, "00200018"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status_code, answer) =
        Call::new(Method::GET, "/v2/refunds/r-1", None).send(&stand_in).await;
    assert_eq!(status_code, StatusCode::OK);
    assert_eq!(answer["data"]["status"], "REFUNDED");
    assert_eq!(answer["data"]["amount"]["amount"], 500);
    // Partly refunded: the payment stays COMPLETED, and can no longer be cancelled.
    let (_, answer) = status(&stand_in, "m-4").await;
    assert_eq!(answer["data"]["status"], "COMPLETED");
    let (status_code, answer) =
        Call::new(Method::DELETE, "/v2/payments/m-4", None).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::BAD_REQUEST, "00200044"));
}

#[tokio::test]
async fn declined_deleted_and_expired_codes() {
    let stand_in = start(Duration::from_secs(1)).await;
    let (_, a) = create(&stand_in, "m-5", 100).await;
    let (_, b) = create(&stand_in, "m-6", 200).await;
    let (_, c) = create(&stand_in, "m-7", 300).await;
    let id = |v: &Value| v["data"]["codeId"].as_str().unwrap().to_owned();
    assert!(tap(&stand_in, &id(&a), "decline").await.contains("失敗"));
    assert_eq!(status(&stand_in, "m-5").await.1["data"]["status"], "FAILED");
    let path = format!("/v2/codes/{}", id(&b));
    let (status_code, _) = Call::new(Method::DELETE, &path, None).send(&stand_in).await;
    assert_eq!(status_code, StatusCode::OK);
    let (status_code, answer) = Call::new(Method::DELETE, &path, None).send(&stand_in).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::NOT_FOUND, "01652072"));
    assert!(tap(&stand_in, &id(&b), "approve").await.contains("取り消しました"));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    // Past its expiry an unpaid code stays CREATED and cannot be paid.
    assert!(tap(&stand_in, &id(&c), "approve").await.contains("期限切れ"));
    assert_eq!(status(&stand_in, "m-7").await.1["data"]["status"], "CREATED");
    let listed = stand_in.control.codes();
    assert_eq!(
        listed.iter().map(|c| (c.expired, c.deleted)).collect::<Vec<_>>()[1..],
        [(true, true), (true, false)]
    );
}

#[tokio::test]
async fn a_cancel_before_payment_fails_a_later_payment() {
    let stand_in = start(Duration::from_secs(300)).await;
    let (_, created) = create(&stand_in, "m-8", 700).await;
    let (status_code, answer) =
        Call::new(Method::DELETE, "/v2/payments/m-8", None).send(&stand_in).await;
    assert_eq!(status_code, StatusCode::ACCEPTED, "{answer}");
    assert_eq!(answer["resultInfo"]["code"], "REQUEST_ACCEPTED");
    tap(&stand_in, created["data"]["codeId"].as_str().unwrap(), "approve").await;
    assert_eq!(status(&stand_in, "m-8").await.1["data"]["status"], "COMPLETED");
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(status(&stand_in, "m-8").await.1["data"]["status"], "FAILED");
    // A cancel for an id never created burns it.
    Call::new(Method::DELETE, "/v2/payments/m-9", None).send(&stand_in).await;
    assert_eq!(create(&stand_in, "m-9", 700).await.0, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn switches_make_it_ambiguous_failing_or_slow() {
    let stand_in = start(Duration::from_secs(300)).await;
    let set = |switches: Value| {
        let url = format!("{}/control", stand_in.url());
        async move {
            let answer = reqwest::Client::new().post(url).json(&switches).send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::OK);
        }
    };
    set(json!({"ambiguous": ["create"]})).await;
    let (status_code, answer) = create(&stand_in, "m-10", 900).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::INTERNAL_SERVER_ERROR, "08101000"));
    // … yet the code was made.
    assert_eq!(status(&stand_in, "m-10").await.1["data"]["status"], "CREATED");
    set(json!({"fail": "transaction_failed"})).await;
    let (status_code, answer) = create(&stand_in, "m-11", 900).await;
    assert_eq!(
        (status_code, answer["resultInfo"]["code"].as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, Some("TRANSACTION_FAILED"))
    );
    set(json!({"fail": "maintenance"})).await;
    assert_eq!(status(&stand_in, "m-10").await.0, StatusCode::SERVICE_UNAVAILABLE);
    set(json!({"fail": "bad_gateway"})).await;
    assert_eq!(status(&stand_in, "m-10").await, (StatusCode::BAD_GATEWAY, Value::Null));
    set(json!({"slow_ms": 300})).await;
    let started = std::time::Instant::now();
    assert_eq!(create(&stand_in, "m-11", 900).await.0, StatusCode::CREATED);
    assert!(started.elapsed() >= Duration::from_millis(300));
    // The page's form sets them too.
    let form =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let answer = form
        .post(format!("{}/control", stand_in.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("slow_ms=0&fail=internal_error&ambiguous=refund&ambiguous=cancel")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    let switches = stand_in.control.switches();
    assert_eq!(switches.fail, standin::Fail::InternalError);
    assert_eq!(
        switches.ambiguous.into_iter().collect::<Vec<_>>(),
        [standin::Op::Cancel, standin::Op::Refund]
    );
}

#[tokio::test]
async fn a_presented_customer_code_is_charged_at_once() {
    let stand_in = start(Duration::from_secs(300)).await;
    let stand_in = &stand_in;
    let charge = |mpid: &str, code: &str, agree: bool| {
        let path = format!("/v2/payments?agreeSimilarTransaction={agree}");
        let body = json!({"merchantPaymentId": mpid, "userAuthorizationId": code,
                          "amount": {"amount": 640, "currency": "JPY"}, "requestedAt": now()});
        async move { Call::new(Method::POST, &path, Some(body)).send(stand_in).await }
    };
    let (status_code, answer) = charge("c-1", "281234567890123456", false).await;
    assert_eq!(status_code, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["data"]["status"], "COMPLETED");
    let (status_code, answer) = charge("c-2", "281234567890123456", false).await;
    assert_eq!((status_code, code_id(&answer)), (StatusCode::BAD_REQUEST, "00200017"));
    assert_eq!(charge("c-3", "281234567890123456", true).await.0, StatusCode::CREATED);
    let (status_code, answer) = charge("c-4", "281234567890129999", false).await;
    assert_eq!(
        (status_code, answer["resultInfo"]["code"].as_str()),
        (StatusCode::INTERNAL_SERVER_ERROR, Some("TRANSACTION_FAILED"))
    );
    let (status_code, answer) =
        Call::new(Method::GET, "/v2/payments/c-1", None).send(stand_in).await;
    assert_eq!((status_code, &answer["data"]["status"]), (StatusCode::OK, &json!("COMPLETED")));
}
