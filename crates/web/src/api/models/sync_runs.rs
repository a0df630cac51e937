//! Order import runs of a connection.

use jiff::Timestamp;
use sellerlink_store::SyncRun;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The error that ended a sync run.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncErrorOut {
    /// e.g. `throttled`, `access_denied`, `transient`.
    pub kind: String,
    /// What happened.
    pub message: String,
}

/// One order import run of a connection.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncRunOut {
    /// Its id.
    pub id: Uuid,
    /// The connection.
    pub connection_id: Uuid,
    /// When it started.
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// When it ended; absent while running.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// `ok`, `paused_access_denied` or `failed`; absent while running.
    pub outcome: Option<String>,
    /// Pages read from Amazon.
    pub pages: u32,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed.
    pub orders_changed: u64,
    /// The error it ended on.
    pub error: Option<SyncErrorOut>,
}

impl From<&SyncRun> for SyncRunOut {
    fn from(run: &SyncRun) -> Self {
        let result = run.result.as_ref();
        Self {
            id: run.id.as_uuid(),
            connection_id: run.connection_id.as_uuid(),
            started_at: run.started_at,
            finished_at: result.map(|r| r.finished_at),
            outcome: result.map(|r| r.outcome.as_str().to_owned()),
            pages: result.map_or(0, |r| r.pages),
            orders_new: result.map_or(0, |r| r.orders_new),
            orders_changed: result.map_or(0, |r| r.orders_changed),
            error: result.and_then(|r| r.error.as_ref()).map(|e| SyncErrorOut {
                kind: e.kind.clone(),
                message: e.message.clone(),
            }),
        }
    }
}

/// What an import started through the API did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SyncStartedOut {
    /// `completed`, `paused_access_denied`, `failed`, `paused` or `lease_held`.
    #[schema(example = "completed")]
    pub outcome: String,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed.
    pub orders_changed: u64,
    /// The recorded run, if one ran.
    pub run: Option<SyncRunOut>,
}

/// Query of the sync-run list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SyncRunsQuery {
    /// How many runs, newest first (1–100, default 20).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
}
