//! Client-side token buckets per (seller, operation), shaped like Amazon's: seeded from the
//! documented usage plans, full at the start, and replaced when `x-amzn-RateLimit-Limit` reports a
//! different rate for that seller. Built on governor's GCRA, which is the same bucket.
//!
//! Each bucket holds one token less than Amazon's burst ([`capacity`]): Amazon counts a call when
//! it arrives and we count it when we send it, and the time in between varies, so calls sent one
//! token period apart may arrive closer together. The token kept back in Amazon's bucket absorbs
//! that (up to one period early), at the cost of one call of the first burst.
//!
//! The buckets read the client's clock. With a [`ManualClock`](sellerlink_domain::clock::ManualClock)
//! an empty bucket only refills when the clock is advanced.

use std::collections::HashMap;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::clock::Clock as GovernorClock;
use governor::middleware::StateInformationMiddleware;
use governor::nanos::Nanos;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::SellingPartnerId;

use crate::operation::{Operation, UsagePlan};

/// The domain clock as governor sees it: nanoseconds since the Unix epoch.
#[derive(Clone)]
struct BucketClock(Arc<dyn Clock>);

impl GovernorClock for BucketClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let nanos = self.0.now().as_nanosecond().clamp(0, i128::from(u64::MAX));
        Nanos::new(u64::try_from(nanos).unwrap_or(u64::MAX))
    }
}

/// The longest single sleep while waiting for a token.
const RECHECK_INTERVAL: Duration = Duration::from_millis(250);

type Limiter = RateLimiter<NotKeyed, InMemoryState, BucketClock, StateInformationMiddleware>;

struct Bucket {
    /// The plan as Amazon states it (before `rate_scale`).
    plan: UsagePlan,
    limiter: Limiter,
    /// Tokens left after the last successful take (a lower bound of what is left now).
    remaining: AtomicU32,
}

impl Bucket {
    fn new(plan: UsagePlan, scale: f64, clock: &BucketClock) -> Self {
        let burst = NonZeroU32::new(capacity(plan.burst)).unwrap_or(NonZeroU32::MIN);
        let per_token = Duration::try_from_secs_f64(1.0 / (plan.rate * scale))
            .unwrap_or(Duration::MAX)
            .max(Duration::from_nanos(1));
        let quota = Quota::with_period(per_token)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(burst);
        Self {
            plan,
            limiter: RateLimiter::direct_with_clock(quota, clock.clone())
                .with_middleware::<StateInformationMiddleware>(),
            remaining: AtomicU32::new(burst.get()),
        }
    }
}

/// How many tokens our bucket holds for Amazon's `burst`: one less, kept back as a cushion for calls
/// that arrive closer together than they were sent (a burst of one keeps its token).
fn capacity(burst: u32) -> u32 {
    burst.saturating_sub(1).max(1)
}

/// Buckets per (seller, operation).
pub(crate) struct RateLimits {
    scale: f64,
    clock: BucketClock,
    buckets: Mutex<HashMap<(SellingPartnerId, Operation), Arc<Bucket>>>,
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimits")
            .field("rate_scale", &self.scale)
            .field("buckets", &self.lock().len())
            .finish()
    }
}

impl RateLimits {
    /// `scale` multiplies every rate (a sandbox may run faster than Amazon); it must be positive.
    pub(crate) fn new(scale: f64, clock: Arc<dyn Clock>) -> Self {
        Self {
            scale,
            clock: BucketClock(clock),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(SellingPartnerId, Operation), Arc<Bucket>>> {
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bucket(&self, seller: &SellingPartnerId, operation: Operation) -> Arc<Bucket> {
        let mut buckets = self.lock();
        let bucket = buckets
            .entry((seller.clone(), operation))
            .or_insert_with(|| {
                Arc::new(Bucket::new(
                    operation.documented_plan(),
                    self.scale,
                    &self.clock,
                ))
            });
        Arc::clone(bucket)
    }

    /// The plan in force for `seller` and `operation` (as Amazon states it, before scaling).
    pub(crate) fn plan(&self, seller: &SellingPartnerId, operation: Operation) -> UsagePlan {
        self.bucket(seller, operation).plan
    }

    /// Takes a token now, or says how long to wait for one.
    pub(crate) fn try_acquire(
        &self,
        seller: &SellingPartnerId,
        operation: Operation,
    ) -> Result<(), Duration> {
        let bucket = self.bucket(seller, operation);
        match bucket.limiter.check() {
            Ok(snapshot) => {
                bucket
                    .remaining
                    .store(snapshot.remaining_burst_capacity(), Ordering::SeqCst);
                Ok(())
            }
            Err(not_until) => Err(not_until.wait_time_from(self.clock.now())),
        }
    }

    /// Waits until a token is available, then takes it. Long waits are slept in slices of at
    /// most [`RECHECK_INTERVAL`], so a clock that jumps (or a manual clock that is advanced) is
    /// noticed promptly.
    pub(crate) async fn acquire(&self, seller: &SellingPartnerId, operation: Operation) {
        while let Err(wait) = self.try_acquire(seller, operation) {
            tracing::debug!(
                amazon.op = operation.name(),
                seller.id = %seller,
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "waiting for the SP-API rate limit"
            );
            tokio::time::sleep(wait.clamp(Duration::from_millis(1), RECHECK_INTERVAL)).await;
        }
    }

    /// Applies `x-amzn-RateLimit-Limit`: when `rate` differs from the bucket's, the bucket is
    /// replaced by one at the new rate (same burst) holding no more tokens than the old one had.
    pub(crate) fn observe_rate(&self, seller: &SellingPartnerId, operation: Operation, rate: f64) {
        if !(rate.is_finite() && rate > 0.0) {
            return;
        }
        let key = (seller.clone(), operation);
        let mut buckets = self.lock();
        let old = buckets
            .entry(key.clone())
            .or_insert_with(|| {
                Arc::new(Bucket::new(
                    operation.documented_plan(),
                    self.scale,
                    &self.clock,
                ))
            })
            .clone();
        if (old.plan.rate - rate).abs() <= old.plan.rate.abs() * 1e-6 {
            return;
        }
        let plan = UsagePlan {
            rate,
            burst: old.plan.burst,
        };
        let new = Bucket::new(plan, self.scale, &self.clock);
        let size = capacity(plan.burst);
        let left = old.remaining.load(Ordering::SeqCst).min(size);
        if let Some(used) = NonZeroU32::new(size - left) {
            let _ = new.limiter.check_n(used);
        }
        new.remaining.store(left, Ordering::SeqCst);
        tracing::debug!(
            amazon.op = operation.name(),
            seller.id = %seller,
            old_rate = old.plan.rate,
            new_rate = rate,
            "Amazon reported a different rate limit; bucket replaced"
        );
        buckets.insert(key, Arc::new(new));
    }

    /// After a 429: Amazon's bucket is empty, so empty ours too; the next call waits for a refill.
    pub(crate) fn drain(&self, seller: &SellingPartnerId, operation: Operation) {
        let bucket = self.bucket(seller, operation);
        for _ in 0..bucket.plan.burst.max(1) {
            if bucket.limiter.check().is_err() {
                break;
            }
        }
        bucket.remaining.store(0, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use jiff::{SignedDuration, Timestamp};
    use sellerlink_domain::clock::ManualClock;

    use super::*;

    fn setup(scale: f64) -> (Arc<ManualClock>, RateLimits, SellingPartnerId) {
        let clock = Arc::new(ManualClock::new(
            Timestamp::from_second(1_767_225_600).unwrap(),
        ));
        let limits = RateLimits::new(scale, clock.clone());
        (
            clock,
            limits,
            SellingPartnerId::parse("A2SLNK0EXAMPL3").unwrap(),
        )
    }

    fn takes(limits: &RateLimits, seller: &SellingPartnerId, op: Operation) -> usize {
        (0..1000)
            .take_while(|_| limits.try_acquire(seller, op).is_ok())
            .count()
    }

    #[test]
    fn buckets_start_full_at_the_documented_burst_less_one() {
        let (_, limits, seller) = setup(1.0);
        // One token of Amazon's burst (10 and 20) is kept back.
        assert_eq!(takes(&limits, &seller, Operation::ConfirmShipment), 9);
        assert_eq!(takes(&limits, &seller, Operation::SearchOrders), 19);
        let other = SellingPartnerId::parse("A1OTHERSELLER9").unwrap();
        assert_eq!(
            takes(&limits, &other, Operation::ConfirmShipment),
            9,
            "sellers do not share"
        );
    }

    #[test]
    fn tokens_come_back_at_the_rate() {
        let (clock, limits, seller) = setup(1.0);
        takes(&limits, &seller, Operation::ConfirmShipment);
        let wait = limits
            .try_acquire(&seller, Operation::ConfirmShipment)
            .unwrap_err();
        assert!(
            wait <= Duration::from_millis(500) && wait > Duration::ZERO,
            "{wait:?}"
        );
        clock.advance(SignedDuration::from_millis(500));
        assert_eq!(takes(&limits, &seller, Operation::ConfirmShipment), 1);
    }

    #[test]
    fn the_scale_speeds_everything_up() {
        let (clock, limits, seller) = setup(100.0);
        takes(&limits, &seller, Operation::SearchOrders);
        // 0.0056/s × 100 = 0.56/s: one token in under two seconds instead of three minutes.
        clock.advance(SignedDuration::from_secs(2));
        assert_eq!(takes(&limits, &seller, Operation::SearchOrders), 1);
    }

    #[test]
    fn a_reported_rate_replaces_the_bucket_without_refilling_it() {
        let (clock, limits, seller) = setup(1.0);
        let op = Operation::GetOrder;
        for _ in 0..25 {
            limits.try_acquire(&seller, op).unwrap();
        }
        limits.observe_rate(&seller, op, 10.0);
        assert_eq!(limits.plan(&seller, op).rate, 10.0);
        assert_eq!(limits.plan(&seller, op).burst, 30);
        assert_eq!(
            takes(&limits, &seller, op),
            4,
            "the 4 tokens left (of 29) carry over"
        );
        clock.advance(SignedDuration::from_millis(300));
        assert_eq!(takes(&limits, &seller, op), 3, "10 per second now");
        limits.observe_rate(&seller, op, 10.0);
        limits.observe_rate(&seller, op, f64::NAN);
        assert_eq!(limits.plan(&seller, op).rate, 10.0);
    }

    #[test]
    fn a_throttle_empties_the_bucket() {
        let (_, limits, seller) = setup(1.0);
        limits.drain(&seller, Operation::PatchListingsItem);
        assert_eq!(takes(&limits, &seller, Operation::PatchListingsItem), 0);
    }
}
