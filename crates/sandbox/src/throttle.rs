//! Amazon's MWS throttling: a token bucket per (seller, developer, operation group) that starts
//! full (the max request quota), refills at the restore rate, and for Feeds also an hourly quota
//! reported in `x-mws-quota-*` headers (`docs/amazon/MWS.md#throttling-and-quotas`).
//!
//! Refill runs on the sandbox clock, so tests can advance it; `throttle_scale` multiplies the
//! restore rate (and shortens the hourly window) so tests can run faster than Amazon.

use std::collections::HashMap;

/// The limits of one operation group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Group name shared by operations with one bucket, e.g. `Orders.ListOrders`.
    pub group: &'static str,
    /// Maximum request quota (burst).
    pub max: u32,
    /// One request is restored every this many milliseconds.
    pub restore_ms: u64,
    /// Requests per hour, for sections that publish one.
    pub hourly: Option<u32>,
}

const fn q(group: &'static str, max: u32, restore_ms: u64, hourly: Option<u32>) -> Quota {
    Quota {
        group,
        max,
        restore_ms,
        hourly,
    }
}

/// The quota of `section`/`operation`, if the operation is throttled.
pub fn quota(section: &str, operation: &str) -> Option<Quota> {
    let quota = match (section, operation) {
        ("Orders", "ListOrders" | "ListOrdersByNextToken") => {
            q("Orders.ListOrders", 6, 60_000, None)
        }
        ("Orders", "GetOrder") => q("Orders.GetOrder", 6, 60_000, None),
        ("Orders", "ListOrderItems" | "ListOrderItemsByNextToken") => {
            q("Orders.ListOrderItems", 30, 2_000, None)
        }
        ("Orders", "GetServiceStatus") => q("Orders.GetServiceStatus", 2, 300_000, None),
        (
            "Sellers",
            "ListMarketplaceParticipations" | "ListMarketplaceParticipationsByNextToken",
        ) => q("Sellers.ListMarketplaceParticipations", 15, 60_000, None),
        ("Sellers", "GetServiceStatus") => q("Sellers.GetServiceStatus", 2, 300_000, None),
        ("Feeds", "SubmitFeed") => q("Feeds.SubmitFeed", 15, 120_000, Some(30)),
        ("Feeds", "GetFeedSubmissionList") => {
            q("Feeds.GetFeedSubmissionList", 10, 45_000, Some(80))
        }
        ("Feeds", "GetFeedSubmissionListByNextToken") => q(
            "Feeds.GetFeedSubmissionListByNextToken",
            30,
            2_000,
            Some(1800),
        ),
        ("Feeds", "GetFeedSubmissionCount") => {
            q("Feeds.GetFeedSubmissionCount", 10, 45_000, Some(80))
        }
        ("Feeds", "GetFeedSubmissionResult") => {
            q("Feeds.GetFeedSubmissionResult", 15, 60_000, Some(60))
        }
        ("Feeds", "GetServiceStatus") => q("Feeds.GetServiceStatus", 2, 300_000, None),
        _ => return None,
    };
    Some(quota)
}

/// Values for the `x-mws-quota-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuotaHeaders {
    /// `x-mws-quota-max`.
    pub max: u32,
    /// `x-mws-quota-remaining`.
    pub remaining: u32,
    /// `x-mws-quota-resetsOn` (epoch ms).
    pub resets_on_ms: i64,
}

/// The verdict for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allowed(Option<QuotaHeaders>),
    /// 503 RequestThrottled (bucket empty).
    Throttled(Option<QuotaHeaders>),
    /// 503 QuotaExceeded (hourly quota used up).
    QuotaExceeded(QuotaHeaders),
}

#[derive(Debug, Clone)]
struct Bucket {
    tokens: f64,
    last_ms: i64,
    window_start_ms: i64,
    window_count: u32,
}

/// Every bucket.
#[derive(Debug, Default)]
pub struct Throttle {
    buckets: HashMap<(String, String, &'static str), Bucket>,
}

impl Throttle {
    /// Takes one request from the bucket of (seller, developer, quota group) at `now_ms`.
    pub fn take(
        &mut self,
        seller_id: &str,
        developer_id: &str,
        quota: Quota,
        now_ms: i64,
        scale: f64,
    ) -> Decision {
        let key = (seller_id.to_owned(), developer_id.to_owned(), quota.group);
        let bucket = self.buckets.entry(key).or_insert(Bucket {
            tokens: f64::from(quota.max),
            last_ms: now_ms,
            window_start_ms: now_ms,
            window_count: 0,
        });
        if now_ms > bucket.last_ms {
            let restored = (now_ms - bucket.last_ms) as f64 * scale / quota.restore_ms as f64;
            bucket.tokens = (bucket.tokens + restored).min(f64::from(quota.max));
        }
        bucket.last_ms = now_ms;

        let headers = quota.hourly.map(|hourly| {
            let window = ((3_600_000.0 / scale) as i64).max(1);
            if now_ms >= bucket.window_start_ms + window || now_ms < bucket.window_start_ms {
                bucket.window_start_ms = now_ms;
                bucket.window_count = 0;
            }
            QuotaHeaders {
                max: hourly,
                remaining: hourly.saturating_sub(bucket.window_count),
                resets_on_ms: bucket.window_start_ms + window,
            }
        });
        if bucket.tokens < 1.0 {
            return Decision::Throttled(headers);
        }
        if let Some(h) = headers
            && h.remaining == 0
        {
            return Decision::QuotaExceeded(h);
        }
        bucket.tokens -= 1.0;
        match headers {
            Some(mut h) => {
                bucket.window_count += 1;
                h.remaining -= 1;
                Decision::Allowed(Some(h))
            }
            None => Decision::Allowed(None),
        }
    }

    /// Forgets every bucket (all start full again).
    pub fn reset(&mut self) {
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_then_restore() {
        let mut t = Throttle::default();
        let quota = quota("Orders", "ListOrders").unwrap();
        for _ in 0..6 {
            assert!(matches!(
                t.take("S", "D", quota, 0, 1.0),
                Decision::Allowed(None)
            ));
        }
        assert_eq!(
            t.take("S", "D", quota, 59_999, 1.0),
            Decision::Throttled(None)
        );
        assert!(matches!(
            t.take("S", "D", quota, 60_000, 1.0),
            Decision::Allowed(None)
        ));
        assert_eq!(
            t.take("S", "D", quota, 60_000, 1.0),
            Decision::Throttled(None)
        );
        // Another seller has its own bucket; ListOrdersByNextToken shares ListOrders'.
        assert!(matches!(
            t.take("S2", "D", quota, 60_000, 1.0),
            Decision::Allowed(None)
        ));
        let by_token = self::quota("Orders", "ListOrdersByNextToken").unwrap();
        assert_eq!(
            t.take("S", "D", by_token, 60_000, 1.0),
            Decision::Throttled(None)
        );
        // Scale 1000: one restore period is 60 ms.
        assert!(matches!(
            t.take("S", "D", quota, 60_060, 1000.0),
            Decision::Allowed(None)
        ));
    }

    #[test]
    fn hourly_quota_for_feeds() {
        let mut t = Throttle::default();
        let quota = quota("Feeds", "SubmitFeed").unwrap();
        let mut now = 0;
        for i in 0..30 {
            match t.take("S", "D", quota, now, 1.0) {
                Decision::Allowed(Some(h)) => assert_eq!(h.remaining, 29 - i),
                other => panic!("request {i}: {other:?}"),
            }
            now += 100_000;
        }
        assert!(
            matches!(t.take("S", "D", quota, now, 1.0), Decision::QuotaExceeded(h) if h.remaining == 0 && h.resets_on_ms == 3_600_000)
        );
        assert!(
            matches!(t.take("S", "D", quota, 3_600_000, 1.0), Decision::Allowed(Some(h)) if h.remaining == 29)
        );
    }
}
