//! SP-API's error envelope `{"errors":[{"code","message","details"}]}` with the codes, messages
//! and statuses Amazon sends (`docs/amazon/SP-API.md#errors`).

use axum::http::StatusCode;

/// One SP-API error answer the sandbox sends (what Amazon answers, not a client's error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpApiErrorAnswer {
    /// HTTP status.
    pub status: StatusCode,
    /// `InvalidInput`, `Unauthorized`, `NotFound`, `QuotaExceeded`, …
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// The details (`""` when Amazon sends an empty string).
    pub details: String,
    /// The `x-amzn-ErrorType` header, if Amazon sends one for this error.
    pub error_type: Option<&'static str>,
}

/// Amazon's generic "input not valid" message.
pub const INVALID_INPUT_MESSAGE: &str =
    "The input you have submitted is not valid. Please check your input and try again.";
/// The message of every 403 `Unauthorized`.
pub const ACCESS_DENIED: &str = "Access to requested resource is denied.";

#[derive(serde::Serialize)]
struct Entry<'a> {
    code: &'a str,
    message: &'a str,
    details: &'a str,
}

#[derive(serde::Serialize)]
struct Envelope<'a> {
    errors: [Entry<'a>; 1],
}

impl SpApiErrorAnswer {
    fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        details: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: details.into(),
            error_type: None,
        }
    }

    /// 400 `InvalidInput` with Amazon's generic message and `details` saying what is wrong.
    pub fn invalid(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidInput",
            INVALID_INPUT_MESSAGE,
            details,
        )
    }

    /// 400 `InvalidInput` with a message of its own (Amazon's observed wording for some checks).
    pub fn invalid_message(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidInput", message, "")
    }

    /// 400 `InvalidInput` for malformed date-times: "Invalid date-time field(s) […]".
    pub fn invalid_dates(fields: &[&str]) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidInput",
            "This is an invalid input",
            format!("Invalid date-time field(s) [{}].", fields.join(", ")),
        )
    }

    /// 415 `UnsupportedMediaType`: a write whose body is not declared `application/json`.
    pub fn unsupported_media_type() -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaType",
            "The request's Content-Type header is invalid.",
            "Send the body with Content-Type: application/json.",
        )
    }

    /// 403 `Unauthorized` with `details`.
    pub fn unauthorized(details: &str) -> Self {
        let mut error = Self::new(
            StatusCode::FORBIDDEN,
            "Unauthorized",
            ACCESS_DENIED,
            details,
        );
        error.error_type = Some("AccessDeniedException");
        error
    }

    /// 403: no `x-amz-access-token`.
    pub fn missing_token() -> Self {
        Self::unauthorized("Access token is missing in the request header.")
    }

    /// 403: the access token is older than 3600 s.
    pub fn token_expired() -> Self {
        Self::unauthorized("The access token you provided has expired.")
    }

    /// 403: unknown token, or its authorization was revoked or lapsed.
    pub fn token_revoked() -> Self {
        Self::unauthorized("The access token you provided is revoked, malformed or invalid.")
    }

    /// 404 `NotFound`.
    pub fn not_found(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            "The resource specified does not exist.",
            details,
        )
    }

    /// 429 `QuotaExceeded`.
    pub fn quota_exceeded() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "QuotaExceeded",
            "You exceeded your quota for the requested resource.",
            "",
        )
    }

    /// 500 `InternalFailure` (injected fault).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            "We encountered an internal error. Please try again.",
            "",
        )
    }

    /// 503 `ServiceUnavailable` (injected fault).
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceUnavailable",
            "Temporary overloading or maintenance of the server.",
            "",
        )
    }

    /// With another code (e.g. `PackageToUpdateNotFound`).
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// With other details.
    pub fn with_details(mut self, details: impl Into<String>) -> Self {
        self.details = details.into();
        self
    }

    /// The JSON body.
    pub fn body(&self) -> String {
        serde_json::to_string(&Envelope {
            errors: [Entry {
                code: self.code,
                message: &self.message,
                details: &self.details,
            }],
        })
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_match_the_observed_ones() {
        assert_eq!(
            SpApiErrorAnswer::token_revoked().body(),
            r#"{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided is revoked, malformed or invalid."}]}"#
        );
        assert_eq!(
            SpApiErrorAnswer::quota_exceeded().status,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(
            SpApiErrorAnswer::invalid_dates(&["createdAfter"]).details,
            "Invalid date-time field(s) [createdAfter]."
        );
    }
}
