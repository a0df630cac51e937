//! [`MasterKey`]: a key-encryption key (KEK), and the parsing of its text forms.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use secrecy::SecretString;
use zeroize::Zeroizing;

use crate::error::Result;
use crate::key_id::KeyId;
use crate::random;

/// Length of a master key in bytes (AES-256).
pub const MASTER_KEY_LEN: usize = 32;

/// A 32-byte key-encryption key with its public [`KeyId`].
///
/// The bytes are wiped from memory when the value is dropped; `Debug` shows
/// only the id.
#[derive(Clone)]
pub struct MasterKey {
    bytes: Zeroizing<[u8; MASTER_KEY_LEN]>,
    id: KeyId,
}

impl MasterKey {
    /// Creates a fresh random key from the operating system's generator.
    ///
    /// # Errors
    /// [`SecretsError::Randomness`](crate::SecretsError::Randomness) when the OS generator fails.
    pub fn generate() -> Result<Self> {
        let mut bytes = Zeroizing::new([0_u8; MASTER_KEY_LEN]);
        random::fill(bytes.as_mut_slice())?;
        Ok(Self::from_zeroizing(bytes))
    }

    /// Wraps existing key bytes.
    #[must_use]
    pub fn from_bytes(bytes: [u8; MASTER_KEY_LEN]) -> Self {
        Self::from_zeroizing(Zeroizing::new(bytes))
    }

    fn from_zeroizing(bytes: Zeroizing<[u8; MASTER_KEY_LEN]>) -> Self {
        let id = KeyId::derive(&bytes);
        Self { bytes, id }
    }

    /// The key's public id.
    #[must_use]
    pub fn id(&self) -> &KeyId {
        &self.id
    }

    /// The key as standard base64, the form accepted by `SELLERLINK_MASTER_KEY`
    /// (for a `keys generate` command or a key file).
    #[must_use]
    pub fn export_base64(&self) -> SecretString {
        SecretString::from(STANDARD.encode(self.bytes.as_slice()))
    }

    pub(crate) fn bytes(&self) -> &[u8; MASTER_KEY_LEN] {
        &self.bytes
    }

    /// Parses base64 (standard alphabet, padded) or 64 hex digits; surrounding
    /// whitespace is ignored. The error never contains the value.
    pub(crate) fn parse_encoded(value: &str) -> Result<Self, KeyProblem> {
        let value = value.trim();
        if value.is_empty() {
            return Err(KeyProblem::Empty);
        }
        if value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Self::parse_hex(value);
        }
        Self::parse_base64(value)
    }

    fn parse_hex(value: &str) -> Result<Self, KeyProblem> {
        let mut bytes = Zeroizing::new([0_u8; MASTER_KEY_LEN]);
        if value.len() != MASTER_KEY_LEN * 2 {
            return Err(KeyProblem::HexDigitCount {
                digits: value.len(),
            });
        }
        hex::decode_to_slice(value, bytes.as_mut_slice())
            .map_err(|_| KeyProblem::Alphabet { position: 1 })?;
        Ok(Self::from_zeroizing(bytes))
    }

    fn parse_base64(value: &str) -> Result<Self, KeyProblem> {
        if let Some(index) = value
            .chars()
            .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')))
        {
            return Err(KeyProblem::Alphabet {
                position: index + 1,
            });
        }
        let decoded = Zeroizing::new(
            STANDARD
                .decode(value)
                .map_err(|_| KeyProblem::Base64Layout)?,
        );
        let array: [u8; MASTER_KEY_LEN] =
            decoded
                .as_slice()
                .try_into()
                .map_err(|_| KeyProblem::DecodedLength {
                    bytes: decoded.len(),
                })?;
        Ok(Self::from_zeroizing(Zeroizing::new(array)))
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// What is wrong with a master key's text form. Never contains the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyProblem {
    /// Nothing but whitespace.
    #[error("it is empty")]
    Empty,
    /// A character outside both alphabets.
    #[error(
        "character {position} is neither a hex digit nor standard base64 \
         (A-Z, a-z, 0-9, '+', '/' and '=' padding)"
    )]
    Alphabet {
        /// 1-based position of the first offending character (after trimming).
        position: usize,
    },
    /// Only hex digits, but not 64 of them.
    #[error("it has {digits} hex digits instead of 64")]
    HexDigitCount {
        /// Number of hex digits found.
        digits: usize,
    },
    /// Base64 characters in an impossible arrangement (padding, length).
    #[error("it is not well-formed base64 (check the length and the '=' padding)")]
    Base64Layout,
    /// Valid base64 of the wrong length.
    #[error("it decodes to {bytes} bytes instead of 32")]
    DecodedLength {
        /// Number of decoded bytes.
        bytes: usize,
    },
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    #[test]
    fn base64_and_hex_forms_give_the_same_key() {
        let key = MasterKey::from_bytes([0xab; 32]);
        let b64 = key.export_base64();
        let from_b64 = MasterKey::parse_encoded(b64.expose_secret()).unwrap();
        let from_hex = MasterKey::parse_encoded(&"ab".repeat(32)).unwrap();
        let from_upper_hex = MasterKey::parse_encoded(&"AB".repeat(32)).unwrap();
        assert_eq!(from_b64.bytes(), key.bytes());
        assert_eq!(from_hex.id(), key.id());
        assert_eq!(from_upper_hex.id(), key.id());
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        let key = MasterKey::parse_encoded(&format!("  {}\n", "01".repeat(32))).unwrap();
        assert_eq!(key.bytes(), &[1; 32]);
    }

    #[test]
    fn each_problem_is_classified() {
        assert_eq!(
            MasterKey::parse_encoded(" \n").unwrap_err(),
            KeyProblem::Empty
        );
        assert_eq!(
            MasterKey::parse_encoded(&"a".repeat(63)).unwrap_err(),
            KeyProblem::HexDigitCount { digits: 63 }
        );
        assert_eq!(
            MasterKey::parse_encoded("abc def").unwrap_err(),
            KeyProblem::Alphabet { position: 4 }
        );
        assert_eq!(
            MasterKey::parse_encoded("abc=defg").unwrap_err(),
            KeyProblem::Base64Layout
        );
        assert_eq!(
            MasterKey::parse_encoded(&"Z".repeat(24)).unwrap_err(),
            KeyProblem::DecodedLength { bytes: 18 }
        );
    }

    #[test]
    fn generated_keys_differ() {
        let a = MasterKey::generate().unwrap();
        let b = MasterKey::generate().unwrap();
        assert_ne!(a.id(), b.id());
        assert_ne!(a.bytes(), b.bytes());
    }
}
