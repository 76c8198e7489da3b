//! `akinai-bench`: the server's figures for `cargo xtask bench`, on SQLite and on PostgreSQL.
//!
//! - Sync ingest: one device's 10,000 queued sales, made and hash-chained by `akinai-core` as a
//!   tablet makes them, posted to `POST /api/v1/sync` in batches of 200 on an in-process server;
//!   next to it, the same rows inserted plainly (multi-row INSERTs, a transaction per 200 sales)
//!   into a fresh database with the same schema, in the same run. The time of the whole backlog
//!   is the "10,000 queued sales synced" figure; sales per second and the ratio are the rest.
//! - The owner's dashboard: `GET /api/v1/figures` for today, 30 days and 365 days over a store
//!   with 1,000,000 generated sales.
//! - Load: 100 registers of 30 stores syncing at once (see [`load`]).
//!
//! Usage: `akinai-bench --runs N --port P [--postgres ADMIN_URL] [--only ingest|dashboard|load]
//! --out FILE.json`; the samples written are those `cargo xtask bench` turns into its table.

mod dashboard;
mod load;
mod plain;
mod shop;

use std::path::PathBuf;
use std::time::Instant;

use akinai_core::sync::{MAX_BATCH, OutboxEntry, SyncBatch, SyncReply};
use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::shop::{Engine, Shop};

/// The backlog of one device, and the size of each ingest run.
const BACKLOG: usize = 10_000;

/// One figure's value per run, as `cargo xtask bench` reads it; no values means not measured,
/// and the conditions say why.
#[derive(Debug, Serialize)]
pub struct Sample {
    figure: String,
    unit: &'static str,
    values: Vec<f64>,
    conditions: String,
}

impl Sample {
    fn new(figure: impl Into<String>, unit: &'static str, conditions: impl Into<String>) -> Self {
        Sample { figure: figure.into(), unit, values: Vec::new(), conditions: conditions.into() }
    }
}

struct Args {
    runs: usize,
    port: u16,
    postgres: Option<String>,
    /// One part only, or all of them.
    only: Option<String>,
    out: PathBuf,
}

/// The parts `--only` can name, in the order they run.
const PARTS: [&str; 3] = ["ingest", "dashboard", "load"];

fn args() -> Result<Args> {
    let mut args =
        Args { runs: 3, port: 8501, postgres: None, only: None, out: PathBuf::from("server.json") };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let value = given.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--runs" => args.runs = value.parse().context("--runs")?,
            "--port" => args.port = value.parse().context("--port")?,
            "--postgres" => args.postgres = Some(value),
            "--out" => args.out = PathBuf::from(value),
            "--only" if PARTS.contains(&value.as_str()) => args.only = Some(value),
            _ => bail!(
                "usage: akinai-bench --runs N --port P [--postgres ADMIN_URL] [--only ingest|dashboard|load] --out FILE"
            ),
        }
    }
    Ok(args)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = args()?;
    let scratch = tempfile::tempdir().context("making a scratch folder")?;
    let mut engines = vec![Engine::Sqlite(scratch.path().to_owned())];
    engines.extend(args.postgres.clone().map(Engine::Postgres));
    let mut ports = args.port..;
    let mut samples = Vec::new();
    let runs = |part: &str| args.only.as_deref().is_none_or(|only| only == part);
    for engine in &engines {
        if runs("ingest") {
            samples.extend(ingest(engine, args.runs, &mut ports).await?);
        }
        if runs("dashboard") {
            samples.extend(dashboard::figures(engine, args.runs, &mut ports).await?);
        }
        if runs("load") {
            samples.extend(load::figures(engine, args.runs, &mut ports).await?);
        }
    }
    let json = serde_json::to_string_pretty(&samples)?;
    std::fs::write(&args.out, json).with_context(|| format!("writing {}", args.out.display()))?;
    Ok(())
}

/// Posts `entries` as the tablet's sync does, a batch at a time, each batch waiting for the
/// last; None when this server has no sync endpoint.
async fn sync_all(shop: &Shop, entries: &[OutboxEntry]) -> Result<Option<()>> {
    let client = reqwest::Client::new();
    let mut waiting = entries.len();
    for batch in entries.chunks(MAX_BATCH) {
        let body = SyncBatch { entries: batch.to_vec(), waiting: waiting as u64 };
        let response = client
            .post(format!("{}/api/v1/sync", shop.base))
            .bearer_auth(&shop.device_token)
            .json(&body)
            .send()
            .await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        let status = response.status();
        let text = response.text().await?;
        if !status.is_success() {
            bail!("POST /api/v1/sync answered {status}: {text}");
        }
        let reply: SyncReply = serde_json::from_str(&text).context("reading a SyncReply")?;
        if reply.acked.len() != batch.len() {
            bail!("the server refused sales of a valid chain: {:?}", reply.rejected.first());
        }
        waiting -= batch.len();
    }
    Ok(Some(()))
}

/// Sync ingest against plain inserts, and the time of a whole backlog, `runs` times.
async fn ingest(
    engine: &Engine,
    runs: usize,
    ports: &mut std::ops::RangeFrom<u16>,
) -> Result<Vec<Sample>> {
    let db = engine.name();
    let how = format!("{db}, one device, {BACKLOG} sales of 1-4 lines, batches of {MAX_BATCH}");
    let mut ingested = Sample::new(
        format!("sync ingest, {db}"),
        "sales/s",
        format!("{how}, POST /api/v1/sync one batch after another (in-process server, loopback)"),
    );
    let mut plain = Sample::new(
        format!("plain batched inserts, {db}"),
        "sales/s",
        format!(
            "{how}: the same rows (record, sale, sale_rate, sale_tender, sale_line) in multi-row INSERTs, a transaction per batch"
        ),
    );
    let mut ratio = Sample::new(
        format!("sync ingest / plain inserts, {db}"),
        "ratio",
        "the two rates above, run by run",
    );
    let mut backlog = Sample::new(
        format!("{BACKLOG} queued sales synced, {db}"),
        "s",
        format!("{how}: first request to last reply, including the client's encoding"),
    );
    for run in 0..runs {
        let port = ports.next().context("out of ports")?;
        let shop = Shop::open(engine, &format!("ingest{run}"), port).await?;
        let entries = shop.queued_sales(BACKLOG)?;
        let started = Instant::now();
        let synced = sync_all(&shop, &entries).await?;
        let seconds = started.elapsed().as_secs_f64();
        shop.close().await;

        let copy = Shop::open(engine, &format!("plain{run}"), port).await?;
        let started = Instant::now();
        plain::insert(&copy, &entries).await?;
        let plain_rate = BACKLOG as f64 / started.elapsed().as_secs_f64();
        copy.close().await;
        plain.values.push(plain_rate);

        let Some(()) = synced else {
            let why = "not measured: this server has no POST /api/v1/sync yet";
            for sample in [&mut ingested, &mut ratio, &mut backlog] {
                sample.conditions = why.to_owned();
            }
            continue;
        };
        let rate = BACKLOG as f64 / seconds;
        ingested.values.push(rate);
        ratio.values.push(rate / plain_rate);
        backlog.values.push(seconds);
    }
    Ok(vec![ingested, plain, ratio, backlog])
}
