//! A cart: what is being sold, how, and when. Plain data; [`crate::receipt::Receipt::compute`]
//! checks it and works out the money.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::catalog::Item;
use crate::money::Yen;
use crate::tax::{DiningMode, PricingMode, Rounding, TaxClass};

/// Money off a line or a receipt: a fixed amount, or a percentage of what it applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Discount {
    /// Yen off.
    Yen(Yen),
    /// Whole percent off, rounded down to the yen (in the customer's favour only by design).
    Percent(u8),
}

impl Default for Discount {
    fn default() -> Self {
        Discount::NONE
    }
}

impl Discount {
    /// No discount.
    pub const NONE: Discount = Discount::Yen(Yen::ZERO);

    /// The yen this takes off `amount` (a percentage is rounded down).
    pub fn off(self, amount: Yen) -> Yen {
        match self {
            Discount::Yen(yen) => yen,
            Discount::Percent(percent) => {
                Yen::new((i128::from(amount.get()) * i128::from(percent) / 100) as i64)
            }
        }
    }

    /// True when it takes nothing off.
    pub fn is_none(self) -> bool {
        matches!(self, Discount::Yen(Yen::ZERO) | Discount::Percent(0))
    }
}

/// One line of a cart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CartLine {
    /// The catalog item rung up, if any (open departments and quotes have none).
    #[serde(default)]
    pub item_id: Option<Uuid>,
    /// The item's category, for the closing report.
    #[serde(default)]
    pub category: String,
    /// What the customer sees on the receipt.
    pub name: String,
    /// Price of one, tax-included or tax-excluded according to the cart's pricing mode.
    pub unit_price: Yen,
    /// How many.
    pub qty: u32,
    /// What kind of goods, for tax.
    pub tax_class: TaxClass,
    /// Off this line's `unit_price × qty`.
    pub discount: Discount,
    /// The item's name in other languages, tag → name ([`Item::names`]), as it was at ring-up
    /// so that a receipt reads the same years later; left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub names: BTreeMap<String, String>,
    /// The item's reading ([`Item::kana`]), romanised where a language has no name of its own;
    /// left out of the JSON when empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kana: String,
}

impl CartLine {
    /// One of `item` at `unit_price` (its list price, or the price typed for an open-price
    /// item), with the item's names and reading for the receipt.
    pub fn of_item(item: &Item, unit_price: Yen) -> CartLine {
        CartLine {
            item_id: Some(item.id),
            category: item.category.clone(),
            name: item.name.clone(),
            unit_price,
            qty: 1,
            tax_class: item.tax_class,
            discount: Discount::NONE,
            names: item.names.clone(),
            kana: item.kana.clone(),
        }
    }

    /// `unit_price × qty`, before the line's discount (saturating: the receipt refuses a
    /// line too large to compute).
    pub fn before_discount(&self) -> Yen {
        self.unit_price.checked_mul(i64::from(self.qty)).unwrap_or(Yen::new(i64::MAX))
    }
}

/// A sale being rung up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// Off the whole receipt, split between the rates.
    pub discount: Discount,
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
            discount: Discount::NONE,
        }
    }

    /// True when nothing has been rung up.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Adds a line; the same item at the same price with no discount of its own is counted up
    /// instead, so scanning an item twice reads as ×2.
    pub fn add(&mut self, line: CartLine) {
        let same = |l: &&mut CartLine| {
            line.item_id.is_some()
                && l.item_id == line.item_id
                && l.unit_price == line.unit_price
                && l.discount.is_none()
                && line.discount.is_none()
        };
        match self.lines.iter_mut().find(same) {
            Some(existing) => existing.qty = existing.qty.saturating_add(line.qty),
            None => self.lines.push(line),
        }
    }

    /// Sets the quantity of line `index`; zero removes the line.
    pub fn set_qty(&mut self, index: usize, qty: u32) {
        if qty == 0 {
            self.remove(index);
        } else if let Some(line) = self.lines.get_mut(index) {
            line.qty = qty;
        }
    }

    /// Removes line `index`, if there is one.
    pub fn remove(&mut self, index: usize) {
        if index < self.lines.len() {
            self.lines.remove(index);
        }
    }

    /// Sets the discount of line `index`.
    pub fn set_line_discount(&mut self, index: usize, discount: Discount) {
        if let Some(line) = self.lines.get_mut(index) {
            line.discount = discount;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::TaxClass;

    #[test]
    fn a_line_of_an_item_keeps_its_names_and_reading() {
        let item = Item {
            id: Uuid::from_u128(5),
            name: "抹茶".into(),
            kana: "まっちゃ".into(),
            price: Yen::new(500),
            tax_class: TaxClass::Food,
            category: "飲料".into(),
            barcode: None,
            color: String::new(),
            open_price: true,
            names: [("en".to_owned(), "Matcha".to_owned())].into(),
        };
        let line = CartLine::of_item(&item, Yen::new(450));
        assert_eq!((line.item_id, line.category.as_str()), (Some(item.id), "飲料"));
        assert_eq!((line.name.as_str(), line.kana.as_str()), ("抹茶", "まっちゃ"));
        assert_eq!(line.names, item.names);
        assert_eq!((line.unit_price, line.qty), (Yen::new(450), 1));
        assert_eq!((line.tax_class, line.discount), (TaxClass::Food, Discount::NONE));
        let json = serde_json::to_string(&line).unwrap();
        assert!(json.ends_with(r#""names":{"en":"Matcha"},"kana":"まっちゃ"}"#), "{json}");
        assert_eq!(serde_json::from_str::<CartLine>(&json).unwrap(), line);
    }
}
