//! A sale as the register records it: the cart, its receipt, how it was paid, and who, when and
//! where. Records are never edited or deleted; a refund is a new record that points at the sale.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::cart::{Cart, CartLine, Discount};
use crate::ereceipt::ReceiptToken;
use crate::error::{Error, Field, Result};
use crate::money::Yen;
use crate::name::is_language_tag;
use crate::payment::{self, PaymentMethod, Settle, Tender, TenderKey};
use crate::receipt::{RateTotal, Receipt};
use crate::shop::ShopSettings;
use crate::tax::RateTable;

/// The most lines one sale may hold: far above any basket, and low enough that checking a sale
/// or a refund of it stays cheap for the server.
pub const MAX_LINES: usize = 1_000;

/// The most (line, quantity) picks one refund may carry.
pub const MAX_PICKS: usize = 1_000;

/// The most tenders one sale may carry.
pub const MAX_TENDERS: usize = 100;

/// Whether a record is a sale or gives money back for one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SaleKind {
    /// An ordinary sale.
    Sale,
    /// A refund of (part of) an earlier sale, at that sale's rates.
    Refund {
        /// The sale refunded.
        original: Uuid,
        /// Its receipt number, printed on the refund receipt.
        original_receipt_no: u64,
        /// (line index in the original, quantity) given back.
        lines: Vec<(usize, u32)>,
    },
}

/// Who rings up what, where and when: made by the device for each record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SaleContext {
    /// The record's id, made on the device (UUID v7).
    pub id: Uuid,
    /// The device.
    pub device_id: Uuid,
    /// When.
    pub at: DateTime<Utc>,
    /// The staff member signed in.
    pub staff: String,
    /// The open shift.
    pub shift_id: Uuid,
    /// The shop as it is now: the issuer printed on the receipt, and its pricing and rounding.
    pub shop: ShopSettings,
    /// The customer's receipt: its e-receipt token and language, chosen at the register.
    pub receipt: ReceiptChoice,
}

/// What the customer gets with a record besides its lines: the e-receipt link and the language
/// the receipt is written in. Fixed at ring-up, copied into the [`Sale`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReceiptChoice {
    /// The e-receipt token ([`crate::ereceipt::ReceiptToken::mint`]); `None` on a register that
    /// is not paired (no link, no QR).
    pub token: Option<String>,
    /// The receipt's language as a BCP 47 tag such as `zh-Hant`; `None` for Japanese.
    pub lang: Option<String>,
}

impl ReceiptChoice {
    /// Refuses a token that does not have a token's shape or names another device than
    /// `device_id`, and a language that is not a well-formed tag ([`is_language_tag`]). Whether
    /// the token is signed with the device's key is the server's check (it has the key).
    pub fn check(&self, device_id: Uuid) -> Result<()> {
        if let Some(token) = &self.token
            && ReceiptToken::parse(token).is_none_or(|parsed| parsed.device_id != device_id)
        {
            return Err(Error::Invalid {
                field: Field::top("receipt_token"),
                detail: "not an e-receipt token of this register".to_owned(),
            });
        }
        if let Some(lang) = &self.lang
            && !is_language_tag(lang)
        {
            return Err(Error::Invalid {
                field: Field::top("receipt_lang"),
                detail: "a language tag such as en, ko or zh-Hant".to_owned(),
            });
        }
        Ok(())
    }
}

/// A completed sale or refund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sale {
    /// Made on the device; the server accepts each id once.
    pub id: Uuid,
    /// The device that made it.
    pub device_id: Uuid,
    /// The device's record sequence number (1, 2, ...), assigned when stored.
    pub seq: u64,
    /// The device's receipt number, gap-free and never reused, assigned when stored.
    pub receipt_no: u64,
    /// When, in Tokyo time.
    pub at: DateTime<FixedOffset>,
    /// The business day it counts for.
    pub business_date: NaiveDate,
    /// Who rang it up.
    pub staff: String,
    /// The shift it belongs to.
    pub shift_id: Uuid,
    /// The issuer as it was when the receipt was made (name, registration number, address):
    /// a reprint years later shows the invoice that was issued, not today's settings.
    pub shop: ShopSettings,
    /// Sale or refund.
    #[serde(flatten)]
    pub kind: SaleKind,
    /// What was sold (for a refund: what was given back, at the original's settings).
    pub cart: Cart,
    /// The computed receipt; a refund's amounts are negative.
    pub receipt: Receipt,
    /// How it was paid.
    pub tenders: Vec<Tender>,
    /// Cash handed back.
    pub change: Yen,
    /// Over-tender by vouchers kept by the shop, not given back; left out of the JSON when zero
    /// so that older records keep their encoding.
    #[serde(default, skip_serializing_if = "Yen::is_zero")]
    pub excess: Yen,
    /// The e-receipt token printed as a QR code ([`ReceiptChoice::token`]); left out of the JSON
    /// when there is none, so that older records keep their encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_token: Option<String>,
    /// The receipt's language tag ([`ReceiptChoice::lang`]); `None` (left out) for Japanese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_lang: Option<String>,
}

impl Sale {
    /// Completes a sale of `cart` paid with `tenders`: computes the receipt and the change.
    pub fn ring_up(ctx: SaleContext, mut cart: Cart, tenders: Vec<Tender>) -> Result<Sale> {
        if cart.is_empty() {
            return Err(Error::EmptySale);
        }
        if cart.lines.len() > MAX_LINES {
            return Err(Error::TooMany { field: Field::top("lines"), limit: MAX_LINES });
        }
        check_tenders(&tenders)?;
        ctx.receipt.check(ctx.device_id)?;
        let at = ctx.at.with_timezone(&crate::TOKYO);
        cart.date = at.date_naive();
        // The shop's settings decide how prices and tax work, whatever the cart was made with.
        cart.pricing = ctx.shop.pricing;
        cart.rounding = ctx.shop.rounding;
        let receipt = Receipt::compute(&cart, &RateTable::japan())?;
        let settle = payment::change_due(receipt.total, &tenders)?;
        Ok(Sale::record(ctx, at, SaleKind::Sale, cart, receipt, tenders, settle))
    }

    /// A refund of `picks` ((line index, quantity) of this sale) at the sale's own rates.
    /// `earlier` holds the refunds already made against this sale (and may hold any other
    /// records: only this sale's refunds count).
    ///
    /// The money goes back through the sale's tenders. With `tenders` `None` the refund takes
    /// the default plan ([`Sale::refund_plan`]); with `Some` they are checked: each names the
    /// original tender it gives back through (`refunds`), by the same method and brand (a
    /// voucher is given back as cash), no more than is left of that tender after `earlier`, and
    /// together they give back exactly the refund's total. A cash refund tender without
    /// `refunds` (as older registers made them) goes back through the sale's cash.
    ///
    /// Refunding everything at once is an exact reversal of the sale. A partial refund is its own
    /// receipt: each picked line carries its share of the line discount and the refund its share
    /// of the receipt discount, taken cumulatively (what has been refunded so far, this refund
    /// included, less what earlier refunds took), and the refund that finishes the sale gives back
    /// exactly what is left, rate by rate. So a sale's refunds never add up to more than was paid,
    /// and once everything is back they equal the sale's reversal to the yen.
    pub fn refund(
        &self,
        ctx: SaleContext,
        picks: &[(usize, u32)],
        earlier: &[Sale],
        tenders: Option<Vec<Tender>>,
    ) -> Result<Sale> {
        if self.kind != SaleKind::Sale {
            return Err(Error::NotRefundable);
        }
        ctx.receipt.check(ctx.device_id)?;
        if picks.len() > MAX_PICKS {
            return Err(Error::TooMany { field: Field::top("lines"), limit: MAX_PICKS });
        }
        let left = self.refundable(earlier);
        let refunded: Vec<u32> =
            self.cart.lines.iter().zip(&left).map(|(line, left)| line.qty - left).collect();
        let mut taken = vec![0u32; self.cart.lines.len()];
        for (index, qty) in picks.iter().copied().filter(|(_, qty)| *qty > 0) {
            let field = Field::line(index, "qty");
            let left = left.get(index).ok_or(Error::RefundTooMuch { field: field.clone() })?;
            taken[index] = taken[index].saturating_add(qty);
            if taken[index] > *left {
                return Err(Error::RefundTooMuch { field });
            }
        }
        if taken.iter().all(|qty| *qty == 0) {
            return Err(Error::NothingToRefund);
        }
        let lines: Vec<(usize, u32)> = taken
            .iter()
            .enumerate()
            .filter(|(_, qty)| **qty > 0)
            .map(|(i, qty)| (i, *qty))
            .collect();
        let everything = refunded.iter().all(|qty| *qty == 0)
            && self.cart.lines.iter().zip(&taken).all(|(line, qty)| line.qty == *qty);

        let (cart, receipt) = if everything {
            (self.cart.clone(), self.receipt.reversal())
        } else {
            self.partial_refund(&lines, &refunded, &taken, earlier)?
        };
        let at = ctx.at.with_timezone(&crate::TOKYO);
        let kind =
            SaleKind::Refund { original: self.id, original_receipt_no: self.receipt_no, lines };
        let tenders = match tenders {
            None => self.refund_plan(receipt.total, earlier)?,
            Some(tenders) => {
                self.check_refund_tenders(receipt.total, &tenders, earlier)?;
                tenders
            }
        };
        Ok(Sale::record(ctx, at, kind, cart, receipt, tenders, Settle::default()))
    }

    /// What each tender of this sale kept, index for index: its amount, less the change for
    /// cash and less the excess for vouchers (taken from the last such tenders first), so that
    /// they add up to the total.
    pub fn tenders_kept(&self) -> Vec<Yen> {
        let mut kept: Vec<Yen> = self.tenders.iter().map(|t| t.amount).collect();
        for (method, mut over) in
            [(PaymentMethod::Cash, self.change), (PaymentMethod::Voucher, self.excess)]
        {
            for (tender, kept) in self.tenders.iter().zip(kept.iter_mut()).rev() {
                if tender.method == method && over > Yen::ZERO {
                    let take = over.min(*kept);
                    *kept -= take;
                    over -= take;
                }
            }
        }
        kept
    }

    /// What is left to give back through each tender of this sale after the refunds among
    /// `earlier` (other records are left out); a refund tender without `refunds` counts against
    /// the sale's cash tenders in order. Below zero where an earlier refund's rounding took more
    /// (see [`Sale::refund_plan`]).
    pub fn tenders_left(&self, earlier: &[Sale]) -> Vec<Yen> {
        let mut left = self.tenders_kept();
        let given = earlier.iter().filter(|s| s.is_refund_of(self.id)).flat_map(|s| &s.tenders);
        for tender in given {
            give_back(&self.tenders, &mut left, tender);
        }
        left
    }

    /// The default way a refund of `total` goes back: through this sale's tenders in order,
    /// each up to what is left of it after `earlier`, by the same method and brand, a voucher as
    /// cash. A QR tender's refund id is left for the caller to set (the provider's refund is made
    /// first).
    ///
    /// Partial refunds of a tax-excluded sale round their tax each, so together they may come
    /// to a few yen more than the sale kept (the last refund settles it, and may even take a yen
    /// back): that overshoot goes through the last tender used.
    pub fn refund_plan(&self, total: Yen, earlier: &[Sale]) -> Result<Vec<Tender>> {
        let mut due = total.negated();
        let mut plan = Vec::new();
        let left = self.tenders_left(earlier);
        for (index, (original, left)) in self.tenders.iter().zip(left).enumerate() {
            let take = due.min(left);
            if take > Yen::ZERO {
                due -= take;
                plan.push(way_back(index, original, take.negated()));
            }
        }
        if due != Yen::ZERO {
            match (plan.last_mut(), self.tenders.first()) {
                (Some(last), _) => last.amount -= due,
                (None, Some(first)) => plan.push(way_back(0, first, due.negated())),
                (None, None) => {
                    return Err(Error::RefundTenderTooMuch { field: Field::top("tenders") });
                }
            }
        }
        Ok(plan)
    }

    /// Checks refund `tenders` against this sale: see [`Sale::refund`].
    fn check_refund_tenders(&self, total: Yen, tenders: &[Tender], earlier: &[Sale]) -> Result<()> {
        if tenders.len() > MAX_TENDERS {
            return Err(Error::TooMany { field: Field::top("tenders"), limit: MAX_TENDERS });
        }
        let before = self.tenders_left(earlier);
        // The rounding overshoot a refund may carry beyond what is left (see refund_plan).
        let room: Yen = before.iter().map(|left| (*left).max(Yen::ZERO)).sum();
        let overshoot = (total.negated() - room).max(Yen::ZERO);
        let overdrawn =
            |left: &[Yen]| -> Yen { left.iter().map(|l| l.negated().max(Yen::ZERO)).sum() };
        let mut left = before.clone();
        for (index, tender) in tenders.iter().enumerate() {
            let field = |name: &str| Field::top(&format!("tenders[{index}].{name}"));
            tender.check_shape(index)?;
            // Money goes back, or on the rare refund that settles a rounding yen, comes in.
            let comes_in = total > Yen::ZERO;
            if tender.amount != Yen::ZERO && tender.amount.is_negative() == comes_in {
                let detail =
                    if comes_in { "0 or more" } else { "a refund gives money back: 0 or less" };
                return Err(Error::Invalid { field: field("amount"), detail: detail.to_owned() });
            }
            if !tender.amount.negated().is_payable() && !tender.amount.is_payable() {
                return Err(Error::TooLarge { field: field("amount") });
            }
            let fits = match tender.refunds {
                Some(through) => self
                    .tenders
                    .get(usize::from(through))
                    .is_some_and(|original| same_way_back(original, tender)),
                None => tender.method == PaymentMethod::Cash,
            };
            if !fits || !give_back(&self.tenders, &mut left, tender) {
                return Err(Error::RefundWrongTender { field: field("refunds") });
            }
            if overdrawn(&left) - overdrawn(&before) > overshoot {
                return Err(Error::RefundTenderTooMuch { field: field("amount") });
            }
        }
        // Amounts are within MAX_AMOUNT each and at most MAX_TENDERS of them: no overflow.
        let given: Yen = tenders.iter().map(|t| t.amount).sum();
        if given > total {
            return Err(Error::TenderShort { due: total.negated(), tendered: given.negated() });
        }
        if given < total {
            return Err(Error::RefundTenderTooMuch { field: Field::top("tenders") });
        }
        Ok(())
    }

    /// The cart and receipt of a refund of `lines` (`taken`, per line) when `refunded` (per
    /// line) went back before in `earlier`.
    fn partial_refund(
        &self,
        lines: &[(usize, u32)],
        refunded: &[u32],
        taken: &[u32],
        earlier: &[Sale],
    ) -> Result<(Cart, Receipt)> {
        let ours: Vec<&Receipt> =
            earlier.iter().filter(|s| s.is_refund_of(self.id)).map(|s| &s.receipt).collect();
        let mut cart = Cart { lines: Vec::new(), discount: Discount::NONE, ..self.cart.clone() };
        for (index, qty) in lines {
            let (line, printed) = (&self.cart.lines[*index], &self.receipt.lines[*index]);
            let done = i64::from(refunded[*index]);
            let (now, of) = (i64::from(*qty), i64::from(line.qty));
            let discount = cumulative_share(printed.discount, done, now, of);
            cart.lines.push(CartLine {
                qty: *qty,
                discount: Discount::Yen(discount),
                ..line.clone()
            });
        }
        let part = Receipt::compute(&cart, &RateTable::japan())?;
        let done_subtotal: i64 = ours.iter().map(|r| -r.subtotal.get()).sum();
        cart.discount = Discount::Yen(cumulative_share(
            self.receipt.discount,
            done_subtotal,
            part.subtotal.get(),
            self.receipt.subtotal.get(),
        ));
        let mut receipt = Receipt::compute(&cart, &RateTable::japan())?.reversal();
        // Per-line arrays side by side: linear in the sale's lines, however many are picked.
        let finishing = self
            .cart
            .lines
            .iter()
            .zip(refunded.iter().zip(taken))
            .all(|(line, (done, now))| done.saturating_add(*now) == line.qty);
        if finishing {
            // What is left of each figure: the sale's, less what earlier refunds gave back.
            let left = |of: &dyn Fn(&Receipt) -> Yen| {
                -of(&self.receipt) - ours.iter().map(|r| of(r)).sum::<Yen>()
            };
            let pick = |r: &Receipt, key: (u8, bool), f: fn(&RateTotal) -> Yen| {
                r.rates.iter().find(|t| (t.rate, t.reduced) == key).map_or(Yen::ZERO, f)
            };
            let here: Vec<(u8, bool)> = receipt.rates.iter().map(|t| (t.rate, t.reduced)).collect();
            receipt.rates = self
                .receipt
                .rates
                .iter()
                .map(|sold| {
                    let key = (sold.rate, sold.reduced);
                    RateTotal {
                        gross: left(&|r| pick(r, key, |t| t.gross)),
                        net: left(&|r| pick(r, key, |t| t.net)),
                        tax: left(&|r| pick(r, key, |t| t.tax)),
                        discount: left(&|r| pick(r, key, |t| t.discount)),
                        ..sold.clone()
                    }
                })
                // A rate none of whose lines come back now still settles a rounding yen.
                .filter(|t| {
                    here.contains(&(t.rate, t.reduced))
                        || t.gross != Yen::ZERO
                        || t.tax != Yen::ZERO
                })
                .collect();
            receipt.exempt = left(&|r| r.exempt);
            receipt.exempt_discount = left(&|r| r.exempt_discount);
            receipt.discount = left(&|r| r.discount);
            receipt.tax = left(&|r| r.tax);
            receipt.total = left(&|r| r.total);
        }
        Ok((cart, receipt))
    }

    fn record(
        ctx: SaleContext,
        at: DateTime<FixedOffset>,
        kind: SaleKind,
        cart: Cart,
        receipt: Receipt,
        tenders: Vec<Tender>,
        settle: Settle,
    ) -> Sale {
        Sale {
            id: ctx.id,
            device_id: ctx.device_id,
            seq: 0,
            receipt_no: 0,
            at,
            business_date: at.date_naive(),
            staff: ctx.staff,
            shift_id: ctx.shift_id,
            shop: ctx.shop,
            kind,
            cart,
            receipt,
            tenders,
            change: settle.change,
            excess: settle.excess,
            receipt_token: ctx.receipt.token,
            receipt_lang: ctx.receipt.lang,
        }
    }

    /// True for refunds.
    pub fn is_refund(&self) -> bool {
        matches!(self.kind, SaleKind::Refund { .. })
    }

    /// True when this record is a refund of the sale `id`.
    pub fn is_refund_of(&self, id: Uuid) -> bool {
        matches!(&self.kind, SaleKind::Refund { original, .. } if *original == id)
    }

    /// What is left to refund of each line of this sale, given `records` that hold its earlier
    /// refunds (other records among them are left out). Nothing is left of a refund.
    pub fn refundable(&self, records: &[Sale]) -> Vec<u32> {
        let mut left: Vec<u32> = match self.kind {
            SaleKind::Sale => self.cart.lines.iter().map(|line| line.qty).collect(),
            SaleKind::Refund { .. } => vec![0; self.cart.lines.len()],
        };
        for record in records {
            if let SaleKind::Refund { original, lines, .. } = &record.kind
                && *original == self.id
            {
                for (index, qty) in lines {
                    if let Some(left) = left.get_mut(*index) {
                        *left = left.saturating_sub(*qty);
                    }
                }
            }
        }
        left
    }

    /// What this record put into (or, negative, took out of) the cash drawer.
    pub fn cash_in_drawer(&self) -> Yen {
        payment::kept(&self.tenders, self.change)
            .get(&TenderKey::cash())
            .copied()
            .unwrap_or_default()
    }
}

/// True when `back` may give money back through `original`: the same method and brand, or cash
/// for a voucher.
fn same_way_back(original: &Tender, back: &Tender) -> bool {
    (original.method == back.method && original.brand == back.brand)
        || (original.method == PaymentMethod::Voucher && back.method == PaymentMethod::Cash)
}

/// The refund tender giving `amount` back through `original`, the sale's tender `index`: by
/// the same method and brand, a voucher as cash.
fn way_back(index: usize, original: &Tender, amount: Yen) -> Tender {
    let as_cash = original.method == PaymentMethod::Voucher;
    Tender {
        brand: if as_cash { None } else { original.brand.clone() },
        refunds: u16::try_from(index).ok(),
        ..Tender::new(if as_cash { PaymentMethod::Cash } else { original.method }, amount)
    }
}

/// Takes refund tender `back` off `left` (what is left of each of `sold`): from the tender it
/// names, or without a name from the cash tenders in order, the last of them taking what the
/// others could not. False when there is no such tender.
fn give_back(sold: &[Tender], left: &mut [Yen], back: &Tender) -> bool {
    let mut due = back.amount.negated();
    match back.refunds {
        Some(through) => left.get_mut(usize::from(through)).map(|left| *left -= due).is_some(),
        None => {
            let mut last = None;
            for (tender, left) in sold.iter().zip(left.iter_mut()) {
                if tender.method == PaymentMethod::Cash {
                    let take = due.min((*left).max(Yen::ZERO)).max(Yen::ZERO);
                    *left -= take;
                    due -= take;
                    last = Some(left);
                }
            }
            last.map(|left| *left -= due).is_some()
        }
    }
}

/// Refuses tenders a person cannot hand over: too many, fields that do not fit the method
/// ([`Tender::check_shape`]), a refund link on a sale, amounts below zero or above
/// [`crate::money::MAX_AMOUNT`] (which also keeps their sum far inside `i64`).
fn check_tenders(tenders: &[Tender]) -> Result<()> {
    if tenders.len() > MAX_TENDERS {
        return Err(Error::TooMany { field: Field::top("tenders"), limit: MAX_TENDERS });
    }
    for (index, tender) in tenders.iter().enumerate() {
        tender.check_shape(index)?;
        if tender.refunds.is_some() {
            return Err(Error::Invalid {
                field: Field::top(&format!("tenders[{index}].refunds")),
                detail: "only a refund's tenders name the tender they give back through".to_owned(),
            });
        }
        let field = Field::top(&format!("tenders[{index}].amount"));
        if tender.amount.is_negative() {
            return Err(Error::Negative { field });
        }
        if !tender.amount.is_payable() {
            return Err(Error::TooLarge { field });
        }
    }
    Ok(())
}

/// The share of `amount` that goes with `now` more of `of` after `done` went before: the
/// cumulative share rounded down, less what was already taken. Shares taken this way never add up
/// to more than `amount`, and to exactly `amount` once `done + now == of`.
fn cumulative_share(amount: Yen, done: i64, now: i64, of: i64) -> Yen {
    if of <= 0 {
        return Yen::ZERO;
    }
    let upto = |part: i64| i128::from(amount.get()) * i128::from(part) / i128::from(of);
    Yen::new(i64::try_from(upto(done + now) - upto(done)).unwrap_or(0))
}

#[cfg(test)]
mod tests;
