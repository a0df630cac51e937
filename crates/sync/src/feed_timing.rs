//! The timing of Amazon's feeds that the [`crate::Shipper`] and the [`crate::StockPusher`] share: when to look again at a feed Amazon is
//! processing, how long a connection without access waits, and the backoff after a passing failure.

use jiff::{SignedDuration, Timestamp};

/// How long Amazon usually takes to process a feed: the first look at its report, and the wait between looks.
pub(crate) const PROCESSING_CHECK: SignedDuration = SignedDuration::from_secs(60);
/// How long the work of a connection without access waits before it is tried again.
pub(crate) const ACCESS_WAIT: SignedDuration = SignedDuration::from_hours(1);

/// `now + wait`, or the end of time.
pub(crate) fn later(now: Timestamp, wait: SignedDuration) -> Timestamp {
    now.checked_add(wait).unwrap_or(Timestamp::MAX)
}

/// How long to wait before the next attempt after `attempts` passing failures: 1, 2, 4 … minutes, at most an hour.
pub(crate) fn backoff(attempts: u32) -> SignedDuration {
    SignedDuration::from_mins((1i64 << attempts.min(6)).min(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (0..8).map(|a| backoff(a).as_mins()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60]);
    }
}
