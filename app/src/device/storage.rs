//! The device's own database (IndexedDB through rexie): settings, staff, catalog, sales, shifts,
//! held carts and the outbox of records waiting for the server.
//!
//! A sale is written in one transaction together with its outbox entry and the counters that
//! number it, so a sale is either stored, numbered and queued for sync, or not at all; receipt
//! numbers are therefore gap-free and never reused.

use akinai_core::sale::Sale;
use akinai_core::shift::Shift;
use akinai_core::sync::{GENESIS, OutboxEntry, Record};
use chrono::NaiveDate;
use rexie::{Direction, Index, KeyRange, ObjectStore, Rexie, TransactionMode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;
use wasm_bindgen::JsValue;

use super::StoreLink;
use super::keys::{LINK, SHOP};
use crate::error::{Error, Result};

/// The database the app uses.
pub const DB_NAME: &str = "akinai";
/// The schema version the app expects; opening upgrades older databases to it.
pub const VERSION: u32 = 3;

/// Object store names.
pub mod stores {
    /// Key-value: the shop's settings, the device's identity, preferences.
    pub const SETTINGS: &str = "settings";
    /// Key-value: the receipt and record counters.
    pub const COUNTERS: &str = "counters";
    /// Catalog items by id.
    pub const CATALOG: &str = "catalog";
    /// Staff by id.
    pub const STAFF: &str = "staff";
    /// Sales and refunds by id.
    pub const SALES: &str = "sales";
    /// Records waiting for the server, by sequence number.
    pub const OUTBOX: &str = "outbox";
    /// Shifts by id (from version 2).
    pub const SHIFTS: &str = "shifts";
    /// Held carts by id (from version 2).
    pub const HELD: &str = "held";
    /// Key-value: the sale being paid for, with its tenders, so a reload finds it (from version 3).
    pub const CHECKOUT: &str = "checkout";
    /// Key-value: provider payments to call off once the server answers, by payment id (from
    /// version 3).
    pub const PAYMENT_CANCELS: &str = "payment_cancels";
}

const RECEIPT_NO: &str = "receipt_no";
/// The sales' index by business day (from version 2), which pages the history.
const BUSINESS_DATE: &str = "business_date";
const SEQ: &str = "seq";
/// The hash of the device's newest outbox entry, which the next one links to.
const CHAIN_HEAD: &str = "chain_head";

/// The stores of each schema version. Stores and indexes are only ever added, so an upgrade
/// keeps every record; a new version is a new arm here.
fn schema(version: u32) -> Vec<ObjectStore> {
    use stores::*;
    let mut sales = ObjectStore::new(SALES)
        .key_path("id")
        .add_index(Index::new("receipt_no", "receipt_no").unique(true));
    let mut all = vec![
        ObjectStore::new(SETTINGS),
        ObjectStore::new(COUNTERS),
        ObjectStore::new(CATALOG).key_path("id"),
        ObjectStore::new(STAFF).key_path("id"),
        ObjectStore::new(OUTBOX).key_path("seq"),
    ];
    if version >= 2 {
        sales = sales.add_index(Index::new(BUSINESS_DATE, "business_date"));
        all.push(ObjectStore::new(SHIFTS).key_path("id"));
        all.push(ObjectStore::new(HELD).key_path("id"));
    }
    if version >= 3 {
        all.push(ObjectStore::new(CHECKOUT));
        all.push(ObjectStore::new(PAYMENT_CANCELS));
    }
    all.push(sales);
    all
}

/// A change to the shop's data on the device: see [`Storage::apply`].
#[derive(Default)]
pub struct Edit<'a> {
    /// Items, staff and settings records.
    pub records: &'a [Record],
    /// The device whose outbox the records also join, for the server; `None` keeps them local.
    pub send_as: Option<Uuid>,
    /// Empty the catalog and staff first.
    pub replace: bool,
    /// The pairing to store with the change.
    pub link: Option<&'a StoreLink>,
}

/// An open device database.
pub struct Storage {
    db: Rexie,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue> {
    // JSON-compatible: IndexedDB cannot read key paths out of JS Maps.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|err| Error::Data(err.to_string()))
}

fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T> {
    serde_wasm_bindgen::from_value(value).map_err(|err| Error::Data(err.to_string()))
}

/// Records read in one go: one JSON.stringify of the whole array and one parse in wasm. Reading
/// 10,000 items field by field across the JS boundary (serde-wasm-bindgen) took most of a cold
/// start. Records are stored JSON-compatible (`to_js`), so the text holds exactly what was stored.
fn from_js_all<T: DeserializeOwned>(values: Vec<JsValue>, store: &str) -> Result<Vec<T>> {
    let array: js_sys::Array = values.into_iter().collect();
    let text = js_sys::JSON::stringify(&array)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| Error::Data(format!("the {store} records are not JSON")))?;
    serde_json::from_str(&text).map_err(|err| Error::Data(err.to_string()))
}

/// A business day as the `business_date` index keys it (the date as stored: `YYYY-MM-DD`).
fn day_key(day: NaiveDate) -> JsValue {
    JsValue::from_str(&day.to_string())
}

fn key(text: &str) -> JsValue {
    JsValue::from_str(text)
}

impl Storage {
    /// Opens (creating or upgrading) the app's database `name` at the current version.
    pub async fn open(name: &str) -> Result<Storage> {
        Storage::open_version(name, VERSION).await
    }

    /// Opens `name` with the schema of `version` (older versions exist for upgrade tests).
    pub async fn open_version(name: &str, version: u32) -> Result<Storage> {
        let builder = schema(version)
            .into_iter()
            .fold(Rexie::builder(name).version(version), |builder, store| {
                builder.add_object_store(store)
            });
        let db = builder.build().await.map_err(Error::opening)?;
        Ok(Storage { db })
    }

    /// Deletes the database `name` (tests start from nothing).
    pub async fn delete(name: &str) -> Result<()> {
        Rexie::delete(name).await.map_err(Error::from)
    }

    /// Closes the connection, as a reload would.
    pub fn close(self) {
        self.db.close();
    }

    /// The schema version of the open database.
    pub fn version(&self) -> Result<u32> {
        self.db.version().map_err(Error::from)
    }

    /// The object stores of the open database.
    pub fn store_names(&self) -> Vec<String> {
        self.db.store_names()
    }

    /// The value under `key` in a key-value store.
    pub async fn get<T: DeserializeOwned>(&self, store: &str, id: &str) -> Result<Option<T>> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        let value = tx.store(store)?.get(key(id)).await?;
        value.filter(|v| !v.is_undefined()).map(from_js).transpose()
    }

    /// Writes `value` under `id` in a key-value store.
    pub async fn set<T: Serialize>(&self, store: &str, id: &str, value: &T) -> Result<()> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite)?;
        tx.store(store)?.put(&to_js(value)?, Some(&key(id))).await?;
        tx.done().await?;
        Ok(())
    }

    /// Writes records that carry their own key (`id`) into `store`, all or none.
    pub async fn put_all<T: Serialize>(&self, store: &str, values: &[T]) -> Result<()> {
        let values = values.iter().map(to_js).collect::<Result<Vec<_>>>()?;
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite)?;
        let objects = tx.store(store)?;
        for value in &values {
            objects.put(value, None).await?;
        }
        tx.done().await?;
        Ok(())
    }

    /// Deletes the record `id` of `store`.
    pub async fn remove(&self, store: &str, id: &str) -> Result<()> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadWrite)?;
        tx.store(store)?.delete(key(id)).await?;
        tx.done().await?;
        Ok(())
    }

    /// Every record of `store`, in key order.
    pub async fn all<T: DeserializeOwned>(&self, store: &str) -> Result<Vec<T>> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        let values = tx.store(store)?.get_all(None, None).await?;
        from_js_all(values, store)
    }

    /// The sales and refunds of the business days from `from` on, by receipt number.
    pub async fn sales_from(&self, from: NaiveDate) -> Result<Vec<Sale>> {
        self.sales_in(
            KeyRange::lower_bound(&day_key(from), Some(false)).map_err(rexie::Error::from)?,
        )
        .await
    }

    /// The sales and refunds of the business day `day`, by receipt number.
    pub async fn sales_of_day(&self, day: NaiveDate) -> Result<Vec<Sale>> {
        self.sales_in(KeyRange::only(&day_key(day)).map_err(rexie::Error::from)?).await
    }

    /// The latest business day before `day` with a sale or refund, if any: the history's next page.
    pub async fn day_before(&self, day: NaiveDate) -> Result<Option<NaiveDate>> {
        let range = KeyRange::upper_bound(&day_key(day), Some(true)).map_err(rexie::Error::from)?;
        let tx = self.db.transaction(&[stores::SALES], TransactionMode::ReadOnly)?;
        let index = tx.store(stores::SALES)?.index(BUSINESS_DATE)?;
        let found = index.scan(Some(range), Some(1), None, Some(Direction::Prev)).await?;
        let Some((key, _)) = found.into_iter().next() else {
            return Ok(None);
        };
        let text =
            key.as_string().ok_or_else(|| Error::Data("a business day is not text".into()))?;
        text.parse().map(Some).map_err(|err: chrono::ParseError| Error::Data(err.to_string()))
    }

    /// The sales whose business day is in `range`, by receipt number.
    async fn sales_in(&self, range: KeyRange) -> Result<Vec<Sale>> {
        let tx = self.db.transaction(&[stores::SALES], TransactionMode::ReadOnly)?;
        let index = tx.store(stores::SALES)?.index(BUSINESS_DATE)?;
        let mut sales: Vec<Sale> =
            from_js_all(index.get_all(Some(range), None).await?, stores::SALES)?;
        sales.sort_by_key(|s| s.receipt_no);
        Ok(sales)
    }

    /// The number of records in `store`.
    pub async fn count(&self, store: &str) -> Result<u32> {
        let tx = self.db.transaction(&[store], TransactionMode::ReadOnly)?;
        Ok(tx.store(store)?.count(None).await?)
    }

    /// Stores a new shop's settings, its first staff and its catalog, all or none.
    pub async fn set_up<S: Serialize, P: Serialize, I: Serialize>(
        &self,
        shop: &S,
        staff: &[P],
        items: &[I],
    ) -> Result<()> {
        use stores::*;
        let (shop, staff, items) = (
            to_js(shop)?,
            staff.iter().map(to_js).collect::<Result<Vec<_>>>()?,
            items.iter().map(to_js).collect::<Result<Vec<_>>>()?,
        );
        let tx = self.db.transaction(&[SETTINGS, STAFF, CATALOG], TransactionMode::ReadWrite)?;
        let (people, catalog) = (tx.store(STAFF)?, tx.store(CATALOG)?);
        for person in &staff {
            people.put(person, None).await?;
        }
        for item in &items {
            catalog.put(item, None).await?;
        }
        tx.store(SETTINGS)?.put(&shop, Some(&key(SHOP))).await?;
        tx.done().await?;
        Ok(())
    }

    /// Stores a completed sale or refund: numbers it (next receipt number and record sequence
    /// number), writes it and its outbox entry, all in one transaction. Returns it numbered.
    pub async fn commit_sale(&self, mut sale: Sale) -> Result<Sale> {
        use stores::*;
        let tx = self.db.transaction(&[SALES, OUTBOX, COUNTERS], TransactionMode::ReadWrite)?;
        let counters = tx.store(COUNTERS)?;
        // Only this transaction's own requests are awaited inside it, so it stays active.
        let receipt_no = counter(counters.get(key(RECEIPT_NO)).await?) + 1;
        sale.receipt_no = receipt_no;
        sale.seq = next_seq(&counters).await?;
        let (id, device_id) = (sale.id, sale.device_id);
        tx.store(SALES)?.add(&to_js(&sale)?, None).await?;
        let record = Record::Sale(Box::new(sale.clone()));
        append(&counters, &tx.store(OUTBOX)?, id, device_id, sale.seq, record).await?;
        counters.put(&JsValue::from_f64(receipt_no as f64), Some(&key(RECEIPT_NO))).await?;
        tx.done().await?;
        Ok(sale)
    }

    /// Stores a shift as it is now (opened, cash moved, closed) with an outbox entry.
    pub async fn save_shift(&self, shift: &Shift) -> Result<()> {
        use stores::*;
        let tx = self.db.transaction(&[SHIFTS, OUTBOX, COUNTERS], TransactionMode::ReadWrite)?;
        let counters = tx.store(COUNTERS)?;
        let seq = next_seq(&counters).await?;
        tx.store(SHIFTS)?.put(&to_js(shift)?, None).await?;
        let record = Record::Shift(Box::new(shift.clone()));
        append(&counters, &tx.store(OUTBOX)?, Uuid::now_v7(), shift.device_id, seq, record).await?;
        tx.done().await?;
        Ok(())
    }

    /// Applies records that change the shop (items, staff, settings) to the device's stores in
    /// one transaction. With `edit.send_as` (a paired tablet's own edit) they also join the outbox,
    /// so they reach the server; with `edit.replace` (pairing) the catalog and staff are first
    /// emptied, the store's being the whole truth; `edit.link` is stored alongside.
    pub async fn apply(&self, edit: Edit<'_>) -> Result<()> {
        use stores::*;
        let tx = self.db.transaction(
            &[SETTINGS, STAFF, CATALOG, OUTBOX, COUNTERS],
            TransactionMode::ReadWrite,
        )?;
        let (settings, staff, catalog) =
            (tx.store(SETTINGS)?, tx.store(STAFF)?, tx.store(CATALOG)?);
        if edit.replace {
            staff.clear().await?;
            catalog.clear().await?;
        }
        let counters = tx.store(COUNTERS)?;
        for record in edit.records {
            match record {
                Record::Item(item) => drop(catalog.put(&to_js(item)?, None).await?),
                Record::ItemRemoved(id) => catalog.delete(key(&id.to_string())).await?,
                Record::Staff(person) => drop(staff.put(&to_js(person)?, None).await?),
                Record::StaffRemoved(id) => staff.delete(key(&id.to_string())).await?,
                Record::Shop(shop) => drop(settings.put(&to_js(shop)?, Some(&key(SHOP))).await?),
                // Sales, shifts and 領収書 have their own writes, numbered with their receipts.
                Record::Sale(_) | Record::Shift(_) | Record::FormalReceipt(_) => continue,
            }
            if let Some(device_id) = edit.send_as {
                let seq = next_seq(&counters).await?;
                append(
                    &counters,
                    &tx.store(OUTBOX)?,
                    Uuid::now_v7(),
                    device_id,
                    seq,
                    record.clone(),
                )
                .await?;
            }
        }
        if let Some(link) = edit.link {
            settings.put(&to_js(link)?, Some(&key(LINK))).await?;
        }
        tx.done().await?;
        Ok(())
    }

    /// The oldest `limit` outbox entries.
    pub async fn outbox(&self, limit: u32) -> Result<Vec<OutboxEntry>> {
        let tx = self.db.transaction(&[stores::OUTBOX], TransactionMode::ReadOnly)?;
        let values = tx.store(stores::OUTBOX)?.get_all(None, Some(limit)).await?;
        values.into_iter().map(from_js).collect()
    }

    /// Drops the outbox entries the server has answered for.
    pub async fn drop_sent(&self, seqs: &[u64]) -> Result<()> {
        let tx = self.db.transaction(&[stores::OUTBOX], TransactionMode::ReadWrite)?;
        let outbox = tx.store(stores::OUTBOX)?;
        for seq in seqs {
            outbox.delete(JsValue::from_f64(*seq as f64)).await?;
        }
        tx.done().await?;
        Ok(())
    }

    /// The sale with receipt number `receipt_no`, if any.
    pub async fn sale_by_receipt_no(&self, receipt_no: u64) -> Result<Option<Sale>> {
        let tx = self.db.transaction(&[stores::SALES], TransactionMode::ReadOnly)?;
        let index = tx.store(stores::SALES)?.index("receipt_no")?;
        let value = index.get(JsValue::from_f64(receipt_no as f64)).await?;
        value.filter(|v| !v.is_undefined()).map(from_js).transpose()
    }

    /// The last receipt number issued (0 before the first sale).
    pub async fn last_receipt_no(&self) -> Result<u64> {
        let tx = self.db.transaction(&[stores::COUNTERS], TransactionMode::ReadOnly)?;
        Ok(counter(tx.store(stores::COUNTERS)?.get(key(RECEIPT_NO)).await?))
    }
}

/// The device's next record sequence number, read inside a transaction.
async fn next_seq(counters: &rexie::Store) -> Result<u64> {
    Ok(counter(counters.get(key(SEQ)).await?) + 1)
}

/// Adds `record` to the outbox as entry `seq`, chained to the device's previous entry, and
/// moves the chain's head and the sequence counter on: all inside the caller's transaction.
async fn append(
    counters: &rexie::Store,
    outbox: &rexie::Store,
    id: Uuid,
    device_id: Uuid,
    seq: u64,
    record: Record,
) -> Result<()> {
    let head = counters.get(key(CHAIN_HEAD)).await?.and_then(|v| v.as_string());
    let entry = OutboxEntry::new(id, device_id, seq, head.as_deref().unwrap_or(GENESIS), record);
    outbox.add(&to_js(&entry)?, None).await?;
    counters.put(&JsValue::from_str(&entry.hash), Some(&key(CHAIN_HEAD))).await?;
    counters.put(&JsValue::from_f64(seq as f64), Some(&key(SEQ))).await?;
    Ok(())
}

/// A counter's value (absent means nothing issued yet).
fn counter(value: Option<JsValue>) -> u64 {
    value.and_then(|v| v.as_f64()).map_or(0, |n| n as u64)
}
