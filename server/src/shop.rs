//! The shop: its profile (what every receipt prints) and its catalog, with the demo shop that
//! `cargo xtask run` starts with.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use akinai_core::catalog::Item;
use akinai_core::tax::{Named, PricingMode, Rounding};
use akinai_core::{Field, Yen};

use crate::error::{Error, Result};

/// The shop's public profile: everything on it is printed on each receipt anyway.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shop {
    /// Trading name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// Telephone number.
    pub phone: String,
    /// Qualified invoice issuer registration number (T + 13 digits).
    pub registration_number: String,
    /// Whether catalog prices include tax.
    pub pricing: PricingMode,
    /// How tax is rounded.
    pub rounding: Rounding,
    /// Line printed at the foot of each receipt.
    pub receipt_footer: String,
}

/// The demo shop with its catalog, as bundled in `server/demo/shop.json`.
#[derive(Debug, Deserialize)]
struct Demo {
    #[serde(flatten)]
    shop: Shop,
    items: Vec<Item>,
}

/// Loads the demo shop unless the database has a shop already; true when it loaded it.
pub async fn load_demo(pool: &SqlitePool) -> Result<bool> {
    let Demo { shop, items } = serde_json::from_str(include_str!("../demo/shop.json"))?;
    let mut tx = pool.begin().await?;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM shop").fetch_one(&mut *tx).await?;
    if existing > 0 {
        return Ok(false);
    }
    let shop_id: i64 = sqlx::query_scalar(
        "INSERT INTO shop (name, address, phone, registration_number, pricing, rounding, receipt_footer)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&shop.name)
    .bind(&shop.address)
    .bind(&shop.phone)
    .bind(&shop.registration_number)
    .bind(shop.pricing.word())
    .bind(shop.rounding.word())
    .bind(&shop.receipt_footer)
    .fetch_one(&mut *tx)
    .await?;
    for item in &items {
        sqlx::query(
            "INSERT INTO item (uuid, shop_id, name, kana, price, tax_class, category, barcode, color, open_price)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(item.id.to_string())
        .bind(shop_id)
        .bind(&item.name)
        .bind(&item.kana)
        .bind(item.price.get())
        .bind(item.tax_class.word())
        .bind(&item.category)
        .bind(&item.barcode)
        .bind(&item.color)
        .bind(item.open_price)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// `GET /api/v1/shop`: the shop's profile.
pub async fn profile(State(pool): State<SqlitePool>) -> Result<Json<Shop>> {
    type Row = (String, String, String, String, String, String, String);
    let (name, address, phone, registration_number, pricing, rounding, receipt_footer): Row =
        sqlx::query_as(
            "SELECT name, address, phone, registration_number, pricing, rounding, receipt_footer
             FROM shop ORDER BY id LIMIT 1",
        )
        .fetch_optional(&pool)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Json(Shop {
        name,
        address,
        phone,
        registration_number,
        pricing: Named::parse(&pricing, Field::top("pricing"))?,
        rounding: Named::parse(&rounding, Field::top("rounding"))?,
        receipt_footer,
    }))
}

/// `GET /api/v1/catalog`: the shop's items, in the order they were added.
pub async fn catalog(State(pool): State<SqlitePool>) -> Result<Json<Vec<Item>>> {
    type Row = (String, String, String, i64, String, String, Option<String>, String, bool);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT uuid, item.name, kana, price, tax_class, category, barcode, color, open_price
         FROM item WHERE shop_id = (SELECT id FROM shop ORDER BY id LIMIT 1) ORDER BY item.id",
    )
    .fetch_all(&pool)
    .await?;
    let items = rows
        .into_iter()
        .map(|(id, name, kana, price, tax_class, category, barcode, color, open_price)| {
            Ok(Item {
                id: id.parse().map_err(|_| akinai_core::Error::Invalid {
                    field: Field::top("id"),
                    detail: format!("stored item id {id} is not a UUID"),
                })?,
                name,
                kana,
                price: Yen::new(price),
                tax_class: Named::parse(&tax_class, Field::top("tax_class"))?,
                category,
                barcode,
                color,
                open_price,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Json(items))
}
