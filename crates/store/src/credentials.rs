//! The sealed credential kept next to each connection. The store never sees plaintext: callers hand it bytes that
//! the secrets layer sealed, and get the same bytes back.

use std::fmt;

use sellerlink_domain::audit::AuditEntry;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;

use crate::audit::{expect_subject, write_audit};
use crate::codec::Column;
use crate::connections::{RowVersion, explain_guard_miss, write_connection_update};
use crate::engine::{on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// A credential (MWS Auth Token or LWA refresh token) as sealed by the secrets layer: opaque bytes and the id of
/// the key-encryption key they are sealed under. `Debug` shows the key id and the length only.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedCredential {
    /// Id of the key-encryption key (not secret).
    pub kek_id: String,
    /// The sealed bytes, stored exactly as given.
    pub blob: Vec<u8>,
}

impl fmt::Debug for SealedCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SealedCredential")
            .field("kek_id", &self.kek_id)
            .field("blob", &format_args!("<{} sealed bytes>", self.blob.len()))
            .finish()
    }
}

/// Refuses a sealed credential with no key id or no bytes (a caller bug, never a real sealing).
pub(crate) fn check_sealed(credential: &SealedCredential) -> StoreResult<()> {
    if credential.kek_id.trim().is_empty() {
        return Err(StoreError::invalid(
            "sealed credential",
            "the key id is empty; expected the id of the key it is sealed with",
        ));
    }
    if credential.blob.is_empty() {
        return Err(StoreError::invalid(
            "sealed credential",
            "the sealed bytes are empty; expected the output of the secrets layer",
        ));
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CredentialRow {
    id: String,
    credential_kek_id: String,
    credential_blob: Vec<u8>,
}

impl CredentialRow {
    fn into_pair(self) -> StoreResult<(ConnectionId, SealedCredential)> {
        let id = Column::new("connections", "id").parse(ConnectionId::parse(&self.id))?;
        Ok((
            id,
            SealedCredential {
                kek_id: self.credential_kek_id,
                blob: self.credential_blob,
            },
        ))
    }
}

impl Store {
    /// The sealed credential of a connection, or [`StoreError::NotFound`].
    pub async fn credential(&self, id: ConnectionId) -> StoreResult<SealedCredential> {
        const SQL: &str =
            "SELECT id, credential_kek_id, credential_blob FROM connections WHERE id = $1";
        let row: Option<CredentialRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        let (_, credential) = row
            .ok_or_else(|| StoreError::not_found("connection", id))?
            .into_pair()?;
        Ok(credential)
    }

    /// Replaces a connection's credential (the merchant entered a new token) if its version is still `expected`,
    /// with the audit entry, in one transaction; returns the new version.
    pub async fn replace_credential(
        &self,
        id: ConnectionId,
        credential: &SealedCredential,
        expected: RowVersion,
        audit: &AuditEntry,
    ) -> StoreResult<RowVersion> {
        check_sealed(credential)?;
        // The merchant is checked against the stored row by the guarded UPDATE below.
        expect_subject(audit, audit.merchant_id, Some(id))?;
        let mut tx = self.pool.begin().await?;
        const SQL: &str = "UPDATE connections SET credential_kek_id = $1, credential_blob = $2, \
            version = version + 1 WHERE id = $3 AND version = $4 AND merchant_id = $5";
        let updated = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(credential.kek_id.clone())
                .bind(credential.blob.clone())
                .bind(id.to_string())
                .bind(expected.get())
                .bind(audit.merchant_id.to_string())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            return Err(
                explain_guard_miss(tx.handle(), id, expected, None, audit.merchant_id).await,
            );
        }
        write_audit(tx.handle(), audit).await?;
        tx.commit().await?;
        Ok(RowVersion::from_stored(expected.get() + 1))
    }

    /// Replaces a connection's credential AND writes its new state (a new grant with a new token) if its version is
    /// still `expected`, with one audit entry, in one transaction; returns the new version. Errors as
    /// [`Store::update_connection`].
    pub async fn replace_credential_and_grant(
        &self,
        connection: &Connection,
        credential: &SealedCredential,
        expected: RowVersion,
        audit: &AuditEntry,
    ) -> StoreResult<RowVersion> {
        check_sealed(credential)?;
        expect_subject(audit, connection.merchant_id, Some(connection.id))?;
        let mut tx = self.pool.begin().await?;
        // The version guard is the connection update's, which runs next in the same transaction: if it misses,
        // the transaction is dropped and this credential change with it.
        const SQL: &str =
            "UPDATE connections SET credential_kek_id = $1, credential_blob = $2 WHERE id = $3";
        on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(credential.kek_id.clone())
                .bind(credential.blob.clone())
                .bind(connection.id.to_string())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        let version = write_connection_update(&mut tx, connection, expected, audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Up to `limit` credentials sealed with a key other than `kek_id`, by connection id: the work list of a key
    /// rotation.
    pub async fn credentials_not_sealed_with(
        &self,
        kek_id: &str,
        limit: u32,
    ) -> StoreResult<Vec<(ConnectionId, SealedCredential)>> {
        const SQL: &str = "SELECT id, credential_kek_id, credential_blob FROM connections \
            WHERE credential_kek_id <> $1 ORDER BY id LIMIT $2";
        let rows: Vec<CredentialRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(kek_id.to_owned())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(CredentialRow::into_pair).collect()
    }

    /// Swaps a credential for the same credential sealed with another key, only if the stored one is still exactly
    /// `old` (compare-and-swap, so rotation runs while the service keeps working). Returns false if the credential
    /// changed meanwhile (or the connection is gone); the caller then reads it again. The row version does not
    /// change, because the credential itself did not.
    pub async fn reseal_credential(
        &self,
        id: ConnectionId,
        old: &SealedCredential,
        new: &SealedCredential,
    ) -> StoreResult<bool> {
        check_sealed(new)?;
        const SQL: &str = "UPDATE connections SET credential_kek_id = $1, credential_blob = $2 \
            WHERE id = $3 AND credential_kek_id = $4 AND credential_blob = $5";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(new.kek_id.clone())
                .bind(new.blob.clone())
                .bind(id.to_string())
                .bind(old.kek_id.clone())
                .bind(old.blob.clone())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_bytes() {
        let sealed = SealedCredential {
            kek_id: "kek-2026".into(),
            blob: vec![0xde, 0xad, 0xbe, 0xef],
        };
        let text = format!("{sealed:?}");
        assert_eq!(
            text,
            "SealedCredential { kek_id: \"kek-2026\", blob: <4 sealed bytes> }"
        );
    }

    #[test]
    fn empty_sealings_are_refused() {
        let no_key = SealedCredential {
            kek_id: " ".into(),
            blob: vec![1],
        };
        let no_bytes = SealedCredential {
            kek_id: "k".into(),
            blob: vec![],
        };
        assert!(matches!(
            check_sealed(&no_key),
            Err(StoreError::Invalid { .. })
        ));
        assert!(matches!(
            check_sealed(&no_bytes),
            Err(StoreError::Invalid { .. })
        ));
    }
}
