//! The database: SQLite or PostgreSQL, one set of queries, and multi-row inserts.

pub mod database;
pub mod rows;
