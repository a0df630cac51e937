//! [`SyncError`]: failures of the engine itself (as opposed to a run that ended on an Amazon error, which is a
//! [`crate::SyncReport`] with outcome `Failed` or `PausedAccessDenied`).

use sellerlink_domain::ids::ConnectionId;
use sellerlink_gateway::GatewayError;
use sellerlink_store::StoreError;

use crate::credentials::CredentialError;

/// An engine failure.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The store failed (or the connection does not exist).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The credential could not be opened.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// Amazon could not be asked (verification): the error after retries.
    #[error("connection {connection}: {source}")]
    Gateway {
        /// The connection.
        connection: ConnectionId,
        /// What Amazon (or the network) answered.
        #[source]
        source: GatewayError,
    },
}
