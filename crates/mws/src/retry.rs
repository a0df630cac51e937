//! What MWS adds to the shared [`RetryPolicy`]: a throttled call waits its operation's restore
//! period (`docs/amazon/MWS.md#retries`), not the backoff. Only throttling, 5xx and transport
//! errors are retried ([`MwsError::is_retryable`](crate::MwsError::is_retryable)).

use std::time::Duration;

use sellerlink_http::RetryPolicy;

/// The wait after a throttle: the restore period plus up to a fifth more of random jitter (so
/// parallel callers do not return together), capped at the policy's `max_delay`.
pub(crate) fn throttle_delay(policy: &RetryPolicy, restore_period: Duration) -> Duration {
    let jitter_span = restore_period / 5;
    let jitter = if jitter_span.is_zero() {
        Duration::ZERO
    } else {
        jitter_span.mul_f64(rand::random::<f64>())
    };
    (restore_period + jitter).min(policy.max_delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_delay_is_the_restore_period_with_bounded_jitter() {
        let policy = RetryPolicy::mws();
        for _ in 0..200 {
            let delay = throttle_delay(&policy, Duration::from_secs(60));
            assert!(delay >= Duration::from_secs(60), "{delay:?}");
            assert!(delay <= Duration::from_secs(72), "{delay:?}");
        }
    }

    #[test]
    fn throttle_delay_is_capped() {
        let policy = RetryPolicy::mws()
            .with_max_retries(2)
            .with_delays(Duration::from_millis(10), Duration::from_millis(250));
        assert_eq!(
            throttle_delay(&policy, Duration::from_secs(300)),
            Duration::from_millis(250)
        );
    }
}
