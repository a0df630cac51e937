//! The app's Login-with-Amazon credentials, the seller's one-time OAuth code and the short-lived
//! access token. Secrets keep their text behind `expose_secret` and print as `…` in `Debug`.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use secrecy::{ExposeSecret as _, SecretString};

use crate::input::{InputError, InputField, InputProblem, token_like, trimmed};

/// The app's LWA client identifier, `amzn1.application-oa2-client.` followed by hex digits. Not secret.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct LwaClientId(String);

impl LwaClientId {
    const PREFIX: &'static str = "amzn1.application-oa2-client.";
    const MAX_HEX: usize = 64;

    /// Parses a client ID as Developer Central shows it (surrounding whitespace is ignored,
    /// hex digits may be in either case and are kept as given).
    pub fn parse(input: &str) -> Result<Self, InputError> {
        let field = InputField::LwaClientId;
        let value = trimmed(input);
        if value.is_empty() {
            return Err(InputError::new(field, InputProblem::Empty));
        }
        let Some(hex) = value.strip_prefix(Self::PREFIX) else {
            return Err(InputError::new(
                field,
                InputProblem::Prefix {
                    expected: Self::PREFIX,
                },
            ));
        };
        if hex.is_empty() {
            return Err(InputError::new(field, InputProblem::Empty));
        }
        if let Some((index, c)) = hex
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii_hexdigit())
        {
            return Err(InputError::new(
                field,
                InputProblem::Character {
                    position: Self::PREFIX.len() + index + 1,
                    character: Some(c),
                },
            ));
        }
        if hex.len() > Self::MAX_HEX {
            return Err(InputError::new(
                field,
                InputProblem::Length {
                    actual: value.chars().count(),
                    max: Self::PREFIX.len() + Self::MAX_HEX,
                },
            ));
        }
        Ok(Self(value.to_owned()))
    }

    /// The client ID as LWA expects it in `client_id`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LwaClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for LwaClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LwaClientId({:?})", self.0)
    }
}

impl std::str::FromStr for LwaClientId {
    type Err = InputError;
    fn from_str(s: &str) -> Result<Self, InputError> {
        Self::parse(s)
    }
}

/// The app's LWA client secret. Amazon requires a rotation every 180 days; a secret past that
/// deadline is refused with `invalid_client`. Secret: masked in `Debug`, no `Display`.
#[derive(Clone)]
pub struct LwaClientSecret(SecretString);

impl LwaClientSecret {
    const MAX_LEN: usize = 512;

    /// Parses a client secret: printable characters without spaces, at most 512.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        token_like(InputField::LwaClientSecret, input, Self::MAX_LEN, true)
            .map(|value| Self(SecretString::from(value)))
    }

    pub(crate) fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for LwaClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LwaClientSecret(…)")
    }
}

/// The app's LWA credentials: client ID and client secret.
#[derive(Debug, Clone)]
pub struct LwaCredentials {
    /// The client ID (`client_id`).
    pub client_id: LwaClientId,
    /// The client secret (`client_secret`).
    pub client_secret: LwaClientSecret,
}

impl LwaCredentials {
    /// Pairs a client ID with its secret.
    pub fn new(client_id: LwaClientId, client_secret: LwaClientSecret) -> Self {
        Self {
            client_id,
            client_secret,
        }
    }
}

/// The `spapi_oauth_code` Amazon appends to the redirect after the seller consents: single use,
/// valid for five minutes. Secret: masked in `Debug`, no `Display`.
#[derive(Clone)]
pub struct AuthorizationCode(SecretString);

impl AuthorizationCode {
    const MAX_LEN: usize = 512;

    /// Parses the code from the redirect's query string.
    pub fn parse(input: &str) -> Result<Self, InputError> {
        token_like(InputField::AuthorizationCode, input, Self::MAX_LEN, true)
            .map(|value| Self(SecretString::from(value)))
    }

    pub(crate) fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(…)")
    }
}

/// An LWA access token (`Atza|…`) and the instant it stops working. Secret: masked in `Debug`,
/// no `Display`.
#[derive(Clone)]
pub struct AccessToken {
    token: SecretString,
    expires_at: Timestamp,
}

impl AccessToken {
    const PREFIX: &'static str = "Atza|";
    const MAX_LEN: usize = 2048;

    /// Parses an access token valid until `expires_at`.
    pub fn parse(input: &str, expires_at: Timestamp) -> Result<Self, InputError> {
        let field = InputField::AccessToken;
        let value = token_like(field, input, Self::MAX_LEN, true)?;
        if !value.starts_with(Self::PREFIX) {
            return Err(InputError::new(
                field,
                InputProblem::Prefix {
                    expected: Self::PREFIX,
                },
            ));
        }
        if value.len() == Self::PREFIX.len() {
            return Err(InputError::new(field, InputProblem::Empty));
        }
        Ok(Self {
            token: SecretString::from(value),
            expires_at,
        })
    }

    /// The token, for the `x-amz-access-token` header.
    pub fn expose_secret(&self) -> &str {
        self.token.expose_secret()
    }

    /// When LWA said the token stops working.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// How long the token still works at `now` (negative once expired).
    pub fn remaining_at(&self, now: Timestamp) -> SignedDuration {
        self.expires_at.duration_since(now)
    }

    /// True if the token still works for more than `margin` at `now`.
    pub fn is_fresh_at(&self, now: Timestamp, margin: SignedDuration) -> bool {
        self.remaining_at(now) > margin
    }

    /// True if both hold the same token text (expiry aside).
    pub(crate) fn same_token(&self, other: &AccessToken) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"Atza|…")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const CLIENT_ID: &str = "amzn1.application-oa2-client.0123456789abcdef0123456789abcdef";

    #[test]
    fn client_ids_need_the_prefix_and_hex() {
        assert_eq!(
            LwaClientId::parse(&format!(" {CLIENT_ID}\n"))
                .unwrap()
                .as_str(),
            CLIENT_ID
        );
        let error = LwaClientId::parse("amzn1.application-oa2-client.xyz").unwrap_err();
        assert_eq!(
            error.problem,
            InputProblem::Character {
                position: 30,
                character: Some('x')
            }
        );
        let error = LwaClientId::parse("0123456789abcdef").unwrap_err();
        assert!(matches!(error.problem, InputProblem::Prefix { .. }));
        assert!(
            error
                .to_string()
                .contains("expected amzn1.application-oa2-client."),
            "{error}"
        );
        assert_eq!(
            LwaClientId::parse("amzn1.application-oa2-client.")
                .unwrap_err()
                .problem,
            InputProblem::Empty
        );
    }

    #[test]
    fn access_tokens_need_the_atza_prefix() {
        let at = Timestamp::UNIX_EPOCH;
        assert!(AccessToken::parse("Atza|IQEBLjAsAhRmHjNgHpi0U", at).is_ok());
        let error = AccessToken::parse("Atzr|IQEBLjAsAhRmHjNgHpi0U", at).unwrap_err();
        assert_eq!(error.field, InputField::AccessToken);
        assert!(matches!(
            error.problem,
            InputProblem::Prefix { expected: "Atza|" }
        ));
        assert_eq!(
            AccessToken::parse("Atza|", at).unwrap_err().problem,
            InputProblem::Empty
        );
    }

    #[test]
    fn freshness_counts_the_margin() {
        let now: Timestamp = "2026-01-10T00:00:00Z".parse().unwrap();
        let token = AccessToken::parse("Atza|abc", now + SignedDuration::from_secs(61)).unwrap();
        assert!(token.is_fresh_at(now, SignedDuration::from_secs(60)));
        assert!(!token.is_fresh_at(
            now + SignedDuration::from_secs(1),
            SignedDuration::from_secs(60)
        ));
        assert_eq!(token.remaining_at(now).as_secs(), 61);
    }

    proptest! {
        #[test]
        fn secrets_never_show_in_debug_or_errors(body in "[!-~]{8,40}", noise in "[ -~]{0,20}") {
            let at = Timestamp::UNIX_EPOCH;
            let token = AccessToken::parse(&format!("Atza|{body}"), at).unwrap();
            let secret = LwaClientSecret::parse(&body).unwrap();
            let code = AuthorizationCode::parse(&body).unwrap();
            let shown = format!("{token:?} {secret:?} {code:?}");
            prop_assert!(!shown.contains(&body), "{}", shown);
            let attempt = format!("{body} {noise}x");
            if let Err(error) = LwaClientSecret::parse(&attempt) {
                let message = error.to_string();
                prop_assert!(!message.contains(&body), "{}", message);
            }
        }
    }
}
