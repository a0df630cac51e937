//! Proactive rate limiting: one token bucket per (seller, quota group), shaped like Amazon's
//! (one token back per restore period, full at the start), so that a normal run is never
//! throttled. Built on governor's GCRA, which is the same bucket.
//!
//! Our bucket holds one token less than Amazon's ([`reserve_one`]). Amazon counts a request when
//! it arrives, we count it when we release it; between the two lie connection set-up, TLS and a
//! busy scheduler, and that delay varies from call to call. A call released a full restore period
//! after the one before can therefore arrive a little sooner than that after it, and with an
//! exactly-shaped bucket it would find Amazon's bucket empty. With one token kept back, Amazon's
//! bucket never drops below one while we pace, so a call may arrive up to one restore period
//! early and still be served. It costs one call of the first burst.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::Clock as GovernorClock;
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota as GovernorQuota, RateLimiter};
use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_domain::ids::SellerId;

use crate::quota::{Operation, QUOTA_TABLE, Quota, QuotaGroup};

/// A `restore_rate_scale` that is not a positive finite number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "restore_rate_scale must be a positive finite number (1.0 = Amazon's published rates), got {0}"
)]
pub struct InvalidRestoreRateScale(pub f64);

/// Adapts the domain clock to governor: nanoseconds since the Unix epoch.
#[derive(Clone)]
struct PacingClock(Arc<dyn Clock>);

impl GovernorClock for PacingClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let nanos = self.0.now().as_nanosecond().clamp(0, i128::from(u64::MAX));
        Nanos::new(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

type Limiter =
    RateLimiter<SellerId, DefaultKeyedStateStore<SellerId>, PacingClock, NoOpMiddleware<Nanos>>;

struct GroupLimiters {
    burst: Limiter,
    burst_size: u32,
    hourly: Option<(Limiter, u32)>,
}

struct Inner {
    scale: f64,
    clock: PacingClock,
    groups: HashMap<QuotaGroup, GroupLimiters>,
}

/// Paces calls per (seller, quota group) with Amazon's quotas. Cheap to clone; clones share
/// the buckets, so one `Pacing` can serve several clients of the same process.
///
/// The buckets live in this process only: Amazon's real bucket is shared by every process
/// using the same developer and seller, so run each seller's calls on one node.
#[derive(Clone)]
pub struct Pacing {
    inner: Arc<Inner>,
    safety_margin: Duration,
}

/// The default extra wait after the bucket was empty; see [`Pacing::with_safety_margin`].
pub const DEFAULT_SAFETY_MARGIN: Duration = Duration::from_millis(500);

impl fmt::Debug for Pacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pacing")
            .field("restore_rate_scale", &self.inner.scale)
            .field("safety_margin", &self.safety_margin)
            .field("groups", &self.inner.groups.len())
            .finish()
    }
}

impl Pacing {
    /// Paces with Amazon's quotas on the system clock. `restore_rate_scale` speeds up every
    /// restore rate (and hourly cap) by that factor, for a sandbox running faster than Amazon;
    /// use `1.0` against Amazon.
    pub fn new(restore_rate_scale: f64) -> Result<Self, InvalidRestoreRateScale> {
        Self::with_clock(restore_rate_scale, Arc::new(SystemClock))
    }

    /// Like [`Pacing::new`] with an explicit clock.
    pub fn with_clock(
        restore_rate_scale: f64,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, InvalidRestoreRateScale> {
        if !(restore_rate_scale.is_finite() && restore_rate_scale > 0.0) {
            return Err(InvalidRestoreRateScale(restore_rate_scale));
        }
        let clock = PacingClock(clock);
        let mut groups = HashMap::new();
        for row in QUOTA_TABLE {
            let quota = row.quota;
            if groups.contains_key(&quota.group) {
                continue;
            }
            let burst_period = scaled(quota.restore_period, restore_rate_scale);
            let burst_size = reserve_one(quota.max_request_quota);
            let burst = limiter(burst_period, burst_size, &clock);
            let hourly = quota.hourly_quota.map(|per_hour| {
                let period = scaled(
                    Duration::from_secs(3600) / per_hour.max(1),
                    restore_rate_scale,
                );
                (limiter(period, per_hour, &clock), per_hour)
            });
            groups.insert(
                quota.group,
                GroupLimiters {
                    burst,
                    burst_size,
                    hourly,
                },
            );
        }
        Ok(Self {
            inner: Arc::new(Inner {
                scale: restore_rate_scale,
                clock,
                groups,
            }),
            safety_margin: DEFAULT_SAFETY_MARGIN,
        })
    }

    /// Sets how much longer than strictly needed [`Pacing::acquire`] waits when a bucket is
    /// empty (default [`DEFAULT_SAFETY_MARGIN`]). Amazon counts requests when they arrive, and
    /// the first request of a run arrives late (it opens the connection), so Amazon's bucket
    /// refills from a later start than ours. Waiting this margin on top covers that difference;
    /// it delays only calls that had to wait, by a constant amount that does not add up.
    pub fn with_safety_margin(mut self, margin: Duration) -> Self {
        self.safety_margin = margin;
        self
    }

    /// The factor restore rates are sped up by.
    pub fn restore_rate_scale(&self) -> f64 {
        self.inner.scale
    }

    /// The operation's restore period after scaling.
    pub fn restore_period(&self, operation: Operation) -> Duration {
        scaled(operation.quota().restore_period, self.inner.scale)
    }

    /// Takes a token for `seller` and `operation` if one is available now; otherwise returns
    /// how long to wait before asking again.
    pub fn try_acquire(&self, seller: &SellerId, operation: Operation) -> Result<(), Duration> {
        let Some(group) = self.group(operation.quota()) else {
            return Ok(());
        };
        let now = || self.inner.clock.now();
        // The burst bucket is checked first: it refuses far more often, and a refusal there
        // then costs no hourly token. (An hourly refusal costs one burst token; GCRA cannot
        // give a token back.)
        group
            .burst
            .check_key(seller)
            .map_err(|not_until| not_until.wait_time_from(now()))?;
        if let Some((hourly, _)) = &group.hourly {
            hourly
                .check_key(seller)
                .map_err(|not_until| not_until.wait_time_from(now()))?;
        }
        Ok(())
    }

    /// Waits until a token is available for `seller` and `operation`, then takes it.
    pub async fn acquire(&self, seller: &SellerId, operation: Operation) {
        while let Err(wait) = self.try_acquire(seller, operation) {
            tracing::debug!(
                amazon.op = operation.action(),
                seller.id = %seller,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "pacing MWS call to stay within Amazon's quota"
            );
            tokio::time::sleep(wait + self.safety_margin.max(Duration::from_millis(1))).await;
        }
    }

    /// Records that Amazon throttled `operation` for `seller` anyway: empties that bucket so
    /// the next call waits a full restore period. `hourly` also empties the hourly bucket
    /// (for `QuotaExceeded`).
    pub fn throttled(&self, seller: &SellerId, operation: Operation, hourly: bool) {
        let Some(group) = self.group(operation.quota()) else {
            return;
        };
        drain(&group.burst, group.burst_size, seller);
        if hourly && let Some((limiter, size)) = &group.hourly {
            drain(limiter, *size, seller);
        }
    }

    fn group(&self, quota: Quota) -> Option<&GroupLimiters> {
        self.inner.groups.get(&quota.group)
    }
}

fn scaled(period: Duration, scale: f64) -> Duration {
    let scaled = period.as_secs_f64() / scale;
    Duration::try_from_secs_f64(scaled)
        .unwrap_or(Duration::MAX)
        .max(Duration::from_nanos(1))
}

/// The burst our bucket allows for Amazon's `max_request_quota`: one less, so that one token stays in
/// Amazon's bucket as a cushion for calls that arrive sooner after each other than we released them
/// (see the module's documentation). A bucket of one keeps its one token.
pub fn reserve_one(max_request_quota: u32) -> u32 {
    max_request_quota.saturating_sub(1).max(1)
}

fn limiter(period: Duration, burst: u32, clock: &PacingClock) -> Limiter {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    let quota = GovernorQuota::with_period(period)
        .unwrap_or_else(|| GovernorQuota::per_second(NonZeroU32::MAX))
        .allow_burst(burst);
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone())
}

/// Takes every remaining token (at most `size`, the bucket's capacity).
fn drain(limiter: &Limiter, size: u32, seller: &SellerId) {
    for _ in 0..=size {
        if limiter.check_key(seller).is_err() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::{SignedDuration, Timestamp};
    use sellerlink_domain::clock::ManualClock;

    fn setup(scale: f64) -> (Arc<ManualClock>, Pacing) {
        let clock = Arc::new(ManualClock::new(
            "2024-03-01T00:00:00Z".parse::<Timestamp>().expect("valid"),
        ));
        let pacing = Pacing::with_clock(scale, clock.clone()).expect("valid scale");
        (clock, pacing)
    }

    fn seller(text: &str) -> SellerId {
        SellerId::parse(text).expect("valid seller")
    }

    #[test]
    fn the_bucket_starts_full_and_refills_one_per_restore_period() {
        let (clock, pacing) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        for call in 0..5 {
            assert!(
                pacing.try_acquire(&a, Operation::ListOrders).is_ok(),
                "call {call}"
            );
        }
        let wait = pacing
            .try_acquire(&a, Operation::ListOrdersByNextToken)
            .expect_err("the shared bucket is empty but for Amazon's reserve token");
        assert_eq!(wait, Duration::from_secs(60));
        clock.advance(SignedDuration::from_secs(59));
        assert!(pacing.try_acquire(&a, Operation::ListOrders).is_err());
        clock.advance(SignedDuration::from_secs(1));
        assert!(pacing.try_acquire(&a, Operation::ListOrders).is_ok());
        assert!(pacing.try_acquire(&a, Operation::ListOrders).is_err());
    }

    #[test]
    fn sellers_and_groups_have_separate_buckets() {
        let (_clock, pacing) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        let b = seller("A3OTHERSELLER9");
        for _ in 0..5 {
            pacing.try_acquire(&a, Operation::GetOrder).expect("burst");
        }
        assert!(pacing.try_acquire(&a, Operation::GetOrder).is_err());
        assert!(pacing.try_acquire(&b, Operation::GetOrder).is_ok());
        assert!(pacing.try_acquire(&a, Operation::ListOrders).is_ok());
        for _ in 0..29 {
            pacing
                .try_acquire(&a, Operation::ListOrderItems)
                .expect("items burst");
        }
        assert_eq!(
            pacing.try_acquire(&a, Operation::ListOrderItemsByNextToken),
            Err(Duration::from_secs(2))
        );
    }

    #[test]
    fn a_throttle_drains_the_bucket_for_a_full_restore_period() {
        let (clock, pacing) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        pacing
            .try_acquire(&a, Operation::ListMarketplaceParticipations)
            .expect("first");
        pacing.throttled(&a, Operation::ListMarketplaceParticipations, false);
        assert_eq!(
            pacing.try_acquire(&a, Operation::ListMarketplaceParticipations),
            Err(Duration::from_secs(60))
        );
        clock.advance(SignedDuration::from_secs(60));
        assert!(
            pacing
                .try_acquire(&a, Operation::ListMarketplaceParticipations)
                .is_ok()
        );
    }

    #[test]
    fn the_scale_speeds_up_restore_rates() {
        let (clock, pacing) = setup(60.0);
        assert_eq!(
            pacing.restore_period(Operation::ListOrders),
            Duration::from_secs(1)
        );
        let a = seller("A2SLNK0EXAMPL3");
        for _ in 0..5 {
            pacing
                .try_acquire(&a, Operation::ListOrders)
                .expect("burst");
        }
        assert_eq!(
            pacing.try_acquire(&a, Operation::ListOrders),
            Err(Duration::from_secs(1))
        );
        clock.advance(SignedDuration::from_secs(1));
        assert!(pacing.try_acquire(&a, Operation::ListOrders).is_ok());
    }

    #[test]
    fn the_hourly_cap_applies_to_feeds() {
        let (clock, pacing) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        // SubmitFeed: burst 15 (14 for us) every 2 minutes, but at most 30 an hour.
        let mut accepted = 0;
        for _ in 0..60 {
            if pacing.try_acquire(&a, Operation::SubmitFeed).is_ok() {
                accepted += 1;
            }
            clock.advance(SignedDuration::from_secs(1));
        }
        assert_eq!(accepted, 14);
        pacing.throttled(&a, Operation::SubmitFeed, true);
        let wait = pacing
            .try_acquire(&a, Operation::SubmitFeed)
            .expect_err("hourly bucket drained");
        assert!(wait >= Duration::from_secs(60), "{wait:?}");
    }

    #[test]
    fn one_token_of_amazons_burst_is_kept_back() {
        assert_eq!(reserve_one(30), 29);
        assert_eq!(reserve_one(6), 5);
        assert_eq!(reserve_one(2), 1);
        assert_eq!(reserve_one(1), 1);
        assert_eq!(reserve_one(0), 1);
    }

    #[test]
    fn bad_scales_are_refused() {
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(Pacing::new(scale).is_err(), "{scale} accepted");
        }
        assert_eq!(Pacing::new(2.5).expect("valid").restore_rate_scale(), 2.5);
    }
}
