//! Japanese consumption tax: which rate a line is taxed at, and how tax is rounded.
//!
//! The rate of a line follows from its [`TaxClass`], the sale's [`DiningMode`] and the date, through
//! a dated [`RateTable`]: food and non-alcoholic drink taken out is reduced (8% today), the same food
//! eaten in the shop is standard (10%), alcohol is always standard, newspaper subscriptions always
//! reduced, and non-taxable items (stamps, gift cards) carry no tax at all.

use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Field, Result};
use crate::money::Yen;

/// A closed set of values that the wire format spells as lowercase words.
pub trait Named: Sized + Copy + PartialEq + 'static {
    /// Every value with its word.
    const NAMES: &'static [(&'static str, Self)];
    /// The words, comma-separated, for error messages.
    const EXPECTED: &'static str;

    /// Reads the word for `field`, or says which words are allowed.
    fn parse(word: &str, field: Field) -> Result<Self> {
        Self::NAMES.iter().find(|(name, _)| *name == word).map(|(_, value)| *value).ok_or_else(
            || Error::UnknownValue { field, value: word.to_owned(), expected: Self::EXPECTED },
        )
    }

    /// The word for this value.
    fn word(self) -> &'static str {
        Self::NAMES.iter().find(|(_, value)| *value == self).map_or("", |(name, _)| name)
    }
}

/// What kind of goods a line is, for tax.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TaxClass {
    /// Everything else: always the standard rate.
    Standard,
    /// Food and non-alcoholic drink: reduced when taken out, standard when eaten in.
    Food,
    /// Always reduced, whatever the dining mode (newspaper subscriptions).
    Reduced,
    /// Alcoholic drink: always the standard rate.
    Alcohol,
    /// Non-taxable (非課税): stamps, gift cards sold. No tax, shown apart.
    Exempt,
}

impl Named for TaxClass {
    const NAMES: &'static [(&'static str, Self)] = &[
        ("standard", TaxClass::Standard),
        ("food", TaxClass::Food),
        ("reduced", TaxClass::Reduced),
        ("alcohol", TaxClass::Alcohol),
        ("exempt", TaxClass::Exempt),
    ];
    const EXPECTED: &'static str = "standard, food, reduced, alcohol, exempt";
}

/// Whether the customer takes the goods away or eats in the shop (イートイン).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiningMode {
    /// Take-out or delivery: food is reduced-rate.
    #[default]
    TakeOut,
    /// Eaten in the shop (店内飲食): food is standard-rate.
    EatIn,
}

impl Named for DiningMode {
    const NAMES: &'static [(&'static str, Self)] =
        &[("take_out", DiningMode::TakeOut), ("eat_in", DiningMode::EatIn)];
    const EXPECTED: &'static str = "take_out, eat_in";
}

/// Whether prices include tax (内税) or have it added (外税).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PricingMode {
    /// Prices include tax; tax is worked out of each rate's total.
    #[default]
    TaxIncluded,
    /// Prices exclude tax; tax is added on each rate's total.
    TaxExcluded,
}

impl Named for PricingMode {
    const NAMES: &'static [(&'static str, Self)] =
        &[("tax_included", PricingMode::TaxIncluded), ("tax_excluded", PricingMode::TaxExcluded)];
    const EXPECTED: &'static str = "tax_included, tax_excluded";
}

/// How the yen fraction of a rate's tax is rounded: a shop setting, floor by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Drop the fraction (切り捨て), the usual choice.
    #[default]
    Floor,
    /// Half a yen or more rounds up (四捨五入).
    HalfUp,
    /// Any fraction rounds up (切り上げ).
    Ceil,
}

impl Named for Rounding {
    const NAMES: &'static [(&'static str, Self)] =
        &[("floor", Rounding::Floor), ("half_up", Rounding::HalfUp), ("ceil", Rounding::Ceil)];
    const EXPECTED: &'static str = "floor, half_up, ceil";
}

impl Rounding {
    /// `numerator / denominator` rounded this way, for a non-negative numerator and a positive
    /// denominator.
    fn divide(self, numerator: i128, denominator: i128) -> i128 {
        match self {
            Rounding::Floor => numerator / denominator,
            Rounding::HalfUp => (2 * numerator + denominator) / (2 * denominator),
            Rounding::Ceil => (numerator + denominator - 1) / denominator,
        }
    }
}

/// The rates in force from one date until the next period begins, in whole percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RatePeriod {
    /// First day these rates apply.
    pub from: NaiveDate,
    /// The standard rate.
    pub standard: u8,
    /// The reduced rate, if the law had one then (from 2019-10-01).
    pub reduced: Option<u8>,
}

const fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => panic!("invalid date in the rate table"),
    }
}

/// Japan's consumption tax (national and local together), by effective date. A change in the
/// law is a new row here, not new code: a temporary 0% on food would be
/// `RatePeriod { from, standard: 10, reduced: Some(0) }`.
pub const JAPAN: &[RatePeriod] = &[
    RatePeriod { from: day(1989, 4, 1), standard: 3, reduced: None },
    RatePeriod { from: day(1997, 4, 1), standard: 5, reduced: None },
    RatePeriod { from: day(2014, 4, 1), standard: 8, reduced: None },
    RatePeriod { from: day(2019, 10, 1), standard: 10, reduced: Some(8) },
];

/// The rate a line is taxed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct AppliedRate {
    /// Whole percent.
    pub percent: u8,
    /// True when this is the reduced rate (marked ※ on the receipt).
    pub reduced: bool,
}

/// Rates by effective date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RateTable {
    periods: Cow<'static, [RatePeriod]>,
}

impl Default for RateTable {
    fn default() -> Self {
        RateTable::japan()
    }
}

impl RateTable {
    /// Japan's table as the law stands.
    pub fn japan() -> Self {
        RateTable { periods: Cow::Borrowed(JAPAN) }
    }

    /// A table from periods in any order (a later duplicate date replaces an earlier one).
    pub fn from_periods(mut periods: Vec<RatePeriod>) -> Self {
        periods.sort_by_key(|p| p.from);
        periods.dedup_by(|later, earlier| {
            let same = later.from == earlier.from;
            if same {
                *earlier = *later;
            }
            same
        });
        RateTable { periods: Cow::Owned(periods) }
    }

    /// The period in force on `date`.
    pub fn period_on(&self, date: NaiveDate) -> Result<RatePeriod> {
        self.periods.iter().rev().find(|p| p.from <= date).copied().ok_or(Error::NoRate { date })
    }

    /// The rate for goods of `class` sold on `date` in `dining` mode; `None` for non-taxable goods.
    pub fn rate(
        &self,
        date: NaiveDate,
        class: TaxClass,
        dining: DiningMode,
    ) -> Result<Option<AppliedRate>> {
        let period = self.period_on(date)?;
        let standard = AppliedRate { percent: period.standard, reduced: false };
        let reduced =
            period.reduced.map_or(standard, |percent| AppliedRate { percent, reduced: true });
        Ok(match (class, dining) {
            (TaxClass::Exempt, _) => None,
            (TaxClass::Standard | TaxClass::Alcohol, _) => Some(standard),
            (TaxClass::Reduced, _) | (TaxClass::Food, DiningMode::TakeOut) => Some(reduced),
            (TaxClass::Food, DiningMode::EatIn) => Some(standard),
        })
    }
}

/// The tax in one rate's total `amount` (non-negative), rounded once: worked out of a
/// tax-included amount as `amount × r / (100 + r)`, or added on a tax-excluded one as
/// `amount × r / 100`.
pub fn tax_on(amount: Yen, percent: u8, pricing: PricingMode, rounding: Rounding) -> Yen {
    let amount = i128::from(amount.get().max(0));
    let rate = i128::from(percent);
    let denominator = match pricing {
        PricingMode::TaxIncluded => 100 + rate,
        PricingMode::TaxExcluded => 100,
    };
    let tax = rounding.divide(amount * rate, denominator);
    // The tax never exceeds the amount (r <= 255 < denominator for tax-included, and the
    // caller bounds tax-excluded amounts), so it fits in i64.
    Yen::new(i64::try_from(tax).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(y: i32, m: u32, d: u32) -> NaiveDate {
        day(y, m, d)
    }

    fn rate(date: NaiveDate, class: TaxClass, dining: DiningMode) -> Option<(u8, bool)> {
        RateTable::japan().rate(date, class, dining).ok().flatten().map(|r| (r.percent, r.reduced))
    }

    #[test]
    fn take_out_food_is_reduced_and_eat_in_food_is_standard() {
        let today = on(2026, 11, 23);
        assert_eq!(rate(today, TaxClass::Food, DiningMode::TakeOut), Some((8, true)));
        assert_eq!(rate(today, TaxClass::Food, DiningMode::EatIn), Some((10, false)));
    }

    #[test]
    fn alcohol_and_standard_goods_are_always_standard() {
        let today = on(2026, 11, 23);
        for dining in [DiningMode::TakeOut, DiningMode::EatIn] {
            assert_eq!(rate(today, TaxClass::Alcohol, dining), Some((10, false)));
            assert_eq!(rate(today, TaxClass::Standard, dining), Some((10, false)));
            assert_eq!(rate(today, TaxClass::Reduced, dining), Some((8, true)));
            assert_eq!(rate(today, TaxClass::Exempt, dining), None);
        }
    }

    #[test]
    fn rates_follow_the_date_of_the_sale() {
        assert_eq!(rate(on(2019, 9, 30), TaxClass::Food, DiningMode::TakeOut), Some((8, false)));
        assert_eq!(rate(on(2019, 10, 1), TaxClass::Food, DiningMode::TakeOut), Some((8, true)));
        assert_eq!(
            rate(on(2019, 10, 1), TaxClass::Standard, DiningMode::TakeOut),
            Some((10, false))
        );
        assert_eq!(
            rate(on(2014, 3, 31), TaxClass::Standard, DiningMode::TakeOut),
            Some((5, false))
        );
        assert_eq!(rate(on(1989, 4, 1), TaxClass::Standard, DiningMode::TakeOut), Some((3, false)));
        assert_eq!(
            RateTable::japan().rate(on(1989, 3, 31), TaxClass::Standard, DiningMode::TakeOut),
            Err(Error::NoRate { date: on(1989, 3, 31) })
        );
    }

    #[test]
    fn a_change_of_law_is_a_new_row() {
        let mut periods = JAPAN.to_vec();
        periods.push(RatePeriod { from: on(2027, 4, 1), standard: 10, reduced: Some(0) });
        let table = RateTable::from_periods(periods);
        let food = |date| table.rate(date, TaxClass::Food, DiningMode::TakeOut);
        assert_eq!(food(on(2027, 3, 31)), Ok(Some(AppliedRate { percent: 8, reduced: true })));
        assert_eq!(food(on(2027, 4, 1)), Ok(Some(AppliedRate { percent: 0, reduced: true })));
    }

    #[test]
    fn tax_is_rounded_as_the_shop_chose() {
        let incl = PricingMode::TaxIncluded;
        // 1,000 yen including 8%: 74.07... yen of tax.
        assert_eq!(tax_on(Yen::new(1000), 8, incl, Rounding::Floor), Yen::new(74));
        assert_eq!(tax_on(Yen::new(1000), 8, incl, Rounding::HalfUp), Yen::new(74));
        assert_eq!(tax_on(Yen::new(1000), 8, incl, Rounding::Ceil), Yen::new(75));
        // 105 yen before 10%: 10.5 yen of tax.
        let excl = PricingMode::TaxExcluded;
        assert_eq!(tax_on(Yen::new(105), 10, excl, Rounding::Floor), Yen::new(10));
        assert_eq!(tax_on(Yen::new(105), 10, excl, Rounding::HalfUp), Yen::new(11));
        assert_eq!(tax_on(Yen::new(105), 10, excl, Rounding::Ceil), Yen::new(11));
        // Exact amounts are not moved by any rounding.
        for rounding in [Rounding::Floor, Rounding::HalfUp, Rounding::Ceil] {
            assert_eq!(tax_on(Yen::new(1100), 10, incl, rounding), Yen::new(100));
            assert_eq!(tax_on(Yen::new(1000), 10, excl, rounding), Yen::new(100));
        }
    }

    #[test]
    fn words_round_trip_and_unknown_words_name_the_field() {
        for (word, class) in TaxClass::NAMES {
            assert_eq!(TaxClass::parse(word, Field::top("x")), Ok(*class));
            assert_eq!(class.word(), *word);
        }
        let err = TaxClass::parse("beer", Field::line(1, "tax_class"));
        assert_eq!(err.map_err(|e| e.to_string()), Err(
            "lines[1].tax_class: unknown value \"beer\" (expected one of: standard, food, reduced, alcohol, exempt)".to_owned()
        ));
    }
}
