//! `cargo xtask run`, `test` and `bench`: everything a fresh Debian machine with rustup, cargo,
//! node/npm and apt needs to build, serve, test and measure Akinai, from package registries only.

mod bench;
#[cfg(test)]
mod imports;
mod postgres;
mod schemathesis;
mod tools;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask run [-- ARGS for akinai serve]\n       cargo xtask test\n       cargo xtask bench [--runs N] [--only load]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(args[1..].iter().filter(|a| *a != "--").cloned().collect()),
        Some("test") => test(),
        Some("bench") => bench::bench(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set, else the workspace's `target`.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// A command run from the workspace root, with the tools `tools::ensure` provides on PATH.
fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tools::path());
    command
}

/// Runs a command to completion, failing unless it succeeds.
fn step(what: &str, command: &mut Command) -> Result<()> {
    println!("\n==> {what}");
    let status = command.status().with_context(|| format!("{what}: could not start"))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Builds the app's two pages into target/dist: the register (app/index.html) at the root, then
/// the owner's view (app/owner.html) in target/dist/owner-app, which the server serves for /owner.
/// In this order: each Trunk build empties its own dist folder first.
fn build_app() -> Result<()> {
    step(
        "build the register's page (trunk, release)",
        trunk().args(["build", "app/index.html", "--release", "--offline"]),
    )?;
    step(
        "build the owner's page (trunk, release)",
        trunk().args([
            "build",
            "app/owner.html",
            "--release",
            "--offline",
            "--dist",
            "target/dist/owner-app",
            "--public-url",
            "/owner-app/",
        ]),
    )
}

/// Trunk for the app's release builds. Leptos' `erase_components` boxes each component's view
/// type: the same screens in about 7% less wasm. Only these builds take it (RUSTFLAGS applies to
/// the `--target` crates Trunk builds), so the tests' and lints' wasm builds keep their cache.
fn trunk() -> Command {
    let mut trunk = command("trunk");
    trunk.env("RUSTFLAGS", "--cfg erase_components");
    trunk
}

/// Kills a child process when dropped: the stand-in does not outlive `cargo xtask run`.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        // Gone already after Ctrl-C (the terminal signals the whole group): nothing to do then.
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn run(serve_args: Vec<String>) -> Result<()> {
    tools::ensure(false)?;
    build_app()?;
    step(
        "build the server (release)",
        command("cargo").args(["build", "--release", "--package", "akinai-server"]),
    )?;
    let bin = target_dir().join("release/akinai");
    let bin = bin.to_string_lossy();
    // The demo store takes PayPay through the stand-in: QR payments work without an account.
    let stand_in = format!("127.0.0.1:{}", tools::free_port()?);
    println!("\n==> akinai stand-in paypay (a stand-in for PayPay; no real money moves)");
    let _stand_in = KillOnDrop(
        command(&bin)
            .args(["stand-in", "paypay", "--addr", &stand_in])
            .spawn()
            .context("starting akinai stand-in paypay")?,
    );
    println!("    The customer's page (pay or decline a shown QR code): http://{stand_in}/");
    println!("\n==> akinai serve (demo shop loaded; Ctrl-C stops it)");
    let status = command(&bin)
        .arg("serve")
        .args(serve_args)
        .env("AKINAI_APP_DIR", root().join("target/dist"))
        .env("AKINAI_DEMO", "true")
        .env("AKINAI_PAYPAY_STAND_IN", format!("http://{stand_in}"))
        .status()
        .context("starting akinai serve")?;
    if !status.success() {
        bail!("akinai serve stopped ({status})");
    }
    Ok(())
}

fn test() -> Result<()> {
    tools::ensure(true)?;
    let wasm = ["--target", "wasm32-unknown-unknown"];
    step("format", command("cargo").args(["fmt", "--all", "--check"]))?;
    step(
        "lint the host crates",
        command("cargo").args([
            "clippy",
            "--workspace",
            "--exclude",
            "akinai-app",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    step(
        "lint the app (wasm32)",
        command("cargo")
            .args(["clippy", "--package", "akinai-app", "--all-targets"])
            .args(wasm)
            .args(["--", "-D", "warnings"]),
    )?;
    // The server's integration tests run on SQLite and on this cluster (dropped afterwards).
    let cluster = postgres::Cluster::start()?;
    step(
        "unit, property and server tests (SQLite and PostgreSQL)",
        command("cargo")
            .args(["test", "--workspace", "--exclude", "akinai-app"])
            .env("AKINAI_TEST_PG", &cluster.url),
    )?;
    drop(cluster);
    step(
        "app tests in headless Chromium (wasm-bindgen-test)",
        command("cargo")
            .args(["test", "--package", "akinai-app"])
            .args(wasm)
            .env("CHROMEDRIVER", tools::CHROMEDRIVER),
    )?;
    build_app()?;
    step("build the server", command("cargo").args(["build", "--package", "akinai-server"]))?;

    let e2e = root().join("target/e2e");
    if e2e.exists() {
        std::fs::remove_dir_all(&e2e).context("clearing target/e2e")?;
    }
    std::fs::create_dir_all(&e2e).context("creating target/e2e")?;
    let port = tools::free_port()?;
    step(
        "end-to-end tests in headless Chromium (tests/, Playwright)",
        command("npx")
            .args(["--no-install", "playwright", "test"])
            .current_dir(root().join("tests"))
            .env("AKINAI_BIN", root().join("target/debug/akinai"))
            .env("AKINAI_APP_DIR", root().join("target/dist"))
            .env("E2E_DB", e2e.join("akinai.db"))
            .env("E2E_PORT", port.to_string())
            .env("CHROMIUM", tools::CHROMIUM)
            .env("ZBARIMG", tools::ZBARIMG),
    )?;
    schemathesis::run()?;
    println!("\nxtask: every test passed");
    Ok(())
}
