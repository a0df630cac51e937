//! The audit log: every lifecycle action, who did it, when, and the state before and after.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{ConnectionId, MerchantId};

/// Who performed an action: `cli:<os user>`, `user:<id>`, `system:<job>`, `api-key:<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Actor(String);

impl Actor {
    /// A person at the command line.
    pub fn cli(os_user: &str) -> Self {
        Self(format!("cli:{os_user}"))
    }

    /// A signed-in user of the web app.
    pub fn user(user_id: &str) -> Self {
        Self(format!("user:{user_id}"))
    }

    /// sellerlink itself, e.g. `system:sync` when Amazon refuses a call.
    pub fn system(job: &str) -> Self {
        Self(format!("system:{job}"))
    }

    /// Reads an actor back from storage.
    pub fn from_stored(text: String) -> Self {
        Self(text)
    }

    /// The actor's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    MerchantCreated,
    ConnectionCreated,
    ConnectionVerified,
    Renewed,
    Restored,
    ExpiryEnabled,
    Revoked,
    AccessDenied,
    AccessDeniedCleared,
    CredentialReplaced,
    CredentialResealed,
    ConnectionRemoved,
    /// A shipment was queued to be confirmed to Amazon.
    ShipmentQueued,
    /// Amazon accepted a shipment confirmation.
    ShipmentConfirmed,
    /// Amazon refused a shipment confirmation (the reason is in the entry).
    ShipmentRejected,
    /// A connection moved to the other Amazon API (MWS ⇄ SP-API) of the same seller account: new credential, same
    /// connection, orders and history.
    ApiSwitched,
    /// Two connections of the same seller account and region were merged into one (migration 0600).
    ConnectionsMerged,
    /// An order Amazon sent could not be read and was quarantined (the order and the reason are in the entry).
    OrderQuarantined,
}

impl AuditAction {
    /// The stored name, e.g. `renewed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MerchantCreated => "merchant_created",
            Self::ConnectionCreated => "connection_created",
            Self::ConnectionVerified => "connection_verified",
            Self::Renewed => "renewed",
            Self::Restored => "restored",
            Self::ExpiryEnabled => "expiry_enabled",
            Self::Revoked => "revoked",
            Self::AccessDenied => "access_denied",
            Self::AccessDeniedCleared => "access_denied_cleared",
            Self::CredentialReplaced => "credential_replaced",
            Self::CredentialResealed => "credential_resealed",
            Self::ConnectionRemoved => "connection_removed",
            Self::ShipmentQueued => "shipment_queued",
            Self::ShipmentConfirmed => "shipment_confirmed",
            Self::ShipmentRejected => "shipment_rejected",
            Self::ApiSwitched => "api_switched",
            Self::ConnectionsMerged => "connections_merged",
            Self::OrderQuarantined => "order_quarantined",
        }
    }

    /// Every action.
    pub const ALL: [Self; 18] = ALL_ACTIONS;

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        ALL_ACTIONS.iter().copied().find(|a| a.as_str() == text)
    }
}

const ALL_ACTIONS: [AuditAction; 18] = [
    AuditAction::MerchantCreated,
    AuditAction::ConnectionCreated,
    AuditAction::ConnectionVerified,
    AuditAction::Renewed,
    AuditAction::Restored,
    AuditAction::ExpiryEnabled,
    AuditAction::Revoked,
    AuditAction::AccessDenied,
    AuditAction::AccessDeniedCleared,
    AuditAction::CredentialReplaced,
    AuditAction::CredentialResealed,
    AuditAction::ConnectionRemoved,
    AuditAction::ShipmentQueued,
    AuditAction::ShipmentConfirmed,
    AuditAction::ShipmentRejected,
    AuditAction::ApiSwitched,
    AuditAction::ConnectionsMerged,
    AuditAction::OrderQuarantined,
];

/// One line of the audit log. `before`/`after` are JSON snapshots that never contain a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// The merchant concerned.
    pub merchant_id: MerchantId,
    /// The connection concerned, if any.
    pub connection_id: Option<ConnectionId>,
    /// Who did it.
    pub actor: Actor,
    /// What was done.
    pub action: AuditAction,
    /// When.
    pub at: Timestamp,
    /// The state before, if there was one.
    pub before: Option<serde_json::Value>,
    /// The state after, if there is one.
    pub after: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_round_trip() {
        for action in ALL_ACTIONS {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert_eq!(serde_json::to_value(action).unwrap(), action.as_str());
        }
    }
}
