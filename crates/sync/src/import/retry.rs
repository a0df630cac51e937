//! Calling the gateway with the engine's retry rules: wait out throttling, back off from transient failures, give up
//! on anything else.

use std::future::Future;
use std::time::Duration;

use rand::Rng as _;
use sellerlink_gateway::{GatewayError, GatewayErrorKind};
use tokio_util::sync::CancellationToken;

use super::stats::RunStats;
use crate::config::RetryConfig;

/// Why a call ended without a result.
#[derive(Debug)]
pub(crate) enum CallError {
    /// The gateway's error after the retries allowed.
    Gateway(GatewayError),
    /// The run was cancelled while waiting.
    Cancelled,
}

/// Sleeps `wait`, or less if `cancel` fires; returns false if cancelled.
pub(crate) async fn pause(wait: Duration, cancel: &CancellationToken) -> bool {
    if wait.is_zero() {
        return !cancel.is_cancelled();
    }
    tokio::select! {
        () = tokio::time::sleep(wait) => true,
        () = cancel.cancelled() => false,
    }
}

/// Calls `call` until it succeeds, fails for good, or the retry budget is spent.
pub(crate) async fn with_retry<T, F, Fut>(
    retry: &RetryConfig,
    stats: &RunStats,
    cancel: &CancellationToken,
    mut call: F,
) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, GatewayError>>,
{
    let mut transient = 0u32;
    let mut throttled = 0u32;
    loop {
        if cancel.is_cancelled() {
            return Err(CallError::Cancelled);
        }
        let error = match call().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        let wait = match &error.kind {
            GatewayErrorKind::Throttled { retry_after } => {
                stats.throttled();
                throttled += 1;
                if throttled > retry.max_throttle_waits {
                    return Err(CallError::Gateway(error));
                }
                *retry_after
            }
            GatewayErrorKind::Transient => {
                transient += 1;
                if transient >= retry.max_transient_attempts {
                    return Err(CallError::Gateway(error));
                }
                let base = retry.backoff(transient);
                base + base.mul_f64(rand::rng().random_range(0.0..0.5))
            }
            _ => return Err(CallError::Gateway(error)),
        };
        stats.retried();
        tracing::debug!(
            error = %error,
            retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            "Amazon call failed; trying again"
        );
        if !pause(wait, cancel).await {
            return Err(CallError::Cancelled);
        }
    }
}
