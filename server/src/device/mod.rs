//! What a paired device calls: its outbox arriving.

pub mod sync;
