//! From HTTP status and Amazon's error entries to an [`ErrorKind`]
//! (`docs/amazon/SP-API.md#error-classification`).
//!
//! 403 is the crowded one. Amazon's `details` tell its cases apart:
//! - "The LWA secret token you provided has expired." → the app's client secret lapsed;
//! - "… revoked, malformed or invalid." → the seller's authorization is gone;
//! - "The access token you provided has expired." → refresh and retry once;
//! - anything else (a missing role, a missing token, a wrong region) → access denied.

use std::time::Duration;

use super::envelope::ApiError;
use super::kind::ErrorKind;

pub(super) fn kind_for(
    status: u16,
    errors: &[ApiError],
    retry_after: Option<Duration>,
) -> ErrorKind {
    match status {
        401 | 403 => forbidden_kind(errors),
        404 => ErrorKind::NotFound,
        429 => ErrorKind::Throttled { retry_after },
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::InvalidInput,
    }
}

fn forbidden_kind(errors: &[ApiError]) -> ErrorKind {
    let texts: Vec<String> = errors
        .iter()
        .map(|e| {
            format!("{} {}", e.message, e.details.as_deref().unwrap_or("")).to_ascii_lowercase()
        })
        .collect();
    let any = |needle: &str| texts.iter().any(|text| text.contains(needle));
    if any("lwa secret") || any("client secret") {
        ErrorKind::AppCredentialsRejected
    } else if any("revoked") || any("malformed or invalid") {
        ErrorKind::AuthorizationLost
    } else if any("access token you provided has expired") || any("token has expired") {
        ErrorKind::TokenExpired
    } else {
        let details = errors
            .iter()
            .map(|e| e.details.clone().unwrap_or_else(|| e.message.clone()))
            .find(|text| !text.is_empty())
            .unwrap_or_default();
        ErrorKind::AccessDenied { details }
    }
}
