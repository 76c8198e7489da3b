//! Running it for a real shop: `akinai serve` over HTTPS, and the demo shop (a password of its
//! own per database, about 60 days of sample sales that the figures show and `akinai verify`
//! finds whole).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use akinai_core::api::DemoPairingCode;
use akinai_core::staff::Pin;
use akinai_core::sync::{Pairing, SyncBatch, SyncReply};
use akinai_server::tools::demo::{DEMO_EMAIL, add_sample_sales, load_demo, ring_up};
use akinai_server::tools::verify;
use chrono::{Days, Utc};
use reqwest::StatusCode;
use serde_json::{Value, json};
use support::{TestServer, answer, backends, start, start_with};
use uuid::Uuid;

/// The password every demo had before it was generated per database.
const OLD_CONSTANT: &str = "akinai-demo";

/// Kills the server when the test ends, passed or not.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_answers_over_https_with_the_given_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(["localhost".to_owned()]).unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_akinai"))
        .args(["serve", "--addr", "127.0.0.1:0", "--app-dir"])
        .arg(dir.path())
        .arg("--db")
        .arg(dir.path().join("akinai.db"))
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let serving = Serving(child);
    // A line says where it serves: `Akinai is serving on https://127.0.0.1:PORT/`. The rest of
    // its output is read on, so that its logging never meets a closed pipe.
    let line = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
        let line = lines.find(|line| line.starts_with("Akinai is serving")).unwrap_or_default();
        std::thread::spawn(move || lines.for_each(drop));
        line
    })
    .await
    .unwrap();
    let port = line
        .strip_prefix("Akinai is serving on https://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("not serving HTTPS: {line:?}"));

    let client = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(certified.cert.pem().as_bytes()).unwrap(),
        )
        .https_only(true)
        .build()
        .unwrap();
    let (status, health) =
        answer(client.get(format!("https://localhost:{port}/api/v1/health"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    // Started without --demo: no code for pairing with a demo store.
    let (status, _) =
        answer(client.post(format!("https://localhost:{port}/api/v1/demo/pairing"))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Plain HTTP on the same port gets no answer: nothing is served unencrypted.
    let plain = reqwest::get(format!("http://127.0.0.1:{port}/api/v1/health")).await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());
    drop(serving);
}

#[tokio::test]
async fn serve_refuses_to_start_without_a_readable_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_akinai"))
        .args(["serve", "--addr", "127.0.0.1:0", "--tls-cert"])
        .arg(dir.path().join("missing.pem"))
        .arg("--tls-key")
        .arg(dir.path().join("missing-key.pem"))
        .arg("--db")
        .arg(dir.path().join("akinai.db"))
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("missing.pem"), "names the certificate it could not read: {said}");
}

/// Signs the demo owner in; the session token, or the status when refused.
async fn demo_sign_in(server: &TestServer, password: &str) -> Result<String, StatusCode> {
    let body = json!({"email": DEMO_EMAIL, "password": password});
    let (status, signed_in) =
        answer(server.client.post(server.url("/api/v1/owner/signin")).json(&body)).await;
    if status == StatusCode::OK {
        Ok(signed_in["token"].as_str().unwrap().to_owned())
    } else {
        Err(status)
    }
}

#[tokio::test]
async fn the_demo_has_its_own_password_and_weeks_of_sales_that_verify() {
    for backend in backends() {
        let server = start(backend).await;
        let first = load_demo(&server.state, None).await.unwrap();
        assert!(first.loaded);
        assert_ne!(first.password, OLD_CONSTANT);
        assert!(first.password.len() >= 16, "long enough: {}", first.password);
        assert_eq!(demo_sign_in(&server, OLD_CONSTANT).await, Err(StatusCode::UNAUTHORIZED));
        let token = demo_sign_in(&server, &first.password).await.unwrap();
        let started = std::time::Instant::now();
        let landed = add_sample_sales(&server.state).await.unwrap();
        eprintln!("{landed} sample sales landed in {:?}", started.elapsed());
        assert_eq!(add_sample_sales(&server.state).await.unwrap(), 0, "landed once only");

        let today = akinai_core::tokyo_date(Utc::now());
        let week_ago = today.checked_sub_days(Days::new(7)).unwrap();
        let path = format!("/api/v1/figures?from={week_ago}&to={today}");
        let (status, figures) = server.get_json(&path, &token).await;
        assert_eq!(status, StatusCode::OK, "{figures}");
        assert!(figures["receipts"].as_u64().unwrap() >= 7 * 20, "{figures}");
        assert!(figures["gross"].as_i64().unwrap() > 0, "{figures}");
        // A shop's day: busy at lunch, closed at night.
        let hours: &Vec<Value> = figures["hours"].as_array().unwrap();
        assert!(hours[12]["receipts"].as_u64() > hours[9]["receipts"].as_u64(), "{figures}");
        assert_eq!(hours[3]["receipts"], 0, "{figures}");
        let two_months = today.checked_sub_days(Days::new(59)).unwrap();
        let (_, first_day) = server
            .get_json(&format!("/api/v1/figures?from={two_months}&to={two_months}"), &token)
            .await;
        assert!(first_day["receipts"].as_u64().unwrap() > 0, "sales 60 days back: {first_day}");

        let report = verify::run(&server.state.db).await.unwrap();
        assert!(report.is_clean(), "{:?}", report.problems);
        assert_eq!(report.sales, landed as u64, "{}", report.summary());
        assert!(landed >= 60 * 20, "{landed}");

        // A later start keeps the shop and its sales and gives the owner a new password.
        let again = load_demo(&server.state, None).await.unwrap();
        assert!(!again.loaded);
        assert_ne!(again.password, first.password);
        assert_eq!(demo_sign_in(&server, &first.password).await, Err(StatusCode::UNAUTHORIZED));
        demo_sign_in(&server, &again.password).await.unwrap();
        assert_eq!(verify::run(&server.state.db).await.unwrap().sales, report.sales);

        // Another database gets another password; a chosen one is taken as given.
        let other = start(backend).await;
        let chosen = load_demo(&other.state, Some("chosen for the tests")).await.unwrap();
        assert_eq!(chosen.password, "chosen for the tests");
        demo_sign_in(&other, "chosen for the tests").await.unwrap();
        let other = start(backend).await;
        assert_ne!(load_demo(&other.state, None).await.unwrap().password, first.password);
    }
}

#[tokio::test]
async fn a_tablet_pairs_with_the_demo_store_and_its_sale_reaches_the_owner_live() {
    for backend in backends() {
        let server = start_with(backend, true).await;
        let demo = load_demo(&server.state, None).await.unwrap();
        let (status, code) = answer(server.client.post(server.url("/api/v1/demo/pairing"))).await;
        assert_eq!(status, StatusCode::CREATED, "{code}");
        let code: DemoPairingCode = serde_json::from_value(code).unwrap();

        // The tablet pairs as with an owner's code, and gets the store with its 店長.
        let device_id = Uuid::now_v7();
        let body = json!({"code": code.code, "name": "デモのタブレット", "device_id": device_id});
        let (status, pairing) =
            answer(server.client.post(server.url("/api/v1/pair")).json(&body)).await;
        assert_eq!(status, StatusCode::CREATED, "{pairing}");
        let pairing: Pairing = serde_json::from_value(pairing).unwrap();
        let manager = pairing.changes.staff.iter().find(|s| s.name == "店長").unwrap();
        assert!(manager.accepts(&Pin::parse(&demo.pin).unwrap()));
        let shop = pairing.changes.shop.clone().unwrap();
        let items: Vec<_> = pairing.changes.items.into_iter().filter(|i| !i.open_price).collect();

        // A sale rung up on it lands, and the owner's open view hears of it.
        let mut events = server.state.events.subscribe();
        let sale = ring_up(device_id, &shop, &items, &[Utc::now()]).unwrap();
        let batch = SyncBatch { entries: sale, waiting: 1 };
        let (status, reply) = answer(
            server.client.post(server.url("/api/v1/sync")).bearer_auth(&pairing.token).json(&batch),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
        let reply: SyncReply = serde_json::from_value(reply).unwrap();
        assert_eq!((reply.acked.len(), reply.rejected.len()), (1, 0), "{reply:?}");
        let event = tokio::time::timeout(std::time::Duration::from_secs(5), events.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(event.device_id, device_id.to_string());
        let token = demo_sign_in(&server, &demo.password).await.unwrap();
        let today = akinai_core::tokyo_date(Utc::now());
        let (_, figures) =
            server.get_json(&format!("/api/v1/figures?from={today}&to={today}"), &token).await;
        assert_eq!(figures["receipts"], 1, "{figures}");
    }
}

#[tokio::test]
async fn the_owner_can_edit_while_a_register_syncs() {
    // SQLite: one writer at a time; the sample sales land like a register's long backlog.
    let server = start_with(support::Backend::Sqlite, true).await;
    let demo = load_demo(&server.state, None).await.unwrap();
    let token = demo_sign_in(&server, &demo.password).await.unwrap();
    let (_, stores) = server.get_json("/api/v1/stores", &token).await;
    let store = stores[0]["id"].as_str().unwrap().to_owned();
    let state = server.state.clone();
    let landing = tokio::spawn(async move { add_sample_sales(&state).await });
    let mut imports = 0;
    while !landing.is_finished() {
        // An import reads the catalog, then writes: it must not fail because the register wrote
        // in between.
        let csv = format!("name,price,tax_class\nおにぎり {imports},100,food\n");
        let path = format!("/api/v1/stores/{store}/items.csv");
        let request = server.request(reqwest::Method::POST, &path, &token);
        let (status, body) = answer(request.header("content-type", "text/csv").body(csv)).await;
        assert_eq!(status, StatusCode::OK, "import {imports}: {body}");
        imports += 1;
    }
    assert!(landing.await.unwrap().unwrap() > 0);
    assert!(imports > 0);
}
