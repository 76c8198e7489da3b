//! What a device sends the server: every record it makes, in the order it made them, each with
//! the device's sequence number. The server accepts each record at most once (by id).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::sale::Sale;
use crate::shift::Shift;

/// A record made on a device.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum Record {
    /// A sale or a refund.
    Sale(Box<Sale>),
    /// A shift as it stood when saved (opened, cash moved, closed).
    Shift(Box<Shift>),
}

impl Record {
    /// The record's own id.
    pub fn id(&self) -> Uuid {
        match self {
            Record::Sale(sale) => sale.id,
            Record::Shift(shift) => shift.id,
        }
    }
}

/// A record waiting on the device until the server acknowledges it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// The device's sequence number: 1, 2, 3 ... with no gaps.
    pub seq: u64,
    /// The record.
    pub record: Record,
}
