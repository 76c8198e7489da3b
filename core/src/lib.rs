//! Akinai's domain, shared by the tablet app and the server so that a receipt computed on
//! either can never disagree.
//!
//! - [`money`]: whole yen.
//! - [`tax`]: tax classes, dining and pricing modes, rounding, and the dated rate table —
//!   where "8% on take-out food" is decided.
//! - [`cart`]: a validated cart of sale lines with discounts.
//! - [`receipt`]: the computed receipt (per-rate totals, one rounding per rate) and its reversal.
//! - [`quote`]: the JSON contract of `akinai quote`.

pub mod cart;
pub mod error;
pub mod money;
pub mod quote;
pub mod receipt;
pub mod tax;

pub use error::{Error, Field, Result};
pub use money::Yen;
