//! [`Keyring`]: the current master key plus the previous ones still accepted
//! for opening, and where they come from (environment or key file).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::error::{Result, SecretsError};
use crate::key_file;
use crate::key_id::KeyId;
use crate::master_key::MasterKey;
use crate::{MASTER_KEY_VAR, PREVIOUS_MASTER_KEYS_VAR};

/// Where a [`Keyring`] was loaded from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeySource {
    /// `SELLERLINK_MASTER_KEY` (and `SELLERLINK_PREVIOUS_MASTER_KEYS`).
    Environment,
    /// A key file; reloading it picks up keys added by a rotation.
    File(PathBuf),
    /// Keys handed to [`Keyring::new`].
    Explicit,
}

/// One current master key that seals, plus previous keys that still open.
///
/// `Debug` shows key ids only.
#[derive(Debug, Clone)]
pub struct Keyring {
    current: MasterKey,
    previous: Vec<MasterKey>,
    source: KeySource,
}

impl Keyring {
    /// A keyring from keys already in hand. Previous keys equal to the current
    /// one, or repeated, are kept once.
    #[must_use]
    pub fn new(current: MasterKey, previous: impl IntoIterator<Item = MasterKey>) -> Self {
        Self::with_source(current, previous, KeySource::Explicit)
    }

    pub(crate) fn with_source(
        current: MasterKey,
        previous: impl IntoIterator<Item = MasterKey>,
        source: KeySource,
    ) -> Self {
        let mut keyring = Self {
            current,
            previous: Vec::new(),
            source,
        };
        for key in previous {
            if !keyring.contains(key.id()) {
                keyring.previous.push(key);
            }
        }
        keyring
    }

    /// A 32-byte key for `purpose` (e.g. signing the web app's cookies), derived from the current master key with
    /// HMAC-SHA256, so every process that shares the master key derives the same one and nothing else needs
    /// distributing. Different purposes give unrelated keys; a rotation changes them.
    #[must_use]
    pub fn derive_key(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        use hmac::{KeyInit as _, Mac as _};
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(self.current.bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(b"sellerlink/v1|derived-key|");
        mac.update(purpose.as_bytes());
        Zeroizing::new(mac.finalize().into_bytes().into())
    }

    /// Builds a keyring from the values of `SELLERLINK_MASTER_KEY` and the
    /// entries of `SELLERLINK_PREVIOUS_MASTER_KEYS`. Each value is 32 bytes as
    /// standard base64 or as 64 hex digits.
    ///
    /// # Errors
    /// [`SecretsError::InvalidMasterKey`] naming the variable (and entry), the
    /// problem and the expected format, never the value.
    pub fn from_env_value(current: &str, previous: &[&str]) -> Result<Self> {
        let current = MasterKey::parse_encoded(current).map_err(|problem| {
            SecretsError::InvalidMasterKey {
                variable: MASTER_KEY_VAR,
                entry: None,
                problem,
            }
        })?;
        let previous = previous
            .iter()
            .enumerate()
            .map(|(index, value)| {
                MasterKey::parse_encoded(value).map_err(|problem| SecretsError::InvalidMasterKey {
                    variable: PREVIOUS_MASTER_KEYS_VAR,
                    entry: Some(index + 1),
                    problem,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self::with_source(current, previous, KeySource::Environment))
    }

    /// The keyring for a process: the environment when `env_current` is set,
    /// otherwise the key file (created on first run).
    ///
    /// `env_previous` is the comma-separated `SELLERLINK_PREVIOUS_MASTER_KEYS`;
    /// blank entries are skipped. An empty `env_current` is an error rather
    /// than a silent switch to the key file.
    ///
    /// # Errors
    /// As [`from_env_value`](Self::from_env_value) and
    /// [`load_or_create_file`](Self::load_or_create_file);
    /// [`SecretsError::PreviousKeysWithoutCurrent`] when only previous keys are set.
    pub fn resolve(
        env_current: Option<&str>,
        env_previous: Option<&str>,
        key_file: &Path,
    ) -> Result<Self> {
        let previous: Vec<&str> = env_previous
            .unwrap_or_default()
            .split(',')
            .filter(|entry| !entry.trim().is_empty())
            .collect();
        match env_current {
            Some(current) => Self::from_env_value(current, &previous),
            None if previous.is_empty() => Self::load_or_create_file(key_file),
            None => Err(SecretsError::PreviousKeysWithoutCurrent),
        }
    }

    /// Loads the JSON key file at `path`, or creates it (and its parent
    /// directories) with one fresh key when it does not exist. The file is
    /// written atomically with mode 0600; an existing file open to group or
    /// others is refused. Processes starting at the same moment all end up
    /// with the same key.
    ///
    /// # Errors
    /// [`SecretsError::KeyFilePermissions`], [`SecretsError::KeyFileInvalid`],
    /// [`SecretsError::KeyFileIo`], [`SecretsError::Randomness`].
    pub fn load_or_create_file(path: &Path) -> Result<Self> {
        key_file::load_or_create(path).map(|keys| keys.into_keyring(path))
    }

    /// Loads an existing key file (see [`load_or_create_file`](Self::load_or_create_file)),
    /// e.g. to pick up a key added by a rotation in another process.
    ///
    /// # Errors
    /// [`SecretsError::KeyFileMissing`] when there is no file, otherwise as
    /// [`load_or_create_file`](Self::load_or_create_file).
    pub fn load_file(path: &Path) -> Result<Self> {
        key_file::load_existing(path).map(|keys| keys.into_keyring(path))
    }

    /// Adds a fresh key to the key file and makes it current; older keys stay
    /// in the file so values sealed under them keep opening. Returns the new
    /// key's id. Run one rotation at a time.
    ///
    /// # Errors
    /// [`SecretsError::KeyFileMissing`] when there is no key file, otherwise as
    /// [`load_or_create_file`](Self::load_or_create_file).
    pub fn rotate_file(path: &Path) -> Result<KeyId> {
        key_file::rotate(path)
    }

    /// Removes a previous key from the key file, once every value sealed under
    /// it has been [`reseal`](Self::reseal)ed.
    ///
    /// # Errors
    /// [`SecretsError::CannotRetireCurrent`] for the current key,
    /// [`SecretsError::UnknownKey`] when the file has no such key, otherwise as
    /// [`load_file`](Self::load_file).
    pub fn retire_file_key(path: &Path, kek_id: &KeyId) -> Result<()> {
        key_file::retire(path, kek_id)
    }

    /// Id of the key that seals new values.
    #[must_use]
    pub fn current_id(&self) -> &KeyId {
        self.current.id()
    }

    /// Ids of all keys, the current one first.
    pub fn key_ids(&self) -> impl Iterator<Item = &KeyId> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .map(MasterKey::id)
    }

    /// Whether the keyring holds the key `id`.
    #[must_use]
    pub fn contains(&self, id: &KeyId) -> bool {
        self.find(id).is_some()
    }

    /// Where the keys came from.
    #[must_use]
    pub fn source(&self) -> &KeySource {
        &self.source
    }

    pub(crate) fn current(&self) -> &MasterKey {
        &self.current
    }

    pub(crate) fn find(&self, id: &KeyId) -> Option<&MasterKey> {
        std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|key| key.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_are_the_same_for_one_master_key_and_differ_by_purpose_and_key() {
        let one = Keyring::new(MasterKey::from_bytes([7; 32]), []);
        let same = Keyring::new(MasterKey::from_bytes([7; 32]), []);
        let other = Keyring::new(MasterKey::from_bytes([8; 32]), []);
        assert_eq!(*one.derive_key("cookies"), *same.derive_key("cookies"));
        assert_ne!(*one.derive_key("cookies"), *one.derive_key("other"));
        assert_ne!(*one.derive_key("cookies"), *other.derive_key("cookies"));
        assert_ne!(*one.derive_key("cookies"), [7; 32]);
    }
}
