//! Proactive rate limiting: one token bucket per (seller, quota group), shaped like Amazon's
//! (one token back per restore period, full at the start), so that a normal run is never
//! throttled. The buckets are [`TokenBucket`]s (the generic cell rate algorithm, which is the
//! same bucket), so their state can be handed to the process that spends the seller's quota next.
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
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_domain::ids::SellerId;
use sellerlink_domain::quota::{QuotaApi, QuotaSnapshot, TokenBucket};

use crate::quota::{Operation, QUOTA_TABLE, Quota, QuotaGroup};

/// A `restore_rate_scale` that is not a positive finite number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "restore_rate_scale must be a positive finite number (1.0 = Amazon's published rates), got {0}"
)]
pub struct InvalidRestoreRateScale(pub f64);

/// One quota group's buckets for one seller.
struct GroupBuckets {
    burst: TokenBucket,
    hourly: Option<TokenBucket>,
}

/// The suffix of an hourly bucket's name in a [`QuotaSnapshot`] (`Feeds.SubmitFeed/hour`).
const HOURLY: &str = "/hour";

type Buckets = HashMap<SellerId, HashMap<QuotaGroup, GroupBuckets>>;

struct Inner {
    scale: f64,
    clock: Arc<dyn Clock>,
    buckets: Mutex<Buckets>,
}

/// Paces calls per (seller, quota group) with Amazon's quotas. Cheap to clone; clones share
/// the buckets, so one `Pacing` can serve several clients of the same process.
///
/// The buckets live in this process. Amazon's real bucket is shared by every process using the
/// same developer and seller, so one process at a time spends a seller's quota (the connection's
/// lease), and hands its buckets on to the next with [`Pacing::export`] and [`Pacing::import`].
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
            .field("sellers", &self.lock().len())
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
        Ok(Self {
            inner: Arc::new(Inner {
                scale: restore_rate_scale,
                clock,
                buckets: Mutex::new(HashMap::new()),
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
        let now = self.inner.clock.now();
        let quota = operation.quota();
        let mut buckets = self.lock();
        let group = self.group(&mut buckets, seller, quota);
        // Both buckets are checked before either is taken from, so a refusal costs no token.
        let wait = group.burst.wait(now).max(
            group
                .hourly
                .as_ref()
                .map_or(Duration::ZERO, |h| h.wait(now)),
        );
        if !wait.is_zero() {
            return Err(wait);
        }
        group.burst.try_take(now)?;
        if let Some(hourly) = &mut group.hourly {
            hourly.try_take(now)?;
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
        let now = self.inner.clock.now();
        let mut buckets = self.lock();
        let group = self.group(&mut buckets, seller, operation.quota());
        group.burst.drain(now);
        if hourly && let Some(bucket) = &mut group.hourly {
            bucket.drain(now);
        }
    }

    /// The state of `seller`'s buckets now, for the process that spends the seller's quota next:
    /// every bucket that is not full, at the instant of this process's clock. `None` when all are
    /// full (nothing to hand on).
    pub fn export(&self, seller: &SellerId) -> Option<QuotaSnapshot> {
        let now = self.inner.clock.now();
        let buckets = self.lock();
        let mut levels = Vec::new();
        for (group, state) in buckets.get(seller).into_iter().flatten() {
            let Some(quota) = group_quota(*group) else {
                continue;
            };
            let name = group_name(*group);
            if !state.burst.is_full(now) {
                let rate = 1.0 / quota.restore_period.as_secs_f64();
                levels.push(
                    state
                        .burst
                        .snapshot(name, now, quota.max_request_quota, rate, false),
                );
            }
            if let (Some(hourly), Some(per_hour)) = (&state.hourly, quota.hourly_quota)
                && !hourly.is_full(now)
            {
                let name = format!("{name}{HOURLY}");
                let rate = f64::from(per_hour) / 3600.0;
                levels.push(hourly.snapshot(&name, now, per_hour, rate, false));
            }
        }
        levels.sort_by(|a, b| a.bucket.cmp(&b.bucket));
        (!levels.is_empty()).then_some(QuotaSnapshot {
            api: QuotaApi::Mws,
            buckets: levels,
        })
    }

    /// Takes on the state another process left for `seller` ([`Pacing::export`]): each bucket
    /// holds at most the tokens it had there plus what its restore rate gave back since, and
    /// never more than it holds here already. Buckets this version does not know and snapshots of
    /// another API are ignored.
    pub fn import(&self, seller: &SellerId, snapshot: &QuotaSnapshot) {
        if snapshot.api != QuotaApi::Mws {
            return;
        }
        let now = self.inner.clock.now();
        let mut buckets = self.lock();
        for level in &snapshot.buckets {
            let (name, hourly) = match level.bucket.strip_suffix(HOURLY) {
                Some(name) => (name, true),
                None => (level.bucket.as_str(), false),
            };
            let Some(quota) = QUOTA_TABLE
                .iter()
                .map(|row| row.quota)
                .find(|quota| group_name(quota.group) == name)
            else {
                continue;
            };
            let group = self.group(&mut buckets, seller, quota);
            let bucket = if hourly {
                group.hourly.as_mut()
            } else {
                Some(&mut group.burst)
            };
            if let Some(bucket) = bucket {
                bucket.adopt(level, now);
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Buckets> {
        self.inner
            .buckets
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The seller's buckets of `quota`'s group, made full on first use.
    fn group<'a>(
        &self,
        buckets: &'a mut Buckets,
        seller: &SellerId,
        quota: Quota,
    ) -> &'a mut GroupBuckets {
        let scale = self.inner.scale;
        buckets
            .entry(seller.clone())
            .or_default()
            .entry(quota.group)
            .or_insert_with(|| GroupBuckets {
                burst: TokenBucket::new(
                    reserve_one(quota.max_request_quota),
                    scaled(quota.restore_period, scale),
                ),
                hourly: quota.hourly_quota.map(|per_hour| {
                    TokenBucket::new(
                        per_hour,
                        scaled(Duration::from_secs(3600) / per_hour.max(1), scale),
                    )
                }),
            })
    }
}

/// A group's quota: that of its first operation in the table.
fn group_quota(group: QuotaGroup) -> Option<Quota> {
    QUOTA_TABLE
        .iter()
        .find(|row| row.quota.group == group)
        .map(|row| row.quota)
}

/// A group's name in a snapshot: its first operation's `Section.Action`.
fn group_name(group: QuotaGroup) -> &'static str {
    QUOTA_TABLE
        .iter()
        .find(|row| row.quota.group == group)
        .map_or("", |row| row.operation.qualified_name())
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
    fn an_exported_state_is_imported_with_what_was_restored_since() {
        let (clock, a_process) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        assert_eq!(
            a_process.export(&a),
            None,
            "nothing spent, nothing to hand on"
        );
        // ListOrderItems: 29 of Amazon's 30 for us, one back every 2 s.
        for _ in 0..29 {
            a_process
                .try_acquire(&a, Operation::ListOrderItems)
                .expect("burst");
        }
        let snapshot = a_process.export(&a).expect("a bucket was spent");
        assert_eq!(snapshot.api, QuotaApi::Mws);
        assert_eq!(snapshot.buckets.len(), 1);
        let level = &snapshot.buckets[0];
        assert_eq!(level.bucket, "Orders.ListOrderItems");
        assert_eq!((level.tokens, level.burst, level.rate), (0.0, 30, 0.5));
        assert_eq!(level.at, clock.now());
        assert!(!level.learned);

        // Another process (its own buckets, full) takes over 10 s later: 5 tokens are back.
        clock.advance(SignedDuration::from_secs(10));
        let b_process = Pacing::with_clock(1.0, clock.clone()).expect("valid scale");
        b_process.import(&a, &snapshot);
        for call in 0..5 {
            assert!(
                b_process
                    .try_acquire(&a, Operation::ListOrderItemsByNextToken)
                    .is_ok(),
                "call {call}"
            );
        }
        assert_eq!(
            b_process.try_acquire(&a, Operation::ListOrderItems),
            Err(Duration::from_secs(2))
        );
        let other = seller("A3OTHERSELLER9");
        assert!(
            b_process
                .try_acquire(&other, Operation::ListOrderItems)
                .is_ok(),
            "only that seller's buckets are taken on"
        );
        // Long after, the stored state is capped at the bucket's capacity.
        clock.advance(SignedDuration::from_mins(5));
        let c_process = Pacing::with_clock(1.0, clock.clone()).expect("valid scale");
        c_process.import(&a, &snapshot);
        assert_eq!(c_process.export(&a), None, "full again");
    }

    #[test]
    fn hourly_caps_travel_too_and_other_apis_are_ignored() {
        let (clock, a_process) = setup(1.0);
        let a = seller("A2SLNK0EXAMPL3");
        for _ in 0..14 {
            a_process
                .try_acquire(&a, Operation::SubmitFeed)
                .expect("burst");
        }
        let snapshot = a_process.export(&a).expect("spent");
        let names: Vec<_> = snapshot.buckets.iter().map(|b| b.bucket.as_str()).collect();
        assert_eq!(names, ["Feeds.SubmitFeed", "Feeds.SubmitFeed/hour"]);
        assert_eq!(snapshot.buckets[1].tokens, 16.0);
        assert_eq!(snapshot.buckets[1].burst, 30);

        // Four restore periods later the burst bucket has 4 tokens back; the hourly one gave one every 2 min.
        clock.advance(SignedDuration::from_mins(8));
        let b_process = Pacing::with_clock(1.0, clock.clone()).expect("valid scale");
        b_process.import(&a, &snapshot);
        let exported = b_process.export(&a).expect("not full");
        assert_eq!(exported.buckets[0].tokens, 4.0);
        assert_eq!(exported.buckets[1].tokens, 20.0);

        let foreign = QuotaSnapshot {
            api: QuotaApi::SpApi,
            ..snapshot.clone()
        };
        let c_process = Pacing::with_clock(1.0, clock.clone()).expect("valid scale");
        c_process.import(&a, &foreign);
        assert_eq!(c_process.export(&a), None);
    }

    #[test]
    fn a_restore_rate_scale_applies_to_what_was_restored_since() {
        let (clock, a_process) = setup(60.0);
        let a = seller("A2SLNK0EXAMPL3");
        for _ in 0..5 {
            a_process
                .try_acquire(&a, Operation::ListOrders)
                .expect("burst");
        }
        let snapshot = a_process.export(&a).expect("spent");
        assert_eq!(
            snapshot.buckets[0].rate,
            1.0 / 60.0,
            "Amazon's rate, unscaled"
        );
        // Sped up 60×: one token a second, so 2 s later two are back.
        clock.advance(SignedDuration::from_secs(2));
        let b_process = Pacing::with_clock(60.0, clock.clone()).expect("valid scale");
        b_process.import(&a, &snapshot);
        assert!(b_process.try_acquire(&a, Operation::ListOrders).is_ok());
        assert!(b_process.try_acquire(&a, Operation::ListOrders).is_ok());
        assert!(b_process.try_acquire(&a, Operation::ListOrders).is_err());
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
