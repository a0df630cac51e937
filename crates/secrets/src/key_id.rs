//! [`KeyId`]: the short, stable, public name of a master key.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::error::{Result, SecretsError};

/// Domain-separation label hashed in front of the key to derive its id.
const ID_LABEL: &[u8] = b"sellerlink-kek";

/// Short stable id of a master key: the first 8 bytes (16 hex digits) of
/// SHA-256(`"sellerlink-kek"` ‖ key).
///
/// It is safe to log and to store next to ciphertext; it identifies the key
/// without revealing it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId([u8; KeyId::LEN]);

impl KeyId {
    /// Length of the id in bytes (it is shown as twice as many hex digits).
    pub const LEN: usize = 8;

    /// Derives the id of a 32-byte key.
    pub(crate) fn derive(key: &[u8; 32]) -> Self {
        let digest = Sha256::new()
            .chain_update(ID_LABEL)
            .chain_update(key)
            .finalize();
        let mut id = [0_u8; Self::LEN];
        id.copy_from_slice(&digest[..Self::LEN]);
        Self(id)
    }

    /// Parses the 16-lowercase-hex-digit form produced by [`Display`](fmt::Display).
    ///
    /// # Errors
    /// [`SecretsError::InvalidKeyId`] naming the problem (length or alphabet).
    pub fn parse(text: &str) -> Result<Self> {
        let digits = Self::LEN * 2;
        if text.len() != digits {
            return Err(SecretsError::InvalidKeyId {
                problem: format!(
                    "it has {} characters instead of {digits}",
                    text.chars().count()
                ),
            });
        }
        if let Some(position) = text
            .bytes()
            .position(|b| !matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(SecretsError::InvalidKeyId {
                problem: format!("character {} is not a lowercase hex digit", position + 1),
            });
        }
        let mut id = [0_u8; Self::LEN];
        hex::decode_to_slice(text, &mut id).map_err(|_| SecretsError::InvalidKeyId {
            problem: "it is not hex".to_owned(),
        })?;
        Ok(Self(id))
    }

    /// Builds an id from its raw bytes (as stored inside a [`Sealed`](crate::Sealed)).
    #[must_use]
    pub const fn from_bytes(bytes: [u8; Self::LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes of the id.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; Self::LEN] {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

impl FromStr for KeyId {
    type Err = SecretsError;

    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl serde::Serialize for KeyId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for KeyId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_round_trips_through_parse() {
        let id = KeyId::derive(&[7; 32]);
        let text = id.to_string();
        assert_eq!(text.len(), 16);
        assert_eq!(KeyId::parse(&text).unwrap(), id);
    }

    #[test]
    fn id_is_the_sha256_prefix_of_label_and_key() {
        let key = [0x42_u8; 32];
        let mut input = b"sellerlink-kek".to_vec();
        input.extend_from_slice(&key);
        let expected = hex::encode(&Sha256::digest(&input)[..8]);
        assert_eq!(KeyId::derive(&key).to_string(), expected);
    }

    #[test]
    fn different_keys_have_different_ids() {
        assert_ne!(KeyId::derive(&[1; 32]), KeyId::derive(&[2; 32]));
    }

    #[test]
    fn parse_rejects_wrong_length_and_alphabet() {
        let short = KeyId::parse("abc").unwrap_err().to_string();
        assert!(short.contains("3 characters instead of 16"), "{short}");
        let upper = KeyId::parse("ABCDEF0123456789").unwrap_err().to_string();
        assert!(
            upper.contains("character 1 is not a lowercase hex digit"),
            "{upper}"
        );
        assert!(
            upper.contains("expected 16 lowercase hex digits"),
            "{upper}"
        );
    }
}
