//! What LWA refused, classified so the caller knows who must act: the seller (re-authorize), the
//! operator (rotate the app's client secret), or nobody (try again later).

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;

/// The LWA grant a request used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GrantType {
    /// `authorization_code`: exchanging the seller's `spapi_oauth_code`.
    AuthorizationCode,
    /// `refresh_token`: getting an access token for a call.
    RefreshToken,
}

impl GrantType {
    /// The `grant_type` form value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthorizationCode => "authorization_code",
            Self::RefreshToken => "refresh_token",
        }
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The class of an LWA failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LwaErrorKind {
    /// `invalid_grant`: the refresh token was revoked or expired (the seller must re-authorize), or
    /// the authorization code expired, was reused or came with another `redirect_uri`.
    InvalidGrant,
    /// `invalid_client`: the app's client ID or secret is wrong, or the secret passed its 180-day
    /// rotation deadline. Operator action; sellers need not re-authorize.
    InvalidClient,
    /// `invalid_request`: a parameter is missing or duplicated.
    InvalidRequest,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `unauthorized_client`: the app may not use this grant.
    UnauthorizedClient,
    /// `invalid_scope`.
    InvalidScope,
    /// `access_denied`.
    AccessDenied,
    /// `server_error` or another 5xx.
    Server,
    /// `temporarily_unavailable` (or HTTP 503).
    TemporarilyUnavailable,
    /// LWA could not be reached (connection, TLS, timeout).
    Transport,
    /// LWA answered something this client cannot read.
    Decode,
    /// An error code this client does not know.
    Other,
}

impl LwaErrorKind {
    /// Classifies LWA's `error` code.
    pub fn from_code(code: &str) -> Self {
        match code.trim() {
            "invalid_grant" => Self::InvalidGrant,
            "invalid_client" => Self::InvalidClient,
            "invalid_request" => Self::InvalidRequest,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "unauthorized_client" => Self::UnauthorizedClient,
            "invalid_scope" => Self::InvalidScope,
            "access_denied" => Self::AccessDenied,
            "server_error" => Self::Server,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            _ => Self::Other,
        }
    }

    /// True for failures worth retrying later unchanged.
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            Self::Server | Self::TemporarilyUnavailable | Self::Transport
        )
    }
}

/// LWA's error body: `{"error": "...", "error_description": "..."}`.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// A failure reason that is plain text.
#[derive(Debug)]
struct Reason(String);

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Reason {}

/// LWA refused a token request, or could not be asked. Never holds a token or the client secret.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.render())]
pub struct LwaError {
    kind: LwaErrorKind,
    grant: GrantType,
    status: Option<u16>,
    error: Option<String>,
    error_description: Option<String>,
    #[source]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl LwaError {
    /// Classifies a non-2xx answer of the token endpoint from its status and body.
    pub fn from_response(grant: GrantType, status: u16, body: &[u8]) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(parsed) => {
                let mut kind = LwaErrorKind::from_code(&parsed.error);
                if kind == LwaErrorKind::Other && status >= 500 {
                    kind = LwaErrorKind::Server;
                }
                Self {
                    kind,
                    grant,
                    status: Some(status),
                    error: Some(parsed.error),
                    error_description: parsed.error_description.filter(|d| !d.is_empty()),
                    source: None,
                }
            }
            Err(_) => {
                let kind = match status {
                    503 => LwaErrorKind::TemporarilyUnavailable,
                    500..=599 => LwaErrorKind::Server,
                    401 => LwaErrorKind::InvalidClient,
                    _ => LwaErrorKind::Decode,
                };
                Self {
                    kind,
                    grant,
                    status: Some(status),
                    error: None,
                    error_description: None,
                    source: Some(Arc::new(Reason(format!(
                        "the body is not LWA's JSON error ({})",
                        excerpt(body)
                    )))),
                }
            }
        }
    }

    pub(crate) fn transport(grant: GrantType, error: reqwest::Error) -> Self {
        Self {
            kind: LwaErrorKind::Transport,
            grant,
            status: None,
            error: None,
            error_description: None,
            source: Some(Arc::new(error)),
        }
    }

    pub(crate) fn decode(grant: GrantType, status: u16, reason: String) -> Self {
        Self {
            kind: LwaErrorKind::Decode,
            grant,
            status: Some(status),
            error: None,
            error_description: None,
            source: Some(Arc::new(Reason(reason))),
        }
    }

    /// The class of failure.
    pub fn kind(&self) -> LwaErrorKind {
        self.kind
    }

    /// The grant that was requested.
    pub fn grant(&self) -> GrantType {
        self.grant
    }

    /// The HTTP status, if LWA answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// LWA's `error` code, e.g. `invalid_grant`.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// LWA's `error_description`.
    pub fn error_description(&self) -> Option<&str> {
        self.error_description.as_deref()
    }

    fn amazon_said(&self) -> String {
        match (&self.error, &self.error_description) {
            (Some(code), Some(text)) => format!("{code}: {text}"),
            (Some(code), None) => code.clone(),
            (None, _) => match self.status {
                Some(status) => format!("HTTP {status}"),
                None => "no answer".to_owned(),
            },
        }
    }

    fn render(&self) -> String {
        let said = self.amazon_said();
        match (self.kind, self.grant) {
            (LwaErrorKind::InvalidGrant, GrantType::RefreshToken) => format!(
                "LWA refused the seller's refresh token ({said}): the authorization was revoked or \
                 has expired; the seller must re-authorize the app in Seller Central"
            ),
            (LwaErrorKind::InvalidGrant, GrantType::AuthorizationCode) => format!(
                "LWA refused the authorization code ({said}): it expired (codes live 5 minutes), was \
                 already used, or the redirect_uri differs; ask the seller to authorize again"
            ),
            (LwaErrorKind::InvalidClient, _) => format!(
                "LWA refused the app's client credentials ({said}): the client secret is wrong or \
                 past its 180-day rotation deadline; rotate it in Developer Central and update the \
                 configuration (sellers need not re-authorize)"
            ),
            (LwaErrorKind::Server | LwaErrorKind::TemporarilyUnavailable, _) => {
                format!("LWA is temporarily unavailable ({said}); try again later")
            }
            (LwaErrorKind::Transport, grant) => {
                let reason = self
                    .source
                    .as_ref()
                    .map(|source| format!(" ({source})"))
                    .unwrap_or_default();
                format!("could not reach LWA for the {grant} grant{reason}; try again later")
            }
            (LwaErrorKind::Decode, grant) => {
                format!("LWA's answer to the {grant} grant could not be read ({said})")
            }
            (_, grant) => format!(
                "LWA refused the {grant} request ({said}); check the app's LWA configuration"
            ),
        }
    }
}

/// The start of a body for error messages (bodies of error answers never hold tokens).
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        return "empty body".to_owned();
    }
    let mut cut: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX {
        cut.push('…');
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_classify() {
        let error = LwaError::from_response(
            GrantType::RefreshToken,
            400,
            br#"{"error":"invalid_grant","error_description":"The request has an invalid grant parameter : refresh_token"}"#,
        );
        assert_eq!(error.kind(), LwaErrorKind::InvalidGrant);
        assert_eq!(error.error(), Some("invalid_grant"));
        assert!(error.to_string().contains("must re-authorize"), "{error}");

        let error = LwaError::from_response(GrantType::RefreshToken, 401, b"");
        assert_eq!(error.kind(), LwaErrorKind::InvalidClient);
        let error =
            LwaError::from_response(GrantType::RefreshToken, 502, b"<html>bad gateway</html>");
        assert_eq!(error.kind(), LwaErrorKind::Server);
        assert!(error.kind().is_transient());
        let error = LwaError::from_response(GrantType::RefreshToken, 400, b"nonsense");
        assert_eq!(error.kind(), LwaErrorKind::Decode);
        let error = LwaError::from_response(
            GrantType::RefreshToken,
            500,
            br#"{"error":"something_new"}"#,
        );
        assert_eq!(error.kind(), LwaErrorKind::Server);
    }

    #[test]
    fn excerpts_are_bounded() {
        assert_eq!(excerpt(b"  "), "empty body");
        let long = "x".repeat(300);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), 201);
    }
}
