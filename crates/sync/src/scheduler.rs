//! The scheduler: every connection imported every `interval` (plus jitter), several at once, until shut down; and
//! every connection paused by Amazon's refusal asked again every `recheck_denied`, so that access the seller restored
//! in Seller Central resumes the sync without anyone pressing "verify now".

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::{FutureExt as _, StreamExt as _, stream};
use jiff::{SignedDuration, Timestamp};
use rand::Rng as _;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::ConnectionFilter;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;
use crate::import::Importer;
use crate::report::{RunOptions, SyncReport};
use crate::verify::VerifyOutcome;

/// Settings of the [`Scheduler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// Each connection is imported this long after its previous run. Default 10 minutes.
    pub interval: SignedDuration,
    /// Up to this much is added at random to each interval, so connections do not all fall due together.
    /// Default 1 minute.
    pub jitter: SignedDuration,
    /// Connections imported at the same time. Default 4.
    pub max_concurrent: usize,
    /// How often [`Scheduler::run`] looks for connections due. Default 15 seconds.
    pub poll: Duration,
    /// A connection paused because Amazon refused its credential is verified again this long after the refusal,
    /// and again this long after each verification that was still refused; `None` never (then only a person's
    /// "verify now" resumes it). Default 1 hour: one Sellers call per paused connection per hour.
    pub recheck_denied: Option<SignedDuration>,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            interval: SignedDuration::from_mins(10),
            jitter: SignedDuration::from_mins(1),
            max_concurrent: 4,
            poll: Duration::from_secs(15),
            recheck_denied: Some(SignedDuration::from_hours(1)),
        }
    }
}

/// One import started by [`Scheduler::tick`].
#[derive(Debug)]
pub struct ScheduledRun {
    /// The connection.
    pub connection_id: ConnectionId,
    /// What the run did.
    pub result: Result<SyncReport, SyncError>,
}

/// One verification of a paused connection started by [`Scheduler::recheck_paused`].
#[derive(Debug)]
pub struct ScheduledCheck {
    /// The connection.
    pub connection_id: ConnectionId,
    /// What Amazon answered: [`VerifyOutcome::Verified`] resumed the connection.
    pub result: Result<VerifyOutcome, SyncError>,
}

#[derive(Debug, Default)]
struct State {
    next_due: HashMap<ConnectionId, Timestamp>,
    next_check: HashMap<ConnectionId, Timestamp>,
    running: HashSet<ConnectionId>,
}

/// Runs [`Importer::run_once`] for every connection that is due and not paused.
#[derive(Debug)]
pub struct Scheduler {
    importer: Importer,
    config: SchedulerConfig,
    state: Mutex<State>,
}

impl Scheduler {
    /// A scheduler over `importer`'s store and clock.
    pub fn new(importer: Importer, config: SchedulerConfig) -> Self {
        Self {
            importer,
            config,
            state: Mutex::new(State::default()),
        }
    }

    /// The settings.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn jittered_interval(&self) -> SignedDuration {
        let jitter_ms = self.config.jitter.as_millis().max(0);
        let extra = if jitter_ms == 0 {
            0
        } else {
            rand::rng().random_range(0..=jitter_ms)
        };
        self.config
            .interval
            .saturating_add(SignedDuration::from_millis(
                i64::try_from(extra).unwrap_or(i64::MAX),
            ))
    }

    /// The connections due at `now`: not paused (access denied or revoked), not running in this process, and
    /// whose previous run (in this process, else as recorded in the store) started at least `interval` ago.
    pub async fn due(&self, now: Timestamp) -> Result<Vec<ConnectionId>, SyncError> {
        let store = self.importer.store();
        let connections = store.connections(&ConnectionFilter::default()).await?;
        let mut due = Vec::new();
        for stored in connections {
            let connection = stored.connection;
            if connection.grant.is_paused() {
                continue;
            }
            let known = {
                let state = self.state();
                if state.running.contains(&connection.id) {
                    continue;
                }
                state.next_due.get(&connection.id).copied()
            };
            let next_due = match known {
                Some(next_due) => next_due,
                None => {
                    let last = store.last_sync_run(connection.id).await?;
                    let next_due = last.map_or(Timestamp::MIN, |run| {
                        run.started_at
                            .saturating_add(self.config.interval)
                            .unwrap_or(Timestamp::MAX)
                    });
                    self.state().next_due.insert(connection.id, next_due);
                    next_due
                }
            };
            if next_due <= now {
                due.push(connection.id);
            }
        }
        Ok(due)
    }

    /// The paused connections whose re-check is due at `now`: refused by Amazon (not revoked by a person), not
    /// running in this process, refused (or last re-checked) at least `recheck_denied` ago. Empty when re-checks are
    /// off.
    pub async fn rechecks_due(&self, now: Timestamp) -> Result<Vec<ConnectionId>, SyncError> {
        let Some(every) = self.config.recheck_denied else {
            return Ok(Vec::new());
        };
        let connections = self
            .importer
            .store()
            .connections(&ConnectionFilter::default())
            .await?;
        let state = self.state();
        Ok(connections
            .into_iter()
            .filter_map(|stored| {
                let connection = stored.connection;
                let denial = connection.grant.access_denied.as_ref()?;
                if connection.grant.revoked_at.is_some() || state.running.contains(&connection.id) {
                    return None;
                }
                let next_check = state
                    .next_check
                    .get(&connection.id)
                    .copied()
                    .unwrap_or_else(|| denial.at.saturating_add(every).unwrap_or(Timestamp::MAX));
                (next_check <= now).then_some(connection.id)
            })
            .collect())
    }

    /// Verifies every paused connection whose re-check is due at `now`, one after another, and waits for them.
    /// A connection Amazon accepts again is resumed (its refusal cleared) and imported at the next tick.
    pub async fn recheck_paused(&self, now: Timestamp) -> Result<Vec<ScheduledCheck>, SyncError> {
        let due = self.rechecks_due(now).await?;
        self.started(&due);
        let mut checks = Vec::with_capacity(due.len());
        for connection_id in due {
            checks.push(self.recheck_one(connection_id).await);
        }
        Ok(checks)
    }

    async fn recheck_one(&self, connection_id: ConnectionId) -> ScheduledCheck {
        let result = self.importer.verify_connection(connection_id).await;
        match &result {
            Ok(VerifyOutcome::Verified(_)) => {
                tracing::info!(connection.id = %connection_id, "access is back: the paused connection resumes");
            }
            Ok(VerifyOutcome::AccessDenied { .. }) => {
                tracing::debug!(connection.id = %connection_id, "still refused: the connection stays paused");
            }
            Err(error) => {
                tracing::warn!(connection.id = %connection_id, error = %error, "re-checking a paused connection failed");
            }
        }
        let next_check = self
            .config
            .recheck_denied
            .and_then(|every| self.importer.clock().now().saturating_add(every).ok());
        let mut state = self.state();
        state.running.remove(&connection_id);
        match next_check {
            Some(at) => state.next_check.insert(connection_id, at),
            None => state.next_check.remove(&connection_id),
        };
        // Resumed: import at once rather than when its interval from the last run comes round.
        if matches!(result, Ok(VerifyOutcome::Verified(_))) {
            state.next_due.insert(connection_id, Timestamp::MIN);
        }
        ScheduledCheck {
            connection_id,
            result,
        }
    }

    fn started(&self, ids: &[ConnectionId]) {
        self.state().running.extend(ids.iter().copied());
    }

    fn finished(&self, id: ConnectionId) {
        let next_due = self
            .importer
            .clock()
            .now()
            .saturating_add(self.jittered_interval())
            .unwrap_or(Timestamp::MAX);
        let mut state = self.state();
        state.running.remove(&id);
        state.next_due.insert(id, next_due);
    }

    /// One step for tests and one-shot runs: re-checks the paused connections due for it ([`Self::recheck_paused`]),
    /// then imports every connection due at `now` (a resumed one among them), at most `max_concurrent` at a time,
    /// and waits for all of them.
    pub async fn tick(&self, now: Timestamp) -> Result<Vec<ScheduledRun>, SyncError> {
        self.recheck_paused(now).await?;
        let due = self.due(now).await?;
        self.started(&due);
        let runs = stream::iter(due)
            .map(|connection_id| async move {
                let result = self.importer.run_once(connection_id).await;
                self.finished(connection_id);
                ScheduledRun {
                    connection_id,
                    result,
                }
            })
            .buffer_unordered(self.config.max_concurrent.max(1))
            .collect()
            .await;
        Ok(runs)
    }

    /// Runs until `shutdown` fires: every `poll`, starts the imports and the re-checks of paused connections that
    /// are due (each in its own task, at most `max_concurrent` at once). On shutdown, running imports stop after
    /// their current page (nothing is lost: they are recorded as interrupted and the next run resumes), and this
    /// returns once they have.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        let permits = Arc::new(Semaphore::new(self.config.max_concurrent.max(1)));
        let mut tasks = JoinSet::new();
        loop {
            let now = self.importer.clock().now();
            match self.due(now).await {
                Ok(due) => {
                    self.started(&due);
                    for connection_id in due {
                        let this = Arc::clone(&self);
                        let permits = Arc::clone(&permits);
                        let cancel = shutdown.child_token();
                        tasks.spawn(
                            async move { this.run_one(connection_id, permits, cancel).await },
                        );
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, "could not list the connections due for import")
                }
            }
            match self.rechecks_due(now).await {
                Ok(due) => {
                    self.started(&due);
                    for connection_id in due {
                        let this = Arc::clone(&self);
                        let permits = Arc::clone(&permits);
                        tasks.spawn(async move {
                            let _permit = permits.acquire_owned().await;
                            this.recheck_one(connection_id).await;
                        });
                    }
                }
                Err(error) => {
                    tracing::warn!(error = %error, "could not list the paused connections to re-check")
                }
            }
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(self.config.poll) => {}
                Some(_) = tasks.join_next() => {}
            }
        }
        while tasks.join_next().await.is_some() {}
    }

    async fn run_one(
        &self,
        connection_id: ConnectionId,
        permits: Arc<Semaphore>,
        cancel: CancellationToken,
    ) {
        let permit = permits.acquire_owned().await;
        if permit.is_ok() && !cancel.is_cancelled() {
            let options = RunOptions {
                progress: None,
                cancel: Some(cancel),
            };
            let run = AssertUnwindSafe(self.importer.run_once_with(connection_id, options))
                .catch_unwind();
            match run.await {
                Ok(Ok(_)) => {}
                Ok(Err(error)) => {
                    tracing::error!(connection.id = %connection_id, error = %error, "order import could not run");
                }
                Err(_) => tracing::error!(connection.id = %connection_id, "order import panicked"),
            }
        }
        self.finished(connection_id);
    }
}
