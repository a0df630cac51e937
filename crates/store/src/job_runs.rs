//! The background jobs' last runs: one row per (job, process), so that the operator sees what every process of a
//! fleet did last (see `migrations/*/1200_job_runs.sql`).

use jiff::{SignedDuration, Timestamp};

use crate::codec::{Column, millis, opt_millis};
use crate::engine::on_pool;
use crate::error::StoreResult;
use crate::leases::LeaseOwner;
use crate::names::{NameError, NameRule, name_plumbing};
use crate::store::Store;

/// A job's stable name, e.g. `imports` or `buyer_data_erasure`: 1–64 lower-case ASCII letters, digits and
/// underscores.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobName(String);

const JOB_NAME_RULE: NameRule = NameRule {
    field: "job name",
    max_chars: 64,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_',
    expected: "1–64 lower-case ASCII letters, digits and underscores, e.g. buyer_data_erasure",
};

impl JobName {
    /// Parses a job name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        JOB_NAME_RULE.check(input).map(Self)
    }
}
name_plumbing!(JobName);

/// How a job's run ended, or that it has not ended yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobOutcome {
    /// Started and not finished (or its process stopped before it finished).
    Running,
    /// Finished: it did what was due.
    Ok,
    /// Finished with an error; the next run tries again.
    Failed,
}

impl JobOutcome {
    /// `running`, `ok` or `failed`, as stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "running",
            Self::Ok => "ok",
            Self::Failed => "failed",
        }
    }

    /// The outcome of a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Running, Self::Ok, Self::Failed]
            .into_iter()
            .find(|outcome| outcome.as_str() == text)
    }
}

/// A job's last run in one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    /// The job.
    pub job: JobName,
    /// The process that ran it (its lease owner).
    pub owner: LeaseOwner,
    /// How often that process runs the job.
    pub interval: SignedDuration,
    /// When the run started.
    pub started_at: Timestamp,
    /// When it ended; `None` while it runs.
    pub finished_at: Option<Timestamp>,
    /// How it ended.
    pub outcome: JobOutcome,
    /// What it did, or why it failed: a short text without secrets or buyer data.
    pub summary: String,
}

#[derive(sqlx::FromRow)]
struct JobRunRow {
    job: String,
    owner: String,
    interval_ms: i64,
    started_at_ms: i64,
    finished_at_ms: Option<i64>,
    outcome: String,
    summary: String,
}

impl JobRunRow {
    fn parse(self) -> StoreResult<JobRun> {
        let column = |name| Column::new("job_runs", name);
        Ok(JobRun {
            job: column("job").parse(JobName::parse(&self.job))?,
            owner: column("owner").parse(LeaseOwner::parse(&self.owner))?,
            interval: SignedDuration::from_millis(self.interval_ms),
            started_at: column("started_at_ms").instant(self.started_at_ms)?,
            finished_at: column("finished_at_ms").opt_instant(self.finished_at_ms)?,
            outcome: column("outcome").known(JobOutcome::parse(&self.outcome), &self.outcome)?,
            summary: self.summary,
        })
    }
}

impl Store {
    /// Records `run` as its process's last run of the job, replacing the one before.
    pub async fn record_job_run(&self, run: &JobRun) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO job_runs \
            (job, owner, interval_ms, started_at_ms, finished_at_ms, outcome, summary) \
            VALUES ($1, $2, $3, $4, $5, $6, $7) \
            ON CONFLICT (job, owner) DO UPDATE SET interval_ms = excluded.interval_ms, \
            started_at_ms = excluded.started_at_ms, finished_at_ms = excluded.finished_at_ms, \
            outcome = excluded.outcome, summary = excluded.summary";
        let interval_ms = i64::try_from(run.interval.as_millis()).unwrap_or(i64::MAX);
        on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(run.job.as_str().to_owned())
                .bind(run.owner.as_str().to_owned())
                .bind(interval_ms)
                .bind(millis(run.started_at))
                .bind(opt_millis(run.finished_at))
                .bind(run.outcome.as_str())
                .bind(run.summary.clone())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Every process's last run of every job, by job name, the newest start first within a job.
    pub async fn job_runs(&self) -> StoreResult<Vec<JobRun>> {
        const SQL: &str = "SELECT job, owner, interval_ms, started_at_ms, finished_at_ms, outcome, summary \
            FROM job_runs ORDER BY job, started_at_ms DESC, owner";
        let rows: Vec<JobRunRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL).fetch_all(pool).await?
        });
        rows.into_iter().map(JobRunRow::parse).collect()
    }

    /// Deletes the runs of `job` whose last sign of life (their end, or their start while running) is before
    /// `before`: those of processes that stopped. Returns how many it deleted.
    pub async fn forget_job_runs(&self, job: &JobName, before: Timestamp) -> StoreResult<u64> {
        const SQL: &str =
            "DELETE FROM job_runs WHERE job = $1 AND COALESCE(finished_at_ms, started_at_ms) < $2";
        let deleted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(job.as_str().to_owned())
                .bind(millis(before))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(deleted)
    }
}
