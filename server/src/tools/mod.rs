//! The command line's tools: verify the stored chains, quote a cart, and the demo shop.

pub mod demo;
pub mod quote;
pub mod verify;
