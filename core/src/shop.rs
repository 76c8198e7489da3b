//! The shop's settings: what every receipt prints and how prices and tax work. Who may use the
//! register is [`crate::staff`].

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};
use crate::tax::{PricingMode, Rounding};

/// A qualified invoice issuer registration number (適格請求書発行事業者登録番号): `T` and 13 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNumber(String);

impl RegistrationNumber {
    /// Reads a number as a person types it: full-width characters, spaces and hyphens are
    /// forgiven (`Ｔ１２３４-5678-9012-3`), anything else that is not T + 13 digits is refused.
    pub fn parse(text: &str) -> Result<Self> {
        let folded: String = text
            .nfkc()
            .filter_map(|c| match c {
                't' => Some('T'),
                ' ' | '-' | 'ー' => None,
                _ => Some(c),
            })
            .collect();
        let digits = folded.strip_prefix('T').unwrap_or_default();
        if digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(RegistrationNumber(folded))
        } else {
            Err(Error::InvalidRegistrationNumber { value: text.to_owned() })
        }
    }

    /// The number as printed, `T1234567890123`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegistrationNumber {
    type Error = Error;
    fn try_from(text: String) -> Result<Self> {
        RegistrationNumber::parse(&text)
    }
}

impl From<RegistrationNumber> for String {
    fn from(number: RegistrationNumber) -> String {
        number.0
    }
}

/// The shop's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopSettings {
    /// Trading name, printed at the head of each receipt.
    pub name: String,
    /// Address.
    pub address: String,
    /// Telephone number.
    pub phone: String,
    /// Registration number, so receipts are qualified simplified invoices.
    #[cfg_attr(feature = "openapi", schema(value_type = String, pattern = "^T[0-9]{13}$"))]
    pub registration_number: RegistrationNumber,
    /// Whether catalog prices include tax.
    pub pricing: PricingMode,
    /// How each rate's tax is rounded.
    pub rounding: Rounding,
    /// A line at the foot of each receipt.
    pub receipt_footer: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_numbers_are_t_and_13_digits() {
        assert_eq!(RegistrationNumber::parse("T1234567890123").unwrap().as_str(), "T1234567890123");
        assert_eq!(
            RegistrationNumber::parse("Ｔ１２３４-５６７８-９０１２-３").unwrap().as_str(),
            "T1234567890123"
        );
        for bad in ["1234567890123", "T123456789012", "T12345678901234", "T12345678901X3", ""] {
            assert_eq!(
                RegistrationNumber::parse(bad),
                Err(Error::InvalidRegistrationNumber { value: bad.to_owned() })
            );
        }
    }
}
