//! A run's row in the sync history. It is written when the run first finds something to import, so a long import
//! shows as running, and finished when the run ends; a run that never found anything (an idle poll, most runs of
//! most connections) or failed first is written once, whole, at its end. An idle run thus costs the history one
//! statement, and a worker that dies before the run found work leaves no unfinished row behind.

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Store, StoreError, SyncRunId, SyncRunResult};
use tokio::sync::OnceCell;

/// One run's place in the history.
#[derive(Debug)]
pub(crate) struct RunRecord {
    connection_id: ConnectionId,
    started_at: Timestamp,
    /// The row, once written.
    row: OnceCell<SyncRunId>,
}

impl RunRecord {
    /// A run of the connection that started at `started_at`, not yet in the history.
    pub(crate) fn new(connection_id: ConnectionId, started_at: Timestamp) -> Self {
        Self {
            connection_id,
            started_at,
            row: OnceCell::new(),
        }
    }

    /// The connection the run imports.
    pub(crate) fn connection_id(&self) -> ConnectionId {
        self.connection_id
    }

    /// When the run started.
    pub(crate) fn started_at(&self) -> Timestamp {
        self.started_at
    }

    /// Writes the run as running, unless it was already.
    pub(crate) async fn show_running(&self, store: &Store) -> Result<SyncRunId, StoreError> {
        self.row
            .get_or_try_init(|| store.start_sync_run(self.connection_id, self.started_at))
            .await
            .copied()
    }

    /// Writes how the run ended: finishes its row, or writes the whole run if it had none.
    pub(crate) async fn finish(
        &self,
        store: &Store,
        result: &SyncRunResult,
    ) -> Result<SyncRunId, StoreError> {
        match self.row.get() {
            Some(id) => {
                store.finish_sync_run(*id, result).await?;
                Ok(*id)
            }
            None => {
                store
                    .record_sync_run(self.connection_id, self.started_at, result)
                    .await
            }
        }
    }
}
