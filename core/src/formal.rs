//! The formal 領収書: a receipt issued for a sale with the customer's name (宛名) and what it
//! was for (但し書き), on top of the register's receipt.
//!
//! Each issue, the first and every reprint, is its own immutable record synced like a sale
//! and kept as long: the shop can show which 領収書 it wrote, how often, and with which stamp.
//! The stamp duty is decided once, at issue ([`crate::stamp::judge`]), and kept for reprints.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::money::Yen;
use crate::name::is_language_tag;
use crate::sale::{Sale, SaleContext};
use crate::stamp;

/// The 但し書き printed when the cashier leaves it empty: "for goods".
pub const DEFAULT_PURPOSE: &str = "お品代";

/// The longest 宛名, in characters: a long company name with its branch.
pub const MAX_ADDRESSEE_CHARS: usize = 40;

/// The longest 但し書き, in characters (what Airレジ allows).
pub const MAX_PURPOSE_CHARS: usize = 30;

/// One issue of a 領収書 for a sale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormalReceipt {
    /// Made on the device (UUID v7); the outbox entry has the same id.
    pub id: Uuid,
    /// The sale it is for (never a refund).
    pub sale_id: Uuid,
    /// The device that issued it: the sale's own.
    pub device_id: Uuid,
    /// When it was issued, in Tokyo time.
    pub at: DateTime<FixedOffset>,
    /// Who issued it.
    pub staff: String,
    /// The 宛名 as typed, trimmed; empty prints 上様.
    pub addressee: String,
    /// The 但し書き, trimmed; never empty ([`DEFAULT_PURPOSE`] when nothing was typed).
    pub purpose: String,
    /// 1 for the first issue; 2 and more are printed 再発行.
    pub copy: u32,
    /// The revenue-stamp duty shown in the stamp box, 0 for none: [`stamp::judge`] at issue.
    pub stamp_duty: Yen,
    /// The language it is written in (a tag such as `zh-Hant`); `None` for Japanese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
}

impl FormalReceipt {
    /// Issues copy `copy` (1 for the first) of the 領収書 of `sale` to `addressee` for
    /// `purpose` (both trimmed; an empty purpose is [`DEFAULT_PURPOSE`]), in `lang`, with the
    /// record id, device, time and staff of `ctx`. Refused as [`FormalReceipt::check`] refuses.
    pub fn issue(
        ctx: &SaleContext,
        sale: &Sale,
        addressee: &str,
        purpose: &str,
        copy: u32,
        lang: Option<String>,
    ) -> Result<FormalReceipt> {
        let purpose = match purpose.trim() {
            "" => DEFAULT_PURPOSE,
            typed => typed,
        };
        let issue = FormalReceipt {
            id: ctx.id,
            sale_id: sale.id,
            device_id: ctx.device_id,
            at: ctx.at.with_timezone(&crate::TOKYO),
            staff: ctx.staff.clone(),
            addressee: addressee.trim().to_owned(),
            purpose: purpose.to_owned(),
            copy,
            stamp_duty: stamp::judge(sale).duty,
            lang,
        };
        issue.check(sale)?;
        Ok(issue)
    }

    /// The rules every issue keeps, on the device and when the server takes it: it is for
    /// `sale`, which is a sale (not a refund) of the same device; a copy number from 1; a 宛名
    /// and a 但し書き trimmed and within their lengths, the 但し書き not empty; a well-formed
    /// language tag; and the stamp duty the rule gives for the sale. Each refusal names its
    /// field.
    pub fn check(&self, sale: &Sale) -> Result<()> {
        let refuse = |field: &str, detail: &str| {
            Err(Error::Invalid { field: Field::top(field), detail: detail.to_owned() })
        };
        if sale.id != self.sale_id {
            return refuse("sale_id", "not the sale this 領収書 is for");
        }
        if sale.is_refund() {
            return refuse("sale_id", "a refund gets no 領収書");
        }
        if sale.device_id != self.device_id {
            return refuse("device_id", "a 領収書 is issued by the register that made the sale");
        }
        if self.copy == 0 {
            return refuse("copy", "copies count from 1");
        }
        if !fits(&self.addressee, MAX_ADDRESSEE_CHARS) {
            return refuse("addressee", "trimmed, at most 40 characters");
        }
        if self.purpose.is_empty() || !fits(&self.purpose, MAX_PURPOSE_CHARS) {
            return refuse("purpose", "trimmed, 1 to 30 characters");
        }
        if self.lang.as_deref().is_some_and(|lang| !is_language_tag(lang)) {
            return refuse("lang", "a language tag such as en, ko or zh-Hant");
        }
        if self.stamp_duty != stamp::judge(sale).duty {
            return refuse("stamp_duty", "not the duty the stamp rule gives for this sale");
        }
        Ok(())
    }

    /// True for a reprint, which says 再発行.
    pub fn is_reissue(&self) -> bool {
        self.copy >= 2
    }
}

/// True when `text` has no spaces around it and at most `max` characters.
fn fits(text: &str, max: usize) -> bool {
    text.trim() == text && text.chars().count() <= max
}

#[cfg(test)]
mod tests;
