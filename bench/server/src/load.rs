//! Many shops at once: 100 registers of 30 stores on one server, each draining its outbox
//! (sales made and hash-chained by `akinai-core`, as a tablet makes them) at the same time, a
//! batch after the last as a tablet does. Measured: answers that are not 200 (none expected),
//! the 95th percentile of a batch's time, and the total ingest against one register alone on
//! the same database just before.

use std::time::{Duration, Instant};

use akinai_core::sync::{MAX_BATCH, OutboxEntry, SyncBatch, SyncReply};
use akinai_server::db::database::now_text;
use akinai_server::db::store_data::{create_store, put_item};
use akinai_server::http::auth::{new_token, token_hash};
use akinai_server::tools::demo::ring_up;
use anyhow::{Context, Result, bail};
use uuid::Uuid;

use crate::Sample;
use crate::shop::{Engine, Shop, seconds_apart};

/// Stores on the server.
const STORES: usize = 30;
/// Registers syncing at once, spread over the stores.
const DEVICES: usize = 100;
/// Sales queued on each of them.
const PER_DEVICE: usize = 2 * MAX_BATCH;
/// Sales of the register measured alone, for the one-device rate.
const ALONE: usize = 10 * MAX_BATCH;

/// A paired register and its queued outbox.
struct Register {
    token: String,
    entries: Vec<OutboxEntry>,
}

/// What one register's draining saw: each batch's time and every status that was not 200.
#[derive(Default)]
struct Drained {
    batches: Vec<Duration>,
    not_ok: Vec<u16>,
    acked: usize,
}

/// The load figures on `engine`, `runs` times on a fresh database each.
pub async fn figures(
    engine: &Engine,
    runs: usize,
    ports: &mut std::ops::RangeFrom<u16>,
) -> Result<Vec<Sample>> {
    let db = engine.name();
    let how = format!(
        "{db}, {DEVICES} registers of {STORES} stores syncing at once, {PER_DEVICE} sales each in batches of {MAX_BATCH} (in-process server, loopback)"
    );
    let mut not_ok = Sample::new(format!("load: answers not 200, {db}"), "count", &how);
    let mut p95 = Sample::new(format!("load: batch time p95, {db}"), "ms", &how);
    let mut total = Sample::new(format!("load: total ingest, {db}"), "sales/s", &how);
    let mut alone = Sample::new(
        format!("load: one register alone, {db}"),
        "sales/s",
        format!("{db}, {ALONE} sales in batches of {MAX_BATCH}, on the same server just before"),
    );
    let mut ratio = Sample::new(
        format!("load: total ingest / one register alone, {db}"),
        "ratio",
        "the two rates above, run by run",
    );
    let mut statuses = Vec::new();
    for run in 0..runs {
        let shop = Shop::open(engine, &format!("load{run}"), ports.next().context("out of ports")?)
            .await?;
        let mut registers = pair(&shop, DEVICES + 1).await?;
        let single = registers.pop().context("no register")?;
        let client = reqwest::Client::new();

        let started = Instant::now();
        let one = drain(client.clone(), shop.base.clone(), single).await?;
        let alone_rate = one.acked as f64 / started.elapsed().as_secs_f64();

        let started = Instant::now();
        let tasks: Vec<_> = registers
            .into_iter()
            .map(|register| tokio::spawn(drain(client.clone(), shop.base.clone(), register)))
            .collect();
        let mut times = Vec::new();
        let mut acked = 0;
        let mut refused = one.not_ok;
        for task in tasks {
            let drained = task.await??;
            times.extend(drained.batches);
            acked += drained.acked;
            refused.extend(drained.not_ok);
        }
        let rate = acked as f64 / started.elapsed().as_secs_f64();
        shop.close().await;

        times.sort();
        let at = (times.len() * 95).div_ceil(100).saturating_sub(1);
        let p95_ms = times.get(at).map_or(0.0, |t| t.as_secs_f64() * 1000.0);
        eprintln!(
            "bench: load on {db}: {acked} sales from {DEVICES} registers at {rate:.0}/s, p95 {p95_ms:.0} ms, {} answers not 200",
            refused.len()
        );
        not_ok.values.push(refused.len() as f64);
        p95.values.push(p95_ms);
        total.values.push(rate);
        alone.values.push(alone_rate);
        ratio.values.push(rate / alone_rate);
        statuses.extend(refused);
    }
    if !statuses.is_empty() {
        statuses.sort_unstable();
        statuses.dedup();
        not_ok.conditions = format!("{how}; statuses seen: {statuses:?}");
    }
    Ok(vec![not_ok, p95, total, alone, ratio])
}

/// Makes `STORES` stores (the shop's and more like it, with its catalog) and pairs `count`
/// registers with them in turn, each with its outbox of sales queued.
async fn pair(shop: &Shop, count: usize) -> Result<Vec<Register>> {
    let owner_id: String = sqlx::query_scalar("SELECT owner_id FROM store WHERE id = $1")
        .bind(&shop.store_id)
        .fetch_one(&shop.db.pool)
        .await?;
    let mut tx = shop.db.pool.begin().await?;
    let mut stores = vec![shop.store_id.clone()];
    while stores.len() < STORES {
        let store_id = create_store(&mut tx, &owner_id, &shop.settings).await?;
        for item in &shop.items {
            put_item(&mut tx, &store_id, item).await?;
        }
        stores.push(store_id);
    }
    let mut registers = Vec::with_capacity(count);
    for n in 0..count {
        let (id, token) = (Uuid::now_v7(), new_token());
        sqlx::query(
            "INSERT INTO device (id, store_id, name, token_hash, paired_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(&stores[n % STORES])
        .bind(format!("load {n}"))
        .bind(token_hash(&token))
        .bind(now_text())
        .execute(&mut *tx)
        .await?;
        let queued = if n + 1 == count { ALONE } else { PER_DEVICE };
        let entries = ring_up(id, &shop.settings, &shop.items, &seconds_apart(queued))?;
        registers.push(Register { token, entries });
    }
    tx.commit().await?;
    Ok(registers)
}

/// Posts a register's outbox a batch at a time, each after the last, as its sync does.
async fn drain(client: reqwest::Client, base: String, register: Register) -> Result<Drained> {
    let mut drained = Drained::default();
    let mut waiting = register.entries.len();
    for batch in register.entries.chunks(MAX_BATCH) {
        let body = SyncBatch { entries: batch.to_vec(), waiting: waiting as u64 };
        let started = Instant::now();
        let response = client
            .post(format!("{base}/api/v1/sync"))
            .bearer_auth(&register.token)
            .json(&body)
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        drained.batches.push(started.elapsed());
        if !status.is_success() {
            // The rest waits for a later sync, as on a tablet.
            drained.not_ok.push(status.as_u16());
            break;
        }
        let reply: SyncReply = serde_json::from_str(&text).context("reading a SyncReply")?;
        if let Some(refused) = reply.rejected.first() {
            bail!("the server refused a sale of a valid chain: {refused:?}");
        }
        drained.acked += reply.acked.len();
        waiting -= batch.len();
    }
    Ok(drained)
}
