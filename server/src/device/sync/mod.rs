//! Devices' outbox entries arriving (`POST /api/v1/sync`).
//!
//! A batch is judged entry by entry in memory (hash, device, sequence number, the domain's
//! recomputation of each sale), then written in one transaction with a few multi-row inserts:
//! a register syncing thousands of sales after a day offline must not wait on one round trip
//! per row. A rejection is a verdict, not a failure, so it never stops the rest of the batch;
//! should the database itself refuse something in the batch, the entries are landed one by one
//! so that only the one it refuses is turned away.
//!
//! Judging happens before the write lock is taken (which on SQLite is the whole database's):
//! what the verdicts depend on is read first ([`judge::Snapshot`]), the verdicts are worked out
//! on a blocking thread, and only then is the transaction opened, the same things read again
//! and, if they still hold, the rows written. If another writer changed them meanwhile (the same
//! device's other batch, the owner editing staff), the batch is judged again; the last try
//! judges under the lock.
//!
//! An entry is kept in `record` whenever it can sit in its device's chain: under the sending
//! device, at a sequence number nobody else took, with an id no other device sent. Entries naming
//! another device, a taken sequence number or another device's id are answered but not kept,
//! since keeping them would squat a place that belongs to another entry.

mod judge;
mod rows;

use std::fmt;
use std::sync::Arc;

use akinai_core::api::{ErrorBody, ErrorCode, EventKind};
use akinai_core::sync::{MAX_BATCH, OutboxEntry, Rejected, Rejection, SyncBatch, SyncReply};
use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::judge::{Sender, Snapshot, basis, judge, lost};
use crate::db::database::now_text;
use crate::error::{Error, Result};
use crate::http::auth::DeviceAuth;
use crate::http::input::Input;
use crate::reports::events::Event;
use crate::{AppState, Db};

/// How often a batch is judged outside the lock before it is judged under it.
const TRIES: usize = 3;

/// `POST /api/v1/sync`: lands a device's batch and says, for each entry, acked or why not.
#[utoipa::path(post, path = "/api/v1/sync", operation_id = "sync", tag = "sync", security(("device" = [])),
    request_body = SyncBatch,
    responses((status = 200, body = SyncReply, description = "Each entry acked or rejected with its reason"),
        (status = 400, body = ErrorBody, description = "More than 200 entries (`code`: `bad_parameter`)")))]
pub async fn handle(
    State(state): State<AppState>,
    device: DeviceAuth,
    Input(Counted { batch, over }): Input<Counted>,
) -> Result<Json<SyncReply>> {
    if over {
        return Err(Error::BadRequest {
            field: "entries",
            message: format!("at most {MAX_BATCH} entries per batch"),
        });
    }
    let sender = Sender {
        device_id: device.device_id.parse().map_err(|_| Error::Unauthorized)?,
        store_id: device.store_id.clone(),
        max_sale: state.max_sale,
    };
    let entries: Arc<[OutboxEntry]> = batch.entries.into();
    let landed = match land(&state.db, &sender, &entries, batch.waiting).await {
        Err(Error::Database(err)) if refused_data(&err) => {
            tracing::warn!(error = %err, device = %device.device_id, "batch refused; landing one by one");
            land_one_by_one(&state.db, &sender, &entries, batch.waiting).await?
        }
        other => other?,
    };
    publish(&state, &device, &landed).await?;
    Ok(Json(landed.reply))
}

/// A batch as read from the body: its entries are counted as they are read, and past
/// [`MAX_BATCH`] the rest are skipped unparsed, so an oversized batch is refused cheaply.
#[derive(Debug)]
pub struct Counted {
    /// The batch (its first [`MAX_BATCH`] entries when over).
    batch: SyncBatch,
    /// True when the body held more than [`MAX_BATCH`] entries.
    over: bool,
}

impl From<SyncBatch> for Counted {
    /// A batch made in the process (the demo's sample sales), counted as one read would be.
    fn from(batch: SyncBatch) -> Counted {
        let over = batch.entries.len() > MAX_BATCH;
        Counted { batch, over }
    }
}

impl<'de> serde::Deserialize<'de> for Counted {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Counted, D::Error> {
        deserializer.deserialize_map(BatchVisitor)
    }
}

/// Reads a [`SyncBatch`] object, counting its entries.
struct BatchVisitor;

impl<'de> Visitor<'de> for BatchVisitor {
    type Value = Counted;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sync batch")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Counted, A::Error> {
        let (mut entries, mut waiting) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "entries" => entries = Some(map.next_value::<Entries>()?),
                "waiting" => waiting = Some(map.next_value::<u64>()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Entries(entries, over) = entries.ok_or_else(|| de::Error::missing_field("entries"))?;
        let waiting = waiting.ok_or_else(|| de::Error::missing_field("waiting"))?;
        Ok(Counted { batch: SyncBatch { entries, waiting }, over })
    }
}

/// A batch's entries, the first [`MAX_BATCH`] of them, and whether there were more.
struct Entries(Vec<OutboxEntry>, bool);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Entries, D::Error> {
        deserializer.deserialize_seq(EntriesVisitor)
    }
}

/// Reads entries up to the cap, then only skips.
struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of outbox entries")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entries, A::Error> {
        let mut entries = Vec::new();
        while entries.len() < MAX_BATCH {
            match seq.next_element()? {
                Some(entry) => entries.push(entry),
                None => return Ok(Entries(entries, false)),
            }
        }
        let mut over = false;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            over = true;
        }
        Ok(Entries(entries, over))
    }
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
async fn land_one_by_one(
    db: &Db,
    sender: &Sender,
    entries: &[OutboxEntry],
    mut waiting: u64,
) -> Result<Landed> {
    let mut all = Landed::default();
    for entry in entries {
        match land(db, sender, &Arc::from([entry.clone()]), waiting).await {
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

/// Judges `entries` and writes them in one transaction: judged outside the lock while what
/// the verdicts rest on stays the same, under it on the last try.
async fn land(
    db: &Db,
    sender: &Sender,
    entries: &Arc<[OutboxEntry]>,
    waiting: u64,
) -> Result<Landed> {
    for attempt in 1..=TRIES {
        let last = attempt == TRIES;
        // The last try judges under the write lock; the others only read in this one.
        let (mut _turn, mut tx) =
            if last { db.begin_write().await? } else { (None, db.pool.begin().await?) };
        let outside = if last {
            None
        } else {
            let snapshot = Snapshot::read(&mut tx, sender, entries).await?;
            // Only read so far: ending it here leaves the database to other writers meanwhile.
            tx.rollback().await?;
            // Shared with the blocking thread, not copied: a batch may be tens of megabytes.
            let (who, owned) = (sender.clone(), Arc::clone(entries));
            let judged = tokio::task::spawn_blocking(move || {
                let judged = judge(&who, &snapshot, &owned, chrono::Utc::now());
                (snapshot.basis, judged)
            })
            .await
            .map_err(lost)?;
            (_turn, tx) = db.begin_write().await?;
            Some(judged)
        };
        // Written first: on PostgreSQL the row lock makes one device's concurrent batches take
        // turns, and SQLite takes its write lock at once instead of failing to upgrade later.
        let left = waiting.saturating_sub(u64::try_from(entries.len()).unwrap_or(u64::MAX));
        sqlx::query("UPDATE device SET last_sync_at = $1, waiting = $2 WHERE id = $3")
            .bind(now_text())
            .bind(i64::try_from(left).unwrap_or(i64::MAX))
            .bind(sender.device_id.to_string())
            .execute(&mut *tx)
            .await?;
        let (landed, pending) = match outside {
            Some((read, judged)) => {
                let (now, _) = basis(&mut tx, sender, entries, false).await?;
                if now != read {
                    tracing::info!(attempt, "batch judged on changed data; judging again");
                    continue;
                }
                judged
            }
            None => {
                let snapshot = Snapshot::read(&mut tx, sender, entries).await?;
                judge(sender, &snapshot, entries, chrono::Utc::now())
            }
        };
        pending.write(&mut tx, &sender.store_id, &sender.device_id.to_string()).await?;
        tx.commit().await?;
        return Ok(landed);
    }
    Err(Error::Internal("a batch was never judged".to_owned()))
}

/// The largest sync request: a full batch of large sales, with room to spare.
const SYNC_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// A device's sync, with room for a full batch.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(handle)).layer(DefaultBodyLimit::max(SYNC_BODY_LIMIT))
}
