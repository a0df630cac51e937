//! How often and how patiently a delivery is retried: exponential backoff with jitter.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

/// Retry settings shared by the e-mail and webhook senders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first included; at least 1.
    pub attempts: u32,
    /// The wait before the second attempt; each later wait doubles.
    pub min_delay: Duration,
    /// The longest wait between two attempts (also caps a server's `Retry-After`).
    pub max_delay: Duration,
    /// Whether to add random jitter to each wait, so many senders do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    /// 5 attempts, waiting about 1 s, 2 s, 4 s and 8 s (plus jitter) in between.
    fn default() -> Self {
        Self {
            attempts: 5,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// `attempts` attempts (at least 1) with the default delays.
    pub fn attempts(attempts: u32) -> Self {
        Self {
            attempts: attempts.max(1),
            ..Self::default()
        }
    }

    /// The same policy with other delays.
    pub fn with_delays(self, min_delay: Duration, max_delay: Duration) -> Self {
        Self {
            min_delay,
            max_delay: max_delay.max(min_delay),
            ..self
        }
    }

    /// The same policy without jitter (exact, predictable waits).
    pub fn without_jitter(self) -> Self {
        Self {
            jitter: false,
            ..self
        }
    }

    /// The waits between attempts: `attempts - 1` of them.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        let retries = usize::try_from(self.attempts.max(1) - 1).unwrap_or(usize::MAX);
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(retries);
        let builder = if self.jitter {
            builder.with_jitter()
        } else {
            builder
        };
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_and_stop_after_the_last_attempt() {
        let policy = RetryPolicy::attempts(6)
            .with_delays(Duration::from_millis(100), Duration::from_millis(500))
            .without_jitter();
        // backon multiplies in f32, so compare whole milliseconds.
        let waits: Vec<u128> = policy.delays().map(|d| d.as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
    }

    #[test]
    fn one_attempt_means_no_retry() {
        assert_eq!(RetryPolicy::attempts(0).delays().count(), 0);
        assert_eq!(RetryPolicy::attempts(1).delays().count(), 0);
    }

    #[test]
    fn jitter_only_adds_to_the_wait() {
        let policy =
            RetryPolicy::attempts(4).with_delays(Duration::from_millis(50), Duration::from_secs(1));
        for (wait, floor) in policy.delays().zip([50, 100, 200]) {
            assert!(
                wait >= Duration::from_millis(floor),
                "{wait:?} < {floor} ms"
            );
            assert!(
                wait < Duration::from_millis(floor * 2),
                "{wait:?} ≥ {} ms",
                floor * 2
            );
        }
    }
}
