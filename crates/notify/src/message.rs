//! The notifications themselves, as data: what happened, to which connection, in which language.
//!
//! A [`Notification`] is rendered into an e-mail ([`crate::render()`]) or a webhook payload
//! ([`crate::webhook::WebhookPayload`]); its [`Notification::id`] is the idempotency key both channels carry,
//! so a notification sent twice can be recognised as one by whoever receives it.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{ConnectionId, DeveloperId, SellerId};

pub use crate::seller_central::{SellerCentralHost, SellerCentralHostError};

/// One message to the people looking after a connection: the merchant's contacts and the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    /// The idempotency key: the same notification sent again carries the same id (webhook id, e-mail
    /// Message-ID, outbox file name). See [`Notification::stable_id`].
    pub id: Uuid,
    /// What happened.
    pub kind: NotificationKind,
    /// The connection it is about.
    pub connection: ConnectionSummary,
    /// The language of the reader: the merchant's language for merchant contacts.
    pub language: Language,
    /// When the notification was created; it does not change when the notification is sent again.
    pub created_at: Timestamp,
}

impl Notification {
    /// A deterministic id for the notification identified by `dedup_key` about `connection`.
    ///
    /// The scheduler derives reminder ids from what makes a reminder unique (for example
    /// `expiry_reminder:2026-04-17:30` — the expiry date names the cycle, 30 the offset), so a reminder
    /// computed twice gets the same id and receivers can drop the duplicate. The id is a UUID version 8
    /// built from SHA-256 over the connection id and the key.
    pub fn stable_id(connection: ConnectionId, dedup_key: &str) -> Uuid {
        let mut hasher = Sha256::new();
        hasher.update(b"sellerlink-notification\0");
        hasher.update(connection.as_uuid().as_bytes());
        hasher.update(b"\0");
        hasher.update(dedup_key.as_bytes());
        let digest = hasher.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    }

    /// The event type used by webhooks and the `X-Sellerlink-Notification-Type` mail header,
    /// e.g. `connection.expiry_reminder`.
    pub fn event_type(&self) -> &'static str {
        self.kind.event_type()
    }

    /// The e-mail Message-ID, `<{id}@sellerlink>`, so mail receivers can drop a re-sent copy.
    pub fn message_id(&self) -> String {
        format!("<{}@sellerlink>", self.id.hyphenated())
    }
}

/// What a notification reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NotificationKind {
    /// The yearly developer access (MWS) or app authorization (SP-API) lapses soon.
    ExpiryReminder {
        /// The expiry date as Seller Central shows it (JST calendar).
        expires_on: Date,
        /// Whole days until `expires_on`; `0` means it lapses today.
        days_left: i32,
    },
    /// Amazon refused the connection's credential.
    AccessLost {
        /// Why, as classified from Amazon's answer.
        cause: AccessLossCause,
        /// Amazon's error code, e.g. `AccessDenied` or `invalid_grant`.
        amazon_code: Option<String>,
        /// Amazon's error message, verbatim.
        amazon_message: Option<String>,
        /// When sellerlink noticed.
        detected_at: Timestamp,
    },
    /// Amazon accepts the credential again after an [`NotificationKind::AccessLost`].
    AccessRestored {
        /// When sellerlink saw the first successful call.
        restored_at: Timestamp,
    },
    /// The operator's LWA client secret (SP-API) lapses soon; every SP-API connection depends on it.
    AppSecretExpiring {
        /// The day the secret stops working.
        expires_on: Date,
        /// Whole days until `expires_on`; `0` means today.
        days_left: i32,
    },
    /// A test message sent when a channel is set up.
    Test,
}

impl NotificationKind {
    /// The event type, e.g. `connection.access_lost`.
    pub fn event_type(&self) -> &'static str {
        match self {
            Self::ExpiryReminder { .. } => "connection.expiry_reminder",
            Self::AccessLost { .. } => "connection.access_lost",
            Self::AccessRestored { .. } => "connection.access_restored",
            Self::AppSecretExpiring { .. } => "connection.app_secret_expiring",
            Self::Test => "connection.test",
        }
    }

    /// The short name used for template files and logs, e.g. `expiry_reminder`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::ExpiryReminder { .. } => "expiry_reminder",
            Self::AccessLost { .. } => "access_lost",
            Self::AccessRestored { .. } => "access_restored",
            Self::AppSecretExpiring { .. } => "app_secret_expiring",
            Self::Test => "test",
        }
    }
}

/// Why Amazon stopped accepting a connection's credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessLossCause {
    /// MWS answered `401 AccessDenied`: expired, removed, or a token that no longer matches.
    MwsAccessDenied,
    /// The MWS developer access passed its expiry date (R1–R3).
    MwsExpired,
    /// The merchant removed the developer in Seller Central.
    MwsRevoked,
    /// LWA refused the refresh token (`invalid_grant`): the app authorization lapsed or was revoked.
    SpApiAuthorizationLost,
    /// LWA refused the operator's client credentials (`invalid_client`): the client secret expired.
    SpApiAppSecretExpired,
    /// Anything else, described in plain words.
    Other(String),
}

impl AccessLossCause {
    /// The stable name used in webhook payloads, e.g. `mws_expired`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MwsAccessDenied => "mws_access_denied",
            Self::MwsExpired => "mws_expired",
            Self::MwsRevoked => "mws_revoked",
            Self::SpApiAuthorizationLost => "sp_api_authorization_lost",
            Self::SpApiAppSecretExpired => "sp_api_app_secret_expired",
            Self::Other(_) => "other",
        }
    }
}

/// Which Amazon API a connection uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Api {
    /// Amazon MWS: the guide's developer access (Seller ID + MWS Auth Token).
    Mws,
    /// The Selling Partner API: an OAuth app authorization.
    SpApi,
}

impl Api {
    /// `mws` or `sp_api`, as in payloads.
    pub fn code(self) -> &'static str {
        match self {
            Self::Mws => "mws",
            Self::SpApi => "sp_api",
        }
    }

    /// `MWS` or `SP-API`, for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Mws => "MWS",
            Self::SpApi => "SP-API",
        }
    }
}

/// What a reader needs to recognise the connection a notification is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionSummary {
    /// sellerlink's id for the connection.
    pub connection_id: ConnectionId,
    /// The merchant's display name.
    pub merchant_name: MerchantName,
    /// The seller account (merchant token).
    pub seller_id: SellerId,
    /// The home marketplace's name, e.g. `Amazon.co.jp`.
    pub marketplace: String,
    /// MWS or SP-API.
    pub api: Api,
    /// The developer (MWS) or app (SP-API) name the merchant sees in Seller Central, e.g. `shippinno`.
    pub developer_name: String,
    /// The developer ID the merchant looks for in Seller Central (shown dashed: `5259-6479-4073`).
    pub developer_id: DeveloperId,
    /// Where the merchant signs in to Seller Central for this marketplace.
    pub seller_central_host: SellerCentralHost,
}
