//! Who may use the register: staff, their roles and PINs, sign-in, and the rules a store's staff
//! keep (a PIN is 4 to 6 digits and unique in the store; a store with an owner keeps one; a
//! member's PIN hash is a bounded argon2id hash). The owner API, the server taking staff records
//! from devices, and the app's settings all check them here.
//!
//! A PIN is hashed with argon2id, slow on purpose (about 100 ms a try on a tablet, see
//! docs/SECURITY.md), because every device holds every hash: a 4 to 6 digit PIN is otherwise
//! found in under a second. The hash is a PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`)
//! that carries its parameters and salt, so the cost can change later and older hashes still
//! verify. Hashes made before (SHA-256 of salt and PIN, hex) still verify so that no one is
//! locked out; the app re-hashes them at the next sign-in ([`Staff::needs_rehash`]).

use std::fmt;

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{Error, Field, Result};
use crate::name::Name;
use crate::tax::Named;

/// argon2id memory for a new PIN hash, in KiB (19 MiB, OWASP's choice for argon2id, which a
/// small tablet can spare).
const MEMORY_KIB: u32 = 19 * 1024;
/// argon2id passes for a new PIN hash: six make a try take about 100 ms in Chromium's wasm
/// (measured by the app's test `a_pin_try_is_slow_on_purpose`; docs/SECURITY.md).
const PASSES: u32 = 6;
/// Bytes of a PIN hash's output.
const OUTPUT_LEN: usize = 32;
/// The costs a stored hash may name: a device could otherwise send a hash that takes every
/// register gigabytes or minutes to check, or one so cheap it is no longer slow.
const MEMORY_KIB_RANGE: std::ops::RangeInclusive<u32> = 8 * 1024..=64 * 1024;
const PASSES_RANGE: std::ops::RangeInclusive<u32> = 1..=8;
const LANES_RANGE: std::ops::RangeInclusive<u32> = 1..=4;
/// Bytes of salt a caller passes to [`Staff::new`] (from a real random source).
pub const SALT_LEN: usize = 16;

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
    /// Salt of an older SHA-256 PIN hash; empty for an argon2id hash, which carries its own.
    pub salt: String,
    /// The PIN's argon2id hash as a PHC string (or an older SHA-256 hex): never the PIN.
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
    /// A staff member with `pin`, hashed with argon2id and `salt`, which must come from a real
    /// random source (the device or server makes it, [`SALT_LEN`] bytes).
    pub fn new(id: Uuid, name: &str, role: Role, pin: &Pin, salt: &[u8]) -> Result<Staff> {
        let hash = || {
            let params = Params::new(MEMORY_KIB, PASSES, 1, Some(OUTPUT_LEN))?;
            let salt = SaltString::encode_b64(salt)?;
            let hash = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
                .hash_password(pin.0.as_bytes(), &salt)?;
            Ok::<_, argon2::password_hash::Error>(hash.to_string())
        };
        let pin_hash = hash().map_err(|err| Error::Invalid {
            field: Field::top("pin_hash"),
            detail: format!("the PIN could not be hashed: {err}"),
        })?;
        Ok(Staff { id, name: name.to_owned(), role, salt: String::new(), pin_hash })
    }

    /// True when `pin` is this person's. A hash outside the allowed shape accepts nothing.
    pub fn accepts(&self, pin: &Pin) -> bool {
        match bounded(&self.pin_hash) {
            Some((hash, params)) => {
                let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                hash.verify_password(&[&argon2], pin.0.as_bytes()).is_ok()
            }
            None => legacy_shape(&self.pin_hash) && legacy_hash(&self.salt, pin) == self.pin_hash,
        }
    }

    /// True when the hash is older than today's: the device re-hashes it with the PIN just
    /// entered, once that PIN is accepted.
    pub fn needs_rehash(&self) -> bool {
        bounded(&self.pin_hash)
            .is_none_or(|(_, params)| (params.m_cost(), params.t_cost()) != (MEMORY_KIB, PASSES))
    }

    /// The rules every staff record keeps, wherever it comes from (the owner API makes them,
    /// devices send them): a name, and a PIN hash in today's format with bounded costs.
    pub fn check(&self) -> Result<()> {
        Name::parse(&self.name, Field::top("name"))?;
        match bounded(&self.pin_hash) {
            Some(_) => Ok(()),
            None => Err(Error::Invalid {
                field: Field::top("pin_hash"),
                detail: "not an argon2id PIN hash within the allowed costs".to_owned(),
            }),
        }
    }
}

/// The argon2id PHC hash and its parameters when `text` is one with costs in the allowed
/// ranges, 16 to 64 bytes of salt and a 32-byte output.
fn bounded(text: &str) -> Option<(PasswordHash<'_>, Params)> {
    let hash = PasswordHash::new(text).ok()?;
    let params = Params::try_from(&hash).ok()?;
    let salt_len = hash.salt.map_or(0, |salt| salt.as_str().len());
    let shaped = hash.algorithm == Algorithm::Argon2id.ident()
        && hash.version == Some(Version::V0x13.into())
        && MEMORY_KIB_RANGE.contains(&params.m_cost())
        && PASSES_RANGE.contains(&params.t_cost())
        && LANES_RANGE.contains(&params.p_cost())
        && (22..=86).contains(&salt_len)
        && hash.hash.is_some_and(|out| out.len() == OUTPUT_LEN);
    shaped.then_some((hash, params))
}

/// An older hash: SHA-256, 64 lower-case hex digits.
fn legacy_shape(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The older hash: one SHA-256 of salt, a zero byte and the PIN.
fn legacy_hash(salt: &str, pin: &Pin) -> String {
    let mut digest = Sha256::new();
    digest.update(salt.as_bytes());
    digest.update([0]);
    digest.update(pin.0.as_bytes());
    hex::encode(digest.finalize())
}

/// Refuses `pin` when another member of `staff` (not `except`) already signs in with it, which
/// would make sign-in ambiguous: the register finds who signs in by the PIN alone.
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

    fn member(n: u128, role: Role, pin: &str) -> Staff {
        let salt = n.to_le_bytes();
        Staff::new(Uuid::from_u128(n), "x", role, &Pin::parse(pin).unwrap(), &salt).unwrap()
    }

    #[test]
    fn staff_sign_in_with_their_own_pin_only() {
        let pin = Pin::parse("2580").unwrap();
        let other = Pin::parse("0000").unwrap();
        let owner =
            Staff::new(Uuid::from_u128(1), "店長", Role::Owner, &pin, b"salt-a-sixteen!!").unwrap();
        let cashier =
            Staff::new(Uuid::from_u128(2), "佐藤", Role::Cashier, &other, b"salt-b-sixteen!!")
                .unwrap();
        let staff = vec![owner.clone(), cashier];
        assert!(!owner.pin_hash.contains("2580"));
        let sign_in = |pin: &Pin| staff.iter().find(|s| s.accepts(pin)).map(|s| s.name.as_str());
        assert_eq!(sign_in(&pin), Some("店長"));
        assert_eq!(sign_in(&Pin::parse("1111").unwrap()), None);
        assert_eq!(check_pin(&staff, &other, Some(owner.id)), Err(Error::PinTaken));
        assert_eq!(check_pin(&staff, &other, None), Err(Error::PinTaken));
        assert_eq!(check_pin(&staff, &pin, Some(owner.id)), Ok(()));
        assert_eq!(check_pin(&staff, &Pin::parse("1111").unwrap(), None), Ok(()));
        for bad in ["123", "1234567", "12a4", ""] {
            assert_eq!(Pin::parse(bad), Err(Error::InvalidPin { field: Field::top("pin") }));
        }
    }

    #[test]
    fn a_pin_hash_is_a_salted_argon2id_phc_string() {
        let a = member(1, Role::Cashier, "1234");
        let b = member(2, Role::Cashier, "1234");
        assert!(a.pin_hash.starts_with("$argon2id$v=19$m=19456,t=6,p=1$"), "{}", a.pin_hash);
        assert_ne!(a.pin_hash, b.pin_hash, "another salt, another hash");
        assert!(a.salt.is_empty() && !a.needs_rehash());
        assert_eq!(a.check(), Ok(()));
    }

    #[test]
    fn an_older_sha256_hash_still_signs_in_and_asks_to_be_rehashed() {
        let pin = Pin::parse("482913").unwrap();
        let old = Staff {
            id: Uuid::from_u128(1),
            name: "店長".into(),
            role: Role::Owner,
            salt: "salt".into(),
            pin_hash: legacy_hash("salt", &pin),
        };
        assert!(old.accepts(&pin) && !old.accepts(&Pin::parse("482914").unwrap()));
        assert!(old.needs_rehash());
        // Devices must send today's format.
        assert_eq!(old.check().unwrap_err().field(), Field::top("pin_hash"));
    }

    #[test]
    fn a_pin_hash_of_another_shape_or_outside_the_costs_is_refused_and_accepts_nothing() {
        let good = member(1, Role::Owner, "1234");
        let tail = good.pin_hash.rsplitn(3, '$').take(2).collect::<Vec<_>>();
        let (salt, out) = (tail[1], tail[0]);
        let with = |head: &str| format!("{head}${salt}${out}");
        for bad in [
            "not-a-hash".to_owned(),
            String::new(),
            with("$argon2id$v=19$m=4194304,t=2,p=1"),
            with("$argon2id$v=19$m=19456,t=1000,p=1"),
            with("$argon2id$v=19$m=19456,t=2,p=64"),
            with("$argon2id$v=19$m=8,t=1,p=1"),
            with("$argon2i$v=19$m=19456,t=2,p=1"),
            with("$argon2id$v=16$m=19456,t=2,p=1"),
            format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${out}"),
        ] {
            let staff = Staff { pin_hash: bad.clone(), ..good.clone() };
            let refused = staff.check().unwrap_err();
            assert_eq!(
                (refused.code(), refused.field()),
                (crate::api::ErrorCode::Invalid, Field::top("pin_hash")),
                "{bad}"
            );
            assert!(!staff.accepts(&Pin::parse("1234").unwrap()), "{bad}");
        }
        let nameless = Staff { name: " ".into(), ..good };
        assert_eq!(nameless.check().unwrap_err().field(), Field::top("name"));
    }

    #[test]
    fn the_last_owner_stays() {
        let (a, b, c) = (
            member(1, Role::Owner, "1234"),
            member(2, Role::Owner, "1234"),
            member(3, Role::Cashier, "1234"),
        );
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
