//! The keys and names of notification rows: channel and delivery ids, cycle keys, and the stored enums.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_domain::ids::MerchantId;
use uuid::Uuid;

use crate::codec::date_text;
use crate::names::{NameError, NameRule, name_plumbing};

const UUID_EXAMPLE: &str = "a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057";

fn parse_uuid(field: &'static str, input: &str) -> Result<Uuid, NameError> {
    let text = input.trim();
    let refuse = |problem: &str| NameError {
        field,
        problem: problem.to_owned(),
        expected: UUID_EXAMPLE,
    };
    if text.is_empty() {
        return Err(refuse("is empty"));
    }
    Uuid::try_parse(text).map_err(|_| refuse("is not a UUID"))
}

/// Implements the plumbing of a UUID-backed id: `new` (UUIDv7), `parse`, `Display`, `Debug`, `FromStr`.
macro_rules! uuid_key {
    ($name:ident, $field:literal) => {
        impl $name {
            /// A new, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Parses the hyphenated UUID form.
            pub fn parse(input: &str) -> Result<Self, NameError> {
                parse_uuid($field, input).map(Self)
            }

            /// Wraps a UUID (e.g. one derived from what makes a notification unique).
            pub fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl std::str::FromStr for $name {
            type Err = NameError;
            fn from_str(s: &str) -> Result<Self, NameError> {
                Self::parse(s)
            }
        }
    };
}

/// The id of a notification channel.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChannelId(Uuid);
uuid_key!(ChannelId, "notification channel id");

/// The id of one delivery: the idempotency key that every copy of it carries (webhook id, e-mail Message-ID).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DeliveryId(Uuid);
uuid_key!(DeliveryId, "notification delivery id");

/// What names one cycle of a notification, so that a new cycle gets a fresh set of deliveries: the expiry date
/// for reminders (a renewal moves it), the instant an incident began for access alerts, the delivery id for a test.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CycleKey(String);

const CYCLE_RULE: NameRule = NameRule {
    field: "notification cycle key",
    max_chars: 100,
    allowed: |c| c.is_ascii_graphic(),
    expected: "1–100 visible ASCII characters, e.g. 2027-04-17 or 2026-05-01T03:04:05.678Z",
};

impl CycleKey {
    /// The cycle of reminders before the expiry date `expires_on`: `YYYY-MM-DD`.
    pub fn expiry(expires_on: Date) -> Self {
        Self(date_text(expires_on))
    }

    /// The access incident that began at `started_at`: RFC 3339 in UTC with milliseconds, e.g.
    /// `2026-05-01T03:04:05.678Z` (finer digits are dropped, as the store keeps instants in milliseconds).
    pub fn incident(started_at: Timestamp) -> Self {
        let ms = Timestamp::from_millisecond(started_at.as_millisecond()).unwrap_or(started_at);
        Self(ms.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
    }

    /// The one-off cycle of a test send: the delivery's own id.
    pub fn test(id: DeliveryId) -> Self {
        Self(id.to_string())
    }

    /// Parses a stored or given cycle key.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        CYCLE_RULE.check(input).map(Self)
    }
}
name_plumbing!(CycleKey);

/// Whose notifications a channel receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelOwner {
    /// The operator: every merchant's notifications.
    Operator,
    /// One merchant's contacts: that merchant's notifications.
    Merchant(MerchantId),
}

impl ChannelOwner {
    /// The merchant, for a merchant channel.
    pub fn merchant(self) -> Option<MerchantId> {
        match self {
            Self::Operator => None,
            Self::Merchant(id) => Some(id),
        }
    }
}

/// Implements `as_str`/`parse` over a fixed table of stored names.
macro_rules! stored_names {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The stored name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),+
                }
            }

            /// The value with this stored name.
            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|value| value.as_str() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// How a channel is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// E-mail over SMTP to one mailbox.
    Email,
    /// A signed HTTP POST to one URL.
    Webhook,
}
stored_names!(ChannelKind { Email => "email", Webhook => "webhook" });

/// What a delivery reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryKind {
    /// The yearly access lapses soon (or today).
    ExpiryReminder,
    /// Amazon refused the credential.
    AccessLost,
    /// Amazon accepts the credential again after an incident.
    AccessRestored,
    /// A test message asked for from the notification pages.
    Test,
}
stored_names!(DeliveryKind {
    ExpiryReminder => "expiry_reminder",
    AccessLost => "access_lost",
    AccessRestored => "access_restored",
    Test => "test",
});

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeliveryState {
    /// Waiting to be sent (first time, or again after a failure at `next_attempt_at`).
    Planned,
    /// A worker holds its lease and is sending it (or stopped while sending; the lease then expires).
    Sending,
    /// The channel accepted it.
    Delivered,
    /// Given up after the last attempt; `last_error` says why.
    Failed,
    /// Never sent, on purpose; `last_error` says why (superseded, renewed, channel disabled…).
    Skipped,
}
stored_names!(DeliveryState {
    Planned => "planned",
    Sending => "sending",
    Delivered => "delivered",
    Failed => "failed",
    Skipped => "skipped",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_keys_name_dates_and_instants() {
        let date: Date = "2027-04-17".parse().unwrap();
        assert_eq!(CycleKey::expiry(date).as_str(), "2027-04-17");
        let at: Timestamp = "2026-05-01T03:04:05.678912Z".parse().unwrap();
        assert_eq!(CycleKey::incident(at).as_str(), "2026-05-01T03:04:05.678Z");
        let whole: Timestamp = "2026-05-01T03:04:05Z".parse().unwrap();
        assert_eq!(
            CycleKey::incident(whole).as_str(),
            "2026-05-01T03:04:05.000Z"
        );
        assert!(CycleKey::parse("has space").is_err());
    }

    #[test]
    fn ids_name_the_field_when_they_do_not_parse() {
        let error = ChannelId::parse("nope").unwrap_err().to_string();
        assert_eq!(
            error,
            "notification channel id: is not a UUID; expected a UUID, e.g. 01890a5d-ac96-774b-bcce-b302099a8057"
        );
        let id = DeliveryId::new();
        assert_eq!(DeliveryId::parse(&id.to_string()).unwrap(), id);
    }

    #[test]
    fn stored_names_round_trip() {
        for state in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(state.as_str()), Some(*state));
        }
        assert_eq!(
            DeliveryKind::parse("access_lost"),
            Some(DeliveryKind::AccessLost)
        );
        assert_eq!(ChannelKind::parse("sms"), None);
    }
}
