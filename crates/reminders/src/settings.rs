//! What the reminders worker can be told: the reminder offsets, the developer identity merchants look for in
//! Seller Central, and how patiently deliveries are retried.

use std::fmt;
use std::time::Duration;

use jiff::SignedDuration;
use sellerlink_domain::ids::DeveloperId;
use sellerlink_notify::SellerCentralHost;
use sellerlink_store::LeaseOwner;

/// The days before an expiry date on which a reminder goes out (0 = the day access lapses), most distant first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderOffsets(Vec<u16>);

/// Reminder offsets that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "reminder offsets: {problem}; expected whole days from 0 to 365 separated by commas, e.g. 30,14,7,3,1,0"
)]
pub struct OffsetsError {
    problem: String,
}

/// The longest offset accepted: one term of access.
const MAX_OFFSET: u16 = 365;

impl ReminderOffsets {
    /// 30, 14, 7, 3 and 1 days before, and on the day access lapses.
    pub fn standard() -> Self {
        Self(vec![30, 14, 7, 3, 1, 0])
    }

    /// These offsets, in any order; duplicates are refused, as is anything beyond 365 days.
    pub fn new(days: impl IntoIterator<Item = u16>) -> Result<Self, OffsetsError> {
        let mut days: Vec<u16> = days.into_iter().collect();
        if let Some(too_far) = days.iter().find(|day| **day > MAX_OFFSET) {
            return Err(OffsetsError {
                problem: format!("{too_far} is more than {MAX_OFFSET} days"),
            });
        }
        days.sort_unstable_by(|a, b| b.cmp(a));
        if let Some(pair) = days.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(OffsetsError {
                problem: format!("{} appears twice", pair[0]),
            });
        }
        Ok(Self(days))
    }

    /// Parses `30,14,7,3,1,0` (spaces allowed; an empty text means no reminders).
    pub fn parse(text: &str) -> Result<Self, OffsetsError> {
        let mut days = Vec::new();
        for part in text
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let day = part.parse::<u16>().map_err(|_| OffsetsError {
                problem: format!("{part:?} is not a whole number of days"),
            })?;
            days.push(day);
        }
        Self::new(days)
    }

    /// The offsets, most distant first.
    pub fn days(&self) -> &[u16] {
        &self.0
    }
}

impl Default for ReminderOffsets {
    fn default() -> Self {
        Self::standard()
    }
}

impl fmt::Display for ReminderOffsets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: Vec<String> = self.0.iter().map(u16::to_string).collect();
        f.write_str(&text.join(","))
    }
}

/// Everything the reminders worker can be told. [`ReminderSettings::new`] gives the defaults.
#[derive(Debug, Clone)]
pub struct ReminderSettings {
    /// When reminders go out (default 30, 14, 7, 3, 1 and 0 days before the expiry date).
    pub offsets: ReminderOffsets,
    /// The developer (MWS) or app (SP-API) name merchants see in Seller Central, e.g. `shippinno`.
    pub developer_name: String,
    /// The developer ID merchants look for in Seller Central (R7).
    pub developer_id: DeveloperId,
    /// Seller Central's site for every fix link, instead of the marketplace's own (e.g. the sandbox).
    pub seller_central: Option<SellerCentralHost>,
    /// This worker's name on the leases it takes; unique per process.
    pub worker: LeaseOwner,
    /// How long a claimed delivery stays this worker's. It must outlast the slowest send (the notify senders'
    /// own retries included); afterwards another worker sends the delivery again with the same id.
    pub lease: SignedDuration,
    /// How many deliveries one claim takes (default 1: each is claimed just before it is sent).
    pub claim_batch: u32,
    /// Attempts before a delivery that keeps failing is given up as `failed` (default 6).
    pub max_attempts: u32,
    /// The wait before the second attempt; it doubles after each failure (default 1 minute).
    pub retry_base: SignedDuration,
    /// The longest wait between two attempts (default 1 hour).
    pub retry_cap: SignedDuration,
    /// How often [`crate::Reminders::serve`] runs a pass (default 1 minute).
    pub interval: Duration,
}

impl ReminderSettings {
    /// The defaults, for the 3PL's developer identity.
    pub fn new(developer_name: impl Into<String>, developer_id: DeveloperId) -> Self {
        Self {
            offsets: ReminderOffsets::standard(),
            developer_name: developer_name.into(),
            developer_id,
            seller_central: None,
            worker: default_worker(),
            lease: SignedDuration::from_mins(10),
            claim_batch: 1,
            max_attempts: 6,
            retry_base: SignedDuration::from_mins(1),
            retry_cap: SignedDuration::from_hours(1),
            interval: Duration::from_secs(60),
        }
    }

    /// The wait after the `attempts`-th failed attempt: `retry_base`, doubled per earlier failure, at most
    /// `retry_cap`.
    pub fn retry_delay(&self, attempts: u32) -> SignedDuration {
        let doublings = attempts.saturating_sub(1).min(30);
        let factor = 1_i32 << doublings;
        self.retry_base
            .checked_mul(factor)
            .unwrap_or(self.retry_cap)
            .min(self.retry_cap)
    }
}

/// `reminders:<pid>:<random>`, unique per process.
fn default_worker() -> LeaseOwner {
    let random = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("reminders:{}:{}", std::process::id(), &random[..8]);
    LeaseOwner::parse(&name).expect("the default worker name is printable and has no spaces")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_sorted_checked_and_shown() {
        let offsets = ReminderOffsets::parse(" 1, 30 ,0,7").unwrap();
        assert_eq!(offsets.days(), [30, 7, 1, 0]);
        assert_eq!(offsets.to_string(), "30,7,1,0");
        assert_eq!(ReminderOffsets::default().days(), [30, 14, 7, 3, 1, 0]);
        assert!(ReminderOffsets::parse("").unwrap().days().is_empty());
        let twice = ReminderOffsets::parse("7,7").unwrap_err().to_string();
        assert_eq!(
            twice,
            "reminder offsets: 7 appears twice; expected whole days from 0 to 365 separated by commas, e.g. 30,14,7,3,1,0"
        );
        assert!(
            ReminderOffsets::parse("400")
                .unwrap_err()
                .to_string()
                .contains("400 is more than 365")
        );
        assert!(
            ReminderOffsets::parse("x")
                .unwrap_err()
                .to_string()
                .contains("\"x\" is not a whole number")
        );
    }

    #[test]
    fn retries_back_off_exponentially_up_to_the_cap() {
        let settings =
            ReminderSettings::new("shippinno", DeveloperId::parse("525964794073").unwrap());
        let waits: Vec<i64> = (1..=9).map(|n| settings.retry_delay(n).as_mins()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(settings.retry_delay(u32::MAX), settings.retry_cap);
        assert!(settings.worker.as_str().starts_with("reminders:"));
    }
}
