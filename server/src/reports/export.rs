//! Everything an owner has, as files they can keep and open anywhere: every table as JSON and
//! as CSV, with a README.md describing every column. Served as a zip
//! (`GET /api/v1/export?format=zip`) and written to a folder by `akinai export`.
//!
//! Secrets stay behind: no password, PIN or token hashes leave the server. Staff records that
//! registers sent carry a PIN's salt and hash: those are taken out of the record's body, and
//! the row says so (`redacted`). Text cells of the CSV files are guarded against formulas
//! ([`guard_csv_cell`]) so that a name like `=HYPERLINK(…)` stays text in Excel.

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Map, Value};
use sqlx::Row;
use sqlx::any::AnyRow;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use akinai_core::api::ErrorBody;
use akinai_core::catalog::guard_csv_cell;

use crate::error::{Error, Result};
use crate::http::auth::OwnerSession;
use crate::{AppState, Db};

/// How a column is read and written.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// Text (may be empty or missing).
    Text,
    /// A whole number.
    Int,
    /// JSON kept as text: nested in the JSON file (less the named secret keys), as text in CSV.
    Json(&'static [&'static str]),
    /// JSON text kept exactly as it is (it is hashed), unless it holds one of the named secret
    /// keys at any depth: then they are taken out and the row is marked [`Kind::Redacted`].
    Hashed(&'static [&'static str]),
    /// 1 when a secret was taken out of the row's [`Kind::Hashed`] text, else 0; not read from
    /// the database, so it must come after the columns the query selects.
    Redacted,
}

/// A PIN hash and its salt, as staff records carry them.
const PIN_SECRETS: &[&str] = &["salt", "pin_hash"];

/// One column: its name, how it is read, and what it means (for the README).
type Column = (&'static str, Kind, &'static str);

/// One exported table.
struct Table {
    /// File name without extension.
    name: &'static str,
    /// What a row is.
    about: &'static str,
    /// `SELECT` of exactly `columns`, `$1` being the owner.
    sql: &'static str,
    columns: &'static [Column],
}

const TABLES: &[Table] = &[
    Table {
        name: "owner",
        about: "You, the account holder (the password is never exported).",
        sql: "SELECT id, email, name, created_at FROM owner WHERE id = $1",
        columns: &[
            ("id", Kind::Text, "Account id (UUID)."),
            ("email", Kind::Text, "E-mail address used to sign in."),
            ("name", Kind::Text, "Name."),
            ("created_at", Kind::Text, "When the account was made (RFC 3339, UTC)."),
        ],
    },
    Table {
        name: "stores",
        about: "Your stores.",
        sql: "SELECT id, settings, payment_settings, version, created_at FROM store
              WHERE owner_id = $1 ORDER BY created_at, id",
        columns: &[
            ("id", Kind::Text, "Store id (UUID)."),
            (
                "settings",
                Kind::Json(&[]),
                "Shop settings as JSON: name, address, phone, registration_number, pricing \
                 (tax_included/tax_excluded), rounding, receipt_footer.",
            ),
            (
                "payment_settings",
                Kind::Json(&[]),
                "Payment settings as JSON, if set: fees (fee rate per method and brand, in basis \
                 points), enabled methods, qr_provider. No provider secret is ever exported.",
            ),
            ("version", Kind::Int, "Change counter that registers sync by."),
            ("created_at", Kind::Text, "When the store was added (RFC 3339, UTC)."),
        ],
    },
    Table {
        name: "staff",
        about: "Staff who sign in at the registers (PINs and their hashes are never exported).",
        sql: "SELECT store_id, id, body, removed, version FROM staff
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1) ORDER BY store_id, id",
        columns: &[
            ("store_id", Kind::Text, "The store."),
            ("id", Kind::Text, "Staff id (UUID)."),
            (
                "body",
                Kind::Json(PIN_SECRETS),
                "The staff member as JSON: id, name, role (owner/cashier).",
            ),
            ("removed", Kind::Int, "1 if removed, else 0."),
            ("version", Kind::Int, "Store version of the last change."),
        ],
    },
    Table {
        name: "items",
        about: "Catalog items.",
        sql: "SELECT store_id, id, position, body, removed, version FROM item
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, position",
        columns: &[
            ("store_id", Kind::Text, "The store."),
            ("id", Kind::Text, "Item id (UUID)."),
            ("position", Kind::Int, "Catalog order."),
            (
                "body",
                Kind::Json(&[]),
                "The item as JSON: name, kana, price (yen), tax_class, category, barcode, color, \
                 open_price, names (the name per language tag, if translated).",
            ),
            ("removed", Kind::Int, "1 if removed, else 0."),
            ("version", Kind::Int, "Store version of the last change."),
        ],
    },
    Table {
        name: "devices",
        about: "Paired registers (their tokens are never exported).",
        sql: "SELECT id, store_id, name, paired_at, revoked_at, last_sync_at, waiting FROM device
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1) ORDER BY paired_at, id",
        columns: &[
            ("id", Kind::Text, "Device id (UUID), carried by every record it made."),
            ("store_id", Kind::Text, "The store."),
            ("name", Kind::Text, "Name given when paired."),
            ("paired_at", Kind::Text, "When it was paired (RFC 3339, UTC)."),
            ("revoked_at", Kind::Text, "When it was revoked, if it was."),
            ("last_sync_at", Kind::Text, "Its last sync, if any."),
            ("waiting", Kind::Int, "Records it said were still waiting to be sent."),
        ],
    },
    Table {
        name: "sales",
        about: "Every sale and refund (refunds have negative amounts).",
        sql: "SELECT id, store_id, device_id, seq, receipt_no, kind, original_id, at,
                     business_date, hour, staff, total, tax, discount, body FROM sale
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, business_date, id",
        columns: &[
            ("id", Kind::Text, "Sale id (UUID), made on the register."),
            ("store_id", Kind::Text, "The store."),
            ("device_id", Kind::Text, "The register."),
            ("seq", Kind::Int, "The register's record sequence number."),
            ("receipt_no", Kind::Int, "The register's receipt number."),
            ("kind", Kind::Text, "sale or refund."),
            ("original_id", Kind::Text, "For a refund, the sale refunded."),
            ("at", Kind::Text, "When (RFC 3339, UTC)."),
            ("business_date", Kind::Text, "Business day (YYYY-MM-DD, Tokyo)."),
            ("hour", Kind::Int, "Hour of the day in Tokyo (0-23)."),
            ("staff", Kind::Text, "Who rang it up."),
            ("total", Kind::Int, "What the customer paid, yen (negative: given back)."),
            ("tax", Kind::Int, "Consumption tax in the total, yen."),
            ("discount", Kind::Int, "Receipt discount, yen."),
            (
                "body",
                Kind::Json(&[]),
                "The whole sale as JSON: cart, receipt (lines and per-rate totals), tenders, \
                 change and the issuer as printed; receipt_token (the e-receipt link's token, \
                 if it has one) and receipt_lang (the receipt's language, if not Japanese).",
            ),
        ],
    },
    Table {
        name: "sale_lines",
        about: "The lines of each sale and refund.",
        sql: "SELECT sale_id, store_id, business_date, line_no, item_id, name, category, qty,
                     amount FROM sale_line
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, business_date, sale_id, line_no",
        columns: &[
            ("sale_id", Kind::Text, "The sale."),
            ("store_id", Kind::Text, "The store."),
            ("business_date", Kind::Text, "Business day (YYYY-MM-DD, Tokyo)."),
            ("line_no", Kind::Int, "Position on the receipt, from 0."),
            ("item_id", Kind::Text, "The catalog item, if rung up from one."),
            ("name", Kind::Text, "As printed."),
            ("category", Kind::Text, "Category."),
            ("qty", Kind::Int, "Quantity (negative on refunds)."),
            (
                "amount",
                Kind::Int,
                "Line amount after its own discount, before the receipt discount, yen.",
            ),
        ],
    },
    Table {
        name: "sale_rates",
        about: "Per tax rate totals of each sale and refund.",
        sql: "SELECT sale_id, store_id, business_date, rate, reduced, gross, net, tax
              FROM sale_rate WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, business_date, sale_id, rate DESC",
        columns: &[
            ("sale_id", Kind::Text, "The sale."),
            ("store_id", Kind::Text, "The store."),
            ("business_date", Kind::Text, "Business day (YYYY-MM-DD, Tokyo)."),
            ("rate", Kind::Int, "Rate in percent (10, 8; 0 for non-taxable goods)."),
            ("reduced", Kind::Int, "1 for the reduced rate, else 0."),
            ("gross", Kind::Int, "Amount including tax, after discounts, yen."),
            ("net", Kind::Int, "Amount excluding tax, yen."),
            ("tax", Kind::Int, "Tax, rounded once per rate, yen."),
        ],
    },
    Table {
        name: "sale_tenders",
        about: "How each sale was paid (or each refund given back).",
        sql: "SELECT sale_id, store_id, business_date, method, brand, amount FROM sale_tender
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, business_date, sale_id, method, brand",
        columns: &[
            ("sale_id", Kind::Text, "The sale."),
            ("store_id", Kind::Text, "The store."),
            ("business_date", Kind::Text, "Business day (YYYY-MM-DD, Tokyo)."),
            (
                "method",
                Kind::Text,
                "Payment method: cash, card, e_money, transit_ic, qr (through the provider's \
                 API), qr_static (the shop's printed code, to reconcile) or voucher.",
            ),
            (
                "brand",
                Kind::Text,
                "The brand within the method (visa, suica, paypay, gift ...); empty for cash \
                 and for sales made before brands were kept.",
            ),
            (
                "amount",
                Kind::Int,
                "Yen kept by this method (cash less change), negative on refunds.",
            ),
        ],
    },
    Table {
        name: "e_receipts",
        about: "The e-receipt link of each sale that has one (the token is in the sale's body; \
                the server looks links up by its hash, which is not exported).",
        sql: "SELECT sale_id, store_id, revoked_at FROM e_receipt
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, sale_id",
        columns: &[
            ("sale_id", Kind::Text, "The sale."),
            ("store_id", Kind::Text, "The store."),
            ("revoked_at", Kind::Text, "When you revoked the link, if you did (RFC 3339, UTC)."),
        ],
    },
    Table {
        name: "formal_receipts",
        about: "Every formal receipt (領収書) the registers issued, reissues included.",
        sql: "SELECT id, store_id, device_id, sale_id, copy, at, body FROM formal_receipt
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, at, id",
        columns: &[
            ("id", Kind::Text, "Formal receipt id (UUID), made on the register."),
            ("store_id", Kind::Text, "The store."),
            ("device_id", Kind::Text, "The register that issued it."),
            ("sale_id", Kind::Text, "The sale it is for."),
            ("copy", Kind::Int, "1 for the first, 2 and up for reissues (printed 再発行)."),
            ("at", Kind::Text, "When it was issued (RFC 3339, UTC)."),
            (
                "body",
                Kind::Json(&[]),
                "The formal receipt as JSON: addressee (宛名), purpose (但し書き), copy, \
                 stamp_duty (the revenue stamp due, yen), lang, staff.",
            ),
        ],
    },
    Table {
        name: "shifts",
        about: "Cashiers' shifts, as last saved.",
        sql: "SELECT id, store_id, device_id, seq, opened_at, closed_at, body FROM shift
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY store_id, opened_at, id",
        columns: &[
            ("id", Kind::Text, "Shift id (UUID)."),
            ("store_id", Kind::Text, "The store."),
            ("device_id", Kind::Text, "The register whose drawer it is."),
            ("seq", Kind::Int, "Sequence number of the record this version came in."),
            ("opened_at", Kind::Text, "When it opened (RFC 3339, UTC)."),
            ("closed_at", Kind::Text, "When it closed, if it has."),
            (
                "body",
                Kind::Json(&[]),
                "The shift as JSON: opening float, cash moves, closing count.",
            ),
        ],
    },
    Table {
        name: "records",
        about: "Every record the registers sent, exactly as they sent it, chained by hash.",
        sql: "SELECT device_id, seq, id, store_id, kind, prev_hash, hash, body, rejection,
                     received_at FROM record
              WHERE store_id IN (SELECT id FROM store WHERE owner_id = $1)
              ORDER BY device_id, seq",
        columns: &[
            ("device_id", Kind::Text, "The register."),
            ("seq", Kind::Int, "Its sequence number (1, 2, 3 ...)."),
            ("id", Kind::Text, "Record id (UUID)."),
            ("store_id", Kind::Text, "The store."),
            (
                "kind",
                Kind::Text,
                "sale, refund, shift, item, item_removed, staff, staff_removed, shop or \
                 formal_receipt.",
            ),
            ("prev_hash", Kind::Text, "Hash of the register's previous record."),
            ("hash", Kind::Text, "SHA-256 of this record (hex)."),
            (
                "body",
                Kind::Hashed(PIN_SECRETS),
                "The record as JSON text, exactly as hashed (kept as text so the hash can be \
                 checked), except that a staff record's PIN salt and hash are taken out.",
            ),
            ("rejection", Kind::Json(&[]), "Why the server refused it, if it did."),
            ("received_at", Kind::Text, "When the server got it (RFC 3339, UTC)."),
            (
                "redacted",
                Kind::Redacted,
                "1 if a PIN's salt and hash were taken out of `body` (its hash then no longer \
                 matches: only the server, which keeps the record whole, can check that row's \
                 chain), else 0.",
            ),
        ],
    },
];

/// Where the files of an export go, one after another.
pub trait Sink: Send {
    /// Starts the file `name`: what is written next goes into it.
    fn start(&mut self, name: &str) -> Result<&mut (dyn Write + Send)>;
}

/// Files in a folder.
#[derive(Debug)]
pub struct Folder {
    dir: PathBuf,
    file: Option<BufWriter<File>>,
}

impl Folder {
    /// Files in `dir`, created if missing.
    pub fn new(dir: &Path) -> Result<Folder> {
        std::fs::create_dir_all(dir).map_err(|err| io(dir, err))?;
        Ok(Folder { dir: dir.to_owned(), file: None })
    }

    /// Writes out the last file.
    pub fn finish(mut self) -> Result<()> {
        self.close()
    }

    fn close(&mut self) -> Result<()> {
        match self.file.take() {
            Some(mut file) => file.flush().map_err(|err| io(&self.dir, err)),
            None => Ok(()),
        }
    }
}

impl Sink for Folder {
    fn start(&mut self, name: &str) -> Result<&mut (dyn Write + Send)> {
        self.close()?;
        let path = self.dir.join(name);
        let file = File::create(&path).map_err(|err| io(&path, err))?;
        Ok(self.file.insert(BufWriter::new(file)))
    }
}

impl<W: Write + Seek + Send> Sink for zip::ZipWriter<W> {
    fn start(&mut self, name: &str) -> Result<&mut (dyn Write + Send)> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        self.start_file(name, options).map_err(internal)?;
        Ok(self)
    }
}

/// Writes one owner's export into `sink`: each table as `.json` and `.csv`, then `README.md`.
/// Rows are streamed from the database, so a large shop network's history never has to fit
/// in memory.
pub async fn write(db: &Db, owner_id: &str, sink: &mut dyn Sink) -> Result<()> {
    for table in TABLES {
        let out = sink.start(&format!("{}.json", table.name))?;
        let mut rows = sqlx::query(table.sql).bind(owner_id).fetch(&db.pool);
        out.write_all(b"[").map_err(internal)?;
        let mut first = true;
        while let Some(row) = rows.next().await {
            let (object, _) = read_row(&row?, table.columns)?;
            out.write_all(if first { b"\n" } else { b",\n" }).map_err(internal)?;
            serde_json::to_writer(&mut *out, &Value::Object(object))?;
            first = false;
        }
        out.write_all(b"\n]\n").map_err(internal)?;
        drop(rows);

        let out = sink.start(&format!("{}.csv", table.name))?;
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(table.columns.iter().map(|(name, _, _)| *name)).map_err(internal)?;
        let mut rows = sqlx::query(table.sql).bind(owner_id).fetch(&db.pool);
        while let Some(row) = rows.next().await {
            let (_, cells) = read_row(&row?, table.columns)?;
            csv.write_record(&cells).map_err(internal)?;
        }
        csv.flush().map_err(internal)?;
    }
    sink.start("README.md")?.write_all(readme().as_bytes()).map_err(internal)?;
    Ok(())
}

fn internal(err: impl std::fmt::Display) -> Error {
    Error::Internal(err.to_string())
}

fn io(path: &Path, err: std::io::Error) -> Error {
    Error::Internal(format!("{}: {err}", path.display()))
}

/// A row as a JSON object and as CSV cells.
fn read_row(row: &AnyRow, columns: &[Column]) -> Result<(Map<String, Value>, Vec<String>)> {
    let mut object = Map::new();
    let mut cells = Vec::with_capacity(columns.len());
    let mut redacted = false;
    for (i, (name, kind, _)) in columns.iter().enumerate() {
        let value = match kind {
            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map_or(Value::Null, Value::from),
            Kind::Text => row.try_get::<Option<String>, _>(i)?.map_or(Value::Null, Value::from),
            Kind::Json(secret) => match row.try_get::<Option<String>, _>(i)? {
                None => Value::Null,
                Some(text) => {
                    let mut value: Value = serde_json::from_str(&text)?;
                    if let Value::Object(map) = &mut value {
                        for key in *secret {
                            map.remove(*key);
                        }
                    }
                    value
                }
            },
            Kind::Hashed(secret) => match row.try_get::<Option<String>, _>(i)? {
                None => Value::Null,
                Some(text) => {
                    let mut value: Value = serde_json::from_str(&text)?;
                    if remove_keys(&mut value, secret) {
                        redacted = true;
                        Value::from(value.to_string())
                    } else {
                        Value::from(text)
                    }
                }
            },
            Kind::Redacted => Value::from(i64::from(redacted)),
        };
        cells.push(match &value {
            Value::Null => String::new(),
            Value::String(text) => guard_csv_cell(text).into_owned(),
            other => other.to_string(),
        });
        object.insert((*name).to_owned(), value);
    }
    Ok((object, cells))
}

/// Takes the `keys` out of every object in `value`, however deep; true if any was there.
fn remove_keys(value: &mut Value, keys: &[&str]) -> bool {
    match value {
        Value::Object(map) => {
            let mut found = false;
            for key in keys {
                found |= map.remove(*key).is_some();
            }
            map.values_mut().fold(found, |found, inner| remove_keys(inner, keys) | found)
        }
        Value::Array(items) => {
            items.iter_mut().fold(false, |found, inner| remove_keys(inner, keys) | found)
        }
        _ => false,
    }
}

/// What the files are and what every column means.
fn readme() -> String {
    let mut text = String::from(
        "# Akinai export\n\nEverything your stores keep on the Akinai server. Each table is \
         here twice: as JSON (`name.json`, an array of objects) and as CSV (`name.csv`, UTF-8 \
         with a header row). Money is whole yen; times are RFC 3339 in UTC; business days are \
         dates in Tokyo. Sales are never edited or deleted: a refund is its own row with \
         negative amounts. Passwords, PINs, PIN hashes and device tokens are not included: \
         staff records sent by registers have their PIN salt and hash taken out (see \
         `records.redacted`). In the CSV files, a text cell that starts with =, +, -, @, a tab \
         or a carriage return has a ' put in front, so that a spreadsheet shows it as text \
         instead of running it as a formula; numbers are written as they are.\n",
    );
    for table in TABLES {
        text.push_str(&format!(
            "\n## {0}.json, {0}.csv\n\n{1}\n\n| column | meaning |\n|---|---|\n",
            table.name, table.about
        ));
        for (name, _, about) in table.columns {
            text.push_str(&format!("| `{name}` | {about} |\n"));
        }
    }
    text
}

/// What the export is packed as.
#[derive(Clone, Copy, Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// A zip file.
    Zip,
}

/// `GET /api/v1/export` parameters.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// Only `zip` (the default).
    #[param(inline)]
    pub format: Option<ExportFormat>,
}

/// `GET /api/v1/export?format=zip`: the owner's export as a zip download.
#[utoipa::path(get, path = "/api/v1/export", operation_id = "export", tag = "export",
    security(("owner" = []), ("owner_cookie" = [])),
    params(ExportQuery),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>,
            description = "Every table of the owner's data as JSON and CSV, with README.md"),
        (status = 400, body = ErrorBody, description = "A format other than `zip`")))]
pub async fn download(
    State(state): State<AppState>,
    owner: OwnerSession,
    query: std::result::Result<Query<ExportQuery>, QueryRejection>,
) -> Result<impl IntoResponse> {
    // Zip is the one format: reading the query is the whole check.
    let Query(_) =
        query.map_err(|err| Error::BadRequest { field: "format", message: err.body_text() })?;
    // The zip is built in a file that is unlinked at once: nothing of it outlives the
    // request, and it is streamed back from the open handle.
    let path = std::env::temp_dir().join(format!("akinai-export-{}.zip", uuid::Uuid::new_v4()));
    let file = File::options()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|err| io(&path, err))?;
    let _ = std::fs::remove_file(&path);
    let mut zip = zip::ZipWriter::new(file);
    write(&state.db, &owner.owner_id, &mut zip).await?;
    let mut file = zip.finish().map_err(internal)?;
    let length =
        file.seek(SeekFrom::Start(0)).and_then(|_| file.metadata()).map_err(internal)?.len();
    let (chunks, body) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(4);
    tokio::task::spawn_blocking(move || {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let read = match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => Ok(buffer[..n].to_vec()),
                Err(err) => Err(err),
            };
            let failed = read.is_err();
            // A closed channel means the client went away: stop reading.
            if chunks.blocking_send(read).is_err() || failed {
                break;
            }
        }
    });
    let name = format!("akinai-export-{}.zip", akinai_core::tokyo_date(chrono::Utc::now()));
    Ok((
        [
            (CONTENT_TYPE, "application/zip".to_owned()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (CONTENT_LENGTH, length.to_string()),
        ],
        Body::from_stream(ReceiverStream::new(body)),
    ))
}

/// Writes each owner's files (or only the owner with e-mail `only`) under `out/<email>/`;
/// answers the folders written.
pub async fn write_dirs(db: &Db, out: &Path, only: Option<&str>) -> Result<Vec<PathBuf>> {
    let owners: Vec<(String, String)> = match only {
        Some(email) => {
            sqlx::query_as("SELECT id, email FROM owner WHERE email = $1")
                .bind(email)
                .fetch_all(&db.pool)
                .await?
        }
        None => {
            sqlx::query_as("SELECT id, email FROM owner ORDER BY email").fetch_all(&db.pool).await?
        }
    };
    if only.is_some() && owners.is_empty() {
        return Err(Error::BadRequest {
            field: "owner",
            message: "no owner has this e-mail address".to_owned(),
        });
    }
    let mut written = Vec::new();
    for (owner_id, email) in owners {
        // The address names a folder: it must stay one folder inside `out`.
        if email.is_empty() || email.starts_with('.') || email.contains(['/', '\\', '\0']) {
            return Err(Error::Internal(format!("e-mail {email:?} cannot name a folder")));
        }
        let dir = out.join(&email);
        let mut folder = Folder::new(&dir)?;
        write(db, &owner_id, &mut folder).await?;
        folder.finish()?;
        written.push(dir);
    }
    Ok(written)
}

/// The owner's export.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(download))
}
