//! The background jobs: one [`Job`] abstraction (a name, an interval, a run-once step and how the processes of a
//! fleet share it), one registry that builds them from the settings ([`Jobs::new`]), and one runner
//! ([`run_jobs`]) that `sellerlink worker`, `serve` and `demo` all use. Every run is recorded in the store (one row
//! per job and process), so the operator sees each job's last run on the jobs page and at `/api/v1/jobs`
//! ([`App::jobs_view`](crate::App::jobs_view)).
//!
//! The jobs, in the order they run after the demo clock moved ([`Jobs::run_due_now`]):
//!
//! | job | what a run does | every | shared by the fleet through |
//! | --- | --- | --- | --- |
//! | `imports` | imports the connections due and re-checks the paused ones (one queue) | its own loop | the import queue's claims, each connection's lease |
//! | `reminders` | plans and sends expiry reminders and access alerts | 1 min | each delivery's lease |
//! | `shipments` | sends queued shipment confirmations | 30 s | each connection's lease, compare-and-swap per step |
//! | `stock_levels` | pushes the newest stock levels | 30 s | each connection's lease |
//! | `buyer_data_erasure` | erases buyer data of old finished orders | 1 day | the job's lease |
//! | `planner_statistics` | refreshes the query planner's statistics | 10 min | the job's lease |
//! | `session_cleanup` | deletes expired sessions and old failed sign-ins | 10 min | the job's lease |

mod kinds;
mod registry;
mod runner;
mod view;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use sellerlink_store::{JobName, LeaseName};
use tokio_util::sync::CancellationToken;

pub use registry::{JobSettings, Jobs, SessionCleanup};
pub use runner::{RunningJobs, run_jobs};
pub use view::{ImportQueueView, JobView, JobsView};

/// What a job's step returns: a short summary of what it did, or why it failed.
pub type JobError = Box<dyn std::error::Error + Send + Sync>;

/// The future of a job's step.
pub type JobFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The jobs sellerlink runs in the background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobKind {
    /// Order imports and re-checks of paused connections.
    Imports,
    /// Expiry reminders and access alerts.
    Reminders,
    /// Shipment confirmations.
    Shipments,
    /// Stock levels.
    StockLevels,
    /// Buyer-data erasure.
    BuyerDataErasure,
    /// The query planner's statistics.
    PlannerStatistics,
    /// Expired sessions and old failed sign-ins.
    SessionCleanup,
}

impl JobKind {
    /// Every job, in the order they run after the demo clock moved (their effects build on each other).
    pub const ALL: [Self; 7] = [
        Self::Imports,
        Self::Reminders,
        Self::Shipments,
        Self::StockLevels,
        Self::BuyerDataErasure,
        Self::PlannerStatistics,
        Self::SessionCleanup,
    ];

    /// The stable name, as stored and in the API: `imports`, `reminders`, `shipments`, `stock_levels`,
    /// `buyer_data_erasure`, `planner_statistics`, `session_cleanup`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Imports => "imports",
            Self::Reminders => "reminders",
            Self::Shipments => "shipments",
            Self::StockLevels => "stock_levels",
            Self::BuyerDataErasure => "buyer_data_erasure",
            Self::PlannerStatistics => "planner_statistics",
            Self::SessionCleanup => "session_cleanup",
        }
    }

    /// The job of a stable name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// The name the store records its runs under.
    pub fn job_name(self) -> JobName {
        JobName::parse(self.as_str()).expect("every job's name is a valid job name")
    }

    /// The lease of a job the fleet runs in one process at a time: `job:<name>`.
    pub fn lease_name(self) -> LeaseName {
        LeaseName::parse(&format!("job:{}", self.as_str()))
            .expect("every job's name makes a valid lease name")
    }
}

/// When a job runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// At start, then one interval after each run ends.
    AtStart,
    /// One interval after start, then one interval after each run ends.
    AfterInterval,
    /// In a loop of its own ([`Job::run_continuously`]) that paces itself; what it did is recorded every minute.
    Continuous,
}

/// How the processes of a fleet (several workers and web servers on one database) share a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobLease {
    /// Every process runs it; each piece of work it finds is claimed or leased on its own (a connection from the
    /// import queue, a connection's lease, a delivery's lease), so no piece is done twice.
    PerItem,
    /// One process at a time: before each run the runner takes the lease `job:<name>` for one interval, and
    /// skips the run while another process holds it. The lease is given back when the process stops.
    Fleet,
}

/// What a job is and how it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobSpec {
    /// Which job it is.
    pub kind: JobKind,
    /// How long between two runs (for a [`Cadence::Continuous`] job: between two imports of a connection).
    pub interval: Duration,
    /// When it runs.
    pub cadence: Cadence,
    /// How the fleet shares it.
    pub lease: JobLease,
}

impl JobSpec {
    /// A job every process runs at start and then every `interval`.
    pub const fn every(kind: JobKind, interval: Duration) -> Self {
        Self {
            kind,
            interval,
            cadence: Cadence::AtStart,
            lease: JobLease::PerItem,
        }
    }

    /// The same, first run one interval after start.
    pub const fn first_after_interval(self) -> Self {
        Self {
            cadence: Cadence::AfterInterval,
            ..self
        }
    }

    /// The same, run by one process of the fleet at a time ([`JobLease::Fleet`]).
    pub const fn one_process_at_a_time(self) -> Self {
        Self {
            lease: JobLease::Fleet,
            ..self
        }
    }

    /// The same, in a loop of its own ([`Cadence::Continuous`]).
    pub const fn continuous(self) -> Self {
        Self {
            cadence: Cadence::Continuous,
            ..self
        }
    }

    /// The interval as the store records it, and as the time to live of a [`JobLease::Fleet`] job's lease.
    pub(crate) fn signed_interval(&self) -> SignedDuration {
        SignedDuration::try_from(self.interval).unwrap_or(SignedDuration::MAX)
    }
}

/// One background job: what it is and how it runs ([`JobSpec`]), and its step.
pub trait Job: Send + Sync {
    /// What it is and how it runs.
    fn spec(&self) -> JobSpec;

    /// Does what is due at `now`, once, and says what it did.
    fn run_once(&self, now: Timestamp) -> JobFuture<'_, Result<String, JobError>>;

    /// A [`Cadence::Continuous`] job's own loop, until `shutdown` fires (running work is asked to stop and
    /// awaited). What it did is read every minute with [`Job::take_report`]. Other jobs never have this called.
    fn run_continuously(&self, shutdown: CancellationToken) -> JobFuture<'_, ()> {
        let _ = shutdown;
        Box::pin(async {})
    }

    /// What the continuous loop did since the last report, and starts counting again.
    fn take_report(&self) -> Result<String, JobError> {
        Ok(String::new())
    }
}
