//! The scheduler: every connection imported every `interval` (plus jitter), several at once, until shut down; and
//! every connection paused by Amazon's refusal asked again every `recheck_denied`, so that access the seller restored
//! in Seller Central resumes the sync without anyone pressing "verify now".
//!
//! What is due lives in the store ([`Store::claim_due_imports`]): each worker claims the oldest due connections,
//! as many as it runs imports at once, starts them as slots free up, and writes when each is due next. Several workers on
//! one database therefore never import the same connection in the same pass, and a pass costs what is due, not
//! the number of connections: between claims a worker sleeps until the next due time (or `poll`, whichever is
//! sooner).

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::{FutureExt as _, StreamExt as _, stream};
use jiff::{SignedDuration, Timestamp};
use rand::Rng as _;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Store, StoreError};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::error::SyncError;
use crate::import::Importer;
use crate::report::{ImportOutcome, RunOptions, SyncReport};
use crate::verify::VerifyOutcome;

/// A connection whose lease another process holds is tried again this much later, or when that lease ends if
/// sooner. Mostly the holder is another worker sending that seller's shipments or stock levels, which takes a
/// moment (at 30 s, such a collision at a worker's start made it the last import of the pass in the fleet
/// benchmark); a long holder (a `sync` command) costs a claim and a lease read every few seconds.
const HELD_RETRY: SignedDuration = SignedDuration::from_secs(3);
/// The shortest sleep between claims when due work is left that another worker is claiming right now.
const MIN_WAIT: Duration = Duration::from_millis(50);

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
    /// [`Scheduler::run`] looks for due work at least this often (sooner when the next due time comes first, or
    /// an import ends). Default 15 seconds.
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

/// Called by [`Scheduler::run_reporting`] each time work on a claimed connection ends, with the re-check of the
/// paused connection (if one was due) and the import (if one ran).
pub type WorkReport = Arc<dyn Fn(Option<&ScheduledCheck>, Option<&ScheduledRun>) + Send + Sync>;

/// What working on one claimed connection did.
#[derive(Debug, Default)]
struct Worked {
    check: Option<ScheduledCheck>,
    run: Option<ScheduledRun>,
}

/// Imports every connection that is due and not paused, and re-checks the paused ones, as the store's queue says.
#[derive(Debug)]
pub struct Scheduler {
    importer: Importer,
    config: SchedulerConfig,
}

impl Scheduler {
    /// A scheduler over `importer`'s store and clock.
    pub fn new(importer: Importer, config: SchedulerConfig) -> Self {
        Self { importer, config }
    }

    /// The settings.
    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    fn store(&self) -> &Store {
        self.importer.store()
    }

    /// How long a claim keeps a connection from other workers: as long as an import's lease.
    fn claim(&self) -> SignedDuration {
        self.importer.config().lease_ttl
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

    /// The paused connections whose re-check is due at `now`: refused by Amazon (not revoked by a person), due in
    /// the store's queue. Empty when re-checks are off. A read, for tests and diagnostics: it claims nothing.
    pub async fn rechecks_due(&self, now: Timestamp) -> Result<Vec<ConnectionId>, SyncError> {
        if self.config.recheck_denied.is_none() {
            return Ok(Vec::new());
        }
        let mut due = Vec::new();
        for id in self.store().due_imports(now, u32::MAX).await? {
            let grant = match self.store().connection(id).await {
                Ok(stored) => stored.connection.grant,
                Err(StoreError::NotFound { .. }) => continue,
                Err(error) => return Err(error.into()),
            };
            if grant.access_denied.is_some() && grant.revoked_at.is_none() {
                due.push(id);
            }
        }
        Ok(due)
    }

    /// Verifies every paused connection whose re-check is due at `now`, one after another, and waits for them.
    /// A connection Amazon accepts again is resumed (its refusal cleared) and imported at once.
    pub async fn recheck_paused(&self, now: Timestamp) -> Result<Vec<ScheduledCheck>, SyncError> {
        let mut checks = Vec::new();
        for id in self.rechecks_due(now).await? {
            if !self.store().claim_import(id, now, self.claim()).await? {
                continue;
            }
            let worked = self.work_on(id, now, CancellationToken::new()).await;
            checks.extend(worked.check);
        }
        Ok(checks)
    }

    /// One step for tests, the demo and one-shot runs: claims everything due at `now`, `max_concurrent` at a
    /// time, works on it (re-checks of paused connections, then imports — a resumed one among them) and waits
    /// for all of it; returns the imports.
    pub async fn tick(&self, now: Timestamp) -> Result<Vec<ScheduledRun>, SyncError> {
        let slots = self.config.max_concurrent.max(1);
        let mut runs = Vec::new();
        loop {
            let limit = u32::try_from(slots).unwrap_or(u32::MAX);
            let claimed = self
                .store()
                .claim_due_imports(now, self.claim(), limit)
                .await?;
            if claimed.is_empty() {
                return Ok(runs);
            }
            let worked: Vec<Worked> = stream::iter(claimed)
                .map(|id| self.work_on(id, now, CancellationToken::new()))
                .buffer_unordered(slots)
                .collect()
                .await;
            runs.extend(worked.into_iter().filter_map(|worked| worked.run));
        }
    }

    /// Runs until `shutdown` fires: claims due work `max_concurrent` connections at a time, starts each in its own
    /// task as a slot frees up (at most `max_concurrent` at once), and sleeps until the next due time, `poll`, or an
    /// import's end. A claimed connection not started within half the claim is left to fall due again. On shutdown,
    /// running imports stop after their current page (nothing is lost: they are recorded as interrupted, handed back
    /// due at once, and the next run resumes), claimed ones not started are handed back due at once, and this
    /// returns once the running ones have stopped.
    pub async fn run(self: Arc<Self>, shutdown: CancellationToken) {
        self.run_reporting(shutdown, Arc::new(|_, _| {})).await;
    }

    /// [`Scheduler::run`], calling `report` each time work on a claimed connection ends (for the jobs' record of
    /// what the imports did).
    pub async fn run_reporting(self: Arc<Self>, shutdown: CancellationToken, report: WorkReport) {
        let slots = self.config.max_concurrent.max(1);
        let mut tasks: JoinSet<()> = JoinSet::new();
        // Claimed for a slot that was not free yet, with when: a claim is one statement for a whole batch, not one
        // per finished import.
        let mut waiting: VecDeque<(ConnectionId, Timestamp)> = VecDeque::new();
        while !shutdown.is_cancelled() {
            let now = self.importer.clock().now();
            let mut claimed_all_asked = false;
            if tasks.len() < slots && waiting.is_empty() {
                let limit = u32::try_from(slots).unwrap_or(u32::MAX);
                match self
                    .store()
                    .claim_due_imports(now, self.claim(), limit)
                    .await
                {
                    Ok(claimed) => {
                        claimed_all_asked = claimed.len() == slots;
                        waiting.extend(claimed.into_iter().map(|id| (id, now)));
                    }
                    Err(error) => tracing::warn!(%error, "could not claim the connections due"),
                }
            }
            while tasks.len() < slots
                && let Some((id, claimed_at)) = waiting.pop_front()
            {
                if self.claim_is_stale(claimed_at, now) {
                    // Due again when the claim ends; another worker may take it then, so this one must not.
                    continue;
                }
                let this = Arc::clone(&self);
                let cancel = shutdown.child_token();
                let report = Arc::clone(&report);
                tasks.spawn(async move {
                    let work = AssertUnwindSafe(this.work_on(id, now, cancel)).catch_unwind();
                    match work.await {
                        Ok(worked) => report(worked.check.as_ref(), worked.run.as_ref()),
                        // Due again after the claim ends, like a crashed worker's.
                        Err(_) => {
                            tracing::error!(connection.id = %id, "work on a connection panicked")
                        }
                    }
                });
            }
            let wait = if tasks.len() >= slots || claimed_all_asked {
                if claimed_all_asked && tasks.len() < slots {
                    Duration::ZERO
                } else {
                    self.config.poll
                }
            } else {
                self.until_next_due(now).await
            };
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(wait) => {}
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        self.hand_back(waiting).await;
        while tasks.join_next().await.is_some() {}
    }

    /// Whether a connection claimed at `claimed_at` and not started yet may have been claimed by another worker
    /// by the time it would start: past half the claim, it is left to run out instead.
    fn claim_is_stale(&self, claimed_at: Timestamp, now: Timestamp) -> bool {
        claimed_at.duration_until(now) >= self.claim() / 2
    }

    /// Makes connections claimed but not started due at once again, for whichever worker claims next.
    async fn hand_back(&self, waiting: VecDeque<(ConnectionId, Timestamp)>) {
        let now = self.importer.clock().now();
        for (id, claimed_at) in waiting {
            if self.claim_is_stale(claimed_at, now) {
                continue;
            }
            if let Err(error) = self.store().schedule_import(id, now).await {
                tracing::warn!(connection.id = %id, %error, "could not hand a claimed connection back; it is due again when the claim ends");
            }
        }
    }

    /// How long to sleep when nothing more could be claimed: until the next due time, at most `poll`.
    async fn until_next_due(&self, now: Timestamp) -> Duration {
        match self.store().next_import_due().await {
            Ok(Some(due)) => {
                let shortest = MIN_WAIT.min(self.config.poll);
                if due <= now {
                    shortest
                } else {
                    let until = now.duration_until(due).unsigned_abs();
                    until.clamp(shortest, self.config.poll)
                }
            }
            Ok(None) => self.config.poll,
            Err(error) => {
                tracing::warn!(%error, "could not read when the next import is due");
                self.config.poll
            }
        }
    }

    /// Works on one claimed connection and writes when it is due next: imports it (the import reads the
    /// connection under its lease, so an active connection — nearly every one — costs no read here); if the import
    /// finds it paused, re-checks it when Amazon refused it (and imports it at once if access is back), and leaves
    /// it when a person revoked it.
    async fn work_on(&self, id: ConnectionId, now: Timestamp, cancel: CancellationToken) -> Worked {
        let mut worked = Worked::default();
        let run = self.import_one(id, cancel.clone()).await;
        let next = match &run.result {
            // Removed meanwhile: nothing to schedule.
            Err(SyncError::Store(StoreError::NotFound { .. })) => return worked,
            Ok(report) if report.outcome == ImportOutcome::Paused => {
                match self.recheck_paused_one(id, now, cancel, &mut worked).await {
                    Some(next) => next,
                    None => return worked,
                }
            }
            Ok(_) | Err(_) => {
                let next = self.after_import(now, &run.result);
                worked.run = Some(run);
                next
            }
        };
        if let Err(error) = self.store().schedule_import(id, next).await {
            tracing::warn!(connection.id = %id, %error, "could not schedule the next import; it is due again when the claim ends");
        }
        worked
    }

    /// After an import found the connection paused: re-checks it if Amazon refused it and re-checks are on, and
    /// imports it if access is back. Returns when it is due next, or `None` if it was removed meanwhile.
    async fn recheck_paused_one(
        &self,
        id: ConnectionId,
        now: Timestamp,
        cancel: CancellationToken,
        worked: &mut Worked,
    ) -> Option<Timestamp> {
        let grant = match self.store().connection(id).await {
            Ok(stored) => stored.connection.grant,
            Err(StoreError::NotFound { .. }) => return None,
            Err(error) => {
                tracing::warn!(connection.id = %id, %error, "could not read a paused connection");
                return Some(self.later(now, self.config.interval));
            }
        };
        let refused = grant.access_denied.is_some() && grant.revoked_at.is_none();
        let (true, Some(every)) = (refused, self.config.recheck_denied) else {
            return Some(self.later(now, self.config.interval));
        };
        let check = self.recheck_one(id).await;
        let back = matches!(check.result, Ok(VerifyOutcome::Verified(_)));
        worked.check = Some(check);
        if !back {
            return Some(self.later(now, every));
        }
        let run = self.import_one(id, cancel).await;
        let next = self.after_import(now, &run.result);
        worked.run = Some(run);
        Some(next)
    }

    /// `wait` after the later of `now` (the tick's instant) and the clock.
    fn later(&self, now: Timestamp, wait: SignedDuration) -> Timestamp {
        now.max(self.importer.clock().now())
            .saturating_add(wait)
            .unwrap_or(Timestamp::MAX)
    }

    /// When a connection is due after an import that ended with `result`.
    fn after_import(&self, now: Timestamp, result: &Result<SyncReport, SyncError>) -> Timestamp {
        let Ok(report) = result else {
            return self.later(now, self.config.interval);
        };
        let interrupted = report
            .error
            .as_ref()
            .is_some_and(|error| error.kind == "interrupted");
        match report.outcome {
            // Stopped by a shutdown: handed back, due at once for whichever worker runs next.
            ImportOutcome::Failed if interrupted => now.min(self.importer.clock().now()),
            ImportOutcome::LeaseHeld => {
                let retry = self.later(now, HELD_RETRY.min(self.config.interval));
                // A holder that stopped renewing (a worker killed mid-import, in another container) loses the
                // lease when it ends: try again then, not up to HELD_RETRY later. A live holder renews it, and
                // the next try reads its new end.
                match &report.lease_holder {
                    Some(holder) => retry.min(holder.expires_at.max(self.importer.clock().now())),
                    None => retry,
                }
            }
            ImportOutcome::PausedAccessDenied => {
                let wait = self.config.recheck_denied.unwrap_or(self.config.interval);
                self.later(now, wait)
            }
            ImportOutcome::Completed | ImportOutcome::Failed | ImportOutcome::Paused => {
                self.later(now, self.jittered_interval())
            }
        }
    }

    async fn import_one(
        &self,
        connection_id: ConnectionId,
        cancel: CancellationToken,
    ) -> ScheduledRun {
        let options = RunOptions {
            progress: None,
            cancel: Some(cancel),
        };
        let result = self.importer.run_once_with(connection_id, options).await;
        match &result {
            Err(SyncError::Store(StoreError::NotFound { .. })) => {
                tracing::debug!(connection.id = %connection_id, "the connection was removed before its import");
            }
            Err(error) => {
                tracing::error!(connection.id = %connection_id, %error, "order import could not run");
            }
            Ok(_) => {}
        }
        ScheduledRun {
            connection_id,
            result,
        }
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
        ScheduledCheck {
            connection_id,
            result,
        }
    }
}
