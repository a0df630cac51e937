//! How values read on the pages: instants in Japan time, dates, and the words for statuses (an order's values:
//! [`super::order_format`]).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::ConnectionStatus;
use sellerlink_store::{SyncOutcome, SyncRun};

use crate::i18n::Texts;

/// An instant as `2026-11-28 14:03 JST` (Japan has no daylight saving time, so a fixed +09:00 is exact).
pub(crate) fn jst(at: Timestamp) -> String {
    at.to_zoned_datetime(TimeZone::fixed(tz::offset(9)))
        .strftime("%Y-%m-%d %H:%M JST")
        .to_string()
}

/// A civil date as `2026-11-28`.
pub(crate) fn date(day: Date) -> String {
    day.strftime("%Y-%m-%d").to_string()
}

/// An optional text, or `—`.
pub(crate) fn or_dash(text: Option<&str>) -> String {
    text.filter(|t| !t.is_empty()).unwrap_or("—").to_owned()
}

/// The CSS/test name of a status (`expiring_soon`…).
pub(crate) fn status_class(status: ConnectionStatus) -> &'static str {
    status.name()
}

/// The words for a status.
pub(crate) fn status_label(t: &Texts, status: ConnectionStatus) -> &'static str {
    match status {
        ConnectionStatus::Active => t.status_active,
        ConnectionStatus::ExpiringSoon { .. } => t.status_expiring_soon,
        ConnectionStatus::Expired => t.status_expired,
        ConnectionStatus::Revoked => t.status_revoked,
        ConnectionStatus::AccessDenied => t.status_access_denied,
        ConnectionStatus::Unverified => t.status_unverified,
    }
}

/// "Access expires in 12 days", "Expired (3 days ago)", "No expiry"…
///
/// None when there is nothing to count: the expiry feature is off, or Amazon refuses the access now (the days left
/// of a grant Amazon no longer accepts would mislead; the status and the guide say what to do).
pub(crate) fn countdown(t: &Texts, view: &ConnectionView) -> Option<String> {
    if view.connection.grant.revoked_at.is_some() {
        return Some(t.countdown_revoked.to_owned());
    }
    if view.status == ConnectionStatus::AccessDenied {
        return None;
    }
    match view.days_until_expiry {
        None => None,
        Some(0) => Some(t.expires_today.to_owned()),
        Some(days) if days > 0 => Some((t.days_left)(days)),
        Some(days) => Some((t.expired_days_ago)(-days)),
    }
}

/// The words and CSS class of a sync run's outcome.
pub(crate) fn sync_outcome(t: &Texts, run: &SyncRun) -> (&'static str, &'static str) {
    match run.result.as_ref().map(|r| r.outcome) {
        None => (t.sync_running, "running"),
        Some(SyncOutcome::Ok) => (t.sync_ok, "ok"),
        // Shown with the badge of a connection whose access is lost.
        Some(SyncOutcome::PausedAccessDenied) => {
            (t.sync_paused, status_class(ConnectionStatus::AccessDenied))
        }
        Some(SyncOutcome::Failed) => (t.sync_failed, "failed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_read_in_japan_time() {
        let at: Timestamp = "2026-04-16T15:30:00Z".parse().unwrap();
        assert_eq!(jst(at), "2026-04-17 00:30 JST");
        assert_eq!(date("2019-04-17".parse().unwrap()), "2019-04-17");
        assert_eq!(or_dash(None), "—");
    }
}
