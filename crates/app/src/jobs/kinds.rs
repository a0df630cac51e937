//! The jobs themselves: each wraps one idempotent step of `sync`, `reminders` or `store` and says what it did in
//! a line for the operator.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::Clock;
use sellerlink_reminders::Reminders;
use sellerlink_store::Store;
use sellerlink_sync::{
    ScheduledCheck, ScheduledRun, Scheduler, ShipmentStep, Shipper, StockPusher, StockStep,
    VerifyOutcome,
};
use tokio_util::sync::CancellationToken;

use super::{Cadence, Job, JobError, JobFuture, JobKind, JobLease};
use crate::App;

/// How often shipment confirmations and stock levels are sent.
pub(super) const OUTBOX_EVERY: Duration = Duration::from_secs(30);
/// How often old buyer data is erased.
pub(super) const DAILY: Duration = Duration::from_secs(24 * 60 * 60);
/// How often the planner's statistics are refreshed and expired sessions deleted.
pub(super) const MAINTENANCE_EVERY: Duration = Duration::from_secs(10 * 60);

/// Counts of what a run did, by kind, for its summary: `3 shipments: 2 confirmed, 1 submitted`.
#[derive(Debug, Default)]
struct Counts(Vec<(&'static str, u64)>);

impl Counts {
    fn add(&mut self, what: &'static str) {
        match self.0.iter_mut().find(|(seen, _)| *seen == what) {
            Some((_, count)) => *count += 1,
            None => self.0.push((what, 1)),
        }
    }

    fn total(&self) -> u64 {
        self.0.iter().map(|(_, count)| count).sum()
    }

    /// `<total> <noun>(s): <count> <what>, …`, or `None` when nothing was counted.
    fn describe(&self, noun: &str) -> Option<String> {
        let total = self.total();
        (total > 0).then(|| {
            let parts: Vec<String> = self
                .0
                .iter()
                .map(|(what, count)| format!("{count} {what}"))
                .collect();
            format!("{total} {noun}(s): {}", parts.join(", "))
        })
    }
}

const NOTHING_DUE: &str = "nothing was due";

/// What the imports did since the last report: imports by outcome, re-checks by answer, and work that could not
/// run at all (the store failed), which makes the report a failure.
#[derive(Debug, Default)]
struct ImportTally {
    imports: Counts,
    rechecks: Counts,
    could_not_run: u64,
    first_error: Option<String>,
}

impl ImportTally {
    fn add_run(&mut self, run: &ScheduledRun) {
        match &run.result {
            Ok(report) => self.imports.add(report.outcome.as_str()),
            Err(error) => self.failed(error),
        }
    }

    fn add_check(&mut self, check: &ScheduledCheck) {
        match &check.result {
            Ok(VerifyOutcome::Verified(_)) => self.rechecks.add("resumed"),
            Ok(VerifyOutcome::AccessDenied { .. }) => self.rechecks.add("still refused"),
            Err(error) => self.failed(error),
        }
    }

    fn failed(&mut self, error: &impl std::fmt::Display) {
        self.could_not_run += 1;
        self.first_error.get_or_insert_with(|| error.to_string());
    }

    fn finish(self) -> Result<String, JobError> {
        let parts: Vec<String> = [
            self.imports.describe("import"),
            self.rechecks.describe("re-check"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let summary = if parts.is_empty() {
            NOTHING_DUE.to_owned()
        } else {
            parts.join("; ")
        };
        match self.first_error {
            None => Ok(summary),
            Some(error) => Err(format!(
                "{summary}; {} could not run, the first because: {error}",
                self.could_not_run
            )
            .into()),
        }
    }
}

/// Imports and re-checks of paused connections: the [`Scheduler`] over the import queue.
pub(super) struct ImportsJob {
    scheduler: Arc<Scheduler>,
    tally: Arc<Mutex<ImportTally>>,
}

impl ImportsJob {
    pub(super) fn new(scheduler: Scheduler) -> Self {
        Self {
            scheduler: Arc::new(scheduler),
            tally: Arc::default(),
        }
    }
}

impl Job for ImportsJob {
    fn kind(&self) -> JobKind {
        JobKind::Imports
    }

    fn interval(&self) -> Duration {
        self.scheduler.config().interval.unsigned_abs()
    }

    fn cadence(&self) -> Cadence {
        Cadence::Continuous
    }

    fn run_once(&self, now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let mut tally = ImportTally::default();
            for run in self.scheduler.tick(now).await? {
                tally.add_run(&run);
            }
            tally.finish()
        })
    }

    fn run_continuously(&self, shutdown: CancellationToken) -> JobFuture<'_, ()> {
        let tally = Arc::clone(&self.tally);
        let report = Arc::new(
            move |check: Option<&ScheduledCheck>, run: Option<&ScheduledRun>| {
                let mut tally = tally.lock().unwrap_or_else(PoisonError::into_inner);
                check.into_iter().for_each(|check| tally.add_check(check));
                run.into_iter().for_each(|run| tally.add_run(run));
            },
        );
        Box::pin(Arc::clone(&self.scheduler).run_reporting(shutdown, report))
    }

    fn take_report(&self) -> Result<String, JobError> {
        let mut tally = self.tally.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::take(&mut *tally).finish()
    }
}

/// Expiry reminders and access alerts: one reminders pass (plan, then deliver).
pub(super) struct RemindersJob {
    pub(super) reminders: Reminders,
}

impl Job for RemindersJob {
    fn kind(&self) -> JobKind {
        JobKind::Reminders
    }

    fn interval(&self) -> Duration {
        self.reminders.settings().interval
    }

    fn run_once(&self, now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let outcome = self.reminders.run_once(now).await?;
            if outcome.is_idle() {
                return Ok(NOTHING_DUE.to_owned());
            }
            tracing::info!(?outcome, "reminders pass finished");
            Ok(format!(
                "{} planned, {} sent, {} to retry, {} failed, {} skipped",
                outcome.planned, outcome.sent, outcome.retrying, outcome.failed, outcome.skipped
            ))
        })
    }
}

/// Shipment confirmations: one pass of the [`Shipper`] over the due shipments.
pub(super) struct ShipmentsJob {
    pub(super) shipper: Shipper,
}

impl Job for ShipmentsJob {
    fn kind(&self) -> JobKind {
        JobKind::Shipments
    }

    fn interval(&self) -> Duration {
        OUTBOX_EVERY
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let mut steps = Counts::default();
            for run in self.shipper.run_once().await? {
                steps.add(match run.step {
                    ShipmentStep::Confirmed => "confirmed",
                    ShipmentStep::Submitted => "submitted",
                    ShipmentStep::StillProcessing => "still processing",
                    ShipmentStep::Rejected(_) => "rejected",
                    ShipmentStep::RetryLater(_) => "to retry",
                    ShipmentStep::TakenByAnother => "left to another process",
                });
            }
            Ok(steps
                .describe("shipment")
                .unwrap_or_else(|| NOTHING_DUE.to_owned()))
        })
    }
}

/// Stock levels: one pass of the [`StockPusher`] over the due SKUs.
pub(super) struct StockLevelsJob {
    pub(super) pusher: StockPusher,
}

impl Job for StockLevelsJob {
    fn kind(&self) -> JobKind {
        JobKind::StockLevels
    }

    fn interval(&self) -> Duration {
        OUTBOX_EVERY
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let mut steps = Counts::default();
            for run in self.pusher.run_once().await? {
                steps.add(match run.step {
                    StockStep::Pushed => "pushed",
                    StockStep::Submitted => "submitted",
                    StockStep::StillProcessing => "still processing",
                    StockStep::Rejected(_) => "rejected",
                    StockStep::RetryLater(_) => "to retry",
                });
            }
            Ok(steps
                .describe("SKU")
                .unwrap_or_else(|| NOTHING_DUE.to_owned()))
        })
    }
}

/// Buyer-data erasure: the names and addresses of finished orders last updated more than `days` days ago.
pub(super) struct BuyerDataErasureJob {
    pub(super) app: App,
    pub(super) days: u32,
}

impl Job for BuyerDataErasureJob {
    fn kind(&self) -> JobKind {
        JobKind::BuyerDataErasure
    }

    fn interval(&self) -> Duration {
        DAILY
    }

    fn lease(&self) -> JobLease {
        JobLease::Fleet
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let days = self.days;
            let erased = self.app.erase_buyer_data(days).await?;
            if erased > 0 {
                tracing::info!(erased, days, "erased buyer data of finished orders");
            }
            Ok(format!(
                "erased the buyer data of {erased} finished order(s) last updated more than {days} day(s) ago"
            ))
        })
    }
}

/// The query planner's statistics ([`Store::optimize`]).
pub(super) struct PlannerStatisticsJob {
    pub(super) store: Store,
}

impl Job for PlannerStatisticsJob {
    fn kind(&self) -> JobKind {
        JobKind::PlannerStatistics
    }

    fn interval(&self) -> Duration {
        MAINTENANCE_EVERY
    }

    fn cadence(&self) -> Cadence {
        Cadence::AfterInterval
    }

    fn lease(&self) -> JobLease {
        JobLease::Fleet
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            self.store.optimize().await?;
            Ok(format!(
                "statistics refreshed where stale ({})",
                self.store.engine()
            ))
        })
    }
}

/// Expired sessions and failed sign-ins older than the throttling window, deleted on the sessions' own clock
/// (real time in the demo, where moving the demo clock must sign nobody out).
pub(super) struct SessionCleanupJob {
    pub(super) store: Store,
    pub(super) clock: Arc<dyn Clock>,
    pub(super) login_failure_window: SignedDuration,
}

impl Job for SessionCleanupJob {
    fn kind(&self) -> JobKind {
        JobKind::SessionCleanup
    }

    fn interval(&self) -> Duration {
        MAINTENANCE_EVERY
    }

    fn cadence(&self) -> Cadence {
        Cadence::AfterInterval
    }

    fn lease(&self) -> JobLease {
        JobLease::Fleet
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let now = self.clock.now();
            let sessions = self.store.delete_expired_sessions(now).await?;
            let before = now
                .checked_sub(self.login_failure_window)
                .unwrap_or(Timestamp::MIN);
            let failures = self.store.prune_login_failures(before).await?;
            Ok(format!(
                "{sessions} expired session(s) and {failures} old failed sign-in(s) deleted"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_a_total_and_its_parts_in_first_seen_order() {
        let mut counts = Counts::default();
        assert_eq!(counts.describe("shipment"), None);
        for what in ["confirmed", "submitted", "confirmed"] {
            counts.add(what);
        }
        assert_eq!(
            counts.describe("shipment").as_deref(),
            Some("3 shipment(s): 2 confirmed, 1 submitted")
        );
    }

    #[test]
    fn an_import_report_fails_only_for_work_that_could_not_run() {
        assert_eq!(ImportTally::default().finish().unwrap(), NOTHING_DUE);
        let mut tally = ImportTally::default();
        tally.imports.add("completed");
        tally.imports.add("failed");
        tally.rechecks.add("resumed");
        assert_eq!(
            tally.finish().unwrap(),
            "2 import(s): 1 completed, 1 failed; 1 re-check(s): 1 resumed"
        );
        let mut tally = ImportTally::default();
        tally.imports.add("completed");
        tally.failed(&"database: connection refused");
        let error = tally.finish().unwrap_err().to_string();
        assert!(
            error.starts_with("1 import(s): 1 completed; 1 could not run"),
            "{error}"
        );
        assert!(error.ends_with("database: connection refused"), "{error}");
    }
}
