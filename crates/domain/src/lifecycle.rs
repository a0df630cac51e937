//! The access lifecycle of a seller's grant, exactly as the merchant guide describes it (rules R1–R5 of
//! `docs/GRANT-RULES.md`), plus SP-API's 365-day authorization which follows the same shape.
//!
//! Definitions (written down because the guide leaves them implicit):
//! - Dates are civil dates in the time zone of the connection's home marketplace (Asia/Tokyo for Amazon.co.jp),
//!   because that is the calendar Seller Central shows. A grant at 2018-04-17 10:26:33 JST was granted on
//!   2018-04-17 even though it was still 2018-04-17 01:26 UTC — and one at 00:30 JST on the 17th is on the 17th
//!   although UTC says the 16th.
//! - R1: expiry date = approval date + one term. MWS's term is one calendar year (Feb 29 + 1 year = Feb 28);
//!   SP-API's is 365 days.
//! - Access is deactivated **on** the expiry date: from 00:00 local time of that date the grant is expired.
//!   So "renewal on the expiry day itself" is refused as a renewal (R2 needs valid access) and is done as a
//!   restore (R3) — with the same result, a new expiry one term from that day.
//! - R4: with the expiry feature disabled there is no expiry date; renew and restore have nothing to act on.
//! - R5: enabling is irreversible and applies R1 from the last approval date (which can leave the grant expired
//!   at once, exactly as Seller Central would).
//! - Revoke is terminal: a revoked grant cannot be renewed or restored; the seller grants access anew.
//! - "Access denied" is not a date rule: it records that Amazon refused the credential, and only a successful
//!   verification clears it.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::marketplace::Marketplace;
use crate::refusal::RefusalCause;

mod seller_central;

pub use seller_central::{DateField, SellerCentralDates};

/// How long one approval lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenewalTerm {
    /// MWS developer access: one calendar year.
    OneYear,
    /// SP-API public-app authorization: 365 days.
    Days365,
}

impl RenewalTerm {
    /// The expiry date of an approval given on `approved_on`.
    pub fn expiry_after(self, approved_on: Date) -> Date {
        match self {
            Self::OneYear => approved_on.saturating_add(1.year()),
            Self::Days365 => approved_on.saturating_add(365.days()),
        }
    }
}

/// Whether the grant's expiry feature is on (R4, R5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Expiry {
    /// No expiry date; access continues without renewal.
    Disabled,
    /// Access is deactivated on `expires_on`.
    Enabled {
        /// The first day without access.
        expires_on: Date,
    },
}

/// Amazon's refusal of a credential, as classified by the client that met it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDenial {
    /// When the refusal happened.
    pub at: Timestamp,
    /// Who must act, as classified from Amazon's answer; stored and serialised as its stable code.
    pub cause: RefusalCause,
    /// Amazon's own error code and message, for the operator.
    pub detail: String,
}

/// The dates and flags of one grant of access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessGrant {
    /// When the seller granted access.
    pub granted_at: Timestamp,
    /// The last day access was granted, approved or restored.
    pub last_approved_on: Date,
    /// The expiry feature's state and date.
    pub expiry: Expiry,
    /// How long one approval lasts.
    pub term: RenewalTerm,
    /// The IANA time zone whose calendar the dates use.
    pub time_zone: String,
    /// Set once the grant is revoked.
    pub revoked_at: Option<Timestamp>,
    /// Set while Amazon refuses the credential.
    pub access_denied: Option<AccessDenial>,
}

/// Whether the dates alone allow access at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// Access is within its term (or has no expiry).
    Valid,
    /// The expiry date has been reached.
    Expired,
    /// The seller revoked access.
    Revoked,
}

/// The status shown to people, derived at an instant; never stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum AccessStatus {
    /// Valid, and the expiry (if any) is further away than the warning threshold.
    Active,
    /// Valid, but the expiry date is within the threshold.
    ExpiringSoon {
        /// Whole days from today until the expiry date (1 = expires tomorrow).
        days_left: i32,
    },
    /// The expiry date has been reached: restore access in Seller Central.
    Expired,
    /// The seller revoked access.
    Revoked,
    /// Amazon refused the credential although the dates say it is valid.
    AccessDenied,
}

/// Settings of the derived status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusPolicy {
    /// A grant whose expiry date is at most this many days away counts as expiring soon.
    pub expiring_soon_within_days: i32,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        Self {
            expiring_soon_within_days: 30,
        }
    }
}

/// A lifecycle action that the rules refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    #[error(
        "access was revoked on {revoked_on}; the seller must grant access again, which issues a new token"
    )]
    Revoked { revoked_on: Date },
    #[error(
        "access expired on {expired_on}; it can no longer be approved (renewed) — use restore instead"
    )]
    ExpiredUseRestore { expired_on: Date },
    #[error(
        "access is still valid until {expires_on}; restore is only for expired access — use renew (approve access) instead"
    )]
    NotExpiredUseRenew { expires_on: Date },
    #[error(
        "the expiry feature is disabled, so access never expires and there is nothing to renew or restore"
    )]
    ExpiryDisabled,
    #[error("the expiry feature is already enabled and cannot be switched off again")]
    ExpiryAlreadyEnabled,
    #[error("access is already revoked")]
    AlreadyRevoked,
    #[error("the expiry date {expires_on} must be after the last approval date {last_approved_on}")]
    ExpiryBeforeApproval {
        expires_on: Date,
        last_approved_on: Date,
    },
    #[error("the last approval date {last_approved_on} is before the grant date {granted_on}")]
    ApprovalBeforeGrant {
        last_approved_on: Date,
        granted_on: Date,
    },
    #[error(
        "the expiry date {expires_on} is more than a year after the last approval date {last_approved_on}; Seller Central shows {latest} at the latest"
    )]
    ExpiryBeyondTerm {
        expires_on: Date,
        last_approved_on: Date,
        latest: Date,
    },
    #[error("{}: {date} is in the future (today is {today}); enter the date Seller Central shows", .field.label_en())]
    InTheFuture {
        field: DateField,
        date: Date,
        today: Date,
    },
    #[error(
        "{}: {date} is before {}, when MWS developer access began; enter the date Seller Central shows (YYYY-MM-DD)",
        .field.label_en(), seller_central::EARLIEST_GRANT_DAY
    )]
    BeforeMwsExisted { field: DateField, date: Date },
    #[error(
        "{}: {on} is before the last approval date {last_approved_on}; enter the day it was done in Seller Central", .field.label_en()
    )]
    BeforeLastApproval {
        field: DateField,
        on: Date,
        last_approved_on: Date,
    },
    #[error("{}: {given:?} is not a date; expected YYYY-MM-DD, e.g. 2019-04-17", .field.label_en())]
    NotADate { field: DateField, given: String },
    #[error(
        "an expiry date was entered although the expiry feature is off; leave the expiry date empty or untick \"No expiry\""
    )]
    ExpiryDateWithoutExpiry,
    #[error(
        "access still works (no revocation, expiry or refusal by Amazon is recorded); the MWS Auth Token is replaced only after that — if Amazon refuses the token, press \"Verify now\" first"
    )]
    TokenStillWorks,
    #[error(
        "this is an SP-API connection: it gets a new refresh token when the seller re-authorizes the app in Seller Central → Manage Your Apps"
    )]
    NotMws,
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
}

impl LifecycleError {
    /// The same refusal in Japanese, using Seller Central's labels.
    pub fn message_ja(&self) -> String {
        match self {
            Self::Revoked { revoked_on } => format!(
                "{revoked_on} にアクセス権が取り消されています。セラーセントラルで改めて開発者にアクセス権を付与してください（新しいトークンが発行されます）。"
            ),
            Self::ExpiredUseRestore { expired_on } => format!(
                "アクセス権は {expired_on} に期限切れになりました。承認（更新）はできません。「アクセス権の復元」を行ってください。"
            ),
            Self::NotExpiredUseRenew { expires_on } => format!(
                "アクセス権は {expires_on} まで有効です。復元は期限切れの場合のみです。「アクセス権を承認」で更新してください。"
            ),
            Self::ExpiryDisabled => {
                "有効期限機能が無効のため、アクセス権に期限はなく、更新・復元の必要はありません。"
                    .to_owned()
            }
            Self::ExpiryAlreadyEnabled => {
                "有効期限機能はすでに有効です。無効に戻すことはできません。".to_owned()
            }
            Self::AlreadyRevoked => "アクセス権はすでに取り消されています。".to_owned(),
            Self::ExpiryBeforeApproval {
                expires_on,
                last_approved_on,
            } => format!(
                "アクセス権の有効期限日 {expires_on} は前回承認日 {last_approved_on} より後の日付である必要があります。"
            ),
            Self::ApprovalBeforeGrant {
                last_approved_on,
                granted_on,
            } => format!(
                "前回承認日 {last_approved_on} が権限の付与日 {granted_on} より前になっています。"
            ),
            Self::ExpiryBeyondTerm {
                expires_on,
                last_approved_on,
                latest,
            } => format!(
                "アクセス権の有効期限日 {expires_on} が前回承認日 {last_approved_on} から1年を超えています。セラーセントラルの表示は遅くとも {latest} です。"
            ),
            Self::InTheFuture { field, date, today } => format!(
                "{}: {date} は未来の日付です（本日は {today}）。セラーセントラルに表示されている日付を入力してください。",
                field.label_ja()
            ),
            Self::BeforeMwsExisted { field, date } => format!(
                "{}: {date} は MWS の開発者アクセスが始まった {} より前の日付です。セラーセントラルに表示されている日付を YYYY-MM-DD の形式で入力してください。",
                field.label_ja(),
                seller_central::EARLIEST_GRANT_DAY
            ),
            Self::BeforeLastApproval {
                field,
                on,
                last_approved_on,
            } => format!(
                "{}: {on} は前回承認日 {last_approved_on} より前です。セラーセントラルで操作した日を入力してください。",
                field.label_ja()
            ),
            Self::NotADate { field, given } => format!(
                "{}: 「{given}」は日付ではありません。YYYY-MM-DD の形式で入力してください（例: 2019-04-17）。",
                field.label_ja()
            ),
            Self::ExpiryDateWithoutExpiry => "有効期限なしにチェックがあるのに、アクセス権の有効期限日が入力されています。どちらか一方にしてください。".to_owned(),
            Self::TokenStillWorks => "アクセス権は有効です（取り消し・期限切れ・Amazon による拒否は記録されていません）。MWS認証トークンの差し替えはその後だけです。Amazon がトークンを拒否する場合は、先に「今すぐ確認」を押してください。".to_owned(),
            Self::NotMws => "SP-API の接続です。セラーセントラルの「アプリの管理」でアプリを「再認可」すると、新しいリフレッシュトークンに更新されます。".to_owned(),
            Self::UnknownTimeZone(zone) => format!("不明なタイムゾーンです: {zone}"),
        }
    }

    /// The date field at fault, for a refusal about one.
    pub fn field(&self) -> Option<DateField> {
        match self {
            Self::ApprovalBeforeGrant { .. } => Some(DateField::LastApprovedOn),
            Self::ExpiryBeforeApproval { .. }
            | Self::ExpiryBeyondTerm { .. }
            | Self::ExpiryDateWithoutExpiry => Some(DateField::ExpiresOn),
            Self::InTheFuture { field, .. }
            | Self::BeforeMwsExisted { field, .. }
            | Self::BeforeLastApproval { field, .. }
            | Self::NotADate { field, .. } => Some(*field),
            _ => None,
        }
    }
}

fn zone(name: &str) -> Result<TimeZone, LifecycleError> {
    TimeZone::get(name).map_err(|_| LifecycleError::UnknownTimeZone(name.to_owned()))
}

impl AccessGrant {
    /// A fresh grant at `granted_at` (R1), with the expiry feature on or off (R4).
    pub fn new(
        granted_at: Timestamp,
        home: &Marketplace,
        term: RenewalTerm,
        expiry_enabled: bool,
    ) -> Self {
        let time_zone = home.time_zone.to_owned();
        let granted_on = granted_at
            .to_zoned_datetime(zone(&time_zone).unwrap_or(TimeZone::UTC))
            .date();
        let expiry = if expiry_enabled {
            Expiry::Enabled {
                expires_on: term.expiry_after(granted_on),
            }
        } else {
            Expiry::Disabled
        };
        Self {
            granted_at,
            last_approved_on: granted_on,
            expiry,
            term,
            time_zone,
            revoked_at: None,
            access_denied: None,
        }
    }

    /// A grant made earlier, as the merchant reads it off Seller Central's permissions page. Missing dates follow
    /// the rules (last approval = grant day; expiry = last approval + term); given ones are checked for order.
    pub fn from_seller_central(
        granted_at: Timestamp,
        last_approved_on: Option<Date>,
        expiry: Option<Expiry>,
        home: &Marketplace,
        term: RenewalTerm,
    ) -> Result<Self, LifecycleError> {
        let mut grant = Self::new(granted_at, home, term, true);
        let granted_on = grant.last_approved_on;
        if let Some(approved) = last_approved_on {
            if approved < granted_on {
                return Err(LifecycleError::ApprovalBeforeGrant {
                    last_approved_on: approved,
                    granted_on,
                });
            }
            grant.last_approved_on = approved;
        }
        grant.expiry = match expiry {
            None => Expiry::Enabled {
                expires_on: term.expiry_after(grant.last_approved_on),
            },
            Some(Expiry::Disabled) => Expiry::Disabled,
            Some(Expiry::Enabled { expires_on }) if expires_on <= grant.last_approved_on => {
                return Err(LifecycleError::ExpiryBeforeApproval {
                    expires_on,
                    last_approved_on: grant.last_approved_on,
                });
            }
            Some(Expiry::Enabled { expires_on })
                if expires_on > term.expiry_after(grant.last_approved_on) =>
            {
                return Err(LifecycleError::ExpiryBeyondTerm {
                    expires_on,
                    last_approved_on: grant.last_approved_on,
                    latest: term.expiry_after(grant.last_approved_on),
                });
            }
            Some(enabled) => enabled,
        };
        Ok(grant)
    }

    /// The civil date of `at` in this grant's calendar.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned_datetime(zone(&self.time_zone).unwrap_or(TimeZone::UTC))
            .date()
    }

    /// The expiry date, if the feature is enabled.
    pub fn expires_on(&self) -> Option<Date> {
        match self.expiry {
            Expiry::Disabled => None,
            Expiry::Enabled { expires_on } => Some(expires_on),
        }
    }

    /// The instant access lapses: 00:00 of the expiry date in the grant's time zone.
    pub fn expires_at(&self) -> Option<Timestamp> {
        let tz = zone(&self.time_zone).unwrap_or(TimeZone::UTC);
        self.expires_on().map(|date| {
            date.to_zoned_datetime(tz)
                .map(|start| start.timestamp())
                .unwrap_or(Timestamp::MAX)
        })
    }

    /// Whole days from `now`'s date to the expiry date (0 on the expiry date, negative after it).
    pub fn days_until_expiry(&self, now: Timestamp) -> Option<i32> {
        let today = self.local_date(now);
        self.expires_on().map(|expires_on| {
            today
                .until(expires_on)
                .map(|span| span.get_days())
                .unwrap_or(i32::MAX)
        })
    }

    /// What the dates alone say at `now`.
    pub fn validity(&self, now: Timestamp) -> Validity {
        if self.revoked_at.is_some() {
            return Validity::Revoked;
        }
        match self.expires_on() {
            Some(expires_on) if self.local_date(now) >= expires_on => Validity::Expired,
            _ => Validity::Valid,
        }
    }

    /// The status at `now`: revoked, then expired, then access denied, then expiring soon or active.
    pub fn status(&self, now: Timestamp, policy: &StatusPolicy) -> AccessStatus {
        match self.validity(now) {
            Validity::Revoked => AccessStatus::Revoked,
            Validity::Expired => AccessStatus::Expired,
            Validity::Valid if self.access_denied.is_some() => AccessStatus::AccessDenied,
            Validity::Valid => match self.days_until_expiry(now) {
                Some(days_left) if days_left <= policy.expiring_soon_within_days => {
                    AccessStatus::ExpiringSoon { days_left }
                }
                _ => AccessStatus::Active,
            },
        }
    }

    fn revoked_on(&self) -> Option<Date> {
        self.revoked_at.map(|at| self.local_date(at))
    }

    fn approved_on(&self, on: Date) -> Self {
        Self {
            last_approved_on: on,
            expiry: Expiry::Enabled {
                expires_on: self.term.expiry_after(on),
            },
            ..self.clone()
        }
    }

    /// What R2 and R3 both need: not revoked, the expiry feature on, and a day that is neither in the future nor
    /// before the last approval. Returns the expiry date and whether access had lapsed by that day.
    fn check_action_day(&self, on: Date, now: Timestamp) -> Result<(Date, bool), LifecycleError> {
        if let Some(revoked_on) = self.revoked_on() {
            return Err(LifecycleError::Revoked { revoked_on });
        }
        let Some(expires_on) = self.expires_on() else {
            return Err(LifecycleError::ExpiryDisabled);
        };
        let today = self.local_date(now);
        if on > today {
            return Err(LifecycleError::InTheFuture {
                field: DateField::ActionOn,
                date: on,
                today,
            });
        }
        if on < self.last_approved_on {
            return Err(LifecycleError::BeforeLastApproval {
                field: DateField::ActionOn,
                on,
                last_approved_on: self.last_approved_on,
            });
        }
        Ok((expires_on, on >= expires_on))
    }

    /// R2 — approve access (renew) today: only while valid; the expiry moves to one term from today.
    pub fn renew(&self, now: Timestamp) -> Result<Self, LifecycleError> {
        self.renew_on(self.local_date(now), now)
    }

    /// R2 on the day `on` the merchant approved access in Seller Central (not in the future): only while access
    /// was valid that day; the expiry moves to one term from `on`.
    pub fn renew_on(&self, on: Date, now: Timestamp) -> Result<Self, LifecycleError> {
        let (expires_on, lapsed) = self.check_action_day(on, now)?;
        if lapsed {
            return Err(LifecycleError::ExpiredUseRestore {
                expired_on: expires_on,
            });
        }
        Ok(self.approved_on(on))
    }

    /// R3 — restore access today: only after expiry; access is back for one term from today.
    pub fn restore(&self, now: Timestamp) -> Result<Self, LifecycleError> {
        self.restore_on(self.local_date(now), now)
    }

    /// R3 on the day `on` the merchant restored access in Seller Central (not in the future): only when access had
    /// lapsed by that day; access is back for one term from `on`.
    pub fn restore_on(&self, on: Date, now: Timestamp) -> Result<Self, LifecycleError> {
        let (expires_on, lapsed) = self.check_action_day(on, now)?;
        if !lapsed {
            return Err(LifecycleError::NotExpiredUseRenew { expires_on });
        }
        Ok(self.approved_on(on))
    }

    /// R4/R5 — switch the expiry feature on, for good; the expiry follows R1 from the last approval.
    pub fn enable_expiry(&self) -> Result<Self, LifecycleError> {
        if let Some(revoked_on) = self.revoked_on() {
            return Err(LifecycleError::Revoked { revoked_on });
        }
        match self.expiry {
            Expiry::Enabled { .. } => Err(LifecycleError::ExpiryAlreadyEnabled),
            Expiry::Disabled => Ok(Self {
                expiry: Expiry::Enabled {
                    expires_on: self.term.expiry_after(self.last_approved_on),
                },
                ..self.clone()
            }),
        }
    }

    /// Revoke access; terminal.
    pub fn revoke(&self, now: Timestamp) -> Result<Self, LifecycleError> {
        if self.revoked_at.is_some() {
            return Err(LifecycleError::AlreadyRevoked);
        }
        Ok(Self {
            revoked_at: Some(now),
            ..self.clone()
        })
    }

    /// Whether a new grant (with a new token) may take this one's place: only once access was revoked, has expired
    /// or Amazon refused the credential.
    pub fn check_replaceable(&self, now: Timestamp) -> Result<(), LifecycleError> {
        match self.validity(now) {
            Validity::Valid if self.access_denied.is_none() => Err(LifecycleError::TokenStillWorks),
            _ => Ok(()),
        }
    }

    /// Whether no call to Amazon should be made with this grant now: Amazon refused the credential (until a
    /// verification clears it) or it was revoked in sellerlink.
    pub fn is_paused(&self) -> bool {
        self.access_denied.is_some() || self.revoked_at.is_some()
    }

    /// Records that Amazon refused the credential. A refusal already on record keeps its first time.
    pub fn deny_access(&self, denial: AccessDenial) -> Self {
        let access_denied = match &self.access_denied {
            Some(first) => Some(AccessDenial {
                at: first.at,
                ..denial
            }),
            None => Some(denial),
        };
        Self {
            access_denied,
            ..self.clone()
        }
    }

    /// Clears a refusal after Amazon accepted the credential again.
    pub fn clear_access_denied(&self) -> Self {
        Self {
            access_denied: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests;
