//! [`Sealed`]: what the store keeps, and its versioned byte and text encodings.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use crate::error::{Result, SecretsError};
use crate::key_id::KeyId;

/// First byte of the current encoding.
const FORMAT_V1: u8 = 1;
/// AES-GCM nonce length.
pub(crate) const NONCE_LEN: usize = 12;
/// AES-GCM tag length.
pub(crate) const TAG_LEN: usize = 16;
/// Data-encryption key length.
pub(crate) const DEK_LEN: usize = 32;
/// A wrapped DEK: nonce ‖ AES-GCM(KEK, DEK) ‖ tag.
pub(crate) const WRAPPED_DEK_LEN: usize = NONCE_LEN + DEK_LEN + TAG_LEN;
/// Bytes before the payload ciphertext in the v1 encoding.
const V1_HEADER_LEN: usize = 1 + KeyId::LEN + WRAPPED_DEK_LEN + NONCE_LEN;

/// A sealed secret: the payload encrypted under a one-off data key (DEK),
/// and that DEK wrapped under the master key named by `kek_id`.
///
/// Encoding v1 (`to_bytes`):
/// `0x01 ‖ kek_id (8) ‖ wrapped_dek (60 = nonce 12 ‖ ciphertext 32 ‖ tag 16) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`.
/// `to_text` is the standard base64 of those bytes, for a TEXT column.
/// Nothing in it is secret; `Debug` still shows only the key id and sizes.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    kek_id: KeyId,
    wrapped_dek: [u8; WRAPPED_DEK_LEN],
    nonce: [u8; NONCE_LEN],
    ciphertext: Vec<u8>,
}

impl Sealed {
    pub(crate) fn new(
        kek_id: KeyId,
        wrapped_dek: [u8; WRAPPED_DEK_LEN],
        nonce: [u8; NONCE_LEN],
        ciphertext: Vec<u8>,
    ) -> Self {
        Self {
            kek_id,
            wrapped_dek,
            nonce,
            ciphertext,
        }
    }

    /// Id of the master key the data key is wrapped under. A store may keep
    /// it in its own column to find rows that still need [`reseal`](crate::Keyring::reseal).
    #[must_use]
    pub fn kek_id(&self) -> &KeyId {
        &self.kek_id
    }

    /// The wrapped data key: nonce ‖ ciphertext ‖ tag.
    #[must_use]
    pub fn wrapped_dek(&self) -> &[u8] {
        &self.wrapped_dek
    }

    /// Nonce of the payload encryption.
    #[must_use]
    pub fn nonce(&self) -> &[u8; NONCE_LEN] {
        &self.nonce
    }

    /// Payload ciphertext followed by its tag.
    #[must_use]
    pub fn ciphertext(&self) -> &[u8] {
        &self.ciphertext
    }

    /// Same payload with a different wrapped key (used by reseal).
    pub(crate) fn with_wrapped_dek(
        &self,
        kek_id: KeyId,
        wrapped_dek: [u8; WRAPPED_DEK_LEN],
    ) -> Self {
        Self {
            kek_id,
            wrapped_dek,
            nonce: self.nonce,
            ciphertext: self.ciphertext.clone(),
        }
    }

    /// The compact versioned encoding (first byte = format version).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(V1_HEADER_LEN + self.ciphertext.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(self.kek_id.as_bytes());
        out.extend_from_slice(&self.wrapped_dek);
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.ciphertext);
        out
    }

    /// Parses [`to_bytes`](Self::to_bytes) output. Never panics.
    ///
    /// # Errors
    /// [`SecretsError::MalformedSealed`] for an unknown version or a length
    /// that cannot hold the v1 layout. (Whether the content is authentic is
    /// only known when opening.)
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let Some((&version, rest)) = bytes.split_first() else {
            return Err(malformed("it is empty".to_owned()));
        };
        if version != FORMAT_V1 {
            return Err(malformed(format!(
                "format version {version} is unknown (this build reads version {FORMAT_V1})"
            )));
        }
        let minimum = V1_HEADER_LEN + TAG_LEN;
        if bytes.len() < minimum {
            return Err(malformed(format!(
                "it is {} bytes long, shorter than the {minimum} bytes of the smallest v1 value",
                bytes.len()
            )));
        }
        let (kek_id, rest) = take::<{ KeyId::LEN }>(rest);
        let (wrapped_dek, rest) = take::<WRAPPED_DEK_LEN>(rest);
        let (nonce, ciphertext) = take::<NONCE_LEN>(rest);
        Ok(Self {
            kek_id: KeyId::from_bytes(kek_id),
            wrapped_dek,
            nonce,
            ciphertext: ciphertext.to_vec(),
        })
    }

    /// Standard base64 of [`to_bytes`](Self::to_bytes).
    #[must_use]
    pub fn to_text(&self) -> String {
        STANDARD.encode(self.to_bytes())
    }

    /// Parses [`to_text`](Self::to_text) output. Never panics.
    ///
    /// # Errors
    /// [`SecretsError::MalformedSealed`] when the text is not base64 or the
    /// bytes are not a v1 value.
    pub fn from_text(text: &str) -> Result<Self> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| malformed("it is not standard base64".to_owned()))?;
        Self::from_bytes(&bytes)
    }
}

/// Splits the first `N` bytes off; the caller has checked the length.
fn take<const N: usize>(bytes: &[u8]) -> ([u8; N], &[u8]) {
    let mut head = [0_u8; N];
    let (first, rest) = bytes.split_at(N.min(bytes.len()));
    head[..first.len()].copy_from_slice(first);
    (head, rest)
}

fn malformed(problem: String) -> SecretsError {
    SecretsError::MalformedSealed { problem }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sealed")
            .field("kek_id", &self.kek_id)
            .field("ciphertext_len", &self.ciphertext.len())
            .finish_non_exhaustive()
    }
}

impl serde::Serialize for Sealed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_text())
    }
}

impl<'de> serde::Deserialize<'de> for Sealed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::from_text(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Sealed {
        Sealed::new(
            KeyId::from_bytes([9; KeyId::LEN]),
            [1; WRAPPED_DEK_LEN],
            [2; NONCE_LEN],
            vec![3; TAG_LEN + 5],
        )
    }

    #[test]
    fn bytes_round_trip_and_start_with_the_version() {
        let sealed = sample();
        let bytes = sealed.to_bytes();
        assert_eq!(bytes[0], 1);
        assert_eq!(bytes.len(), V1_HEADER_LEN + TAG_LEN + 5);
        assert_eq!(Sealed::from_bytes(&bytes).unwrap(), sealed);
    }

    #[test]
    fn text_round_trips_and_serde_uses_it() {
        let sealed = sample();
        assert_eq!(Sealed::from_text(&sealed.to_text()).unwrap(), sealed);
        let json = serde_json::to_string(&sealed).unwrap();
        assert_eq!(json, format!("\"{}\"", sealed.to_text()));
        assert_eq!(serde_json::from_str::<Sealed>(&json).unwrap(), sealed);
    }

    #[test]
    fn short_empty_and_unknown_version_are_rejected() {
        let bytes = sample().to_bytes();
        let short = Sealed::from_bytes(&bytes[..V1_HEADER_LEN + TAG_LEN - 1]).unwrap_err();
        assert!(short.to_string().contains("shorter than"), "{short}");
        assert!(
            Sealed::from_bytes(&[])
                .unwrap_err()
                .to_string()
                .contains("empty")
        );
        let mut v2 = bytes;
        v2[0] = 2;
        let err = Sealed::from_bytes(&v2).unwrap_err().to_string();
        assert!(err.contains("format version 2 is unknown"), "{err}");
    }

    #[test]
    fn non_base64_text_is_rejected() {
        let err = Sealed::from_text("not base64!").unwrap_err().to_string();
        assert!(err.contains("not standard base64"), "{err}");
    }
}
