//! The jobs themselves: each wraps one idempotent step of `sync`, `reminders` or `store` and says what it did in
//! a line for the operator.

mod imports;

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::Clock;
use sellerlink_reminders::Reminders;
use sellerlink_store::Store;
use sellerlink_sync::{ShipmentRun, ShipmentStep, Shipper, StockPusher, StockRun, StockStep};

use super::{Job, JobError, JobFuture, JobKind, JobSpec};
use crate::App;

pub(super) use imports::ImportsJob;

/// How often shipment confirmations and stock levels are sent.
const OUTBOX_EVERY: Duration = Duration::from_secs(30);
/// How often old buyer data is erased.
const DAILY: Duration = Duration::from_secs(24 * 60 * 60);
/// How often the planner's statistics are refreshed and expired sessions deleted.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(10 * 60);

/// The summary of a run that found nothing to do.
const NOTHING_DUE: &str = "nothing was due";

/// Counts of what a run did, by kind, for its summary: `3 shipment(s): 2 confirmed, 1 submitted`.
#[derive(Debug, Default)]
struct Counts(Vec<(&'static str, u64)>);

impl Counts {
    fn add(&mut self, what: &'static str) {
        match self.0.iter_mut().find(|(seen, _)| *seen == what) {
            Some((_, count)) => *count += 1,
            None => self.0.push((what, 1)),
        }
    }

    /// `<total> <noun>(s): <count> <what>, …`, or `None` when nothing was counted.
    fn describe(&self, noun: &str) -> Option<String> {
        let total: u64 = self.0.iter().map(|(_, count)| count).sum();
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

/// The summary of an outbox pass: what happened to each item, counted, or [`NOTHING_DUE`].
fn outbox_summary<T>(noun: &str, items: &[T], step: fn(&T) -> &'static str) -> String {
    let mut counts = Counts::default();
    for item in items {
        counts.add(step(item));
    }
    counts
        .describe(noun)
        .unwrap_or_else(|| NOTHING_DUE.to_owned())
}

/// Expiry reminders and access alerts: one reminders pass (plan, then deliver).
pub(super) struct RemindersJob {
    pub(super) reminders: Reminders,
}

impl Job for RemindersJob {
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::Reminders, self.reminders.settings().interval)
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

fn shipment_step(run: &ShipmentRun) -> &'static str {
    match run.step {
        ShipmentStep::Confirmed => "confirmed",
        ShipmentStep::Submitted => "submitted",
        ShipmentStep::StillProcessing => "still processing",
        ShipmentStep::Rejected(_) => "rejected",
        ShipmentStep::RetryLater(_) => "to retry",
        ShipmentStep::TakenByAnother => "left to another process",
    }
}

impl Job for ShipmentsJob {
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::Shipments, OUTBOX_EVERY)
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let runs = self.shipper.run_once().await?;
            Ok(outbox_summary("shipment", &runs, shipment_step))
        })
    }
}

/// Stock levels: one pass of the [`StockPusher`] over the due SKUs.
pub(super) struct StockLevelsJob {
    pub(super) pusher: StockPusher,
}

fn stock_step(run: &StockRun) -> &'static str {
    match run.step {
        StockStep::Pushed => "pushed",
        StockStep::Submitted => "submitted",
        StockStep::StillProcessing => "still processing",
        StockStep::Rejected(_) => "rejected",
        StockStep::RetryLater(_) => "to retry",
    }
}

impl Job for StockLevelsJob {
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::StockLevels, OUTBOX_EVERY)
    }

    fn run_once(&self, _now: Timestamp) -> JobFuture<'_, Result<String, JobError>> {
        Box::pin(async move {
            let runs = self.pusher.run_once().await?;
            Ok(outbox_summary("SKU", &runs, stock_step))
        })
    }
}

/// Buyer-data erasure: the names and addresses of finished orders last updated more than `days` days ago.
pub(super) struct BuyerDataErasureJob {
    pub(super) app: App,
    pub(super) days: u32,
}

impl Job for BuyerDataErasureJob {
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::BuyerDataErasure, DAILY).one_process_at_a_time()
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
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::PlannerStatistics, MAINTENANCE_EVERY)
            .first_after_interval()
            .one_process_at_a_time()
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
    fn spec(&self) -> JobSpec {
        JobSpec::every(JobKind::SessionCleanup, MAINTENANCE_EVERY)
            .first_after_interval()
            .one_process_at_a_time()
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
        assert_eq!(
            outbox_summary("SKU", &[] as &[u8], |_| "pushed"),
            NOTHING_DUE
        );
    }
}
