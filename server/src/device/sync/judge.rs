//! Judging a batch: what the database holds that the verdicts depend on (read before the write
//! lock is taken, and checked again under it), and the verdicts themselves, worked out off the
//! async threads from that alone.

use std::collections::{HashMap, HashSet};

use akinai_core::api::ErrorCode;
use akinai_core::ereceipt::ReceiptToken;
use akinai_core::formal::FormalReceipt;
use akinai_core::sale::{Sale, SaleKind};
use akinai_core::shop::ShopSettings;
use akinai_core::staff::{Staff, check_owner_stays};
use akinai_core::sync::{OutboxEntry, Record, Rejected, Rejection, check_sale};
use akinai_core::{TOKYO, Yen};
use chrono::{DateTime, Days, Utc};
use sqlx::{Any, AssertSqlSafe, Transaction};
use uuid::Uuid;

use super::Landed;
use super::rows::{Change, Pending, store_entry};
use crate::db::database::{now_text, parse_time};
use crate::db::rows::push_placeholders;
use crate::db::store_data::current_staff;
use crate::error::{Error, Result};
use crate::http::auth::token_hash;
use crate::payments::store::{Known, check_tenders, known_for};

/// Who sends a batch, and the limits it is judged by.
#[derive(Clone, Debug)]
pub(super) struct Sender {
    /// The sending device.
    pub device_id: Uuid,
    /// Its store (from its token, never from the body).
    pub store_id: String,
    /// The largest total one sale may come to.
    pub max_sale: Yen,
}

/// What the verdicts on a batch depend on in the database; the same again under the write lock
/// means the verdicts still hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Basis {
    /// Stored records with the batch's ids or the sender's seqs: id, device, seq, rejection.
    records: Vec<(String, String, i64, Option<String>)>,
    /// Stored sales that are, or refund, an original a refund of the batch names.
    related: Vec<String>,
    /// The store's version (staff and settings change it).
    store_version: i64,
    /// The provider payments and refunds the batch's QR tenders name.
    payments: Vec<Known>,
    /// Stored e-receipt links with the batch's sales' tokens: token hash, sale.
    receipts: Vec<(String, String)>,
}

/// The database as a batch's verdicts see it.
#[derive(Debug)]
pub(super) struct Snapshot {
    /// What to check again under the write lock.
    pub basis: Basis,
    /// Stored sales by id, as refunds' originals and their earlier refunds.
    sales: Vec<Sale>,
    /// The store's staff now.
    staff: Vec<Staff>,
    /// The store's settings now.
    settings: ShopSettings,
    /// When the settings were last set.
    settings_since: DateTime<Utc>,
    /// The key the sender signs its e-receipt tokens with (read when the batch has a token).
    receipt_key: Option<[u8; 32]>,
}

impl Snapshot {
    /// Reads what `entries` need to be judged.
    pub async fn read(
        tx: &mut Transaction<'_, Any>,
        sender: &Sender,
        entries: &[OutboxEntry],
    ) -> Result<Snapshot> {
        let (basis, bodies) = basis(tx, sender, entries, true).await?;
        let sales =
            bodies.iter().map(|body| serde_json::from_str(body)).collect::<Result<_, _>>()?;
        let (settings, since): (String, String) = sqlx::query_as(
            "SELECT settings, COALESCE(settings_changed_at, created_at) FROM store WHERE id = $1",
        )
        .bind(&sender.store_id)
        .fetch_one(&mut **tx)
        .await?;
        let tokens = entries.iter().any(|e| match &e.record {
            Record::Sale(sale) => sale.receipt_token.is_some(),
            _ => false,
        });
        let receipt_key = if tokens { receipt_key(tx, sender).await? } else { None };
        Ok(Snapshot {
            basis,
            sales,
            staff: current_staff(tx, &sender.store_id).await?,
            settings: serde_json::from_str(&settings)?,
            settings_since: parse_time(&since)?,
            receipt_key,
        })
    }
}

/// Reads the basis of judging `entries` (and, when `bodies`, the related sales' bodies).
pub(super) async fn basis(
    tx: &mut Transaction<'_, Any>,
    sender: &Sender,
    entries: &[OutboxEntry],
    bodies: bool,
) -> Result<(Basis, Vec<String>)> {
    let store_version = sqlx::query_scalar("SELECT version FROM store WHERE id = $1")
        .bind(&sender.store_id)
        .fetch_one(&mut **tx)
        .await?;
    let mut basis = Basis { store_version, ..Basis::default() };
    if entries.is_empty() {
        // `IN ()` is not SQL everywhere; an empty batch (a device saying it is there) knows nothing.
        return Ok((basis, Vec::new()));
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
    sql.push_str(" ORDER BY device_id, seq");
    // The statement is made of constants and placeholders only; every value is bound.
    let mut query = sqlx::query_as(AssertSqlSafe(sql)).bind(sender.device_id.to_string());
    for id in ids {
        query = query.bind(id);
    }
    for seq in seqs {
        query = query.bind(seq);
    }
    basis.records = query.fetch_all(&mut **tx).await?;
    let sales = entries.iter().filter_map(|e| match &e.record {
        Record::Sale(sale) => Some(sale.as_ref()),
        _ => None,
    });
    basis.payments = known_for(tx, &sender.store_id, sales).await?;

    basis.receipts = receipts_for(tx, entries).await?;
    // Sales the batch's entries are about: refunds' originals, and those a 領収書 is issued for.
    let originals: Vec<String> = entries
        .iter()
        .filter_map(|e| match &e.record {
            Record::Sale(sale) => match &sale.kind {
                SaleKind::Refund { original, .. } => Some(original.to_string()),
                SaleKind::Sale => None,
            },
            Record::FormalReceipt(formal) => Some(formal.sale_id.to_string()),
            _ => None,
        })
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut body_list = Vec::new();
    if !originals.is_empty() {
        // Two index look-ups per original (by id and by original); the store is checked here
        // rather than in SQL so that it never becomes a walk over the store's sales.
        // Under the write lock only the ids are compared: the bodies are not read again.
        let column = if bodies { "body" } else { "''" };
        let mut sql = format!("SELECT id, store_id, {column} FROM sale WHERE id IN (");
        push_placeholders(&mut sql, 1, originals.len());
        sql.push_str(") OR original_id IN (");
        push_placeholders(&mut sql, 1 + originals.len(), originals.len());
        sql.push_str(") ORDER BY id");
        let mut query = sqlx::query_as(AssertSqlSafe(sql));
        for _ in 0..2 {
            for original in &originals {
                query = query.bind(original.clone());
            }
        }
        let rows: Vec<(String, String, String)> = query.fetch_all(&mut **tx).await?;
        for (id, _, body) in rows.into_iter().filter(|(_, s, _)| *s == sender.store_id) {
            basis.related.push(id);
            body_list.push(body);
        }
    }
    Ok((basis, body_list))
}

/// The stored e-receipt links that the batch's sales' tokens would take: token hash, sale.
async fn receipts_for(
    tx: &mut Transaction<'_, Any>,
    entries: &[OutboxEntry],
) -> Result<Vec<(String, String)>> {
    let hashes: Vec<String> = entries
        .iter()
        .filter_map(|e| match &e.record {
            Record::Sale(sale) => sale.receipt_token.as_deref().map(token_hash),
            _ => None,
        })
        .collect();
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = String::from("SELECT token_hash, sale_id FROM e_receipt WHERE token_hash IN (");
    push_placeholders(&mut sql, 1, hashes.len());
    sql.push_str(") ORDER BY token_hash");
    // The statement is made of constants and placeholders only; every value is bound.
    let mut query = sqlx::query_as(AssertSqlSafe(sql));
    for hash in hashes {
        query = query.bind(hash);
    }
    Ok(query.fetch_all(&mut **tx).await?)
}

/// The key the sender signs e-receipt tokens with: the raw SHA-256 of its bearer token, which
/// the server keeps as hex.
async fn receipt_key(tx: &mut Transaction<'_, Any>, sender: &Sender) -> Result<Option<[u8; 32]>> {
    let hash: Option<String> = sqlx::query_scalar("SELECT token_hash FROM device WHERE id = $1")
        .bind(sender.device_id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(hash.and_then(|hash| hex::decode(hash).ok()).and_then(|key| key.try_into().ok()))
}

/// A refusal with an error code and the field it is about.
fn refuse(code: ErrorCode, field: &str) -> Option<Rejection> {
    Some(Rejection::Invalid { code, field: field.to_owned() })
}

/// The verdict on each entry of a batch and what the accepted ones write. Pure: everything it
/// needs is in `snapshot`, so it runs off the async threads and outside the write lock.
pub(super) fn judge(
    sender: &Sender,
    snapshot: &Snapshot,
    entries: &[OutboxEntry],
    now: DateTime<Utc>,
) -> (Landed, Pending) {
    let caller = sender.device_id.to_string();
    // What the sender itself stored: its verdicts by id, and its taken seqs. An id another device
    // stored is not the sender's to know about: it is refused, and never acked unstored.
    let mut decided: HashMap<Uuid, Option<Rejection>> = HashMap::new();
    let mut seqs: HashMap<u64, Uuid> = HashMap::new();
    let mut elsewhere: HashSet<Uuid> = HashSet::new();
    for (id, device, seq, rejection) in &snapshot.basis.records {
        let Ok(id) = id.parse::<Uuid>() else { continue };
        if *device == caller {
            seqs.insert(u64::try_from(*seq).unwrap_or_default(), id);
            // A stored refusal that no longer reads stays a refusal.
            let rejection = rejection.as_deref().map(|r| {
                serde_json::from_str(r).unwrap_or_else(|_| Rejection::Invalid {
                    code: ErrorCode::Invalid,
                    field: "record".to_owned(),
                })
            });
            decided.insert(id, rejection);
        } else if entries.iter().any(|e| e.id == id) {
            elsewhere.insert(id);
        }
    }
    let received_at = now_text();
    let mut pending = Pending::new();
    let mut landed = Landed::default();
    for entry in entries {
        let verdict = match decided.get(&entry.id) {
            Some(verdict) => verdict.clone(),
            None => {
                let seq = i64::try_from(entry.seq).ok().filter(|seq| *seq > 0);
                let seq_free = seqs.get(&entry.seq).is_none_or(|id| *id == entry.id);
                let ours = entry.device_id == sender.device_id;
                let mut verdict = if entry.compute_hash() != entry.hash {
                    Some(Rejection::HashMismatch)
                } else if !ours {
                    Some(Rejection::WrongDevice)
                } else if elsewhere.contains(&entry.id) {
                    refuse(ErrorCode::IdTaken, "id")
                } else if seq.is_none() {
                    refuse(ErrorCode::Invalid, "seq")
                } else if !seq_free {
                    Some(Rejection::SeqTaken)
                } else {
                    judge_record(sender, snapshot, entry, &pending, now)
                };
                // Kept, accepted or not, whenever it can sit in the device's chain.
                let keep = seq.filter(|_| ours && seq_free && !elsewhere.contains(&entry.id));
                if let Some(seq) = keep {
                    match serde_json::to_string(entry) {
                        Ok(body) => {
                            if verdict.is_none()
                                && let Err(err) = pending.accept(&sender.store_id, entry, seq)
                            {
                                // What cannot be made into rows refuses this entry, not the batch.
                                tracing::warn!(error = %err, entry = %entry.id, "entry not stored");
                                verdict = refuse(ErrorCode::Invalid, "record");
                            }
                            let place = [sender.store_id.as_str(), received_at.as_str()];
                            store_entry(
                                &mut pending.records,
                                place,
                                entry,
                                body,
                                seq,
                                verdict.as_ref(),
                            );
                            seqs.insert(entry.seq, entry.id);
                            landed.stored += 1;
                            if verdict.is_none() {
                                landed.sales += u64::from(matches!(entry.record, Record::Sale(_)));
                            }
                        }
                        Err(err) => {
                            tracing::warn!(error = %err, entry = %entry.id, "entry cannot be kept");
                            verdict = refuse(ErrorCode::Invalid, "record");
                        }
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
    (landed, pending)
}

/// Why an entry from the right device, hashed right, cannot be accepted, if it cannot.
fn judge_record(
    sender: &Sender,
    snapshot: &Snapshot,
    entry: &OutboxEntry,
    pending: &Pending,
    now: DateTime<Utc>,
) -> Option<Rejection> {
    let staff_change = match &entry.record {
        Record::Sale(sale) => return judge_sale(sender, snapshot, entry, sale, pending, now),
        Record::Shift(shift) if shift.device_id != entry.device_id => {
            return Some(Rejection::WrongDevice);
        }
        Record::Shop(shop) => return judge_settings(&snapshot.settings, shop),
        Record::FormalReceipt(formal) => return judge_formal(snapshot, entry, formal, pending),
        Record::Staff(staff) => {
            // The rules the owner API keeps too: a name, and a PIN hash in today's format.
            if let Err(error) = staff.check() {
                return refuse(error.code(), error.field().as_str());
            }
            (staff.id, Some(staff.role))
        }
        Record::StaffRemoved(id) => (*id, None),
        Record::Item(item) => {
            return item
                .check()
                .err()
                .and_then(|error| refuse(error.code(), error.field().as_str()));
        }
        _ => return None,
    };
    // The store's staff as this batch leaves them so far. A PIN cannot be checked here: the
    // device sends it salted and hashed, so it checks PINs itself.
    let mut staff = snapshot.staff.clone();
    for change in &pending.changes {
        match change {
            Change::Staff(member) => {
                staff.retain(|s| s.id != member.id);
                staff.push(Staff::clone(member));
            }
            Change::StaffRemoved(id) => staff.retain(|s| s.id != *id),
            _ => {}
        }
    }
    let (id, becomes) = staff_change;
    check_owner_stays(&staff, id, becomes)
        .err()
        .and_then(|error| refuse(error.code(), error.field().as_str()))
}

/// A tablet may change how its shop prices, rounds and prints, but not who issues the invoices:
/// the name, registration number and address change only through the owner's API.
fn judge_settings(now: &ShopSettings, sent: &ShopSettings) -> Option<Rejection> {
    let identity = [
        ("registration_number", sent.registration_number == now.registration_number),
        ("name", sent.name == now.name),
        ("address", sent.address == now.address),
    ];
    let (field, _) = identity.into_iter().find(|(_, same)| !same)?;
    refuse(ErrorCode::IssuerOwnerOnly, field)
}

/// Why a sale entry cannot be accepted, if it cannot: numbers the server cannot keep, a date
/// after tomorrow, another issuer, more than the ceiling, or what the domain computes otherwise
/// (a refund from its original and the refunds of it before, in this store only).
fn judge_sale(
    sender: &Sender,
    snapshot: &Snapshot,
    entry: &OutboxEntry,
    sale: &Sale,
    pending: &Pending,
    now: DateTime<Utc>,
) -> Option<Rejection> {
    if sale.id != entry.id {
        return refuse(ErrorCode::Invalid, "id");
    }
    if sale.device_id != entry.device_id {
        return Some(Rejection::WrongDevice);
    }
    if sale.seq != entry.seq {
        return refuse(ErrorCode::Invalid, "seq");
    }
    if i64::try_from(sale.receipt_no).is_err() {
        return refuse(ErrorCode::Invalid, "receipt_no");
    }
    let tomorrow = now.with_timezone(&TOKYO).date_naive().checked_add_days(Days::new(1));
    if tomorrow.is_some_and(|tomorrow| sale.at.date_naive() > tomorrow) {
        return refuse(ErrorCode::SaleInFuture, "at");
    }
    // A sale rung up before the owner last set the settings may carry the number as it was.
    if sale.shop.registration_number != snapshot.settings.registration_number
        && sale.at > snapshot.settings_since
    {
        return refuse(ErrorCode::IssuerMismatch, "shop.registration_number");
    }
    if sale.receipt.total.get().unsigned_abs() > sender.max_sale.get().unsigned_abs() {
        return refuse(ErrorCode::TooLarge, "total");
    }
    let verdict = match &sale.kind {
        SaleKind::Sale => check_sale(sale, None, &[]).err(),
        SaleKind::Refund { original, .. } => judge_refund(snapshot, sale, *original, pending),
    };
    // A QR tender counts only once its provider's payment (or refund) is confirmed.
    verdict
        .or_else(|| check_tenders(&snapshot.basis.payments, sale, &pending.sales_so_far))
        .or_else(|| judge_receipt_token(snapshot, sale, pending))
}

/// Why a sale's e-receipt token cannot be taken, if it cannot: the sale's register did not sign
/// it (the domain checked its shape and device), or another sale (stored, or earlier in the
/// batch) already has it: one link shows one receipt.
fn judge_receipt_token(snapshot: &Snapshot, sale: &Sale, pending: &Pending) -> Option<Rejection> {
    let text = sale.receipt_token.as_deref()?;
    let minted_here =
        snapshot.receipt_key.is_some_and(|key| ReceiptToken::verify(text, &key).is_some());
    let hash = token_hash(text);
    let taken = snapshot
        .basis
        .receipts
        .iter()
        .any(|(stored, id)| *stored == hash && *id != sale.id.to_string())
        || pending
            .sales_so_far
            .iter()
            .any(|s| s.id != sale.id && s.receipt_token.as_deref() == Some(text));
    (!minted_here || taken)
        .then(|| Rejection::Invalid { code: ErrorCode::Invalid, field: "receipt_token".to_owned() })
}

/// Why a 領収書 cannot be accepted, if it cannot: another register's, for a sale the server
/// does not have (in this store, stored or earlier in the batch), or what the domain says of
/// it against its sale (a refund's, another register's sale, lengths, the stamp duty).
fn judge_formal(
    snapshot: &Snapshot,
    entry: &OutboxEntry,
    formal: &FormalReceipt,
    pending: &Pending,
) -> Option<Rejection> {
    if formal.device_id != entry.device_id {
        return Some(Rejection::WrongDevice);
    }
    let sale =
        snapshot.sales.iter().chain(&pending.sales_so_far).find(|sale| sale.id == formal.sale_id);
    let Some(sale) = sale else { return Some(Rejection::UnknownOriginal) };
    formal.check(sale).err().and_then(|error| refuse(error.code(), error.field().as_str()))
}

/// Why a refund cannot be accepted, if it cannot: what the domain computes from its original
/// and the refunds of it before, in this store only.
fn judge_refund(
    snapshot: &Snapshot,
    sale: &Sale,
    original_id: Uuid,
    pending: &Pending,
) -> Option<Rejection> {
    let mut batch = pending.sales_so_far.iter().filter(|s| s.id == original_id);
    let original = snapshot.sales.iter().find(|s| s.id == original_id).or(batch.next_back());
    let earlier: Vec<Sale> = snapshot
        .sales
        .iter()
        .chain(&pending.sales_so_far)
        .filter(|s| s.is_refund_of(original_id))
        .cloned()
        .collect();
    check_sale(sale, original, &earlier).err()
}

/// The error for a judging task that did not finish.
pub(super) fn lost(err: tokio::task::JoinError) -> Error {
    Error::Internal(format!("judging a batch failed: {err}"))
}
