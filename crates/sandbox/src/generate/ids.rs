//! Random identifiers in Amazon's formats, drawn from the seeded RNG.

use rand::Rng;

use crate::ids::{Asin, OrderId};

const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";

/// `n` characters drawn from `alphabet`.
pub fn chars(rng: &mut impl Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

/// An AWS access key id (`AKIA` + 16) and a 40-character secret key.
pub fn access_key_pair(rng: &mut impl Rng) -> (String, String) {
    (
        format!("AKIA{}", chars(rng, UPPER_ALNUM, 16)),
        chars(rng, SECRET_ALPHABET, 40),
    )
}

/// `amzn.mws.` + a lowercase version-4 UUID.
pub fn mws_auth_token(rng: &mut impl Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    format!(
        "amzn.mws.{}",
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
    )
}

/// A seller ID: `A` + 13 uppercase letters or digits.
pub fn seller_id(rng: &mut impl Rng) -> String {
    format!("A{}", chars(rng, UPPER_ALNUM, 13))
}

/// An ASIN: `B0` + 8 uppercase letters or digits.
pub fn asin(rng: &mut impl Rng) -> Asin {
    let text = format!("B0{}", chars(rng, UPPER_ALNUM, 8));
    Asin::parse(&text).expect("generated ASINs have the right shape")
}

/// An Amazon order ID whose first group is 249, 250 or 503.
pub fn order_id(rng: &mut impl Rng) -> OrderId {
    let first = [249u16, 250, 503][rng.random_range(0..3)];
    OrderId::from_parts(
        first,
        rng.random_range(0..10_000_000),
        rng.random_range(0..10_000_000),
    )
}

/// A 14-digit order item ID.
pub fn order_item_id(rng: &mut impl Rng) -> u64 {
    rng.random_range(10_000_000_000_000..100_000_000_000_000)
}

/// An anonymized buyer e-mail at the JP marketplace domain.
pub fn buyer_email(rng: &mut impl Rng) -> String {
    format!("{}@marketplace.amazon.co.jp", chars(rng, LOWER_ALNUM, 16))
}
