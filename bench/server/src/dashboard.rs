//! The owner's dashboard over a year of a busy store: 1,000,000 sales (with their rates, tenders
//! and lines, and the per-day sums sync keeps) generated in the database itself by
//! `INSERT ... SELECT` over small helper tables, then `GET /api/v1/figures` for today, the last
//! 30 days and the last 365 days.

use std::time::Instant;

use akinai_server::db::database::Backend;
use anyhow::{Context, Result, bail};
use chrono::{Days, NaiveDate, Utc};
use sqlx::AssertSqlSafe;

use crate::Sample;
use crate::shop::{Engine, Shop};

/// How many sales the store has.
const SALES: i64 = 1_000_000;
/// Over how many days, ending today.
const DAYS: i64 = 365;
/// Opening hours, Tokyo time: 9:00 to 20:59.
const OPEN: std::ops::Range<i64> = 9..21;
/// Sales per day and hour, rounded up so that the slots hold `SALES`.
const PER_HOUR: i64 = (SALES + SLOTS - 1) / SLOTS;
/// Opening hours in the whole range.
const SLOTS: i64 = DAYS * (OPEN.end - OPEN.start);

/// Generates the sales and times the three ranges `runs` times each.
pub async fn figures(
    engine: &Engine,
    runs: usize,
    ports: &mut std::ops::RangeFrom<u16>,
) -> Result<Vec<Sample>> {
    let db = engine.name();
    let shop = Shop::open(engine, "dashboard", ports.next().context("out of ports")?).await?;
    let today = akinai_core::tokyo_date(Utc::now());
    let started = Instant::now();
    generate(&shop, today).await?;
    eprintln!("bench: {SALES} sales generated on {db} in {:.1} s", started.elapsed().as_secs_f64());
    let client = reqwest::Client::new();
    let mut samples = Vec::new();
    for (label, days) in [("today", 1), ("30 days", 30), ("365 days", DAYS)] {
        let from = today - Days::new(days as u64 - 1);
        let mut sample = Sample::new(
            format!("dashboard figures, {label}, {db}"),
            "ms",
            format!(
                "{db}, GET /api/v1/figures?from={from}&to={today} over {SALES} sales in {DAYS} days (4 rows each), the response read whole"
            ),
        );
        for _ in 0..runs {
            let started = Instant::now();
            let response = client
                .get(format!("{}/api/v1/figures?from={from}&to={today}", shop.base))
                .bearer_auth(&shop.owner_token)
                .send()
                .await?;
            let status = response.status();
            let body = response.bytes().await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if status == reqwest::StatusCode::NOT_FOUND {
                sample.conditions =
                    "not measured: this server has no GET /api/v1/figures yet".into();
                break;
            }
            if !status.is_success() {
                bail!("GET /api/v1/figures answered {status}: {}", String::from_utf8_lossy(&body));
            }
            sample.values.push(ms);
        }
        samples.push(sample);
    }
    shop.close().await;
    Ok(samples)
}

/// Fills the store with `SALES` sales over the `DAYS` days up to `today`, one rate, one cash
/// tender and one line each; one sale in 50 is a refund.
async fn generate(shop: &Shop, today: NaiveDate) -> Result<()> {
    let pool = &shop.db.pool;
    let mut tx = pool.begin().await?;
    if shop.db.backend == Backend::Postgres {
        // Generated rows reference sales made in the same statement's table: skip PostgreSQL's
        // per-row foreign-key triggers (the bench's own cluster, as its superuser), which
        // otherwise take most of the minute this generation would need.
        sqlx::query("SET LOCAL session_replication_role = replica").execute(&mut *tx).await?;
    }
    for table in [
        "bench_n (n BIGINT NOT NULL)",
        "bench_day (d BIGINT NOT NULL, date TEXT NOT NULL)",
        "bench_hour (h BIGINT NOT NULL, tokyo BIGINT NOT NULL, utc TEXT NOT NULL)",
        "bench_item (n BIGINT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL)",
    ] {
        sqlx::query(AssertSqlSafe(format!("CREATE TABLE {table}"))).execute(&mut *tx).await?;
    }
    sqlx::query(
        "INSERT INTO bench_n (n) WITH RECURSIVE c (n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM c WHERE n < $1) SELECT n FROM c",
    )
    .bind(PER_HOUR.max(DAYS))
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO bench_day (d, date) SELECT n, '' FROM bench_n WHERE n < $1")
        .bind(DAYS)
        .execute(&mut *tx)
        .await?;
    for d in 0..DAYS {
        let date = today - Days::new(d as u64);
        sqlx::query("UPDATE bench_day SET date = $1 WHERE d = $2")
            .bind(date.to_string())
            .bind(d)
            .execute(&mut *tx)
            .await?;
    }
    for (h, tokyo) in OPEN.enumerate() {
        // Tokyo is UTC+9, so opening hours fall on the same UTC date.
        sqlx::query("INSERT INTO bench_hour (h, tokyo, utc) VALUES ($1, $2, $3)")
            .bind(h as i64)
            .bind(tokyo)
            .bind(format!("T{:02}:30:00.000Z", tokyo - 9))
            .execute(&mut *tx)
            .await?;
    }
    for (n, item) in shop.items.iter().enumerate() {
        sqlx::query("INSERT INTO bench_item (n, name, category) VALUES ($1, $2, $3)")
            .bind(n as i64)
            .bind(&item.name)
            .bind(&item.category)
            .execute(&mut *tx)
            .await?;
    }
    let hours = OPEN.end - OPEN.start;
    let seq = format!("((d.d * {hours} + h.h) * {PER_HOUR} + k.n + 1)");
    let amount = "(300 + (k.n * 37) % 2000)";
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, original_id, at,
                           business_date, hour, staff, total, tax, discount, body)
         SELECT 'g-' || {seq}, $1, $2, {seq}, {seq},
                CASE WHEN k.n % 50 = 49 THEN 'refund' ELSE 'sale' END, NULL, d.date || h.utc,
                d.date, h.tokyo, '店長',
                CASE WHEN k.n % 50 = 49 THEN -{amount} ELSE {amount} END,
                CASE WHEN k.n % 50 = 49 THEN -{amount} / 11 ELSE {amount} / 11 END, 0, '{{}}'
         FROM bench_day d CROSS JOIN bench_hour h CROSS JOIN bench_n k
         WHERE k.n < {PER_HOUR} AND {seq} <= {SALES}"
    )))
    .bind(&shop.store_id)
    .bind(shop.device_id.to_string())
    .execute(&mut *tx)
    .await?;
    for insert in [
        "INSERT INTO sale_rate (sale_id, store_id, business_date, rate, reduced, gross, net, tax)
         SELECT id, store_id, business_date, CASE WHEN seq % 3 = 0 THEN 10 ELSE 8 END,
                CASE WHEN seq % 3 = 0 THEN 0 ELSE 1 END, total, total - tax, tax
         FROM sale WHERE store_id = $1",
        "INSERT INTO sale_tender (sale_id, store_id, business_date, method, amount)
         SELECT id, store_id, business_date, 'cash', total FROM sale WHERE store_id = $1",
        "INSERT INTO sale_line (sale_id, store_id, business_date, line_no, item_id, name, category, qty, amount)
         SELECT s.id, s.store_id, s.business_date, 1, NULL, i.name, i.category, 1, s.total
         FROM sale s JOIN bench_item i ON i.n = s.seq % (SELECT COUNT(*) FROM bench_item)
         WHERE s.store_id = $1",
    ] {
        sqlx::query(insert).bind(&shop.store_id).execute(&mut *tx).await?;
    }
    // The per-day sums that sync keeps as sales arrive (migration 0003), made in one go.
    for insert in [
        "INSERT INTO day_hour (store_id, business_date, hour, gross, tax, sales, refunds, refund_total)
         SELECT store_id, business_date, hour, CAST(SUM(total) AS BIGINT), CAST(SUM(tax) AS BIGINT),
                CAST(SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN kind = 'refund' THEN 1 ELSE 0 END) AS BIGINT),
                CAST(SUM(CASE WHEN kind = 'refund' THEN total ELSE 0 END) AS BIGINT)
         FROM sale WHERE store_id = $1 GROUP BY store_id, business_date, hour",
        "INSERT INTO day_rate (store_id, business_date, rate, reduced, gross, net, tax)
         SELECT store_id, business_date, rate, reduced, CAST(SUM(gross) AS BIGINT),
                CAST(SUM(net) AS BIGINT), CAST(SUM(tax) AS BIGINT)
         FROM sale_rate WHERE store_id = $1 GROUP BY store_id, business_date, rate, reduced",
        "INSERT INTO day_tender (store_id, business_date, method, amount)
         SELECT store_id, business_date, method, CAST(SUM(amount) AS BIGINT)
         FROM sale_tender WHERE store_id = $1 GROUP BY store_id, business_date, method",
        "INSERT INTO day_item (store_id, business_date, name, qty, amount)
         SELECT store_id, business_date, name, CAST(SUM(qty) AS BIGINT), CAST(SUM(amount) AS BIGINT)
         FROM sale_line WHERE store_id = $1 GROUP BY store_id, business_date, name",
    ] {
        sqlx::query(insert).bind(&shop.store_id).execute(&mut *tx).await?;
    }
    for table in ["bench_n", "bench_day", "bench_hour", "bench_item"] {
        sqlx::query(AssertSqlSafe(format!("DROP TABLE {table}"))).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    // PostgreSQL's autovacuum analyzes a table that grew like this on its own; do it now
    // rather than race it. SQLite keeps no statistics unless asked, and the server never asks.
    if shop.db.backend == Backend::Postgres {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(())
}
