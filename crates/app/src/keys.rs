//! Master-key rotation without downtime: add a new current key, re-seal row by row, keep old keys readable.

use sellerlink_domain::ids::ConnectionId;
use sellerlink_secrets::Sealed;
use serde::Serialize;

use crate::connections::{credential_context, to_stored};
use crate::{App, AppError};

/// What a re-sealing pass did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RotationReport {
    /// The key every credential is now sealed with.
    pub current_key_id: String,
    /// Credentials moved to the current key.
    pub resealed: usize,
    /// Credentials changed concurrently (re-sealed by someone else or replaced); they are already current.
    pub skipped: usize,
}

impl App {
    /// Re-seals every credential that is not sealed with the current key. Safe to run while other processes
    /// read and write credentials: each row is swapped only if it still holds the ciphertext that was read.
    pub async fn reseal_credentials(&self) -> Result<RotationReport, AppError> {
        let current = self.keyring.current_id().to_string();
        let mut report = RotationReport {
            current_key_id: current.clone(),
            ..Default::default()
        };
        loop {
            let batch = self
                .store
                .credentials_not_sealed_with(&current, 100)
                .await?;
            if batch.is_empty() {
                return Ok(report);
            }
            let mut progressed = false;
            for (id, stored) in batch {
                if self.reseal_one(id, &stored).await? {
                    report.resealed += 1;
                    progressed = true;
                } else {
                    report.skipped += 1;
                }
            }
            if !progressed {
                return Ok(report);
            }
        }
    }

    async fn reseal_one(
        &self,
        id: ConnectionId,
        stored: &sellerlink_store::SealedCredential,
    ) -> Result<bool, AppError> {
        let sealed = Sealed::from_bytes(&stored.blob)?;
        match self.keyring.reseal(&credential_context(id), &sealed)? {
            None => Ok(false),
            Some(resealed) => Ok(self
                .store
                .reseal_credential(id, stored, &to_stored(&resealed))
                .await?),
        }
    }
}
