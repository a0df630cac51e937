//! Moving a connection to the other Amazon API of the same seller account (MWS ⇄ SP-API): one connection per seller
//! account and region, whatever the API, so adding the other API's credential changes the existing connection.

use sellerlink_domain::audit::AuditEntry;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::SellerId;
use sellerlink_domain::marketplace::Region;

use crate::account_merge::requeue_in_flight;
use crate::audit::{expect_subject, write_audit};
use crate::connection_row::{ConnectionColumns, ConnectionRow, account_region, connection_select};
use crate::connections::{RowVersion, StoredConnection};
use crate::credentials::{SealedCredential, check_sealed};
use crate::engine::{on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_unique_violation};
use crate::store::Store;

impl Store {
    /// The connection of a seller account in a region, through either API, of any merchant.
    pub async fn connection_of_account(
        &self,
        seller: &SellerId,
        region: Region,
    ) -> StoreResult<Option<StoredConnection>> {
        const SQL: &str = concat!(
            connection_select!(),
            " WHERE seller_id = $1 ORDER BY created_at_ms, id"
        );
        let rows: Vec<ConnectionRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(seller.as_str().to_owned())
                .fetch_all(pool)
                .await?
        });
        for row in rows {
            let stored = row.into_stored()?;
            if account_region(&stored.connection) == region {
                return Ok(Some(stored));
            }
        }
        Ok(None)
    }

    /// Moves a connection to the other API of the same seller account: `after` is the connection with its new
    /// account (API, developer ID or region), marketplaces, grant and verification; `credential` the new API's
    /// sealed credential. The id, merchant, seller ID and creation time stay, and with them the orders, shipments,
    /// stock levels, sync history and audit log. One transaction, with `audit` (`api_switched`), if the stored
    /// version is still `expected`; returns the new version.
    ///
    /// - Work handed to Amazon through the old API and not answered yet (an MWS feed) is queued again, since the new
    ///   API cannot be asked about it.
    /// - The import watermark stays when every marketplace of `after` was imported before: the same seller's orders,
    ///   and both APIs filter by Amazon's last-update time, so the next import continues where the last one stopped.
    ///   A marketplace new to the connection drops the watermark, so that the next import reaches back over the
    ///   initial window for that marketplace's older orders (orders already stored are updated in place).
    ///
    /// Errors: [`StoreError::Conflict`] if the version moved on; [`StoreError::NotFound`]; [`StoreError::Invalid`]
    /// when `after` keeps the API, names another seller or merchant, or the audit entry is about something else;
    /// [`StoreError::Duplicate`] if another connection already holds the new account.
    pub async fn switch_api(
        &self,
        after: &Connection,
        expected: RowVersion,
        credential: &SealedCredential,
        audit: &AuditEntry,
    ) -> StoreResult<RowVersion> {
        expect_subject(audit, after.merchant_id, Some(after.id))?;
        check_sealed(credential)?;
        let columns = ConnectionColumns::of(after)?;
        let mut tx = self.pool.begin().await?;
        const READ: &str = concat!(connection_select!(), " WHERE id = $1");
        let row: Option<ConnectionRow> = on_conn!(tx.handle(), |c| {
            sqlx::query_as(READ)
                .bind(columns.id.clone())
                .fetch_optional(&mut *c)
                .await?
        });
        let stored = row
            .ok_or_else(|| StoreError::not_found("connection", after.id))?
            .into_stored()?;
        let before = &stored.connection;
        if stored.version != expected {
            return Err(StoreError::Conflict {
                what: "connection",
                id: after.id.to_string(),
                detail: format!(
                    "expected version {expected}, the stored version is {}",
                    stored.version
                ),
            });
        }
        if before.merchant_id != after.merchant_id
            || before.account.seller_id() != after.account.seller_id()
            || before.account.api_name() == after.account.api_name()
        {
            return Err(StoreError::invalid(
                "connection account",
                "an API switch keeps the merchant and the seller ID and changes the API",
            ));
        }
        const SQL: &str = "UPDATE connections SET api = $1, seller_id = $2, developer_id = $3, region = $4, \
            account_region = $5, marketplaces_json = $6, granted_at_ms = $7, last_approved_on = $8, \
            expiry_enabled = $9, expires_on = $10, term = $11, time_zone = $12, revoked_at_ms = $13, \
            access_denied_at_ms = $14, access_denied_cause = $15, access_denied_detail = $16, verified_at_ms = $17, \
            credential_kek_id = $18, credential_blob = $19, version = version + 1 \
            WHERE id = $20 AND version = $21";
        let updated = on_conn!(tx.handle(), |c| {
            sqlx::query(SQL)
                .bind(columns.api)
                .bind(columns.seller_id.clone())
                .bind(columns.developer_id.clone())
                .bind(columns.region)
                .bind(columns.account_region)
                .bind(columns.marketplaces_json.clone())
                .bind(columns.granted_at_ms)
                .bind(columns.last_approved_on.clone())
                .bind(columns.expiry_enabled)
                .bind(columns.expires_on.clone())
                .bind(columns.term)
                .bind(columns.time_zone.clone())
                .bind(columns.revoked_at_ms)
                .bind(columns.access_denied_at_ms)
                .bind(columns.access_denied_cause.clone())
                .bind(columns.access_denied_detail.clone())
                .bind(columns.verified_at_ms)
                .bind(credential.kek_id.clone())
                .bind(credential.blob.clone())
                .bind(columns.id.clone())
                .bind(expected.get())
                .execute(&mut *c)
                .await
                .map(|done| done.rows_affected())
        });
        let updated = updated.map_err(|e| {
            if is_unique_violation(&e) {
                StoreError::Duplicate {
                    what: "connection",
                    detail: format!(
                        "{} seller {} in region {} is connected by another connection",
                        columns.api, columns.seller_id, columns.account_region
                    ),
                }
            } else {
                e.into()
            }
        })?;
        if updated != 1 {
            return Err(StoreError::Conflict {
                what: "connection",
                id: after.id.to_string(),
                detail: "the row changed while it was being updated".to_owned(),
            });
        }
        requeue_in_flight(tx.handle(), after.id, audit.at).await?;
        let new_marketplace = after
            .marketplaces
            .iter()
            .any(|m| !before.marketplaces.iter().any(|b| b.id == m.id));
        if new_marketplace {
            on_conn!(tx.handle(), |c| {
                sqlx::query("DELETE FROM sync_watermarks WHERE connection_id = $1")
                    .bind(columns.id.clone())
                    .execute(&mut *c)
                    .await?
                    .rows_affected()
            });
        }
        write_audit(tx.handle(), audit).await?;
        tx.commit().await?;
        Ok(RowVersion::from_stored(expected.get() + 1))
    }
}
