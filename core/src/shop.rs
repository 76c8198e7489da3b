//! The shop's settings: what every receipt prints, how prices and tax work, and who may use the
//! register.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::tax::{Named, PricingMode, Rounding};

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
            .chars()
            .filter_map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                'Ｔ' | 't' | 'ｔ' => Some('T'),
                ' ' | '　' | '-' | '－' | 'ー' => None,
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

/// What a staff member may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees everything: settings, catalog, reports.
    Owner,
    /// Rings up sales, refunds and shifts.
    Cashier,
}

impl Named for Role {
    // Cashier first: the usual choice when adding someone.
    const NAMES: &'static [(&'static str, Self)] =
        &[("cashier", Role::Cashier), ("owner", Role::Owner)];
    const EXPECTED: &'static str = "cashier, owner";
}

/// A person who signs in at the register with a PIN.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Staff {
    /// Id, made where the staff member was added.
    pub id: Uuid,
    /// Name shown on receipts and reports.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// Salt for the PIN hash.
    pub salt: String,
    /// SHA-256 of salt and PIN, hex: the PIN itself is never stored.
    pub pin_hash: String,
}

/// A staff PIN: 4 to 6 digits.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

impl Pin {
    /// Reads a PIN, refusing anything but 4 to 6 digits.
    pub fn parse(text: &str) -> Result<Pin> {
        if (4..=6).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Pin(text.to_owned()))
        } else {
            Err(Error::InvalidPin { field: Field::top("pin") })
        }
    }
}

impl Staff {
    /// A staff member with `pin`; `salt` should be random (the device makes it).
    pub fn new(id: Uuid, name: &str, role: Role, pin: &Pin, salt: &str) -> Staff {
        Staff { id, name: name.to_owned(), role, salt: salt.to_owned(), pin_hash: hash(salt, pin) }
    }

    /// True when `pin` is this person's.
    pub fn accepts(&self, pin: &Pin) -> bool {
        hash(&self.salt, pin) == self.pin_hash
    }
}

fn hash(salt: &str, pin: &Pin) -> String {
    let mut digest = Sha256::new();
    digest.update(salt.as_bytes());
    digest.update([0]);
    digest.update(pin.0.as_bytes());
    hex::encode(digest.finalize())
}

/// The staff member whose PIN this is, if any. PINs are unique per shop (see [`pin_taken`]).
pub fn sign_in<'a>(staff: &'a [Staff], pin: &Pin) -> Option<&'a Staff> {
    staff.iter().find(|s| s.accepts(pin))
}

/// True when another staff member (not `except`) already has `pin`, which would make sign-in
/// ambiguous.
pub fn pin_taken(staff: &[Staff], pin: &Pin, except: Option<Uuid>) -> bool {
    staff.iter().any(|s| Some(s.id) != except && s.accepts(pin))
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

    #[test]
    fn staff_sign_in_with_their_own_pin_only() {
        let pin = Pin::parse("2580").unwrap();
        let other = Pin::parse("0000").unwrap();
        let owner = Staff::new(Uuid::from_u128(1), "店長", Role::Owner, &pin, "salt-a");
        let cashier = Staff::new(Uuid::from_u128(2), "佐藤", Role::Cashier, &other, "salt-b");
        let staff = vec![owner.clone(), cashier];
        assert!(!owner.pin_hash.contains("2580"));
        assert_eq!(sign_in(&staff, &pin).map(|s| s.name.as_str()), Some("店長"));
        assert_eq!(sign_in(&staff, &Pin::parse("1111").unwrap()), None);
        assert!(pin_taken(&staff, &other, Some(owner.id)));
        assert!(!pin_taken(&staff, &pin, Some(owner.id)));
        for bad in ["123", "1234567", "12a4", ""] {
            assert!(Pin::parse(bad).is_err());
        }
    }
}
