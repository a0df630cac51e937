//! Errors of MWS calls, classified for the caller, keeping Amazon's own `Code`, `Message`,
//! HTTP status and request id (`docs/amazon/MWS.md#errors`).

use std::fmt;
use std::time::Duration;

use serde::Deserialize;

use crate::quota::Operation;

/// What kind of failure an [`MwsError`] is, for deciding what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Amazon throttled the call (`RequestThrottled`, `QuotaExceeded`); try again after
    /// `retry_after` (the operation's restore period).
    Throttled {
        /// How long to wait before the bucket holds a request again.
        retry_after: Duration,
    },
    /// The seller has not authorised this developer, or the authorisation was revoked or has
    /// expired, or the MWS Auth Token is missing or belongs to someone else (401 `AccessDenied`).
    AccessDenied,
    /// The developer's access key is unknown or the signature is wrong (`InvalidAccessKeyId`,
    /// `SignatureDoesNotMatch`).
    InvalidCredentials,
    /// Amazon refused a parameter (`InvalidParameterValue`, `RequestExpired`, other 4xx).
    InvalidInput,
    /// What was asked for does not exist (404, `InvalidFeedSubmissionId`, …).
    NotFound,
    /// Amazon failed (5xx other than throttling).
    Server,
    /// The request did not complete: connection, TLS, timeout, or a body damaged in transit.
    Transport,
    /// Amazon answered, but the body could not be read as the documented XML.
    Decode,
    /// A listing returned a `NextToken` it had already returned; stopped instead of looping.
    RepeatedNextToken,
}

impl ErrorKind {
    /// Whether the client retries this kind: throttling, server errors and transport errors.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Self::Throttled { .. } | Self::Server | Self::Transport
        )
    }
}

/// One `<Error>` of an MWS `ErrorResponse`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmazonErrorDetail {
    /// `Sender` or `Receiver`; often empty, never rely on it.
    pub error_type: Option<String>,
    /// Amazon's error code, e.g. `AccessDenied`.
    pub code: String,
    /// Amazon's human-readable message.
    pub message: String,
    /// The optional `<Detail>` text.
    pub detail: Option<String>,
}

/// An error answer from Amazon: the HTTP status and the parsed `ErrorResponse`, if the body
/// was one (a proxy's HTML error page leaves `errors` empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    /// The HTTP status code.
    pub http_status: u16,
    /// The `<Error>` elements, in document order.
    pub errors: Vec<AmazonErrorDetail>,
    /// `RequestID`/`RequestId` from the body, else the `x-mws-request-id` header.
    pub request_id: Option<String>,
}

impl ErrorResponse {
    /// Reads an error answer. A body that is not an `ErrorResponse` gives an empty `errors`.
    pub fn parse(http_status: u16, body: &str, header_request_id: Option<String>) -> Self {
        match quick_xml::de::from_str::<WireErrorResponse>(body) {
            Ok(wire) => Self {
                http_status,
                errors: wire
                    .errors
                    .into_iter()
                    .map(|e| AmazonErrorDetail {
                        error_type: non_empty(e.error_type),
                        code: e.code.trim().to_owned(),
                        message: e.message.unwrap_or_default().trim().to_owned(),
                        detail: non_empty(e.detail),
                    })
                    .collect(),
                request_id: non_empty(wire.request_id).or(header_request_id),
            },
            Err(_) => Self {
                http_status,
                errors: Vec::new(),
                request_id: header_request_id,
            },
        }
    }

    /// The first error's code.
    pub fn code(&self) -> Option<&str> {
        self.errors.first().map(|e| e.code.as_str())
    }

    /// The first error's message.
    pub fn message(&self) -> Option<&str> {
        self.errors.first().map(|e| e.message.as_str())
    }

    /// Classifies the answer. `restore_period` is the throttled operation's restore period.
    pub fn classify(&self, restore_period: Duration) -> ErrorKind {
        let by_code = self.code().and_then(|code| match code {
            "RequestThrottled" | "QuotaExceeded" => Some(ErrorKind::Throttled {
                retry_after: restore_period,
            }),
            "AccessDenied" | "AccessToFeedProcessingResultDenied" => Some(ErrorKind::AccessDenied),
            "InvalidAccessKeyId" | "InvalidClientTokenId" | "SignatureDoesNotMatch" => {
                Some(ErrorKind::InvalidCredentials)
            }
            "InvalidAddress"
            | "InvalidFeedSubmissionId"
            | "FeedProcessingResultNoLongerAvailable"
            | "InvalidReportRequestId" => Some(ErrorKind::NotFound),
            "InternalError" | "RetriableInternalError" | "ServiceUnavailable" => {
                Some(ErrorKind::Server)
            }
            "NonRetriableInternalError" => Some(ErrorKind::InvalidInput),
            _ => None,
        });
        by_code.unwrap_or(match self.http_status {
            401 => ErrorKind::AccessDenied,
            403 => ErrorKind::InvalidCredentials,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::Throttled {
                retry_after: restore_period,
            },
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::InvalidInput,
        })
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.http_status)?;
        match self.errors.first() {
            Some(first) => {
                write!(f, " {}: {}", first.code, first.message)?;
                // Amazon's <Detail> is usually empty or junk; when it carries text (the sandbox names the reason
                // of a refusal there, e.g. `grant-revoked`) it is worth keeping.
                if let Some(detail) = first.detail.as_deref().filter(|d| !d.contains('@')) {
                    write!(f, " ({detail})")?;
                }
            }
            None => f.write_str(" without an MWS ErrorResponse body")?,
        }
        if self.errors.len() > 1 {
            write!(f, " (and {} more errors)", self.errors.len() - 1)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[derive(Deserialize)]
struct WireErrorResponse {
    #[serde(rename = "Error")]
    errors: Vec<WireError>,
    #[serde(rename = "RequestID", alias = "RequestId", default)]
    request_id: Option<String>,
}

#[derive(Deserialize)]
struct WireError {
    #[serde(rename = "Type", default)]
    error_type: Option<String>,
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: Option<String>,
    #[serde(rename = "Detail", default)]
    detail: Option<String>,
}

/// A response body that is not the documented XML. Says what did not fit; never carries the
/// body itself (it can hold buyers' personal data).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DecodeError {
    message: String,
}

impl DecodeError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    pub(crate) fn from_xml(error: quick_xml::DeError) -> Self {
        Self::new(format!("malformed XML: {error}"))
    }
}

/// An MWS call that did not succeed. No variant holds the secret key, the MWS Auth Token or a
/// signed URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MwsError {
    /// Amazon answered with an error status.
    #[error("Amazon MWS refused {operation}: {response}")]
    Amazon {
        /// The operation called.
        operation: Operation,
        /// The classification of the answer.
        kind: ErrorKind,
        /// Amazon's answer.
        response: ErrorResponse,
    },
    /// The request did not complete (connection, TLS, timeout).
    #[error("could not complete MWS {operation}: {source}")]
    Transport {
        /// The operation called.
        operation: Operation,
        /// The HTTP client's error, with the URL removed (a feed URL carries the signed query).
        #[source]
        source: reqwest::Error,
    },
    /// The answer was not the documented XML.
    #[error("MWS {operation} answered with a body that could not be read: {source}")]
    Decode {
        /// The operation called.
        operation: Operation,
        /// What did not fit.
        #[source]
        source: DecodeError,
    },
    /// A listing returned a `NextToken` it had already returned.
    #[error(
        "MWS {operation} returned a NextToken it had already returned; stopped paging instead of looping"
    )]
    RepeatedNextToken {
        /// The by-next-token operation that would have looped.
        operation: Operation,
    },
    /// The feed processing result failed its `Content-MD5` check on every try.
    #[error(
        "MWS {operation} body failed its Content-MD5 check after {attempts} tries (header {expected}, body {actual})"
    )]
    ContentMd5Mismatch {
        /// The operation called.
        operation: Operation,
        /// How many times the result was fetched.
        attempts: u32,
        /// The `Content-MD5` header Amazon sent (empty if none).
        expected: String,
        /// The MD5 of the body received.
        actual: String,
    },
    /// The request was refused before sending because a parameter breaks Amazon's rules.
    #[error("invalid MWS {operation} request: {reason}")]
    InvalidRequest {
        /// The operation that would have been called.
        operation: Operation,
        /// Which rule was broken.
        reason: String,
    },
}

impl MwsError {
    /// The classification of the failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Amazon { kind, .. } => kind.clone(),
            Self::Transport { .. } | Self::ContentMd5Mismatch { .. } => ErrorKind::Transport,
            Self::Decode { .. } => ErrorKind::Decode,
            Self::RepeatedNextToken { .. } => ErrorKind::RepeatedNextToken,
            Self::InvalidRequest { .. } => ErrorKind::InvalidInput,
        }
    }

    /// Whether the client's retry policy applies (throttling, server, transport).
    pub fn is_retryable(&self) -> bool {
        self.kind().is_retryable()
    }

    /// The operation that failed.
    pub fn operation(&self) -> Operation {
        match self {
            Self::Amazon { operation, .. }
            | Self::Transport { operation, .. }
            | Self::Decode { operation, .. }
            | Self::RepeatedNextToken { operation }
            | Self::ContentMd5Mismatch { operation, .. }
            | Self::InvalidRequest { operation, .. } => *operation,
        }
    }

    /// Amazon's answer, when the failure is one.
    pub fn amazon_response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::Amazon { response, .. } => Some(response),
            _ => None,
        }
    }

    /// The HTTP status Amazon answered with.
    pub fn http_status(&self) -> Option<u16> {
        self.amazon_response().map(|r| r.http_status)
    }

    /// Amazon's error code, e.g. `AccessDenied`.
    pub fn amazon_code(&self) -> Option<&str> {
        self.amazon_response().and_then(ErrorResponse::code)
    }

    /// Amazon's error message.
    pub fn amazon_message(&self) -> Option<&str> {
        self.amazon_response().and_then(ErrorResponse::message)
    }

    /// Amazon's request id for the failed call.
    pub fn request_id(&self) -> Option<&str> {
        self.amazon_response().and_then(|r| r.request_id.as_deref())
    }

    pub(crate) fn transport(operation: Operation, source: reqwest::Error) -> Self {
        Self::Transport {
            operation,
            source: source.without_url(),
        }
    }

    pub(crate) fn decode(operation: Operation, source: DecodeError) -> Self {
        Self::Decode { operation, source }
    }

    pub(crate) fn invalid_request(operation: Operation, reason: impl Into<String>) -> Self {
        Self::InvalidRequest {
            operation,
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn orders_throttle_with_empty_type_and_request_id_upper() {
        let response = ErrorResponse::parse(503, &fixture("error_throttled_orders.xml"), None);
        assert_eq!(response.code(), Some("RequestThrottled"));
        assert_eq!(response.message(), Some("Request is throttled"));
        assert_eq!(response.errors[0].error_type, None);
        assert_eq!(
            response.request_id.as_deref(),
            Some("6f0c3a4e-58d1-4b7a-9f21-0c9e2d4b7a11")
        );
        assert_eq!(
            response.classify(MINUTE),
            ErrorKind::Throttled {
                retry_after: MINUTE
            }
        );
    }

    #[test]
    fn hourly_quota_exceeded_is_throttled() {
        let response = ErrorResponse::parse(503, &fixture("error_quota_exceeded_feeds.xml"), None);
        assert_eq!(response.code(), Some("QuotaExceeded"));
        assert_eq!(response.errors[0].error_type.as_deref(), Some("Sender"));
        assert_eq!(
            response.request_id.as_deref(),
            Some("b1d7e2f0-3c4a-4e55-8a6b-27c19f0d3e88")
        );
        assert!(matches!(
            response.classify(MINUTE),
            ErrorKind::Throttled { .. }
        ));
    }

    #[test]
    fn access_denied_is_classified() {
        let response = ErrorResponse::parse(401, &fixture("error_access_denied.xml"), None);
        assert_eq!(response.classify(MINUTE), ErrorKind::AccessDenied);
        assert_eq!(
            response.message(),
            Some("Access to Orders.ListOrders is denied")
        );
    }

    #[test]
    fn bad_keys_and_signatures_are_invalid_credentials() {
        let signature = ErrorResponse::parse(403, &fixture("error_signature.xml"), None);
        assert_eq!(signature.code(), Some("SignatureDoesNotMatch"));
        assert_eq!(signature.classify(MINUTE), ErrorKind::InvalidCredentials);
        let key = ErrorResponse::parse(403, &fixture("error_invalid_access_key.xml"), None);
        assert_eq!(key.classify(MINUTE), ErrorKind::InvalidCredentials);
        assert!(
            key.errors[0].detail.is_some(),
            "junk Detail is kept as text"
        );
    }

    #[test]
    fn parameter_errors_not_found_and_server_errors() {
        let invalid = ErrorResponse::parse(400, &fixture("error_invalid_parameter.xml"), None);
        assert_eq!(invalid.classify(MINUTE), ErrorKind::InvalidInput);
        assert_eq!(invalid.errors.len(), 2);
        let address = ErrorResponse::parse(404, &fixture("error_invalid_address.xml"), None);
        assert_eq!(address.classify(MINUTE), ErrorKind::NotFound);
        let internal = ErrorResponse::parse(500, &fixture("error_internal.xml"), None);
        assert_eq!(internal.classify(MINUTE), ErrorKind::Server);
        assert!(internal.classify(MINUTE).is_retryable());
        assert!(!invalid.classify(MINUTE).is_retryable());
    }

    #[test]
    fn a_non_xml_body_is_classified_by_status() {
        let html = "<html><body>Bad gateway</body></html>";
        let response = ErrorResponse::parse(502, html, Some("hdr-id".to_owned()));
        assert!(response.errors.is_empty());
        assert_eq!(response.request_id.as_deref(), Some("hdr-id"));
        assert_eq!(response.classify(MINUTE), ErrorKind::Server);
        assert_eq!(
            ErrorResponse::parse(401, "", None).classify(MINUTE),
            ErrorKind::AccessDenied
        );
        assert_eq!(
            ErrorResponse::parse(418, "not xml <", None).classify(MINUTE),
            ErrorKind::InvalidInput
        );
        assert!(response.to_string().contains("HTTP 502"));
    }

    #[test]
    fn error_display_names_operation_code_and_request_id() {
        let response = ErrorResponse::parse(401, &fixture("error_access_denied.xml"), None);
        let error = MwsError::Amazon {
            operation: Operation::ListOrders,
            kind: response.classify(MINUTE),
            response,
        };
        let text = error.to_string();
        assert!(text.contains("Orders.ListOrders"), "{text}");
        assert!(text.contains("AccessDenied"), "{text}");
        assert!(text.contains("HTTP 401"), "{text}");
        assert_eq!(error.amazon_code(), Some("AccessDenied"));
        assert_eq!(error.http_status(), Some(401));
        assert!(error.request_id().is_some());
        assert!(!error.is_retryable());
    }
}
