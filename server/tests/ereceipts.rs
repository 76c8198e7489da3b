//! E-receipts and 領収書 over real HTTP: the page a receipt's QR code links to, in the reader's
//! language, with its strict headers; the one bare 404 for every miss; "it will appear shortly"
//! until a real token's sale syncs; the owner's view and revocation of a link; the limits per
//! client network; and the sync of tokens (one link, one receipt) and of 領収書 records.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test that cannot set up should fail loudly.

mod support;

use akinai_core::Yen;
use akinai_core::cart::{Cart, CartLine};
use akinai_core::ereceipt::{ReceiptToken, device_receipt_key};
use akinai_core::formal::FormalReceipt;
use akinai_core::payment::{PaymentMethod, Tender};
use akinai_core::sale::{ReceiptChoice, Sale, SaleContext};
use akinai_core::shop::ShopSettings;
use akinai_core::sync::{OutboxEntry, Record};
use akinai_core::tax::TaxClass;
use akinai_i18n::Lang;
use base64::Engine;
use chrono::{DateTime, TimeZone, Utc};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::{Backend, TestServer, Till, backends, line, start};
use uuid::Uuid;

/// 12:00 Tokyo time on 3 December 2026.
fn noon() -> DateTime<Utc> {
    akinai_core::TOKYO.with_ymd_and_hms(2026, 12, 3, 12, 0, 0).unwrap().with_timezone(&Utc)
}

/// A new token of the till's register, signed with its key.
fn mint(till: &Till) -> String {
    ReceiptToken::mint(till.device, &device_receipt_key(&till.token), Uuid::new_v4().into_bytes())
}

/// What the tests do with a register: ring up, issue 領収書, land.
trait Register {
    fn ctx(&self, token: Option<String>) -> SaleContext;
    fn sell(&mut self, lines: Vec<CartLine>, token: Option<String>) -> (Sale, OutboxEntry);
    fn formal(&mut self, sale: &Sale, copy: u32) -> (FormalReceipt, OutboxEntry);
    async fn land(&self, server: &TestServer, entries: &[OutboxEntry]) -> Value;
}

impl Register for Till {
    fn ctx(&self, token: Option<String>) -> SaleContext {
        let shop: ShopSettings = serde_json::from_value(support::shop_settings("商い堂")).unwrap();
        SaleContext {
            id: Uuid::now_v7(),
            device_id: self.device,
            at: noon(),
            staff: "山田".into(),
            shift_id: Uuid::nil(),
            shop,
            receipt: ReceiptChoice { token, lang: None },
        }
    }

    /// A sale of `lines` paid with ¥100,000 cash, carrying `token`.
    fn sell(&mut self, lines: Vec<CartLine>, token: Option<String>) -> (Sale, OutboxEntry) {
        let mut cart = Cart::new(noon().date_naive());
        cart.lines = lines;
        let cash = vec![Tender::new(PaymentMethod::Cash, Yen::new(100_000))];
        let sale = Sale::ring_up(self.ctx(token), cart, cash).unwrap();
        let entry = self.sale_entry(sale);
        let Record::Sale(sale) = &entry.record else { unreachable!() };
        (Sale::clone(sale), entry)
    }

    /// Copy `copy` of a 領収書 of `sale` to 株式会社テスト.
    fn formal(&mut self, sale: &Sale, copy: u32) -> (FormalReceipt, OutboxEntry) {
        let ctx = self.ctx(None);
        let formal = FormalReceipt::issue(&ctx, sale, "株式会社テスト", "", copy, None).unwrap();
        let entry = self.entry_with(formal.id, Record::FormalReceipt(Box::new(formal.clone())));
        (formal, entry)
    }

    /// Sends `entries` as one batch: the reply.
    async fn land(&self, server: &TestServer, entries: &[OutboxEntry]) -> Value {
        let (status, reply) = self.sync(server, entries).await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        reply
    }
}

/// A new shop (`email`) whose register sold a beer with a new e-receipt token, synced: the
/// register, the sale and its token.
async fn shop_with_receipt(server: &TestServer, email: &str) -> (Till, Sale, String) {
    let mut till = Till::open(server, email).await;
    let token = mint(&till);
    let (sale, entry) =
        till.sell(vec![line("ビール", 250, 1, TaxClass::Alcohol)], Some(token.clone()));
    let reply = till.land(server, &[entry]).await;
    assert_eq!(reply["acked"].as_array().unwrap().len(), 1, "{reply}");
    (till, sale, token)
}

/// `GET path` as a phone with `Accept-Language: accept` (none when empty): status, headers,
/// body.
async fn open(server: &TestServer, path: &str, accept: &str) -> (StatusCode, HeaderMap, String) {
    let mut request = server.client.get(server.url(path));
    if !accept.is_empty() {
        request = request.header("accept-language", accept);
    }
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.text().await.unwrap())
}

/// The headers of an answer, but its date.
fn without_date(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| *name != "date")
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    all.sort();
    all
}

/// The header `name`'s value.
fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name}")).to_str().unwrap()
}

/// Sale rows' count for an e-receipt: rows in `e_receipt`.
async fn e_receipt_rows(server: &TestServer) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM e_receipt")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap()
}

/// The rejection of entry `id` in a sync reply, if it was rejected.
fn rejection(reply: &Value, id: Uuid) -> Option<Value> {
    reply["rejected"].as_array().unwrap().iter().find(|r| r["id"] == id.to_string()).cloned()
}

#[tokio::test]
async fn a_receipt_reads_in_the_readers_language_and_shows_nothing_else() {
    let server = start(Backend::Sqlite).await;
    let mut till = Till::open(&server, "reader@example.jp").await;
    let (token, other) = (mint(&till), mint(&till));
    let (_, sold) = till.sell(
        vec![
            CartLine {
                names: [("en".to_owned(), "Salmon rice ball".to_owned())].into(),
                kana: "おにぎり さけ".into(),
                ..line("おにぎり 鮭", 160, 2, TaxClass::Food)
            },
            line("ビール", 250, 1, TaxClass::Alcohol),
        ],
        Some(token.clone()),
    );
    let (_, second) = till.sell(vec![line("手ぬぐい", 1_200, 1, TaxClass::Standard)], Some(other));
    let reply = till.land(&server, &[sold, second]).await;
    assert_eq!(reply["acked"].as_array().unwrap().len(), 2, "{reply}");

    let path = format!("/r/{token}");
    let (status, headers, ja) = open(&server, &path, "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ja.contains("<html lang=\"ja\">"), "{ja}");
    assert!(ja.contains("おにぎり 鮭") && ja.contains("ビール") && ja.contains("合計"), "{ja}");
    assert!(ja.contains("商い堂") && ja.contains("T1234567890123"), "{ja}");
    // That receipt and nothing else: not the other sale, no owner, no script, no link out.
    assert!(!ja.contains("手ぬぐい") && !ja.contains("reader@example.jp"), "{ja}");
    assert!(!ja.contains("<script") && !ja.contains("http") && !ja.contains("src="), "{ja}");
    assert_eq!(header(&headers, "content-language"), "ja");
    assert_eq!(header(&headers, "content-type"), "text/html; charset=utf-8");

    // The headers, exactly; the policy allows the page's one style sheet by its hash.
    let style = ja.split("<style>").nth(1).unwrap().split("</style>").next().unwrap();
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style));
    assert_eq!(
        header(&headers, "content-security-policy"),
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; \
             form-action 'none'; frame-ancestors 'none'"
        )
    );
    for (name, value) in [
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
        ("x-robots-tag", "noindex, nofollow, noarchive"),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("cross-origin-resource-policy", "same-origin"),
        ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
        ("vary", "Accept-Language"),
    ] {
        assert_eq!(headers.get_all(name).iter().count(), 1, "{name} once");
        assert_eq!(header(&headers, name), value, "{name}");
    }
    // Served over plain HTTP here: no HSTS.
    assert!(headers.get("strict-transport-security").is_none());

    // A phone in Taiwan reads Traditional Chinese, the Japanese labels kept.
    let (_, headers, zh) = open(&server, &path, "zh-TW,zh;q=0.9,en;q=0.8").await;
    assert!(zh.contains("<html lang=\"zh-Hant\">"), "{zh}");
    assert_eq!(header(&headers, "content-language"), "zh-Hant");
    assert!(zh.contains("<span lang=\"ja\">合計</span>"), "{zh}");
    assert!(zh.contains("aria-current=\"page\">繁體中文</a>"), "{zh}");
    // No Chinese name for the rice ball: the Japanese, read in Latin letters.
    assert!(zh.contains("<span lang=\"ja\">おにぎり 鮭 (onigiri sake)</span>"), "{zh}");
    // Its switcher: plain links, each language named in its own script.
    for (tag, name) in
        [("ja", "日本語"), ("en", "English"), ("ko", "한국어"), ("zh-Hans", "简体中文")]
    {
        let link = format!("<a href=\"?lang={tag}\" hreflang=\"{tag}\" lang=\"{tag}\">{name}</a>");
        assert!(zh.contains(&link), "{link} in {zh}");
    }

    // `?lang` wins over the browser's languages.
    let (_, headers, en) = open(&server, &format!("{path}?lang=en"), "zh-TW").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Total"), "{en}");
    // Its English name and the reduced-rate mark, the Japanese under them.
    let name = "Salmon rice ball ※<span class=\"ja-name\" lang=\"ja\">おにぎり 鮭</span>";
    assert!(en.contains(name), "{en}");
    assert_eq!(header(&headers, "content-language"), "en");
    // An unknown `?lang` falls back to the browser's.
    let (_, _, ko) = open(&server, &format!("{path}?lang=xx"), "ko-KR").await;
    assert!(ko.contains("<html lang=\"ko\">"), "{ko}");
}

#[tokio::test]
async fn every_miss_is_the_same_bare_404() {
    let server = start(Backend::Sqlite).await;
    let (till, sale, revoked) = shop_with_receipt(&server, "miss@example.jp").await;
    let path = format!("/api/v1/sales/{}/e-receipt", sale.id);
    let (status, info) = server.send_json(Method::DELETE, &path, &till.owner, &Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{info}");

    // A token of a register that was revoked before its sale synced.
    let gone = support::pair_device(&server, &till.owner, &till.store, "古いレジ").await;
    let gone_id: Uuid = gone.id.parse().unwrap();
    let unsynced = ReceiptToken::mint(gone_id, &device_receipt_key(&gone.token), [7; 16]);
    assert_eq!(open(&server, &format!("/r/{unsynced}"), "").await.0, StatusCode::OK);
    let path = format!("/api/v1/devices/{}", gone.id);
    let (status, _) = support::answer(server.request(Method::DELETE, &path, &till.owner)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let forged = ReceiptToken::mint(till.device, &[9; 32], [1; 16]);
    let stranger = ReceiptToken::mint(Uuid::now_v7(), &[9; 32], [1; 16]);
    let misses = [
        format!("/r/{revoked}"),
        format!("/r/{unsynced}"),
        format!("/r/{forged}"),
        format!("/r/{stranger}"),
        format!("/r/{}", "A".repeat(55)),
        format!("/r/{revoked}x"),
        format!("/r/{revoked}/x"),
        "/r/abc".to_owned(),
        "/r/".to_owned(),
        "/r".to_owned(),
    ];
    let (status, headers, body) = open(&server, &misses[0], "en").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.contains("商い堂") && !body.contains("<script") && !body.contains("http"));
    assert!(body.contains(&Lang::JA.text("ereceipt-not-found")), "{body}");
    for miss in &misses[1..] {
        let (other_status, other_headers, other_body) = open(&server, miss, "en").await;
        assert_eq!(other_status, StatusCode::NOT_FOUND, "{miss}");
        assert_eq!(other_body, body, "{miss}");
        assert_eq!(without_date(&other_headers), without_date(&headers), "{miss}");
    }
    // The reader's language changes nothing either.
    let (_, other_headers, other_body) = open(&server, &misses[2], "ko").await;
    assert_eq!((other_body, without_date(&other_headers)), (body, without_date(&headers)));
}

#[tokio::test]
async fn a_real_token_waits_for_its_sale() {
    for backend in backends() {
        let server = support::start_with(backend, false).await;
        let mut till = Till::open(&server, "pending@example.jp").await;
        let token = mint(&till);
        let path = format!("/r/{token}");
        let (status, headers, waiting) = open(&server, &path, "ko-KR,ko;q=0.9").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let ko = Lang::from_tag("ko").unwrap();
        assert!(waiting.contains("<html lang=\"ko\">"), "{waiting}");
        assert!(waiting.contains(&ko.text("ereceipt-pending")), "{waiting}");
        assert!(waiting.contains("<meta http-equiv=\"refresh\" content=\"30\">"), "{waiting}");
        assert!(!waiting.contains("商い堂") && !waiting.contains("<script"), "{waiting}");
        assert_eq!(header(&headers, "referrer-policy"), "no-referrer");

        let (_, entry) = till.sell(vec![line("ビール", 250, 1, TaxClass::Alcohol)], Some(token));
        let reply = till.land(&server, &[entry]).await;
        assert_eq!(reply["acked"].as_array().unwrap().len(), 1, "{reply}");
        let (status, _, shown) = open(&server, &path, "ko-KR,ko;q=0.9").await;
        assert_eq!(status, StatusCode::OK);
        assert!(shown.contains("ビール") && !shown.contains("http-equiv"), "{shown}");
    }
}

#[tokio::test]
async fn the_owner_sees_and_revokes_a_link() {
    let server = start(Backend::Sqlite).await;
    let (mut till, sale, token) = shop_with_receipt(&server, "owner@example.jp").await;
    let (plain, plain_entry) = till.sell(vec![line("ビール", 250, 1, TaxClass::Alcohol)], None);
    till.land(&server, &[plain_entry]).await;
    let path = format!("/api/v1/sales/{}/e-receipt", sale.id);

    let (status, info) = server.get_json(&path, &till.owner).await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert_eq!(info["url"], format!("{}/r/{token}", server.base));
    assert!(info.get("revoked_at").is_none(), "{info}");
    // A sale without a token has no link; another owner's sale is not there.
    let none = format!("/api/v1/sales/{}/e-receipt", plain.id);
    assert_eq!(server.get_json(&none, &till.owner).await.0, StatusCode::NOT_FOUND);
    let stranger = support::sign_up(&server, "stranger@example.jp").await;
    assert_eq!(server.get_json(&path, &stranger.token).await.0, StatusCode::NOT_FOUND);
    let (status, _) = server.send_json(Method::DELETE, &path, &stranger.token, &Value::Null).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(open(&server, &format!("/r/{token}"), "").await.0, StatusCode::OK);

    let (status, revoked) =
        server.send_json(Method::DELETE, &path, &till.owner, &Value::Null).await;
    assert_eq!(status, StatusCode::OK, "{revoked}");
    assert_eq!(revoked["url"], info["url"]);
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    assert_eq!(open(&server, &format!("/r/{token}"), "").await.0, StatusCode::NOT_FOUND);
    // For good: again changes nothing.
    let (_, again) = server.send_json(Method::DELETE, &path, &till.owner, &Value::Null).await;
    assert_eq!(again, revoked);
    assert_eq!(server.get_json(&path, &till.owner).await.1, revoked);
}

#[tokio::test]
async fn misses_are_limited_per_network() {
    let server = start(Backend::Sqlite).await;
    let (_, _, token) = shop_with_receipt(&server, "limit@example.jp").await;
    let found = format!("/r/{token}");
    // Pages found give their miss back.
    for _ in 0..30 {
        assert_eq!(open(&server, &found, "").await.0, StatusCode::OK);
    }
    for n in 0..20 {
        let miss = format!("/r/{}", "A".repeat(n + 1));
        assert_eq!(open(&server, &miss, "").await.0, StatusCode::NOT_FOUND, "miss {n}");
    }
    let (status, headers, body) = open(&server, "/r/abc", "").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = header(&headers, "retry-after").parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert_eq!(header(&headers, "referrer-policy"), "no-referrer");
    assert!(body.contains(&Lang::EN.text("ereceipt-too-many")), "{body}");
    // The network has used up its misses: even a real link waits now.
    assert_eq!(open(&server, &found, "").await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn one_token_is_one_receipt() {
    for backend in backends() {
        let server = support::start_with(backend, false).await;
        let (mut till, _, token) = shop_with_receipt(&server, "once@example.jp").await;
        let lines = || vec![line("ビール", 250, 1, TaxClass::Alcohol)];

        // Again in a later batch, twice in one batch, and signed with another key: refused.
        let (again, again_entry) = till.sell(lines(), Some(token));
        let shared = mint(&till);
        let (_, one) = till.sell(lines(), Some(shared.clone()));
        let (two, two_entry) = till.sell(lines(), Some(shared));
        let forged = ReceiptToken::mint(till.device, &[9; 32], [3; 16]);
        let (forged_sale, forged_entry) = till.sell(lines(), Some(forged));
        let reply = till.land(&server, &[again_entry, one, two_entry, forged_entry]).await;
        for id in [again.id, two.id, forged_sale.id] {
            let refused = rejection(&reply, id).unwrap_or_else(|| panic!("{id}: {reply}"));
            assert_eq!(refused["reason"], "invalid", "{refused}");
            assert_eq!(refused["field"], "receipt_token", "{refused}");
        }
        assert_eq!(reply["acked"].as_array().unwrap().len(), 1, "{backend:?}: {reply}");
        assert_eq!(e_receipt_rows(&server).await, 2, "{backend:?}");
        // Only hashes in the table.
        let hashes: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM e_receipt")
            .fetch_all(&server.state.db.pool)
            .await
            .unwrap();
        assert!(hashes.iter().all(|h| h.len() == 64), "{hashes:?}");
    }
}

#[tokio::test]
async fn formal_receipts_land_once_checked_and_are_exported() {
    for backend in backends() {
        let server = support::start_with(backend, false).await;
        let mut till = Till::open(&server, "formal@example.jp").await;
        let (sale, sold) = till.sell(vec![line("惣菜", 62_000, 1, TaxClass::Food)], None);
        let (first, first_entry) = till.formal(&sale, 1);
        assert_eq!(first.stamp_duty, Yen::new(200));
        let reply = till.land(&server, &[sold, first_entry]).await;
        assert_eq!(reply["acked"].as_array().unwrap().len(), 2, "{backend:?}: {reply}");
        // A reissue in a later batch, of a sale stored before.
        let (_, second) = till.formal(&sale, 2);
        assert_eq!(till.land(&server, &[second]).await["acked"].as_array().unwrap().len(), 1);

        // A refund's, an unknown sale's, another duty than the rule's, another register's.
        let ctx = till.ctx(None);
        let refund = sale.refund(ctx, &[(0, 1)], &[], None).unwrap();
        let refund_entry = till.sale_entry(refund);
        let Record::Sale(refund) = &refund_entry.record else { unreachable!() };
        let of_refund = FormalReceipt { id: Uuid::now_v7(), sale_id: refund.id, ..first.clone() };
        let unknown =
            FormalReceipt { id: Uuid::now_v7(), sale_id: Uuid::now_v7(), ..first.clone() };
        let duty = FormalReceipt { id: Uuid::now_v7(), stamp_duty: Yen::ZERO, ..first.clone() };
        let other =
            FormalReceipt { id: Uuid::now_v7(), device_id: Uuid::now_v7(), ..first.clone() };
        let refused: Vec<(FormalReceipt, &str, Option<&str>)> = vec![
            (of_refund, "invalid", Some("sale_id")),
            (unknown, "unknown_original", None),
            (duty, "invalid", Some("stamp_duty")),
            (other, "wrong_device", None),
        ];
        let mut entries = vec![refund_entry.clone()];
        for (formal, _, _) in &refused {
            entries
                .push(till.entry_with(formal.id, Record::FormalReceipt(Box::new(formal.clone()))));
        }
        let reply = till.land(&server, &entries).await;
        assert_eq!(reply["acked"].as_array().unwrap().len(), 1, "{backend:?}: {reply}");
        for ((_, reason, field), entry) in refused.iter().zip(&entries[1..]) {
            let rejected = rejection(&reply, entry.id).unwrap();
            assert_eq!(rejected["reason"], *reason, "{rejected}");
            if let Some(field) = field {
                assert_eq!(rejected["field"], *field, "{rejected}");
            }
        }

        let rows: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT sale_id, copy, body FROM formal_receipt ORDER BY copy")
                .fetch_all(&server.state.db.pool)
                .await
                .unwrap();
        assert_eq!(rows.len(), 2, "{backend:?}");
        assert_eq!((rows[0].0.as_str(), rows[0].1), (sale.id.to_string().as_str(), 1));
        let stored: FormalReceipt = serde_json::from_str(&rows[0].2).unwrap();
        assert_eq!(stored, first);

        let files = support::export_files(&server, &till.owner).await;
        let read = |name: &str| files[name].clone();
        let formals: Vec<Value> = serde_json::from_str(&read("formal_receipts.json")).unwrap();
        assert_eq!(formals.len(), 2);
        assert_eq!(formals[0]["body"]["addressee"], "株式会社テスト");
        assert!(read("README.md").contains("## e_receipts.json"));
        assert_eq!(read("e_receipts.csv").lines().count(), 1, "a header, no link");
    }
}
