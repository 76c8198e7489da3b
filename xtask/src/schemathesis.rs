//! The API against its own OpenAPI document: schemathesis (PyPI, in a venv under `target/`)
//! sends generated requests to a server signed in as the demo owner, and fails on any answer
//! the document does not allow, or on a request the document allows that the server refuses.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::{command, root, step, target_dir, tools};

/// The schemathesis release the checks are written for.
const VERSION: &str = "4.32.5";
/// Examples per operation: enough to find what is undocumented, few enough for a minute or two.
const EXAMPLES: &str = "10";

/// The venv's `st`, installed if it is missing or another version.
fn ensure() -> Result<PathBuf> {
    let venv = target_dir().join("schemathesis");
    let st = venv.join("bin/st");
    let installed = Command::new(&st).arg("--version").output().ok();
    if installed.is_some_and(|out| String::from_utf8_lossy(&out.stdout).contains(VERSION)) {
        return Ok(st);
    }
    step(
        "create a Python venv for schemathesis",
        Command::new("python3").arg("-m").arg("venv").arg(&venv),
    )?;
    step(
        &format!("install schemathesis {VERSION}"),
        Command::new(venv.join("bin/pip"))
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("schemathesis=={VERSION}")),
    )?;
    Ok(st)
}

/// The server under test, stopped when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        // Already gone is fine: there is nothing left to stop.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request to the server; its status and body.
fn http(port: u16, method: &str, path: &str, body: &str) -> Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_default();
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Ok((status, body))
}

/// The demo owner's password on the run's own throwaway database (the server generates one
/// unless told; the run has to know it to sign in).
const DEMO_PASSWORD: &str = "schemathesis run only";

/// Starts the built server on a fresh database with the demo shop, and waits until it answers.
fn start(db: &Path, port: u16) -> Result<Server> {
    let child = Command::new(root().join("target/debug/akinai"))
        .arg("serve")
        .arg("--addr")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--db")
        .arg(db)
        .arg("--app-dir")
        .arg(root().join("target/dist"))
        .arg("--demo")
        .env("AKINAI_DEMO_PASSWORD", DEMO_PASSWORD)
        .spawn()
        .context("starting target/debug/akinai")?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !http(port, "GET", "/api/v1/health", "").is_ok_and(|(status, _)| status == 200) {
        if Instant::now() > deadline {
            bail!("the server did not answer on port {port}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Ok(server)
}

/// Runs schemathesis against the built server (`target/debug/akinai`, `target/dist`).
pub fn run() -> Result<()> {
    let st = ensure()?;
    let dir = target_dir().join("schemathesis-run");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).context("clearing target/schemathesis-run")?;
    }
    std::fs::create_dir_all(&dir).context("creating target/schemathesis-run")?;
    let port = tools::free_port()?;
    let _server = start(&dir.join("akinai.db"), port)?;
    // The demo owner's session: the owner's routes are what most of the API is.
    let credentials = serde_json::json!({"email": "demo@akinai.jp", "password": DEMO_PASSWORD});
    let (status, body) = http(port, "POST", "/api/v1/owner/signin", &credentials.to_string())?;
    let signed: serde_json::Value = serde_json::from_str(&body).context("reading the sign-in")?;
    let Some(token) = signed["token"].as_str().filter(|_| status == 200) else {
        bail!("the demo owner could not sign in ({status}): {body}");
    };
    step(
        "schemathesis against /api/openapi.json, signed in as the demo owner",
        command(&st.to_string_lossy())
            .arg("--config-file")
            .arg(root().join("tests/schemathesis.toml"))
            .arg("run")
            .arg(format!("http://127.0.0.1:{port}/api/openapi.json"))
            .arg("--header")
            .arg(format!("Authorization: Bearer {token}"))
            .args(["--checks", "all", "--max-examples", EXAMPLES, "--no-color"])
            // The owner's whole export from an unoptimised server on a loaded CI machine takes
            // seconds (5 s here for the demo's month of sales); it is not what this run measures.
            .args(["--request-timeout", "30"])
            // Signing out would end the very session the run signs its requests with.
            .args(["--exclude-operation-id", "sign_out"])
            .args(["--exclude-operation-id", "sign_out_everywhere"])
            .arg("--report-dir")
            .arg(&dir)
            .current_dir(&dir),
    )
}
