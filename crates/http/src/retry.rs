//! [`RetryPolicy`]: how often and how patiently an outbound call is tried again — exponential
//! backoff that doubles from a first delay up to a cap, with optional jitter. What counts as worth
//! retrying, and waits an API asks for (throttling, `Retry-After`), stay with each client.

use std::time::Duration;

use backon::{BackoffBuilder as _, ExponentialBuilder};

/// How a client retries failed calls. Start from the named policy of the client
/// ([`mws`](Self::mws), [`sp_api`](Self::sp_api), [`delivery`](Self::delivery)) or
/// [`none`](Self::none), and adjust with the `with_…` methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub max_retries: u32,
    /// The wait before the first retry; it doubles on each later one.
    pub min_delay: Duration,
    /// No backoff wait is longer than this (jitter aside); a `max_delay` below `min_delay`
    /// counts as `min_delay`. Clients also cap the waits an API asks for with it.
    pub max_delay: Duration,
    /// Whether each wait gets up to as much again of random jitter, so many callers do not
    /// retry in step.
    pub jitter: bool,
}

impl RetryPolicy {
    /// The MWS client's: four retries (Amazon suggests at most four) from one second with
    /// jitter, capped at two minutes so a throttled `SubmitFeed` (restore period 120 s) can wait
    /// its full period.
    pub const fn mws() -> Self {
        Self {
            max_retries: 4,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(120),
            jitter: true,
        }
    }

    /// The SP-API client's: five retries from one second with jitter, each wait capped at one
    /// minute.
    pub const fn sp_api() -> Self {
        Self {
            max_retries: 5,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            jitter: true,
        }
    }

    /// E-mail and webhook deliveries': five attempts, waiting about 1 s, 2 s, 4 s and 8 s (plus
    /// jitter) in between, no wait (nor a receiver's `Retry-After`) longer than one minute.
    pub const fn delivery() -> Self {
        Self {
            max_retries: 4,
            min_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            jitter: true,
        }
    }

    /// Never retry (the caller retries on its own, or the first answer is final).
    pub const fn none() -> Self {
        Self {
            max_retries: 0,
            min_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            jitter: false,
        }
    }

    /// The same policy with `max_retries` retries.
    pub fn with_max_retries(self, max_retries: u32) -> Self {
        Self {
            max_retries,
            ..self
        }
    }

    /// The same policy with `attempts` attempts in all, the first included (at least 1).
    pub fn with_attempts(self, attempts: u32) -> Self {
        self.with_max_retries(attempts.max(1) - 1)
    }

    /// The same policy with other delays (a `max_delay` below `min_delay` becomes `min_delay`).
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

    /// Attempts in all, the first included.
    pub fn attempts(&self) -> u32 {
        self.max_retries.saturating_add(1)
    }

    /// The backoff, for `backon`'s `Retryable::retry`.
    pub fn backoff(&self) -> ExponentialBuilder {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay.max(self.min_delay))
            .with_factor(2.0)
            .with_max_times(usize::try_from(self.max_retries).unwrap_or(usize::MAX));
        if self.jitter {
            builder.with_jitter()
        } else {
            builder
        }
    }

    /// The waits between attempts: `max_retries` of them, for a caller that loops on its own.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        self.backoff().build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The waits in whole milliseconds (backon multiplies in `f32`).
    fn millis(policy: RetryPolicy) -> Vec<u128> {
        policy.delays().map(|wait| wait.as_millis()).collect()
    }

    #[test]
    fn each_clients_named_policy() {
        let secs = Duration::from_secs;
        let cases = [
            (
                "mws",
                RetryPolicy::mws(),
                secs(120),
                &[1_000, 2_000, 4_000, 8_000][..],
            ),
            (
                "sp_api",
                RetryPolicy::sp_api(),
                secs(60),
                &[1_000, 2_000, 4_000, 8_000, 16_000][..],
            ),
            (
                "delivery",
                RetryPolicy::delivery(),
                secs(60),
                &[1_000, 2_000, 4_000, 8_000][..],
            ),
        ];
        for (name, policy, max_delay, waits) in cases {
            assert!(policy.jitter, "{name}");
            assert_eq!(policy.max_delay, max_delay, "{name}");
            assert_eq!(policy.attempts(), policy.max_retries + 1, "{name}");
            assert_eq!(millis(policy.without_jitter()), waits, "{name}");
        }
    }

    #[test]
    fn sp_api_waits_are_capped_at_a_minute() {
        let longer = RetryPolicy::sp_api().with_max_retries(8).without_jitter();
        assert_eq!(millis(longer)[5..], [32_000, 60_000, 60_000]);
    }

    #[test]
    fn none_never_waits() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::none().delays().count(), 0);
    }

    #[test]
    fn waits_double_up_to_the_cap_and_stop_after_the_last_attempt() {
        let policy = RetryPolicy::delivery()
            .with_attempts(6)
            .with_delays(Duration::from_millis(100), Duration::from_millis(500))
            .without_jitter();
        assert_eq!(millis(policy), [100, 200, 400, 500, 500]);
    }

    #[test]
    fn one_attempt_means_no_retry() {
        for attempts in [0, 1] {
            let policy = RetryPolicy::delivery().with_attempts(attempts);
            assert_eq!(policy.max_retries, 0);
            assert_eq!(policy.delays().count(), 0);
        }
    }

    #[test]
    fn a_cap_below_the_first_delay_is_the_first_delay() {
        let policy = RetryPolicy::mws()
            .with_max_retries(3)
            .with_delays(Duration::from_millis(300), Duration::from_millis(100))
            .without_jitter();
        assert_eq!(policy.max_delay, Duration::from_millis(300));
        assert_eq!(millis(policy), [300, 300, 300]);
    }

    #[test]
    fn jitter_only_adds_to_the_wait() {
        let policy = RetryPolicy::sp_api()
            .with_attempts(4)
            .with_delays(Duration::from_millis(50), Duration::from_secs(1));
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
