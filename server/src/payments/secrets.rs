//! Providers' API secrets at rest: sealed with AES-256-GCM (`ring`) under the server's secrets
//! key, a random 96-bit nonce per seal, the store and provider as associated data (a sealed
//! secret copied to another store's row does not open). The key is 32 random bytes, base64, in
//! a file named by `--secrets-key` / `AKINAI_SECRETS_KEY`; without one the server makes
//! `akinai-secrets.key` (mode 0600) beside its database and says so. Losing the key loses the
//! secrets, nothing else: the owner enters them again.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore as _;
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

use akinai_core::api::ErrorCode;

use crate::error::{Error, Result};

/// The file a key is made in when none is given.
pub const DEFAULT_KEY_FILE: &str = "akinai-secrets.key";

/// Seals and opens secrets with one key (none: every secret is locked).
pub struct Sealer {
    /// The key.
    key: Option<LessSafeKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

/// 32 random bytes (the thread's generator, seeded from the system).
fn random_key() -> [u8; KEY_LEN] {
    let mut bytes = [0u8; KEY_LEN];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A key's length.
const KEY_LEN: usize = 32;

impl Sealer {
    /// A sealer over the 32 bytes `key`.
    pub fn new(key: &[u8; KEY_LEN]) -> Sealer {
        Sealer { key: UnboundKey::new(&AES_256_GCM, key).ok().map(LessSafeKey::new) }
    }

    /// A sealer with a new random key that lives as long as the process (tests, and servers
    /// built in-process).
    pub fn ephemeral() -> Sealer {
        Sealer::new(&random_key())
    }

    /// The sealer of the key in `file`, made there first (0600) when `create` and it is missing.
    pub fn from_file(file: &Path, create: bool) -> Result<Sealer> {
        if create && !file.exists() {
            write_private(file, &STANDARD.encode(random_key()))?;
            tracing::warn!(
                file = %file.display(),
                "made a new secrets key; keep it with the database (backups do not include it)"
            );
        }
        let text = std::fs::read_to_string(file)
            .map_err(|err| Error::Internal(format!("reading {}: {err}", file.display())))?;
        let key: [u8; KEY_LEN] =
            STANDARD.decode(text.trim()).ok().and_then(|key| key.try_into().ok()).ok_or_else(
                || Error::Internal(format!("{}: not 32 bytes in base64", file.display())),
            )?;
        Ok(Sealer::new(&key))
    }

    /// `secret` sealed for `context`: base64 of nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, context: &str, secret: &str) -> Result<String> {
        let key = self.key.as_ref().ok_or(Error::Payment(ErrorCode::SecretsLocked))?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let mut data = secret.as_bytes().to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(context.as_bytes()),
            &mut data,
        )
        .map_err(|_| Error::Internal("sealing failed".to_owned()))?;
        let mut out = nonce.to_vec();
        out.extend(data);
        Ok(STANDARD.encode(out))
    }

    /// The secret `sealed` for `context`, or `None` when it does not open (another key, another
    /// context, or damaged).
    pub fn open(&self, context: &str, sealed: &str) -> Option<String> {
        let bytes = STANDARD.decode(sealed).ok()?;
        let (nonce, data) = bytes.split_at_checked(NONCE_LEN)?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut data = data.to_vec();
        let plain = self
            .key
            .as_ref()?
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut data)
            .ok()?;
        String::from_utf8(plain.to_vec()).ok()
    }
}

/// Writes `text` to a new file only its owner can read.
fn write_private(file: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options
        .open(file)
        .map_err(|err| Error::Internal(format!("creating {}: {err}", file.display())))?;
    out.write_all(text.as_bytes())
        .map_err(|err| Error::Internal(format!("writing {}: {err}", file.display())))
}

/// Where the key is made when none is given: beside the SQLite file, or in the working
/// directory for PostgreSQL.
pub fn default_key_file(sqlite_file: Option<&Path>) -> PathBuf {
    let dir = sqlite_file.and_then(Path::parent).filter(|dir| !dir.as_os_str().is_empty());
    dir.map_or_else(|| PathBuf::from(DEFAULT_KEY_FILE), |dir| dir.join(DEFAULT_KEY_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_context() {
        let sealer = Sealer::ephemeral();
        let sealed = sealer.seal("store-1|paypay", "s3cret").unwrap();
        assert!(!sealed.contains("s3cret"));
        assert_ne!(sealed, sealer.seal("store-1|paypay", "s3cret").unwrap(), "fresh nonce");
        assert_eq!(sealer.open("store-1|paypay", &sealed).as_deref(), Some("s3cret"));
        assert_eq!(sealer.open("store-2|paypay", &sealed), None);
        assert_eq!(Sealer::ephemeral().open("store-1|paypay", &sealed), None);
        assert_eq!(sealer.open("store-1|paypay", "AAAA"), None);
    }

    #[test]
    fn a_missing_key_file_is_made_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = default_key_file(Some(&dir.path().join("akinai.db")));
        assert_eq!(file, dir.path().join(DEFAULT_KEY_FILE));
        assert!(Sealer::from_file(&file, false).is_err());
        let sealed = Sealer::from_file(&file, true).unwrap().seal("c", "x").unwrap();
        assert_eq!(
            Sealer::from_file(&file, true).unwrap().open("c", &sealed).as_deref(),
            Some("x")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(default_key_file(None), PathBuf::from(DEFAULT_KEY_FILE));
    }
}
