//! A cart: what is being sold, how, and when. Plain data; [`crate::receipt::Receipt::compute`]
//! checks it and works out the money.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::money::Yen;
use crate::tax::{DiningMode, PricingMode, Rounding, TaxClass};

/// One line of a cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// What the customer sees on the receipt.
    pub name: String,
    /// Price of one, tax-included or tax-excluded according to the cart's pricing mode.
    pub unit_price: Yen,
    /// How many.
    pub qty: u32,
    /// What kind of goods, for tax.
    pub tax_class: TaxClass,
    /// Yen off this line's `unit_price × qty`.
    pub discount: Yen,
}

/// A sale being rung up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    /// The business day of the sale, which selects the rates in force.
    pub date: NaiveDate,
    /// Whether prices include tax.
    pub pricing: PricingMode,
    /// How each rate's tax is rounded.
    pub rounding: Rounding,
    /// Take-out or eat-in, which decides the rate of food lines.
    pub dining: DiningMode,
    /// The lines, in the order they were rung up.
    pub lines: Vec<CartLine>,
    /// Yen off the whole receipt, split between the rates.
    pub discount: Yen,
}

impl Cart {
    /// An empty take-out cart for `date`, tax-included and rounded down: the usual shop.
    pub fn new(date: NaiveDate) -> Self {
        Cart {
            date,
            pricing: PricingMode::default(),
            rounding: Rounding::default(),
            dining: DiningMode::default(),
            lines: Vec::new(),
            discount: Yen::ZERO,
        }
    }
}
