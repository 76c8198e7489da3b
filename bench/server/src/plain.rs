//! The floor for sync ingest: the rows a synced sale becomes (its record, the sale, its rates,
//! tenders and lines), inserted with nothing else — no checks, no lookups, no events — in
//! multi-row INSERTs, one transaction per batch of sales.

use akinai_core::sale::Sale;
use akinai_core::sync::{MAX_BATCH, OutboxEntry, Record};
use akinai_server::db::database::{now_text, time_text};
use akinai_server::db::rows::{Rows, Value};
use anyhow::Result;
use chrono::{Timelike, Utc};

use crate::shop::Shop;

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
        "INSERT INTO record (device_id, seq, id, store_id, kind, prev_hash, hash, body, rejection, received_at)",
        10,
    );
    let mut sale_rows = Rows::new(
        "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, original_id, at, business_date, hour, staff, total, tax, discount, body)",
        15,
    );
    let mut rate = Rows::new(
        "INSERT INTO sale_rate (sale_id, store_id, business_date, rate, reduced, gross, net, tax)",
        8,
    );
    let mut tender =
        Rows::new("INSERT INTO sale_tender (sale_id, store_id, business_date, method, amount)", 5);
    let mut line = Rows::new(
        "INSERT INTO sale_line (sale_id, store_id, business_date, line_no, item_id, name, category, qty, amount)",
        9,
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
            Value::MaybeText(None),
            received.clone().into(),
        ]);
        sale_rows.push([
            id.clone().into(),
            store.into(),
            sale.device_id.to_string().into(),
            (sale.seq as i64).into(),
            (sale.receipt_no as i64).into(),
            entry.record.kind().into(),
            Value::MaybeText(None),
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
                rung.item_id.map_or(Value::MaybeText(None), |item| item.to_string().into()),
                printed.name.as_str().into(),
                rung.category.as_str().into(),
                i64::from(printed.qty).into(),
                printed.amount.get().into(),
            ]);
        }
    }
    Ok([record, sale_rows, rate, tender, line])
}
