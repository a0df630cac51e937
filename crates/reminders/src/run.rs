//! [`Reminders::run_once`], the idempotent step (plan, then deliver), and [`Reminders::serve`], the loop around
//! it.

use std::future::Future;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tokio::time::MissedTickBehavior;

use crate::error::ReminderError;
use crate::reminders::Reminders;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOutcome {
    /// Deliveries newly planned (one per notification and channel).
    pub planned: u32,
    /// Deliveries the channels accepted.
    pub sent: u32,
    /// Deliveries that failed and will be tried again later.
    pub retrying: u32,
    /// Deliveries given up as failed.
    pub failed: u32,
    /// Deliveries recorded as skipped (a late worker's passed offsets, an ended cycle, a disabled channel…).
    pub skipped: u32,
}

impl RunOutcome {
    /// Whether the pass did nothing at all.
    pub fn is_idle(&self) -> bool {
        *self == Self::default()
    }
}

impl Reminders {
    /// One pass at `now`: plans what is due for every connection, then sends every due delivery (new ones,
    /// retries whose time came, and ones whose worker stopped while sending). Safe to repeat and to run in
    /// several workers at once.
    pub async fn run_once(&self, now: Timestamp) -> Result<RunOutcome, ReminderError> {
        let planned = self.plan_pass(now).await?;
        let delivered = self.deliver_due(now).await?;
        Ok(RunOutcome {
            planned: planned.planned,
            sent: delivered.sent,
            retrying: delivered.retrying,
            failed: delivered.failed,
            skipped: planned.skipped + delivered.skipped,
        })
    }

    /// Runs a pass at once and then every `settings.interval` on the worker's clock, until `shutdown` completes.
    /// A pass in progress finishes first. A failed pass is logged and the next one tries again.
    pub async fn serve(&self, shutdown: impl Future<Output = ()>) {
        let mut ticker = tokio::time::interval(self.settings.interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Delay);
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => return,
                _ = ticker.tick() => match self.run_once(self.clock.now()).await {
                    Ok(outcome) if outcome.is_idle() => {}
                    Ok(outcome) => tracing::info!(
                        planned = outcome.planned,
                        sent = outcome.sent,
                        retrying = outcome.retrying,
                        failed = outcome.failed,
                        skipped = outcome.skipped,
                        "reminders pass finished"
                    ),
                    Err(error) => tracing::error!(error = %error, "reminders pass failed; the next pass tries again"),
                },
            }
        }
    }
}
