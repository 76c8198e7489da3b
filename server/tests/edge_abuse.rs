//! The HTTP edge under abuse (issue 10, findings 3, 4, 8, 12, 13, 14, 16 and 17): limits that
//! hold under concurrent requests, capped password hashing, cross-site requests refused,
//! security headers, sessions that can be ended, and work that cannot pile up.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use akinai_server::http::edge::Limits;
use support::{
    PASSWORD, TestServer, answer, backends, create_store, pairing_code, sign_up, start,
    start_limited_with,
};

/// A client whose requests come from 127.0.0.`last` (every 127/8 address is this machine).
fn client_from(last: u8) -> reqwest::Client {
    let address = IpAddr::V4(Ipv4Addr::new(127, 0, 0, last));
    reqwest::Client::builder().local_address(address).build().unwrap()
}

/// Sends the requests all at once: their statuses, in order.
async fn all_at_once(requests: impl Iterator<Item = reqwest::RequestBuilder>) -> Vec<StatusCode> {
    let tasks: Vec<_> = requests
        .map(|request| tokio::spawn(async move { request.send().await.unwrap().status() }))
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses
}

/// `POST /owner/signin` from `client`: status and body.
async fn sign_in_from(
    server: &TestServer,
    client: &reqwest::Client,
    email: &str,
    password: &str,
) -> (StatusCode, Value) {
    let body = json!({"email": email, "password": password});
    answer(client.post(server.url("/api/v1/owner/signin")).json(&body)).await
}

/// `POST /pair` with `code` from `client`, to send.
fn pair_request(
    server: &TestServer,
    client: &reqwest::Client,
    code: &str,
) -> reqwest::RequestBuilder {
    let body = json!({"code": code, "name": "x", "device_id": uuid::Uuid::now_v7()});
    client.post(server.url("/api/v1/pair")).json(&body)
}

/// `POST /pair` with `code` from `client`: the status.
async fn pair_from(server: &TestServer, client: &reqwest::Client, code: &str) -> StatusCode {
    answer(pair_request(server, client, code)).await.0
}

/// How many of `statuses` are `status`.
fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_wrong_passwords_get_no_more_tries_than_the_limit() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "target@example.jp").await;
        let attacker = client_from(1);
        let body = json!({"email": owner.email, "password": "wrong password"});
        let url = server.url("/api/v1/owner/signin");
        let statuses = all_at_once((0..30).map(|_| attacker.post(&url).json(&body))).await;
        assert_eq!(count(&statuses, StatusCode::UNAUTHORIZED), 5, "{statuses:?}");
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 25, "{statuses:?}");
        // The attacker locked only themselves: the owner, elsewhere, still gets in.
        let (status, _) = sign_in_from(&server, &client_from(2), &owner.email, PASSWORD).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_wrong_pairing_codes_get_no_more_tries_than_the_limit() {
    for backend in backends() {
        let server = start(backend).await;
        let client = client_from(1);
        let statuses =
            all_at_once((0..60).map(|_| pair_request(&server, &client, "AAAA-AAAA"))).await;
        assert_eq!(count(&statuses, StatusCode::CONFLICT), 20, "{statuses:?}");
        assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 40, "{statuses:?}");
    }
}

#[tokio::test]
async fn a_pairing_code_burns_after_five_wrong_second_halves() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "pair@example.jp").await;
        let store = create_store(&server, &owner.token, "商い堂").await;
        let code =
            pairing_code(&server, &owner.token, &store).await["code"].as_str().unwrap().to_owned();
        let (first, second) = code.split_once('-').unwrap();
        let client = client_from(1);
        let mut wrong = 0;
        for guess in ["AAAA", "BBBB", "CCCC", "DDDD", "EEEE", "FFFF"] {
            if guess != second && wrong < 5 {
                let status = pair_from(&server, &client, &format!("{first}-{guess}")).await;
                assert_eq!(status, StatusCode::CONFLICT);
                wrong += 1;
            }
        }
        assert_eq!(pair_from(&server, &client_from(2), &code).await, StatusCode::CONFLICT);
        // A fresh code pairs.
        let fresh = pairing_code(&server, &owner.token, &store).await;
        let status = pair_from(&server, &client_from(2), fresh["code"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::CREATED);
    }
}

#[tokio::test]
async fn the_pairing_budget_holds_across_networks() {
    let server = start(support::Backend::Sqlite).await;
    for network in 1..=5 {
        let client = client_from(network);
        for _ in 0..20 {
            assert_eq!(pair_from(&server, &client, "AAAA-AAAA").await, StatusCode::CONFLICT);
        }
    }
    let status = pair_from(&server, &client_from(6), "AAAA-AAAA").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "100 misses from anywhere stop pairing");
}

/// The peak resident memory of process `pid`, in kB (`VmHWM`).
fn peak_memory_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|line| line.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The `akinai` binary serving a fresh database, killed when dropped.
struct Served {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `akinai serve` on a free port and waits until it answers.
async fn serve_binary() -> Served {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_akinai"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .arg("--db")
        .arg(dir.path().join("akinai.db"))
        .arg("--app-dir")
        .arg(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let served = Served { child, base: format!("http://127.0.0.1:{port}"), _dir: dir };
    for _ in 0..100 {
        if reqwest::get(format!("{}/api/v1/health", served.base)).await.is_ok() {
            return served;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("akinai serve did not answer");
}

/// 60 sign-ups at once to the server at `base`, spread over `networks` client networks.
async fn sixty_sign_ups(base: &str, networks: u8) -> Vec<StatusCode> {
    let clients: Vec<reqwest::Client> = (1..=networks).map(client_from).collect();
    let sign_ups = (0..60).map(|n| {
        let body =
            json!({"email": format!("new{n}@example.jp"), "name": "x", "password": PASSWORD});
        let client = &clients[n % clients.len()];
        client.post(format!("{base}/api/v1/owner/signup")).json(&body)
    });
    all_at_once(sign_ups).await
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_sign_ups_from_one_network_are_limited() {
    let served = serve_binary().await;
    let statuses = sixty_sign_ups(&served.base, 1).await;
    assert_eq!(count(&statuses, StatusCode::CREATED), 10, "{statuses:?}");
    assert!(statuses.iter().all(|s| !s.is_server_error()), "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 50, "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_password_hashing_stays_within_300_mb() {
    let served = serve_binary().await;
    let before = peak_memory_kb(served.child.id());
    // Six networks: every sign-up passes the limit and reaches the hashing.
    let statuses = sixty_sign_ups(&served.base, 6).await;
    let growth_mb = (peak_memory_kb(served.child.id()) - before) / 1024;
    eprintln!("peak memory grew by {growth_mb} MB: {statuses:?}");
    let fine = [StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE];
    assert!(statuses.iter().all(|s| fine.contains(s)), "{statuses:?}");
    assert!(growth_mb < 300, "peak memory grew by {growth_mb} MB");
}

#[tokio::test]
async fn sign_up_tells_taken_addresses_only_at_the_pace_of_sign_ups() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "hanako@example.jp").await;
        let sign_up_as = |email: &str| {
            let body = json!({"email": email, "name": "x", "password": "another password"});
            answer(server.client.post(server.url("/api/v1/owner/signup")).json(&body))
        };
        // Nine more attempts make ten from this network, taken addresses included.
        for n in 0..9 {
            let (status, _) = sign_up_as(&format!("probe{n}@example.jp")).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let (status, body) = sign_up_as("hanako@example.jp").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
        assert_eq!(body["code"], "too_many_attempts");
        // The real owner is untouched and still signs in.
        let (status, _) = sign_in_from(&server, &server.client, &owner.email, PASSWORD).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn a_taken_address_creates_nothing() {
    let server = start(support::Backend::Sqlite).await;
    let owner = sign_up(&server, "hanako@example.jp").await;
    let body = json!({"email": "Hanako@example.jp", "name": "x", "password": "another password"});
    let (status, answer_body) =
        answer(server.client.post(server.url("/api/v1/owner/signup")).json(&body)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer_body}");
    let owners: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM owner")
        .fetch_one(&server.state.db.pool)
        .await
        .unwrap();
    assert_eq!(owners, 1);
    let (status, _) = sign_in_from(&server, &server.client, &owner.email, PASSWORD).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_and_form_shaped_requests_are_refused() {
    let server = start(support::Backend::Sqlite).await;
    let owner = sign_up(&server, "csrf@example.jp").await;
    let sign_in = json!({"email": owner.email, "password": PASSWORD}).to_string();
    let url = server.url("/api/v1/owner/signin");
    // The review's login CSRF: a text/plain form from another site.
    let form = server
        .client
        .post(&url)
        .header(CONTENT_TYPE, "text/plain")
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .body(sign_in.clone());
    let response = form.send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get(SET_COOKIE).is_none());
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "cross_site");
    // text/plain alone (no Origin, as an old browser's form).
    let plain = server.client.post(&url).header(CONTENT_TYPE, "text/plain").body(sign_in.clone());
    assert_eq!(answer(plain).await.0, StatusCode::FORBIDDEN);
    // JSON, but from another site.
    for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "same-site")] {
        let json = server
            .client
            .post(&url)
            .header(CONTENT_TYPE, "application/json")
            .header(name, value)
            .body(sign_in.clone());
        assert_eq!(answer(json).await.0, StatusCode::FORBIDDEN, "{name}: {value}");
    }
    // The app itself: JSON from this origin.
    let host = server.base.trim_start_matches("http://").to_owned();
    let app = server
        .client
        .post(&url)
        .header(CONTENT_TYPE, "application/json")
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .body(sign_in);
    assert_eq!(answer(app).await.0, StatusCode::OK);
    // A cookie-signed form post to a bodyless route is refused; the app's header lets it in.
    let cookie = format!("__Host-akinai_session={}", owner.token);
    let store = create_store(&server, &owner.token, "商い堂").await;
    let path = server.url(&format!("/api/v1/stores/{store}/pairings"));
    let form = server.client.post(&path).header("cookie", &cookie);
    assert_eq!(answer(form).await.0, StatusCode::FORBIDDEN);
    let app =
        server.client.post(&path).header("cookie", &cookie).header("x-requested-with", "akinai");
    assert_eq!(answer(app).await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn the_session_cookie_is_host_prefixed_and_only_that_one_counts() {
    let server = start(support::Backend::Sqlite).await;
    let owner = sign_up(&server, "cookie@example.jp").await;
    let body = json!({"email": owner.email, "password": PASSWORD});
    let response =
        server.client.post(server.url("/api/v1/owner/signin")).json(&body).send().await.unwrap();
    let cookie = response.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-akinai_session="), "{cookie}");
    assert!(cookie.contains("; Secure") && cookie.contains("; Path=/"), "{cookie}");
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "{cookie}");
    let me = |cookie: String| {
        answer(server.client.get(server.url("/api/v1/owner/me")).header("cookie", cookie))
    };
    assert_eq!(me(format!("akinai_session={}", owner.token)).await.0, StatusCode::UNAUTHORIZED);
    let tossed = format!("akinai_session=bogus; __Host-akinai_session={}", owner.token);
    assert_eq!(me(tossed).await.0, StatusCode::OK);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let server = start(support::Backend::Sqlite).await;
    for path in ["/", "/owner", "/manifest.webmanifest", "/api/v1/health", "/api/v1/nothing"] {
        let response = server.client.get(server.url(path)).send().await.unwrap();
        let header = |name: &str| {
            response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
        };
        let policy = header("content-security-policy");
        for directive in [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "connect-src 'self'",
        ] {
            assert!(policy.contains(directive), "{path}: {directive} not in {policy}");
        }
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
    }
}

/// A second session of `email`, signed in with `password`: its token.
async fn another_session(server: &TestServer, email: &str, password: &str) -> String {
    let (status, body) = sign_in_from(server, &server.client, email, password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "lost-phone@example.jp").await;
        let other = another_session(&server, &owner.email, PASSWORD).await;
        let (status, _) =
            answer(server.request(Method::POST, "/api/v1/owner/signout-everywhere", &other)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        for token in [&owner.token, &other] {
            assert_eq!(
                server.get_json("/api/v1/owner/me", token).await.0,
                StatusCode::UNAUTHORIZED
            );
        }
    }
}

#[tokio::test]
async fn a_password_change_needs_the_current_one_and_ends_the_other_sessions() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "change@example.jp").await;
        let other = another_session(&server, &owner.email, PASSWORD).await;
        let change = |current: &str, new: &str| {
            let body = json!({"current_password": current, "new_password": new});
            answer(server.request(Method::PUT, "/api/v1/owner/password", &owner.token).json(&body))
        };
        let (status, body) = change("not the password", "a new password").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        assert_eq!(body["code"], "wrong_credentials");
        let (status, body) = change(PASSWORD, "short").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["field"], "new_password");
        assert_eq!(server.get_json("/api/v1/owner/me", &other).await.0, StatusCode::OK);
        assert_eq!(change(PASSWORD, "a new password").await.0, StatusCode::NO_CONTENT);
        assert_eq!(server.get_json("/api/v1/owner/me", &owner.token).await.0, StatusCode::OK);
        assert_eq!(server.get_json("/api/v1/owner/me", &other).await.0, StatusCode::UNAUTHORIZED);
        let (status, _) = sign_in_from(&server, &server.client, &owner.email, PASSWORD).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        another_session(&server, &owner.email, "a new password").await;
    }
}

#[tokio::test]
async fn a_session_unused_for_14_days_ends_and_use_keeps_one_alive() {
    for backend in backends() {
        let server = start(backend).await;
        let owner = sign_up(&server, "idle@example.jp").await;
        let other = another_session(&server, &owner.email, PASSWORD).await;
        let set_last_seen = |token: &str, days_ago: i64| {
            let at = chrono::Utc::now() - chrono::Duration::days(days_ago);
            let at = akinai_server::db::database::time_text(at);
            let hash = akinai_server::http::auth::token_hash(token);
            let pool = server.state.db.pool.clone();
            async move {
                sqlx::query("UPDATE session SET last_seen = $1 WHERE token_hash = $2")
                    .bind(at)
                    .bind(hash)
                    .execute(&pool)
                    .await
                    .unwrap();
            }
        };
        set_last_seen(&owner.token, 15).await;
        set_last_seen(&other, 13).await;
        assert_eq!(
            server.get_json("/api/v1/owner/me", &owner.token).await.0,
            StatusCode::UNAUTHORIZED
        );
        // Used on day 13, the other session starts 14 new days.
        assert_eq!(server.get_json("/api/v1/owner/me", &other).await.0, StatusCode::OK);
        let last_seen: String =
            sqlx::query_scalar("SELECT last_seen FROM session WHERE token_hash = $1")
                .bind(akinai_server::http::auth::token_hash(&other))
                .fetch_one(&server.state.db.pool)
                .await
                .unwrap();
        let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
        assert!(last_seen > akinai_server::db::database::time_text(yesterday), "{last_seen}");
    }
}

/// Sends the head of a JSON `POST path` whose body never comes, from a raw connection: the
/// server waits for it. Returns the connection.
async fn stalled_request(server: &TestServer, path: &str) -> tokio::net::TcpStream {
    let address = server.base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"email\""
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
}

/// Reads the answer on a raw connection until the server closes it or a whole answer is in.
async fn read_answer(stream: &mut tokio::net::TcpStream) -> String {
    let mut text = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer))
            .await
            .expect("an answer within 10 s")
            .unwrap();
        text.extend_from_slice(&buffer[..read]);
        let so_far = String::from_utf8_lossy(&text);
        if read == 0 || so_far.contains("\"code\"") {
            return so_far.into_owned();
        }
    }
}

#[tokio::test]
async fn a_request_that_takes_too_long_answers_503_json() {
    let limits = Limits { request_timeout: Duration::from_secs(1), ..Limits::default() };
    let server = start_limited_with(support::Backend::Sqlite, false, limits).await;
    let started = Instant::now();
    let mut stalled = stalled_request(&server, "/api/v1/owner/signin").await;
    let text = read_answer(&mut stalled).await;
    assert!(text.starts_with("HTTP/1.1 503"), "{text}");
    assert!(text.contains("\"code\":\"timed_out\""), "{text}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn requests_beyond_the_cap_are_refused_at_once() {
    let limits = Limits { in_flight: 2, ..Limits::default() };
    let server = start_limited_with(support::Backend::Sqlite, false, limits).await;
    let _first = stalled_request(&server, "/api/v1/owner/signin").await;
    let _second = stalled_request(&server, "/api/v1/owner/signin").await;
    // Give the server a moment to take both in.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let response = server.client.get(server.url("/api/v1/health")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().contains_key("retry-after"));
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "busy");
}

#[tokio::test]
async fn live_event_streams_are_capped_per_owner_and_in_all() {
    let limits = Limits { streams: 9, ..Limits::default() };
    let server = start_limited_with(support::Backend::Sqlite, false, limits).await;
    let alice = sign_up(&server, "alice@example.jp").await;
    let bob = sign_up(&server, "bob@example.jp").await;
    let open = |token: String| {
        let request = server.request(Method::GET, "/api/v1/events", &token);
        async move { request.send().await.unwrap() }
    };
    let mut streams = Vec::new();
    for _ in 0..8 {
        let stream = open(alice.token.clone()).await;
        assert_eq!(stream.status(), StatusCode::OK);
        streams.push(stream);
    }
    let refused = open(alice.token.clone()).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "too_many_streams");
    streams.push(open(bob.token.clone()).await);
    let full = open(bob.token.clone()).await;
    assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(full.json::<Value>().await.unwrap()["code"], "busy");
    // A closed stream frees its place.
    drop(streams.remove(0));
    let mut reopened = StatusCode::SERVICE_UNAVAILABLE;
    for _ in 0..50 {
        reopened = open(alice.token.clone()).await.status();
        if reopened == StatusCode::OK {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(reopened, StatusCode::OK);
}

#[tokio::test]
async fn a_too_large_body_answers_in_the_json_error_shape() {
    let server = start(support::Backend::Sqlite).await;
    let owner = sign_up(&server, "big@example.jp").await;
    let store = create_store(&server, &owner.token, "商い堂").await;
    let path = format!("/api/v1/stores/{store}/items.csv");
    let csv = "name,price\n".to_owned() + &"x,1\n".repeat(1_000_000);
    let request = server
        .request(Method::POST, &path, &owner.token)
        .header(CONTENT_TYPE, "text/csv")
        .body(csv);
    let (status, body) = answer(request).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "body_too_large", "{body}");
}
