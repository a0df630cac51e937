//! [`Importer`]: the order import of one connection as an idempotent step (`run_once`), and its verification.

mod pipeline;
mod retry;
mod run_record;
mod stats;

use std::sync::Arc;

use jiff::Timestamp;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_gateway::{AmazonGateway, GatewayError, GatewayErrorKind, GatewayFactory, Window};
use sellerlink_store::{
    ImportStart, SealedCredential, Store, SyncFailure, SyncOutcome, SyncRunResult, SyncStream,
};
use tracing::Instrument as _;

use self::pipeline::{Pipeline, PipelineError};
use self::run_record::RunRecord;
use crate::access;
use crate::config::ImportConfig;
use crate::credentials::CredentialOpener;
use crate::error::SyncError;
use crate::report::{ImportOutcome, RunOptions, SyncReport};
use crate::seller_access::SellerAccess;
use crate::seller_lease::{Acquired, LeasePurpose, SellerLease, SellerLeases};

pub(crate) use retry::{CallError, with_retry};
pub(crate) use stats::RunStats;

/// The order import engine. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Importer {
    inner: Arc<Inner>,
}

struct Inner {
    access: SellerAccess,
    config: ImportConfig,
}

impl std::fmt::Debug for Importer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Importer")
            .field("store", self.inner.access.store())
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// How a run ended, before it is recorded.
struct Ended {
    outcome: SyncOutcome,
    watermark: Option<Timestamp>,
    error: Option<SyncFailure>,
}

impl Ended {
    fn failed(kind: &str, message: impl Into<String>) -> Self {
        Self {
            outcome: SyncOutcome::Failed,
            watermark: None,
            error: Some(SyncFailure {
                kind: kind.to_owned(),
                message: message.into(),
            }),
        }
    }
}

impl Importer {
    /// An importer over `store`. `clock` must read Amazon's time (the window's lower bound and the stored
    /// instants come from it); `credentials` opens each connection's credential; `factory` builds its gateway.
    pub fn new(
        store: Store,
        clock: Arc<dyn Clock>,
        credentials: Arc<dyn CredentialOpener>,
        factory: Arc<dyn GatewayFactory>,
        config: ImportConfig,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                access: SellerAccess::new(store, clock, credentials, factory, &config),
                config,
            }),
        }
    }

    /// The store, clock, leases and gateways this importer works with, to share with a [`crate::Shipper`] or a
    /// [`crate::StockPusher`].
    pub fn access(&self) -> &SellerAccess {
        &self.inner.access
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.inner.access.store()
    }

    /// The clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        self.inner.access.clock()
    }

    /// The settings.
    pub fn config(&self) -> &ImportConfig {
        &self.inner.config
    }

    /// The leases this process holds on its connections, shared with the shipper and the stock pusher built
    /// from this importer's [`Importer::access`].
    pub fn leases(&self) -> &SellerLeases {
        self.inner.access.leases()
    }

    /// Runs imports of one connection until one settles (completed, or paused by a refusal), running again after
    /// a failed run or a held lease, at most `max_runs` times; `None` if none settled. For harnesses and the CLI.
    pub async fn run_until_settled(
        &self,
        connection_id: ConnectionId,
        max_runs: u32,
        on_report: impl Fn(&SyncReport),
    ) -> Result<Option<ImportOutcome>, SyncError> {
        for _ in 0..max_runs {
            let report = self.run_once(connection_id).await?;
            on_report(&report);
            match report.outcome {
                ImportOutcome::Completed
                | ImportOutcome::Paused
                | ImportOutcome::PausedAccessDenied => {
                    return Ok(Some(report.outcome));
                }
                ImportOutcome::Failed | ImportOutcome::LeaseHeld => {
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
        Ok(None)
    }

    /// Imports the orders of one connection changed since its watermark (see [`Importer::run_once_with`]).
    pub async fn run_once(&self, connection_id: ConnectionId) -> Result<SyncReport, SyncError> {
        self.run_once_with(connection_id, RunOptions::default())
            .await
    }

    /// Imports the orders of one connection changed since its watermark: an idempotent step.
    ///
    /// Takes the lease `sync:<id>` (returns [`ImportOutcome::LeaseHeld`] if another worker holds it), skips a
    /// connection whose credential Amazon refused or the seller revoked ([`ImportOutcome::Paused`]), and
    /// otherwise records a sync run and imports the window `[watermark − overlap, Amazon's now − 2 min]` (or,
    /// the first time, from `now − initial_lookback`). A refusal by Amazon marks the connection access denied
    /// ([`ImportOutcome::PausedAccessDenied`]); other errors end the run as [`ImportOutcome::Failed`]; either way
    /// the watermark stays where it was. `Err` only when the store itself fails.
    pub async fn run_once_with(
        &self,
        connection_id: ConnectionId,
        options: RunOptions,
    ) -> Result<SyncReport, SyncError> {
        let span = tracing::info_span!("sync.run", connection.id = %connection_id, outcome = tracing::field::Empty);
        async {
            let report = self.leased(connection_id, options).await?;
            tracing::Span::current().record("outcome", report.outcome.as_str());
            sellerlink_metrics::import_finished(report.outcome.as_str());
            sellerlink_metrics::orders_written(report.orders_new + report.orders_changed);
            match &report.error {
                Some(error) => tracing::warn!(
                    error.kind = %error.kind,
                    error.message = %error.message,
                    pages = report.pages,
                    orders_new = report.orders_new,
                    orders_changed = report.orders_changed,
                    "order import ended on an error"
                ),
                None => tracing::info!(
                    pages = report.pages,
                    orders_new = report.orders_new,
                    orders_changed = report.orders_changed,
                    throttled = report.throttled,
                    "order import finished"
                ),
            }
            Ok(report)
        }
        .instrument(span)
        .await
    }

    fn skipped(
        &self,
        connection_id: ConnectionId,
        outcome: ImportOutcome,
        now: Timestamp,
    ) -> SyncReport {
        SyncReport {
            connection_id,
            outcome,
            run_id: None,
            started_at: now,
            finished_at: now,
            pages: 0,
            orders_seen: 0,
            orders_new: 0,
            orders_changed: 0,
            orders_unchanged: 0,
            item_calls: 0,
            throttled: 0,
            retries: 0,
            watermark: None,
            error: None,
            lease_holder: None,
        }
    }

    async fn leased(
        &self,
        connection_id: ConnectionId,
        options: RunOptions,
    ) -> Result<SyncReport, SyncError> {
        let now = self.clock().now();
        let lease = match self
            .leases()
            .acquire(connection_id, LeasePurpose::Import)
            .await?
        {
            Acquired::Held(lease) => lease,
            Acquired::Elsewhere(holder) => {
                let mut report = self.skipped(connection_id, ImportOutcome::LeaseHeld, now);
                report.lease_holder = holder;
                return Ok(report);
            }
        };
        let result = self.locked(connection_id, &lease, options).await;
        lease.release().await;
        result
    }

    async fn locked(
        &self,
        connection_id: ConnectionId,
        lease: &SellerLease,
        options: RunOptions,
    ) -> Result<SyncReport, SyncError> {
        let store = self.store();
        let start = store
            .import_start(connection_id, &SyncStream::orders())
            .await?;
        let connection = &start.connection.connection;
        let started_at = self.clock().now();
        if connection.grant.is_paused() {
            return Ok(self.skipped(connection_id, ImportOutcome::Paused, started_at));
        }
        let run = RunRecord::new(connection_id, started_at);
        let stats = Arc::new(RunStats::default());
        let ended = match self.open_gateway(connection, &start.credential) {
            Ok(gateway) => {
                self.import(&start, gateway, lease, &run, &stats, &options)
                    .await?
            }
            Err(ended) => ended,
        };
        self.finish(&run, &stats, ended).await
    }

    /// Opens the credential read with the connection and builds its gateway; a failure ends the run.
    fn open_gateway(
        &self,
        connection: &Connection,
        sealed: &SealedCredential,
    ) -> Result<Arc<dyn AmazonGateway>, Ended> {
        self.inner
            .access
            .open_gateway_sealed(connection, sealed)
            .map_err(|error| match error {
                SyncError::Gateway { source, .. } => {
                    Ended::failed(source.kind.name(), source.to_string())
                }
                SyncError::Credential(error) => Ended::failed("credential", error.to_string()),
                SyncError::Store(error) => Ended::failed("store", error.to_string()),
            })
    }

    /// The window of the import: from the watermark less the overlap (the first time, from `now −
    /// initial_lookback`), reaching back to the earliest quarantined order, which is re-read until it converts.
    fn window(&self, start: &ImportStart) -> Window {
        let config = &self.inner.config;
        let resume = match start.resume_after {
            Some(watermark) => watermark
                .saturating_sub(config.overlap)
                .unwrap_or(Timestamp::MIN),
            None => self
                .clock()
                .now()
                .saturating_sub(config.initial_lookback)
                .unwrap_or(Timestamp::MIN),
        };
        let updated_after = start
            .earliest_quarantined
            .map_or(resume, |from| from.min(resume));
        Window {
            updated_after,
            updated_before: None,
        }
    }

    async fn import(
        &self,
        start: &ImportStart,
        gateway: Arc<dyn AmazonGateway>,
        lease: &SellerLease,
        run: &RunRecord,
        stats: &Arc<RunStats>,
        options: &RunOptions,
    ) -> Result<Ended, SyncError> {
        let cancel = options.cancel.clone().unwrap_or_default();
        let pipeline = Pipeline {
            store: self.store(),
            clock: self.clock().as_ref(),
            gateway,
            connection_id: start.connection.connection.id,
            window: self.window(start),
            stored_watermark: start.resume_after,
            config: &self.inner.config,
            lease,
            stats: Arc::clone(stats),
            cancel: &cancel,
            run,
            progress: options.progress.as_ref(),
        };
        let ended = match pipeline.run().await {
            Ok(watermark) => Ended {
                outcome: SyncOutcome::Ok,
                watermark: Some(watermark),
                error: None,
            },
            Err(PipelineError::Gateway(error)) => {
                self.gateway_failed(start.connection.connection.id, error)
                    .await?
            }
            Err(PipelineError::Store(error)) => Ended::failed("store", error.to_string()),
            Err(PipelineError::LeaseLost) => Ended::failed(
                "lease_lost",
                "another worker took over the connection's lease; this run stopped",
            ),
            Err(PipelineError::Cancelled) => {
                Ended::failed("interrupted", "the run was stopped before it finished")
            }
        };
        Ok(ended)
    }

    /// Ends a run on an Amazon error: a refusal of the credential marks the connection access denied.
    async fn gateway_failed(
        &self,
        connection_id: ConnectionId,
        error: GatewayError,
    ) -> Result<Ended, SyncError> {
        let GatewayErrorKind::AccessDenied {
            cause,
            code,
            message,
        } = &error.kind
        else {
            return Ok(Ended::failed(error.kind.name(), error.to_string()));
        };
        access::deny(
            self.store(),
            connection_id,
            self.clock().now(),
            *cause,
            code,
            message,
        )
        .await?;
        Ok(Ended {
            outcome: SyncOutcome::PausedAccessDenied,
            watermark: None,
            error: Some(SyncFailure {
                kind: cause.code().to_owned(),
                message: error.to_string(),
            }),
        })
    }

    async fn finish(
        &self,
        run: &RunRecord,
        stats: &RunStats,
        ended: Ended,
    ) -> Result<SyncReport, SyncError> {
        let finished_at = self.clock().now();
        let counts = stats.snapshot();
        let result = SyncRunResult {
            finished_at,
            outcome: ended.outcome,
            pages: counts.pages,
            orders_new: counts.orders_new,
            orders_changed: counts.orders_changed,
            error: ended.error.clone(),
        };
        let run_id = run.finish(self.store(), &result).await?;
        let outcome = match ended.outcome {
            SyncOutcome::Ok => ImportOutcome::Completed,
            SyncOutcome::PausedAccessDenied => ImportOutcome::PausedAccessDenied,
            SyncOutcome::Failed => ImportOutcome::Failed,
        };
        Ok(SyncReport {
            connection_id: run.connection_id(),
            outcome,
            run_id: Some(run_id),
            started_at: run.started_at(),
            finished_at,
            pages: counts.pages,
            orders_seen: counts.orders_seen,
            orders_new: counts.orders_new,
            orders_changed: counts.orders_changed,
            orders_unchanged: counts.orders_unchanged,
            item_calls: counts.item_calls,
            throttled: counts.throttled,
            retries: counts.retries,
            watermark: ended.watermark,
            error: ended.error,
            lease_holder: None,
        })
    }
}

impl From<Importer> for SellerAccess {
    /// The importer's access, so that a shipper or a stock pusher built from it shares its leases.
    fn from(importer: Importer) -> Self {
        importer.inner.access.clone()
    }
}
