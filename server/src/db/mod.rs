//! The database: SQLite or PostgreSQL, one set of queries, multi-row inserts, and the stores'
//! versioned change feed.

pub mod columns;
pub mod database;
pub mod rows;
pub mod store_data;
