//! Running the jobs: each in its own task, on its cadence, until shutdown; every run recorded in the store as its
//! process's last run of the job.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sellerlink_store::{JobOutcome, JobRun};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Cadence, Job, JobError, JobLease, Jobs};
use crate::App;

/// How often a continuous job's record says what it did meanwhile.
const REPORT_EVERY: Duration = Duration::from_secs(60);
/// A process's record of a job not updated for this long is of a process that stopped: the job's next run
/// anywhere deletes it. Longer than the longest interval (a day), so a live process's record never goes.
const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);
/// The longest summary recorded, in characters.
const SUMMARY_CHARS: usize = 300;

/// Starts every job in its own task: a job of [`Cadence::AtStart`] runs at once, one of
/// [`Cadence::AfterInterval`] after one interval, then each one interval after its run ended; a
/// [`Cadence::Continuous`] job runs its own loop. They stop when `shutdown` fires (a run in progress finishes
/// first; the imports stop after their current page); await [`RunningJobs::stopped`].
pub fn run_jobs(jobs: &Jobs, shutdown: &CancellationToken) -> RunningJobs {
    let tasks = jobs
        .jobs
        .iter()
        .map(|job| {
            let (app, job, shutdown) = (jobs.app.clone(), Arc::clone(job), shutdown.clone());
            tokio::spawn(async move {
                match job.spec().cadence {
                    Cadence::Continuous => run_continuously(&app, &*job, shutdown).await,
                    cadence => run_periodically(&app, &*job, cadence, shutdown).await,
                }
            })
        })
        .collect();
    RunningJobs { tasks }
}

/// Running jobs ([`run_jobs`]).
#[derive(Debug)]
pub struct RunningJobs {
    tasks: Vec<JoinHandle<()>>,
}

impl RunningJobs {
    /// Waits until every job has ended (after their shutdown fired).
    pub async fn stopped(&mut self) {
        // A task leaves the list only once it ended, so that `abort` after an abandoned wait awaits each once.
        while let Some(task) = self.tasks.last_mut() {
            let _ = task.await;
            self.tasks.pop();
        }
    }

    /// Aborts what still runs and returns once it is gone (so that nothing renews a lease afterwards).
    pub async fn abort(self) {
        for task in &self.tasks {
            task.abort();
        }
        for task in self.tasks {
            let _ = task.await;
        }
    }

    /// Adds a task that stops with the jobs (a server's own, which watches the same shutdown).
    pub fn push(&mut self, task: JoinHandle<()>) {
        self.tasks.push(task);
    }
}

/// Waits `wait`; true if `shutdown` fired first.
async fn stopped_within(wait: Duration, shutdown: &CancellationToken) -> bool {
    tokio::select! {
        () = shutdown.cancelled() => true,
        () = tokio::time::sleep(wait) => false,
    }
}

async fn run_periodically(app: &App, job: &dyn Job, cadence: Cadence, shutdown: CancellationToken) {
    let interval = job.spec().interval;
    if cadence == Cadence::AfterInterval && stopped_within(interval, &shutdown).await {
        return;
    }
    loop {
        run_and_record(app, job).await;
        if stopped_within(interval, &shutdown).await {
            return;
        }
    }
}

/// Runs a continuous job's loop, recording every [`REPORT_EVERY`] (and when it ends) what it did meanwhile.
async fn run_continuously(app: &App, job: &dyn Job, shutdown: CancellationToken) {
    let mut since = app.now();
    record(app, job, since, None, Ok(String::new())).await;
    let work = job.run_continuously(shutdown);
    tokio::pin!(work);
    let mut reports =
        tokio::time::interval_at(tokio::time::Instant::now() + REPORT_EVERY, REPORT_EVERY);
    loop {
        let ended = tokio::select! {
            () = &mut work => true,
            _ = reports.tick() => false,
        };
        let now = app.now();
        let report = job.take_report();
        log(job, &report);
        record(app, job, since, Some(now), report).await;
        since = now;
        if ended {
            return;
        }
    }
}

/// Runs `job` once now and records the run (its start, then how it ended). A job the fleet runs in one process
/// at a time runs only if this process takes its lease.
pub(super) async fn run_and_record(app: &App, job: &dyn Job) {
    let now = app.now();
    if job.spec().lease == JobLease::Fleet && !takes_lease(app, job, now).await {
        return;
    }
    record(app, job, now, None, Ok(String::new())).await;
    let result = job.run_once(now).await;
    log(job, &result);
    record(app, job, now, Some(app.now()), result).await;
}

/// Takes (or renews) the job's lease `job:<name>` for one interval.
async fn takes_lease(app: &App, job: &dyn Job, now: Timestamp) -> bool {
    let spec = job.spec();
    let kind = spec.kind;
    match app
        .store()
        .try_acquire_lease(
            &kind.lease_name(),
            app.lease_owner(),
            now,
            spec.signed_interval(),
        )
        .await
    {
        Ok(true) => true,
        Ok(false) => {
            tracing::debug!(job = kind.as_str(), "another process runs this job now");
            false
        }
        Err(error) => {
            tracing::warn!(job = kind.as_str(), %error, "could not take the job's lease; it runs next time");
            false
        }
    }
}

fn log(job: &dyn Job, result: &Result<String, JobError>) {
    let job = job.spec().kind.as_str();
    match result {
        Ok(summary) => tracing::debug!(job, summary = %summary, "job run finished"),
        Err(error) => tracing::warn!(job, %error, "job run failed; its next run tries again"),
    }
}

/// Records a run of `job` in this process that started at `started`: running while `finished` is `None`, else
/// ended as `result` says. A failure to record is logged; the job goes on.
async fn record(
    app: &App,
    job: &dyn Job,
    started: Timestamp,
    finished: Option<Timestamp>,
    result: Result<String, JobError>,
) {
    let (outcome, summary) = match (finished, result) {
        (None, _) => (JobOutcome::Running, String::new()),
        (Some(_), Ok(summary)) => (JobOutcome::Ok, summary),
        (Some(_), Err(error)) => (JobOutcome::Failed, error.to_string()),
    };
    let spec = job.spec();
    let run = JobRun {
        job: spec.kind.job_name(),
        owner: app.lease_owner().clone(),
        interval: spec.signed_interval(),
        started_at: started,
        finished_at: finished,
        outcome,
        summary: shortened(&summary),
    };
    let store = app.store();
    let recorded = async {
        if finished.is_none() {
            let stale = started.checked_sub(FORGET_AFTER).unwrap_or(Timestamp::MIN);
            store.forget_job_runs(&run.job, stale).await?;
        }
        store.record_job_run(&run).await
    };
    if let Err(error) = recorded.await {
        tracing::warn!(job = spec.kind.as_str(), %error, "could not record the job's run");
    }
}

/// At most [`SUMMARY_CHARS`] characters, an ellipsis marking a cut.
fn shortened(text: &str) -> String {
    match text.char_indices().nth(SUMMARY_CHARS) {
        None => text.to_owned(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_summaries_are_cut_at_a_character_boundary() {
        assert_eq!(shortened("nothing was due"), "nothing was due");
        let long = "取".repeat(SUMMARY_CHARS + 5);
        let cut = shortened(&long);
        assert_eq!(cut.chars().count(), SUMMARY_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}
