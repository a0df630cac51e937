//! [`Shipper`]: confirms the shipments queued in the store's outbox to Amazon, one step per due shipment per run.
//!
//! A queued shipment is submitted: SP-API's `confirmShipment` answers at once (confirmed or refused); MWS takes
//! an order-fulfillment feed and processes it later, so the shipment becomes *submitted* and its processing
//! report is read at later runs until Amazon has processed it. Every step is a compare-and-swap on the
//! shipment's state, so two workers never finish the same shipment twice. A step that fails passingly (throttled
//! after the retries, 5xx, network) is tried again with backoff; Amazon refusing the *credential* pauses the
//! connection as an import would (alert, hourly re-check) and the shipment waits for access to come back; Amazon
//! refusing the *shipment* (a cancelled order, a bad item) finishes it as rejected with Amazon's reason.
//!
//! If a worker dies between Amazon accepting and the store recording it, the next run submits again: a feed
//! states the same absolute facts, and `confirmShipment` with the same package reference edits that package, so
//! a repeat changes nothing at Amazon.

use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_gateway::{
    GatewayError, GatewayErrorKind, OutgoingShipment, ShipmentOutcome, ShipmentSubmission,
};
use sellerlink_store::{ShipmentFilter, ShipmentRecord, ShipmentState, StoreError};

use crate::access;
use crate::error::SyncError;
use crate::feed_timing::{ACCESS_WAIT, PROCESSING_CHECK, backoff, later};
use crate::import::CallError;
use crate::seller_access::SellerAccess;
use crate::seller_lease::{Acquired, LeasePurpose, SellerLease};

/// Due shipments read per run, and per connection again once its lease is held.
const BATCH: u32 = 50;
/// What one run did with one shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShipmentStep {
    /// Amazon accepted it.
    Confirmed,
    /// Handed over for processing (MWS feed); its report is read later.
    Submitted,
    /// Amazon has not processed it yet.
    StillProcessing,
    /// Amazon refused it, for this reason.
    Rejected(String),
    /// It could not be sent now (this reason); tried again later.
    RetryLater(String),
    /// Another worker moved it first, or another process holds its connection's lease; nothing done (that
    /// worker handles it).
    TakenByAnother,
}

/// One shipment and what a run did with it.
#[derive(Debug, Clone)]
pub struct ShipmentRun {
    /// The shipment as it was when the run found it due.
    pub shipment: ShipmentRecord,
    /// What happened.
    pub step: ShipmentStep,
}

/// Confirms queued shipments through each connection's API.
#[derive(Debug, Clone)]
pub struct Shipper {
    access: SellerAccess,
}

impl Shipper {
    /// A shipper over `access`: the store, the clock, the leases and the connections' gateways. Given an
    /// [`crate::Importer`], it shares the importer's ([`crate::Importer::access`]), leases included.
    pub fn new(access: impl Into<SellerAccess>) -> Self {
        Self {
            access: access.into(),
        }
    }

    /// Handles every shipment due now (at most 50 per connection), connection by connection, and reports what each
    /// step did. Each connection's lease is held only while that connection's shipments are sent, and they are read
    /// again once it is held, so a step always acts on the shipment as it is now (never on a list another worker
    /// has since worked through). A connection whose lease another process holds (it is importing that seller,
    /// say) is left to that process: its seller's quota is spent by one process at a time.
    pub async fn run_once(&self) -> Result<Vec<ShipmentRun>, SyncError> {
        let now = self.access.clock().now();
        let due = self.access.store().due_shipments(now, BATCH).await?;
        let mut runs = Vec::with_capacity(due.len());
        for (connection, listed) in by_connection(due) {
            let acquired = self
                .access
                .leases()
                .acquire(connection, LeasePurpose::Outbox)
                .await?;
            let Acquired::Held(lease) = acquired else {
                runs.extend(listed.into_iter().map(|shipment| ShipmentRun {
                    shipment,
                    step: ShipmentStep::TakenByAnother,
                }));
                continue;
            };
            let sent = self.send_connection(connection, &lease).await;
            lease.release().await;
            runs.extend(sent?);
        }
        Ok(runs)
    }

    /// Steps through one connection's due shipments, read under its lease.
    async fn send_connection(
        &self,
        connection: ConnectionId,
        lease: &SellerLease,
    ) -> Result<Vec<ShipmentRun>, SyncError> {
        let now = self.access.clock().now();
        let due = self
            .access
            .store()
            .due_shipments_of(connection, now, BATCH)
            .await?;
        let mut runs = Vec::with_capacity(due.len());
        for shipment in due {
            let step = if lease.renew().await? {
                match self.step(&shipment).await {
                    Err(SyncError::Store(StoreError::Conflict { .. })) => {
                        ShipmentStep::TakenByAnother
                    }
                    other => other?,
                }
            } else {
                ShipmentStep::TakenByAnother
            };
            tracing::info!(
                shipment.id = %shipment.id,
                connection.id = %shipment.connection_id,
                order.id = %shipment.amazon_order_id,
                step = ?step,
                "shipment step"
            );
            runs.push(ShipmentRun { shipment, step });
        }
        Ok(runs)
    }

    /// Runs until every shipment due is finished or waiting for a later attempt (at most `max_runs` runs), for
    /// the CLI's "confirm now".
    pub async fn run_until_idle(&self, max_runs: u32) -> Result<Vec<ShipmentRun>, SyncError> {
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

    async fn step(&self, shipment: &ShipmentRecord) -> Result<ShipmentStep, SyncError> {
        let store = self.access.store();
        let now = self.access.clock().now();
        let connection = store.connection(shipment.connection_id).await?.connection;
        if connection.grant.is_paused() {
            let reason = "the connection has no access to Amazon now; the shipment is sent once access is back";
            store
                .shipment_retry_later(
                    shipment.id,
                    shipment.state,
                    reason,
                    later(now, ACCESS_WAIT),
                    now,
                )
                .await?;
            return Ok(ShipmentStep::RetryLater(reason.to_owned()));
        }
        let gateway = self.access.open_gateway(&connection).await?;
        match shipment.state {
            ShipmentState::Queued => {
                let outgoing = self.outgoing(&connection, shipment).await?;
                let answer = self
                    .access
                    .retrying(|| gateway.submit_shipment(&outgoing))
                    .await;
                match answer {
                    Ok(ShipmentSubmission::Accepted) => {
                        self.finish(&connection, shipment, Ok(())).await
                    }
                    Ok(ShipmentSubmission::Processing { submission }) => {
                        store
                            .shipment_submitted(
                                shipment.id,
                                Some(&submission),
                                later(now, PROCESSING_CHECK),
                                now,
                            )
                            .await?;
                        Ok(ShipmentStep::Submitted)
                    }
                    Err(error) => self.failed(&connection, shipment, error).await,
                }
            }
            ShipmentState::Submitted => {
                let Some(submission) = shipment.feed_submission_id.as_deref() else {
                    return self
                        .finish(
                            &connection,
                            shipment,
                            Err("submitted without a submission id to ask about"),
                        )
                        .await;
                };
                let order = &shipment.amazon_order_id;
                let answer = self
                    .access
                    .retrying(|| gateway.shipment_outcome(submission, order))
                    .await;
                match answer {
                    Ok(ShipmentOutcome::Pending) => {
                        store
                            .shipment_retry_later(
                                shipment.id,
                                ShipmentState::Submitted,
                                "Amazon is still processing the feed",
                                later(now, PROCESSING_CHECK),
                                now,
                            )
                            .await?;
                        Ok(ShipmentStep::StillProcessing)
                    }
                    Ok(ShipmentOutcome::Accepted) => {
                        self.finish(&connection, shipment, Ok(())).await
                    }
                    Ok(ShipmentOutcome::Refused(reason)) => {
                        self.finish(&connection, shipment, Err(&reason)).await
                    }
                    Err(error) => self.failed(&connection, shipment, error).await,
                }
            }
            ShipmentState::Confirmed | ShipmentState::Rejected => Ok(ShipmentStep::TakenByAnother),
        }
    }

    /// The package as Amazon is told about it: the order's marketplace, and a package number unique per order
    /// (this shipment's place among the order's shipments, oldest first).
    async fn outgoing(
        &self,
        connection: &Connection,
        shipment: &ShipmentRecord,
    ) -> Result<OutgoingShipment, SyncError> {
        let store = self.access.store();
        let marketplace_id = store
            .order(connection.id, &shipment.amazon_order_id)
            .await?
            .map_or_else(
                || connection.home_marketplace().clone(),
                |stored| stored.order.marketplace_id,
            );
        let mut siblings = store
            .shipments(&ShipmentFilter {
                connection: Some(connection.id),
                amazon_order_id: Some(shipment.amazon_order_id.clone()),
                limit: 500,
                ..ShipmentFilter::default()
            })
            .await?;
        siblings.sort_by_key(|s| (s.created_at, s.id.to_string()));
        let position = siblings
            .iter()
            .position(|s| s.id == shipment.id)
            .unwrap_or(siblings.len());
        Ok(OutgoingShipment {
            amazon_order_id: shipment.amazon_order_id.clone(),
            marketplace_id,
            carrier: shipment.carrier.clone(),
            shipping_method: shipment.shipping_method.clone(),
            tracking_number: shipment.tracking_number.clone(),
            ship_date: shipment.ship_date,
            lines: shipment
                .lines
                .iter()
                .map(|line| (line.order_item_id.clone(), line.quantity))
                .collect(),
            package_reference: (position + 1).to_string(),
        })
    }

    /// A call that did not succeed: the credential refused pauses the connection; the shipment refused finishes
    /// it; anything else waits for another attempt.
    async fn failed(
        &self,
        connection: &Connection,
        shipment: &ShipmentRecord,
        error: CallError,
    ) -> Result<ShipmentStep, SyncError> {
        let store = self.access.store();
        let now = self.access.clock().now();
        let error = match error {
            CallError::Gateway(error) => error,
            CallError::Cancelled => GatewayError::new(
                GatewayErrorKind::Other,
                "shipment",
                "the call was cancelled",
            ),
        };
        match &error.kind {
            GatewayErrorKind::AccessDenied {
                cause,
                code,
                message,
            } => {
                access::deny(store, connection.id, now, *cause, code, message).await?;
                store
                    .shipment_retry_later(
                        shipment.id,
                        shipment.state,
                        &error.to_string(),
                        later(now, ACCESS_WAIT),
                        now,
                    )
                    .await?;
                Ok(ShipmentStep::RetryLater(error.to_string()))
            }
            GatewayErrorKind::Invalid => {
                let reason = error.to_string();
                self.finish(connection, shipment, Err(&reason)).await
            }
            _ => {
                store
                    .shipment_retry_later(
                        shipment.id,
                        shipment.state,
                        &error.to_string(),
                        later(now, backoff(shipment.attempts)),
                        now,
                    )
                    .await?;
                Ok(ShipmentStep::RetryLater(error.to_string()))
            }
        }
    }

    /// Records Amazon's verdict with its audit entry.
    async fn finish(
        &self,
        connection: &Connection,
        shipment: &ShipmentRecord,
        outcome: Result<(), &str>,
    ) -> Result<ShipmentStep, SyncError> {
        let now = self.access.clock().now();
        let action = match outcome {
            Ok(()) => AuditAction::ShipmentConfirmed,
            Err(_) => AuditAction::ShipmentRejected,
        };
        let audit = AuditEntry {
            merchant_id: connection.merchant_id,
            connection_id: Some(connection.id),
            actor: Actor::system("sync"),
            action,
            at: now,
            before: None,
            after: Some(serde_json::json!({
                "shipment_id": shipment.id.to_string(),
                "amazon_order_id": shipment.amazon_order_id.as_str(),
                "carrier": shipment.carrier,
                "tracking_number": shipment.tracking_number,
                "rejected_because": outcome.err(),
            })),
        };
        self.access
            .store()
            .shipment_finished(shipment.id, shipment.state, outcome, now, &audit)
            .await?;
        Ok(match outcome {
            Ok(()) => ShipmentStep::Confirmed,
            Err(reason) => ShipmentStep::Rejected(reason.to_owned()),
        })
    }
}

/// The shipments grouped by connection, each connection where its first shipment was (the longest-waiting first).
fn by_connection(due: Vec<ShipmentRecord>) -> Vec<(ConnectionId, Vec<ShipmentRecord>)> {
    let mut groups: Vec<(ConnectionId, Vec<ShipmentRecord>)> = Vec::new();
    for shipment in due {
        match groups
            .iter_mut()
            .find(|(connection, _)| *connection == shipment.connection_id)
        {
            Some((_, group)) => group.push(shipment),
            None => groups.push((shipment.connection_id, vec![shipment])),
        }
    }
    groups
}
