//! What a run did: [`SyncReport`], [`ImportOutcome`] and the [`Progress`] hook.

use std::sync::Arc;

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Lease, SyncFailure, SyncRunId};
use tokio_util::sync::CancellationToken;

/// How one call of [`crate::Importer::run_once`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportOutcome {
    /// Every page was imported and the watermark moved to the window's upper bound.
    Completed,
    /// Amazon refused the credential during this run: the connection is now *access denied* and its sync paused.
    PausedAccessDenied,
    /// The run stopped on an error; the watermark did not move, so the next run re-reads the window.
    Failed,
    /// Nothing was done: Amazon's refusal (or the seller's revocation) is on record; verify the connection to resume.
    Paused,
    /// Nothing was done: another worker holds the connection's lease.
    LeaseHeld,
}

impl ImportOutcome {
    /// A short name: `completed`, `paused_access_denied`, `failed`, `paused`, `lease_held`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::PausedAccessDenied => "paused_access_denied",
            Self::Failed => "failed",
            Self::Paused => "paused",
            Self::LeaseHeld => "lease_held",
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The connection.
    pub connection_id: ConnectionId,
    /// How it ended.
    pub outcome: ImportOutcome,
    /// The recorded sync run (`None` when nothing was run).
    pub run_id: Option<SyncRunId>,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ended.
    pub finished_at: Timestamp,
    /// Pages read.
    pub pages: u32,
    /// Orders listed (new, changed and unchanged).
    pub orders_seen: u64,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed (e.g. a cancellation).
    pub orders_changed: u64,
    /// Listed orders already stored as they are (their items were not fetched).
    pub orders_unchanged: u64,
    /// Item listings fetched.
    pub item_calls: u64,
    /// Throttled answers received (zero in a normal, paced run).
    pub throttled: u64,
    /// Calls repeated after a transient failure.
    pub retries: u64,
    /// The watermark written by this run, if it completed.
    pub watermark: Option<Timestamp>,
    /// The error it ended on, if any.
    pub error: Option<SyncFailure>,
    /// The lease another live process holds, when the outcome is [`ImportOutcome::LeaseHeld`] (`None` if it was
    /// released before it could be read).
    pub lease_holder: Option<Lease>,
}

impl SyncReport {
    /// For a held lease: which process holds it and until when, in English and Japanese.
    pub fn lease_held_message(&self) -> Option<String> {
        if self.outcome != ImportOutcome::LeaseHeld {
            return None;
        }
        let Some(lease) = &self.lease_holder else {
            return Some(
                "another process held this connection's import a moment ago; run sync again / 別のプロセスがこの接続の取り込みを実行していました。もう一度 sync を実行してください"
                    .to_owned(),
            );
        };
        let (owner, until) = (&lease.owner, lease.expires_at);
        let holder = match owner.process() {
            Some(process) => format!("process {} on {} ({owner})", process.pid, process.host),
            None => owner.to_string(),
        };
        Some(format!(
            "{holder} is importing this connection, with its lease until {until} / {holder} がこの接続を取り込み中です（リースの期限 {until}）"
        ))
    }

    /// One line for logs and harnesses: outcome, pages, counts and the error if any.
    pub fn summary_line(&self) -> String {
        let error = self
            .error
            .as_ref()
            .map(|e| format!(" error={}: {}", e.kind, e.message))
            .unwrap_or_default();
        format!(
            "{} pages={} new={} changed={} unchanged={} item_calls={} retries={} throttled={}{error}",
            self.outcome.as_str(),
            self.pages,
            self.orders_new,
            self.orders_changed,
            self.orders_unchanged,
            self.item_calls,
            self.retries,
            self.throttled,
        )
    }
}

/// How far a run got; passed to the progress hook after every committed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The connection.
    pub connection_id: ConnectionId,
    /// Pages committed so far.
    pub pages: u32,
    /// Orders listed so far.
    pub orders_seen: u64,
    /// Orders written (new or changed) so far.
    pub orders_written: u64,
    /// Item listings fetched so far.
    pub item_calls: u64,
}

/// A progress hook, e.g. to draw a progress bar.
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// Options of one run.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Called after every committed page.
    pub progress: Option<ProgressFn>,
    /// Stops the run between pages (it then ends as failed with kind `interrupted`; nothing is lost).
    pub cancel: Option<CancellationToken>,
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}
