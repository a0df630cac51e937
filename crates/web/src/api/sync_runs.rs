//! `/api/v1/connections/{id}/sync-runs`: the import history, and importing now.

use axum::Json;
use axum::extract::{Path, State};

use super::connections::connection_id;
use super::extract::ApiQuery;
use super::models::{SyncRunOut, SyncRunsQuery, SyncStartedOut};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::state::WebState;

/// The connection's newest import runs, newest first.
#[utoipa::path(
    get, path = "/api/v1/connections/{connection_id}/sync-runs", operation_id = "list_sync_runs", tag = "sync",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection"), SyncRunsQuery),
    responses(
        (status = 200, description = "The runs", body = [SyncRunOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<SyncRunsQuery>,
) -> Result<Json<Vec<SyncRunOut>>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    let limit = crate::paging::bounded("limit", query.limit.as_deref(), 20, 1..=100)?;
    let runs = state.store().sync_runs(view.connection.id, limit).await?;
    Ok(Json(runs.iter().map(SyncRunOut::from).collect()))
}

/// Imports the connection's changed orders now and answers when the run has ended.
#[utoipa::path(
    post, path = "/api/v1/connections/{connection_id}/sync-runs", operation_id = "start_sync_run", tag = "sync",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection")),
    responses(
        (status = 200, description = "What the run did", body = SyncStartedOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
        (status = 503, description = "Amazon is not configured", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn start(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<SyncStartedOut>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    let report = state
        .app()
        .sync_connection(view.connection.id, Default::default())
        .await?;
    let run = match report.run_id {
        Some(run_id) => state
            .store()
            .sync_runs(view.connection.id, 20)
            .await?
            .into_iter()
            .find(|run| run.id == run_id),
        None => None,
    };
    Ok(Json(SyncStartedOut {
        outcome: report.outcome.as_str().to_owned(),
        orders_new: report.orders_new,
        orders_changed: report.orders_changed,
        run: run.as_ref().map(SyncRunOut::from),
    }))
}
