//! Akinai's domain, shared by the tablet app and the server so that a receipt computed on
//! either can never disagree.
//!
//! - [`money`]: whole yen, and amounts as people type them.
//! - [`name`]: names as people type them.
//! - [`tax`]: tax classes, dining and pricing modes, rounding, and the dated rate table —
//!   where "8% on take-out food" is decided.
//! - [`cart`]: a validated cart of sale lines with discounts.
//! - [`receipt`]: the computed receipt (per-rate totals, one rounding per rate) and its reversal.
//! - [`quote`]: the JSON contract of `akinai quote`.
//! - [`payment`]: payment methods, tenders and the change rule.
//! - [`sale`]: completed sales and refunds, and what is left to refund.
//! - [`ledger`]: what a sale or refund adds to the books, for the shift report and the server.
//! - [`romaji`]: kana in Latin letters (Hepburn), for item names visitors can read.
//! - [`shop`]: the shop's settings and registration number.
//! - [`staff`]: staff, PINs, sign-in and the staff rules (PIN unique, at least one owner).
//! - [`stamp`]: the revenue-stamp (収入印紙) rule of the formal 領収書.
//! - [`formal`]: the formal 領収書 issued for a sale (宛名, 但し書き, stamp duty).
//! - [`ereceipt`]: e-receipt tokens (minted offline, signed with the device's key) for receipt QR codes.
//! - [`api`]: the HTTP API's bodies and error codes, shared by the server and the app.

pub mod api;
pub mod cart;
pub mod catalog;
pub mod ereceipt;
pub mod error;
pub mod formal;
pub mod ledger;
pub mod money;
pub mod name;
pub mod payment;
pub mod quote;
pub mod receipt;
pub mod romaji;
pub mod sale;
pub mod shift;
pub mod shop;
pub mod staff;
pub mod stamp;
pub mod sync;
pub mod tax;
#[cfg(test)]
mod testing;

pub use error::{Error, Field, Result};
pub use money::Yen;

/// Japan's time zone, Asia/Tokyo: UTC+9 all year, with no daylight saving since 1951.
pub const TOKYO: chrono::FixedOffset = match chrono::FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+9 is a valid offset"),
};

/// The calendar day in Tokyo at the instant `now`. Sales are dated by it, whatever the device's
/// or the server's own time zone.
pub fn tokyo_date(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    now.with_timezone(&TOKYO).date_naive()
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};

    #[test]
    fn the_tokyo_day_starts_at_15_utc() {
        let day = |h| super::tokyo_date(Utc.with_ymd_and_hms(2026, 11, 22, h, 0, 0).unwrap());
        assert_eq!(day(14), NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        assert_eq!(day(15), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
    }
}
