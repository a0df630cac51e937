//! Settings of the import engine.

use std::time::Duration;

use jiff::SignedDuration;
use sellerlink_store::LeaseOwner;

/// How the engine retries a call that failed in a way that may pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts of one call that fails transiently (5xx, connection, timeout, damaged body) before the run fails.
    pub max_transient_attempts: u32,
    /// The wait after the first transient failure; it doubles after each further one (with up to 50 % jitter).
    pub base_backoff: Duration,
    /// No transient backoff is longer than this.
    pub max_backoff: Duration,
    /// Throttled answers to one call that are waited out before the run fails (Amazon normally lets a call
    /// through after one restore period, so this only stops a run that can never make progress).
    pub max_throttle_waits: u32,
}

impl Default for RetryConfig {
    /// Six attempts from 250 ms (about 8 s in all), 100 throttle waits.
    fn default() -> Self {
        Self {
            max_transient_attempts: 6,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(30),
            max_throttle_waits: 100,
        }
    }
}

impl RetryConfig {
    /// The wait before attempt `failures + 1`, after `failures` transient failures (≥ 1), without jitter.
    pub fn backoff(&self, failures: u32) -> Duration {
        let doubling = 2u32.saturating_pow(failures.saturating_sub(1).min(20));
        self.base_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff)
    }
}

/// Settings of [`crate::Importer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportConfig {
    /// Each import re-reads this much before the stored watermark, so an order Amazon indexed late (or a
    /// watermark written by a clock slightly ahead) is not missed. Default 5 minutes.
    pub overlap: SignedDuration,
    /// How far back the first import of a connection reaches. Default 30 days.
    pub initial_lookback: SignedDuration,
    /// Item listings in flight at once per connection (they dominate the cost of an import). Default 8.
    pub items_concurrency: usize,
    /// How long a run's lease lasts without renewal; a running import renews it every third of this, so another
    /// worker takes over a connection only after a crashed worker's lease expires (at once if the crashed worker
    /// was a process on this host named by [`LeaseOwner::of_this_process`]). Default 5 minutes.
    pub lease_ttl: SignedDuration,
    /// Who holds the leases of this importer, e.g. `worker@node-1`. Keep it stable across restarts of the same
    /// worker, so a restarted worker resumes its own connections at once instead of waiting for its old leases.
    pub owner: LeaseOwner,
    /// Retries of failed calls.
    pub retry: RetryConfig,
}

impl ImportConfig {
    /// The defaults, with leases held by `owner`.
    pub fn new(owner: LeaseOwner) -> Self {
        Self {
            overlap: SignedDuration::from_mins(5),
            initial_lookback: SignedDuration::from_hours(30 * 24),
            items_concurrency: 8,
            lease_ttl: SignedDuration::from_mins(5),
            owner,
            retry: RetryConfig::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let retry = RetryConfig {
            base_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(700),
            ..RetryConfig::default()
        };
        let waits: Vec<u128> = (1..=5).map(|n| retry.backoff(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 700, 700]);
        assert_eq!(retry.backoff(u32::MAX), Duration::from_millis(700));
    }
}
