//! Failed SP-API calls, classified for the caller and keeping Amazon's own error body.

mod classify;
mod envelope;
mod kind;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use sellerlink_domain::ids::SellingPartnerId;

pub use envelope::{ApiError, ErrorEnvelope};
pub use kind::ErrorKind;

use crate::input::InputError;
use crate::lwa::{LwaError, LwaErrorKind};
use crate::operation::Operation;

/// Response facts that classification needs besides status and body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    /// `x-amzn-RequestId`.
    pub request_id: Option<String>,
    /// `Retry-After`, when Amazon sends one (rare on SP-API).
    pub retry_after: Option<Duration>,
}

/// A plain-text reason used as an error source.
#[derive(Debug)]
pub(crate) struct Reason(pub(crate) String);

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Reason {}

/// An SP-API call that failed. [`kind`](Self::kind) says what happened and who must act;
/// [`amazon_errors`](Self::amazon_errors) holds Amazon's `{code, message, details}` entries.
/// Never holds an access token, refresh token or client secret.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.render())]
#[non_exhaustive]
pub struct SpApiError {
    kind: ErrorKind,
    operation: Operation,
    seller: Option<SellingPartnerId>,
    status: Option<u16>,
    request_id: Option<String>,
    amazon: Vec<ApiError>,
    #[source]
    source: Option<Arc<dyn std::error::Error + Send + Sync>>,
}

impl SpApiError {
    fn bare(kind: ErrorKind, operation: Operation) -> Self {
        Self {
            kind,
            operation,
            seller: None,
            status: None,
            request_id: None,
            amazon: Vec::new(),
            source: None,
        }
    }

    /// Classifies a non-2xx SP-API answer from its status, headers and body.
    pub fn from_response(
        operation: Operation,
        status: u16,
        meta: ResponseMeta,
        body: &[u8],
    ) -> Self {
        let envelope = ErrorEnvelope::parse(body);
        let (amazon, source) = match envelope {
            Ok(envelope) => (envelope.errors, None),
            Err(reason) => (Vec::new(), Some(Arc::new(Reason(reason)) as Arc<_>)),
        };
        let kind = classify::kind_for(status, &amazon, meta.retry_after);
        Self {
            status: Some(status),
            request_id: meta.request_id,
            amazon,
            source,
            ..Self::bare(kind, operation)
        }
    }

    /// Turns an LWA failure met while getting the access token into the call's error.
    pub fn from_lwa(operation: Operation, error: LwaError) -> Self {
        let kind = match error.kind() {
            LwaErrorKind::InvalidGrant => ErrorKind::AuthorizationLost,
            LwaErrorKind::InvalidClient | LwaErrorKind::UnauthorizedClient => {
                ErrorKind::AppCredentialsRejected
            }
            LwaErrorKind::Server | LwaErrorKind::TemporarilyUnavailable => ErrorKind::Server,
            LwaErrorKind::Transport => ErrorKind::Transport,
            LwaErrorKind::Decode => ErrorKind::Decode,
            _ => ErrorKind::InvalidInput,
        };
        Self {
            status: error.status(),
            source: Some(Arc::new(error)),
            ..Self::bare(kind, operation)
        }
    }

    pub(crate) fn transport(operation: Operation, error: reqwest::Error) -> Self {
        Self {
            source: Some(Arc::new(error)),
            ..Self::bare(ErrorKind::Transport, operation)
        }
    }

    pub(crate) fn decode(
        operation: Operation,
        status: u16,
        request_id: Option<String>,
        error: serde_json::Error,
    ) -> Self {
        Self {
            status: Some(status),
            request_id,
            source: Some(Arc::new(error)),
            ..Self::bare(ErrorKind::Decode, operation)
        }
    }

    pub(crate) fn invalid_request(operation: Operation, error: InputError) -> Self {
        Self {
            source: Some(Arc::new(error)),
            ..Self::bare(ErrorKind::InvalidInput, operation)
        }
    }

    pub(crate) fn repeated_next_token(operation: Operation, pages_read: usize) -> Self {
        Self {
            source: Some(Arc::new(Reason(format!(
                "Amazon returned a next token that was already used, after {pages_read} pages"
            )))),
            ..Self::bare(ErrorKind::RepeatedNextToken, operation)
        }
    }

    pub(crate) fn for_seller(mut self, seller: &SellingPartnerId) -> Self {
        self.seller = Some(seller.clone());
        self
    }

    /// What happened, and so who must act.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// The operation that failed.
    pub fn operation(&self) -> Operation {
        self.operation
    }

    /// The seller the call was for.
    pub fn seller(&self) -> Option<&SellingPartnerId> {
        self.seller.as_ref()
    }

    /// The HTTP status, if Amazon (or LWA) answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// `x-amzn-RequestId`, for Amazon support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// Amazon's error entries, as sent.
    pub fn amazon_errors(&self) -> &[ApiError] {
        &self.amazon
    }

    /// The first entry's `code`, e.g. `QuotaExceeded`.
    pub fn code(&self) -> Option<&str> {
        self.amazon.first().map(|e| e.code.as_str())
    }

    /// The first entry's `message`.
    pub fn message(&self) -> Option<&str> {
        self.amazon.first().map(|e| e.message.as_str())
    }

    /// The first entry's `details`.
    pub fn details(&self) -> Option<&str> {
        self.amazon.first().and_then(|e| e.details.as_deref())
    }

    /// The LWA failure behind this error, when getting the access token failed.
    pub fn lwa_error(&self) -> Option<&LwaError> {
        self.source.as_deref()?.downcast_ref::<LwaError>()
    }

    /// True for failures worth retrying unchanged: throttling, 5xx, transport.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    fn render(&self) -> String {
        let mut text = format!("SP-API {}", self.operation.name());
        if let Some(seller) = &self.seller {
            text.push_str(&format!(" for seller {seller}"));
        }
        text.push_str(&format!(" failed: {}", self.kind.summary()));
        if let Some(lwa) = self.lwa_error() {
            text.push_str(&format!(" — {lwa}"));
        } else {
            if let Some(status) = self.status {
                text.push_str(&format!(" (HTTP {status}"));
                if let Some(id) = &self.request_id {
                    text.push_str(&format!(", request id {id}"));
                }
                text.push(')');
            }
            for entry in &self.amazon {
                text.push_str(&format!("; Amazon: {entry}"));
            }
            if let Some(source) = &self.source {
                text.push_str(&format!("; {source}"));
            }
        }
        text.push_str(&format!(". {}", self.kind.remedy()));
        text
    }
}

#[cfg(test)]
mod tests;
