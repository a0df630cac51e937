//! Fixed keys, contexts and tokens shared by the tests.

use sellerlink_secrets::secrecy::SecretString;
use sellerlink_secrets::{Keyring, MasterKey, SealContext};

/// Distinct, non-repeating key bytes so substring searches are meaningful.
pub fn key_bytes(seed: u8) -> [u8; 32] {
    std::array::from_fn(|i| {
        seed.wrapping_mul(31)
            .wrapping_add(u8::try_from(i).unwrap() * 7 + 3)
    })
}

pub fn key(seed: u8) -> MasterKey {
    MasterKey::from_bytes(key_bytes(seed))
}

pub fn keyring(seed: u8) -> Keyring {
    Keyring::new(key(seed), [])
}

pub fn ctx(record_id: &str) -> SealContext {
    SealContext::new("connection", record_id, "mws_auth_token")
}

pub const TOKEN: &str = "amzn.mws.5f0c1e2d-9a8b-4c7d-8e6f-0123456789ab";

pub fn token() -> SecretString {
    SecretString::from(TOKEN)
}

/// Every `window`-character slice of `text`.
pub fn windows(text: &str, window: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(window).map(|w| w.iter().collect()).collect()
}

/// Panics if `haystack` contains `secret` or any 12-character piece of it.
pub fn assert_hides(haystack: &str, secret: &str, what: &str) {
    assert!(!haystack.contains(secret), "{what} leaked in: {haystack}");
    for piece in windows(secret, 12) {
        assert!(
            !haystack.contains(&piece),
            "part of {what} ({piece}) leaked in: {haystack}"
        );
    }
}
