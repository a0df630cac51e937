//! Client-side token buckets per (seller, operation), shaped like Amazon's: seeded from the
//! documented usage plans, full at the start, and replaced when `x-amzn-RateLimit-Limit` reports a
//! different rate for that seller. The buckets are [`TokenBucket`]s (the generic cell rate
//! algorithm, which is the same bucket), so a seller's buckets, learned rates included, can be
//! handed to the process that spends the seller's quota next ([`RateLimits::export`],
//! [`RateLimits::import`]).
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
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::SellingPartnerId;
use sellerlink_domain::quota::{QuotaApi, QuotaSnapshot, TokenBucket};

use crate::operation::{Operation, UsagePlan};

/// The longest single sleep while waiting for a token.
const RECHECK_INTERVAL: Duration = Duration::from_millis(250);

struct Bucket {
    /// The plan as Amazon states it (before `rate_scale`).
    plan: UsagePlan,
    /// Whether `plan.rate` came from `x-amzn-RateLimit-Limit` rather than the documented plan.
    learned: bool,
    tokens: TokenBucket,
}

impl Bucket {
    fn new(plan: UsagePlan, learned: bool, scale: f64) -> Self {
        let per_token = Duration::try_from_secs_f64(1.0 / (plan.rate * scale))
            .unwrap_or(Duration::MAX)
            .max(Duration::from_nanos(1));
        Self {
            plan,
            learned,
            tokens: TokenBucket::new(capacity(plan.burst), per_token),
        }
    }
}

/// How many tokens our bucket holds for Amazon's `burst`: one less, kept back as a cushion for calls
/// that arrive closer together than they were sent (a burst of one keeps its token).
fn capacity(burst: u32) -> u32 {
    burst.saturating_sub(1).max(1)
}

type Buckets = HashMap<SellingPartnerId, HashMap<Operation, Bucket>>;

/// Buckets per (seller, operation).
pub(crate) struct RateLimits {
    scale: f64,
    clock: Arc<dyn Clock>,
    buckets: Mutex<Buckets>,
}

impl fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimits")
            .field("rate_scale", &self.scale)
            .field("sellers", &self.lock().len())
            .finish()
    }
}

impl RateLimits {
    /// `scale` multiplies every rate (a sandbox may run faster than Amazon); it must be positive.
    pub(crate) fn new(scale: f64, clock: Arc<dyn Clock>) -> Self {
        Self {
            scale,
            clock,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Buckets> {
        self.buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The seller's bucket for `operation`, made full at the documented plan on first use.
    fn bucket<'a>(
        &self,
        buckets: &'a mut Buckets,
        seller: &SellingPartnerId,
        operation: Operation,
    ) -> &'a mut Bucket {
        buckets
            .entry(seller.clone())
            .or_default()
            .entry(operation)
            .or_insert_with(|| Bucket::new(operation.documented_plan(), false, self.scale))
    }

    /// The plan in force for `seller` and `operation` (as Amazon states it, before scaling).
    pub(crate) fn plan(&self, seller: &SellingPartnerId, operation: Operation) -> UsagePlan {
        self.bucket(&mut self.lock(), seller, operation).plan
    }

    /// Takes a token now, or says how long to wait for one.
    pub(crate) fn try_acquire(
        &self,
        seller: &SellingPartnerId,
        operation: Operation,
    ) -> Result<(), Duration> {
        let now = self.clock.now();
        self.bucket(&mut self.lock(), seller, operation)
            .tokens
            .try_take(now)
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
    ///
    /// The header states the rate the server enforces. A sandbox that runs faster than Amazon reports its sped-up
    /// rate, so the rate is taken back to Amazon's scale here (divided by `rate_scale`) before the bucket applies
    /// the scale again; otherwise a sped-up client would pace at the scale squared.
    pub(crate) fn observe_rate(&self, seller: &SellingPartnerId, operation: Operation, rate: f64) {
        if !(rate.is_finite() && rate > 0.0) {
            return;
        }
        let rate = rate / self.scale;
        let now = self.clock.now();
        let mut buckets = self.lock();
        let bucket = self.bucket(&mut buckets, seller, operation);
        if (bucket.plan.rate - rate).abs() <= bucket.plan.rate.abs() * 1e-6 {
            return;
        }
        let old_rate = bucket.plan.rate;
        self.replace(bucket, rate, now);
        tracing::debug!(
            amazon.op = operation.name(),
            seller.id = %seller,
            old_rate,
            new_rate = rate,
            "Amazon reported a different rate limit; bucket replaced"
        );
    }

    /// Replaces `bucket` by one at `rate` (learned), holding the tokens it held at `now`.
    fn replace(&self, bucket: &mut Bucket, rate: f64, now: jiff::Timestamp) {
        let plan = UsagePlan {
            rate,
            burst: bucket.plan.burst,
        };
        let left = bucket.tokens.level(now);
        let mut new = Bucket::new(plan, true, self.scale);
        new.tokens.set_level(left, now);
        *bucket = new;
    }

    /// After a 429: Amazon's bucket is empty, so empty ours too; the next call waits for a refill.
    pub(crate) fn drain(&self, seller: &SellingPartnerId, operation: Operation) {
        let now = self.clock.now();
        self.bucket(&mut self.lock(), seller, operation)
            .tokens
            .drain(now);
    }

    /// The state of `seller`'s buckets now, for the process that spends the seller's quota next:
    /// every bucket that is not full or whose rate Amazon reported. `None` if there is none.
    pub(crate) fn export(&self, seller: &SellingPartnerId) -> Option<QuotaSnapshot> {
        let now = self.clock.now();
        let buckets = self.lock();
        let mut levels: Vec<_> = buckets
            .get(seller)
            .into_iter()
            .flatten()
            .filter(|(_, bucket)| bucket.learned || !bucket.tokens.is_full(now))
            .map(|(operation, bucket)| {
                bucket.tokens.snapshot(
                    operation.name(),
                    now,
                    bucket.plan.burst,
                    bucket.plan.rate,
                    bucket.learned,
                )
            })
            .collect();
        levels.sort_by(|a, b| a.bucket.cmp(&b.bucket));
        (!levels.is_empty()).then_some(QuotaSnapshot {
            api: QuotaApi::SpApi,
            buckets: levels,
        })
    }

    /// Takes on the state another process left for `seller` ([`RateLimits::export`]): a rate Amazon
    /// reported is kept, and each bucket holds at most the tokens it had there plus what its rate
    /// gave back since, never more than it holds here already. Unknown operations and snapshots of
    /// another API are ignored.
    pub(crate) fn import(&self, seller: &SellingPartnerId, snapshot: &QuotaSnapshot) {
        if snapshot.api != QuotaApi::SpApi {
            return;
        }
        let now = self.clock.now();
        let mut buckets = self.lock();
        for level in &snapshot.buckets {
            let Some(operation) = Operation::ALL
                .into_iter()
                .find(|operation| operation.name() == level.bucket)
            else {
                continue;
            };
            let bucket = self.bucket(&mut buckets, seller, operation);
            let differs = (bucket.plan.rate - level.rate).abs() > bucket.plan.rate.abs() * 1e-6;
            if level.learned && level.rate.is_finite() && level.rate > 0.0 && differs {
                self.replace(bucket, level.rate, now);
            }
            bucket.tokens.adopt(level, now);
        }
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
        assert_eq!(limits.export(&seller).unwrap().buckets[0].tokens, 4.0);
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
    fn a_reported_rate_is_the_rate_in_force_whatever_the_scale() {
        // A sandbox at 10× reports 2/s × 10 = 20/s: the client paces at 20/s, not 200/s.
        let (clock, limits, seller) = setup(10.0);
        let op = Operation::ConfirmShipment;
        limits.observe_rate(&seller, op, 20.0);
        assert_eq!(
            limits.plan(&seller, op).rate,
            2.0,
            "Amazon's rate, before the scale"
        );
        takes(&limits, &seller, op);
        clock.advance(SignedDuration::from_millis(100));
        assert_eq!(
            takes(&limits, &seller, op),
            2,
            "20 per second: 2 tokens in 100 ms"
        );
    }

    #[test]
    fn a_learned_rate_and_the_tokens_left_go_to_the_next_process() {
        let (clock, a_process, seller) = setup(1.0);
        let op = Operation::GetOrder;
        assert_eq!(a_process.export(&seller), None, "nothing to hand on yet");
        for _ in 0..27 {
            a_process.try_acquire(&seller, op).unwrap();
        }
        a_process.observe_rate(&seller, op, 2.0);
        let snapshot = a_process.export(&seller).expect("spent and learned");
        assert_eq!(snapshot.api, QuotaApi::SpApi);
        let level = &snapshot.buckets[0];
        assert_eq!(level.bucket, "getOrder");
        assert_eq!((level.tokens, level.burst, level.rate), (2.0, 30, 2.0));
        assert!(level.learned);

        // Another process, one second later: the learned rate (2 per second) gave back 2 tokens.
        clock.advance(SignedDuration::from_secs(1));
        let b_process = RateLimits::new(1.0, clock.clone());
        b_process.import(&seller, &snapshot);
        assert_eq!(
            b_process.plan(&seller, op).rate,
            2.0,
            "the learned rate is kept"
        );
        assert_eq!(takes(&b_process, &seller, op), 4);
        clock.advance(SignedDuration::from_millis(500));
        assert_eq!(
            takes(&b_process, &seller, op),
            1,
            "2 per second, not the documented 0.5"
        );

        // A full bucket with a learned rate still carries the rate.
        clock.advance(SignedDuration::from_mins(1));
        let full = b_process.export(&seller).expect("learned");
        assert_eq!(full.buckets[0].tokens, 29.0);
        let c_process = RateLimits::new(1.0, clock.clone());
        c_process.import(&seller, &full);
        assert_eq!(c_process.plan(&seller, op).rate, 2.0);
        assert_eq!(takes(&c_process, &seller, op), 29);
    }

    #[test]
    fn a_documented_rate_restores_what_was_spent_and_other_apis_are_ignored() {
        let (clock, a_process, seller) = setup(10.0);
        let op = Operation::ConfirmShipment;
        takes(&a_process, &seller, op);
        let snapshot = a_process.export(&seller).expect("spent");
        assert!(!snapshot.buckets[0].learned);
        assert_eq!(
            snapshot.buckets[0].rate, 2.0,
            "Amazon's rate, before the scale"
        );
        // 2/s × 10 = 20 per second: 100 ms gives 2 tokens back.
        clock.advance(SignedDuration::from_millis(100));
        let b_process = RateLimits::new(10.0, clock.clone());
        let foreign = QuotaSnapshot {
            api: QuotaApi::Mws,
            ..snapshot.clone()
        };
        b_process.import(&seller, &foreign);
        assert_eq!(
            b_process.export(&seller),
            None,
            "an MWS snapshot changes nothing"
        );
        b_process.import(&seller, &snapshot);
        assert_eq!(takes(&b_process, &seller, op), 2);
    }

    #[test]
    fn a_throttle_empties_the_bucket() {
        let (_, limits, seller) = setup(1.0);
        limits.drain(&seller, Operation::PatchListingsItem);
        assert_eq!(takes(&limits, &seller, Operation::PatchListingsItem), 0);
    }
}
