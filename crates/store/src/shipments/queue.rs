//! Queueing a shipment: one idempotent insert keyed by (connection, order, tracking number), audited in the same
//! transaction when it adds a row.

use jiff::Timestamp;
use sellerlink_domain::audit::{AuditAction, AuditEntry};
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::check;
use super::ids::ShipmentState;
use super::record::{NewShipment, SHIPMENT_COLUMNS, ShipmentRecord, ShipmentRow};
use crate::audit::{expect_subject, write_audit};
use crate::codec::{Column, json_text, millis};
use crate::engine::{Handle, on_conn};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation, is_unique_violation};
use crate::store::Store;

/// The merchant a connection belongs to, or [`StoreError::NotFound`].
pub(super) async fn merchant_of(
    handle: Handle<'_>,
    connection: ConnectionId,
) -> StoreResult<MerchantId> {
    const SQL: &str = "SELECT merchant_id FROM connections WHERE id = $1";
    let merchant: Option<String> = on_conn!(handle, |c| {
        sqlx::query_scalar(SQL)
            .bind(connection.to_string())
            .fetch_optional(&mut *c)
            .await?
    });
    let merchant = merchant.ok_or_else(|| StoreError::not_found("connection", connection))?;
    Column::new("connections", "merchant_id").parse(MerchantId::parse(&merchant))
}

/// Refuses an audit entry whose action is not `wanted`.
pub(super) fn expect_action(audit: &AuditEntry, wanted: AuditAction) -> StoreResult<()> {
    if audit.action != wanted {
        return Err(StoreError::invalid(
            "audit entry",
            format!(
                "records {} but the change is {}",
                audit.action.as_str(),
                wanted.as_str()
            ),
        ));
    }
    Ok(())
}

/// Inserts the shipment unless its (connection, order, tracking number) is taken; returns whether it did.
async fn insert(handle: Handle<'_>, new: &NewShipment, now: Timestamp) -> StoreResult<bool> {
    let lines = json_text("shipment lines", &new.lines)?;
    const SQL: &str = "INSERT INTO shipments (id, connection_id, amazon_order_id, carrier, shipping_method, \
        tracking_number, ship_date_ms, lines_json, state, feed_submission_id, attempts, last_error, \
        next_attempt_ms, created_at_ms, updated_at_ms, finished_at_ms) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 0, NULL, $10, $10, $10, NULL) \
        ON CONFLICT (connection_id, amazon_order_id, tracking_number) DO NOTHING";
    let inserted = on_conn!(handle, |c| {
        sqlx::query(SQL)
            .bind(new.id.to_string())
            .bind(new.connection_id.to_string())
            .bind(new.amazon_order_id.as_str().to_owned())
            .bind(new.carrier.clone())
            .bind(new.shipping_method.clone())
            .bind(new.tracking_number.clone())
            .bind(millis(new.ship_date))
            .bind(lines)
            .bind(ShipmentState::Queued.as_str())
            .bind(millis(now))
            .execute(&mut *c)
            .await
            .map(|done| done.rows_affected())
    });
    match inserted {
        Ok(rows) => Ok(rows == 1),
        // The key has its own conflict clause, so a unique violation here is the primary key.
        Err(e) if is_unique_violation(&e) => Err(StoreError::Duplicate {
            what: "shipment",
            detail: format!(
                "the id {} is taken by another shipment; give each shipment a new id",
                new.id
            ),
        }),
        Err(e) if is_foreign_key_violation(&e) => {
            Err(StoreError::not_found("connection", new.connection_id))
        }
        Err(e) => Err(e.into()),
    }
}

/// The shipment with this (connection, order, tracking number).
async fn by_key(handle: Handle<'_>, new: &NewShipment) -> StoreResult<ShipmentRecord> {
    let sql = format!(
        "SELECT {SHIPMENT_COLUMNS} FROM shipments \
         WHERE connection_id = $1 AND amazon_order_id = $2 AND tracking_number = $3"
    );
    let row: Option<ShipmentRow> = on_conn!(handle, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(new.connection_id.to_string())
            .bind(new.amazon_order_id.as_str().to_owned())
            .bind(new.tracking_number.clone())
            .fetch_optional(&mut *c)
            .await?
    });
    row.ok_or_else(|| {
        StoreError::not_found(
            "shipment",
            format!(
                "of order {} with tracking number {}",
                new.amazon_order_id, new.tracking_number
            ),
        )
    })?
    .into_record()
}

impl Store {
    /// Queues a shipment (state queued, next attempt `now`, no attempts yet) with its audit entry
    /// ([`AuditAction::ShipmentQueued`], about the connection and its merchant) in one transaction.
    ///
    /// Idempotent on (connection, order, tracking number): if that shipment is already stored, whatever became of
    /// it, it is returned unchanged with `false` and no audit entry is written; otherwise the new row is returned
    /// with `true`. Several workers queueing the same parcel at once store it once.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown connection; [`StoreError::Invalid`] for a blank or padded
    /// carrier, shipping method or tracking number, no lines, an item listed twice or a zero quantity, or an audit
    /// entry with another action or subject; [`StoreError::Duplicate`] if `new.id` belongs to another shipment.
    pub async fn queue_shipment(
        &self,
        new: &NewShipment,
        now: Timestamp,
        audit: &AuditEntry,
    ) -> StoreResult<(ShipmentRecord, bool)> {
        check::new_shipment(new)?;
        expect_action(audit, AuditAction::ShipmentQueued)?;
        let mut tx = self.pool.begin().await?;
        let merchant = merchant_of(tx.handle(), new.connection_id).await?;
        expect_subject(audit, merchant, Some(new.connection_id))?;
        let inserted = insert(tx.handle(), new, now).await?;
        if inserted {
            write_audit(tx.handle(), audit).await?;
        }
        let record = by_key(tx.handle(), new).await?;
        tx.commit().await?;
        Ok((record, inserted))
    }
}
