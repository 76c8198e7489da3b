//! What happens live, for the owner's open views: a sale or refund synced, a device synced.
//! Sync publishes on a broadcast channel; each owner's server-sent-event stream passes on only
//! that owner's events.

use serde::Serialize;

/// One happening in one store.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    /// Whose store; never sent to the browser.
    #[serde(skip)]
    pub owner_id: String,
    /// The store.
    pub store_id: String,
    /// The device it came from.
    pub device_id: String,
    /// What happened: `sale` (sales or refunds landed) or `device` (a device synced).
    pub kind: &'static str,
    /// How many records landed.
    pub count: u64,
}
