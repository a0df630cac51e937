//! `/operator/jobs` (operators only): every background job with each process's last run of it — when it started
//! and ended, how it ended and what it did — and the import queue. The same facts as `/api/v1/jobs`.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jiff::tz::{self, TimeZone};

use super::{Chrome, error_page, render};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::state::WebState;

/// One line of the jobs table: a process's last run of a job, or a job no process has run.
pub(crate) struct JobRow {
    /// The job's stable name (`data-job`).
    pub name: &'static str,
    pub label: &'static str,
    /// Whether this is the job's first line (the job's name is shown there only).
    pub first: bool,
    pub run: Option<RunCells>,
}

/// What a run's cells show.
pub(crate) struct RunCells {
    pub every: String,
    pub process: String,
    pub started: String,
    pub finished: String,
    /// `running`, `ok` or `failed` (the badge's class and `data-outcome`).
    pub outcome: &'static str,
    pub outcome_label: &'static str,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "operator_jobs.html")]
struct JobsPage {
    chrome: Chrome,
    rows: Vec<JobRow>,
    import_queue: String,
}

/// An instant to the second in JST: jobs run every few seconds, so minutes are not enough.
fn jst_seconds(at: Timestamp) -> String {
    at.to_zoned_datetime(TimeZone::fixed(tz::offset(9)))
        .strftime("%Y-%m-%d %H:%M:%S JST")
        .to_string()
}

async fn page(state: &WebState, user: &PageUser) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, None);
    let t = chrome.t;
    let view = state.app().jobs_view().await?;
    let mut rows = Vec::new();
    for job in &view.jobs {
        let (name, label) = (job.kind.as_str(), (t.job_label)(job.kind));
        if job.runs.is_empty() {
            rows.push(JobRow {
                name,
                label,
                first: true,
                run: None,
            });
        }
        for (index, run) in job.runs.iter().enumerate() {
            rows.push(JobRow {
                name,
                label,
                first: index == 0,
                run: Some(RunCells {
                    every: (t.job_every)(run.interval.as_secs()),
                    process: run.owner.to_string(),
                    started: jst_seconds(run.started_at),
                    finished: run.finished_at.map_or_else(|| "—".to_owned(), jst_seconds),
                    outcome: run.outcome.as_str(),
                    outcome_label: (t.job_outcome_label)(run.outcome),
                    summary: run.summary.clone(),
                }),
            });
        }
    }
    let queue = view.import_queue;
    let page = JobsPage {
        import_queue: (t.import_queue)(queue.due, queue.oldest_due_age.map(|age| age.as_mins())),
        rows,
        chrome,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `/operator/jobs` (operators only).
pub(crate) async fn list(State(state): State<WebState>, user: PageUser) -> Response {
    if !user.is_operator() {
        return error_page(&user.visitor, &crate::api::jobs::not_operator());
    }
    page(&state, &user)
        .await
        .unwrap_or_else(|error| error_page(&user.visitor, &error))
}
