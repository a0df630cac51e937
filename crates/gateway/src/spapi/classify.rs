//! SP-API failures → the engine's [`GatewayErrorKind`]s.

use std::time::Duration;

use sellerlink_domain::refusal::RefusalCause;
use sellerlink_spapi::{ErrorKind, Operation, SpApiError};

use crate::gateway::{GatewayError, GatewayErrorKind};

/// How a throttled call should wait before the engine calls again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ThrottleWait {
    /// The client paces its calls with token buckets, and a 429 empties the bucket, so the next call already waits
    /// for a token: the engine need not wait on top.
    Paced,
    /// No pacing: wait Amazon's `Retry-After`, else one token's refill time of the operation's usage plan, sped up
    /// by this factor (the sandbox's throttle scale).
    RefillTime {
        /// Rates are this many times Amazon's.
        scale: f64,
    },
}

impl ThrottleWait {
    fn after(self, operation: Operation, retry_after: Option<Duration>) -> Duration {
        match self {
            Self::Paced => Duration::ZERO,
            Self::RefillTime { scale } => retry_after.unwrap_or_else(|| {
                let rate = operation.documented_plan().rate * scale;
                Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::from_secs(1))
            }),
        }
    }
}

/// The operation's name as the engine reports it, e.g. `Orders.searchOrders`.
pub(crate) fn operation_name(operation: Operation) -> String {
    match operation {
        Operation::GetMarketplaceParticipations => {
            "Sellers.getMarketplaceParticipations".to_owned()
        }
        Operation::SearchOrders => "Orders.searchOrders".to_owned(),
        Operation::GetOrder => "Orders.getOrder".to_owned(),
        other => format!("SP-API.{}", other.name()),
    }
}

/// Classifies an SP-API failure, keeping Amazon's (or LWA's) code and message. Never carries a token or secret:
/// [`SpApiError`] holds none.
pub(crate) fn classify(error: &SpApiError, throttle: ThrottleWait) -> GatewayError {
    let lwa = error.lwa_error();
    let code = error
        .code()
        .or_else(|| lwa.and_then(|e| e.error()))
        .unwrap_or_default()
        .to_owned();
    let message = error
        .details()
        .filter(|details| !details.is_empty())
        .or_else(|| error.message())
        .or_else(|| lwa.and_then(|e| e.error_description()))
        .unwrap_or_default()
        .to_owned();
    let denied = |cause| GatewayErrorKind::AccessDenied {
        cause,
        code: code.clone(),
        message: message.clone(),
    };
    let kind = match error.kind() {
        ErrorKind::AuthorizationLost => denied(RefusalCause::AuthorizationLost),
        ErrorKind::AppCredentialsRejected => denied(RefusalCause::AppCredentialsRejected),
        ErrorKind::AccessDenied { .. } => denied(RefusalCause::SellerAccess),
        ErrorKind::Throttled { retry_after } => GatewayErrorKind::Throttled {
            retry_after: throttle.after(error.operation(), *retry_after),
        },
        ErrorKind::TokenExpired | ErrorKind::Server | ErrorKind::Transport | ErrorKind::Decode => {
            GatewayErrorKind::Transient
        }
        ErrorKind::InvalidInput | ErrorKind::NotFound => GatewayErrorKind::Invalid,
        _ => GatewayErrorKind::Other,
    };
    GatewayError::new(kind, operation_name(error.operation()), error.to_string())
}

#[cfg(test)]
mod tests {
    use sellerlink_spapi::ResponseMeta;

    use super::*;

    fn answer(status: u16, body: &str) -> SpApiError {
        SpApiError::from_response(
            Operation::SearchOrders,
            status,
            ResponseMeta::default(),
            body.as_bytes(),
        )
    }

    #[test]
    fn a_revoked_token_is_the_sellers_to_fix_and_a_429_waits_a_refill() {
        let revoked = classify(
            &answer(
                403,
                r#"{"errors":[{"code":"Unauthorized","message":"Access to requested resource is denied.","details":"The access token you provided is revoked, malformed or invalid."}]}"#,
            ),
            ThrottleWait::Paced,
        );
        assert_eq!(
            revoked.kind,
            GatewayErrorKind::AccessDenied {
                cause: RefusalCause::AuthorizationLost,
                code: "Unauthorized".to_owned(),
                message: "The access token you provided is revoked, malformed or invalid."
                    .to_owned(),
            }
        );
        assert_eq!(revoked.kind.name(), RefusalCause::AuthorizationLost.code());
        assert_eq!(revoked.operation, "Orders.searchOrders");

        let quota = r#"{"errors":[{"code":"QuotaExceeded","message":"You exceeded your quota for the requested resource."}]}"#;
        let paced = classify(&answer(429, quota), ThrottleWait::Paced);
        assert_eq!(
            paced.kind,
            GatewayErrorKind::Throttled {
                retry_after: Duration::ZERO
            }
        );
        let unpaced = classify(&answer(429, quota), ThrottleWait::RefillTime { scale: 1.0 });
        let GatewayErrorKind::Throttled { retry_after } = unpaced.kind else {
            panic!("a 429 is throttling: {unpaced:?}");
        };
        assert!(
            (retry_after.as_secs_f64() - 1.0 / 0.0056).abs() < 0.01,
            "{retry_after:?}"
        );

        assert_eq!(
            classify(&answer(503, "{}"), ThrottleWait::Paced).kind,
            GatewayErrorKind::Transient
        );
        assert_eq!(
            classify(&answer(400, "{}"), ThrottleWait::Paced).kind,
            GatewayErrorKind::Invalid
        );
    }
}
