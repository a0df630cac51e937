//! LWA's answer to a token request: `{"access_token","token_type","expires_in","refresh_token"}`
//! on HTTP 200, LWA's error body otherwise.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::LwaRefreshToken;
use serde::Deserialize;

use super::error::{GrantType, LwaError};
use crate::credentials::AccessToken;

/// A successful token answer, parsed.
#[derive(Debug, Clone)]
pub struct TokenResponse {
    /// The access token and when it expires.
    pub access_token: AccessToken,
    /// The refresh token: new for `authorization_code`, the one sent for `refresh_token`.
    pub refresh_token: Option<LwaRefreshToken>,
}

/// What exchanging an authorization code yields: store the refresh token (encrypted) for the seller.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// A first access token, usable at once.
    pub access_token: AccessToken,
    /// The long-lived refresh token for this seller and region.
    pub refresh_token: LwaRefreshToken,
    /// When the access token expires.
    pub expires_at: Timestamp,
}

#[derive(Deserialize)]
struct RawSuccess {
    access_token: String,
    expires_in: i64,
    #[serde(default)]
    refresh_token: Option<String>,
}

/// Parses the token endpoint's answer received at `now`: a [`TokenResponse`] for 2xx, the
/// classified [`LwaError`] otherwise.
pub fn parse_token_response(
    grant: GrantType,
    status: u16,
    body: &[u8],
    now: Timestamp,
) -> Result<TokenResponse, LwaError> {
    if !(200..300).contains(&status) {
        return Err(LwaError::from_response(grant, status, body));
    }
    let raw: RawSuccess = serde_json::from_slice(body).map_err(|e| {
        LwaError::decode(
            grant,
            status,
            format!("the token answer is not the documented JSON: {e}"),
        )
    })?;
    if raw.expires_in <= 0 {
        return Err(LwaError::decode(
            grant,
            status,
            format!(
                "expires_in is {}, not a positive number of seconds",
                raw.expires_in
            ),
        ));
    }
    let expires_at = now
        .checked_add(SignedDuration::from_secs(raw.expires_in))
        .map_err(|_| LwaError::decode(grant, status, "expires_in is out of range".to_owned()))?;
    let access_token = AccessToken::parse(&raw.access_token, expires_at)
        .map_err(|e| LwaError::decode(grant, status, format!("access_token: {e}")))?;
    let refresh_token = raw
        .refresh_token
        .map(|text| {
            LwaRefreshToken::parse(&text)
                .map_err(|e| LwaError::decode(grant, status, format!("refresh_token: {e}")))
        })
        .transpose()?;
    Ok(TokenResponse {
        access_token,
        refresh_token,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lwa::LwaErrorKind;

    fn now() -> Timestamp {
        "2026-01-10T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn success_sets_the_expiry() {
        let body = br#"{"access_token":"Atza|IQEBLjAs","token_type":"bearer","expires_in":3600,"refresh_token":"Atzr|IwEBIA"}"#;
        let parsed = parse_token_response(GrantType::RefreshToken, 200, body, now()).unwrap();
        assert_eq!(
            parsed.access_token.expires_at(),
            "2026-01-10T01:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(parsed.access_token.expose_secret(), "Atza|IQEBLjAs");
        assert_eq!(parsed.refresh_token.unwrap().expose_secret(), "Atzr|IwEBIA");
    }

    #[test]
    fn malformed_tokens_are_decode_errors_that_do_not_echo_them() {
        let body = br#"{"access_token":"Bearer SECRETSECRET","expires_in":3600}"#;
        let error = parse_token_response(GrantType::RefreshToken, 200, body, now()).unwrap_err();
        assert_eq!(error.kind(), LwaErrorKind::Decode);
        let shown = format!(
            "{error} {error:?} {}",
            std::error::Error::source(&error).unwrap()
        );
        assert!(!shown.contains("SECRETSECRET"), "{shown}");
        let body = br#"{"access_token":"Atza|x","expires_in":0}"#;
        assert_eq!(
            parse_token_response(GrantType::RefreshToken, 200, body, now())
                .unwrap_err()
                .kind(),
            LwaErrorKind::Decode
        );
    }
}
