use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use uuid::Uuid;

use super::*;

fn device() -> Uuid {
    Uuid::from_u128(1000)
}

fn key() -> [u8; 32] {
    device_receipt_key("device-token")
}

const NONCE: [u8; 16] = [7; 16];

/// The token of the tests' device and nonce, as Python's hmac, hashlib and base64 modules
/// make it: a second implementation agrees with this one.
const KNOWN: &str = "AQAAAAAAAAAAAAAAAAAAA-gHBwcHBwcHBwcHBwcHBwcHiC5D-mHuiPE";

#[test]
fn hmac_sha256_passes_rfc_4231_cases_1_2_and_6() {
    let cases: [(&[u8], &[u8], &str); 3] = [
        (
            &[0x0b; 20],
            b"Hi There",
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        // A key longer than the block is hashed first.
        (
            &[0xaa; 131],
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
    ];
    for (number, (key, msg, mac)) in cases.iter().enumerate() {
        assert_eq!(hex::encode(hmac_sha256(key, msg)), *mac, "case {}", [1, 2, 6][number]);
    }
}

#[test]
fn the_key_is_the_raw_token_hash_the_server_keeps() {
    // The server stores hex(SHA-256(token)) as device.token_hash.
    assert_eq!(
        hex::encode(device_receipt_key("abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn a_minted_token_verifies_and_names_its_device_and_nonce() {
    let token = ReceiptToken::mint(device(), &key(), NONCE);
    assert_eq!(token, KNOWN);
    assert_eq!(token.len(), TOKEN_LEN);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let named = ReceiptToken { device_id: device(), nonce: NONCE };
    assert_eq!(ReceiptToken::verify(&token, &key()), Some(named));
    assert_eq!(ReceiptToken::parse(&token), Some(named));
}

#[test]
fn every_token_is_55_characters() {
    for n in [0u128, 1, u128::MAX] {
        let token = ReceiptToken::mint(Uuid::from_u128(n), &[n as u8; 32], n.to_le_bytes());
        assert_eq!(token.len(), TOKEN_LEN);
        assert!(ReceiptToken::verify(&token, &[n as u8; 32]).is_some());
    }
}

#[test]
fn any_flipped_bit_fails_verification() {
    let bytes = URL_SAFE_NO_PAD.decode(KNOWN).unwrap();
    for index in 0..bytes.len() {
        for bit in 0..8 {
            let mut forged = bytes.clone();
            forged[index] ^= 1 << bit;
            let forged = URL_SAFE_NO_PAD.encode(&forged);
            assert_eq!(ReceiptToken::verify(&forged, &key()), None, "byte {index} bit {bit}");
        }
    }
}

#[test]
fn another_key_or_another_device_fails_verification() {
    let other_key = device_receipt_key("another-device-token");
    assert_eq!(ReceiptToken::verify(KNOWN, &other_key), None);
    // A token of this device relabelled as another's, checked with that device's key.
    let other = Uuid::from_u128(1001);
    let mut bytes = URL_SAFE_NO_PAD.decode(KNOWN).unwrap();
    bytes[1..17].copy_from_slice(other.as_bytes());
    let relabelled = URL_SAFE_NO_PAD.encode(&bytes);
    assert_eq!(ReceiptToken::parse(&relabelled).map(|t| t.device_id), Some(other));
    assert_eq!(ReceiptToken::verify(&relabelled, &other_key), None);
    assert_eq!(ReceiptToken::verify(&relabelled, &key()), None);
    // The other device's own token does not verify with this device's key.
    let theirs = ReceiptToken::mint(other, &other_key, NONCE);
    assert!(ReceiptToken::verify(&theirs, &other_key).is_some());
    assert_eq!(ReceiptToken::verify(&theirs, &key()), None);
}

#[test]
fn parse_refuses_the_wrong_length_alphabet_or_version() {
    let refused = |text: &str| {
        assert_eq!(ReceiptToken::parse(text), None, "{text:?}");
        assert_eq!(ReceiptToken::verify(text, &key()), None, "{text:?}");
    };
    refused("");
    refused(&KNOWN[..TOKEN_LEN - 1]);
    refused(&format!("{KNOWN}A"));
    refused(&format!("{KNOWN}="));
    // Standard base64's + and / are not base64url's.
    for wrong in ["+", "/", "*", " ", "="] {
        refused(&format!("{}{wrong}{}", &KNOWN[..10], &KNOWN[11..]));
    }
    // Same length in bytes, but not ASCII.
    refused(&format!("{}é", &KNOWN[..TOKEN_LEN - 2]));
    // The last character carries 2 unused bits, which must be zero: one spelling per token.
    refused(&format!("{}F", &KNOWN[..TOKEN_LEN - 1]));
    // Version 2, correctly signed, is not this format.
    let mut bytes = URL_SAFE_NO_PAD.decode(KNOWN).unwrap();
    bytes[0] = 2;
    let tag = hmac_sha256(&key(), &bytes[..33]);
    bytes[33..].copy_from_slice(&tag[..8]);
    refused(&URL_SAFE_NO_PAD.encode(&bytes));
}
