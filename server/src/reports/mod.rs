//! What an owner reads: sales figures and sales, live events and the export.

pub mod events;
pub mod export;
pub mod figures;
