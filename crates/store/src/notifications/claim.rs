//! Claiming due deliveries under a lease, and recording what became of each.
//!
//! A claim moves rows to `sending` with the worker's name and a lease end, in one statement: PostgreSQL picks the
//! rows in a sub-select with `FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows; SQLite runs one
//! writer at a time. A row whose lease ran out (its worker stopped while sending) is due again and is sent again
//! with the same id.

use jiff::{SignedDuration, Timestamp};

use super::ids::DeliveryId;
use super::record::{DELIVERY_COLUMNS, DeliveryRecord, DeliveryRow, records_by_due};
use crate::codec::millis;
use crate::engine::{Engine, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::leases::LeaseOwner;
use crate::store::Store;

/// Which rows are due at `$3`: planned and not waiting for a retry, or held by a lease that ran out.
const DUE: &str = "((state = 'planned' AND next_attempt_at_ms <= $3) \
    OR (state = 'sending' AND lease_until_ms <= $3))";

fn lease_end(now: Timestamp, lease: SignedDuration) -> StoreResult<Timestamp> {
    if !lease.is_positive() {
        return Err(StoreError::invalid(
            "delivery lease",
            format!("{lease:#} is not positive; expected a duration such as 10m"),
        ));
    }
    now.checked_add(lease)
        .map_err(|e| StoreError::invalid("delivery lease", format!("{now} + {lease:#}: {e}")))
}

impl Store {
    /// Claims up to `limit` due deliveries for `owner` until `now + lease`, oldest due first: each moves to
    /// `sending`, its `attempts` grows by one and `sent_at` becomes `now`. Several workers calling at once never
    /// get the same row while its lease runs.
    pub async fn claim_deliveries(
        &self,
        owner: &LeaseOwner,
        now: Timestamp,
        lease: SignedDuration,
        limit: u32,
    ) -> StoreResult<Vec<DeliveryRecord>> {
        let until = lease_end(now, lease)?;
        let lock = match self.engine() {
            Engine::Postgres => " FOR UPDATE SKIP LOCKED",
            Engine::Sqlite => "",
        };
        let sql = format!(
            "UPDATE notification_deliveries SET state = 'sending', lease_owner = $1, lease_until_ms = $2, \
             attempts = attempts + 1, sent_at_ms = $3 \
             WHERE id IN (SELECT id FROM notification_deliveries WHERE {DUE} \
                 ORDER BY next_attempt_at_ms, id LIMIT $4{lock}) \
             AND {DUE} RETURNING {DELIVERY_COLUMNS}"
        );
        let rows: Vec<DeliveryRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(owner.as_str().to_owned())
                .bind(millis(until))
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        records_by_due(rows)
    }

    /// Claims one delivery by id if it is due (see [`Store::claim_deliveries`]); `None` if it is not due or held.
    pub async fn claim_delivery(
        &self,
        id: DeliveryId,
        owner: &LeaseOwner,
        now: Timestamp,
        lease: SignedDuration,
    ) -> StoreResult<Option<DeliveryRecord>> {
        let until = lease_end(now, lease)?;
        let sql = format!(
            "UPDATE notification_deliveries SET state = 'sending', lease_owner = $1, lease_until_ms = $2, \
             attempts = attempts + 1, sent_at_ms = $3 WHERE id = $4 AND {DUE} RETURNING {DELIVERY_COLUMNS}"
        );
        let row: Option<DeliveryRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(owner.as_str().to_owned())
                .bind(millis(until))
                .bind(millis(now))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.map(DeliveryRow::into_record).transpose()
    }

    /// Records that the channel accepted the delivery. A successful send is a fact whoever holds the lease now,
    /// so this applies unless the row is already delivered (the first delivery time stays). Returns whether it
    /// changed the row.
    pub async fn record_delivered(&self, id: DeliveryId, now: Timestamp) -> StoreResult<bool> {
        const SQL: &str = "UPDATE notification_deliveries SET state = 'delivered', delivered_at_ms = $1, \
            last_error = NULL, lease_owner = NULL, lease_until_ms = NULL \
            WHERE id = $2 AND state <> 'delivered'";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(now))
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated == 1)
    }

    /// Records a failed attempt to be tried again at `retry_at`, if `owner` still holds the row. Returns whether
    /// it did.
    pub async fn record_retry(
        &self,
        id: DeliveryId,
        owner: &LeaseOwner,
        error: &str,
        retry_at: Timestamp,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE notification_deliveries SET state = 'planned', last_error = $1, \
            next_attempt_at_ms = $2, lease_owner = NULL, lease_until_ms = NULL \
            WHERE id = $3 AND state = 'sending' AND lease_owner = $4";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(error.to_owned())
                .bind(millis(retry_at))
                .bind(id.to_string())
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated == 1)
    }

    /// Records that the delivery failed for good (attempts used up, or a failure no retry can cure), if `owner`
    /// still holds the row. Returns whether it did.
    pub async fn record_failed(
        &self,
        id: DeliveryId,
        owner: &LeaseOwner,
        error: &str,
    ) -> StoreResult<bool> {
        self.release(id, owner, "failed", error).await
    }

    /// Records that a claimed delivery is not sent after all (e.g. its channel was disabled), if `owner` still
    /// holds the row. Returns whether it did.
    pub async fn record_skipped(
        &self,
        id: DeliveryId,
        owner: &LeaseOwner,
        reason: &str,
    ) -> StoreResult<bool> {
        self.release(id, owner, "skipped", reason).await
    }

    /// Ends `owner`'s hold on a row in a final state other than delivered, with the reason.
    async fn release(
        &self,
        id: DeliveryId,
        owner: &LeaseOwner,
        state: &'static str,
        reason: &str,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE notification_deliveries SET state = $1, last_error = $2, \
            lease_owner = NULL, lease_until_ms = NULL \
            WHERE id = $3 AND state = 'sending' AND lease_owner = $4";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(state)
                .bind(reason.to_owned())
                .bind(id.to_string())
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(updated == 1)
    }
}
