//! Moving a shipment on: submitted, retried later, confirmed or rejected. Each change is one `UPDATE … WHERE id = …
//! AND state = …` (a compare-and-swap on the state the caller read), so of two workers acting on one row only the
//! first changes it; the other gets [`StoreError::Conflict`] naming the state the row is in.

use jiff::Timestamp;
use sellerlink_domain::audit::{AuditAction, AuditEntry};
use sellerlink_domain::ids::ConnectionId;

use super::check;
use super::ids::{ShipmentId, ShipmentState};
use super::queue::{expect_action, merchant_of};
use crate::audit::{expect_subject, write_audit};
use crate::codec::{Column, millis};
use crate::engine::{Handle, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Reads the state a shipment is in now.
const STATE_SQL: &str = "SELECT state FROM shipments WHERE id = $1";

/// The state of the shipment, read inside the transaction that failed to change it.
async fn state_now(handle: Handle<'_>, id: ShipmentId) -> StoreResult<Option<String>> {
    Ok(on_conn!(handle, |c| {
        sqlx::query_scalar(STATE_SQL)
            .bind(id.to_string())
            .fetch_optional(&mut *c)
            .await?
    }))
}

/// Why a change expecting `expected` matched no row: the shipment does not exist, or it is in another state.
fn miss(id: ShipmentId, expected: ShipmentState, state: Option<&str>) -> StoreError {
    match state {
        None => StoreError::not_found("shipment", id),
        Some(state) => StoreError::Conflict {
            what: "shipment",
            id: id.to_string(),
            detail: format!("expected state {expected}, it is {state}"),
        },
    }
}

/// Explains, on the store's pool, why a change expecting `expected` matched no row.
async fn explain_miss(store: &Store, id: ShipmentId, expected: ShipmentState) -> StoreError {
    let found: Result<Option<String>, sqlx::Error> = on_pool!(&store.pool, |pool| {
        sqlx::query_scalar(STATE_SQL)
            .bind(id.to_string())
            .fetch_optional(pool)
            .await
    });
    match found {
        Ok(state) => miss(id, expected, state.as_deref()),
        Err(error) => error.into(),
    }
}

impl Store {
    /// `queued` → `submitted`: records Amazon's feed submission id (`None` for an API that answers at once),
    /// counts the attempt, clears `last_error`, and sets the next attempt (when to check the feed's result) to
    /// `next_check_at`.
    ///
    /// Errors: [`StoreError::Conflict`] if the shipment is not queued, [`StoreError::NotFound`],
    /// [`StoreError::Invalid`] for a blank or padded feed submission id.
    pub async fn shipment_submitted(
        &self,
        id: ShipmentId,
        feed_submission_id: Option<&str>,
        next_check_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        if let Some(feed) = feed_submission_id {
            check::feed_submission_id(feed)?;
        }
        const SQL: &str = "UPDATE shipments SET state = 'submitted', feed_submission_id = $1, \
            attempts = attempts + 1, last_error = NULL, next_attempt_ms = $2, updated_at_ms = $3 \
            WHERE id = $4 AND state = 'queued'";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(feed_submission_id.map(str::to_owned))
                .bind(millis(next_check_at))
                .bind(millis(now))
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            return Err(explain_miss(self, id, ShipmentState::Queued).await);
        }
        Ok(())
    }

    /// Records a failed attempt (sending, or checking a submitted feed): the shipment stays `expected` (queued or
    /// submitted), its attempts grow by one, `last_error` becomes `error` and it is due again at
    /// `next_attempt_at`.
    ///
    /// Errors: [`StoreError::Conflict`] if the shipment is not in `expected`, [`StoreError::NotFound`],
    /// [`StoreError::Invalid`] for a final `expected` or a blank error.
    pub async fn shipment_retry_later(
        &self,
        id: ShipmentId,
        expected: ShipmentState,
        error: &str,
        next_attempt_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        check::open_state(expected)?;
        check::message("shipment error", error)?;
        const SQL: &str = "UPDATE shipments SET attempts = attempts + 1, last_error = $1, \
            next_attempt_ms = $2, updated_at_ms = $3 WHERE id = $4 AND state = $5";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(error.to_owned())
                .bind(millis(next_attempt_at))
                .bind(millis(now))
                .bind(id.to_string())
                .bind(expected.as_str())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            return Err(explain_miss(self, id, expected).await);
        }
        Ok(())
    }

    /// `expected` (queued or submitted) → `confirmed` (outcome `Ok`, `last_error` cleared) or `rejected`
    /// (`Err(reason)`, kept in `last_error`), finished at `now`, with `audit` in the same transaction. The entry
    /// must be [`AuditAction::ShipmentConfirmed`] or [`AuditAction::ShipmentRejected`] to match the outcome, about
    /// the shipment's connection and its merchant. A finished shipment is never due again.
    ///
    /// Errors: [`StoreError::Conflict`] if the shipment is not in `expected` (e.g. another worker finished it),
    /// [`StoreError::NotFound`], [`StoreError::Invalid`] for a final `expected`, a blank reason or an audit entry
    /// that does not match.
    pub async fn shipment_finished(
        &self,
        id: ShipmentId,
        expected: ShipmentState,
        outcome: Result<(), &str>,
        now: Timestamp,
        audit: &AuditEntry,
    ) -> StoreResult<()> {
        check::open_state(expected)?;
        let (state, reason, action) = match outcome {
            Ok(()) => (
                ShipmentState::Confirmed,
                None,
                AuditAction::ShipmentConfirmed,
            ),
            Err(reason) => {
                check::message("shipment rejection reason", reason)?;
                (
                    ShipmentState::Rejected,
                    Some(reason.to_owned()),
                    AuditAction::ShipmentRejected,
                )
            }
        };
        expect_action(audit, action)?;
        let mut tx = self.pool.begin().await?;
        const SQL: &str = "UPDATE shipments SET state = $1, last_error = $2, finished_at_ms = $3, \
            updated_at_ms = $3 WHERE id = $4 AND state = $5 RETURNING connection_id";
        let updated: Option<String> = on_conn!(tx.handle(), |c| {
            sqlx::query_scalar(SQL)
                .bind(state.as_str())
                .bind(reason)
                .bind(millis(now))
                .bind(id.to_string())
                .bind(expected.as_str())
                .fetch_optional(&mut *c)
                .await?
        });
        let Some(connection) = updated else {
            let state = state_now(tx.handle(), id).await?;
            return Err(miss(id, expected, state.as_deref()));
        };
        let connection =
            Column::new("shipments", "connection_id").parse(ConnectionId::parse(&connection))?;
        // Returning before the commit rolls the change back.
        let merchant = merchant_of(tx.handle(), connection).await?;
        expect_subject(audit, merchant, Some(connection))?;
        write_audit(tx.handle(), audit).await?;
        tx.commit().await
    }
}
