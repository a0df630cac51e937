//! Random tokens (session cookies, CSRF tokens, API keys) and their SHA-256.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sellerlink_store::TokenHash;
use sha2::{Digest as _, Sha256};

type HmacSha256 = Hmac<Sha256>;

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

/// Signs tokens kept in cookies with a key only this server process knows, so that a cookie planted by someone
/// else (another host of the domain, a network attacker on plain HTTP) is not taken for one the server issued.
/// The key is drawn at start-up: after a restart earlier cookies are simply replaced.
pub(crate) struct CookieSigner {
    key: [u8; 32],
}

impl std::fmt::Debug for CookieSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CookieSigner([redacted])")
    }
}

impl CookieSigner {
    /// A signer with `key`: derived from the master key, so every web process of a fleet signs alike and a
    /// form served by one is accepted by another.
    pub(crate) fn new(key: [u8; 32]) -> Self {
        Self { key }
    }

    fn mac(&self, token: &str) -> HmacSha256 {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        mac.update(b"sl-cookie-token.");
        mac.update(token.as_bytes());
        mac
    }

    /// The cookie value for `token`: `token.signature`.
    pub(crate) fn sign(&self, token: &str) -> String {
        let signature = URL_SAFE_NO_PAD.encode(self.mac(token).finalize().into_bytes());
        format!("{token}.{signature}")
    }

    /// The token of a cookie value this signer made; `None` for anything else.
    pub(crate) fn verify(&self, value: &str) -> Option<String> {
        let (token, signature) = value.rsplit_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        self.mac(token).verify_slice(&signature).ok()?;
        Some(token.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_cookies_signed_with_the_servers_key_are_accepted() {
        let signer = CookieSigner::new([1; 32]);
        let token = random_token();
        let value = signer.sign(&token);
        assert_eq!(signer.verify(&value), Some(token.clone()));
        assert_eq!(signer.verify(&token), None, "unsigned");
        assert_eq!(signer.verify(&format!("{token}.forged")), None);
        assert_eq!(
            CookieSigner::new([2; 32]).verify(&value),
            None,
            "another key"
        );
        let (_, signature) = value.rsplit_once('.').unwrap();
        assert_eq!(signer.verify(&format!("other.{signature}")), None);
    }

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
