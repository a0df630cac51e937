//! What SP-API adds to the shared [`RetryPolicy`]: a throttled answer's `Retry-After` is honoured
//! when longer than the backoff (`docs/amazon/SP-API.md#error-classification`). Only throttling (429), 5xx
//! and transport errors are retried ([`SpApiError::is_retryable`](crate::SpApiError::is_retryable)).

use std::time::Duration;

use sellerlink_http::RetryPolicy;

/// The wait before the next attempt: the backoff's, or Amazon's `Retry-After` if longer, never
/// more than the policy's `max_delay`.
pub(crate) fn delay(
    policy: &RetryPolicy,
    backoff: Duration,
    retry_after: Option<Duration>,
) -> Duration {
    backoff
        .max(retry_after.unwrap_or_default())
        .min(policy.max_delay.max(policy.min_delay))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_wins_when_longer_but_stays_capped() {
        let policy = RetryPolicy::sp_api()
            .with_max_retries(3)
            .with_delays(Duration::from_millis(100), Duration::from_secs(2));
        let ms = Duration::from_millis;
        assert_eq!(delay(&policy, ms(100), None), ms(100));
        assert_eq!(delay(&policy, ms(100), Some(ms(1500))), ms(1500));
        assert_eq!(
            delay(&policy, ms(100), Some(Duration::from_secs(30))),
            ms(2000)
        );
    }
}
