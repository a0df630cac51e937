//! [`StockPusher`]: pushes the stock levels set in the store to Amazon, the latest quantity of each SKU.
//!
//! A stock level is a state, not an event: only the newest quantity of a SKU matters, and each change makes a new
//! revision. Per connection, a run first reads the outcome of a feed still in flight (MWS processes feeds a minute
//! or more after they are submitted), then submits every SKU with a quantity Amazon has not accepted yet: SP-API
//! answers SKU by SKU at once (`patchListingsItem`), MWS takes all of them in one
//! `_POST_INVENTORY_AVAILABILITY_DATA_` feed. A SKU whose older quantity is still being processed waits for that
//! outcome before its newer quantity is sent, so an older feed can never overwrite a newer quantity at Amazon.
//! Sending a quantity twice (a worker dying after Amazon's answer) sets the same absolute number again.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_gateway::{GatewayError, GatewayErrorKind, StockOutcome, StockSubmission};
use sellerlink_store::{StockLevel, StockState, StoreError};

use crate::access;
use crate::error::SyncError;
use crate::feed_timing::{ACCESS_WAIT, PROCESSING_CHECK, backoff, later};
use crate::import::CallError;
use crate::seller_access::SellerAccess;
use crate::seller_lease::{Acquired, LeasePurpose};

/// Rows handled per run.
const BATCH: u32 = 500;
/// What a run did with one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockStep {
    /// Amazon accepted the quantity.
    Pushed,
    /// Handed over in a feed; its outcome is read later.
    Submitted,
    /// Amazon has not processed the feed yet.
    StillProcessing,
    /// Amazon refused the quantity, for this reason.
    Rejected(String),
    /// It could not be sent now (this reason); tried again later.
    RetryLater(String),
}

/// One SKU and what a run did with it.
#[derive(Debug, Clone)]
pub struct StockRun {
    /// The connection.
    pub connection_id: ConnectionId,
    /// The SKU.
    pub sku: String,
    /// What happened.
    pub step: StockStep,
}

/// Pushes stock levels through each connection's API.
#[derive(Debug, Clone)]
pub struct StockPusher {
    access: SellerAccess,
}

fn source_error(error: CallError) -> GatewayError {
    match error {
        CallError::Gateway(error) => error,
        CallError::Cancelled => {
            GatewayError::new(GatewayErrorKind::Other, "stock", "the call was cancelled")
        }
    }
}

impl StockPusher {
    /// A pusher over `access`: the store, the clock, the leases and the connections' gateways. Given an
    /// [`crate::Importer`], it shares the importer's ([`crate::Importer::access`]), leases included.
    pub fn new(access: impl Into<SellerAccess>) -> Self {
        Self {
            access: access.into(),
        }
    }

    /// Handles every stock level due now, connection by connection, and reports what happened to each SKU.
    pub async fn run_once(&self) -> Result<Vec<StockRun>, SyncError> {
        let now = self.access.clock().now();
        let due = self.access.store().due_stock_levels(now, BATCH).await?;
        let connections: BTreeSet<ConnectionId> =
            due.iter().map(|level| level.connection_id).collect();
        let mut runs = Vec::new();
        for connection_id in connections {
            // Another process holds the connection's lease (it is importing that seller, say): it pushes them, so
            // that the seller's quota is spent by one process at a time.
            let leases = self.access.leases();
            let Acquired::Held(lease) = leases.acquire(connection_id, LeasePurpose::Outbox).await?
            else {
                continue;
            };
            // Read again under the lease: another worker may have pushed them since the list above was read.
            let pushed = match self
                .access
                .store()
                .due_stock_levels_of(connection_id, self.access.clock().now(), BATCH)
                .await
            {
                Ok(levels) if levels.is_empty() => Ok(Vec::new()),
                Ok(levels) => self.push_connection(connection_id, levels).await,
                Err(error) => Err(error.into()),
            };
            lease.release().await;
            match pushed {
                Ok(mut steps) => runs.append(&mut steps),
                // Another worker moved a row first: it handles it.
                Err(SyncError::Store(StoreError::Conflict { .. })) => {}
                Err(other) => return Err(other),
            }
        }
        Ok(runs)
    }

    /// Runs until nothing more is due right now (at most `max_runs` runs), for the CLI's "push now".
    pub async fn run_until_idle(&self, max_runs: u32) -> Result<Vec<StockRun>, SyncError> {
        let mut all = Vec::new();
        for _ in 0..max_runs {
            let runs = self.run_once().await?;
            if runs.is_empty() {
                break;
            }
            all.extend(runs);
        }
        Ok(all)
    }

    async fn push_connection(
        &self,
        connection_id: ConnectionId,
        levels: Vec<StockLevel>,
    ) -> Result<Vec<StockRun>, SyncError> {
        let store = self.access.store();
        let now = self.access.clock().now();
        let connection = store.connection(connection_id).await?.connection;
        if connection.grant.is_paused() {
            let reason =
                "the connection has no access to Amazon now; the stock is sent once access is back";
            return self
                .all_later(&levels, reason, later(now, ACCESS_WAIT))
                .await;
        }
        let gateway = self.access.open_gateway(&connection).await?;
        let mut runs = Vec::new();

        // Outcomes of feeds still in flight first; a SKU waiting for one is not sent again yet.
        let mut in_flight: BTreeMap<String, Vec<&StockLevel>> = BTreeMap::new();
        for level in &levels {
            if let (Some(feed), Some(_)) = (&level.feed_submission_id, level.submitted_revision) {
                in_flight.entry(feed.clone()).or_default().push(level);
            }
        }
        let mut waiting: Vec<&str> = Vec::new();
        for (feed, rows) in &in_flight {
            let answer = self.access.retrying(|| gateway.stock_outcome(feed)).await;
            match answer {
                Ok(StockOutcome::Pending) => {
                    for row in rows {
                        store
                            .stock_retry_later(
                                connection_id,
                                &row.sku,
                                row.revision,
                                row.state,
                                "Amazon is still processing the feed",
                                later(now, PROCESSING_CHECK),
                                now,
                            )
                            .await?;
                        waiting.push(&row.sku);
                        runs.push(run(row, StockStep::StillProcessing));
                    }
                }
                Ok(StockOutcome::Processed {
                    refused,
                    whole_feed,
                }) => {
                    for row in rows {
                        let revision = row.submitted_revision.unwrap_or(row.revision);
                        let reason = refused
                            .iter()
                            .find(|(sku, _)| *sku == row.sku)
                            .map(|(_, reason)| reason.clone())
                            .or_else(|| (!whole_feed.is_empty()).then(|| whole_feed.join("; ")));
                        let step = match reason {
                            Some(reason) => {
                                store
                                    .stock_rejected(connection_id, &row.sku, revision, &reason, now)
                                    .await?;
                                StockStep::Rejected(reason)
                            }
                            None => {
                                let quantity = row.submitted_quantity.unwrap_or(row.quantity);
                                store
                                    .stock_pushed(connection_id, &row.sku, revision, quantity, now)
                                    .await?;
                                StockStep::Pushed
                            }
                        };
                        runs.push(run(row, step));
                    }
                }
                Err(error) => {
                    let rows: Vec<StockLevel> = rows.iter().map(|r| (*r).clone()).collect();
                    runs.extend(self.failed(&connection, &rows, source_error(error)).await?);
                    return Ok(runs);
                }
            }
        }

        // Then every SKU with a quantity Amazon has not taken yet (re-read: outcomes above may have changed rows).
        let to_send: Vec<StockLevel> = store
            .stock_levels(&sellerlink_store::StockFilter {
                connection: Some(connection_id),
                states: vec![StockState::Pending],
                limit: BATCH,
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|row| row.next_attempt_at <= now && !waiting.contains(&row.sku.as_str()))
            .collect();
        if to_send.is_empty() {
            return Ok(runs);
        }
        let batch: Vec<(String, u32)> = to_send
            .iter()
            .map(|row| (row.sku.clone(), row.quantity))
            .collect();
        match self.access.retrying(|| gateway.submit_stock(&batch)).await {
            Ok(StockSubmission::Answered(verdicts)) => {
                for row in &to_send {
                    let verdict = verdicts
                        .iter()
                        .find(|(sku, _)| *sku == row.sku)
                        .map(|(_, verdict)| verdict.clone())
                        .unwrap_or_else(|| Err("Amazon did not answer for this SKU".to_owned()));
                    let step = match verdict {
                        Ok(()) => {
                            store
                                .stock_pushed(
                                    connection_id,
                                    &row.sku,
                                    row.revision,
                                    row.quantity,
                                    now,
                                )
                                .await?;
                            StockStep::Pushed
                        }
                        Err(reason) => {
                            store
                                .stock_rejected(connection_id, &row.sku, row.revision, &reason, now)
                                .await?;
                            StockStep::Rejected(reason)
                        }
                    };
                    runs.push(run(row, step));
                }
            }
            Ok(StockSubmission::Processing { submission }) => {
                for row in &to_send {
                    store
                        .stock_submitted(
                            connection_id,
                            &row.sku,
                            row.revision,
                            &submission,
                            later(now, PROCESSING_CHECK),
                            now,
                        )
                        .await?;
                    runs.push(run(row, StockStep::Submitted));
                }
            }
            Err(error) => {
                runs.extend(
                    self.failed(&connection, &to_send, source_error(error))
                        .await?,
                );
            }
        }
        Ok(runs)
    }

    /// A call that did not succeed: a refused credential pauses the connection and the rows wait for access; a
    /// refused request rejects them; anything else waits for another attempt.
    async fn failed(
        &self,
        connection: &Connection,
        rows: &[StockLevel],
        error: GatewayError,
    ) -> Result<Vec<StockRun>, SyncError> {
        let store = self.access.store();
        let now = self.access.clock().now();
        match &error.kind {
            GatewayErrorKind::AccessDenied {
                cause,
                code,
                message,
            } => {
                access::deny(store, connection.id, now, *cause, code, message).await?;
                self.all_later(rows, &error.to_string(), later(now, ACCESS_WAIT))
                    .await
            }
            GatewayErrorKind::Invalid => {
                let reason = error.to_string();
                let mut runs = Vec::new();
                for row in rows {
                    let revision = row.submitted_revision.unwrap_or(row.revision);
                    store
                        .stock_rejected(connection.id, &row.sku, revision, &reason, now)
                        .await?;
                    runs.push(run(row, StockStep::Rejected(reason.clone())));
                }
                Ok(runs)
            }
            _ => {
                let mut runs = Vec::new();
                for row in rows {
                    store
                        .stock_retry_later(
                            connection.id,
                            &row.sku,
                            row.revision,
                            row.state,
                            &error.to_string(),
                            later(now, backoff(row.attempts)),
                            now,
                        )
                        .await?;
                    runs.push(run(row, StockStep::RetryLater(error.to_string())));
                }
                Ok(runs)
            }
        }
    }

    async fn all_later(
        &self,
        rows: &[StockLevel],
        reason: &str,
        at: Timestamp,
    ) -> Result<Vec<StockRun>, SyncError> {
        let store = self.access.store();
        let now = self.access.clock().now();
        let mut runs = Vec::new();
        for row in rows {
            store
                .stock_retry_later(
                    row.connection_id,
                    &row.sku,
                    row.revision,
                    row.state,
                    reason,
                    at,
                    now,
                )
                .await?;
            runs.push(run(row, StockStep::RetryLater(reason.to_owned())));
        }
        Ok(runs)
    }
}

fn run(row: &StockLevel, step: StockStep) -> StockRun {
    StockRun {
        connection_id: row.connection_id,
        sku: row.sku.clone(),
        step,
    }
}
