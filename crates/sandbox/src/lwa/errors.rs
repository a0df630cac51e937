//! LWA's error answers: `{"error_description": "…", "error": "<code>"}` with Amazon's status
//! codes and observed descriptions (`docs/amazon/SP-API.md#lwa-errors`).

use axum::http::StatusCode;

/// One LWA error answer the sandbox sends (what Amazon answers, not a client's error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LwaErrorAnswer {
    /// HTTP status.
    pub status: StatusCode,
    /// `invalid_grant`, `invalid_client`, …
    pub error: &'static str,
    /// The human-readable description.
    pub description: String,
}

/// The error body, in the field order Amazon sends.
#[derive(serde::Serialize)]
struct Body<'a> {
    error_description: &'a str,
    error: &'a str,
}

impl LwaErrorAnswer {
    fn new(status: StatusCode, error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            error,
            description: description.into(),
        }
    }

    /// 400 `invalid_request`: a required parameter is missing.
    pub fn missing(parameter: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("The request is missing a required parameter : {parameter}"),
        )
    }

    /// 400 `invalid_request`: a parameter was given twice.
    pub fn duplicated(parameter: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("The request has a duplicated parameter : {parameter}"),
        )
    }

    /// 400 `invalid_request` with a description of its own.
    pub fn invalid_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", description)
    }

    /// 400 `unsupported_grant_type`.
    pub fn unsupported_grant_type() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server",
        )
    }

    /// 401 `invalid_client`: unknown client, wrong secret, or a secret past its 180 days.
    pub fn invalid_client() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        )
    }

    /// 400 `invalid_grant` for a bad `code`.
    pub fn invalid_code() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The request has an invalid grant parameter : code",
        )
    }

    /// 400 `invalid_grant` for a bad refresh token (revoked, lapsed, unknown).
    pub fn invalid_refresh_token() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
        )
    }

    /// 400 `invalid_scope`.
    pub fn invalid_scope() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "An unknown scope was requested",
        )
    }

    /// 500 `server_error` (injected fault).
    pub fn server_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "server_error",
            "The authorization server encountered an unexpected condition",
        )
    }

    /// 503 `temporarily_unavailable` (injected fault).
    pub fn temporarily_unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "The authorization server is currently unable to handle the request",
        )
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        serde_json::to_string(&Body {
            error_description: &self.description,
            error: self.error,
        })
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_match_the_observed_ones() {
        assert_eq!(
            LwaErrorAnswer::invalid_client().body(),
            r#"{"error_description":"Client authentication failed","error":"invalid_client"}"#
        );
        assert_eq!(
            LwaErrorAnswer::invalid_client().status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            LwaErrorAnswer::missing("refresh_token").description,
            "The request is missing a required parameter : refresh_token"
        );
        assert_eq!(
            LwaErrorAnswer::invalid_refresh_token().status,
            StatusCode::BAD_REQUEST
        );
    }
}
