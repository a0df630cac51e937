use jiff::Timestamp;
use jiff::civil::date;

use super::*;
use crate::marketplace;

fn japan() -> &'static Marketplace {
    marketplace::find(marketplace::JAPAN_ID).unwrap()
}

/// An instant written as Japan local time.
fn jst(text: &str) -> Timestamp {
    format!("{text}+09:00[Asia/Tokyo]")
        .parse::<jiff::ZonedDateTime>()
        .unwrap()
        .timestamp()
}

fn mws_grant(at: &str) -> AccessGrant {
    AccessGrant::new(jst(at), japan(), RenewalTerm::OneYear, true)
}

#[test]
fn r1_the_guides_example_expires_one_year_after_the_grant_day() {
    let grant = mws_grant("2018-04-17T10:26:33");
    assert_eq!(grant.last_approved_on, date(2018, 4, 17));
    assert_eq!(grant.expires_on(), Some(date(2019, 4, 17)));
    assert_eq!(grant.expires_at(), Some(jst("2019-04-17T00:00:00")));
    assert_eq!(grant.validity(jst("2019-04-16T23:59:59")), Validity::Valid);
    assert_eq!(
        grant.validity(jst("2019-04-17T00:00:00")),
        Validity::Expired
    );
}

#[test]
fn grant_days_follow_japan_time_not_utc() {
    // 00:30 JST on the 17th is still the 16th in UTC: Seller Central shows the 17th.
    let early = AccessGrant::new(
        "2018-04-16T15:30:00Z".parse().unwrap(),
        japan(),
        RenewalTerm::OneYear,
        true,
    );
    assert_eq!(early.last_approved_on, date(2018, 4, 17));
    assert_eq!(early.expires_on(), Some(date(2019, 4, 17)));
    // 23:59 JST on the 17th is 14:59 UTC the same day.
    let late = mws_grant("2018-04-17T23:59:59");
    assert_eq!(late.expires_on(), Some(date(2019, 4, 17)));
    // Expiry begins at 15:00 UTC the day before the expiry date.
    assert_eq!(
        early.validity("2019-04-16T14:59:59Z".parse().unwrap()),
        Validity::Valid
    );
    assert_eq!(
        early.validity("2019-04-16T15:00:00Z".parse().unwrap()),
        Validity::Expired
    );
}

#[test]
fn feb_29_plus_one_year_is_feb_28() {
    let grant = mws_grant("2020-02-29T12:00:00");
    assert_eq!(grant.expires_on(), Some(date(2021, 2, 28)));
    let renewed = mws_grant("2023-03-01T09:00:00")
        .renew(jst("2024-02-29T09:00:00"))
        .unwrap();
    assert_eq!(renewed.expires_on(), Some(date(2025, 2, 28)));
    // SP-API's 365 days from Feb 29 lands on Feb 28 too, but from Mar 1 2023 it lands on Feb 29 2024.
    let spapi = AccessGrant::new(
        jst("2023-03-01T09:00:00"),
        japan(),
        RenewalTerm::Days365,
        true,
    );
    assert_eq!(spapi.expires_on(), Some(date(2024, 2, 29)));
}

#[test]
fn r2_renew_while_valid_moves_expiry_to_one_year_from_the_renewal_day() {
    let grant = mws_grant("2018-04-17T10:26:33");
    let renewed = grant.renew(jst("2019-03-20T18:00:00")).unwrap();
    assert_eq!(renewed.last_approved_on, date(2019, 3, 20));
    assert_eq!(renewed.expires_on(), Some(date(2020, 3, 20)));
    assert_eq!(
        renewed.granted_at, grant.granted_at,
        "the grant date never changes"
    );
    // The last valid moment: the day before the expiry date, 23:59 JST.
    let last_minute = grant.renew(jst("2019-04-16T23:59:00")).unwrap();
    assert_eq!(last_minute.expires_on(), Some(date(2020, 4, 16)));
}

#[test]
fn renewal_on_the_expiry_day_itself_is_a_restore() {
    let grant = mws_grant("2018-04-17T10:26:33");
    let on_expiry_day = jst("2019-04-17T09:00:00");
    assert_eq!(
        grant.renew(on_expiry_day),
        Err(LifecycleError::ExpiredUseRestore {
            expired_on: date(2019, 4, 17)
        })
    );
    let restored = grant.restore(on_expiry_day).unwrap();
    assert_eq!(restored.last_approved_on, date(2019, 4, 17));
    assert_eq!(restored.expires_on(), Some(date(2020, 4, 17)));
}

#[test]
fn r3_restore_only_after_expiry() {
    let grant = mws_grant("2018-04-17T10:26:33");
    assert_eq!(
        grant.restore(jst("2019-01-01T00:00:00")),
        Err(LifecycleError::NotExpiredUseRenew {
            expires_on: date(2019, 4, 17)
        })
    );
    let restored = grant.restore(jst("2019-06-01T10:00:00")).unwrap();
    assert_eq!(restored.expires_on(), Some(date(2020, 6, 1)));
    assert_eq!(
        restored.validity(jst("2019-06-01T10:00:01")),
        Validity::Valid
    );
}

#[test]
fn r4_disabled_expiry_means_no_date_and_nothing_to_renew() {
    let grant = AccessGrant::new(
        jst("2018-04-17T10:26:33"),
        japan(),
        RenewalTerm::OneYear,
        false,
    );
    assert_eq!(grant.expires_on(), None);
    assert_eq!(grant.expires_at(), None);
    assert_eq!(grant.validity(jst("2030-01-01T00:00:00")), Validity::Valid);
    assert_eq!(
        grant.status(jst("2030-01-01T00:00:00"), &StatusPolicy::default()),
        AccessStatus::Active
    );
    assert_eq!(
        grant.renew(jst("2019-01-01T00:00:00")),
        Err(LifecycleError::ExpiryDisabled)
    );
    assert_eq!(
        grant.restore(jst("2019-01-01T00:00:00")),
        Err(LifecycleError::ExpiryDisabled)
    );
}

#[test]
fn r5_enabling_expiry_is_irreversible_and_counts_from_the_last_approval() {
    let grant = AccessGrant::new(
        jst("2018-04-17T10:26:33"),
        japan(),
        RenewalTerm::OneYear,
        false,
    );
    let enabled = grant.enable_expiry().unwrap();
    assert_eq!(enabled.expires_on(), Some(date(2019, 4, 17)));
    assert_eq!(
        enabled.enable_expiry(),
        Err(LifecycleError::ExpiryAlreadyEnabled)
    );
    // Enabled long after: expired at once; restore brings it back.
    assert_eq!(
        enabled.validity(jst("2020-01-01T00:00:00")),
        Validity::Expired
    );
    assert!(enabled.restore(jst("2020-01-01T00:00:00")).is_ok());
    // There is no operation that disables it again: the only constructor of `Disabled` is a new grant.
}

#[test]
fn revoke_is_terminal() {
    let grant = mws_grant("2018-04-17T10:26:33");
    let revoked = grant.revoke(jst("2018-05-01T12:00:00")).unwrap();
    assert_eq!(
        revoked.validity(jst("2018-05-01T12:00:01")),
        Validity::Revoked
    );
    assert_eq!(
        revoked.revoke(jst("2018-05-02T00:00:00")),
        Err(LifecycleError::AlreadyRevoked)
    );
    let refused = Err(LifecycleError::Revoked {
        revoked_on: date(2018, 5, 1),
    });
    assert_eq!(revoked.renew(jst("2018-05-02T00:00:00")), refused);
    assert_eq!(revoked.restore(jst("2019-05-02T00:00:00")), refused);
    assert_eq!(revoked.enable_expiry(), refused);
}

#[test]
fn status_is_derived_with_a_configurable_threshold() {
    let grant = mws_grant("2018-04-17T10:26:33");
    let policy = StatusPolicy::default();
    assert_eq!(
        grant.status(jst("2019-03-17T12:00:00"), &policy),
        AccessStatus::Active
    );
    assert_eq!(
        grant.status(jst("2019-03-18T00:00:00"), &policy),
        AccessStatus::ExpiringSoon { days_left: 30 }
    );
    assert_eq!(
        grant.status(jst("2019-04-16T23:00:00"), &policy),
        AccessStatus::ExpiringSoon { days_left: 1 }
    );
    assert_eq!(
        grant.status(jst("2019-04-17T00:00:00"), &policy),
        AccessStatus::Expired
    );
    let week = StatusPolicy {
        expiring_soon_within_days: 7,
    };
    assert_eq!(
        grant.status(jst("2019-04-01T00:00:00"), &week),
        AccessStatus::Active
    );
    assert_eq!(
        grant.days_until_expiry(jst("2019-04-20T00:00:00")),
        Some(-3)
    );
}

#[test]
fn access_denied_is_set_by_amazon_and_cleared_by_verification() {
    let grant = mws_grant("2018-04-17T10:26:33");
    let first = AccessDenial {
        at: jst("2018-06-01T00:00:00"),
        cause: RefusalCause::SellerAccess,
        detail: "AccessDenied".into(),
    };
    let denied = grant.deny_access(first.clone());
    let again = denied.deny_access(AccessDenial {
        at: jst("2018-06-02T00:00:00"),
        ..first.clone()
    });
    assert_eq!(
        again.access_denied.as_ref().unwrap().at,
        first.at,
        "an incident keeps its first time"
    );
    let policy = StatusPolicy::default();
    assert_eq!(
        denied.status(jst("2018-06-03T00:00:00"), &policy),
        AccessStatus::AccessDenied
    );
    // Expiry and revocation explain more than a bare refusal, so they win.
    assert_eq!(
        denied.status(jst("2019-05-01T00:00:00"), &policy),
        AccessStatus::Expired
    );
    assert_eq!(
        denied
            .clear_access_denied()
            .status(jst("2018-06-03T00:00:00"), &policy),
        AccessStatus::Active
    );
}

#[test]
fn grants_read_off_seller_central_are_checked() {
    let home = japan();
    let grant = AccessGrant::from_seller_central(
        jst("2018-04-17T10:26:33"),
        Some(date(2019, 3, 1)),
        None,
        home,
        RenewalTerm::OneYear,
    )
    .unwrap();
    assert_eq!(grant.expires_on(), Some(date(2020, 3, 1)));
    assert_eq!(
        AccessGrant::from_seller_central(
            jst("2018-04-17T10:26:33"),
            Some(date(2018, 4, 1)),
            None,
            home,
            RenewalTerm::OneYear
        ),
        Err(LifecycleError::ApprovalBeforeGrant {
            last_approved_on: date(2018, 4, 1),
            granted_on: date(2018, 4, 17)
        })
    );
    assert!(
        AccessGrant::from_seller_central(
            jst("2018-04-17T10:26:33"),
            None,
            Some(Expiry::Enabled {
                expires_on: date(2018, 4, 17)
            }),
            home,
            RenewalTerm::OneYear
        )
        .is_err()
    );
}

#[test]
fn every_refusal_has_a_japanese_message() {
    let errors = [
        LifecycleError::Revoked {
            revoked_on: date(2018, 5, 1),
        },
        LifecycleError::ExpiredUseRestore {
            expired_on: date(2019, 4, 17),
        },
        LifecycleError::NotExpiredUseRenew {
            expires_on: date(2019, 4, 17),
        },
        LifecycleError::ExpiryDisabled,
        LifecycleError::ExpiryAlreadyEnabled,
        LifecycleError::AlreadyRevoked,
    ];
    for err in errors {
        assert!(!err.to_string().is_empty());
        assert!(
            err.message_ja()
                .chars()
                .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
            "{}",
            err.message_ja()
        );
    }
}

#[test]
fn renewal_and_restore_on_the_day_they_were_done() {
    let grant = AccessGrant::new(
        jst("2018-04-17T10:26:33"),
        japan(),
        RenewalTerm::OneYear,
        true,
    );
    let now = jst("2019-04-20T09:00:00");
    // Approved in Seller Central on 2019-04-10, recorded ten days later: the year counts from the 10th.
    let renewed = grant.renew_on(date(2019, 4, 10), now).unwrap();
    assert_eq!(renewed.expires_on(), Some(date(2020, 4, 10)));
    // On the 17th access had lapsed: that is a restore, from that day.
    assert!(matches!(
        grant.renew_on(date(2019, 4, 17), now),
        Err(LifecycleError::ExpiredUseRestore { .. })
    ));
    let restored = grant.restore_on(date(2019, 4, 18), now).unwrap();
    assert_eq!(restored.expires_on(), Some(date(2020, 4, 18)));
    assert!(matches!(
        grant.restore_on(date(2019, 4, 16), now),
        Err(LifecycleError::NotExpiredUseRenew { .. })
    ));
    let future = grant.restore_on(date(2019, 4, 21), now).unwrap_err();
    assert_eq!(future.field(), Some(DateField::ActionOn));
    let early = grant.renew_on(date(2018, 4, 1), now).unwrap_err();
    assert!(matches!(early, LifecycleError::BeforeLastApproval { .. }));
}
