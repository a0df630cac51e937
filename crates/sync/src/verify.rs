//! Verification: ask Amazon whether a connection's credential works, and record the answer. A success clears a
//! refusal on record, so the connection's sync resumes from its stored watermark (re-reading the overlap): no gap.

use sellerlink_domain::ids::{ConnectionId, MarketplaceId};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_gateway::{GatewayError, GatewayErrorKind, Participation};

use crate::access;
use crate::error::SyncError;
use crate::import::{CallError, Importer};

/// Amazon accepted the credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The marketplaces the seller account takes part in.
    pub participations: Vec<Participation>,
    /// Whether an *access denied* on record was cleared (the connection's sync resumes).
    pub cleared_access_denied: bool,
    /// The connection's marketplaces that Amazon did not list (the seller no longer sells there).
    pub missing_marketplaces: Vec<MarketplaceId>,
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyOutcome {
    /// The credential works; `verified_at` was set.
    Verified(Verified),
    /// Amazon refused the credential; the connection is now access denied and its sync paused.
    AccessDenied {
        /// Who must act.
        cause: RefusalCause,
        /// Amazon's answer.
        message: String,
    },
}

impl Importer {
    /// Verifies a connection against Amazon (MWS `ListMarketplaceParticipations`) and records the answer with an
    /// audit entry by `system:sync`: `connection_verified`, `access_denied_cleared` or `access_denied`. Transient
    /// failures are retried; `Err` if Amazon could not be asked, or for a store or credential failure.
    pub async fn verify_connection(
        &self,
        connection_id: ConnectionId,
    ) -> Result<VerifyOutcome, SyncError> {
        let store = self.store();
        let connection = store.connection(connection_id).await?.connection;
        let gateway = self.access().open_gateway(&connection).await?;
        let answer = self.access().retrying(|| gateway.verify()).await;
        let now = self.clock().now();
        let error = match answer {
            Ok(participations) => {
                let names: Vec<(MarketplaceId, Option<String>)> = participations
                    .iter()
                    .map(|p| (p.marketplace_id.clone(), p.name.clone()))
                    .collect();
                let cleared_access_denied =
                    access::verified(store, connection_id, now, &names).await?;
                let missing_marketplaces = connection
                    .marketplaces
                    .iter()
                    .filter(|m| !participations.iter().any(|p| p.marketplace_id == m.id))
                    .map(|m| m.id.clone())
                    .collect();
                if cleared_access_denied {
                    // Resumed: import at once rather than when its next re-check would have come round.
                    store.schedule_import(connection_id, now).await?;
                }
                tracing::info!(connection.id = %connection_id, cleared_access_denied, "connection verified");
                return Ok(VerifyOutcome::Verified(Verified {
                    participations,
                    cleared_access_denied,
                    missing_marketplaces,
                }));
            }
            Err(CallError::Gateway(error)) => error,
            Err(CallError::Cancelled) => GatewayError::new(
                GatewayErrorKind::Other,
                "Sellers.ListMarketplaceParticipations",
                "verification was cancelled",
            ),
        };
        match &error.kind {
            GatewayErrorKind::AccessDenied {
                cause,
                code,
                message,
            } => {
                access::deny(store, connection_id, now, *cause, code, message).await?;
                tracing::warn!(connection.id = %connection_id, error = %error, "Amazon refused the credential");
                Ok(VerifyOutcome::AccessDenied {
                    cause: *cause,
                    message: error.to_string(),
                })
            }
            _ => Err(SyncError::Gateway {
                connection: connection_id,
                source: error,
            }),
        }
    }
}
