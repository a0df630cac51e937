//! A seller's authorization of an app and what hangs off it: refresh tokens, access tokens,
//! one-time authorization codes and the `amazon_state` of a re-authorization in progress.

use std::fmt;

use jiff::{SignedDuration, Timestamp};

/// An authorization lasts this long from the last (re)authorization.
pub const AUTHORIZATION_LIFETIME: SignedDuration = SignedDuration::from_hours(365 * 24);
/// Manage Your Apps warns when fewer than this many days remain.
pub const EXPIRY_WARNING: SignedDuration = SignedDuration::from_hours(30 * 24);
/// An `spapi_oauth_code` must be exchanged within this time.
pub const CODE_LIFETIME: SignedDuration = SignedDuration::from_secs(5 * 60);
/// An access token works this long (`expires_in`).
pub const ACCESS_TOKEN_LIFETIME: SignedDuration = SignedDuration::from_secs(3600);
/// An `amazon_state` handed to an app's log-in URI must come back within this time (a sandbox
/// choice; Amazon does not document one).
pub const AMAZON_STATE_LIFETIME: SignedDuration = SignedDuration::from_hours(1);

/// Where an authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationStatus {
    /// Calls work.
    Active,
    /// 365 days passed without re-authorization.
    Expired,
    /// The seller revoked it.
    Revoked,
}

impl AuthorizationStatus {
    /// `active`, `expired` or `revoked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
        }
    }
}

/// One refresh token issued under an authorization. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedRefreshToken {
    /// `Atzr|…`.
    pub token: String,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// The authorization period it belongs to (see [`SpApiAuthorization::period`]).
    pub period: u32,
}

impl fmt::Debug for IssuedRefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedRefreshToken")
            .field("token", &"Atzr|<redacted>")
            .field("issued_at", &self.issued_at)
            .field("period", &self.period)
            .finish()
    }
}

/// A seller's authorization of one app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpApiAuthorization {
    /// The seller (`selling_partner_id`).
    pub seller_id: String,
    /// The app.
    pub application_id: String,
    /// The first authorization.
    pub first_authorized_at: Timestamp,
    /// The last (re)authorization.
    pub authorized_at: Timestamp,
    /// `authorized_at` + 365 days.
    pub expires_at: Timestamp,
    /// When the seller revoked it, if they did (and did not authorize again since).
    pub revoked_at: Option<Timestamp>,
    /// Counts fresh starts after a lapse or revocation; tokens of an older period are dead.
    pub period: u32,
    /// Every refresh token issued, oldest first.
    pub refresh_tokens: Vec<IssuedRefreshToken>,
}

impl SpApiAuthorization {
    /// A new authorization made at `now`.
    pub fn new(seller_id: &str, application_id: &str, now: Timestamp) -> Self {
        Self {
            seller_id: seller_id.to_owned(),
            application_id: application_id.to_owned(),
            first_authorized_at: now,
            authorized_at: now,
            expires_at: now
                .saturating_add(AUTHORIZATION_LIFETIME)
                .unwrap_or(Timestamp::MAX),
            revoked_at: None,
            period: 0,
            refresh_tokens: Vec::new(),
        }
    }

    /// The status at `now`: revoked wins; expired from `expires_at` on.
    pub fn status(&self, now: Timestamp) -> AuthorizationStatus {
        if self.revoked_at.is_some() {
            AuthorizationStatus::Revoked
        } else if now >= self.expires_at {
            AuthorizationStatus::Expired
        } else {
            AuthorizationStatus::Active
        }
    }

    /// Re-authorization at `now`: 365 days from now. A lapsed or revoked authorization starts a
    /// new period, so its old tokens stay dead.
    pub fn renew(&mut self, now: Timestamp) {
        if self.status(now) != AuthorizationStatus::Active {
            self.period += 1;
        }
        self.revoked_at = None;
        self.authorized_at = now;
        self.expires_at = now
            .saturating_add(AUTHORIZATION_LIFETIME)
            .unwrap_or(Timestamp::MAX);
    }

    /// Whether tokens of `period` work at `now`.
    pub fn admits(&self, period: u32, now: Timestamp) -> bool {
        period == self.period && self.status(now) == AuthorizationStatus::Active
    }

    /// Whether Manage Your Apps should warn at `now` (active, fewer than 30 days left).
    pub fn expires_soon(&self, now: Timestamp) -> bool {
        self.status(now) == AuthorizationStatus::Active
            && self.expires_at.duration_since(now) < EXPIRY_WARNING
    }

    /// Whole days left at `now` (0 once expired).
    pub fn days_left(&self, now: Timestamp) -> i64 {
        let left = self.expires_at.duration_since(now);
        if left.is_negative() {
            0
        } else {
            left.as_secs().div_euclid(86_400)
        }
    }
}

/// A one-time `spapi_oauth_code`.
#[derive(Clone)]
pub(crate) struct AuthCode {
    pub seller_id: String,
    pub application_id: String,
    pub redirect_uri: String,
    pub period: u32,
    pub expires_at: Timestamp,
    pub used: bool,
}

impl fmt::Debug for AuthCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthCode")
            .field("seller_id", &self.seller_id)
            .field("application_id", &self.application_id)
            .field("expires_at", &self.expires_at)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

/// Who an access token speaks for.
#[derive(Debug, Clone)]
pub(crate) struct AccessTokenRecord {
    /// `None` for a grantless (client-credentials) token.
    pub seller_id: Option<String>,
    pub application_id: String,
    pub period: u32,
    pub expires_at: Timestamp,
}

/// An `amazon_state` issued when a seller re-authorizes from Manage Your Apps.
#[derive(Debug, Clone)]
pub(crate) struct AmazonState {
    pub seller_id: String,
    pub application_id: String,
    pub expires_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn lapses_after_365_days_and_renewal_after_a_lapse_starts_a_new_period() {
        let t0 = at("2024-03-01T03:00:00Z");
        let mut auth = SpApiAuthorization::new("A1", "app", t0);
        assert_eq!(auth.expires_at, at("2025-03-01T03:00:00Z"));
        assert!(auth.admits(0, at("2025-03-01T02:59:59Z")));
        assert!(auth.expires_soon(at("2025-02-01T03:00:01Z")));
        assert!(!auth.expires_soon(at("2025-01-01T00:00:00Z")));
        assert_eq!(auth.days_left(at("2025-02-27T03:00:00Z")), 2);
        let lapsed = at("2025-03-01T03:00:00Z");
        assert_eq!(auth.status(lapsed), AuthorizationStatus::Expired);
        assert!(!auth.admits(0, lapsed));
        auth.renew(lapsed);
        assert_eq!(auth.period, 1);
        assert!(auth.admits(1, lapsed) && !auth.admits(0, lapsed));
        // Renewing while active keeps the period (older tokens keep working).
        auth.renew(at("2025-06-01T00:00:00Z"));
        assert_eq!(auth.period, 1);
        auth.revoked_at = Some(at("2025-06-02T00:00:00Z"));
        assert_eq!(
            auth.status(at("2025-06-02T00:00:00Z")),
            AuthorizationStatus::Revoked
        );
        auth.renew(at("2025-06-03T00:00:00Z"));
        assert_eq!((auth.period, auth.revoked_at), (2, None));
    }
}
