//! `cargo xtask bench`: what shops feel, measured. Builds the app (and the payload floor in
//! `bench/floor`) with Trunk and the server in release, then runs three parts that each write
//! their samples as JSON into `target/bench/`:
//!
//! - `tests/bench/payload.mjs`: each page's wasm, js and css, raw, gzip and brotli, and the floor's.
//! - `tests/bench/browser.mjs`: what a first visit to each page downloads (service worker
//!   included), Lighthouse on the owner's page, and the register in headless Chromium with the
//!   CPU throttled 4x, 10,000 items and 20,000 past sales.
//! - `akinai-bench` (`bench/server`): sync ingest against plain inserts, a device's backlog, the
//!   owner's dashboard, and 100 registers of 30 stores syncing at once, on SQLite and on a
//!   throwaway PostgreSQL cluster. `--only load` runs that last part alone (no app build).
//!
//! Every figure is the median of its runs with min and max; the table goes to stdout and
//! `target/bench.json`. `docs/PERFORMANCE.md` records a run and the targets.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use crate::{build_app, command, postgres, root, step, tools};

/// The ports the bench's servers listen on: the browser's server on the first, the server
/// bench's in-process servers after it.
const PORT_BASE: u16 = 8500;

/// `cargo xtask bench --help`.
pub const USAGE: &str = "usage: cargo xtask bench [--runs N] [--only load]
  Builds in release and measures payload, the register in throttled Chromium and the server;
  prints the table and writes target/bench.json. --runs: runs per figure (default 3).
  --only load: only 100 registers of 30 stores syncing at once, on SQLite and PostgreSQL.";

/// One part's measurements of a figure: a value per run, or none when it was not measured (the
/// conditions then say why).
#[derive(Debug, Deserialize)]
struct Sample {
    figure: String,
    unit: String,
    values: Vec<f64>,
    conditions: String,
}

/// A row of the table and of `target/bench.json`.
#[derive(Debug, PartialEq, Serialize)]
struct Figure {
    figure: String,
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    unit: String,
    runs: usize,
    conditions: String,
}

impl From<Sample> for Figure {
    fn from(sample: Sample) -> Figure {
        let mut values = sample.values;
        values.sort_by(f64::total_cmp);
        let median = match values.len() {
            0 => None,
            n if n % 2 == 1 => Some(values[n / 2]),
            n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
        };
        Figure {
            figure: sample.figure,
            median,
            min: values.first().copied(),
            max: values.last().copied(),
            unit: sample.unit,
            runs: values.len(),
            conditions: sample.conditions,
        }
    }
}

/// `cargo xtask bench [--runs N] [--only load]`.
pub fn bench(args: &[String]) -> Result<()> {
    let (mut runs, mut load_only) = (3, false);
    let mut given = args.iter();
    while let Some(flag) = given.next() {
        match (flag.as_str(), given.next().map(String::as_str)) {
            ("--runs", Some(n)) => runs = n.parse().context("--runs takes a whole number")?,
            ("--only", Some("load")) => load_only = true,
            _ => {
                println!("{USAGE}");
                return Ok(());
            }
        }
    }
    let started = Instant::now();
    tools::ensure(true)?;
    if !load_only {
        build_app()?;
        step(
            "build the payload floor (trunk, release)",
            command("trunk")
                .args(["build", "--release", "--offline"])
                .current_dir(root().join("bench/floor")),
        )?;
    }
    step(
        "build the server and its bench (release)",
        command("cargo").args([
            "build",
            "--release",
            "--package",
            "akinai-server",
            "--package",
            "akinai-bench",
        ]),
    )?;
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).context("creating target/bench")?;
    let release = crate::target_dir().join("release");
    let parts: &[&str] = if load_only { &["server"] } else { &["payload", "browser", "server"] };
    if !load_only {
        browser_parts(&out, &release, runs)?;
    }
    let cluster = postgres::Cluster::start()?;
    let mut server = command(&release.join("akinai-bench").to_string_lossy());
    server
        .args(["--runs", &runs.to_string(), "--port", &(PORT_BASE + 1).to_string()])
        .arg("--postgres")
        .arg(&cluster.url)
        .arg("--out")
        .arg(out.join("server.json"));
    if load_only {
        server.args(["--only", "load"]);
    }
    step("the server on SQLite and PostgreSQL", &mut server)?;
    drop(cluster);

    let mut figures = Vec::new();
    for part in parts {
        figures.extend(read_part(&out.join(format!("{part}.json")))?);
    }
    let json = serde_json::to_string_pretty(&figures).context("encoding the figures")?;
    let path = root().join("target/bench.json");
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    println!("\n{}", table(&figures));
    println!("\nmachine: {}", machine());
    println!(
        "xtask: bench took {:.1} minutes; the table is in {}",
        started.elapsed().as_secs_f64() / 60.0,
        path.display()
    );
    Ok(())
}

/// The payload of each page, and the register in throttled Chromium.
fn browser_parts(out: &Path, release: &Path, runs: usize) -> Result<()> {
    step(
        "payload",
        command("node")
            .arg("tests/bench/payload.mjs")
            .arg(root().join("target/dist"))
            .arg(root().join("target/bench/floor"))
            .arg(out.join("payload.json")),
    )?;
    step(
        "the register in headless Chromium (CPU 4x slower)",
        command("node")
            .arg("bench/browser.mjs")
            .current_dir(root().join("tests"))
            .env("AKINAI_BIN", release.join("akinai"))
            .env("AKINAI_APP_DIR", root().join("target/dist"))
            .env("BENCH_PORT", PORT_BASE.to_string())
            .env("BENCH_OUT", out.join("browser.json"))
            .env("BENCH_RUNS", runs.to_string())
            .env("CHROMIUM", tools::CHROMIUM),
    )
}

/// What the figures were taken on: cores, CPU model, memory and the browser, for the record.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let read = |path: &str, key: &str| {
        std::fs::read_to_string(path).ok().and_then(|text| {
            text.lines()
                .find(|line| line.starts_with(key))
                .and_then(|line| line.split_once(':'))
                .map(|(_, value)| value.trim().to_owned())
        })
    };
    let cpu = read("/proc/cpuinfo", "model name").unwrap_or_else(|| "unknown CPU".to_owned());
    let memory = read("/proc/meminfo", "MemTotal").unwrap_or_else(|| "unknown".to_owned());
    let chromium = command(tools::CHROMIUM)
        .arg("--version")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default();
    format!("{cores} cores, {cpu}, {memory} memory; {chromium}")
}

fn read_part(path: &Path) -> Result<Vec<Figure>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let samples: Vec<Sample> =
        serde_json::from_str(&text).with_context(|| format!("reading {}", path.display()))?;
    Ok(samples.into_iter().map(Figure::from).collect())
}

/// A number as the table shows it: three significant digits or more (whole from 100 up).
fn number(value: Option<f64>) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if v.abs() >= 100.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
    }
}

/// The figures as an aligned Markdown table, ready for docs/PERFORMANCE.md.
fn table(figures: &[Figure]) -> String {
    let head = ["figure", "median", "min", "max", "unit", "runs", "conditions"];
    let rows: Vec<[String; 7]> = figures
        .iter()
        .map(|f| {
            let median =
                if f.median.is_none() { "not measured".to_owned() } else { number(f.median) };
            [
                f.figure.clone(),
                median,
                number(f.min),
                number(f.max),
                f.unit.clone(),
                f.runs.to_string(),
                f.conditions.clone(),
            ]
        })
        .collect();
    let mut widths = head.map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    // Numbers are right-aligned so their digits line up.
    let right = [false, true, true, true, false, true, false];
    let line = |cells: &[String]| {
        let mut text = String::from("|");
        for ((cell, width), right) in cells.iter().zip(widths).zip(right) {
            let pad = " ".repeat(width - cell.chars().count());
            let _ =
                if right { write!(text, " {pad}{cell} |") } else { write!(text, " {cell}{pad} |") };
        }
        text
    };
    let mut out = line(&head.map(str::to_owned));
    out.push('\n');
    let rule: Vec<String> = widths
        .iter()
        .zip(right)
        .map(|(w, r)| if r { format!("{}:", "-".repeat(w - 1)) } else { "-".repeat(*w) })
        .collect();
    out.push_str(&line(&rule));
    for row in &rows {
        out.push('\n');
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(values: &[f64]) -> Sample {
        Sample {
            figure: "tap".into(),
            unit: "ms".into(),
            values: values.to_vec(),
            conditions: "4x".into(),
        }
    }

    #[test]
    fn a_figure_is_the_median_of_its_runs_with_min_and_max() {
        let odd = Figure::from(sample(&[9.0, 3.0, 5.0]));
        assert_eq!((odd.median, odd.min, odd.max, odd.runs), (Some(5.0), Some(3.0), Some(9.0), 3));
        assert_eq!(Figure::from(sample(&[4.0, 2.0])).median, Some(3.0));
        let none = Figure::from(sample(&[]));
        assert_eq!((none.median, none.min, none.runs), (None, None, 0));
    }

    #[test]
    fn the_table_lines_up_and_says_what_was_not_measured() {
        let table = table(&[
            Figure::from(sample(&[12.26, 10.0, 15.5])),
            Figure::from(Sample { figure: "ingest".into(), ..sample(&[]) }),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| l.chars().count() == lines[0].chars().count()), "{table}");
        assert!(lines[2].contains(" 12.3 |") && lines[2].contains("| 10.0 |"), "{table}");
        assert!(lines[3].contains("not measured"), "{table}");
    }
}
