//! The imports job: the [`Scheduler`] over the import queue (imports of due connections and re-checks of paused
//! ones), in its own loop, with a tally of what it did for the record.

use std::sync::{Arc, Mutex, PoisonError};

use jiff::Timestamp;
use sellerlink_sync::{ScheduledCheck, ScheduledRun, Scheduler, VerifyOutcome};
use tokio_util::sync::CancellationToken;

use super::{Counts, NOTHING_DUE};
use crate::jobs::{Job, JobError, JobFuture, JobKind, JobSpec};

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

/// Imports and re-checks of paused connections.
pub(in crate::jobs) struct ImportsJob {
    scheduler: Arc<Scheduler>,
    tally: Arc<Mutex<ImportTally>>,
}

impl ImportsJob {
    pub(in crate::jobs) fn new(scheduler: Scheduler) -> Self {
        Self {
            scheduler: Arc::new(scheduler),
            tally: Arc::default(),
        }
    }
}

impl Job for ImportsJob {
    fn spec(&self) -> JobSpec {
        let interval = self.scheduler.config().interval.unsigned_abs();
        JobSpec::every(JobKind::Imports, interval).continuous()
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

#[cfg(test)]
mod tests {
    use super::*;

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
