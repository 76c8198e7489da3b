//! The HTTP API's bodies (docs/api.md), declared once for the server and the app. With the
//! `openapi` feature (the server's) each derives its OpenAPI schema; the app leaves it off.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ledger::TaxBucket;
use crate::money::Yen;
use crate::payment::PaymentMethod;
use crate::shop::ShopSettings;
use crate::staff::Role;

/// Declares [`ErrorCode`] and its list of every code, so the list cannot miss one.
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $code:ident = $word:literal,)*) => {
        /// A refusal's stable machine code: the app translates it; the English `error` beside it
        /// is for people reading logs.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $code,)*
        }

        impl ErrorCode {
            /// Every code, for the tests that each has a message in every language.
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$code,)*];

            /// The code as written on the wire (`email_taken`), which also names its message.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$code => $word,)*
                }
            }
        }
    };
}

codes! {
    /// The body is not JSON at all.
    Malformed = "malformed",
    /// A field is missing, has the wrong type or an impossible value.
    Invalid = "invalid",
    /// A value is not one of the allowed words.
    UnknownValue = "unknown_value",
    /// A quantity, price or discount below zero.
    Negative = "negative",
    /// A discount above the amount it applies to.
    DiscountTooLarge = "discount_too_large",
    /// An amount too large to compute with.
    TooLarge = "too_large",
    /// A date that is not `YYYY-MM-DD`.
    InvalidDate = "invalid_date",
    /// A sale with no lines.
    EmptySale = "empty_sale",
    /// The tenders do not cover the total.
    TenderShort = "tender_short",
    /// Change is due but no cash was tendered.
    ChangeWithoutCash = "change_without_cash",
    /// A refund asks for more than is left to refund.
    RefundTooMuch = "refund_too_much",
    /// A refund that gives nothing back.
    NothingToRefund = "nothing_to_refund",
    /// A refund cannot be refunded.
    NotRefundable = "not_refundable",
    /// Another staff member of the store already has this PIN.
    PinTaken = "pin_taken",
    /// The shift is already closed.
    ShiftClosed = "shift_closed",
    /// A registration number that is not T and 13 digits.
    InvalidRegistrationNumber = "invalid_registration_number",
    /// A PIN that is not 4 to 6 digits.
    InvalidPin = "invalid_pin",
    /// A name left empty.
    NameNeeded = "name_needed",
    /// Typed text that is not a whole number of yen.
    NotAnAmount = "not_an_amount",
    /// No consumption tax rate is in force on the date.
    NoRate = "no_rate",
    /// A catalog CSV file is neither UTF-8 nor Shift_JIS text.
    CsvEncoding = "csv_encoding",
    /// A catalog CSV row is not readable as CSV.
    CsvRead = "csv_read",
    /// A catalog CSV file is empty.
    CsvEmpty = "csv_empty",
    /// A catalog CSV header lacks a required column.
    CsvMissingColumn = "csv_missing_column",
    /// A catalog CSV header names a column twice.
    CsvDuplicateColumn = "csv_duplicate_column",
    /// A catalog CSV row has more cells than the header has columns.
    CsvExtraCells = "csv_extra_cells",
    /// A catalog CSV cell is not valid for its column.
    CsvCell = "csv_cell",
    /// A catalog CSV row is the same item as an earlier row.
    CsvDuplicateRow = "csv_duplicate_row",
    /// A catalog CSV file has more rows than one import takes.
    CsvTooManyRows = "csv_too_many_rows",
    /// A query or path parameter is missing or impossible.
    BadParameter = "bad_parameter",
    /// The body is larger than the server takes.
    BodyTooLarge = "body_too_large",
    /// Nothing is there, or it belongs to someone else.
    NotFound = "not_found",
    /// No valid session or device token.
    Unauthorized = "unauthorized",
    /// Wrong e-mail address or password.
    WrongCredentials = "wrong_credentials",
    /// Signed in, but not allowed to do this.
    Forbidden = "forbidden",
    /// This e-mail address already has an account.
    EmailTaken = "email_taken",
    /// The store's last owner-role staff member must stay.
    LastOwner = "last_owner",
    /// The pairing code is unknown, used or expired.
    PairingCodeRefused = "pairing_code_refused",
    /// The device is already paired.
    DeviceAlreadyPaired = "device_already_paired",
    /// Too many attempts; try again later.
    TooManyAttempts = "too_many_attempts",
    /// A state-changing request from another site, or not sent as JSON by the app.
    CrossSite = "cross_site",
    /// The server is at its limit of work at once; try again shortly (`Retry-After`).
    Busy = "busy",
    /// The request took longer than the server gives one.
    TimedOut = "timed_out",
    /// The owner has as many live-event streams open as the server allows.
    TooManyStreams = "too_many_streams",
    /// More of something than one record may hold (lines of a sale, picks of a refund).
    TooMany = "too_many",
    /// A synced record's id was already sent by another device.
    IdTaken = "id_taken",
    /// A synced sale is dated after tomorrow.
    SaleInFuture = "sale_in_future",
    /// A synced sale names another registration number than the store's.
    IssuerMismatch = "issuer_mismatch",
    /// Only the owner changes the shop's name, registration number and address.
    IssuerOwnerOnly = "issuer_owner_only",
    /// A refund tender gives back more than is left of the sale's tender it goes through.
    RefundTenderTooMuch = "refund_tender_too_much",
    /// A refund tender names no tender of the sale, or one paid another way.
    RefundWrongTender = "refund_wrong_tender",
    /// A QR tender without a completed payment (or accepted refund) of the provider.
    PaymentUnconfirmed = "payment_unconfirmed",
    /// The provider's payment is already bound to another sale.
    PaymentUsed = "payment_used",
    /// The same payment id came with another amount or mode.
    PaymentMismatch = "payment_mismatch",
    /// No QR payment provider is set up for the store.
    ProviderNotConfigured = "provider_not_configured",
    /// The provider refused the payment or refund.
    ProviderRefused = "provider_refused",
    /// The provider cannot be reached, or its answer stayed unknown.
    ProviderUnavailable = "provider_unavailable",
    /// The provider's payment was already refunded once.
    ProviderRefundLimit = "provider_refund_limit",
    /// The stored provider secrets cannot be opened with the server's key.
    SecretsLocked = "secrets_locked",
    /// The server failed; the details are in its log.
    Internal = "internal",
}

impl ErrorCode {
    /// [`ErrorCode::Invalid`], for serde defaults.
    pub fn invalid() -> ErrorCode {
        ErrorCode::Invalid
    }
}

impl crate::Error {
    /// The machine code of this error, sent beside its field.
    pub fn code(&self) -> ErrorCode {
        use crate::Error as E;
        match self {
            E::Malformed { .. } => ErrorCode::Malformed,
            E::Invalid { .. } => ErrorCode::Invalid,
            E::UnknownValue { .. } => ErrorCode::UnknownValue,
            E::Negative { .. } => ErrorCode::Negative,
            E::DiscountTooLarge { .. } => ErrorCode::DiscountTooLarge,
            E::TooLarge { .. } => ErrorCode::TooLarge,
            E::TooMany { .. } => ErrorCode::TooMany,
            E::InvalidDate { .. } => ErrorCode::InvalidDate,
            E::EmptySale => ErrorCode::EmptySale,
            E::TenderShort { .. } => ErrorCode::TenderShort,
            E::ChangeWithoutCash { .. } => ErrorCode::ChangeWithoutCash,
            E::RefundTooMuch { .. } => ErrorCode::RefundTooMuch,
            E::RefundTenderTooMuch { .. } => ErrorCode::RefundTenderTooMuch,
            E::RefundWrongTender { .. } => ErrorCode::RefundWrongTender,
            E::NothingToRefund => ErrorCode::NothingToRefund,
            E::NotRefundable => ErrorCode::NotRefundable,
            E::PinTaken => ErrorCode::PinTaken,
            E::LastOwner => ErrorCode::LastOwner,
            E::NameNeeded { .. } => ErrorCode::NameNeeded,
            E::NotAnAmount { .. } => ErrorCode::NotAnAmount,
            E::ShiftClosed => ErrorCode::ShiftClosed,
            E::InvalidRegistrationNumber { .. } => ErrorCode::InvalidRegistrationNumber,
            E::InvalidPin { .. } => ErrorCode::InvalidPin,
            E::NoRate { .. } => ErrorCode::NoRate,
            E::CsvEncoding { .. } => ErrorCode::CsvEncoding,
            E::CsvRead { .. } => ErrorCode::CsvRead,
            E::CsvEmpty => ErrorCode::CsvEmpty,
            E::CsvMissingColumn { .. } => ErrorCode::CsvMissingColumn,
            E::CsvDuplicateColumn { .. } => ErrorCode::CsvDuplicateColumn,
            E::CsvExtraCells { .. } => ErrorCode::CsvExtraCells,
            E::CsvCell { .. } => ErrorCode::CsvCell,
            E::CsvDuplicateRow { .. } => ErrorCode::CsvDuplicateRow,
            E::CsvTooManyRows { .. } => ErrorCode::CsvTooManyRows,
        }
    }
}

/// What every refusal answers with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// What is wrong, for programs and translations.
    pub code: ErrorCode,
    /// What is wrong, in English, for people reading logs.
    pub error: String,
    /// The field of the request it is about, when there is one (`lines[0].qty`, `email`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// `GET /health`'s answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok`.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// `POST /owner/signup`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUp {
    /// E-mail address: one `@`, a dotted domain, no spaces (printable ASCII here).
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = r"^[!-?A-~]+@[!--/-?A-~]+(\.[!--/-?A-~]+)+$")
    )]
    pub email: String,
    /// The owner's name: not only spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// At least 10 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 10))]
    pub password: String,
}

/// `POST /owner/signin`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignIn {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `PUT /owner/password`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    /// The password now.
    pub current_password: String,
    /// The new password: at least 10 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 10))]
    pub new_password: String,
}

/// An owner as the API shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Owner {
    /// The owner's id.
    pub id: Uuid,
    /// Their e-mail address (normalised: trimmed, lower-case).
    pub email: String,
    /// Their name.
    pub name: String,
}

/// The answer to a sign-up or sign-in; the token is also set as the session cookie.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedIn {
    /// Who signed in.
    pub owner: Owner,
    /// The session token, for `Authorization: Bearer`.
    pub token: String,
}

/// A store as the owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Store {
    /// The store's id.
    pub id: Uuid,
    /// Its settings.
    pub settings: ShopSettings,
    /// Its version: every change moves it on.
    pub version: u64,
}

/// A staff member as the owner sees them: no salt, no hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    /// Id.
    pub id: Uuid,
    /// Name.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// `POST /staff`'s body: a new member, with the PIN they sign in with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStaff {
    /// Name shown on receipts and reports: not only spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// 4 to 6 digits.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,6}$"))]
    pub pin: String,
}

/// `PUT /staff/{id}`'s body: the old PIN stays unless a new one is given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffEdit {
    /// Name shown on receipts and reports: not only spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// 4 to 6 digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9]{4,6}$"))]
    pub pin: Option<String>,
}

/// What a catalog CSV import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    /// Rows that became new items.
    pub added: u64,
    /// Rows that changed an existing item.
    pub updated: u64,
}

/// A new pairing code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairingCode {
    /// `XXXX-XXXX`.
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// An SVG QR code of `<origin>/pair?code=<code>`, for the tablet's camera.
    pub qr_svg: String,
}

/// A one-time code for pairing a tablet with the demo store (a server started with `--demo`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoPairingCode {
    /// The code, for `POST /pair`.
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// `POST /pair`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PairRequest {
    /// The code the owner was shown (case and dash do not matter).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub code: String,
    /// A name for the device, like "Counter 1": not only spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
    /// The id the device made for itself, which its records carry.
    pub device_id: Uuid,
}

/// A device and how its sync stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeviceStatus {
    /// The device's id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// When it was paired.
    pub paired_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// When it last synced, if it has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<DateTime<Utc>>,
    /// The highest sequence number the server holds from it (0: none).
    pub last_seq: u64,
    /// How many records it last said it had waiting.
    pub waiting: u64,
    /// Sequence numbers missing before `last_seq`, as `[from, to]` ranges.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<u64>>))]
    pub gaps: Vec<(u64, u64)>,
    /// How many of its records the server refused.
    pub rejected: u64,
}

/// `PATCH /devices/{device}`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rename {
    /// The new name: not only spaces.
    #[cfg_attr(feature = "openapi", schema(pattern = r"\S"))]
    pub name: String,
}

/// Sales figures over business days, as `GET /figures` answers them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// First business day.
    pub from: NaiveDate,
    /// Last business day.
    pub to: NaiveDate,
    /// The one store asked about, or none for all.
    pub store: Option<Uuid>,
    /// Totals of sales and refunds (refunds are negative).
    pub gross: Yen,
    /// Their tax.
    pub tax: Yen,
    /// Gross less tax.
    pub net: Yen,
    /// How many sales (refunds not counted).
    pub receipts: u64,
    /// Gross per receipt, rounded down.
    pub average: Yen,
    /// Refunds.
    pub refunds: Refunds,
    /// Per tax rate, highest first; the non-taxable part last.
    pub rates: Vec<RateFigure>,
    /// Per Tokyo hour, all 24.
    pub hours: Vec<HourFigure>,
    /// Per tender (method and brand), what was kept (cash less change), largest first.
    pub payments: Vec<PaymentFigure>,
    /// What static-QR tenders took, which no provider confirmed (要照合).
    #[serde(default)]
    pub to_reconcile: Yen,
    /// The best-selling items by amount.
    pub top_items: Vec<TopItem>,
    /// Per store.
    pub stores: Vec<StoreFigure>,
    /// The same days a week earlier.
    pub compare: Compare,
}

/// Refunds in the range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Refunds {
    /// How many.
    pub count: u64,
    /// Their total (negative).
    pub amount: Yen,
}

/// One tax rate's totals, or the non-taxable part's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateFigure {
    /// The rate, or the non-taxable part.
    pub bucket: TaxBucket,
    /// Including tax.
    pub gross: Yen,
    /// Excluding tax.
    pub net: Yen,
    /// The tax.
    pub tax: Yen,
}

/// One hour of the day (Tokyo).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HourFigure {
    /// 0 to 23.
    pub hour: u8,
    /// Totals of sales and refunds.
    pub gross: Yen,
    /// Sales.
    pub receipts: u64,
}

/// What one tender (method and brand) brought in, and what the provider's fee leaves of it.
/// The fields after `amount` default, so figures an owner's phone kept from before still read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentFigure {
    /// The method.
    pub method: PaymentMethod,
    /// The brand word (`visa`, `paypay`), or `""` (cash; sales synced before brands were kept).
    #[serde(default)]
    pub brand: String,
    /// Yen kept.
    pub amount: Yen,
    /// The fee the store's rate for it takes from `amount`, rounded down (an estimate).
    #[serde(default)]
    pub fee: Yen,
    /// `amount` less `fee`: the deposit to expect (入金見込み).
    #[serde(default)]
    pub deposit: Yen,
}

/// A best seller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopItem {
    /// As printed on receipts.
    pub name: String,
    /// Quantity sold less quantity refunded.
    pub qty: i64,
    /// Line amounts (before receipt discounts), less refunds.
    pub amount: Yen,
}

/// One store's totals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoreFigure {
    /// The store.
    pub id: Uuid,
    /// Its trading name.
    pub name: String,
    /// Totals of sales and refunds.
    pub gross: Yen,
    /// Sales.
    pub receipts: u64,
}

/// The comparison period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Compare {
    /// First business day.
    pub from: NaiveDate,
    /// Last business day.
    pub to: NaiveDate,
    /// Totals of sales and refunds.
    pub gross: Yen,
    /// Sales.
    pub receipts: u64,
}

/// Sale or refund, as the sales list names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SaleKindName {
    /// A sale.
    Sale,
    /// A refund of an earlier sale.
    Refund,
}

/// A line of the sales list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaleSummary {
    /// The sale.
    pub id: Uuid,
    /// Its store.
    pub store_id: Uuid,
    /// The device that rang it up.
    pub device_id: Uuid,
    /// The device's receipt number.
    pub receipt_no: u64,
    /// Sale or refund.
    pub kind: SaleKindName,
    /// When.
    pub at: DateTime<Utc>,
    /// Who rang it up.
    pub staff: String,
    /// Total (negative for refunds).
    pub total: Yen,
    /// Tax.
    pub tax: Yen,
}

/// What a live event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Sales or refunds landed.
    Sale,
    /// A device synced.
    Device,
}

impl EventKind {
    /// The server-sent event's name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Sale => "sale",
            EventKind::Device => "device",
        }
    }
}

/// One happening in one store, as `GET /events` sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEvent {
    /// The store.
    pub store_id: Uuid,
    /// The device it came from.
    pub device_id: Uuid,
    /// What happened.
    pub kind: EventKind,
    /// How many records landed.
    pub count: u64,
}

/// How a QR payment is taken: the shop shows a code, or scans the customer's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentMode {
    /// The register shows the provider's code and the customer scans it.
    ShopQr,
    /// The register scans the code on the customer's phone.
    CustomerCode,
}

/// `POST /payments`'s body: start a QR payment through the store's provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentStart {
    /// The tender's id, made on the register (UUID v7); the provider's merchantPaymentId.
    pub id: Uuid,
    /// The sale it is for (made on the register, not yet synced).
    pub sale_id: Uuid,
    /// How much (more than zero).
    pub amount: Yen,
    /// Shop-shown code or customer code.
    pub mode: PaymentMode,
    /// The customer's scanned code, for `customer_code`.
    #[serde(default)]
    pub customer_code: Option<String>,
}

/// Where a QR payment stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PaymentState {
    /// The server is asking the provider for a code.
    Creating,
    /// The code is shown; the customer has not paid yet.
    Pending,
    /// Paid: the tender may go into the sale.
    Completed,
    /// Declined or refused.
    Failed,
    /// The code expired unpaid.
    Expired,
    /// Being called off with the provider.
    Cancelling,
    /// Called off.
    Cancelled,
    /// The provider's answer stayed unknown; the owner must check.
    Unknown,
}

/// The QR code a register shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QrShown {
    /// What the code encodes (the provider's payment URL).
    pub payload: String,
    /// The code as an SVG image.
    pub svg: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// Seconds left when this answer was made, for the countdown.
    pub expires_in_s: u32,
}

/// A QR payment as the server answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    /// The tender's id (merchantPaymentId).
    pub id: Uuid,
    /// Where it stands.
    pub state: PaymentState,
    /// How much.
    pub amount: Yen,
    /// The provider's brand word (`paypay`).
    pub brand: String,
    /// The code to show, while pending.
    pub qr: Option<QrShown>,
    /// Why it failed, when it did.
    pub error: Option<ErrorCode>,
    /// The provider's own result code, for the log and support.
    pub detail: Option<String>,
}

/// `POST /payments/{id}/refunds`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundStart {
    /// The refund tender's id, made on the register; the provider's merchantRefundId.
    pub refund_id: Uuid,
    /// How much goes back (more than zero).
    pub amount: Yen,
}

/// Where a QR refund stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RefundState {
    /// Sent, no answer yet.
    Pending,
    /// The provider took it.
    Accepted,
    /// The provider refused it.
    Failed,
    /// The provider's answer stayed unknown.
    Unknown,
}

/// A QR refund as the server answers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentRefund {
    /// The refund's id (merchantRefundId).
    pub refund_id: Uuid,
    /// The payment refunded.
    pub payment_id: Uuid,
    /// Where it stands.
    pub state: RefundState,
    /// How much goes back (positive).
    pub amount: Yen,
    /// Why it failed, when it did.
    pub error: Option<ErrorCode>,
}

/// Which provider environment a store's QR payments go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProviderEnv {
    /// Real money.
    Production,
    /// The provider's test environment.
    Sandbox,
    /// Akinai's own stand-in (`akinai stand-in paypay`), for demos and tests.
    StandIn,
}

/// `PUT /stores/{store}/providers/paypay`'s body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderSetup {
    /// The API key.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[!-~]{1,128}$"))]
    pub api_key: String,
    /// The API secret; stored sealed, never shown again.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[!-~]{1,256}$"))]
    pub api_secret: String,
    /// The merchant id, for a key that acts for several merchants.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(pattern = "^[!-~]{0,64}$"))]
    pub merchant_id: Option<String>,
    /// Where the payments go.
    pub environment: ProviderEnv,
    /// The stand-in's address (`stand_in` only).
    #[serde(default)]
    pub base_url: Option<String>,
}

/// A store's provider as the owner sees it: never the secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderInfo {
    /// The provider (`paypay`).
    pub provider: String,
    /// True when set up and its secret can be opened.
    pub configured: bool,
    /// Where the payments go.
    pub environment: ProviderEnv,
    /// The API key's last four characters.
    pub api_key_hint: String,
    /// The merchant id, if set.
    pub merchant_id: Option<String>,
}

/// A sale's e-receipt link, as its owner sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EReceiptInfo {
    /// The link the receipt's QR code carries: the server's origin, `/r/` and the token.
    pub url: String,
    /// When the owner revoked it, if they did: the link then answers 404 for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_written_as_serde_writes_them() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_value(code).unwrap();
            assert_eq!(json, serde_json::Value::String(code.as_str().to_owned()));
            assert_eq!(serde_json::from_value::<ErrorCode>(json).unwrap(), *code);
        }
        assert_eq!(ErrorCode::EmailTaken.as_str(), "email_taken");
    }

    #[test]
    fn every_domain_error_has_its_own_code() {
        let field = crate::Field::top("x");
        assert_eq!(crate::Error::PinTaken.code(), ErrorCode::PinTaken);
        assert_eq!(crate::Error::Negative { field }.code(), ErrorCode::Negative);
    }
}
