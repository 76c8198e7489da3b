//! Money is whole yen: the yen has no minor unit, so an integer is the whole story.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Field, Result};

/// The largest amount a line, a receipt or a typed amount may come to (a quadrillion yen): far
/// above any sale, and low enough that no tax computation can overflow.
pub const MAX_AMOUNT: Yen = Yen::new(1_000_000_000_000_000);

/// An amount of yen. `+`, `-` and `sum` saturate (amounts are capped at [`MAX_AMOUNT`], so only
/// absurd data reaches the limit, and a report must still print); `checked_*` return `None` on
/// overflow where a limit must be refused.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Yen(i64);

impl Yen {
    /// No yen.
    pub const ZERO: Yen = Yen(0);

    /// Wraps a whole number of yen.
    pub const fn new(yen: i64) -> Self {
        Yen(yen)
    }

    /// The number of yen.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Adds, or `None` on overflow.
    pub fn checked_add(self, other: Yen) -> Option<Yen> {
        self.0.checked_add(other.0).map(Yen)
    }

    /// Subtracts, or `None` on overflow.
    pub fn checked_sub(self, other: Yen) -> Option<Yen> {
        self.0.checked_sub(other.0).map(Yen)
    }

    /// Multiplies by a quantity, or `None` on overflow.
    pub fn checked_mul(self, qty: i64) -> Option<Yen> {
        self.0.checked_mul(qty).map(Yen)
    }

    /// Adds up `amounts`, or `None` when the sum leaves `i64` at any step: for amounts a device
    /// sends, where a saturated sum would hide nonsense.
    pub fn checked_sum(amounts: impl IntoIterator<Item = Yen>) -> Option<Yen> {
        amounts.into_iter().try_fold(Yen::ZERO, Yen::checked_add)
    }

    /// True when from 0 up to [`MAX_AMOUNT`]: an amount a person can hand over or be charged.
    pub fn is_payable(self) -> bool {
        (0..=MAX_AMOUNT.0).contains(&self.0)
    }

    /// The same amount with the opposite sign (a refund of it).
    pub const fn negated(self) -> Yen {
        Yen(-self.0)
    }

    /// True when below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// True for zero yen (by reference, for serde's `skip_serializing_if`).
    pub const fn is_zero(&self) -> bool {
        self.0 == 0
    }

    /// Reads an amount as a person types it into `field`: full-width digits, surrounding spaces,
    /// a yen sign before (`¥`, `￥`, or `\`, which is the yen key on a Japanese keyboard and
    /// in Shift_JIS) or `円` after, thousands commas only between groups of three (`1,200`, not
    /// `1,2,0,0`), and Excel's `1200.00`. From 0 up to [`MAX_AMOUNT`].
    pub fn parse_typed(text: &str, field: Field) -> Result<Yen> {
        let folded: String = text.nfkc().collect();
        let text = folded.trim();
        let text = text.strip_prefix(['¥', '\\']).unwrap_or(text).trim_start();
        let text = text.strip_suffix('円').unwrap_or(text).trim_end();
        let text = match text.split_once('.') {
            Some((whole, fraction))
                if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') =>
            {
                whole
            }
            Some(_) => "",
            None => text,
        };
        match parse_whole(text) {
            Some(yen) if yen <= MAX_AMOUNT.0 => Ok(Yen(yen)),
            Some(_) => Err(Error::TooLarge { field }),
            None => Err(Error::NotAnAmount { field, value: folded.trim().to_owned() }),
        }
    }
}

/// A whole number, 0 or more, as a person types it (a quantity, a percentage, a receipt
/// number): full-width digits and surrounding spaces are forgiven, and commas only between
/// groups of three. `None` for anything else, or beyond `i64`.
pub fn parse_whole(text: &str) -> Option<i64> {
    let folded: String = text.nfkc().collect();
    let text = folded.trim();
    let mut groups = text.split(',');
    let first = groups.next().unwrap_or_default();
    let grouped = text.contains(',');
    let digits = |group: &str| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) || (grouped && first.len() > 3) {
        return None;
    }
    let mut plain = first.to_owned();
    for group in groups {
        if !digits(group) || group.len() != 3 {
            return None;
        }
        plain.push_str(group);
    }
    plain.parse().ok()
}

impl Add for Yen {
    type Output = Yen;
    fn add(self, other: Yen) -> Yen {
        Yen(self.0.saturating_add(other.0))
    }
}

impl Sub for Yen {
    type Output = Yen;
    fn sub(self, other: Yen) -> Yen {
        Yen(self.0.saturating_sub(other.0))
    }
}

impl AddAssign for Yen {
    fn add_assign(&mut self, other: Yen) {
        *self = *self + other;
    }
}

impl SubAssign for Yen {
    fn sub_assign(&mut self, other: Yen) {
        *self = *self - other;
    }
}

impl Neg for Yen {
    type Output = Yen;
    fn neg(self) -> Yen {
        Yen(self.0.saturating_neg())
    }
}

impl fmt::Display for Yen {
    /// `¥1,234` / `-¥1,234`: how a Japanese receipt writes an amount.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.unsigned_abs().to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}¥{grouped}")
    }
}

impl Sum for Yen {
    /// Sums, saturating as `+` does.
    fn sum<I: Iterator<Item = Yen>>(iter: I) -> Yen {
        iter.fold(Yen::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Yen> for Yen {
    /// Sums, saturating as `+` does.
    fn sum<I: Iterator<Item = &'a Yen>>(iter: I) -> Yen {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_like_a_receipt() {
        assert_eq!(Yen::new(0).to_string(), "¥0");
        assert_eq!(Yen::new(980).to_string(), "¥980");
        assert_eq!(Yen::new(1234).to_string(), "¥1,234");
        assert_eq!(Yen::new(-1_234_567).to_string(), "-¥1,234,567");
    }

    fn typed(text: &str) -> Result<Yen> {
        Yen::parse_typed(text, Field::top("amount"))
    }

    #[test]
    fn typed_amounts_forgive_what_people_type() {
        for text in
            ["1200", "1,200", "¥1,200", "￥１，２００", " 1200円 ", "１２００", "\\1200", "1200.00"]
        {
            assert_eq!(typed(text), Ok(Yen::new(1200)), "{text}");
        }
        assert_eq!(typed("0"), Ok(Yen::ZERO));
        assert_eq!(typed("1,234,567"), Ok(Yen::new(1_234_567)));
    }

    #[test]
    fn typed_amounts_refuse_misplaced_commas_and_other_text() {
        for text in [
            "1,2,3", "12,00", "1234,567", ",123", "123,", "", "  ", "-5", "12a", "1.5", "¥",
            "1 200",
        ] {
            assert_eq!(
                typed(text),
                Err(Error::NotAnAmount {
                    field: Field::top("amount"),
                    value: text.nfkc().collect::<String>().trim().to_owned()
                }),
                "{text}"
            );
        }
        assert_eq!(
            typed("1000000000000000001"),
            Err(Error::TooLarge { field: Field::top("amount") })
        );
        assert_eq!(parse_whole("99999999999999999999"), None);
        assert_eq!(parse_whole("０００１２３"), Some(123));
    }

    #[test]
    fn operators_saturate_instead_of_wrapping() {
        assert_eq!(Yen::new(5) + Yen::new(3), Yen::new(8));
        assert_eq!(Yen::new(5) - Yen::new(8), Yen::new(-3));
        assert_eq!(Yen::new(i64::MAX) + Yen::new(1), Yen::new(i64::MAX));
        assert_eq!(Yen::new(i64::MIN) - Yen::new(1), Yen::new(i64::MIN));
        assert_eq!(-Yen::new(7), Yen::new(-7));
        assert_eq!([Yen::new(i64::MAX), Yen::new(1)].iter().sum::<Yen>(), Yen::new(i64::MAX));
    }

    proptest::proptest! {
        #[test]
        fn what_the_app_shows_reads_back(yen in 0..=MAX_AMOUNT.get()) {
            let shown = Yen::new(yen).to_string();
            proptest::prop_assert_eq!(typed(&shown), Ok(Yen::new(yen)));
            proptest::prop_assert_eq!(typed(&yen.to_string()), Ok(Yen::new(yen)));
        }

        #[test]
        fn checked_sums_are_exact_or_none(amounts in proptest::collection::vec(proptest::num::i64::ANY, 0..8)) {
            let exact: i128 = amounts.iter().map(|a| i128::from(*a)).sum();
            let partial_fits = amounts
                .iter()
                .scan(0i128, |sum, a| { *sum += i128::from(*a); Some(*sum) })
                .all(|sum| i64::try_from(sum).is_ok());
            let checked = Yen::checked_sum(amounts.iter().copied().map(Yen::new));
            proptest::prop_assert_eq!(checked.is_some(), partial_fits);
            if let Some(sum) = checked {
                proptest::prop_assert_eq!(i128::from(sum.get()), exact);
            }
        }

        #[test]
        fn payable_is_zero_up_to_the_limit(yen in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(Yen::new(yen).is_payable(), (0..=MAX_AMOUNT.get()).contains(&yen));
        }

        #[test]
        fn full_width_reads_as_half_width(text in "[0-9,¥円 .a-]{0,12}") {
            let wide: String = text
                .chars()
                .map(|c| match c {
                    '0'..='9' | ',' | '.' | 'a' | '-' => char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c),
                    '¥' => '￥',
                    ' ' => '　',
                    c => c,
                })
                .collect();
            proptest::prop_assert_eq!(typed(&wide), typed(&text));
        }
    }

    #[test]
    fn overflow_is_caught() {
        assert_eq!(Yen::new(i64::MAX).checked_add(Yen::new(1)), None);
        assert_eq!(Yen::new(i64::MAX / 2 + 1).checked_mul(2), None);
        assert_eq!(Yen::new(160).checked_mul(2), Some(Yen::new(320)));
    }
}
