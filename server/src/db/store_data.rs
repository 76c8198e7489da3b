//! The versioned change feed of each store: shop settings, staff and the catalog, each row
//! carrying the store version at which it last changed, so a device asks "what changed since N"
//! ([`changes`]). Removals are kept as tombstones for the same reason. Every writer (the owner's
//! routes, a device's records, pairing) goes through here.

use akinai_core::catalog::Item;
use akinai_core::payment::PaymentSettings;
use akinai_core::shop::ShopSettings;
use akinai_core::staff::Staff;
use akinai_core::sync::Changes;
use sqlx::{Any, Transaction};
use uuid::Uuid;

use crate::db::database::now_text;
use crate::error::Result;

/// Moves the store's version on by one and returns the new version; every change takes one.
pub async fn bump_version(tx: &mut Transaction<'_, Any>, store_id: &str) -> Result<i64> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE store SET version = version + 1 WHERE id = $1 RETURNING version",
    )
    .bind(store_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(version)
}

/// Creates a store for `owner_id` and returns its id.
pub async fn create_store(
    tx: &mut Transaction<'_, Any>,
    owner_id: &str,
    settings: &ShopSettings,
) -> Result<String> {
    let id = Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO store (id, owner_id, settings, settings_version, version, created_at)
         VALUES ($1, $2, $3, 1, 1, $4)",
    )
    .bind(&id)
    .bind(owner_id)
    .bind(serde_json::to_string(settings)?)
    .bind(now_text())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// Replaces the store's settings.
pub async fn put_settings(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    settings: &ShopSettings,
) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "UPDATE store SET settings = $1, settings_version = $2, settings_changed_at = $3 \
         WHERE id = $4",
    )
    .bind(serde_json::to_string(settings)?)
    .bind(version)
    .bind(now_text())
    .bind(store_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The store's payment settings (the defaults until the owner sets any).
pub async fn payment_settings(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
) -> Result<PaymentSettings> {
    let stored: Option<String> =
        sqlx::query_scalar("SELECT payment_settings FROM store WHERE id = $1")
            .bind(store_id)
            .fetch_one(&mut **tx)
            .await?;
    Ok(stored.map(|json| serde_json::from_str(&json)).transpose()?.unwrap_or_default())
}

/// Replaces the store's payment settings; the registers get them with their next pull.
pub async fn put_payment_settings(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    settings: &PaymentSettings,
) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "UPDATE store SET payment_settings = $1, payment_settings_version = $2 WHERE id = $3",
    )
    .bind(serde_json::to_string(settings)?)
    .bind(version)
    .bind(store_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Sets which QR provider the store's registers may take payments through (`None`: none), kept
/// with the payment settings so the registers learn it the same way; the owner's fee and method
/// settings stay as they are.
pub async fn put_qr_provider(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    provider: Option<&str>,
) -> Result<()> {
    let mut settings = payment_settings(tx, store_id).await?;
    settings.qr_provider = provider.map(str::to_owned);
    put_payment_settings(tx, store_id, &settings).await
}

/// Adds or replaces an item (a removed item with the same id comes back).
pub async fn put_item(tx: &mut Transaction<'_, Any>, store_id: &str, item: &Item) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "INSERT INTO item (store_id, id, position, body, version, removed)
         VALUES ($1, $2, $3, $4, $3, 0)
         ON CONFLICT (store_id, id) DO UPDATE SET body = excluded.body,
             version = excluded.version, removed = 0",
    )
    .bind(store_id)
    .bind(item.id.to_string())
    .bind(version)
    .bind(serde_json::to_string(item)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Adds or replaces a staff member.
pub async fn put_staff(tx: &mut Transaction<'_, Any>, store_id: &str, staff: &Staff) -> Result<()> {
    let version = bump_version(tx, store_id).await?;
    sqlx::query(
        "INSERT INTO staff (store_id, id, body, version, removed) VALUES ($1, $2, $3, $4, 0)
         ON CONFLICT (store_id, id) DO UPDATE SET body = excluded.body,
             version = excluded.version, removed = 0",
    )
    .bind(store_id)
    .bind(staff.id.to_string())
    .bind(serde_json::to_string(staff)?)
    .bind(version)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The store's current (not removed) staff.
pub async fn current_staff(tx: &mut Transaction<'_, Any>, store_id: &str) -> Result<Vec<Staff>> {
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM staff WHERE store_id = $1 AND removed = 0")
            .bind(store_id)
            .fetch_all(&mut **tx)
            .await?;
    Ok(bodies.iter().map(|body| serde_json::from_str(body)).collect::<Result<_, _>>()?)
}

/// Which table a removal is in.
#[derive(Clone, Copy, Debug)]
pub enum Removable {
    /// A catalog item.
    Item,
    /// A staff member.
    Staff,
}

/// Marks an item or staff member removed; true if there was one.
pub async fn remove(
    tx: &mut Transaction<'_, Any>,
    store_id: &str,
    what: Removable,
    id: &str,
) -> Result<bool> {
    let version = bump_version(tx, store_id).await?;
    let sql = match what {
        Removable::Item => {
            "UPDATE item SET removed = 1, version = $1 WHERE store_id = $2 AND id = $3"
        }
        Removable::Staff => {
            "UPDATE staff SET removed = 1, version = $1 WHERE store_id = $2 AND id = $3"
        }
    };
    let done = sqlx::query(sql).bind(version).bind(store_id).bind(id).execute(&mut **tx).await?;
    Ok(done.rows_affected() > 0)
}

/// Everything that changed in the store after version `since` (0: everything).
pub async fn changes(tx: &mut Transaction<'_, Any>, store_id: &str, since: i64) -> Result<Changes> {
    let (settings, settings_version, version, payments, payments_version): (
        String,
        i64,
        i64,
        Option<String>,
        i64,
    ) = sqlx::query_as(
        "SELECT settings, settings_version, version, payment_settings, payment_settings_version
         FROM store WHERE id = $1",
    )
    .bind(store_id)
    .fetch_one(&mut **tx)
    .await?;
    let mut changes = Changes {
        version: u64::try_from(version).unwrap_or_default(),
        shop: (settings_version > since).then(|| serde_json::from_str(&settings)).transpose()?,
        payments: payments
            .filter(|_| payments_version > since)
            .map(|json| serde_json::from_str(&json))
            .transpose()?,
        ..Changes::default()
    };
    let items: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, body, removed FROM item WHERE store_id = $1 AND version > $2 ORDER BY position",
    )
    .bind(store_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    for (id, body, removed) in items {
        match removed {
            0 => changes.items.push(serde_json::from_str(&body)?),
            _ => changes.removed_items.extend(id.parse::<Uuid>().ok()),
        }
    }
    let staff: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, body, removed FROM staff WHERE store_id = $1 AND version > $2 ORDER BY version",
    )
    .bind(store_id)
    .bind(since)
    .fetch_all(&mut **tx)
    .await?;
    for (id, body, removed) in staff {
        match removed {
            0 => changes.staff.push(serde_json::from_str(&body)?),
            _ => changes.removed_staff.extend(id.parse::<Uuid>().ok()),
        }
    }
    Ok(changes)
}
