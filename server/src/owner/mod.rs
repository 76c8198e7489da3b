//! What an owner manages: accounts, stores, staff, catalog, devices and pairing codes.

pub mod accounts;
pub mod catalog;
pub mod devices;
pub mod pairing;
pub mod staff;
pub mod stores;
