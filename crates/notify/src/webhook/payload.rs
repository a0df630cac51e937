//! The JSON body of a webhook request. The schema is documented in `docs/WEBHOOKS.md`; fields are only
//! ever added, never renamed or removed.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

use sellerlink_domain::connection::Language;

use crate::fix::{FixGuide, fix_for};
use crate::message::{AccessLossCause, Api, ConnectionSummary, Notification, NotificationKind};

/// `{ "id", "type", "created_at", "data" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookPayload {
    /// The notification id, also sent as `Sellerlink-Webhook-Id`; identical when a notification is re-sent.
    pub id: Uuid,
    /// The event type, e.g. `connection.expiry_reminder`.
    #[serde(rename = "type")]
    pub event_type: &'static str,
    /// When the notification was created (RFC 3339, UTC).
    pub created_at: Timestamp,
    /// What the event is about.
    pub data: WebhookData,
}

/// The `data` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookData {
    /// The connection.
    pub connection: ConnectionData,
    /// The language `fix` is written in (the merchant's language).
    pub language: Language,
    /// The fields of this event type, flattened into `data`.
    #[serde(flatten)]
    pub detail: EventDetail,
    /// What to do, when someone has to act; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixGuide>,
}

/// `data.connection`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectionData {
    /// sellerlink's connection id (UUID).
    pub id: String,
    /// The merchant's display name.
    pub merchant_name: String,
    /// The seller account's merchant token.
    pub seller_id: String,
    /// The home marketplace's name.
    pub marketplace: String,
    /// `mws` or `sp_api`.
    pub api: Api,
    /// The developer or app name shown in Seller Central.
    pub developer_name: String,
    /// The developer ID, dashed: `5259-6479-4073`.
    pub developer_id: String,
    /// Seller Central's sign-in page for the marketplace.
    pub seller_central_url: String,
}

/// The event-specific fields of `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EventDetail {
    /// `connection.expiry_reminder` and `connection.app_secret_expiring`.
    Expiry {
        /// `YYYY-MM-DD` (JST calendar).
        expires_on: Date,
        /// Whole days left; 0 = today.
        days_left: i32,
    },
    /// `connection.access_lost`.
    AccessLost {
        /// `mws_access_denied`, `mws_expired`, `mws_revoked`, `sp_api_authorization_lost`,
        /// `sp_api_app_secret_expired` or `other`.
        cause: &'static str,
        /// For `other`: the description; otherwise `null`.
        cause_detail: Option<String>,
        /// Amazon's error code, or `null`.
        amazon_code: Option<String>,
        /// Amazon's error message, or `null`.
        amazon_message: Option<String>,
        /// When sellerlink noticed (RFC 3339, UTC).
        detected_at: Timestamp,
    },
    /// `connection.access_restored`.
    AccessRestored {
        /// When access worked again (RFC 3339, UTC).
        restored_at: Timestamp,
    },
    /// `connection.test`: no extra fields.
    Test {},
}

impl WebhookPayload {
    /// The payload for `notification`.
    pub fn from_notification(notification: &Notification) -> Self {
        let detail = match &notification.kind {
            NotificationKind::ExpiryReminder {
                expires_on,
                days_left,
            }
            | NotificationKind::AppSecretExpiring {
                expires_on,
                days_left,
            } => EventDetail::Expiry {
                expires_on: *expires_on,
                days_left: *days_left,
            },
            NotificationKind::AccessLost {
                cause,
                amazon_code,
                amazon_message,
                detected_at,
            } => EventDetail::AccessLost {
                cause: cause.code(),
                cause_detail: match cause {
                    AccessLossCause::Other(detail) => Some(detail.clone()),
                    _ => None,
                },
                amazon_code: amazon_code.clone(),
                amazon_message: amazon_message.clone(),
                detected_at: *detected_at,
            },
            NotificationKind::AccessRestored { restored_at } => EventDetail::AccessRestored {
                restored_at: *restored_at,
            },
            NotificationKind::Test => EventDetail::Test {},
        };
        Self {
            id: notification.id,
            event_type: notification.event_type(),
            created_at: notification.created_at,
            data: WebhookData {
                connection: ConnectionData::from(&notification.connection),
                language: notification.language,
                detail,
                fix: fix_for(notification),
            },
        }
    }

    /// The JSON body, exactly as sent and signed.
    ///
    /// # Errors
    ///
    /// Only if serde_json fails, which these types do not cause.
    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }
}

impl From<&ConnectionSummary> for ConnectionData {
    fn from(c: &ConnectionSummary) -> Self {
        Self {
            id: c.connection_id.to_string(),
            merchant_name: c.merchant_name.as_str().to_owned(),
            seller_id: c.seller_id.as_str().to_owned(),
            marketplace: c.marketplace.clone(),
            api: c.api,
            developer_name: c.developer_name.clone(),
            developer_id: c.developer_id.dashed(),
            seller_central_url: c.seller_central_host.home_url(),
        }
    }
}
