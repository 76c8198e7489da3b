//! Devices' outbox entries arriving (`POST /api/v1/sync`).
//!
//! A batch is judged entry by entry in memory (hash, device, sequence number, the domain's
//! recomputation of each sale), then written in one transaction with a few multi-row inserts:
//! a register syncing thousands of sales after a day offline must not wait on one round trip
//! per row. A rejection is a verdict, not a failure, so it never stops the rest of the batch;
//! should the database itself refuse something in the batch, the entries are landed one by one
//! so that only the one it refuses is turned away.
//!
//! An entry is kept in `record` whenever it can sit in its device's chain: under the sending
//! device, at a sequence number nobody else took. Entries naming another device or a taken
//! sequence number are answered but not kept, since keeping them would squat a place in the
//! chain that belongs to another entry.

use std::collections::{BTreeMap, HashMap};

use akinai_core::ledger::Postings;
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::shift::Shift;
use akinai_core::staff::check_owner_stays;
use akinai_core::sync::{
    MAX_BATCH, OutboxEntry, Record, Rejected, Rejection, SyncBatch, SyncReply, check_sale,
};
use akinai_core::tax::Named;
use akinai_core::{TOKYO, Yen};
use axum::Json;
use axum::extract::State;
use chrono::{Timelike, Utc};
use sqlx::{Any, AssertSqlSafe, Transaction};
use uuid::Uuid;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::columns::bucket_columns;
use crate::db::database::{now_text, time_text};
use crate::db::rows::{Rows, push_placeholders};
use crate::db::store_data::{self, Removable};
use crate::error::{Error, Result};
use crate::http::auth::DeviceAuth;
use crate::http::input::Input;
use crate::reports::events::Event;
use crate::{AppState, Db};
use akinai_core::api::{ErrorBody, ErrorCode, EventKind};

/// `POST /api/v1/sync`: lands a device's batch and says, for each entry, acked or why not.
#[utoipa::path(post, path = "/api/v1/sync", operation_id = "sync", tag = "sync", security(("device" = [])),
    request_body = SyncBatch,
    responses((status = 200, body = SyncReply, description = "Each entry acked or rejected with its reason"),
        (status = 400, body = ErrorBody, description = "More than 200 entries (`code`: `bad_parameter`)")))]
pub async fn handle(
    State(state): State<AppState>,
    device: DeviceAuth,
    Input(batch): Input<SyncBatch>,
) -> Result<Json<SyncReply>> {
    if batch.entries.len() > MAX_BATCH {
        return Err(Error::BadRequest {
            field: "entries",
            message: format!("at most {MAX_BATCH} entries per batch"),
        });
    }
    let landed = match land(&state.db, &device, &batch.entries, batch.waiting).await {
        Err(Error::Database(err)) if refused_data(&err) => {
            tracing::warn!(error = %err, device = %device.device_id, "batch refused; landing one by one");
            land_one_by_one(&state.db, &device, &batch).await?
        }
        other => other?,
    };
    publish(&state, &device, &landed).await?;
    Ok(Json(landed.reply))
}

/// What a batch did.
#[derive(Debug, Default)]
struct Landed {
    /// The answer for the device.
    reply: SyncReply,
    /// Sales and refunds newly stored.
    sales: u64,
    /// Entries newly stored (accepted or rejected).
    stored: u64,
}

/// True when the database refused the data itself (a value it cannot store, a constraint),
/// as opposed to being unreachable or busy: only then is landing entries one by one useful.
fn refused_data(err: &sqlx::Error) -> bool {
    let sqlx::Error::Database(db) = err else { return false };
    let pg_data_or_constraint =
        db.code().is_some_and(|code| code.starts_with("22") || code.starts_with("23"));
    pg_data_or_constraint || !matches!(db.kind(), sqlx::error::ErrorKind::Other)
}

/// Lands each entry in its own transaction; one the database refuses is rejected as invalid.
async fn land_one_by_one(db: &Db, device: &DeviceAuth, batch: &SyncBatch) -> Result<Landed> {
    let mut all = Landed::default();
    let mut waiting = batch.waiting;
    for entry in &batch.entries {
        match land(db, device, std::slice::from_ref(entry), waiting).await {
            Ok(one) => {
                all.reply.acked.extend(one.reply.acked);
                all.reply.rejected.extend(one.reply.rejected);
                all.sales += one.sales;
                all.stored += one.stored;
            }
            Err(Error::Database(err)) if refused_data(&err) => {
                tracing::warn!(error = %err, entry = %entry.id, "entry refused by the database");
                all.reply.rejected.push(Rejected {
                    id: entry.id,
                    seq: entry.seq,
                    rejection: Rejection::Invalid {
                        code: ErrorCode::Invalid,
                        field: "record".to_owned(),
                    },
                });
            }
            Err(err) => return Err(err),
        }
        waiting = waiting.saturating_sub(1);
    }
    Ok(all)
}

/// Tells the owner's open views what landed.
async fn publish(state: &AppState, device: &DeviceAuth, landed: &Landed) -> Result<()> {
    let owner_id: String = sqlx::query_scalar("SELECT owner_id FROM store WHERE id = $1")
        .bind(&device.store_id)
        .fetch_one(&state.db.pool)
        .await?;
    let event = |kind, count| Event {
        owner_id: owner_id.clone(),
        store_id: device.store_id.clone(),
        device_id: device.device_id.clone(),
        kind,
        count,
    };
    // Sending fails only when nobody is watching, which is fine.
    if landed.sales > 0 {
        let _ = state.events.send(event(EventKind::Sale, landed.sales));
    }
    let _ = state.events.send(event(EventKind::Device, landed.stored));
    Ok(())
}

/// What the database already holds about a batch's ids and sequence numbers.
#[derive(Debug, Default)]
struct Known {
    /// Stored entries by id: their rejection, if any.
    by_id: HashMap<Uuid, Option<Rejection>>,
    /// The sending device's sequence numbers already taken, and by which id.
    seqs: HashMap<u64, Uuid>,
}

/// Looks up, in one query, every id of the batch and every sequence number it uses.
async fn known(
    tx: &mut Transaction<'_, Any>,
    device_id: &str,
    entries: &[OutboxEntry],
) -> Result<Known> {
    if entries.is_empty() {
        // `IN ()` is not SQL everywhere; an empty batch (a device saying it is there) knows nothing.
        return Ok(Known::default());
    }
    let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    let seqs: Vec<i64> = entries.iter().filter_map(|e| i64::try_from(e.seq).ok()).collect();
    let mut sql = String::from("SELECT id, device_id, seq, rejection FROM record WHERE id IN (");
    push_placeholders(&mut sql, 2, ids.len());
    sql.push(')');
    if !seqs.is_empty() {
        sql.push_str(" OR (device_id = $1 AND seq IN (");
        push_placeholders(&mut sql, 2 + ids.len(), seqs.len());
        sql.push_str("))");
    }
    // The statement is made of constants and placeholders only; every value is bound.
    let mut query = sqlx::query_as(AssertSqlSafe(sql)).bind(device_id);
    for id in ids {
        query = query.bind(id);
    }
    for seq in seqs {
        query = query.bind(seq);
    }
    let rows: Vec<(String, String, i64, Option<String>)> = query.fetch_all(&mut **tx).await?;
    let mut known = Known::default();
    for (id, owner_device, seq, rejection) in rows {
        let id = parse_uuid(&id)?;
        if owner_device == device_id {
            known.seqs.insert(u64::try_from(seq).unwrap_or_default(), id);
        }
        let rejection = rejection.as_deref().map(serde_json::from_str).transpose()?;
        known.by_id.insert(id, rejection);
    }
    Ok(known)
}

fn parse_uuid(text: &str) -> Result<Uuid> {
    text.parse().map_err(|_| Error::Internal(format!("stored id {text} is not a UUID")))
}

/// A change to the store that an accepted entry makes, applied in the batch's order.
#[derive(Debug)]
enum Change<'a> {
    Shift(&'a Shift, i64),
    Item(&'a akinai_core::catalog::Item),
    ItemRemoved(Uuid),
    Staff(&'a akinai_core::staff::Staff),
    StaffRemoved(Uuid),
    Shop(&'a akinai_core::shop::ShopSettings),
}

/// The rows and changes of a batch's entries, written together once all are judged.
struct Pending<'a> {
    records: Rows,
    sales: Rows,
    rates: Rows,
    tenders: Rows,
    lines: Rows,
    days: Days,
    changes: Vec<Change<'a>>,
    /// Sales accepted so far, so a refund may follow its sale in the same batch.
    sales_so_far: Vec<&'a Sale>,
}

impl<'a> Pending<'a> {
    fn new() -> Pending<'a> {
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
                "INSERT INTO sale_tender (sale_id, store_id, business_date, method, amount)",
                5,
            ),
            lines: Rows::new(
                "INSERT INTO sale_line (sale_id, store_id, business_date, line_no, item_id, name, \
                 category, qty, amount)",
                9,
            ),
            days: Days::default(),
            changes: Vec::new(),
            sales_so_far: Vec::new(),
        }
    }

    /// Adds what an accepted entry changes: a sale's rows, or a change to the store.
    fn accept(&mut self, store_id: &str, entry: &'a OutboxEntry, seq: i64) -> Result<()> {
        let change = match &entry.record {
            Record::Sale(sale) => {
                store_sale(
                    store_id,
                    sale,
                    [&mut self.sales, &mut self.rates, &mut self.tenders, &mut self.lines],
                    &mut self.days,
                )?;
                self.sales_so_far.push(sale);
                return Ok(());
            }
            Record::Shift(shift) => Change::Shift(shift, seq),
            Record::Item(item) => Change::Item(item),
            Record::ItemRemoved(id) => Change::ItemRemoved(*id),
            Record::Staff(staff) => Change::Staff(staff),
            Record::StaffRemoved(id) => Change::StaffRemoved(*id),
            Record::Shop(shop) => Change::Shop(shop),
        };
        self.changes.push(change);
        Ok(())
    }

    /// Writes everything: the rows table by table, then the changes in the batch's order.
    async fn write(
        self,
        tx: &mut Transaction<'_, Any>,
        store_id: &str,
        device_id: &str,
    ) -> Result<()> {
        for rows in [self.records, self.sales, self.rates, self.tenders, self.lines] {
            rows.insert(tx).await?;
        }
        for rows in self.days.rows(store_id) {
            rows.insert(tx).await?;
        }
        for change in self.changes {
            apply(tx, store_id, device_id, change).await?;
        }
        Ok(())
    }
}

/// Judges and writes `entries` in one transaction.
async fn land(
    db: &Db,
    device: &DeviceAuth,
    entries: &[OutboxEntry],
    waiting: u64,
) -> Result<Landed> {
    let caller = parse_uuid(&device.device_id)?;
    let store_id = device.store_id.as_str();
    let (_turn, mut tx) = db.begin_write().await?;
    // Written first: on PostgreSQL the row lock makes one device's concurrent batches take
    // turns, and SQLite takes its write lock at once instead of failing to upgrade later.
    let left = waiting.saturating_sub(u64::try_from(entries.len()).unwrap_or(u64::MAX));
    sqlx::query("UPDATE device SET last_sync_at = $1, waiting = $2 WHERE id = $3")
        .bind(now_text())
        .bind(i64::try_from(left).unwrap_or(i64::MAX))
        .bind(&device.device_id)
        .execute(&mut *tx)
        .await?;
    let Known { by_id, mut seqs } = known(&mut tx, &device.device_id, entries).await?;

    let received_at = now_text();
    let mut pending = Pending::new();
    // Verdicts so far, so an id sent twice in one batch gets the same answer twice.
    let mut decided: HashMap<Uuid, Option<Rejection>> = by_id;
    let mut landed = Landed::default();
    for entry in entries {
        let verdict = match decided.get(&entry.id) {
            Some(verdict) => verdict.clone(),
            None => {
                let seq = i64::try_from(entry.seq).ok().filter(|seq| *seq > 0);
                let seq_free = seqs.get(&entry.seq).is_none_or(|id| *id == entry.id);
                let verdict = if entry.compute_hash() != entry.hash {
                    Some(Rejection::HashMismatch)
                } else if entry.device_id != caller {
                    Some(Rejection::WrongDevice)
                } else if seq.is_none() {
                    Some(Rejection::Invalid { code: ErrorCode::Invalid, field: "seq".to_owned() })
                } else if !seq_free {
                    Some(Rejection::SeqTaken)
                } else {
                    judge_record(&mut tx, store_id, entry, &pending).await?
                };
                // Kept, accepted or not, whenever it can sit in the device's chain.
                if let (Some(seq), true, true) = (seq, entry.device_id == caller, seq_free) {
                    seqs.insert(entry.seq, entry.id);
                    let rejection = verdict.as_ref();
                    store_entry(
                        &mut pending.records,
                        store_id,
                        &received_at,
                        entry,
                        seq,
                        rejection,
                    )?;
                    landed.stored += 1;
                    if verdict.is_none() {
                        pending.accept(store_id, entry, seq)?;
                        landed.sales += u64::from(matches!(entry.record, Record::Sale(_)));
                    }
                }
                decided.insert(entry.id, verdict.clone());
                verdict
            }
        };
        match verdict {
            None => landed.reply.acked.push(entry.id),
            Some(rejection) => {
                landed.reply.rejected.push(Rejected { id: entry.id, seq: entry.seq, rejection })
            }
        }
    }
    pending.write(&mut tx, store_id, &device.device_id).await?;
    tx.commit().await?;
    Ok(landed)
}

/// Why an entry from the right device, hashed right, cannot be accepted, if it cannot: a sale
/// the domain computes differently, a shift of another device's drawer, or a staff change that
/// would leave the store without an owner.
async fn judge_record(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    entry: &OutboxEntry,
    pending: &Pending<'_>,
) -> Result<Option<Rejection>> {
    let staff_change = match &entry.record {
        Record::Sale(sale) => {
            return judge_sale(tx, store_id, entry, sale, &pending.sales_so_far).await;
        }
        Record::Shift(shift) if shift.device_id != entry.device_id => {
            return Ok(Some(Rejection::WrongDevice));
        }
        Record::Staff(staff) => (staff.id, Some(staff.role)),
        Record::StaffRemoved(id) => (*id, None),
        _ => return Ok(None),
    };
    // The store's staff as this batch leaves them so far. A PIN cannot be checked here: the
    // device sends it salted and hashed, so it checks PINs itself.
    let mut staff = crate::db::store_data::current_staff(tx, store_id).await?;
    for change in &pending.changes {
        match change {
            Change::Staff(member) => {
                staff.retain(|s| s.id != member.id);
                staff.push((*member).clone());
            }
            Change::StaffRemoved(id) => staff.retain(|s| s.id != *id),
            _ => {}
        }
    }
    let (id, becomes) = staff_change;
    Ok(check_owner_stays(&staff, id, becomes)
        .err()
        .map(|error| Rejection::Invalid { code: error.code(), field: error.field().to_string() }))
}

/// Why a sale entry cannot be accepted, if it cannot: the domain recomputes it (a refund from
/// its original and the refunds of it before, in this store only).
async fn judge_sale(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    entry: &OutboxEntry,
    sale: &Sale,
    batch_sales: &[&Sale],
) -> Result<Option<Rejection>> {
    if sale.id != entry.id {
        return Ok(Some(Rejection::Invalid { code: ErrorCode::Invalid, field: "id".to_owned() }));
    }
    if sale.device_id != entry.device_id {
        return Ok(Some(Rejection::WrongDevice));
    }
    let SaleKind::Refund { original: original_id, .. } = &sale.kind else {
        return Ok(check_sale(sale, None, &[]).err());
    };
    // The store is checked here rather than in SQL, so that the query is two index look-ups
    // (by id and by original) and never a walk over the store's sales.
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT store_id, body FROM sale WHERE id = $1 OR original_id = $1")
            .bind(original_id.to_string())
            .fetch_all(&mut **tx)
            .await?;
    let mut stored = rows
        .iter()
        .filter(|(store, _)| store == store_id)
        .map(|(_, body)| serde_json::from_str::<Sale>(body))
        .collect::<Result<Vec<_>, _>>()?;
    stored.extend(
        batch_sales
            .iter()
            .filter(|s| s.id == *original_id || s.is_refund_of(*original_id))
            .map(|s| (*s).clone()),
    );
    let original = stored.iter().find(|s| s.id == *original_id);
    let earlier: Vec<Sale> = stored.iter().filter(|s| s.id != *original_id).cloned().collect();
    Ok(check_sale(sale, original, &earlier).err())
}

/// Adds the entry's `record` row.
fn store_entry(
    records: &mut Rows,
    store_id: &str,
    received_at: &str,
    entry: &OutboxEntry,
    seq: i64,
    rejection: Option<&Rejection>,
) -> Result<()> {
    records.push([
        entry.device_id.to_string().into(),
        seq.into(),
        entry.id.to_string().into(),
        store_id.into(),
        entry.record.kind().into(),
        entry.prev_hash.as_str().into(),
        entry.hash.as_str().into(),
        serde_json::to_string(entry)?.into(),
        rejection.map(serde_json::to_string).transpose()?.into(),
        received_at.into(),
    ]);
    Ok(())
}

/// Adds an accepted sale's rows from its postings in the ledger: the sale, its rates (the
/// non-taxable part as rate 0), what each payment method kept (cash less change) and its lines
/// (quantities negative on refunds).
fn store_sale(
    store_id: &str,
    sale: &Sale,
    [sales, rates, tenders, lines]: [&mut Rows; 4],
    days: &mut Days,
) -> Result<()> {
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
        to_i64(sale.seq)?.into(),
        to_i64(sale.receipt_no)?.into(),
        kind.into(),
        original.into(),
        time_text(sale.at.with_timezone(&Utc)).into(),
        date.as_str().into(),
        hour.into(),
        sale.staff.as_str().into(),
        sale.receipt.total.get().into(),
        sale.receipt.tax.get().into(),
        sale.receipt.discount.get().into(),
        serde_json::to_string(sale)?.into(),
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
    for (method, amount) in postings.methods.into_iter().filter(|(_, amount)| *amount != Yen::ZERO)
    {
        *days.tenders.entry((date.clone(), method.word().to_owned())).or_default() += amount.get();
        tenders.push([
            id.as_str().into(),
            store_id.into(),
            date.as_str().into(),
            method.word().into(),
            amount.get().into(),
        ]);
    }
    for (n, item) in postings.items.iter().enumerate() {
        lines.push([
            id.as_str().into(),
            store_id.into(),
            date.as_str().into(),
            to_i64(n as u64)?.into(),
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

/// A batch's sales added up per business day, as the `day_*` tables keep them.
#[derive(Debug, Default)]
struct Days {
    /// (date, hour) -> gross, tax, sales, refunds, refunds' total.
    hours: BTreeMap<(String, i64), [i64; 5]>,
    /// (date, rate, reduced) -> gross, net, tax.
    rates: BTreeMap<(String, i64, bool), [i64; 3]>,
    /// (date, method) -> amount.
    tenders: BTreeMap<(String, String), i64>,
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
            "INSERT INTO day_tender (store_id, business_date, method, amount)",
            4,
            " ON CONFLICT (store_id, business_date, method) DO UPDATE SET \
             amount = day_tender.amount + excluded.amount",
        );
        for ((date, method), amount) in self.tenders {
            tenders.push([store_id.into(), date.into(), method.into(), amount.into()]);
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
    change: Change<'_>,
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
            .bind(serde_json::to_string(shift)?)
            .execute(&mut **tx)
            .await?;
        }
        Change::Item(item) => store_data::put_item(tx, store_id, item).await?,
        Change::ItemRemoved(id) => {
            store_data::remove(tx, store_id, Removable::Item, &id.to_string()).await?;
        }
        Change::Staff(staff) => store_data::put_staff(tx, store_id, staff).await?,
        Change::StaffRemoved(id) => {
            store_data::remove(tx, store_id, Removable::Staff, &id.to_string()).await?;
        }
        Change::Shop(shop) => store_data::put_settings(tx, store_id, shop).await?,
    }
    Ok(())
}

/// The largest sync request: a full batch of large sales, with room to spare.
const SYNC_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// A device's sync, with room for a full batch.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handle)).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT))
}
