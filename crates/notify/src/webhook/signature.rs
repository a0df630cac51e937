//! Signing and verifying webhook requests.
//!
//! The signature is `v1=` followed by the lowercase hex HMAC-SHA256, keyed with the secret, of the
//! timestamp header's text, a dot, and the raw body: `HMAC(secret, "{timestamp}.{body}")`. Binding the
//! timestamp lets receivers refuse replays of an old request.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use sha2::Sha256;

use super::secret::WebhookSecret;

/// The header carrying the notification id; the same notification sent again has the same id.
pub const ID_HEADER: &str = "Sellerlink-Webhook-Id";
/// The header carrying the signing time in Unix seconds.
pub const TIMESTAMP_HEADER: &str = "Sellerlink-Webhook-Timestamp";
/// The header carrying `v1=<hex HMAC-SHA256>`.
pub const SIGNATURE_HEADER: &str = "Sellerlink-Webhook-Signature";

type HmacSha256 = Hmac<Sha256>;

/// Why a webhook request was refused by [`verify_signature`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The timestamp header is not a whole number of seconds.
    #[error("{TIMESTAMP_HEADER}: is not a whole number of seconds since 1970-01-01T00:00:00Z")]
    MalformedTimestamp,
    /// The request was signed too long ago (or in the future): a replay or a badly set clock.
    #[error(
        "{TIMESTAMP_HEADER}: the request was signed {skew_seconds} s away from now; at most {tolerance_seconds} s \
         are accepted (a replayed request, or a clock that is off)"
    )]
    StaleTimestamp {
        /// Now minus the signing time (negative: signed in the future).
        skew_seconds: i64,
        /// The accepted distance.
        tolerance_seconds: u64,
    },
    /// The signature header holds no `v1=<64 hex digits>` entry.
    #[error(
        "{SIGNATURE_HEADER}: expected v1= followed by 64 hex digits (several entries separated by commas or spaces)"
    )]
    MalformedSignature,
    /// No `v1` signature matches: the body, the timestamp or the secret differs.
    #[error("{SIGNATURE_HEADER}: no v1 signature matches this body and timestamp with this secret")]
    Mismatch,
}

/// The signature header value for `body` signed at `timestamp` (Unix seconds): `v1=<hex>`.
pub fn sign(secret: &WebhookSecret, timestamp: i64, body: &[u8]) -> String {
    let mac = mac(secret, &timestamp.to_string(), body);
    format!("v1={}", hex::encode(mac.finalize().into_bytes()))
}

/// Checks a received webhook request, for receivers.
///
/// `timestamp_header` and `signature_header` are the values of [`TIMESTAMP_HEADER`] and
/// [`SIGNATURE_HEADER`]; `body` is the raw request body, byte for byte, before any JSON parsing. The
/// request is accepted when the timestamp is within `tolerance` of `now` (five minutes is a good
/// choice) and one of the `v1=` entries matches, compared in constant time.
///
/// # Errors
///
/// A [`VerifyError`] saying which check failed.
pub fn verify_signature(
    secret: &WebhookSecret,
    timestamp_header: &str,
    body: &[u8],
    signature_header: &str,
    now: Timestamp,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    let timestamp_text = timestamp_header.trim();
    if timestamp_text.is_empty() || !timestamp_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(VerifyError::MalformedTimestamp);
    }
    let signed_at: i64 = timestamp_text
        .parse()
        .map_err(|_| VerifyError::MalformedTimestamp)?;
    let skew_seconds = now.as_second().saturating_sub(signed_at);
    if skew_seconds.unsigned_abs() > tolerance.as_secs() {
        return Err(VerifyError::StaleTimestamp {
            skew_seconds,
            tolerance_seconds: tolerance.as_secs(),
        });
    }
    let candidates: Vec<Vec<u8>> = signature_header
        .split([',', ' '])
        .filter_map(|entry| entry.trim().strip_prefix("v1="))
        .filter_map(|digits| hex::decode(digits).ok())
        .filter(|bytes| bytes.len() == 32)
        .collect();
    if candidates.is_empty() {
        return Err(VerifyError::MalformedSignature);
    }
    let expected = mac(secret, timestamp_text, body);
    if candidates
        .iter()
        .any(|candidate| expected.clone().verify_slice(candidate).is_ok())
    {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

fn mac(secret: &WebhookSecret, timestamp: &str, body: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(secret.expose_secret().as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}
