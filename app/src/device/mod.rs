//! The device's plumbing, below the app state and the screens: its database ([`storage`]), the
//! sync with the server ([`sync`], which builds on storage), and the service worker ([`pwa`]).
//! This module itself holds the plain data they share. Nothing here reads the app state or a
//! screen: the pairing form and the sync badge are screen parts (`crate::pairing`).
//!
//! Imports run one way: `storage` <- `sync` <- `state` <- screens (held by a test in xtask).

pub mod payments;
pub mod pwa;
pub mod storage;
pub mod sync;

use akinai_core::cart::Cart;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The keys of the device's `settings` store, one per value type stored there.
pub mod keys {
    /// The device's own preferences ([`super::Device`]).
    pub const DEVICE: &str = "device";
    /// The shop's settings (`ShopSettings`).
    pub const SHOP: &str = "shop";
    /// The device's pairing with a store ([`super::StoreLink`]).
    pub const LINK: &str = "link";
    /// The records the server refused (`Vec<Rejected>`).
    pub const REFUSED: &str = "refused";
    /// The store's payment settings as sync last brought them (`PaymentSettings`).
    pub const PAYMENTS: &str = "payments";
}

/// Device preferences kept under the [`keys::DEVICE`] settings key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// This device's id, made on first start.
    pub id: Uuid,
    /// Receipt paper width in mm (58 or 80).
    pub paper_mm: u8,
    /// Minutes without a touch before the register locks.
    pub lock_minutes: u32,
}

impl Device {
    /// A new device's identity and preferences: 80 mm paper, locked after 5 idle minutes.
    pub fn first_start() -> Self {
        Device { id: Uuid::now_v7(), paper_mm: 80, lock_minutes: 5 }
    }
}

/// A cart put aside to serve the next customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeldCart {
    /// Its key in the `held` store.
    pub id: Uuid,
    /// When it was held (RFC 3339).
    pub held_at: String,
    /// The cart as it was.
    pub cart: Cart,
}

/// The device's pairing with a store, kept under the [`keys::LINK`] settings key. (Not core's
/// `sync::Link`, which is a link of the outbox's hash chain.)
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreLink {
    /// The bearer token the server gave at pairing.
    pub token: String,
    /// The store.
    pub store_id: Uuid,
    /// The store version whose changes the device has.
    pub version: u64,
}
