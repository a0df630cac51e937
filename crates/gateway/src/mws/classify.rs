//! MWS failures → the engine's [`GatewayErrorKind`]s.

use std::time::Duration;

use sellerlink_domain::refusal::RefusalCause;
use sellerlink_mws::{ErrorKind, MwsError};

use crate::gateway::{GatewayError, GatewayErrorKind};

/// How a throttled call should wait before the engine calls again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ThrottleWait {
    /// The client paces its calls, and after a throttle its bucket is drained, so the next call already waits a
    /// full restore period: the engine need not wait on top.
    Paced,
    /// No pacing: wait the operation's restore period, sped up by this factor (the sandbox's throttle scale).
    RestorePeriod {
        /// Restore rates are this many times Amazon's.
        scale: f64,
    },
}

impl ThrottleWait {
    fn after(self, error: &MwsError) -> Duration {
        match self {
            Self::Paced => Duration::ZERO,
            Self::RestorePeriod { scale } => {
                let period = error.operation().quota().restore_period;
                Duration::try_from_secs_f64(period.as_secs_f64() / scale).unwrap_or(period)
            }
        }
    }
}

/// Classifies an MWS failure, keeping Amazon's code and message.
pub(crate) fn classify(error: &MwsError, throttle: ThrottleWait) -> GatewayError {
    let code = error.amazon_code().unwrap_or_default().to_owned();
    let message = error.amazon_message().unwrap_or_default().to_owned();
    let kind = match error.kind() {
        ErrorKind::Throttled { .. } => GatewayErrorKind::Throttled {
            retry_after: throttle.after(error),
        },
        ErrorKind::AccessDenied => GatewayErrorKind::AccessDenied {
            cause: RefusalCause::SellerAccess,
            code,
            message,
        },
        ErrorKind::InvalidCredentials => GatewayErrorKind::AccessDenied {
            cause: RefusalCause::OperatorCredentials,
            code,
            message,
        },
        ErrorKind::Server | ErrorKind::Transport | ErrorKind::Decode => GatewayErrorKind::Transient,
        ErrorKind::InvalidInput | ErrorKind::NotFound => GatewayErrorKind::Invalid,
        _ => GatewayErrorKind::Other,
    };
    GatewayError::new(kind, error.operation().to_string(), error.to_string())
}
