//! The floor for sync ingest: the rows a synced sale becomes (its record, the sale, its rates,
//! tenders and lines), inserted with nothing else — no checks, no lookups, no events — in
//! multi-row INSERTs, one transaction per batch of sales.

use akinai_core::sale::Sale;
use akinai_core::sync::{MAX_BATCH, OutboxEntry, Record};
use akinai_server::database::{now_text, time_text};
use anyhow::Result;
use chrono::{Timelike, Utc};
use sqlx::{Any, AssertSqlSafe, Transaction};

use crate::shop::Shop;

/// A column's value.
enum Value {
    Text(String),
    Int(i64),
    Null,
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_owned())
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Int(n)
    }
}

/// Rows of one table, to go in as one statement.
struct Rows {
    table: &'static str,
    columns: &'static [&'static str],
    values: Vec<Value>,
}

impl Rows {
    fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows { table, columns, values: Vec::new() }
    }

    fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len());
        self.values.extend(row);
    }

    async fn insert(self, tx: &mut Transaction<'_, Any>) -> Result<()> {
        if self.values.is_empty() {
            return Ok(());
        }
        let width = self.columns.len();
        let tuples: Vec<String> = (0..self.values.len() / width)
            .map(|row| {
                let marks: Vec<String> =
                    (1..=width).map(|col| format!("${}", row * width + col)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.table,
            self.columns.join(", "),
            tuples.join(", ")
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in self.values {
            query = match value {
                Value::Text(text) => query.bind(text),
                Value::Int(n) => query.bind(n),
                Value::Null => query.bind(None::<String>),
            };
        }
        query.execute(&mut **tx).await?;
        Ok(())
    }
}

/// Inserts the rows of `entries` (sales only) into the shop's database.
pub async fn insert(shop: &Shop, entries: &[OutboxEntry]) -> Result<()> {
    for batch in entries.chunks(MAX_BATCH) {
        let mut tx = shop.db.pool.begin().await?;
        for rows in rows_of(shop, batch)? {
            rows.insert(&mut tx).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

fn rows_of(shop: &Shop, batch: &[OutboxEntry]) -> Result<[Rows; 5]> {
    let mut record = Rows::new(
        "record",
        &[
            "device_id",
            "seq",
            "id",
            "store_id",
            "kind",
            "prev_hash",
            "hash",
            "body",
            "rejection",
            "received_at",
        ],
    );
    let mut sale_rows = Rows::new(
        "sale",
        &[
            "id",
            "store_id",
            "device_id",
            "seq",
            "receipt_no",
            "kind",
            "original_id",
            "at",
            "business_date",
            "hour",
            "staff",
            "total",
            "tax",
            "discount",
            "body",
        ],
    );
    let mut rate = Rows::new(
        "sale_rate",
        &["sale_id", "store_id", "business_date", "rate", "reduced", "gross", "net", "tax"],
    );
    let mut tender =
        Rows::new("sale_tender", &["sale_id", "store_id", "business_date", "method", "amount"]);
    let mut line = Rows::new(
        "sale_line",
        &[
            "sale_id",
            "store_id",
            "business_date",
            "line_no",
            "item_id",
            "name",
            "category",
            "qty",
            "amount",
        ],
    );
    let received = now_text();
    let store = shop.store_id.as_str();
    for entry in batch {
        let Record::Sale(sale) = &entry.record else { continue };
        let Sale { id, receipt, business_date, .. } = sale.as_ref();
        let (id, date) = (id.to_string(), business_date.to_string());
        record.push([
            entry.device_id.to_string().into(),
            (entry.seq as i64).into(),
            id.clone().into(),
            store.into(),
            entry.record.kind().into(),
            entry.prev_hash.clone().into(),
            entry.hash.clone().into(),
            serde_json::to_string(&entry.record)?.into(),
            Value::Null,
            received.clone().into(),
        ]);
        sale_rows.push([
            id.clone().into(),
            store.into(),
            sale.device_id.to_string().into(),
            (sale.seq as i64).into(),
            (sale.receipt_no as i64).into(),
            entry.record.kind().into(),
            Value::Null,
            time_text(sale.at.with_timezone(&Utc)).into(),
            date.clone().into(),
            i64::from(sale.at.hour()).into(),
            sale.staff.as_str().into(),
            receipt.total.get().into(),
            receipt.tax.get().into(),
            receipt.discount.get().into(),
            serde_json::to_string(sale)?.into(),
        ]);
        for r in &receipt.rates {
            rate.push([
                id.clone().into(),
                store.into(),
                date.clone().into(),
                i64::from(r.rate).into(),
                i64::from(r.reduced).into(),
                r.gross.get().into(),
                r.net.get().into(),
                r.tax.get().into(),
            ]);
        }
        for t in &sale.tenders {
            let method = serde_json::to_value(t.method)?.as_str().unwrap_or_default().to_owned();
            tender.push([
                id.clone().into(),
                store.into(),
                date.clone().into(),
                method.into(),
                t.amount.get().into(),
            ]);
        }
        for (no, (printed, rung)) in receipt.lines.iter().zip(&sale.cart.lines).enumerate() {
            line.push([
                id.clone().into(),
                store.into(),
                date.clone().into(),
                (no as i64 + 1).into(),
                rung.item_id.map_or(Value::Null, |item| item.to_string().into()),
                printed.name.as_str().into(),
                rung.category.as_str().into(),
                i64::from(printed.qty).into(),
                printed.amount.get().into(),
            ]);
        }
    }
    Ok([record, sale_rows, rate, tender, line])
}
