//! Recording what became of a push: submitted in a feed, accepted, refused, or to be tried again later.
//!
//! Each is one `UPDATE` of the row keyed by (connection, SKU). `stock_submitted` and `stock_retry_later` compare
//! and swap on the (state, revision) the worker read, so of two workers only the first changes the row; the other
//! gets [`StoreError::Conflict`]. Amazon's answers (`stock_pushed`, `stock_rejected`) may arrive for a revision
//! older than the current one: they record what Amazon holds and leave the newer revision pending.

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;

use super::check;
use super::record::level_key;
use super::state::StockState;
use crate::codec::millis;
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// What a change expected to find, to explain why it matched no row.
#[derive(Clone, Copy)]
enum Expected {
    /// This state at exactly this revision.
    StateAt(StockState, u64),
    /// Any state, at this revision or a later one.
    RevisionAtLeast(u64),
}

impl Store {
    /// Reads the state and revision of a stock level now, to explain why a change matched no row.
    async fn explain_stock_miss(
        &self,
        connection: ConnectionId,
        sku: &str,
        expected: Expected,
    ) -> StoreError {
        const SQL: &str =
            "SELECT state, revision FROM stock_levels WHERE connection_id = $1 AND sku = $2";
        let found: Result<Option<(String, i64)>, sqlx::Error> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(connection.to_string())
                .bind(sku.to_owned())
                .fetch_optional(pool)
                .await
        });
        let (state, revision) = match found {
            Ok(Some(row)) => row,
            Ok(None) => return StoreError::not_found("stock level", level_key(connection, sku)),
            Err(error) => return error.into(),
        };
        let detail = match expected {
            Expected::StateAt(state_wanted, revision_wanted) => format!(
                "expected {state_wanted} at revision {revision_wanted}, it is {state} at revision {revision}"
            ),
            Expected::RevisionAtLeast(wanted) => {
                format!("revision {wanted} does not exist yet, it is at revision {revision}")
            }
        };
        StoreError::Conflict {
            what: "stock level",
            id: level_key(connection, sku),
            detail,
        }
    }

    /// `pending` → `submitted`: the quantity of `revision` was handed to Amazon in feed `feed_submission_id` (MWS;
    /// an API that answers at once records its answer with [`Store::stock_pushed`] or [`Store::stock_rejected`]
    /// instead). Sets `submitted_revision`, the feed id, counts the attempt, clears `last_error`, and sets the next
    /// attempt (when to check the feed's result) to `next_check_at`.
    ///
    /// Errors: [`StoreError::Conflict`] unless the row is pending at exactly `revision` (another worker submitted it,
    /// or the quantity changed since it was read); [`StoreError::NotFound`]; [`StoreError::Invalid`] for revision 0
    /// or a blank or padded feed submission id.
    pub async fn stock_submitted(
        &self,
        connection: ConnectionId,
        sku: &str,
        revision: u64,
        feed_submission_id: &str,
        next_check_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        let stored_revision = check::revision(revision)?;
        check::feed_submission_id(feed_submission_id)?;
        const SQL: &str = "UPDATE stock_levels SET state = 'submitted', submitted_revision = $1, \
            submitted_quantity = quantity, feed_submission_id = $2, attempts = attempts + 1, last_error = NULL, \
            next_attempt_ms = $3, \
            updated_at_ms = $4 WHERE connection_id = $5 AND sku = $6 AND state = 'pending' AND revision = $1";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(stored_revision)
                .bind(feed_submission_id.to_owned())
                .bind(millis(next_check_at))
                .bind(millis(now))
                .bind(connection.to_string())
                .bind(sku.to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            let expected = Expected::StateAt(StockState::Pending, revision);
            return Err(self.explain_stock_miss(connection, sku, expected).await);
        }
        Ok(())
    }

    /// Amazon accepted `revision`, whose quantity was `quantity`. If it is newer than `pushed_revision`, it becomes
    /// `pushed_revision` with `pushed_quantity` = `quantity` and `pushed_at` = `now` (an older or repeated answer
    /// changes neither). `submitted_revision` and the feed id are cleared if they were this revision. If `revision`
    /// is the current revision the row becomes `pushed` (`last_error` cleared) and is never due again until the
    /// quantity changes; otherwise its state stays (a newer quantity still waits, pending or in its own feed).
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown row; [`StoreError::Conflict`] only for a revision the row has
    /// not reached; [`StoreError::Invalid`] for revision 0 or a quantity above 1,000,000. A stale revision is
    /// never a conflict.
    pub async fn stock_pushed(
        &self,
        connection: ConnectionId,
        sku: &str,
        revision: u64,
        quantity: u32,
        now: Timestamp,
    ) -> StoreResult<()> {
        let stored_revision = check::revision(revision)?;
        check::quantity(sku, quantity)?;
        const SQL: &str = "UPDATE stock_levels SET \
            pushed_quantity = CASE WHEN $1 > pushed_revision THEN $2 ELSE pushed_quantity END, \
            pushed_at_ms = CASE WHEN $1 > pushed_revision THEN $3 ELSE pushed_at_ms END, \
            pushed_revision = CASE WHEN $1 > pushed_revision THEN $1 ELSE pushed_revision END, \
            state = CASE WHEN revision = $1 THEN 'pushed' ELSE state END, \
            last_error = CASE WHEN revision = $1 THEN NULL ELSE last_error END, \
            feed_submission_id = CASE WHEN submitted_revision = $1 THEN NULL ELSE feed_submission_id END, \
            submitted_quantity = CASE WHEN submitted_revision = $1 THEN NULL ELSE submitted_quantity END, \
            submitted_revision = CASE WHEN submitted_revision = $1 THEN NULL ELSE submitted_revision END, \
            updated_at_ms = $3 \
            WHERE connection_id = $4 AND sku = $5 AND revision >= $1";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(stored_revision)
                .bind(i64::from(quantity))
                .bind(millis(now))
                .bind(connection.to_string())
                .bind(sku.to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            let expected = Expected::RevisionAtLeast(revision);
            return Err(self.explain_stock_miss(connection, sku, expected).await);
        }
        Ok(())
    }

    /// Amazon refused `revision` because of `reason`. If it is the current revision the row becomes `rejected`
    /// with `last_error` = `reason` (never due again; setting any quantity makes a new revision). Otherwise only
    /// `submitted_revision` and the feed id are cleared if they were this revision: the newer revision is still
    /// pending.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown row; [`StoreError::Conflict`] only for a revision the row has
    /// not reached; [`StoreError::Invalid`] for revision 0 or a blank reason.
    pub async fn stock_rejected(
        &self,
        connection: ConnectionId,
        sku: &str,
        revision: u64,
        reason: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let stored_revision = check::revision(revision)?;
        check::message("stock rejection reason", reason)?;
        const SQL: &str = "UPDATE stock_levels SET \
            state = CASE WHEN revision = $1 THEN 'rejected' ELSE state END, \
            last_error = CASE WHEN revision = $1 THEN $2 ELSE last_error END, \
            feed_submission_id = CASE WHEN submitted_revision = $1 THEN NULL ELSE feed_submission_id END, \
            submitted_quantity = CASE WHEN submitted_revision = $1 THEN NULL ELSE submitted_quantity END, \
            submitted_revision = CASE WHEN submitted_revision = $1 THEN NULL ELSE submitted_revision END, \
            updated_at_ms = $3 \
            WHERE connection_id = $4 AND sku = $5 AND revision >= $1";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(stored_revision)
                .bind(reason.to_owned())
                .bind(millis(now))
                .bind(connection.to_string())
                .bind(sku.to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            let expected = Expected::RevisionAtLeast(revision);
            return Err(self.explain_stock_miss(connection, sku, expected).await);
        }
        Ok(())
    }

    /// Records a failed attempt (pushing, or checking a submitted feed): the row stays `expected` (pending or
    /// submitted) at `revision`, its attempts grow by one, `last_error` becomes `error` and it is due again at
    /// `next_attempt_at`.
    ///
    /// Errors: [`StoreError::Conflict`] unless the row is in `expected` at exactly `revision`;
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] for revision 0, a final `expected` or a blank error.
    #[allow(clippy::too_many_arguments)]
    pub async fn stock_retry_later(
        &self,
        connection: ConnectionId,
        sku: &str,
        revision: u64,
        expected: StockState,
        error: &str,
        next_attempt_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        let stored_revision = check::revision(revision)?;
        check::open_state(expected)?;
        check::message("stock error", error)?;
        const SQL: &str = "UPDATE stock_levels SET attempts = attempts + 1, last_error = $1, \
            next_attempt_ms = $2, updated_at_ms = $3 \
            WHERE connection_id = $4 AND sku = $5 AND revision = $6 AND state = $7";
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(error.to_owned())
                .bind(millis(next_attempt_at))
                .bind(millis(now))
                .bind(connection.to_string())
                .bind(sku.to_owned())
                .bind(stored_revision)
                .bind(expected.as_str())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated != 1 {
            let miss = Expected::StateAt(expected, revision);
            return Err(self.explain_stock_miss(connection, sku, miss).await);
        }
        Ok(())
    }
}
