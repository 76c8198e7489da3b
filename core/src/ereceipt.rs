//! E-receipt tokens: the unguessable part of the link a receipt's QR code carries.
//!
//! A token is `0x01 ‖ device id (16 B) ‖ nonce (16 B) ‖ tag (8 B)`, base64url without padding.
//! The register mints it at ring-up, offline, with a key both ends already have: SHA-256 of the
//! device's bearer token, which the server stores as `device.token_hash`. So the server can
//! tell a real token whose sale has not synced yet ("it will appear shortly") from a made-up
//! one (a bare 404) without a new secret to hand out. The nonce's 128 random bits make the
//! token unguessable; the 64-bit tag only tells real from forged, so it can be short.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The length of a token in characters: 41 bytes in base64url without padding.
pub const TOKEN_LEN: usize = 55;

/// The first byte of every token of this format, so that another can follow.
const VERSION: u8 = 0x01;
/// Version, device id and nonce: the bytes the tag covers.
const SIGNED_LEN: usize = 33;
/// How much of the HMAC a token keeps.
const TAG_LEN: usize = 8;
/// A token's bytes.
const BYTES: usize = SIGNED_LEN + TAG_LEN;

/// What a token names: the device that rang the sale up and the sale's random nonce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReceiptToken {
    /// The register that minted it (and whose key signs it).
    pub device_id: Uuid,
    /// 128 random bits from the register, made at ring-up.
    pub nonce: [u8; 16],
}

impl ReceiptToken {
    /// The token of a sale rung up on `device_id` with `nonce`, signed with the device's `key`
    /// ([`device_receipt_key`]).
    pub fn mint(device_id: Uuid, key: &[u8; 32], nonce: [u8; 16]) -> String {
        let mut bytes = [0u8; BYTES];
        bytes[0] = VERSION;
        bytes[1..17].copy_from_slice(device_id.as_bytes());
        bytes[17..SIGNED_LEN].copy_from_slice(&nonce);
        let tag = hmac_sha256(key, &bytes[..SIGNED_LEN]);
        bytes[SIGNED_LEN..].copy_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// What `text` names if it has a token's shape (length, alphabet, version); its tag is not
    /// checked, so use [`ReceiptToken::verify`] where the key is at hand.
    pub fn parse(text: &str) -> Option<ReceiptToken> {
        decode(text).map(|bytes| from_bytes(&bytes))
    }

    /// What `text` names if it is a token signed with `key`. The tag is compared in constant
    /// time, so that timing does not leak how much of a forged tag was right.
    pub fn verify(text: &str, key: &[u8; 32]) -> Option<ReceiptToken> {
        let bytes = decode(text)?;
        let tag = hmac_sha256(key, &bytes[..SIGNED_LEN]);
        let diff = tag[..TAG_LEN]
            .iter()
            .zip(&bytes[SIGNED_LEN..])
            .fold(0u8, |diff, (expected, given)| diff | (expected ^ given));
        // black_box keeps the optimiser from turning the fold into an early exit.
        (std::hint::black_box(diff) == 0).then(|| from_bytes(&bytes))
    }
}

/// The bytes of a token of the right shape: exactly [`TOKEN_LEN`] characters of base64url
/// without padding (canonical: the unused low bits of the last character must be zero, so a
/// token has one spelling), starting with the version byte.
fn decode(text: &str) -> Option<[u8; BYTES]> {
    if text.len() != TOKEN_LEN {
        return None;
    }
    let bytes: [u8; BYTES] = URL_SAFE_NO_PAD.decode(text).ok()?.try_into().ok()?;
    (bytes[0] == VERSION).then_some(bytes)
}

/// The device id and nonce of a decoded token.
fn from_bytes(bytes: &[u8; BYTES]) -> ReceiptToken {
    let mut device = [0u8; 16];
    device.copy_from_slice(&bytes[1..17]);
    let mut nonce = [0u8; 16];
    nonce.copy_from_slice(&bytes[17..SIGNED_LEN]);
    ReceiptToken { device_id: Uuid::from_bytes(device), nonce }
}

/// The key a device signs its tokens with: SHA-256 of its bearer token, the raw bytes of the
/// `device.token_hash` the server keeps (hex there).
pub fn device_receipt_key(device_token: &str) -> [u8; 32] {
    Sha256::digest(device_token.as_bytes()).into()
}

/// HMAC-SHA-256 (RFC 2104) of `msg` under `key`: a few lines on `sha2` rather than one more
/// crate in the register's bundle.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(msg).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

#[cfg(test)]
mod tests;
