//! [`TokenHash`]: the SHA-256 of a session cookie or API key, the only form in which those are stored.

use std::fmt;

/// The SHA-256 digest of a secret token (a session cookie value or an API key), stored as 64 lower-case hex
/// digits. The token itself never reaches the store, so a copy of the database signs nobody in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenHash([u8; 32]);

/// A stored text that is not 64 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("token hash: {problem}; expected 64 hex digits (a SHA-256 digest)")]
pub struct TokenHashError {
    problem: String,
}

impl TokenHash {
    /// Wraps a digest computed by the caller.
    pub fn from_digest(digest: [u8; 32]) -> Self {
        Self(digest)
    }

    /// The digest's bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The 64 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = String::with_capacity(64);
        for byte in self.0 {
            text.push(char::from(DIGITS[usize::from(byte >> 4)]));
            text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
        }
        text
    }

    /// Parses 64 hex digits (either case).
    pub fn parse_hex(text: &str) -> Result<Self, TokenHashError> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return Err(TokenHashError {
                problem: format!("has {} characters", text.chars().count()),
            });
        }
        let mut digest = [0u8; 32];
        for (index, pair) in bytes.chunks_exact(2).enumerate() {
            let high = hex_value(pair[0]);
            let low = hex_value(pair[1]);
            match (high, low) {
                (Some(high), Some(low)) => digest[index] = (high << 4) | low,
                _ => {
                    return Err(TokenHashError {
                        problem: format!("has a non-hex character near position {}", index * 2 + 1),
                    });
                }
            }
        }
        Ok(Self(digest))
    }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

impl fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenHash({}…)", &self.to_hex()[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let mut digest = [0u8; 32];
        digest[0] = 0xab;
        digest[31] = 0x0f;
        let hash = TokenHash::from_digest(digest);
        let hex = hash.to_hex();
        assert_eq!(hex.len(), 64);
        assert!(hex.starts_with("ab00"));
        assert!(hex.ends_with("0f"));
        assert_eq!(TokenHash::parse_hex(&hex).unwrap(), hash);
        assert_eq!(TokenHash::parse_hex(&hex.to_uppercase()).unwrap(), hash);
        assert!(TokenHash::parse_hex("abc").is_err());
        let bad = format!("zz{}", &hex[2..]);
        assert!(
            TokenHash::parse_hex(&bad)
                .unwrap_err()
                .to_string()
                .contains("position 1")
        );
    }
}
