//! Fixed notifications, so snapshots and signatures are stable.

use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::date;
use uuid::Uuid;

use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{ConnectionId, DeveloperId, SellerId};
use sellerlink_notify::{
    AccessLossCause, Api, ConnectionSummary, Notification, NotificationKind, RetryPolicy,
    SellerCentralHost,
};

/// Waits in tests that are bounded by a deadline rather than a sleep.
pub const WAIT: Duration = Duration::from_secs(10);

/// Retries quickly: 1 ms, 2 ms, … without jitter.
pub fn quick_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy::delivery()
        .with_attempts(attempts)
        .with_delays(Duration::from_millis(1), Duration::from_millis(5))
        .without_jitter()
}

pub fn instant(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn connection(api: Api) -> ConnectionSummary {
    ConnectionSummary {
        connection_id: ConnectionId::parse("01890a5d-ac96-774b-bcce-b302099a8057").unwrap(),
        merchant_name: MerchantName::parse("株式会社さくら雑貨").unwrap(),
        seller_id: SellerId::parse("A1B2C3D4E5F6G7").unwrap(),
        marketplace: "Amazon.co.jp".to_owned(),
        api,
        developer_name: "shippinno".to_owned(),
        developer_id: DeveloperId::parse("525964794073").unwrap(),
        seller_central_host: SellerCentralHost::parse("sellercentral.amazon.co.jp").unwrap(),
    }
}

pub fn notification(kind: NotificationKind, api: Api, language: Language) -> Notification {
    Notification {
        id: Uuid::parse_str("7f3c2a10-4b5e-4c8d-9a01-23456789abcd").unwrap(),
        kind,
        connection: connection(api),
        language,
        created_at: instant("2019-03-18T00:30:00Z"),
    }
}

pub fn expiry_reminder(days_left: i32) -> NotificationKind {
    NotificationKind::ExpiryReminder {
        expires_on: date(2019, 4, 17),
        days_left,
    }
}

pub fn access_lost(cause: AccessLossCause, code: &str, message: &str) -> NotificationKind {
    NotificationKind::AccessLost {
        cause,
        amazon_code: Some(code.to_owned()),
        amazon_message: Some(message.to_owned()),
        detected_at: instant("2019-04-17T15:05:09Z"),
    }
}

/// Every case the templates distinguish: (name, kind, api).
pub fn all_cases() -> Vec<(&'static str, NotificationKind, Api)> {
    vec![
        ("expiry_reminder_mws_30_days", expiry_reminder(30), Api::Mws),
        ("expiry_reminder_mws_today", expiry_reminder(0), Api::Mws),
        (
            "expiry_reminder_sp_api_tomorrow",
            expiry_reminder(1),
            Api::SpApi,
        ),
        (
            "access_lost_mws_access_denied",
            access_lost(
                AccessLossCause::MwsAccessDenied,
                "AccessDenied",
                "Access to Orders.ListOrders is denied",
            ),
            Api::Mws,
        ),
        (
            "access_lost_mws_expired",
            access_lost(
                AccessLossCause::MwsExpired,
                "AccessDenied",
                "Access to Orders.ListOrders is denied",
            ),
            Api::Mws,
        ),
        (
            "access_lost_mws_revoked",
            access_lost(
                AccessLossCause::MwsRevoked,
                "AccessDenied",
                "Access to Orders.ListOrders is denied",
            ),
            Api::Mws,
        ),
        (
            "access_lost_sp_api_authorization_lost",
            access_lost(
                AccessLossCause::SpApiAuthorizationLost,
                "invalid_grant",
                "The request has an invalid grant parameter : refresh_token",
            ),
            Api::SpApi,
        ),
        (
            "access_lost_sp_api_app_secret_expired",
            access_lost(
                AccessLossCause::SpApiAppSecretExpired,
                "invalid_client",
                "Client authentication failed",
            ),
            Api::SpApi,
        ),
        (
            "access_lost_other",
            NotificationKind::AccessLost {
                cause: AccessLossCause::Other("the seller account is suspended".to_owned()),
                amazon_code: None,
                amazon_message: None,
                detected_at: instant("2019-04-17T15:05:09Z"),
            },
            Api::Mws,
        ),
        (
            "access_restored",
            NotificationKind::AccessRestored {
                restored_at: instant("2019-04-18T01:00:00Z"),
            },
            Api::Mws,
        ),
        (
            "app_secret_expiring",
            NotificationKind::AppSecretExpiring {
                expires_on: date(2019, 9, 30),
                days_left: 14,
            },
            Api::SpApi,
        ),
        ("test", NotificationKind::Test, Api::Mws),
    ]
}
