//! `akinai backup` and `akinai restore` for a SQLite database.
//!
//! A backup is SQLite's `VACUUM INTO`: one read transaction, so the copy is the database as one
//! moment saw it (every batch whole or absent) while the server keeps serving. Both commands
//! write to a temporary file beside the destination and rename it into place, so a destination
//! is never half-written. A backup leaves out the providers' sealed API secrets. PostgreSQL has its own tools for this (`pg_dump`, `pg_restore`).

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use uuid::Uuid;

use crate::db::database::Target;
use crate::error::{Error, Result};

/// What to say when asked to back up or restore PostgreSQL.
const USE_PG_DUMP: &str = "a PostgreSQL database is backed up with pg_dump and restored with \
     pg_restore (see the README's \"Backups\"); akinai backup and restore are for SQLite";

/// Writes a consistent copy of the live database `from` to `out` (replacing an older backup
/// there only once the new one is complete).
pub async fn backup(from: &Target, out: &Path) -> Result<()> {
    let Target::Sqlite(db) = from else { return Err(refused("--database-url", USE_PG_DUMP)) };
    if !db.is_file() {
        return Err(refused("--db", format!("there is no database at {}", db.display())));
    }
    let mut source = connect(db, false).await?;
    let copy = snapshot(&mut source, out).await?;
    if let Err(err) = forget_secrets(&copy).await {
        let _ = std::fs::remove_file(&copy);
        return Err(err);
    }
    put(&copy, out)
}

/// Blanks the providers' sealed secrets in a fresh backup (and leaves no page holding them): a
/// backup never carries them, and a restored store's owner enters them again.
async fn forget_secrets(copy: &Path) -> Result<()> {
    let mut backup = connect(copy, false).await?;
    sqlx::query("UPDATE store_provider SET secret_sealed = ''").execute(&mut backup).await?;
    sqlx::query("VACUUM").execute(&mut backup).await?;
    backup.close().await?;
    Ok(())
}

/// Puts the backup `from` in place of the database `to`. A database that is there already is
/// only replaced with `force`, and never while a server seems to have it open.
pub async fn restore(from: &Path, to: &Target, force: bool) -> Result<()> {
    let Target::Sqlite(db) = to else { return Err(refused("--database-url", USE_PG_DUMP)) };
    let wal = sidecar(db, "-wal");
    if wal.exists() && !force {
        return Err(refused(
            "--db",
            format!(
                "{} exists: a server may be using this database; stop it first \
                 (--force after a crash)",
                wal.display()
            ),
        ));
    }
    if db.metadata().is_ok_and(|m| m.len() > 0) && !force {
        return Err(refused(
            "--db",
            format!("{} holds a database; --force replaces it", db.display()),
        ));
    }
    if !from.is_file() {
        return Err(refused("--from", format!("there is no backup at {}", from.display())));
    }
    let mut backup = connect(from, true).await?;
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut backup).await?;
    let akinai: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('_sqlx_migrations', 'record')",
    )
    .fetch_one(&mut backup)
    .await?;
    if check != "ok" || akinai != 2 {
        return Err(refused(
            "--from",
            format!("{} is not a sound Akinai database ({check})", from.display()),
        ));
    }
    let copy = snapshot(&mut backup, db).await?;
    // The old database's write-ahead log would be replayed onto the restored one.
    for stale in [wal, sidecar(db, "-shm")] {
        match std::fs::remove_file(&stale) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                let _ = std::fs::remove_file(&copy);
                return Err(io(&stale, &err));
            }
            _ => {}
        }
    }
    put(&copy, db)
}

/// `VACUUM INTO` a new temporary file beside `out`; its path.
async fn snapshot(source: &mut SqliteConnection, out: &Path) -> Result<PathBuf> {
    let copy = sidecar(out, &format!(".{}.tmp", Uuid::new_v4().simple()));
    let written = sqlx::query("VACUUM INTO $1")
        .bind(copy.to_string_lossy().into_owned())
        .execute(&mut *source)
        .await;
    match written {
        Ok(_) => Ok(copy),
        Err(err) => {
            // Nothing half-written is left behind; the error says why.
            let _ = std::fs::remove_file(&copy);
            Err(err.into())
        }
    }
}

/// Renames the finished `copy` to `out`, in one step.
fn put(copy: &Path, out: &Path) -> Result<()> {
    std::fs::rename(copy, out).map_err(|err| {
        let _ = std::fs::remove_file(copy);
        io(out, &err)
    })
}

/// A connection to the SQLite file at `path` (never creating one).
async fn connect(path: &Path, read_only: bool) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::new().filename(path).read_only(read_only);
    Ok(SqliteConnection::connect_with(&options).await?)
}

/// `path` with `suffix` appended to its file name (`akinai.db-wal`).
fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A command-line option that cannot be done as given.
fn refused(option: &'static str, message: impl Into<String>) -> Error {
    Error::BadRequest { field: option, message: message.into() }
}

/// A file that could not be written or moved.
fn io(path: &Path, err: &std::io::Error) -> Error {
    Error::Internal(format!("{}: {err}", path.display()))
}
