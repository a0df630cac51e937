//! A seller account's Amazon quota as this process sees it, in a form one process can hand to the next.
//!
//! Amazon keeps one token bucket per (seller, operation or operation group) whoever calls. sellerlink paces its
//! calls with buckets of its own shaped like Amazon's ([`TokenBucket`]), and the process that holds a connection's
//! lease spends that seller's quota. When the lease passes to another process, the state of those buckets goes
//! with it as a [`QuotaSnapshot`] (stored with the lease), so the next holder does not start from full buckets
//! while Amazon's are nearly empty, and keeps a rate Amazon reported rather than falling back to the published one.
//!
//! The snapshot is API-neutral: each bucket is named as its API names it (an MWS quota group, an SP-API operation),
//! with its level at a wall-clock instant of the sellerlink clock (never a monotonic `Instant`, which means nothing
//! in another process), Amazon's burst and restore rate, and whether the rate was learned from Amazon's answers.

use std::time::Duration;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The API whose buckets a [`QuotaSnapshot`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaApi {
    /// MWS: one bucket per quota group (and an hourly one for some Feeds operations).
    Mws,
    /// SP-API: one bucket per operation.
    SpApi,
}

/// One bucket of a seller account as its holder left it.
#[derive(Debug, Clone, PartialEq)]
pub struct BucketLevel {
    /// The bucket's name within its API, e.g. `Orders.ListOrderItems` (MWS) or `getOrder` (SP-API).
    pub bucket: String,
    /// Tokens the holder could still spend at `at`, in the holder's bucket (which keeps one of Amazon's back).
    pub tokens: f64,
    /// When the bucket held `tokens`, read from the sellerlink clock.
    pub at: Timestamp,
    /// Amazon's burst: how many calls its full bucket allows.
    pub burst: u32,
    /// Tokens Amazon restores per second, as Amazon states it (before a sandbox's speed-up).
    pub rate: f64,
    /// Whether `rate` was reported by Amazon for this seller (SP-API's `x-amzn-RateLimit-Limit`) rather than taken
    /// from the published usage plans.
    pub learned: bool,
}

impl BucketLevel {
    /// The tokens this bucket holds at `now`: the stored tokens plus what `per_second` restored since `at`, at
    /// most `capacity`. A clock that reads earlier than `at` (another host's, slightly behind) restores nothing.
    pub fn tokens_at(&self, now: Timestamp, per_second: f64, capacity: u32) -> f64 {
        let elapsed = now.duration_since(self.at).as_secs_f64().max(0.0);
        let restored = if per_second.is_finite() && per_second > 0.0 {
            elapsed * per_second
        } else {
            0.0
        };
        let tokens = if self.tokens.is_finite() {
            self.tokens.max(0.0)
        } else {
            0.0
        };
        (tokens + restored).min(f64::from(capacity))
    }
}

/// The buckets of one seller account through one API, as one process hands them to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct QuotaSnapshot {
    /// The API the buckets belong to.
    pub api: QuotaApi,
    /// The buckets that carry something: not full, or with a rate Amazon reported.
    pub buckets: Vec<BucketLevel>,
}

/// Why a stored snapshot could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuotaSnapshotError {
    /// Not the JSON of a snapshot.
    #[error("quota state: not a readable snapshot ({0}); expected the JSON sellerlink writes")]
    Unreadable(String),
    /// Written by a sellerlink that uses another format.
    #[error("quota state: format version {found} is not known here; expected {expected}")]
    Version {
        /// The version found.
        found: u32,
        /// The version this build writes and reads.
        expected: u32,
    },
}

/// The snapshot format this build writes and reads.
const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct WireSnapshot {
    version: u32,
    api: QuotaApi,
    buckets: Vec<WireBucket>,
}

#[derive(Serialize, Deserialize)]
struct WireBucket {
    bucket: String,
    tokens: f64,
    at_ms: i64,
    burst: u32,
    rate: f64,
    learned: bool,
}

impl QuotaSnapshot {
    /// The snapshot as the small, versioned JSON text the store keeps with a lease.
    pub fn to_json(&self) -> String {
        let wire = WireSnapshot {
            version: VERSION,
            api: self.api,
            buckets: self
                .buckets
                .iter()
                .map(|level| WireBucket {
                    bucket: level.bucket.clone(),
                    tokens: if level.tokens.is_finite() {
                        level.tokens
                    } else {
                        0.0
                    },
                    at_ms: level.at.as_millisecond(),
                    burst: level.burst,
                    rate: if level.rate.is_finite() {
                        level.rate
                    } else {
                        0.0
                    },
                    learned: level.learned,
                })
                .collect(),
        };
        // Plain structs of strings, finite numbers and booleans always serialize.
        serde_json::to_string(&wire).unwrap_or_default()
    }

    /// Reads text written by [`QuotaSnapshot::to_json`].
    pub fn from_json(text: &str) -> Result<Self, QuotaSnapshotError> {
        let version: VersionOnly = serde_json::from_str(text)
            .map_err(|e| QuotaSnapshotError::Unreadable(e.to_string()))?;
        if version.version != VERSION {
            return Err(QuotaSnapshotError::Version {
                found: version.version,
                expected: VERSION,
            });
        }
        let wire: WireSnapshot = serde_json::from_str(text)
            .map_err(|e| QuotaSnapshotError::Unreadable(e.to_string()))?;
        let buckets = wire
            .buckets
            .into_iter()
            .map(|bucket| {
                let at = Timestamp::from_millisecond(bucket.at_ms).map_err(|e| {
                    QuotaSnapshotError::Unreadable(format!("at_ms of {}: {e}", bucket.bucket))
                })?;
                Ok(BucketLevel {
                    bucket: bucket.bucket,
                    tokens: bucket.tokens,
                    at,
                    burst: bucket.burst,
                    rate: bucket.rate,
                    learned: bucket.learned,
                })
            })
            .collect::<Result<_, QuotaSnapshotError>>()?;
        Ok(Self {
            api: wire.api,
            buckets,
        })
    }
}

#[derive(Deserialize)]
struct VersionOnly {
    version: u32,
}

/// A token bucket shaped like Amazon's: `capacity` tokens when full (it starts full), one more every `per_token`.
/// Kept as the instant it is full again (the "theoretical arrival time" of the generic cell rate algorithm), so
/// taking, the wait for the next token and the level at any instant are exact, and a level read in one process
/// can be set in another.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenBucket {
    capacity: u32,
    per_token: i128,
    full_at: i128,
}

impl TokenBucket {
    /// A full bucket of `capacity` (at least one) tokens, one restored every `per_token` (at least a nanosecond).
    pub fn new(capacity: u32, per_token: Duration) -> Self {
        let per_token = i128::try_from(per_token.as_nanos())
            .unwrap_or(i128::MAX)
            .clamp(1, i128::from(u64::MAX));
        Self {
            capacity: capacity.max(1),
            per_token,
            full_at: i128::MIN,
        }
    }

    /// How many tokens the full bucket holds.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// Tokens restored per second.
    pub fn per_second(&self) -> f64 {
        1e9 / self.per_token as f64
    }

    /// How long until a token is there at `now` (zero if one is there now).
    pub fn wait(&self, now: Timestamp) -> Duration {
        let now = now.as_nanosecond();
        let ahead = self.full_at.saturating_sub(now);
        let allowed = i128::from(self.capacity - 1) * self.per_token;
        nanos(ahead.saturating_sub(allowed))
    }

    /// Takes a token at `now` if one is there; otherwise says how long until one is.
    pub fn try_take(&mut self, now: Timestamp) -> Result<(), Duration> {
        let wait = self.wait(now);
        if !wait.is_zero() {
            return Err(wait);
        }
        self.full_at = self.full_at.max(now.as_nanosecond()) + self.per_token;
        Ok(())
    }

    /// The tokens in the bucket at `now`, fractions included.
    pub fn level(&self, now: Timestamp) -> f64 {
        let missing = self.full_at.saturating_sub(now.as_nanosecond()).max(0);
        let capacity = f64::from(self.capacity);
        (capacity - missing as f64 / self.per_token as f64).clamp(0.0, capacity)
    }

    /// Sets the bucket to hold `tokens` (clamped to `0..=capacity`) at `now`.
    pub fn set_level(&mut self, tokens: f64, now: Timestamp) {
        let capacity = f64::from(self.capacity);
        let tokens = if tokens.is_finite() { tokens } else { 0.0 };
        let missing = (capacity - tokens.clamp(0.0, capacity)) * self.per_token as f64;
        // Rounded up: a level read back is never more than was set.
        self.full_at = now.as_nanosecond() + missing.ceil() as i128;
    }

    /// Empties the bucket at `now` (Amazon answered that its own is empty).
    pub fn drain(&mut self, now: Timestamp) {
        self.set_level(0.0, now);
    }

    /// Takes on what `stored` says about the same bucket in another process: at `now` the bucket holds no more
    /// than the stored tokens plus what this bucket's rate restored since, and no more than it holds already.
    pub fn adopt(&mut self, stored: &BucketLevel, now: Timestamp) {
        let handed = stored.tokens_at(now, self.per_second(), self.capacity);
        let level = self.level(now).min(handed);
        self.set_level(level, now);
    }

    /// The bucket at `now` as a [`BucketLevel`] named `bucket`, with Amazon's `burst` and `rate`.
    pub fn snapshot(
        &self,
        bucket: &str,
        now: Timestamp,
        burst: u32,
        rate: f64,
        learned: bool,
    ) -> BucketLevel {
        BucketLevel {
            bucket: bucket.to_owned(),
            tokens: self.level(now),
            at: now,
            burst,
            rate,
            learned,
        }
    }

    /// Whether the bucket is full at `now` (then it tells the next holder nothing).
    pub fn is_full(&self, now: Timestamp) -> bool {
        self.full_at <= now.as_nanosecond()
    }
}

fn nanos(value: i128) -> Duration {
    Duration::from_nanos(u64::try_from(value.max(0)).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use jiff::SignedDuration;

    use super::*;

    fn t0() -> Timestamp {
        "2026-03-01T00:00:00Z".parse().expect("valid")
    }

    fn level(tokens: f64, at: Timestamp) -> BucketLevel {
        BucketLevel {
            bucket: "Orders.ListOrderItems".to_owned(),
            tokens,
            at,
            burst: 30,
            rate: 0.5,
            learned: false,
        }
    }

    #[test]
    fn stored_tokens_gain_what_the_rate_restored_up_to_the_capacity() {
        let stored = level(2.0, t0());
        assert_eq!(stored.tokens_at(t0(), 0.5, 29), 2.0);
        let later = t0() + SignedDuration::from_secs(10);
        assert_eq!(stored.tokens_at(later, 0.5, 29), 7.0);
        let much_later = t0() + SignedDuration::from_mins(10);
        assert_eq!(stored.tokens_at(much_later, 0.5, 29), 29.0, "capped");
        let earlier = t0() - SignedDuration::from_secs(5);
        assert_eq!(
            stored.tokens_at(earlier, 0.5, 29),
            2.0,
            "a clock behind restores nothing"
        );
        assert_eq!(level(f64::NAN, t0()).tokens_at(later, 0.5, 29), 5.0);
        assert_eq!(level(-3.0, t0()).tokens_at(t0(), 0.5, 29), 0.0);
    }

    #[test]
    fn a_bucket_starts_full_and_restores_one_token_per_period() {
        let mut bucket = TokenBucket::new(5, Duration::from_secs(60));
        assert!(bucket.is_full(t0()));
        for call in 0..5 {
            assert!(bucket.try_take(t0()).is_ok(), "call {call}");
        }
        assert_eq!(bucket.try_take(t0()), Err(Duration::from_secs(60)));
        assert_eq!(bucket.level(t0()), 0.0);
        let half = t0() + SignedDuration::from_secs(30);
        assert_eq!(bucket.level(half), 0.5);
        assert_eq!(bucket.wait(half), Duration::from_secs(30));
        let later = t0() + SignedDuration::from_secs(60);
        assert!(bucket.try_take(later).is_ok());
        assert!(bucket.try_take(later).is_err());
        assert_eq!(bucket.per_second(), 1.0 / 60.0);
    }

    #[test]
    fn a_level_set_reads_back_and_a_drained_bucket_waits_a_full_period() {
        let mut bucket = TokenBucket::new(29, Duration::from_secs(2));
        bucket.set_level(3.5, t0());
        assert_eq!(bucket.level(t0()), 3.5);
        for _ in 0..3 {
            bucket.try_take(t0()).expect("three whole tokens");
        }
        assert_eq!(bucket.try_take(t0()), Err(Duration::from_secs(1)));
        bucket.drain(t0());
        assert_eq!(bucket.try_take(t0()), Err(Duration::from_secs(2)));
        bucket.set_level(100.0, t0());
        assert!(bucket.is_full(t0()));
    }

    #[test]
    fn adopting_a_stored_level_restores_at_this_buckets_rate_and_never_adds_tokens() {
        // Stored 10 s ago with 1 token; this bucket restores one token every 2 s (0.5 per second).
        let now = t0() + SignedDuration::from_secs(10);
        let mut fresh = TokenBucket::new(29, Duration::from_secs(2));
        fresh.adopt(&level(1.0, t0()), now);
        assert_eq!(fresh.level(now), 6.0);
        // A bucket that holds fewer than the stored level gives it keeps its own.
        let mut emptier = TokenBucket::new(29, Duration::from_secs(2));
        emptier.set_level(2.0, now);
        emptier.adopt(&level(1.0, t0()), now);
        assert_eq!(emptier.level(now), 2.0);
    }

    #[test]
    fn snapshots_round_trip_through_their_json() {
        let snapshot = QuotaSnapshot {
            api: QuotaApi::SpApi,
            buckets: vec![BucketLevel {
                bucket: "getOrder".to_owned(),
                tokens: 4.25,
                at: t0(),
                burst: 30,
                rate: 10.0,
                learned: true,
            }],
        };
        let text = snapshot.to_json();
        assert!(text.starts_with(r#"{"version":1,"api":"sp_api""#), "{text}");
        assert_eq!(QuotaSnapshot::from_json(&text), Ok(snapshot));
        assert_eq!(
            QuotaSnapshot::from_json(r#"{"version":2,"api":"mws","buckets":[]}"#),
            Err(QuotaSnapshotError::Version {
                found: 2,
                expected: 1
            })
        );
        let error = QuotaSnapshot::from_json("{}").unwrap_err().to_string();
        assert!(
            error.starts_with("quota state: not a readable snapshot"),
            "{error}"
        );
    }
}
