//! Identifiers and secrets in LWA's formats. App identifiers and client secrets come from the
//! registry's seeded RNG (so a seed always gives the same demo app); codes, tokens and
//! `amazon_state` values come from the operating system's RNG, like session ids.

use rand::Rng;

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const TOKEN_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const UPPER_ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// The prefix of every application ID.
pub const APPLICATION_ID_PREFIX: &str = "amzn1.sellerapps.app.";
/// The prefix of every LWA client ID.
pub const CLIENT_ID_PREFIX: &str = "amzn1.application-oa2-client.";
/// The prefix of every LWA client secret.
pub const CLIENT_SECRET_PREFIX: &str = "amzn1.oa2-cs.v1.";
/// The prefix of refresh tokens.
pub const REFRESH_TOKEN_PREFIX: &str = "Atzr|";
/// The prefix of access tokens.
pub const ACCESS_TOKEN_PREFIX: &str = "Atza|";

fn draw(rng: &mut impl Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[rng.random_range(0..alphabet.len())] as char)
        .collect()
}

fn hex(rng: &mut impl Rng, bytes: usize) -> String {
    (0..bytes)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

/// `amzn1.sellerapps.app.` + a lowercase version-4 UUID.
pub fn application_id(rng: &mut impl Rng) -> String {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    format!(
        "{APPLICATION_ID_PREFIX}{}",
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .hyphenated()
    )
}

/// `amzn1.application-oa2-client.` + 32 lowercase hex digits.
pub fn client_id(rng: &mut impl Rng) -> String {
    format!("{CLIENT_ID_PREFIX}{}", hex(rng, 16))
}

/// `amzn1.oa2-cs.v1.` + 64 lowercase hex digits.
pub fn client_secret(rng: &mut impl Rng) -> String {
    format!("{CLIENT_SECRET_PREFIX}{}", hex(rng, 32))
}

/// A 20-character `spapi_oauth_code` (`AN` + 18 letters and digits).
pub fn authorization_code() -> String {
    format!("AN{}", draw(&mut rand::rng(), ALNUM, 18))
}

/// `Atzr|IwEBI` + 150 URL-safe characters.
pub fn refresh_token() -> String {
    format!(
        "{REFRESH_TOKEN_PREFIX}IwEBI{}",
        draw(&mut rand::rng(), TOKEN_ALPHABET, 150)
    )
}

/// `Atza|IwEBI` + 150 URL-safe characters.
pub fn access_token() -> String {
    format!(
        "{ACCESS_TOKEN_PREFIX}IwEBI{}",
        draw(&mut rand::rng(), TOKEN_ALPHABET, 150)
    )
}

/// An opaque `amazon_state`: 40 uppercase letters and digits.
pub fn amazon_state() -> String {
    draw(&mut rand::rng(), UPPER_ALNUM, 40)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn formats_follow_amazon() {
        let mut rng = StdRng::seed_from_u64(1);
        let app = application_id(&mut rng);
        assert!(app.starts_with(APPLICATION_ID_PREFIX));
        assert!(uuid::Uuid::parse_str(&app[APPLICATION_ID_PREFIX.len()..]).is_ok());
        let client = client_id(&mut rng);
        assert_eq!(client.len(), CLIENT_ID_PREFIX.len() + 32);
        assert!(
            client[CLIENT_ID_PREFIX.len()..]
                .bytes()
                .all(|b| b.is_ascii_hexdigit())
        );
        assert_eq!(
            client_secret(&mut rng).len(),
            CLIENT_SECRET_PREFIX.len() + 64
        );
        let code = authorization_code();
        assert!(code.starts_with("AN") && code.len() == 20);
        assert!(refresh_token().starts_with("Atzr|IwEBI"));
        let token = access_token();
        assert!(token.starts_with("Atza|") && token.bytes().all(|b| b.is_ascii_graphic()));
        assert_ne!(access_token(), token);
        // The same seed gives the same app identity.
        let mut again = StdRng::seed_from_u64(1);
        assert_eq!(application_id(&mut again), app);
    }
}
