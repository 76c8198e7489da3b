//! Where the shops' data lives: a SQLite file by default, PostgreSQL when `DATABASE_URL` names
//! one. Both are reached through sqlx's `Any` driver with one set of queries, written to the
//! conventions at the head of `migrations/sqlite/0002_accounts_sync.sql` (`$1` placeholders, TEXT
//! ids and times, BIGINT numbers; `CAST(SUM(..) AS BIGINT)` because PostgreSQL sums BIGINT as
//! NUMERIC).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::any::AnyPoolOptions;
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyPool, Transaction};

use uuid::Uuid;

use crate::error::{Error, Result};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database to open: every subcommand that touches data takes `--db PATH` and
/// `DATABASE_URL`, the URL winning when set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user@host/db`).
    Postgres(String),
}

impl Target {
    /// The target named by `--db` and `DATABASE_URL`.
    pub fn new(db: &Path, database_url: Option<&str>) -> Target {
        match database_url.filter(|url| !url.is_empty()) {
            Some(url) => Target::Postgres(url.to_owned()),
            None => Target::Sqlite(db.to_owned()),
        }
    }

    /// Where, for messages (a URL without its password).
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(path) => path.display().to_string(),
            Target::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    // Only the password is hidden; a URL that will not take it has none.
                    let _ = parsed.set_password(None);
                    parsed.to_string()
                }
                Err(_) => "PostgreSQL".to_owned(),
            },
        }
    }
}

/// Which engine a [`Db`] runs on, for the few statements that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

/// An open database with its schema up to date.
#[derive(Clone, Debug)]
pub struct Db {
    /// The connection pool.
    pub pool: AnyPool,
    /// The engine behind it.
    pub backend: Backend,
    /// SQLite's turns at writing, in arrival order (see [`Db::begin_write`]).
    turns: Arc<tokio::sync::Mutex<()>>,
}

/// A writing transaction and its turn, held until the transaction ends.
pub type WriteTx<'a> = (Option<tokio::sync::MutexGuard<'a, ()>>, Transaction<'static, Any>);

impl Db {
    /// Begins a transaction that writes. On SQLite, which has one writer at a time, it first
    /// waits for this process's turn (in arrival order: SQLite's busy handler is not fair, and
    /// with many registers syncing at once a write could wait past its busy timeout, a 500, while
    /// later ones get in), then takes the write lock at once (`BEGIN IMMEDIATE`): a transaction
    /// that read first could not take it after another connection wrote, another 500. On
    /// PostgreSQL, whose row locks queue fairly, it simply begins. Keep the turn (the first
    /// half) until the transaction is committed.
    pub async fn begin_write(&self) -> Result<WriteTx<'_>> {
        Ok(match self.backend {
            Backend::Sqlite => {
                let turn = self.turns.lock().await;
                (Some(turn), self.pool.begin_with("BEGIN IMMEDIATE").await?)
            }
            Backend::Postgres => (None, self.pool.begin().await?),
        })
    }
}

/// Opens the database (creating a SQLite file if needed) and runs its migrations.
pub async fn open(target: &Target) -> Result<Db> {
    sqlx::any::install_default_drivers();
    let (url, backend) = match target {
        Target::Sqlite(path) => (sqlite_url(path), Backend::Sqlite),
        Target::Postgres(url) => (url.clone(), Backend::Postgres),
    };
    let pool = AnyPoolOptions::new().max_connections(8).connect(&url).await?;
    match backend {
        Backend::Sqlite => {
            // WAL lets the owner's queries read while a register's batch is written; the mode
            // is kept in the file, so setting it once per open is enough.
            sqlx::query("PRAGMA journal_mode = WAL").execute(&pool).await?;
            SQLITE.run(&pool).await?;
        }
        Backend::Postgres => POSTGRES.run(&pool).await?,
    }
    Ok(Db { pool, backend, turns: Arc::default() })
}

/// A `sqlite:` URL for `path` that creates the file when missing.
fn sqlite_url(path: &Path) -> String {
    // The path goes in as is: sqlx reads everything before `?` as the file name.
    format!("sqlite:{}?mode=rwc", path.display())
}

/// A time as the database keeps it: UTC, RFC 3339, milliseconds, so text order is time order.
pub fn time_text(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A time as the database keeps it, read back.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|err| Error::Internal(format!("stored time {text:?}: {err}")))
}

/// An id as the database keeps it (text), read back.
pub fn parse_id(text: &str) -> Result<Uuid> {
    text.parse().map_err(|err| Error::Internal(format!("stored id {text:?}: {err}")))
}

/// Now, as the database keeps times.
pub fn now_text() -> String {
    time_text(Utc::now())
}
