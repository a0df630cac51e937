//! The planner: what a connection is owed at an instant — a pure function of the connection, the clock, the
//! reminder offsets and the access incidents already alerted. No I/O; the caller writes the result.
//!
//! Reminders:
//! - a cycle is one expiry date; a renewal or a restore moves the date and so starts a new cycle;
//! - the reminder for offset `n` is due from the day `n` days before the expiry date (the grant's own calendar,
//!   JST for Amazon.co.jp), offset 0 on the expiry date itself, when access lapses;
//! - when several offsets are due at once (no worker ran for a while, or the connection was added late) only the
//!   most urgent one is sent; the others are recorded as skipped;
//! - no expiry (R4 disabled) or a revoked grant: no reminders, and pending ones are given up.
//!
//! Access alerts: one `AccessLost` per incident (the incident is named by the instant of the first refusal, which
//! repeated refusals keep), and one `AccessRestored` once the refusal is cleared.

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::lifecycle::AccessDenial;
use sellerlink_store::CycleKey;

use crate::settings::ReminderOffsets;

/// One reminder to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReminder {
    /// The offset it stands for (days before the expiry date).
    pub offset_days: u16,
    /// Whole days from today to the expiry date; equals the offset on time, less when late, negative after expiry.
    pub days_left: i32,
}

/// The reminders of a connection now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReminderPlan {
    /// No reminders at all (revoked, or no expiry); pending ones of every cycle are given up.
    Off {
        /// Why, in words for the log.
        reason: &'static str,
    },
    /// Within the cycle of `expires_on`, nothing due yet.
    Waiting {
        /// The cycle.
        expires_on: Date,
    },
    /// A reminder of the cycle of `expires_on` is due.
    Due {
        /// The cycle.
        expires_on: Date,
        /// The most urgent due offset: the one to send.
        send: DueReminder,
        /// The other due offsets, most distant first: recorded as skipped.
        skip: Vec<u16>,
    },
}

impl ReminderPlan {
    /// The current cycle, if reminders are on.
    pub fn cycle(&self) -> Option<CycleKey> {
        match self {
            Self::Off { .. } => None,
            Self::Waiting { expires_on } | Self::Due { expires_on, .. } => {
                Some(CycleKey::expiry(*expires_on))
            }
        }
    }
}

/// An access incident that ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndedIncident {
    /// The incident.
    pub incident: CycleKey,
    /// Whether access came back (a restore notice is owed); `false` when the incident ended otherwise (a newer
    /// incident, or the grant was revoked).
    pub restored: bool,
}

/// The access alerts of a connection now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccessPlan {
    /// The current incident, which is owed an `AccessLost` alert.
    pub lost: Option<(CycleKey, AccessDenial)>,
    /// Alerted incidents that ended.
    pub ended: Vec<EndedIncident>,
}

/// Everything a connection is owed now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionPlan {
    /// Reminders.
    pub reminders: ReminderPlan,
    /// Access alerts.
    pub access: AccessPlan,
}

/// Plans the reminders and alerts of `connection` at `now`. `alerted` lists its incidents that have an
/// `AccessLost` alert and no `AccessRestored` notice yet.
pub fn plan(
    connection: &Connection,
    now: Timestamp,
    offsets: &ReminderOffsets,
    alerted: &[CycleKey],
) -> ConnectionPlan {
    ConnectionPlan {
        reminders: plan_reminders(connection, now, offsets),
        access: plan_access(connection, alerted),
    }
}

fn plan_reminders(
    connection: &Connection,
    now: Timestamp,
    offsets: &ReminderOffsets,
) -> ReminderPlan {
    let grant = &connection.grant;
    if grant.revoked_at.is_some() {
        return ReminderPlan::Off {
            reason: "access was revoked",
        };
    }
    let (Some(expires_on), Some(days_left)) = (grant.expires_on(), grant.days_until_expiry(now))
    else {
        return ReminderPlan::Off {
            reason: "the expiry feature is disabled",
        };
    };
    let mut due: Vec<u16> = offsets
        .days()
        .iter()
        .copied()
        .filter(|offset| days_left <= i32::from(*offset))
        .collect();
    // Offsets are most distant first, so the most urgent due one is last.
    match due.pop() {
        None => ReminderPlan::Waiting { expires_on },
        Some(offset_days) => ReminderPlan::Due {
            expires_on,
            send: DueReminder {
                offset_days,
                days_left,
            },
            skip: due,
        },
    }
}

fn plan_access(connection: &Connection, alerted: &[CycleKey]) -> AccessPlan {
    let grant = &connection.grant;
    let current = grant
        .access_denied
        .as_ref()
        .filter(|_| grant.revoked_at.is_none())
        .map(|denial| (CycleKey::incident(denial.at), denial.clone()));
    let ended = alerted
        .iter()
        .filter(|incident| current.as_ref().is_none_or(|(key, _)| key != *incident))
        .map(|incident| EndedIncident {
            incident: incident.clone(),
            restored: grant.revoked_at.is_none() && grant.access_denied.is_none(),
        })
        .collect();
    AccessPlan {
        lost: current,
        ended,
    }
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan;
    use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace};
    use sellerlink_domain::ids::{ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId};
    use sellerlink_domain::lifecycle::{AccessGrant, Expiry, RenewalTerm};
    use sellerlink_domain::refusal::RefusalCause;

    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    /// An MWS connection on Amazon.co.jp whose access expires on `expires_on`.
    fn expiring(expires_on: &str) -> Connection {
        let japan = MarketplaceId::japan();
        let expires_on = date(expires_on);
        let granted_on = expires_on.saturating_sub(1.year());
        let granted_at = granted_on
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap())
            .unwrap()
            .timestamp();
        Connection {
            id: ConnectionId::new(),
            merchant_id: MerchantId::new(),
            account: ApiAccount::Mws {
                seller_id: SellerId::parse("A1B2C3D4E5F6G7").unwrap(),
                developer_id: DeveloperId::parse("525964794073").unwrap(),
            },
            marketplaces: vec![ConnectedMarketplace {
                id: japan.clone(),
                name: None,
            }],
            grant: AccessGrant::new(granted_at, japan.marketplace(), RenewalTerm::OneYear, true),
            verified_at: Some(granted_at),
            created_at: granted_at,
        }
    }

    fn reminders(connection: &Connection, now: &str) -> ReminderPlan {
        plan(connection, at(now), &ReminderOffsets::standard(), &[]).reminders
    }

    fn due(offset_days: u16, days_left: i32, skip: &[u16]) -> ReminderPlan {
        ReminderPlan::Due {
            expires_on: date("2027-04-17"),
            send: DueReminder {
                offset_days,
                days_left,
            },
            skip: skip.to_vec(),
        }
    }

    #[test]
    fn nothing_is_due_before_the_first_offset() {
        let connection = expiring("2027-04-17");
        assert_eq!(
            reminders(&connection, "2027-03-17T14:59:59Z"),
            ReminderPlan::Waiting {
                expires_on: date("2027-04-17")
            }
        );
    }

    #[test]
    fn offsets_fall_due_at_midnight_in_japan_not_in_utc() {
        let connection = expiring("2027-04-17");
        // 2027-03-18 00:00 JST is 2027-03-17 15:00 UTC: 30 days before the expiry date in Japan.
        assert_eq!(
            reminders(&connection, "2027-03-17T15:00:00Z"),
            due(30, 30, &[])
        );
        // 2027-04-16 23:30 JST: one day left, and the 30…3-day offsets have passed.
        assert_eq!(
            reminders(&connection, "2027-04-16T14:30:00Z"),
            due(1, 1, &[30, 14, 7, 3])
        );
        // On the expiry date itself access lapses: the "lapses today" reminder.
        assert_eq!(
            reminders(&connection, "2027-04-16T15:00:00Z"),
            due(0, 0, &[30, 14, 7, 3, 1])
        );
    }

    #[test]
    fn a_late_worker_sends_the_most_urgent_due_offset_only() {
        let connection = expiring("2027-04-17");
        // Nine days left: 30 and 14 have both passed; 14 goes out (with the real days left), 30 is skipped.
        assert_eq!(
            reminders(&connection, "2027-04-08T01:00:00Z"),
            due(14, 9, &[30])
        );
        // Long after the expiry date the cycle still owes its "lapsed" reminder, with negative days left.
        assert_eq!(
            reminders(&connection, "2027-05-01T01:00:00Z"),
            due(0, -14, &[30, 14, 7, 3, 1])
        );
    }

    #[test]
    fn a_renewal_starts_a_new_cycle() {
        let connection = expiring("2027-04-17");
        let renewed_at = at("2027-04-10T01:00:00Z");
        let renewed = Connection {
            grant: connection.grant.renew(renewed_at).unwrap(),
            ..connection
        };
        let plan = reminders(&renewed, "2027-04-11T01:00:00Z");
        assert_eq!(
            plan,
            ReminderPlan::Waiting {
                expires_on: date("2028-04-10")
            }
        );
        assert_eq!(plan.cycle(), Some(CycleKey::expiry(date("2028-04-10"))));
    }

    #[test]
    fn no_expiry_and_revoked_grants_get_no_reminders() {
        let mut connection = expiring("2027-04-17");
        connection.grant.expiry = Expiry::Disabled;
        assert_eq!(
            reminders(&connection, "2027-04-16T01:00:00Z"),
            ReminderPlan::Off {
                reason: "the expiry feature is disabled"
            }
        );
        let mut revoked = expiring("2027-04-17");
        revoked.grant = revoked.grant.revoke(at("2027-04-01T00:00:00Z")).unwrap();
        let plan = reminders(&revoked, "2027-04-16T01:00:00Z");
        assert_eq!(
            plan,
            ReminderPlan::Off {
                reason: "access was revoked"
            }
        );
        assert_eq!(plan.cycle(), None);
    }

    #[test]
    fn custom_offsets_and_none_at_all() {
        let connection = expiring("2027-04-17");
        let offsets = ReminderOffsets::parse("10,2").unwrap();
        let plan = plan(&connection, at("2027-04-15T01:00:00Z"), &offsets, &[]).reminders;
        assert_eq!(plan, due(2, 2, &[10]));
        let none = ReminderOffsets::parse("").unwrap();
        let plan = super::plan(&connection, at("2027-04-16T15:00:00Z"), &none, &[]).reminders;
        assert_eq!(
            plan,
            ReminderPlan::Waiting {
                expires_on: date("2027-04-17")
            }
        );
    }

    fn denial(at_text: &str) -> AccessDenial {
        AccessDenial {
            at: at(at_text),
            cause: RefusalCause::SellerAccess,
            detail: "AccessDenied: Access to Orders.ListOrders is denied".to_owned(),
        }
    }

    #[test]
    fn a_refusal_opens_one_incident_that_repeated_refusals_keep() {
        let connection = expiring("2027-04-17");
        let first = denial("2026-06-01T03:00:00Z");
        let denied = Connection {
            grant: connection.grant.deny_access(first.clone()),
            ..connection
        };
        let access = plan(
            &denied,
            at("2026-06-01T04:00:00Z"),
            &ReminderOffsets::standard(),
            &[],
        )
        .access;
        let key = CycleKey::incident(first.at);
        assert_eq!(access.lost, Some((key.clone(), first.clone())));
        assert!(access.ended.is_empty());

        // Refused again an hour later: the incident keeps its first instant, and it is already alerted.
        let again = Connection {
            grant: denied.grant.deny_access(denial("2026-06-01T05:00:00Z")),
            ..denied.clone()
        };
        let access = plan(
            &again,
            at("2026-06-01T06:00:00Z"),
            &ReminderOffsets::standard(),
            std::slice::from_ref(&key),
        )
        .access;
        assert_eq!(access.lost.map(|(k, _)| k), Some(key.clone()));
        assert!(access.ended.is_empty());

        // Cleared: the incident ends with access restored.
        let cleared = Connection {
            grant: again.grant.clear_access_denied(),
            ..again
        };
        let access = plan(
            &cleared,
            at("2026-06-02T00:00:00Z"),
            &ReminderOffsets::standard(),
            std::slice::from_ref(&key),
        )
        .access;
        assert_eq!(access.lost, None);
        assert_eq!(
            access.ended,
            [EndedIncident {
                incident: key,
                restored: true
            }]
        );
    }

    #[test]
    fn a_newer_incident_or_a_revocation_ends_an_incident_without_a_restore() {
        let connection = expiring("2027-04-17");
        let old = CycleKey::incident(at("2026-06-01T03:00:00Z"));
        let newer = Connection {
            grant: connection.grant.deny_access(denial("2026-07-01T03:00:00Z")),
            ..connection.clone()
        };
        let access = plan(
            &newer,
            at("2026-07-01T04:00:00Z"),
            &ReminderOffsets::standard(),
            std::slice::from_ref(&old),
        )
        .access;
        assert_eq!(
            access.lost.map(|(k, _)| k),
            Some(CycleKey::incident(at("2026-07-01T03:00:00Z")))
        );
        assert_eq!(
            access.ended,
            [EndedIncident {
                incident: old.clone(),
                restored: false
            }]
        );

        let revoked = Connection {
            grant: newer.grant.revoke(at("2026-07-02T00:00:00Z")).unwrap(),
            ..newer
        };
        let access = plan(
            &revoked,
            at("2026-07-03T00:00:00Z"),
            &ReminderOffsets::standard(),
            std::slice::from_ref(&old),
        )
        .access;
        assert_eq!(access.lost, None, "a revoked connection raises no alert");
        assert_eq!(
            access.ended,
            [EndedIncident {
                incident: old,
                restored: false
            }]
        );
    }
}
