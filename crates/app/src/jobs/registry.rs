//! The one place the jobs are registered: [`Jobs::new`] builds the jobs a process runs from its [`JobSettings`].

use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_domain::clock::Clock;
use sellerlink_sync::{Scheduler, SchedulerConfig};

use super::kinds::{
    BuyerDataErasureJob, ImportsJob, PlannerStatisticsJob, RemindersJob, SessionCleanupJob,
    ShipmentsJob, StockLevelsJob,
};
use super::{Job, JobKind, runner};
use crate::{App, AppError};

/// Which jobs a process runs, with their settings. The default runs none; [`JobSettings::worker`] and
/// [`JobSettings::web`] are what `sellerlink worker` and `sellerlink serve` run.
#[derive(Clone, Default)]
pub struct JobSettings {
    /// Imports and re-checks of paused connections, with these settings (needs Amazon access).
    pub imports: Option<SchedulerConfig>,
    /// Expiry reminders and access alerts, through the app's reminders service ([`App::with_notifications`]).
    pub reminders: bool,
    /// Shipment confirmations and stock levels, every 30 s (needs Amazon access).
    pub outbox: bool,
    /// Erase the buyer data of finished orders this many days after Amazon's last update of them, daily; 0 keeps
    /// it.
    pub buyer_data_days: u32,
    /// Refresh the query planner's statistics every 10 minutes.
    pub planner_statistics: bool,
    /// Delete expired sessions and old failed sign-ins every 10 minutes.
    pub sessions: Option<SessionCleanup>,
}

impl std::fmt::Debug for JobSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobSettings")
            .field("imports", &self.imports)
            .field("reminders", &self.reminders)
            .field("outbox", &self.outbox)
            .field("buyer_data_days", &self.buyer_data_days)
            .field("planner_statistics", &self.planner_statistics)
            .field("sessions", &self.sessions.is_some())
            .finish()
    }
}

impl JobSettings {
    /// `sellerlink worker`'s jobs (and the demo's): imports with `scheduler`, reminders, shipment confirmations,
    /// stock levels, and buyer-data erasure unless `buyer_data_days` is 0.
    pub fn worker(scheduler: SchedulerConfig, buyer_data_days: u32) -> Self {
        Self {
            imports: Some(scheduler),
            reminders: true,
            outbox: true,
            buyer_data_days,
            ..Self::default()
        }
    }

    /// `sellerlink serve`'s jobs: imports when `scheduler` is given, the planner's statistics and `sessions`.
    pub fn web(scheduler: Option<SchedulerConfig>, sessions: SessionCleanup) -> Self {
        Self {
            imports: scheduler,
            planner_statistics: true,
            sessions: Some(sessions),
            ..Self::default()
        }
    }
}

/// The settings of the session clean-up job.
#[derive(Clone)]
pub struct SessionCleanup {
    /// Failed sign-ins older than this are deleted (the sign-in throttling window).
    pub login_failure_window: SignedDuration,
    /// The sessions' clock: the app's, or real time in the demo (moving the demo clock signs nobody out).
    pub clock: Arc<dyn Clock>,
}

/// The jobs one process runs, in the order of [`JobKind::ALL`]. Start them with [`super::run_jobs`].
pub struct Jobs {
    pub(super) app: App,
    pub(super) jobs: Vec<Arc<dyn Job>>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.kinds()).finish()
    }
}

impl Jobs {
    /// The jobs `settings` asks for, over `app`. Imports, shipments and stock levels need Amazon access, the
    /// reminders the app's reminders service: without them this is [`AppError::NotConfigured`].
    pub fn new(app: &App, settings: JobSettings) -> Result<Self, AppError> {
        let mut jobs: Vec<Arc<dyn Job>> = Vec::new();
        if let Some(config) = settings.imports {
            let scheduler = Scheduler::new(app.importer()?.clone(), config);
            jobs.push(Arc::new(ImportsJob::new(scheduler)));
        }
        if settings.reminders {
            let reminders = app.notifications()?.clone();
            jobs.push(Arc::new(RemindersJob { reminders }));
        }
        if settings.outbox {
            jobs.push(Arc::new(ShipmentsJob {
                shipper: app.shipper()?,
            }));
            jobs.push(Arc::new(StockLevelsJob {
                pusher: app.stock_pusher()?,
            }));
        }
        if settings.buyer_data_days > 0 {
            jobs.push(Arc::new(BuyerDataErasureJob {
                app: app.clone(),
                days: settings.buyer_data_days,
            }));
        }
        if settings.planner_statistics {
            jobs.push(Arc::new(PlannerStatisticsJob {
                store: app.store().clone(),
            }));
        }
        if let Some(sessions) = settings.sessions {
            jobs.push(Arc::new(SessionCleanupJob {
                store: app.store().clone(),
                clock: sessions.clock,
                login_failure_window: sessions.login_failure_window,
            }));
        }
        Ok(Self {
            app: app.clone(),
            jobs,
        })
    }

    /// The jobs, in the order they run after the demo clock moved.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Job> {
        self.jobs.iter().map(|job| &**job)
    }

    /// Which jobs these are.
    pub fn kinds(&self) -> Vec<JobKind> {
        self.iter().map(|job| job.spec().kind).collect()
    }

    /// Runs every job once now, one after another in the order their effects build on each other (re-checks and
    /// imports — a refusal found there raises an access alert —, then reminders and alerts, shipments, stock
    /// levels, erasure), recording each run as the loops do. For the demo after its clock moved; failures are
    /// logged and recorded, not returned.
    pub async fn run_due_now(&self) {
        for job in self.iter() {
            runner::run_and_record(&self.app, job).await;
        }
    }
}
