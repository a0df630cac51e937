//! The OAuth `state` of "Connect with Amazon": 256 random bits sent to Amazon as 64 hex digits, stored only as a
//! SHA-256 digest, bound to a digest of the browser session, valid for ten minutes, single use.

use std::fmt;

use jiff::SignedDuration;
use sellerlink_store::TokenHash;
use sha2::{Digest as _, Sha256};

use crate::AppError;

/// How long a `state` is accepted after it was issued. The seller signs in to Seller Central and consents in
/// between; Amazon's own code is valid for five minutes after that.
pub const STATE_LIFETIME: SignedDuration = SignedDuration::from_mins(10);

/// A freshly issued `state`. `Debug` shows none of it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct StateValue(String);

impl StateValue {
    /// 32 bytes from the operating system's random source, as 64 lower-case hex digits.
    pub(crate) fn generate() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        Self(hex::encode(bytes))
    }

    /// A `state` that came back in a redirect, if it has the shape of one sellerlink issues.
    pub(crate) fn returned(text: &str) -> Option<Self> {
        (text.len() == 64
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
        .then(|| Self(text.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The digest the store keys it by.
    pub(crate) fn digest(&self) -> TokenHash {
        TokenHash::from_digest(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Debug for StateValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StateValue(…)")
    }
}

/// The digest of the caller's session binding (e.g. the web session's id), which is never stored itself. A
/// domain prefix keeps it apart from state digests. An empty binding binds nothing and is refused.
pub(crate) fn session_digest(session_binding: &str) -> Result<TokenHash, AppError> {
    if session_binding.trim().is_empty() {
        return Err(AppError::InvalidInput {
            field: "session binding",
            problem: "is empty; pass a value unique to the signed-in browser session (e.g. its session id)".into(),
        });
    }
    let mut hasher = Sha256::new();
    hasher.update(b"sellerlink oauth session\0");
    hasher.update(session_binding.as_bytes());
    Ok(TokenHash::from_digest(hasher.finalize().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_random_hex_and_only_their_digest_is_kept() {
        let a = StateValue::generate();
        let b = StateValue::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64);
        assert_eq!(StateValue::returned(a.as_str()), Some(a.clone()));
        assert_eq!(StateValue::returned(&a.as_str().to_uppercase()), None);
        assert_eq!(StateValue::returned("abc"), None);
        assert_ne!(a.digest(), b.digest());
        assert!(!a.digest().to_hex().contains(a.as_str()));
        assert_eq!(format!("{a:?}"), "StateValue(…)");
        assert_ne!(session_digest("s1").unwrap(), session_digest("s2").unwrap());
        assert_ne!(
            session_digest(a.as_str()).unwrap(),
            a.digest(),
            "session digests are domain-separated"
        );
        assert!(session_digest("  ").is_err());
    }
}
