//! Re-verifying a stored connection and importing its orders, through the sync engine.

use sellerlink_domain::ids::ConnectionId;
use sellerlink_sync::{RunOptions, SyncReport, VerifyOutcome};

use crate::error::not_found;
use crate::{App, AppError};

impl App {
    /// Asks Amazon whether a stored connection's credential works; a success clears *access denied* so the
    /// connection's sync resumes from its watermark, a refusal records it.
    pub async fn verify_connection(&self, id: ConnectionId) -> Result<VerifyOutcome, AppError> {
        self.store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?;
        Ok(self.importer()?.verify_connection(id).await?)
    }

    /// Imports the connection's orders changed since its watermark (one idempotent run).
    pub async fn sync_connection(
        &self,
        id: ConnectionId,
        options: RunOptions,
    ) -> Result<SyncReport, AppError> {
        self.store
            .connection(id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(id)))?;
        Ok(self.importer()?.run_once_with(id, options).await?)
    }
}
