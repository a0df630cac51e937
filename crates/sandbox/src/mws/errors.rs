//! MWS error responses (`docs/amazon/MWS.md#errors`) and the sandbox's error constructors.

use axum::http::StatusCode;

use crate::mws::section::Section;
use crate::xml::XmlWriter;

/// One MWS error answer the sandbox sends, ready to render as an `ErrorResponse` (what Amazon answers, not a
/// client's error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MwsErrorAnswer {
    /// HTTP status.
    pub status: StatusCode,
    /// `Sender`, `Receiver` or empty.
    pub error_type: &'static str,
    /// Amazon's error code, e.g. `InvalidParameterValue`.
    pub code: &'static str,
    /// Human-readable message.
    pub message: String,
    /// Sandbox extension: a machine-readable reason in `<Detail>` (e.g. `grant-revoked`).
    pub detail: Option<&'static str>,
}

impl MwsErrorAnswer {
    fn new(
        status: StatusCode,
        error_type: &'static str,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            error_type,
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// 400 InvalidParameterValue.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "Sender",
            "InvalidParameterValue",
            message,
        )
    }

    /// 400 InvalidParameterValue "Missing required parameter X."
    pub fn missing(name: &str) -> Self {
        Self::invalid(format!("Missing required parameter {name}."))
    }

    /// 400 with a section-specific code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Sender", code, message)
    }

    /// 400 InvalidAction.
    pub fn invalid_action(action: &str, section: Section) -> Self {
        Self::bad_request(
            "InvalidAction",
            format!(
                "{action} is not a valid action for {}/{}.",
                section.name(),
                section.version()
            ),
        )
    }

    /// 404 InvalidAddress for an unknown section path.
    pub fn invalid_address(section_path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Sender",
            "InvalidAddress",
            format!("Section {section_path} is invalid"),
        )
    }

    /// 403 InvalidAccessKeyId.
    pub fn invalid_access_key() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Sender",
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        )
    }

    /// 403 SignatureDoesNotMatch.
    pub fn signature_mismatch() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "Sender",
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    }

    /// 400 RequestExpired.
    pub fn expired(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "Sender", "RequestExpired", message)
    }

    /// 401 AccessDenied with a sandbox detail.
    pub fn access_denied(message: impl Into<String>, detail: &'static str) -> Self {
        Self {
            detail: Some(detail),
            ..Self::new(StatusCode::UNAUTHORIZED, "Sender", "AccessDenied", message)
        }
    }

    /// 503 RequestThrottled with the section's `Type`.
    pub fn throttled(section: Section) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            section.throttle_error_type(),
            "RequestThrottled",
            "Request is throttled",
        )
    }

    /// 503 QuotaExceeded.
    pub fn quota_exceeded(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Sender",
            "QuotaExceeded",
            message,
        )
    }

    /// 500 InternalError (fault injection).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Receiver",
            "InternalError",
            "We encountered an internal error. Please try again.",
        )
    }

    /// 503 ServiceUnavailable (fault injection).
    pub fn unavailable() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Receiver",
            "ServiceUnavailable",
            "Service temporarily unavailable. Please try again.",
        )
    }

    /// 400 NextTokenCorrupted.
    pub fn next_token_corrupted() -> Self {
        Self::bad_request(
            "NextTokenCorrupted",
            "The NextToken is invalid or expired; restart the listing.",
        )
    }

    /// The `ErrorResponse` document in the section's namespace and request-id spelling.
    pub fn to_xml(&self, section: Section, request_id: &str) -> String {
        self.to_xml_with(
            section.namespace(),
            section.error_request_id_tag(),
            request_id,
        )
    }

    /// The `ErrorResponse` document with an explicit namespace and request-id element name.
    pub fn to_xml_with(&self, namespace: &str, request_id_tag: &str, request_id: &str) -> String {
        let mut w = XmlWriter::with_capacity("<?xml version=\"1.0\"?>\n", 512);
        w.open_with("ErrorResponse", &[("xmlns", namespace)]);
        w.open("Error");
        w.leaf("Type", self.error_type);
        w.leaf("Code", self.code).leaf("Message", &self.message);
        if let Some(detail) = self.detail {
            w.leaf("Detail", detail);
        }
        w.close("Error");
        w.leaf(request_id_tag, request_id);
        w.close("ErrorResponse");
        w.finish()
    }
}
