//! Connections to Amazon seller accounts, their status and lifecycle actions, and verification.

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus};
use sellerlink_domain::lifecycle::Expiry;
use sellerlink_store::SyncRun;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::sync_runs::SyncRunOut;

/// A connection's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusName {
    /// Valid; the expiry (if any) is further away than the warning threshold.
    Active,
    /// Valid, but expiring within the threshold: approve access in Seller Central.
    ExpiringSoon,
    /// The expiry date has passed: restore access in Seller Central.
    Expired,
    /// The seller revoked access.
    Revoked,
    /// Amazon refused the credential.
    AccessDenied,
    /// Stored but never proven against Amazon.
    Unverified,
}

impl From<ConnectionStatus> for StatusName {
    fn from(status: ConnectionStatus) -> Self {
        match status {
            ConnectionStatus::Active => Self::Active,
            ConnectionStatus::ExpiringSoon { .. } => Self::ExpiringSoon,
            ConnectionStatus::Expired => Self::Expired,
            ConnectionStatus::Revoked => Self::Revoked,
            ConnectionStatus::AccessDenied => Self::AccessDenied,
            ConnectionStatus::Unverified => Self::Unverified,
        }
    }
}

/// A marketplace of a connection.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarketplaceOut {
    /// Amazon's marketplace id.
    #[schema(example = "A1VC38T7YXB528")]
    pub id: String,
    /// Amazon's name for it, once verified.
    #[schema(example = "Amazon.co.jp")]
    pub name: Option<String>,
}

/// Amazon's refusal of a credential.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccessDeniedOut {
    /// When Amazon refused it.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// The classified cause, e.g. `access_denied`.
    pub cause: String,
    /// Amazon's code and message.
    pub detail: String,
}

/// One connection of a merchant to an Amazon seller account. The credential is never returned, only masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConnectionOut {
    /// Its id.
    pub id: Uuid,
    /// The merchant.
    pub merchant_id: Uuid,
    /// `mws` or `sp_api`.
    #[schema(example = "mws")]
    pub api: String,
    /// The seller account's merchant token.
    #[schema(example = "A1B2C3D4E5F6G7")]
    pub seller_id: String,
    /// The developer ID the seller granted access to (MWS).
    #[schema(example = "5259-6479-4073")]
    pub developer_id: Option<String>,
    /// The marketplaces; the first is the home marketplace.
    pub marketplaces: Vec<MarketplaceOut>,
    /// The status now.
    pub status: StatusName,
    /// Whole days until the expiry date (negative once expired), if the expiry feature is on.
    pub days_until_expiry: Option<i32>,
    /// When access was granted.
    #[schema(value_type = String, format = DateTime)]
    pub granted_at: Timestamp,
    /// The last day access was granted, approved or restored.
    #[schema(value_type = String, format = Date)]
    pub last_approved_on: Date,
    /// Whether the yearly expiry feature is on.
    pub expiry_enabled: bool,
    /// The first day without access, if the expiry feature is on.
    #[schema(value_type = Option<String>, format = Date)]
    pub expires_on: Option<Date>,
    /// When the seller revoked access.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
    /// Amazon's refusal on record.
    pub access_denied: Option<AccessDeniedOut>,
    /// When Amazon last accepted the credential.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub verified_at: Option<Timestamp>,
    /// When the connection was added.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// The credential, masked, e.g. `amzn.mws.…c0ffee`.
    #[schema(example = "amzn.mws.…c0ffee")]
    pub credential_masked: String,
    /// The newest sync run.
    pub last_sync: Option<SyncRunOut>,
}

impl ConnectionOut {
    pub(crate) fn new(view: &ConnectionView, last_sync: Option<&SyncRun>) -> Self {
        let connection = &view.connection;
        let grant = &connection.grant;
        let developer_id = match &connection.account {
            ApiAccount::Mws { developer_id, .. } => Some(developer_id.dashed()),
            ApiAccount::SpApi { .. } => None,
        };
        Self {
            id: connection.id.as_uuid(),
            merchant_id: connection.merchant_id.as_uuid(),
            api: connection.account.api_name().to_owned(),
            seller_id: connection.account.seller_id().to_string(),
            developer_id,
            marketplaces: connection
                .marketplaces
                .iter()
                .map(|m| MarketplaceOut {
                    id: m.id.to_string(),
                    name: m.name.clone(),
                })
                .collect(),
            status: view.status.into(),
            days_until_expiry: view.days_until_expiry,
            granted_at: grant.granted_at,
            last_approved_on: grant.last_approved_on,
            expiry_enabled: matches!(grant.expiry, Expiry::Enabled { .. }),
            expires_on: view.expires_on,
            revoked_at: grant.revoked_at,
            access_denied: grant.access_denied.as_ref().map(|d| AccessDeniedOut {
                at: d.at,
                cause: d.cause.code().to_owned(),
                detail: d.detail.clone(),
            }),
            verified_at: connection.verified_at,
            created_at: connection.created_at,
            credential_masked: view.credential_masked.clone(),
            last_sync: last_sync.map(SyncRunOut::from),
        }
    }
}

/// A new MWS connection: the three values Seller Central showed on its completion page (the guide's step ⑤).
#[derive(Deserialize, ToSchema)]
pub struct CreateConnectionIn {
    /// The merchant (operators must give it; a merchant's own is used otherwise).
    pub merchant_id: Option<Uuid>,
    /// Seller ID (出品者ID).
    #[schema(example = "A1B2C3D4E5F6G7")]
    pub seller_id: String,
    /// Marketplace ID (マーケットプレイスID).
    #[schema(example = "A1VC38T7YXB528")]
    pub marketplace_id: String,
    /// MWS Auth Token (MWS認証トークン); stored sealed, never returned.
    #[schema(example = "amzn.mws.01234567-89ab-cdef-0123-456789abcdef")]
    pub mws_auth_token: String,
}

/// A lifecycle action the merchant took in Seller Central.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    /// "Approve access" (renew, R2) was clicked today.
    Renew,
    /// "Restore access" (after expiry, R3) was clicked today.
    Restore,
    /// The expiry feature was switched on (irreversible, R4–R5).
    EnableExpiry,
    /// Access was revoked.
    Revoke,
}

/// The body of a lifecycle action.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionIn {
    /// The action.
    pub action: ActionName,
}

/// What verifying a connection against Amazon found.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyOut {
    /// `verified` or `access_denied`.
    #[schema(example = "verified")]
    pub outcome: String,
    /// Amazon's answer when it refused.
    pub message: Option<String>,
    /// The connection afterwards.
    pub connection: ConnectionOut,
}

/// Query of the connection list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConnectionsQuery {
    /// Only this merchant's connections (operators; a merchant always sees only its own).
    pub merchant_id: Option<Uuid>,
}
