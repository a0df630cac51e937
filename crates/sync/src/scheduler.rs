//! The scheduler: every connection imported every `interval` (plus jitter), several at once, until shut down.

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
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        Self {
            interval: SignedDuration::from_mins(10),
            jitter: SignedDuration::from_mins(1),
            max_concurrent: 4,
            poll: Duration::from_secs(15),
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

#[derive(Debug, Default)]
struct State {
    next_due: HashMap<ConnectionId, Timestamp>,
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
            let grant = &connection.grant;
            if grant.access_denied.is_some() || grant.revoked_at.is_some() {
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

    /// One step for tests and one-shot runs: imports every connection due at `now`, at most `max_concurrent` at a
    /// time, and waits for all of them.
    pub async fn tick(&self, now: Timestamp) -> Result<Vec<ScheduledRun>, SyncError> {
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

    /// Runs until `shutdown` fires: every `poll`, starts the imports that are due (each in its own task, at most
    /// `max_concurrent` at once). On shutdown, running imports stop after their current page (nothing is lost:
    /// they are recorded as interrupted and the next run resumes), and this returns once they have.
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
