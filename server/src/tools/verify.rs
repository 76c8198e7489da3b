//! `akinai verify`: is the stored history whole and unaltered?
//!
//! Every device's records are re-read in sequence order, each body re-parsed and re-hashed, and
//! the chain checked by the domain ([`verify_chain`]): an edited, removed or reordered record
//! shows. Every stored sale is then compared with the record it came from, every accepted
//! sale record must have its sale, and every store's per-day sums (totals, and takings by tender
//! method and brand) must add up to its sales. Rows are streamed, so a database of millions of sales is
//! checked in little memory.

use std::collections::BTreeMap;
use std::fmt;

use akinai_core::sale::Sale;
use akinai_core::sync::{ChainBreak, Link, OutboxEntry, Record, Rejection, verify_chain};
use sqlx::Row;
use tokio_stream::StreamExt;

use crate::Db;
use crate::error::Result;

/// Something wrong, on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `device <id>` for a record or sale, `store <id>` for a store's per-day sums.
    pub place: String,
    /// Which record or receipt, and what is wrong.
    pub what: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.what)
    }
}

/// What a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Devices checked.
    pub devices: u64,
    /// Records checked.
    pub records: u64,
    /// Sales checked.
    pub sales: u64,
    /// Everything wrong, device by device.
    pub problems: Vec<Problem>,
}

impl Report {
    /// True when nothing is wrong.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }

    /// The closing line.
    pub fn summary(&self) -> String {
        format!(
            "{} devices, {} records, {} sales checked: {}",
            self.devices,
            self.records,
            self.sales,
            match self.problems.len() {
                0 => "no problems".to_owned(),
                1 => "1 problem".to_owned(),
                n => format!("{n} problems"),
            }
        )
    }
}

/// Checks every device's chain and every stored sale.
pub async fn run(db: &Db) -> Result<Report> {
    let mut report = Report::default();
    let devices: Vec<String> =
        sqlx::query_scalar("SELECT id FROM device ORDER BY id").fetch_all(&db.pool).await?;
    for device_id in devices {
        report.devices += 1;
        check_chain(db, &device_id, &mut report).await?;
    }
    check_sales(db, &mut report).await?;
    check_days(db, &mut report).await?;
    check_day_tenders(db, &mut report).await?;
    Ok(report)
}

/// A day's gross, tax and receipts, exact whatever the stored amounts.
type DaySums = (i128, i128, i128);

/// Splits a summed column into parts that cannot overflow BIGINT in the database (the billions
/// and the rest), put back together here in `i128`: a day of absurd amounts is reported, not an
/// error that stops the check.
fn split_sum(column: &str) -> String {
    format!(
        "CAST(SUM({column} / 1000000000) AS BIGINT), CAST(SUM({column} % 1000000000) AS BIGINT)"
    )
}

/// Each store's per-day sums (kept as sales sync, read by the owner's figures) must be what its
/// sales add up to, day by day, and fit the 64 bits they are kept in.
async fn check_days(db: &Db, report: &mut Report) -> Result<()> {
    let sums = |sql: String| async move {
        // Built from constants only.
        let rows: Vec<(String, String, i64, i64, i64, i64, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&db.pool).await?;
        let whole = |high: i64, low: i64| i128::from(high) * 1_000_000_000 + i128::from(low);
        Ok::<_, crate::Error>(
            rows.into_iter()
                .map(|(s, d, gh, gl, th, tl, n)| {
                    ((s, d), (whole(gh, gl), whole(th, tl), i128::from(n)))
                })
                .collect::<BTreeMap<_, DaySums>>(),
        )
    };
    let sales = sums(format!(
        "SELECT store_id, business_date, {}, {},
             CAST(SUM(CASE WHEN kind = 'sale' THEN 1 ELSE 0 END) AS BIGINT)
         FROM sale GROUP BY store_id, business_date",
        split_sum("total"),
        split_sum("tax")
    ))
    .await?;
    let days = sums(format!(
        "SELECT store_id, business_date, {}, {}, CAST(SUM(sales) AS BIGINT)
         FROM day_hour GROUP BY store_id, business_date",
        split_sum("gross"),
        split_sum("tax")
    ))
    .await?;
    let keys: std::collections::BTreeSet<&(String, String)> =
        sales.keys().chain(days.keys()).collect();
    let show = |d: Option<DaySums>| {
        let (gross, tax, receipts) = d.unwrap_or_default();
        format!("gross {gross}, tax {tax}, {receipts} receipts")
    };
    for key in keys {
        let (store, date) = key;
        let (sold, kept) = (sales.get(key).copied(), days.get(key).copied());
        let fits = |d: Option<DaySums>| {
            d.is_none_or(|(g, t, _)| i64::try_from(g).is_ok() && i64::try_from(t).is_ok())
        };
        if !fits(sold) {
            report.problems.push(Problem {
                place: format!("store {store}"),
                what: format!(
                    "{date}: its sales add up to too large a sum to keep ({})",
                    show(sold)
                ),
            });
        } else if sold.unwrap_or_default() != kept.unwrap_or_default() {
            report.problems.push(Problem {
                place: format!("store {store}"),
                what: format!(
                    "{date}: the day's sums ({}) differ from its sales ({})",
                    show(kept),
                    show(sold)
                ),
            });
        }
    }
    Ok(())
}

/// (store, date, method, brand) -> an exact sum.
type TenderSums = BTreeMap<(String, String, String, String), i128>;

/// Sums `amount` of `table` per store, day, method and brand, exact whatever the amounts.
async fn tender_sums(db: &Db, table: &str) -> Result<TenderSums> {
    // Built from constants only.
    let sql = format!(
        "SELECT store_id, business_date, method, brand, {} FROM {table}
         GROUP BY store_id, business_date, method, brand",
        split_sum("amount")
    );
    let rows: Vec<(String, String, String, String, i64, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(s, d, m, b, high, low)| {
            ((s, d, m, b), i128::from(high) * 1_000_000_000 + i128::from(low))
        })
        .collect())
}

/// Each store's per-day takings by tender (method and brand, which the figures' fees and
/// deposits are worked out from) must be what its sales' tenders add up to.
async fn check_day_tenders(db: &Db, report: &mut Report) -> Result<()> {
    let (sold, kept) =
        (tender_sums(db, "sale_tender").await?, tender_sums(db, "day_tender").await?);
    let keys: std::collections::BTreeSet<_> = sold.keys().chain(kept.keys()).collect();
    for key in keys {
        let (store, date, method, brand) = key;
        let (sold, kept) = (sold.get(key).copied(), kept.get(key).copied());
        // A tender that nets to nothing may have left no day row, or a row of 0.
        if sold.unwrap_or_default() != kept.unwrap_or_default() {
            let tender =
                if brand.is_empty() { method.clone() } else { format!("{method} {brand}") };
            report.problems.push(Problem {
                place: format!("store {store}"),
                what: format!(
                    "{date}: the day's {tender} takings ({}) differ from its sales' ({})",
                    kept.unwrap_or_default(),
                    sold.unwrap_or_default()
                ),
            });
        }
    }
    Ok(())
}

/// Re-hashes one device's records and checks they link up.
async fn check_chain(db: &Db, device_id: &str, report: &mut Report) -> Result<()> {
    let mut links = Vec::new();
    let mut arrived_bad = Vec::new();
    let mut rows = sqlx::query_as::<_, (i64, String, String, String, String, Option<String>)>(
        "SELECT seq, id, prev_hash, hash, body, rejection FROM record
         WHERE device_id = $1 ORDER BY seq",
    )
    .bind(device_id)
    .fetch(&db.pool);
    while let Some(row) = rows.next().await {
        let (seq, id, prev_hash, hash, body, rejection) = row?;
        report.records += 1;
        let seq = u64::try_from(seq).unwrap_or_default();
        // The body must be the entry the columns describe, and hash to the stored hash.
        let content_hash = serde_json::from_str::<OutboxEntry>(&body)
            .ok()
            .filter(|entry| {
                entry.seq == seq
                    && entry.id.to_string() == id
                    && entry.prev_hash == prev_hash
                    && entry.hash == hash
            })
            .map(|entry| entry.compute_hash())
            .unwrap_or_default();
        let rejected: Option<Rejection> =
            rejection.as_deref().and_then(|r| serde_json::from_str(r).ok());
        if rejected == Some(Rejection::HashMismatch) {
            arrived_bad.push(seq);
        }
        links.push(Link { seq, prev_hash, hash, content_hash });
    }
    for broken in verify_chain(&links) {
        let what = match broken {
            ChainBreak::Gap { from, to } if from == to => format!("seq {from}: missing"),
            ChainBreak::Gap { from, to } => format!("seq {from}-{to}: missing"),
            ChainBreak::Edited { seq } if arrived_bad.contains(&seq) => {
                format!("seq {seq}: arrived with a hash that does not match its content (rejected)")
            }
            ChainBreak::Edited { seq } => format!("seq {seq}: content does not match its hash"),
            ChainBreak::Unlinked { seq } => {
                format!("seq {seq}: does not follow the record before it")
            }
        };
        report.problems.push(Problem { place: format!("device {device_id}"), what });
    }
    Ok(())
}

/// Compares every sale with its record, and finds accepted sale records with no sale.
async fn check_sales(db: &Db, report: &mut Report) -> Result<()> {
    let chains = report.problems.len();
    let mut rows = sqlx::query(
        "SELECT sale.id, sale.device_id, sale.receipt_no, sale.total, sale.tax, sale.discount,
                sale.business_date, sale.body, record.body, record.rejection
         FROM sale LEFT JOIN record ON record.id = sale.id
         ORDER BY sale.id",
    )
    .fetch(&db.pool);
    while let Some(row) = rows.next().await {
        let row = row?;
        report.sales += 1;
        let id: String = row.try_get(0)?;
        let device_id: String = row.try_get(1)?;
        let receipt_no: i64 = row.try_get(2)?;
        let stored = Stored {
            total: row.try_get(3)?,
            tax: row.try_get(4)?,
            discount: row.try_get(5)?,
            business_date: row.try_get(6)?,
            receipt_no,
            body: row.try_get(7)?,
        };
        let record: Option<String> = row.try_get(8)?;
        let rejection: Option<String> = row.try_get(9)?;
        let problems = match (record, rejection) {
            (None, _) => vec!["has no record".to_owned()],
            (Some(_), Some(_)) => vec!["comes from a rejected record".to_owned()],
            (Some(record), None) => match serde_json::from_str::<OutboxEntry>(&record) {
                Ok(OutboxEntry { record: Record::Sale(sale), .. }) => stored.differences(&sale),
                _ => vec!["its record is not a readable sale".to_owned()],
            },
        };
        for problem in problems {
            report.problems.push(Problem {
                place: format!("device {device_id}"),
                what: format!("receipt {receipt_no} (sale {id}): {problem}"),
            });
        }
    }
    drop(rows);
    // Sales come in id order (time order, by the primary key, so the database sorts nothing);
    // their problems are shown device by device like the chains'.
    report.problems[chains..].sort_by(|a, b| a.place.cmp(&b.place));
    let missing: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT record.device_id, record.seq, record.id FROM record
         LEFT JOIN sale ON sale.id = record.id
         WHERE record.kind IN ('sale', 'refund') AND record.rejection IS NULL AND sale.id IS NULL
         ORDER BY record.device_id, record.seq",
    )
    .fetch_all(&db.pool)
    .await?;
    for (device_id, seq, id) in missing {
        report.problems.push(Problem {
            place: format!("device {device_id}"),
            what: format!("seq {seq} (sale {id}): accepted but missing from the sales"),
        });
    }
    Ok(())
}

/// A `sale` row's own columns.
struct Stored {
    total: i64,
    tax: i64,
    discount: i64,
    business_date: String,
    receipt_no: i64,
    body: String,
}

impl Stored {
    /// How the row differs from the sale its record carries.
    fn differences(&self, sale: &Sale) -> Vec<String> {
        let mut found = Vec::new();
        let mut compare = |name: &str, stored: String, recorded: String| {
            if stored != recorded {
                found.push(format!("{name} {stored} differs from its record's {recorded}"));
            }
        };
        compare("total", self.total.to_string(), sale.receipt.total.get().to_string());
        compare("tax", self.tax.to_string(), sale.receipt.tax.get().to_string());
        compare("discount", self.discount.to_string(), sale.receipt.discount.get().to_string());
        compare("business date", self.business_date.clone(), sale.business_date.to_string());
        compare("receipt number", self.receipt_no.to_string(), sale.receipt_no.to_string());
        if serde_json::from_str::<Sale>(&self.body).ok().as_ref() != Some(sale) {
            found.push("body differs from its record's sale".to_owned());
        }
        found
    }
}
