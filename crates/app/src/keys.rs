//! Master-key rotation without downtime: add a new current key, re-seal row by row, keep old keys readable.

use sellerlink_domain::ids::ConnectionId;
use sellerlink_secrets::Sealed;
use sellerlink_store::SealedBuyerData;
use sellerlink_sync::KeyringBuyerData;
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
    /// Orders whose buyer data was moved to the current key.
    pub buyer_data_resealed: usize,
    /// Orders whose buyer data changed concurrently (re-imported, erased or re-sealed by someone else).
    pub buyer_data_skipped: usize,
}

impl App {
    /// Re-seals every credential, and every order's buyer data, that is not sealed with the current key. Safe to
    /// run while other processes read and write them: each row is swapped only if it still holds the ciphertext
    /// that was read.
    pub async fn reseal_credentials(&self) -> Result<RotationReport, AppError> {
        let mut report = self.reseal_connection_credentials().await?;
        (report.buyer_data_resealed, report.buyer_data_skipped) = self.reseal_buyer_data().await?;
        Ok(report)
    }

    /// Re-seals orders' buyer data not sealed with the current key; (re-sealed, skipped).
    async fn reseal_buyer_data(&self) -> Result<(usize, usize), AppError> {
        let current = self.keyring.current_id().to_string();
        let (mut resealed, mut skipped) = (0, 0);
        loop {
            let batch = self.store.buyer_data_not_sealed_with(&current, 500).await?;
            let mut progressed = false;
            for (connection_id, order_id, stored) in &batch {
                let sealed = Sealed::from_text(&stored.sealed)?;
                let context = KeyringBuyerData::context(order_id);
                let Some(new) = self.keyring.reseal(&context, &sealed)? else {
                    skipped += 1;
                    continue;
                };
                let new = SealedBuyerData {
                    kek_id: new.kek_id().to_string(),
                    sealed: new.to_text(),
                };
                if self
                    .store
                    .reseal_buyer_data(*connection_id, order_id, stored, &new)
                    .await?
                {
                    resealed += 1;
                    progressed = true;
                } else {
                    skipped += 1;
                }
            }
            if !progressed {
                return Ok((resealed, skipped));
            }
        }
    }

    async fn reseal_connection_credentials(&self) -> Result<RotationReport, AppError> {
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
