//! When a call is tried again: on throttling (429), 5xx and transport errors only, with exponential
//! backoff and jitter. Other 4xx are never retried.

use std::time::Duration;

use backon::ExponentialBuilder;

/// How the client retries failed calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub max_retries: usize,
    /// The first backoff delay; it doubles on each retry (plus jitter).
    pub min_delay: Duration,
    /// No single wait is longer than this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Five retries starting at one second, each wait capped at one minute.
    fn default() -> Self {
        Self {
            max_retries: 5,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    pub(crate) fn backoff(&self) -> ExponentialBuilder {
        ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay.max(self.min_delay))
            .with_factor(2.0)
            .with_max_times(self.max_retries)
            .with_jitter()
    }

    /// The wait before the next attempt: the backoff's, or Amazon's `Retry-After` if longer,
    /// never more than `max_delay`.
    pub(crate) fn delay(&self, backoff: Duration, retry_after: Option<Duration>) -> Duration {
        backoff
            .max(retry_after.unwrap_or_default())
            .min(self.max_delay.max(self.min_delay))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_wins_when_longer_but_stays_capped() {
        let policy = RetryPolicy {
            max_retries: 3,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        };
        let ms = Duration::from_millis;
        assert_eq!(policy.delay(ms(100), None), ms(100));
        assert_eq!(policy.delay(ms(100), Some(ms(1500))), ms(1500));
        assert_eq!(
            policy.delay(ms(100), Some(Duration::from_secs(30))),
            ms(2000)
        );
    }
}
