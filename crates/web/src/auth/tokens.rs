//! Random tokens (session cookies, CSRF tokens, API keys) and their SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sellerlink_store::TokenHash;
use sha2::{Digest as _, Sha256};

/// 32 random bytes from the operating system, as 43 URL-safe base64 characters.
pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source is available");
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The SHA-256 of a token, the only form in which session cookies and API keys are stored.
pub(crate) fn hash_token(token: &str) -> TokenHash {
    TokenHash::from_digest(Sha256::digest(token.as_bytes()).into())
}

/// Compares two tokens without revealing through timing how much of them matched.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    let left: [u8; 32] = Sha256::digest(a.as_bytes()).into();
    let right: [u8; 32] = Sha256::digest(b.as_bytes()).into();
    left.iter()
        .zip(right.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_url_safe_and_compared_exactly() {
        let a = random_token();
        let b = random_token();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert_eq!(hash_token("abc"), hash_token("abc"));
        assert_ne!(hash_token("abc"), hash_token("abd"));
    }
}
