//! Installs what the build and tests need, from package registries only: the wasm32 target
//! (rustup), Trunk and wasm-bindgen-cli (crates.io), wasm-opt and Playwright (npm), and
//! Chromium with its driver, PostgreSQL, zbar and the Noto CJK fonts (Debian). Nothing is
//! downloaded from anywhere else.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::{root, step};

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver, for wasm-bindgen-test-runner.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Debian's zbar: the end-to-end tests read the shown payment QR codes with it.
pub const ZBARIMG: &str = "/usr/bin/zbarimg";
/// Debian's Noto CJK: screenshots and PDFs of receipts in Japanese, Chinese and Korean need its
/// glyphs (without it Chromium draws boxes).
pub const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
/// Newer Trunk needs a newer rustc than this machine's.
const TRUNK_VERSION: &str = "0.21.14";

/// PATH with cargo's install folder and the npm-installed build tools in front.
pub fn path() -> OsString {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .map(|home| home.join("bin"));
    let mut dirs: Vec<PathBuf> = vec![root().join("xtask/node_modules/.bin")];
    dirs.extend(cargo_bin);
    dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Makes sure every tool is there; `browser` adds what the tests need.
pub fn ensure(browser: bool) -> Result<()> {
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", TRUNK_VERSION, &["trunk", "--version", TRUNK_VERSION, "--locked"])?;
    let bindgen = wasm_bindgen_version()?;
    // Without --locked: the CLI's own lockfile names a webpki-roots release the registry lacks.
    ensure_cargo_tool("wasm-bindgen", &bindgen, &["wasm-bindgen-cli", "--version", &bindgen])?;
    ensure_npm(&root().join("xtask"))?;
    if browser {
        ensure_debian_packages()?;
        ensure_npm(&root().join("tests"))?;
    }
    Ok(())
}

fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).env("PATH", path()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    step(
        "add the wasm32 target",
        Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
    )
}

fn ensure_cargo_tool(binary: &str, version: &str, install: &[&str]) -> Result<()> {
    let found = output(binary, &["--version"]).unwrap_or_default();
    if found.split_whitespace().any(|word| word == version) {
        return Ok(());
    }
    step(&format!("install {binary} {version}"), Command::new("cargo").arg("install").args(install))
}

/// The wasm-bindgen version in Cargo.lock, which the CLI must match exactly.
fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == r#"name = "wasm-bindgen""#
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen")
}

fn ensure_npm(dir: &Path) -> Result<()> {
    if dir.join("node_modules/.package-lock.json").is_file() {
        return Ok(());
    }
    step(
        &format!("install npm packages in {}", dir.display()),
        Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir),
    )
}

/// Whether this process runs as root.
pub fn is_root() -> bool {
    output("id", &["-u"]).is_some_and(|uid| uid.trim() == "0")
}

/// Debian's Chromium with its driver, PostgreSQL for the server's integration tests, zbar for
/// reading QR codes in the end-to-end tests, the Noto CJK fonts for receipts in five languages
/// on screenshots, and Python's venv for schemathesis.
fn ensure_debian_packages() -> Result<()> {
    let venv = Command::new("python3").args(["-m", "venv", "--help"]).output();
    if Path::new(CHROMIUM).is_file()
        && Path::new(CHROMEDRIVER).is_file()
        && Path::new(ZBARIMG).is_file()
        && Path::new(NOTO_CJK).is_file()
        && crate::postgres::bin_dir().is_some()
        && venv.is_ok_and(|out| out.status.success())
    {
        return Ok(());
    }
    let root_user = is_root();
    let apt = |args: &[&str]| {
        let mut command = if root_user { Command::new("apt-get") } else { Command::new("sudo") };
        if !root_user {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    step("apt-get update", &mut apt(&["update"]))?;
    step(
        "install Chromium, ChromeDriver, PostgreSQL, zbar, Noto CJK and Python's venv",
        &mut apt(&[
            "install",
            "-y",
            "chromium",
            "chromium-driver",
            "postgresql",
            "zbar-tools",
            "fonts-noto-cjk",
            "python3-venv",
        ]),
    )
}

/// A TCP port free on loopback right now, for the end-to-end server.
pub fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").context("finding a free port")?;
    Ok(listener.local_addr()?.port())
}
