//! The rows and changes a judged batch writes: the entries as kept, the sales' rows and the
//! per-day sums, and the changes to the store, all built before the write lock is taken.

use std::collections::BTreeMap;

use akinai_core::ledger::Postings;
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::shift::Shift;
use akinai_core::sync::{OutboxEntry, Record, Rejection};
use akinai_core::tax::Named;
use akinai_core::{TOKYO, Yen};
use chrono::{Timelike, Utc};
use sqlx::{Any, Transaction};
use uuid::Uuid;

use crate::db::columns::bucket_columns;
use crate::db::database::time_text;
use crate::db::rows::Rows;
use crate::db::store_data::{self, Removable};
use crate::error::{Error, Result};
use crate::http::auth::token_hash;

/// A change to the store that an accepted entry makes, applied in the batch's order.
#[derive(Debug)]
pub(super) enum Change {
    Shift(Box<Shift>, i64),
    Item(Box<akinai_core::catalog::Item>),
    ItemRemoved(Uuid),
    Staff(Box<akinai_core::staff::Staff>),
    StaffRemoved(Uuid),
    Shop(Box<akinai_core::shop::ShopSettings>),
}

/// The rows and changes of a batch's entries, written together once all are judged.
pub(super) struct Pending {
    pub(super) records: Rows,
    sales: Rows,
    rates: Rows,
    tenders: Rows,
    lines: Rows,
    /// The e-receipt links of sales that carry a token.
    receipts: Rows,
    /// 領収書 issued.
    formals: Rows,
    days: Days,
    /// The changes to the store, in the batch's order.
    pub(super) changes: Vec<Change>,
    /// Sales accepted so far, so a refund may follow its sale in the same batch.
    pub(super) sales_so_far: Vec<Sale>,
}

impl Pending {
    /// Nothing yet.
    pub(super) fn new() -> Pending {
        Pending {
            records: Rows::new(
                "INSERT INTO record (device_id, seq, id, store_id, kind, prev_hash, hash, body, \
                 rejection, received_at)",
                10,
            ),
            sales: Rows::new(
                "INSERT INTO sale (id, store_id, device_id, seq, receipt_no, kind, original_id, \
                 at, business_date, hour, staff, total, tax, discount, body)",
                15,
            ),
            rates: Rows::new(
                "INSERT INTO sale_rate (sale_id, store_id, business_date, rate, reduced, gross, \
                 net, tax)",
                8,
            ),
            tenders: Rows::new(
                "INSERT INTO sale_tender (sale_id, store_id, business_date, method, brand, amount)",
                6,
            ),
            lines: Rows::new(
                "INSERT INTO sale_line (sale_id, store_id, business_date, line_no, item_id, name, \
                 category, qty, amount)",
                9,
            ),
            receipts: Rows::new("INSERT INTO e_receipt (token_hash, store_id, sale_id)", 3),
            formals: Rows::new(
                "INSERT INTO formal_receipt (id, store_id, device_id, sale_id, copy, at, body)",
                7,
            ),
            days: Days::default(),
            changes: Vec::new(),
            sales_so_far: Vec::new(),
        }
    }

    /// Adds what an accepted entry changes: a sale's rows, or a change to the store. Nothing is
    /// added when it fails.
    pub(super) fn accept(&mut self, store_id: &str, entry: &OutboxEntry, seq: i64) -> Result<()> {
        let change = match &entry.record {
            Record::Sale(sale) => {
                store_sale(
                    store_id,
                    sale,
                    [&mut self.sales, &mut self.rates, &mut self.tenders, &mut self.lines],
                    &mut self.days,
                )?;
                // Only the token's hash: the table alone never gives a working link away.
                if let Some(token) = &sale.receipt_token {
                    let row = [token_hash(token), store_id.to_owned(), sale.id.to_string()];
                    self.receipts.push(row.map(Into::into));
                }
                self.sales_so_far.push(Sale::clone(sale));
                return Ok(());
            }
            // A 領収書 changes nothing in the store: it is kept as its record and its row.
            Record::FormalReceipt(formal) => {
                let body = serde_json::to_string(formal)?;
                self.formals.push([
                    formal.id.to_string().into(),
                    store_id.into(),
                    formal.device_id.to_string().into(),
                    formal.sale_id.to_string().into(),
                    i64::from(formal.copy).into(),
                    time_text(formal.at.with_timezone(&Utc)).into(),
                    body.into(),
                ]);
                return Ok(());
            }
            Record::Shift(shift) => Change::Shift(shift.clone(), seq),
            Record::Item(item) => Change::Item(item.clone()),
            Record::ItemRemoved(id) => Change::ItemRemoved(*id),
            Record::Staff(staff) => Change::Staff(staff.clone()),
            Record::StaffRemoved(id) => Change::StaffRemoved(*id),
            Record::Shop(shop) => Change::Shop(shop.clone()),
        };
        self.changes.push(change);
        Ok(())
    }

    /// Writes everything: the rows table by table, then the changes in the batch's order.
    pub(super) async fn write(
        self,
        tx: &mut Transaction<'_, Any>,
        store_id: &str,
        device_id: &str,
    ) -> Result<()> {
        let tables = [
            self.records,
            self.sales,
            self.rates,
            self.tenders,
            self.lines,
            self.receipts,
            self.formals,
        ];
        for rows in tables {
            rows.insert(tx).await?;
        }
        for rows in self.days.rows(store_id) {
            rows.insert(tx).await?;
        }
        // The payments the accepted sales' QR tenders name are theirs from now on.
        for sale in &self.sales_so_far {
            crate::payments::store::bind_sale(tx, store_id, sale).await?;
        }
        for change in self.changes {
            apply(tx, store_id, device_id, change).await?;
        }
        Ok(())
    }
}

/// Adds the entry's `record` row, its `body` the entry as serialized.
pub(super) fn store_entry(
    records: &mut Rows,
    [store_id, received_at]: [&str; 2],
    entry: &OutboxEntry,
    body: String,
    seq: i64,
    rejection: Option<&Rejection>,
) {
    // A rejection is plain data; should it not serialize, it is still kept as a refusal.
    let rejection = rejection
        .map(|r| serde_json::to_string(r).unwrap_or_else(|_| r#"{"reason":"invalid"}"#.to_owned()));
    records.push([
        entry.device_id.to_string().into(),
        seq.into(),
        entry.id.to_string().into(),
        store_id.into(),
        entry.record.kind().into(),
        entry.prev_hash.as_str().into(),
        entry.hash.as_str().into(),
        body.into(),
        rejection.into(),
        received_at.into(),
    ]);
}

/// Adds an accepted sale's rows from its postings in the ledger: the sale, its rates (the
/// non-taxable part as rate 0), what each tender (method and brand) kept (cash less change) and
/// its lines (quantities negative on refunds).
fn store_sale(
    store_id: &str,
    sale: &Sale,
    [sales, rates, tenders, lines]: [&mut Rows; 4],
    days: &mut Days,
) -> Result<()> {
    // Everything that can fail comes first, so a refused sale adds no row.
    let (seq, receipt_no) = (to_i64(sale.seq)?, to_i64(sale.receipt_no)?);
    let body = serde_json::to_string(sale)?;
    let id = sale.id.to_string();
    let date = sale.business_date.to_string();
    let (kind, original) = match &sale.kind {
        SaleKind::Sale => ("sale", None),
        SaleKind::Refund { original, .. } => ("refund", Some(original.to_string())),
    };
    let hour = i64::from(sale.at.with_timezone(&TOKYO).hour());
    let (total, refund) = (sale.receipt.total.get(), i64::from(sale.is_refund()));
    let sums = days.hours.entry((date.clone(), hour)).or_default();
    for (sum, value) in
        sums.iter_mut().zip([total, sale.receipt.tax.get(), 1 - refund, refund, refund * total])
    {
        *sum += value;
    }
    sales.push([
        id.as_str().into(),
        store_id.into(),
        sale.device_id.to_string().into(),
        seq.into(),
        receipt_no.into(),
        kind.into(),
        original.into(),
        time_text(sale.at.with_timezone(&Utc)).into(),
        date.as_str().into(),
        hour.into(),
        sale.staff.as_str().into(),
        sale.receipt.total.get().into(),
        sale.receipt.tax.get().into(),
        sale.receipt.discount.get().into(),
        body.into(),
    ]);
    let postings = Postings::of(sale);
    for (bucket, amounts) in &postings.taxes {
        let (rate, reduced) = bucket_columns(*bucket);
        rates.push([
            id.as_str().into(),
            store_id.into(),
            date.as_str().into(),
            rate.into(),
            reduced.into(),
            amounts.gross.get().into(),
            amounts.net.get().into(),
            amounts.tax.get().into(),
        ]);
        days.add_rate(&date, rate, reduced, [amounts.gross, amounts.net, amounts.tax]);
    }
    for (key, amount) in postings.methods.into_iter().filter(|(_, amount)| *amount != Yen::ZERO) {
        let method = key.method.word();
        *days.tenders.entry((date.clone(), method.to_owned(), key.brand.clone())).or_default() +=
            amount.get();
        tenders.push([
            id.as_str().into(),
            store_id.into(),
            date.as_str().into(),
            method.into(),
            key.brand.into(),
            amount.get().into(),
        ]);
    }
    for (n, item) in postings.items.iter().enumerate() {
        lines.push([
            id.as_str().into(),
            store_id.into(),
            date.as_str().into(),
            i64::try_from(n).unwrap_or(i64::MAX).into(),
            item.item_id.map(|i| i.to_string()).into(),
            item.name.into(),
            item.category.into(),
            item.qty.into(),
            item.amount.get().into(),
        ]);
        let sums = days.items.entry((date.clone(), item.name.to_owned())).or_default();
        sums[0] += item.qty;
        sums[1] += item.amount.get();
    }
    Ok(())
}

/// A batch's sales added up per business day, as the `day_*` tables keep them. A batch holds at
/// most `MAX_BATCH` sales of at most `MAX_AMOUNT` each, so its sums stay far inside `i64`; the
/// database refuses a day whose stored sum would leave it.
#[derive(Debug, Default)]
pub(super) struct Days {
    /// (date, hour) -> gross, tax, sales, refunds, refunds' total.
    hours: BTreeMap<(String, i64), [i64; 5]>,
    /// (date, rate, reduced) -> gross, net, tax.
    rates: BTreeMap<(String, i64, bool), [i64; 3]>,
    /// (date, method, brand) -> amount.
    tenders: BTreeMap<(String, String, String), i64>,
    /// (date, item name) -> quantity, amount.
    items: BTreeMap<(String, String), [i64; 2]>,
}

impl Days {
    fn add_rate(&mut self, date: &str, rate: i64, reduced: bool, amounts: [Yen; 3]) {
        let sums = self.rates.entry((date.to_owned(), rate, reduced)).or_default();
        for (sum, amount) in sums.iter_mut().zip(amounts) {
            *sum += amount.get();
        }
    }

    /// The rows that add this batch to the store's days.
    fn rows(self, store_id: &str) -> [Rows; 4] {
        let mut hours = Rows::adding(
            "INSERT INTO day_hour (store_id, business_date, hour, gross, tax, sales, refunds, \
             refund_total)",
            8,
            " ON CONFLICT (store_id, business_date, hour) DO UPDATE SET \
             gross = day_hour.gross + excluded.gross, tax = day_hour.tax + excluded.tax, \
             sales = day_hour.sales + excluded.sales, refunds = day_hour.refunds + excluded.refunds, \
             refund_total = day_hour.refund_total + excluded.refund_total",
        );
        for ((date, hour), [gross, tax, sales, refunds, refund_total]) in self.hours {
            hours.push([
                store_id.into(),
                date.into(),
                hour.into(),
                gross.into(),
                tax.into(),
                sales.into(),
                refunds.into(),
                refund_total.into(),
            ]);
        }
        let mut rates = Rows::adding(
            "INSERT INTO day_rate (store_id, business_date, rate, reduced, gross, net, tax)",
            7,
            " ON CONFLICT (store_id, business_date, rate, reduced) DO UPDATE SET \
             gross = day_rate.gross + excluded.gross, net = day_rate.net + excluded.net, \
             tax = day_rate.tax + excluded.tax",
        );
        for ((date, rate, reduced), [gross, net, tax]) in self.rates {
            rates.push([
                store_id.into(),
                date.into(),
                rate.into(),
                reduced.into(),
                gross.into(),
                net.into(),
                tax.into(),
            ]);
        }
        let mut tenders = Rows::adding(
            "INSERT INTO day_tender (store_id, business_date, method, brand, amount)",
            5,
            " ON CONFLICT (store_id, business_date, method, brand) DO UPDATE SET \
             amount = day_tender.amount + excluded.amount",
        );
        for ((date, method, brand), amount) in self.tenders {
            tenders.push([
                store_id.into(),
                date.into(),
                method.into(),
                brand.into(),
                amount.into(),
            ]);
        }
        let mut items = Rows::adding(
            "INSERT INTO day_item (store_id, business_date, name, qty, amount)",
            5,
            " ON CONFLICT (store_id, business_date, name) DO UPDATE SET \
             qty = day_item.qty + excluded.qty, amount = day_item.amount + excluded.amount",
        );
        for ((date, name), [qty, amount]) in self.items {
            items.push([store_id.into(), date.into(), name.into(), qty.into(), amount.into()]);
        }
        [hours, rates, tenders, items]
    }
}

fn to_i64(n: u64) -> Result<i64> {
    i64::try_from(n).map_err(|_| Error::Internal(format!("{n} is too large to store")))
}

/// Applies an accepted entry's change to the store; a shift replaces the stored version only
/// when newer (by seq) and from the same device.
async fn apply(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    device_id: &str,
    change: Change,
) -> Result<()> {
    match change {
        Change::Shift(shift, seq) => {
            sqlx::query(
                "INSERT INTO shift (id, store_id, device_id, seq, opened_at, closed_at, body)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (id) DO UPDATE SET seq = excluded.seq,
                     opened_at = excluded.opened_at, closed_at = excluded.closed_at,
                     body = excluded.body
                 WHERE shift.seq < excluded.seq AND shift.device_id = excluded.device_id",
            )
            .bind(shift.id.to_string())
            .bind(store_id)
            .bind(device_id)
            .bind(seq)
            .bind(time_text(shift.opened_at.with_timezone(&Utc)))
            .bind(shift.closing.as_ref().map(|c| time_text(c.at.with_timezone(&Utc))))
            .bind(serde_json::to_string(&shift)?)
            .execute(&mut **tx)
            .await?;
        }
        Change::Item(item) => store_data::put_item(tx, store_id, &item).await?,
        Change::ItemRemoved(id) => {
            store_data::remove(tx, store_id, Removable::Item, &id.to_string()).await?;
        }
        Change::Staff(staff) => store_data::put_staff(tx, store_id, &staff).await?,
        Change::StaffRemoved(id) => {
            store_data::remove(tx, store_id, Removable::Staff, &id.to_string()).await?;
        }
        Change::Shop(shop) => store_data::put_settings(tx, store_id, &shop).await?,
    }
    Ok(())
}
