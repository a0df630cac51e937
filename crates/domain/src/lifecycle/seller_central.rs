//! The dates a merchant reads off Seller Central's permissions page (権限の付与日, 前回承認日, アクセス権の有効期限日,
//! or 有効期限なし), parsed and checked once for every way in: the web wizard, the CLI and a replaced token.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use super::{AccessGrant, Expiry, LifecycleError, RenewalTerm};
use crate::marketplace::Marketplace;

/// The first day a grant can carry: MWS developer access did not exist before 2009, so an earlier date is a typo.
pub const EARLIEST_GRANT_DAY: Date = jiff::civil::date(2009, 1, 1);

/// A date a person types about a grant, named as Seller Central names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    /// 権限の付与日: when access was granted.
    GrantedOn,
    /// 前回承認日: the last approval (or restore).
    LastApprovedOn,
    /// アクセス権の有効期限日: the first day without access.
    ExpiresOn,
    /// The day the merchant approved or restored access in Seller Central.
    ActionOn,
}

impl DateField {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::GrantedOn => "granted_on",
            Self::LastApprovedOn => "last_approved_on",
            Self::ExpiresOn => "expires_on",
            Self::ActionOn => "on",
        }
    }

    /// The field as Seller Central's English pages name it.
    pub fn label_en(self) -> &'static str {
        match self {
            Self::GrantedOn => "Grant date",
            Self::LastApprovedOn => "Last approval date",
            Self::ExpiresOn => "Access expiry date",
            Self::ActionOn => "Date done in Seller Central",
        }
    }

    /// The field as Seller Central's Japanese pages name it.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::GrantedOn => "権限の付与日",
            Self::LastApprovedOn => "前回承認日",
            Self::ExpiresOn => "アクセス権の有効期限日",
            Self::ActionOn => "セラーセントラルで操作した日",
        }
    }

    /// Parses `YYYY-MM-DD`; an empty text is `None`.
    pub fn parse(self, text: &str) -> Result<Option<Date>, LifecycleError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<Date>()
            .map(Some)
            .map_err(|_| LifecycleError::NotADate {
                field: self,
                given: text.chars().take(40).collect(),
            })
    }
}

/// What Seller Central shows for one grant; every date is optional and defaults to a grant made now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SellerCentralDates {
    /// When access was granted; default now.
    pub granted_at: Option<Timestamp>,
    /// The last approval date, if later than the grant day.
    pub last_approved_on: Option<Date>,
    /// The expiry date, or `Some(Expiry::Disabled)` when the expiry feature is off; default one term after the
    /// last approval.
    pub expiry: Option<Expiry>,
}

impl SellerCentralDates {
    /// The dates as typed in a form: `YYYY-MM-DD` or empty, and the 有効期限なし box. The grant date stands for
    /// 00:00 of that day in the home marketplace's time zone. Reports the first field that does not parse.
    pub fn from_form(
        granted_on: &str,
        last_approved_on: &str,
        expires_on: &str,
        no_expiry: bool,
        home: &Marketplace,
    ) -> Result<Self, LifecycleError> {
        let granted_at = DateField::GrantedOn
            .parse(granted_on)?
            .map(|day| start_of(day, home))
            .transpose()?;
        let last_approved_on = DateField::LastApprovedOn.parse(last_approved_on)?;
        let expires_on = DateField::ExpiresOn.parse(expires_on)?;
        let expiry = match (no_expiry, expires_on) {
            (true, Some(_)) => return Err(LifecycleError::ExpiryDateWithoutExpiry),
            (true, None) => Some(Expiry::Disabled),
            (false, day) => day.map(|expires_on| Expiry::Enabled { expires_on }),
        };
        Ok(Self {
            granted_at,
            last_approved_on,
            expiry,
        })
    }

    /// The grant these dates describe at `now`: nothing in the future, the last approval not before the grant,
    /// the expiry after the last approval and at most one term after it (see
    /// [`AccessGrant::from_seller_central`]).
    pub fn grant(
        &self,
        now: Timestamp,
        home: &Marketplace,
        term: RenewalTerm,
    ) -> Result<AccessGrant, LifecycleError> {
        let granted_at = self.granted_at.unwrap_or(now);
        let tz = TimeZone::get(home.time_zone)
            .map_err(|_| LifecycleError::UnknownTimeZone(home.time_zone.to_owned()))?;
        let today = now.to_zoned_datetime(tz.clone()).date();
        let out_of_range = |field, date: Date| {
            if date < EARLIEST_GRANT_DAY {
                Err(LifecycleError::BeforeMwsExisted { field, date })
            } else if date > today {
                Err(LifecycleError::InTheFuture { field, date, today })
            } else {
                Ok(())
            }
        };
        out_of_range(
            DateField::GrantedOn,
            granted_at.to_zoned_datetime(tz).date(),
        )?;
        if let Some(day) = self.last_approved_on {
            out_of_range(DateField::LastApprovedOn, day)?;
        }
        AccessGrant::from_seller_central(granted_at, self.last_approved_on, self.expiry, home, term)
    }
}

fn start_of(day: Date, home: &Marketplace) -> Result<Timestamp, LifecycleError> {
    day.in_tz(home.time_zone)
        .map(|zoned| zoned.timestamp())
        .map_err(|_| LifecycleError::UnknownTimeZone(home.time_zone.to_owned()))
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::ids::MarketplaceId;

    fn now() -> Timestamp {
        "2026-03-10T03:00:00Z".parse().unwrap()
    }

    fn check(
        granted: &str,
        approved: &str,
        expires: &str,
        off: bool,
    ) -> Result<AccessGrant, LifecycleError> {
        let home = MarketplaceId::japan().marketplace();
        SellerCentralDates::from_form(granted, approved, expires, off, home)?.grant(
            now(),
            home,
            RenewalTerm::OneYear,
        )
    }

    #[test]
    fn the_dates_seller_central_shows_are_kept() {
        let grant = check("2026-01-10", "", "2027-01-10", false).unwrap();
        assert_eq!(grant.expires_on(), Some(date(2027, 1, 10)));
        assert_eq!(grant.last_approved_on, date(2026, 1, 10));
        assert_eq!(
            check("2025-05-01", "", "", true).unwrap().expiry,
            Expiry::Disabled
        );
        let today = check("", "", "", false).unwrap();
        assert_eq!(today.expires_on(), Some(date(2027, 3, 10)));
    }

    #[test]
    fn each_problem_names_its_field() {
        let field = |r: Result<AccessGrant, LifecycleError>| r.unwrap_err().field();
        assert_eq!(
            field(check("2026-03-11", "", "", false)),
            Some(DateField::GrantedOn)
        );
        assert_eq!(
            field(check("2026-01-10", "2026-03-11", "", false)),
            Some(DateField::LastApprovedOn)
        );
        assert_eq!(
            field(check("2026-01-10", "2026-01-09", "", false)),
            Some(DateField::LastApprovedOn)
        );
        assert_eq!(
            field(check("2026-01-10", "", "2027-01-11", false)),
            Some(DateField::ExpiresOn)
        );
        assert_eq!(
            field(check("2026-01-10", "", "2026-01-10", false)),
            Some(DateField::ExpiresOn)
        );
        assert_eq!(
            field(check("2026-01-10", "", "2027-01-10", true)),
            Some(DateField::ExpiresOn)
        );
        assert_eq!(
            field(check("10/01/2026", "", "", false)),
            Some(DateField::GrantedOn)
        );
        assert_eq!(
            field(check("2008-12-31", "", "", false)),
            Some(DateField::GrantedOn)
        );
        assert_eq!(
            field(check("2026-01-10", "0001-01-01", "", false)),
            Some(DateField::LastApprovedOn)
        );
        assert_eq!(
            field(check("2026-01-10", "", "2099-01-01", false)),
            Some(DateField::ExpiresOn)
        );
        check("2009-01-01", "", "", false).unwrap();
        let ancient = check("0000-01-01", "", "", false).unwrap_err();
        assert!(ancient.to_string().contains("2009-01-01"), "{ancient}");
        assert!(
            ancient.message_ja().contains("権限の付与日"),
            "{}",
            ancient.message_ja()
        );
        let beyond = check("2026-01-10", "", "2027-02-01", false).unwrap_err();
        assert!(
            beyond.message_ja().contains("アクセス権の有効期限日"),
            "{}",
            beyond.message_ja()
        );
        assert!(beyond.to_string().contains("2027-01-10"), "{beyond}");
    }
}
