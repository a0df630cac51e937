//! What the operator sees of the jobs: every job with each process's last run, and the import queue.

use jiff::{SignedDuration, Timestamp};
use sellerlink_store::JobRun;

use super::JobKind;
use crate::{App, AppError};

/// Every job with each process's last run of it, and the import queue (for the jobs page and `/api/v1/jobs`).
#[derive(Debug, Clone)]
pub struct JobsView {
    /// Every job, in the order of [`JobKind::ALL`], whether or not a process runs it.
    pub jobs: Vec<JobView>,
    /// The import queue now.
    pub import_queue: ImportQueueView,
}

/// One job and the last run of it in each process that ran it, the newest start first (empty: never run).
#[derive(Debug, Clone)]
pub struct JobView {
    /// The job.
    pub kind: JobKind,
    /// Each process's last run.
    pub runs: Vec<JobRun>,
}

/// How much import work is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportQueueView {
    /// Connections whose import or re-check is due and not claimed by a worker.
    pub due: u64,
    /// How long the one waiting longest has waited (`None` when none is due).
    pub oldest_due_age: Option<SignedDuration>,
}

impl ImportQueueView {
    /// The queue of `app`'s store at `now`.
    async fn read(app: &App, now: Timestamp) -> Result<Self, AppError> {
        let queue = app.store().import_queue(now).await?;
        Ok(Self {
            due: queue.due,
            oldest_due_age: queue
                .oldest_due
                .map(|due| due.duration_until(now).max(SignedDuration::ZERO)),
        })
    }
}

impl App {
    /// Every job with each process's last run of it (runs of jobs this version does not know are left out), and
    /// the import queue.
    pub async fn jobs_view(&self) -> Result<JobsView, AppError> {
        let mut runs = self.store().job_runs().await?;
        let jobs = JobKind::ALL
            .into_iter()
            .map(|kind| {
                let name = kind.as_str();
                let (mine, rest) = runs.drain(..).partition(|run| run.job.as_str() == name);
                runs = rest;
                JobView { kind, runs: mine }
            })
            .collect();
        Ok(JobsView {
            jobs,
            import_queue: ImportQueueView::read(self, self.now()).await?,
        })
    }
}
