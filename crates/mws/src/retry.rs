//! When to try a call again: throttling, 5xx and transport errors only, with exponential
//! backoff and jitter, capped; throttling waits the operation's restore period.

use std::time::Duration;

use backon::ExponentialBuilder;

/// How the client retries failed calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub max_retries: usize,
    /// The first backoff delay for 5xx and transport errors; doubles on each retry.
    pub base_delay: Duration,
    /// No wait is longer than this, throttling included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Four retries (Amazon suggests at most four), starting at one second, capped at two
    /// minutes so a throttled `SubmitFeed` (restore period 120 s) can wait its full period.
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The backoff for 5xx and transport errors.
    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay.max(self.base_delay))
            .with_max_times(self.max_retries)
            .with_factor(2.0)
            .with_jitter()
    }

    /// The wait after a throttle: the restore period plus up to a fifth more of random
    /// jitter (so parallel callers do not return together), capped at `max_delay`.
    pub(crate) fn throttle_delay(&self, restore_period: Duration) -> Duration {
        let jitter_span = restore_period / 5;
        let jitter = if jitter_span.is_zero() {
            Duration::ZERO
        } else {
            jitter_span.mul_f64(rand::random::<f64>())
        };
        (restore_period + jitter).min(self.max_delay)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_delay_is_the_restore_period_with_bounded_jitter() {
        let policy = RetryPolicy::default();
        for _ in 0..200 {
            let delay = policy.throttle_delay(Duration::from_secs(60));
            assert!(delay >= Duration::from_secs(60), "{delay:?}");
            assert!(delay <= Duration::from_secs(72), "{delay:?}");
        }
    }

    #[test]
    fn throttle_delay_is_capped() {
        let policy = RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(250),
        };
        assert_eq!(
            policy.throttle_delay(Duration::from_secs(300)),
            Duration::from_millis(250)
        );
    }
}
