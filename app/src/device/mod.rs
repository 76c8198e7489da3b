//! The device's plumbing, below the app state and the screens: its database, the sync with the
//! server, pairing, and the service worker.

pub mod pairing;
pub mod pwa;
pub mod storage;
pub mod sync;
