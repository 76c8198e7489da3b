//! The sync protocol between a register and the server, as plain data and pure rules:
//!
//! - Device -> server: every record a device makes is an [`OutboxEntry`] with a device-made id,
//!   the device's sequence number (1, 2, 3 ... with no gaps) and the hash of the device's
//!   previous entry, so the entries of one device form a chain in which any edited, removed or
//!   reordered record shows ([`verify_chain`]). The server stores each id at most once and
//!   answers with a [`SyncReply`]; re-sending is always safe.
//! - Server -> device: catalog, staff and shop settings as [`Changes`] since a version.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::api::ErrorCode;
use crate::catalog::Item;
use crate::formal::FormalReceipt;
use crate::payment::PaymentSettings;
use crate::sale::{ReceiptChoice, Sale, SaleContext, SaleKind};
use crate::shift::Shift;
use crate::shop::ShopSettings;
use crate::staff::Staff;

/// The `prev_hash` of a device's first entry: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The most entries a device sends in one request (and the server accepts).
pub const MAX_BATCH: usize = 200;

/// A record made on a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Record {
    /// A sale or a refund.
    Sale(Box<Sale>),
    /// A shift as it stood when saved (opened, cash moved, closed): later entries with the
    /// same shift id are newer versions of it.
    Shift(Box<Shift>),
    /// A catalog item added or edited on the tablet.
    Item(Box<Item>),
    /// A catalog item removed on the tablet.
    ItemRemoved(Uuid),
    /// A staff member added or edited on the tablet.
    Staff(Box<Staff>),
    /// A staff member removed on the tablet.
    StaffRemoved(Uuid),
    /// The shop's settings as edited on the tablet.
    Shop(Box<ShopSettings>),
    /// A formal 領収書 issued (or reissued) for a sale.
    FormalReceipt(Box<FormalReceipt>),
}

impl Record {
    /// A short name of the record's kind, as stored by the server.
    pub fn kind(&self) -> &'static str {
        match self {
            Record::Sale(sale) if matches!(sale.kind, SaleKind::Sale) => "sale",
            Record::Sale(_) => "refund",
            Record::Shift(_) => "shift",
            Record::Item(_) => "item",
            Record::ItemRemoved(_) => "item_removed",
            Record::Staff(_) => "staff",
            Record::StaffRemoved(_) => "staff_removed",
            Record::Shop(_) => "shop",
            Record::FormalReceipt(_) => "formal_receipt",
        }
    }
}

/// A record waiting on the device until the server acknowledges it, linked to the device's
/// previous entry by hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutboxEntry {
    /// The entry's id, made on the device (a sale's entry has the sale's id).
    pub id: Uuid,
    /// The device that made it.
    pub device_id: Uuid,
    /// The device's sequence number: 1, 2, 3 ... with no gaps.
    pub seq: u64,
    /// The hash of the device's previous entry ([`GENESIS`] for the first).
    pub prev_hash: String,
    /// SHA-256 of this entry's canonical encoding ([`OutboxEntry::compute_hash`]), hex.
    pub hash: String,
    /// The record.
    pub record: Record,
}

/// The fields a hash covers, in a fixed order: everything but the hash itself.
#[derive(Serialize)]
struct Canonical<'a> {
    id: &'a Uuid,
    device_id: &'a Uuid,
    seq: u64,
    prev_hash: &'a str,
    record: &'a Record,
}

impl OutboxEntry {
    /// Makes the entry that follows `prev_hash` in a device's chain, with its hash.
    pub fn new(id: Uuid, device_id: Uuid, seq: u64, prev_hash: &str, record: Record) -> Self {
        let mut entry = OutboxEntry {
            id,
            device_id,
            seq,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
            record,
        };
        entry.hash = entry.compute_hash();
        entry
    }

    /// SHA-256 over the canonical encoding: compact JSON of id, device, seq, previous hash and
    /// record, fields in declaration order. Every type in a record serializes deterministically
    /// (no maps with unordered keys, no floats), so re-encoding a parsed entry gives the same bytes.
    pub fn compute_hash(&self) -> String {
        let canonical = Canonical {
            id: &self.id,
            device_id: &self.device_id,
            seq: self.seq,
            prev_hash: &self.prev_hash,
            record: &self.record,
        };
        // Serializing plain data to a Vec cannot fail; an empty encoding would simply not match.
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// Why the server refused a record. The device shows it; re-sending will not change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Rejection {
    /// The entry's hash does not match its content: it was changed after it was made.
    HashMismatch,
    /// The entry names another device than the one sending it.
    WrongDevice,
    /// A sale's receipt, change or tenders differ from what the domain computes for its lines.
    TotalsMismatch,
    /// The record cannot be taken at all: the domain's error, by code and field.
    Invalid {
        /// What is wrong (`invalid` for refusals kept from before codes were sent).
        #[serde(default = "ErrorCode::invalid")]
        code: ErrorCode,
        /// Where (empty for refusals kept from before fields were sent).
        #[serde(default)]
        field: String,
    },
    /// A refund names a sale the server does not have.
    UnknownOriginal,
    /// The same sequence number already came with a different record.
    SeqTaken,
}

/// A device's request: some of its waiting entries, oldest first, and how many wait in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncBatch {
    /// Entries, at most [`MAX_BATCH`].
    pub entries: Vec<OutboxEntry>,
    /// How many entries wait on the device, this batch included (shown to the owner).
    pub waiting: u64,
}

/// One refused entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejected {
    /// The entry's id.
    pub id: Uuid,
    /// Its sequence number.
    pub seq: u64,
    /// Why.
    #[serde(flatten)]
    pub rejection: Rejection,
}

/// The server's answer to a batch. Every entry of the batch is in exactly one of the lists;
/// the device may drop both (the server keeps rejected ones for the owner to see).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncReply {
    /// Entries stored, now or by an earlier request.
    pub acked: Vec<Uuid>,
    /// Entries refused, with the reason.
    pub rejected: Vec<Rejected>,
}

impl SyncReply {
    /// The sequence numbers of the batch's entries that may leave the device's outbox: those the
    /// server acked or rejected, each once, in the batch's order. An entry the reply does not
    /// name stays and goes again; an id the batch did not send is ignored.
    pub fn answered(&self, batch: &SyncBatch) -> Vec<u64> {
        batch
            .entries
            .iter()
            .filter(|e| self.acked.contains(&e.id) || self.rejected.iter().any(|r| r.id == e.id))
            .map(|e| e.seq)
            .collect()
    }
}

/// What changed on the server for a store since a version: the newest state of each changed
/// thing (the newest version wins everywhere).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Changes {
    /// The store's version now; ask for changes since it next time.
    pub version: u64,
    /// The shop's settings, when they changed.
    pub shop: Option<ShopSettings>,
    /// Items added or edited.
    pub items: Vec<Item>,
    /// Items removed.
    pub removed_items: Vec<Uuid>,
    /// Staff added or edited.
    pub staff: Vec<Staff>,
    /// Staff removed.
    pub removed_staff: Vec<Uuid>,
    /// The store's payment settings, when they changed (older servers never send them).
    #[serde(default)]
    pub payments: Option<PaymentSettings>,
}

impl Changes {
    /// The changes as the records a device applies, settings first.
    pub fn records(&self) -> Vec<Record> {
        let shop = self.shop.iter().map(|s| Record::Shop(Box::new(s.clone())));
        let items = self.items.iter().map(|i| Record::Item(Box::new(i.clone())));
        let gone = self.removed_items.iter().map(|id| Record::ItemRemoved(*id));
        let staff = self.staff.iter().map(|s| Record::Staff(Box::new(s.clone())));
        let left = self.removed_staff.iter().map(|id| Record::StaffRemoved(*id));
        shop.chain(items).chain(gone).chain(staff).chain(left).collect()
    }
}

/// What a tablet gets when it pairs: who it is, its token, and the store as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pairing {
    /// The device's id, made by the server.
    pub device_id: Uuid,
    /// The bearer token for every later request; the server keeps only its hash.
    pub token: String,
    /// The store's id.
    pub store_id: Uuid,
    /// Everything the store has (changes since version 0).
    pub changes: Changes,
}

/// Checks a sale against the domain: recomputed from its lines, tenders, shop settings and
/// time (and, for a refund, the original and the refunds before it), it must come out exactly
/// as recorded. The server runs this on every synced sale. Its e-receipt token must have a
/// token's shape and name the sale's device (the server checks the signature), and its
/// language must be a well-formed tag: a bad one refuses the entry as `invalid`, naming
/// `receipt_token` or `receipt_lang`.
pub fn check_sale(sale: &Sale, original: Option<&Sale>, earlier: &[Sale]) -> Result<(), Rejection> {
    let ctx = SaleContext {
        id: sale.id,
        device_id: sale.device_id,
        at: sale.at.with_timezone(&Utc),
        staff: sale.staff.clone(),
        shift_id: sale.shift_id,
        shop: sale.shop.clone(),
        receipt: ReceiptChoice {
            token: sale.receipt_token.clone(),
            lang: sale.receipt_lang.clone(),
        },
    };
    let computed = match &sale.kind {
        SaleKind::Sale => Sale::ring_up(ctx, sale.cart.clone(), sale.tenders.clone()),
        SaleKind::Refund { original: id, lines, .. } => {
            let original = original.filter(|o| o.id == *id).ok_or(Rejection::UnknownOriginal)?;
            original.refund(ctx, lines, earlier, Some(sale.tenders.clone()))
        }
    };
    let mut computed = computed.map_err(|error| Rejection::Invalid {
        code: error.code(),
        field: error.field().to_string(),
    })?;
    computed.seq = sale.seq;
    computed.receipt_no = sale.receipt_no;
    if computed == *sale { Ok(()) } else { Err(Rejection::TotalsMismatch) }
}

/// A stored entry as the chain check sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Sequence number.
    pub seq: u64,
    /// The previous hash the entry claims.
    pub prev_hash: String,
    /// The hash stored with it.
    pub hash: String,
    /// The hash recomputed from the stored content.
    pub content_hash: String,
}

impl From<&OutboxEntry> for Link {
    /// The entry as its chain sees it, its content hashed again.
    fn from(entry: &OutboxEntry) -> Link {
        Link {
            seq: entry.seq,
            prev_hash: entry.prev_hash.clone(),
            hash: entry.hash.clone(),
            content_hash: entry.compute_hash(),
        }
    }
}

/// Something wrong in one device's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "break", rename_all = "snake_case")]
pub enum ChainBreak {
    /// Entries `from..=to` never arrived (or were removed).
    Gap {
        /// First missing sequence number.
        from: u64,
        /// Last missing sequence number.
        to: u64,
    },
    /// The entry's content no longer matches its hash: it was edited.
    Edited {
        /// Sequence number.
        seq: u64,
    },
    /// The entry does not follow the one before it: reordered, replaced or forked.
    Unlinked {
        /// Sequence number.
        seq: u64,
    },
}

/// Checks one device's entries, in ascending `seq` order: every content matches its hash, every
/// entry names its predecessor's hash, and no sequence number is missing before the last one.
pub fn verify_chain<'a>(links: impl IntoIterator<Item = &'a Link>) -> Vec<ChainBreak> {
    let mut breaks = Vec::new();
    let mut before: Option<&Link> = None;
    for link in links {
        if link.content_hash != link.hash {
            breaks.push(ChainBreak::Edited { seq: link.seq });
        }
        let expected_seq = before.map_or(1, |b| b.seq + 1);
        if link.seq > expected_seq {
            breaks.push(ChainBreak::Gap { from: expected_seq, to: link.seq - 1 });
        } else {
            let expected_prev = before.map_or(GENESIS, |b| b.hash.as_str());
            if link.prev_hash != expected_prev {
                breaks.push(ChainBreak::Unlinked { seq: link.seq });
            }
        }
        before = Some(link);
    }
    breaks
}

/// When a device tries again after `failures` failed attempts in a row: doubling from 2 s up
/// to 5 minutes, then spread between half and all of that by `jitter_permille` (0..=1000), so
/// that many tablets coming back online do not all call at once.
pub fn retry_delay_ms(failures: u32, jitter_permille: u32) -> u64 {
    const BASE_MS: u64 = 2_000;
    const MAX_MS: u64 = 300_000;
    let exp = BASE_MS.saturating_mul(1u64 << failures.min(20)).min(MAX_MS);
    exp / 2 + exp / 2 * u64::from(jitter_permille.min(1000)) / 1000
}

#[cfg(test)]
mod tests;
