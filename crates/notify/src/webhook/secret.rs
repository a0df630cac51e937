//! The shared secret a webhook endpoint verifies signatures with.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// A webhook signing secret: 16–256 visible ASCII characters, conventionally `whsec_` and 64 hex digits.
///
/// The HMAC key is the secret's bytes exactly as written (prefix included). `Debug` never shows it.
#[derive(Clone)]
pub struct WebhookSecret(SecretString);

/// A webhook secret that cannot be used; the message never repeats the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "webhook secret: {problem}; expected 16–256 visible ASCII characters, e.g. whsec_ followed by 64 hex digits"
)]
pub struct WebhookSecretError {
    problem: String,
}

impl WebhookSecret {
    /// Parses a secret, trimming surrounding white space.
    pub fn parse(input: &str) -> Result<Self, WebhookSecretError> {
        let secret = input.trim();
        let length = secret.chars().count();
        if !(16..=256).contains(&length) {
            return Err(WebhookSecretError {
                problem: format!("is {length} characters long"),
            });
        }
        if let Some(position) = secret.chars().position(|c| !c.is_ascii_graphic()) {
            return Err(WebhookSecretError {
                problem: format!(
                    "character {} is not visible ASCII (spaces and non-ASCII are not allowed)",
                    position + 1
                ),
            });
        }
        Ok(Self(SecretString::from(secret.to_owned())))
    }

    /// A new random secret: `whsec_` and 64 hex digits (256 bits from the operating system).
    ///
    /// # Panics
    ///
    /// If the operating system has no random source, which no supported platform lacks.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source is available");
        Self(SecretString::from(format!("whsec_{}", hex::encode(bytes))))
    }

    /// The secret text, to show once to the person setting up the endpoint, or to store sealed.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_secret_parses_and_never_shows_in_debug() {
        let secret = WebhookSecret::generate();
        assert!(secret.expose_secret().starts_with("whsec_"));
        assert_eq!(secret.expose_secret().len(), 6 + 64);
        assert!(WebhookSecret::parse(secret.expose_secret()).is_ok());
        assert!(!format!("{secret:?}").contains(&secret.expose_secret()[6..]));
        assert_ne!(
            WebhookSecret::generate().expose_secret(),
            secret.expose_secret()
        );
    }

    #[test]
    fn short_spaced_or_non_ascii_secrets_are_refused_without_echoing_them() {
        for bad in [
            "short",
            "whsec_has a space inside",
            "whsec_日本語のひみつです1234",
        ] {
            let error = WebhookSecret::parse(bad).unwrap_err().to_string();
            assert!(error.starts_with("webhook secret: "), "{error}");
            assert!(!error.contains(bad), "{error}");
        }
    }
}
