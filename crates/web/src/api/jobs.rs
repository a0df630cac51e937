//! `/api/v1/jobs` (operators only): every background job with each process's last run of it, and the import
//! queue.

use axum::Json;
use axum::extract::State;
use jiff::Timestamp;
use sellerlink_app::{JobView, JobsView};
use sellerlink_domain::connection::Language;
use sellerlink_store::JobRun;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::i18n::texts;
use crate::state::WebState;

/// Every background job and the import queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobsOut {
    /// Every job sellerlink has, whether or not a process runs it.
    pub jobs: Vec<JobOut>,
    /// How much import work is due now.
    pub import_queue: ImportQueueOut,
}

/// One background job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobOut {
    /// Its stable name: `imports`, `reminders`, `shipments`, `stock_levels`, `buyer_data_erasure`,
    /// `planner_statistics` or `session_cleanup`.
    #[schema(example = "shipments")]
    pub name: String,
    /// Its name in English.
    #[schema(example = "Shipment confirmations")]
    pub label: String,
    /// Its name in Japanese.
    #[schema(example = "出荷通知の送信")]
    pub label_ja: String,
    /// The last run in each process that runs it, the newest start first; empty when none has run it.
    pub runs: Vec<JobRunOut>,
}

/// A process's last run of a job.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobRunOut {
    /// The process (its lease owner: role, host, process).
    #[schema(example = "sellerlink@worker-1:4026531836:1:2093#4f1c2a9e0b7d")]
    pub process: String,
    /// How often that process runs the job, in seconds (for `imports`: how often each connection is imported).
    pub interval_seconds: i64,
    /// When the run started (for `imports`, which runs continuously: the start of the minute it reports on).
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    /// When it ended; absent while it runs.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
    /// `running`, `ok` or `failed`.
    #[schema(example = "ok")]
    pub outcome: String,
    /// What it did, or why it failed.
    #[schema(example = "2 shipment(s): 2 confirmed")]
    pub summary: String,
}

/// The import queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportQueueOut {
    /// Connections whose import or re-check is due and not claimed by a worker.
    pub due: u64,
    /// How long the one waiting longest has waited, in seconds; absent when none is due. A growing age means the
    /// workers do not keep up.
    pub oldest_due_age_seconds: Option<i64>,
}

impl From<&JobRun> for JobRunOut {
    fn from(run: &JobRun) -> Self {
        Self {
            process: run.owner.to_string(),
            interval_seconds: run.interval.as_secs(),
            started_at: run.started_at,
            finished_at: run.finished_at,
            outcome: run.outcome.as_str().to_owned(),
            summary: run.summary.clone(),
        }
    }
}

impl From<&JobView> for JobOut {
    fn from(job: &JobView) -> Self {
        Self {
            name: job.kind.as_str().to_owned(),
            label: (texts(Language::En).job_label)(job.kind).to_owned(),
            label_ja: (texts(Language::Ja).job_label)(job.kind).to_owned(),
            runs: job.runs.iter().map(JobRunOut::from).collect(),
        }
    }
}

impl From<&JobsView> for JobsOut {
    fn from(view: &JobsView) -> Self {
        Self {
            jobs: view.jobs.iter().map(JobOut::from).collect(),
            import_queue: ImportQueueOut {
                due: view.import_queue.due,
                oldest_due_age_seconds: view.import_queue.oldest_due_age.map(|age| age.as_secs()),
            },
        }
    }
}

/// The 403 of a merchant asking for the jobs (the API and the page).
pub(crate) fn not_operator() -> HttpError {
    HttpError::forbidden("see the background jobs", "バックグラウンドジョブを表示")
}

/// Every background job with each process's last run of it, and the import queue (operators only).
#[utoipa::path(
    get, path = "/api/v1/jobs", operation_id = "list_jobs", tag = "jobs",
    responses(
        (status = 200, description = "The jobs and the import queue", body = JobsOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "Not an operator (API keys are merchants')", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
) -> Result<Json<JobsOut>, HttpError> {
    if caller.scope.merchant().is_some() {
        return Err(not_operator());
    }
    let view = state.app().jobs_view().await?;
    Ok(Json(JobsOut::from(&view)))
}
