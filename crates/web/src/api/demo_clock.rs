//! `/api/v1/demo/clock`: the demo clock for tests and scripts. Only in `sellerlink demo`; elsewhere it answers 404
//! like any unknown endpoint. Any signed-in session or API key may read and move it. Not in the OpenAPI document:
//! it is not part of the product's API.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};

use super::extract::ApiJson;
use crate::auth::caller::Caller;
use crate::demo_clock::{DemoClock, advance_days};
use crate::error::HttpError;
use crate::pages::format;
use crate::state::WebState;

/// The demo clock's reading.
#[derive(Debug, Serialize)]
pub(crate) struct DemoClockOut {
    /// Now on the demo clock, RFC 3339 (UTC).
    now: String,
    /// The same in Japan time, `2027-03-12 14:03 JST`.
    now_jst: String,
    /// How far the demo is ahead of real time, in seconds.
    offset_seconds: i64,
}

/// Moving the clock forward.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AdvanceIn {
    /// Whole days, 1 to 3650.
    advance_days: i64,
}

fn view(demo: &DemoClock) -> Json<DemoClockOut> {
    let now = demo.now();
    Json(DemoClockOut {
        now: now.to_string(),
        now_jst: format::jst(now),
        offset_seconds: demo.offset().as_secs(),
    })
}

fn demo_clock(state: &WebState) -> Result<&DemoClock, HttpError> {
    state
        .demo_clock()
        .ok_or_else(|| HttpError::not_found("API endpoint", "APIエンドポイント"))
}

/// `GET /api/v1/demo/clock`: the demo clock's reading.
pub(crate) async fn get(
    State(state): State<WebState>,
    caller: Result<Caller, HttpError>,
) -> Result<Json<DemoClockOut>, HttpError> {
    let demo = demo_clock(&state)?;
    caller?;
    Ok(view(demo))
}

/// `POST /api/v1/demo/clock {"advance_days": N}`: moves sellerlink's and the sandbox's clocks forward, runs what
/// fell due (imports, re-checks, reminders and alerts) and answers with the new reading.
pub(crate) async fn advance(
    State(state): State<WebState>,
    caller: Result<Caller, HttpError>,
    body: Result<ApiJson<AdvanceIn>, HttpError>,
) -> Result<Json<DemoClockOut>, HttpError> {
    // Outside the demo the endpoint does not exist, whoever asks and whatever they send.
    let demo = demo_clock(&state)?;
    caller?;
    let ApiJson(body) = body?;
    demo.advance(advance_days("advance_days", body.advance_days)?)
        .await;
    Ok(view(demo))
}
