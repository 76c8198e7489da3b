//! Who may use the register: staff, their roles and PINs, sign-in, and the rules a store's staff
//! keep (a PIN is 4 to 6 digits and unique in the store; a store with an owner keeps one). The
//! owner API, the server taking staff records from devices, and the app's settings all check
//! them here.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::tax::Named;

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

/// The staff member whose PIN this is, if any. PINs are unique per shop (see [`check_pin`]).
pub fn sign_in<'a>(staff: &'a [Staff], pin: &Pin) -> Option<&'a Staff> {
    staff.iter().find(|s| s.accepts(pin))
}

/// Refuses `pin` when another member of `staff` (not `except`) already signs in with it, which
/// would make sign-in ambiguous.
pub fn check_pin(staff: &[Staff], pin: &Pin, except: Option<Uuid>) -> Result<()> {
    if staff.iter().any(|s| Some(s.id) != except && s.accepts(pin)) {
        Err(Error::PinTaken)
    } else {
        Ok(())
    }
}

/// Refuses to give the member `id` of `staff` the role `becomes` (`None`: removed) when that
/// would leave a store that has an owner without one: someone must reach the settings.
pub fn check_owner_stays(staff: &[Staff], id: Uuid, becomes: Option<Role>) -> Result<()> {
    let owners = staff.iter().filter(|s| s.role == Role::Owner);
    let last = owners.clone().count() == 1 && owners.clone().any(|s| s.id == id);
    if last && becomes != Some(Role::Owner) { Err(Error::LastOwner) } else { Ok(()) }
}
#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(check_pin(&staff, &other, Some(owner.id)), Err(Error::PinTaken));
        assert_eq!(check_pin(&staff, &other, None), Err(Error::PinTaken));
        assert_eq!(check_pin(&staff, &pin, Some(owner.id)), Ok(()));
        assert_eq!(check_pin(&staff, &Pin::parse("1111").unwrap(), None), Ok(()));
        for bad in ["123", "1234567", "12a4", ""] {
            assert_eq!(Pin::parse(bad), Err(Error::InvalidPin { field: Field::top("pin") }));
        }
    }

    #[test]
    fn the_last_owner_stays() {
        let member =
            |n, role| Staff::new(Uuid::from_u128(n), "x", role, &Pin::parse("1234").unwrap(), "s");
        let (a, b, c) = (member(1, Role::Owner), member(2, Role::Owner), member(3, Role::Cashier));
        let one_owner = [a.clone(), c.clone()];
        assert_eq!(check_owner_stays(&one_owner, a.id, None), Err(Error::LastOwner));
        assert_eq!(check_owner_stays(&one_owner, a.id, Some(Role::Cashier)), Err(Error::LastOwner));
        assert_eq!(check_owner_stays(&one_owner, a.id, Some(Role::Owner)), Ok(()));
        assert_eq!(check_owner_stays(&one_owner, c.id, None), Ok(()));
        assert_eq!(check_owner_stays(&[a.clone(), b, c.clone()], a.id, None), Ok(()));
        // A store without an owner yet (a device's first staff) is not held to the rule.
        assert_eq!(check_owner_stays(std::slice::from_ref(&c), c.id, None), Ok(()));
    }
}
