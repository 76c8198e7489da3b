//! Running it for a real shop: `akinai serve` over HTTPS, and the demo shop (a password of its
//! own per database, about 60 days of sample sales that the figures show and `akinai verify`
//! finds whole).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use support::answer;

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
