//! The computed receipt: every line's amount and rate, and per rate the gross, net and tax.
//!
//! Tax is computed once per rate per receipt, never per line (the invoice-system rule), and a
//! receipt-level discount is split between the rates in proportion to their amounts, so that
//! each rate's total stays right.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::cart::Cart;
use crate::error::{Error, Field, Result};
use crate::money::{MAX_AMOUNT, Yen};
use crate::tax::{AppliedRate, DiningMode, PricingMode, RateTable, Rounding, TaxClass, tax_on};

/// A line as it appears on the receipt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReceiptLine {
    /// What was sold.
    pub name: String,
    /// How many.
    pub qty: u32,
    /// Price of one, as rung up.
    pub unit_price: Yen,
    /// Yen off this line.
    pub discount: Yen,
    /// `unit_price × qty − discount`, before any receipt discount.
    pub amount: Yen,
    /// What kind of goods, for tax.
    pub tax_class: TaxClass,
    /// Rate in whole percent; 0 for non-taxable lines.
    pub rate: u8,
    /// True on reduced-rate lines (marked ※).
    pub reduced: bool,
    /// True on non-taxable lines (非課税).
    pub exempt: bool,
}

/// The totals of one rate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateTotal {
    /// Rate in whole percent.
    pub rate: u8,
    /// True for the reduced rate.
    pub reduced: bool,
    /// Amount including tax, after all discounts.
    pub gross: Yen,
    /// Amount excluding tax, after all discounts.
    pub net: Yen,
    /// The tax, rounded once for the whole rate.
    pub tax: Yen,
    /// This rate's share of the receipt discount.
    pub discount: Yen,
}

/// A computed receipt. Serialized, it is the output contract of `akinai quote`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Receipt {
    /// The business day, which selected the rates.
    pub date: NaiveDate,
    /// Whether prices include tax.
    pub pricing: PricingMode,
    /// How tax was rounded.
    pub rounding: Rounding,
    /// Take-out or eat-in.
    pub dining: DiningMode,
    /// The lines, in the cart's order.
    pub lines: Vec<ReceiptLine>,
    /// One entry per rate that any line has, highest rate first.
    pub rates: Vec<RateTotal>,
    /// Non-taxable amount, after its share of the receipt discount.
    pub exempt: Yen,
    /// The non-taxable part's share of the receipt discount.
    pub exempt_discount: Yen,
    /// Sum of line amounts, before the receipt discount.
    pub subtotal: Yen,
    /// The receipt discount.
    pub discount: Yen,
    /// Sum of the rates' tax.
    pub tax: Yen,
    /// What the customer pays: the rates' gross plus the non-taxable amount.
    pub total: Yen,
}

impl Receipt {
    /// Checks `cart` and computes its receipt with the rates of `table` on the cart's date.
    pub fn compute(cart: &Cart, table: &RateTable) -> Result<Receipt> {
        // A date before any rate is wrong whether or not the cart has lines yet.
        table.period_on(cart.date)?;
        let lines = cart
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let field = |name| Field::line(index, name);
                non_negative(line.unit_price, field("unit_price"))?;
                let before_discount = line
                    .unit_price
                    .checked_mul(i64::from(line.qty))
                    .filter(|amount| *amount <= MAX_AMOUNT)
                    .ok_or_else(|| Error::TooLarge { field: field("unit_price") })?;
                let discount = line.discount.off(before_discount);
                non_negative(discount, field("discount"))?;
                let amount = at_most(discount, before_discount, field("discount"))?;
                let rate = table.rate(cart.date, line.tax_class, cart.dining)?;
                Ok(ReceiptLine {
                    name: line.name.clone(),
                    qty: line.qty,
                    unit_price: line.unit_price,
                    discount,
                    amount,
                    tax_class: line.tax_class,
                    rate: rate.map_or(0, |r| r.percent),
                    reduced: rate.is_some_and(|r| r.reduced),
                    exempt: rate.is_none(),
                })
            })
            .collect::<Result<Vec<_>>>()?;

        // The parts the receipt discount is split over: each rate, highest first, then the
        // non-taxable part, which is the order ties are broken in.
        let mut parts: Vec<(Option<AppliedRate>, Yen)> = Vec::new();
        let mut subtotal = Yen::ZERO;
        for line in &lines {
            let key =
                (!line.exempt).then_some(AppliedRate { percent: line.rate, reduced: line.reduced });
            match parts.iter_mut().find(|(rate, _)| *rate == key) {
                Some((_, amount)) => *amount = add(*amount, line.amount)?,
                None => parts.push((key, line.amount)),
            }
            subtotal = add(subtotal, line.amount)?;
        }
        parts.sort_by_key(|(rate, _)| {
            rate.map_or((1, 0, true), |r| (0, u8::MAX - r.percent, r.reduced))
        });

        let discount = cart.discount.off(subtotal);
        non_negative(discount, Field::top("discount"))?;
        at_most(discount, subtotal, Field::top("discount"))?;
        let amounts: Vec<Yen> = parts.iter().map(|(_, amount)| *amount).collect();
        let shares = split_discount(discount, &amounts);

        let mut rates = Vec::new();
        let (mut exempt, mut exempt_discount) = (Yen::ZERO, Yen::ZERO);
        for ((rate, amount), share) in parts.into_iter().zip(shares) {
            let after = amount - share;
            let Some(rate) = rate else {
                (exempt, exempt_discount) = (after, share);
                continue;
            };
            let tax = tax_on(after, rate.percent, cart.pricing, cart.rounding);
            let (gross, net) = match cart.pricing {
                PricingMode::TaxIncluded => (after, after - tax),
                PricingMode::TaxExcluded => (after + tax, after),
            };
            rates.push(RateTotal {
                rate: rate.percent,
                reduced: rate.reduced,
                gross,
                net,
                tax,
                discount: share,
            });
        }
        let tax = rates.iter().map(|r| r.tax).sum();
        let total = rates.iter().map(|r| r.gross).sum::<Yen>() + exempt;

        Ok(Receipt {
            date: cart.date,
            pricing: cart.pricing,
            rounding: cart.rounding,
            dining: cart.dining,
            lines,
            rates,
            exempt,
            exempt_discount,
            subtotal,
            discount,
            tax,
            total,
        })
    }

    /// The receipt that cancels this one: the same lines at the same (original) rates with every
    /// amount negated. A void is this; nothing is ever deleted.
    pub fn reversal(&self) -> Receipt {
        Receipt {
            lines: self
                .lines
                .iter()
                .map(|line| ReceiptLine {
                    discount: line.discount.negated(),
                    amount: line.amount.negated(),
                    ..line.clone()
                })
                .collect(),
            rates: self
                .rates
                .iter()
                .map(|r| RateTotal {
                    gross: r.gross.negated(),
                    net: r.net.negated(),
                    tax: r.tax.negated(),
                    discount: r.discount.negated(),
                    ..r.clone()
                })
                .collect(),
            exempt: self.exempt.negated(),
            exempt_discount: self.exempt_discount.negated(),
            subtotal: self.subtotal.negated(),
            discount: self.discount.negated(),
            tax: self.tax.negated(),
            total: self.total.negated(),
            ..self.clone()
        }
    }

    /// True when any line is reduced-rate, so the receipt must carry the ※ note.
    pub fn has_reduced(&self) -> bool {
        self.lines.iter().any(|line| line.reduced)
    }
}

/// Splits `discount` over `parts` in proportion to them: each part gets
/// `floor(discount × part / sum)`, and the yen left over go to the largest part (the first of
/// equals). Should the largest part be too small to take them all, the rest goes on to the next
/// largest, so that no part is discounted below zero. Needs `0 <= discount <= sum(parts)`.
pub fn split_discount(discount: Yen, parts: &[Yen]) -> Vec<Yen> {
    let sum: i128 = parts.iter().map(|p| i128::from(p.get())).sum();
    if sum <= 0 {
        return vec![Yen::ZERO; parts.len()];
    }
    let discount = i128::from(discount.get()).clamp(0, sum);
    let mut shares: Vec<i128> =
        parts.iter().map(|p| discount * i128::from(p.get()) / sum).collect();
    let mut left = discount - shares.iter().sum::<i128>();
    let mut by_size: Vec<usize> = (0..parts.len()).collect();
    // Stable sort: equal parts keep their order, so the first (the 10% part) wins a tie.
    by_size.sort_by_key(|&i| std::cmp::Reverse(parts[i]));
    for i in by_size {
        let room = i128::from(parts[i].get()) - shares[i];
        let take = left.min(room);
        shares[i] += take;
        left -= take;
    }
    // Each share is at most its part, which is a valid Yen.
    shares.into_iter().map(|s| Yen::new(i64::try_from(s).unwrap_or(0))).collect()
}

fn non_negative(amount: Yen, field: Field) -> Result<()> {
    if amount.is_negative() { Err(Error::Negative { field }) } else { Ok(()) }
}

/// `applies_to − discount`, or an error naming `field` when the discount is larger.
fn at_most(discount: Yen, applies_to: Yen, field: Field) -> Result<Yen> {
    if discount > applies_to {
        Err(Error::DiscountTooLarge { field, discount, applies_to })
    } else {
        Ok(applies_to - discount)
    }
}

fn add(a: Yen, b: Yen) -> Result<Yen> {
    a.checked_add(b)
        .filter(|sum| *sum <= MAX_AMOUNT)
        .ok_or_else(|| Error::TooLarge { field: Field::top("lines") })
}

#[cfg(test)]
mod tests;
