//! Money is whole yen: the yen has no minor unit, so an integer is the whole story.

use std::fmt;
use std::iter::Sum;

use serde::{Deserialize, Serialize};

/// An amount of yen. Arithmetic that could overflow is checked and returns `None`.
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

    /// The same amount with the opposite sign (a refund of it).
    pub const fn negated(self) -> Yen {
        Yen(-self.0)
    }

    /// True when below zero.
    pub const fn is_negative(self) -> bool {
        self.0 < 0
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
    /// Sums amounts that are known to be in range (totals of a validated cart).
    fn sum<I: Iterator<Item = Yen>>(iter: I) -> Yen {
        Yen(iter.map(|y| y.0).sum())
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

    #[test]
    fn overflow_is_caught() {
        assert_eq!(Yen::new(i64::MAX).checked_add(Yen::new(1)), None);
        assert_eq!(Yen::new(i64::MAX / 2 + 1).checked_mul(2), None);
        assert_eq!(Yen::new(160).checked_mul(2), Some(Yen::new(320)));
    }
}
