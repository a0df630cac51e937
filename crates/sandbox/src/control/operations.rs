//! Faults, feed timing, throttling reset, the request log and the index of control endpoints.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;

use crate::AppState;
use crate::control::{ControlError, ControlResult};
use crate::faults::FaultRates;
use crate::feeds::FeedTiming;
use crate::request_log::LogEntry;
use crate::world::lock;

/// Every control endpoint, for `GET /_sandbox`.
pub const ENDPOINTS: &[&str] = &[
    "GET  /_sandbox/clock",
    "POST /_sandbox/clock {\"advance\": 60 | \"P1Y\", \"set\": \"2024-01-01T00:00:00Z\", \"freeze\": true}",
    "GET  /_sandbox/identity",
    "GET|POST /_sandbox/developers",
    "GET|POST /_sandbox/sellers",
    "GET|POST /_sandbox/grants[?seller_id=]",
    "POST /_sandbox/grants/{renew|restore|revoke|enable-expiry|expire-now|nickname}",
    "GET|POST /_sandbox/sellers/{seller_id}/orders[?include_future=true]",
    "GET  /_sandbox/sellers/{seller_id}/orders/{order_id}",
    "POST /_sandbox/sellers/{seller_id}/orders/{order_id}/status",
    "PUT|DELETE /_sandbox/sellers/{seller_id}/orders/{order_id}/malformed {\"kind\": \"optional_fields_missing\"|\"unreadable\"}",
    "GET  /_sandbox/sellers/{seller_id}/stock",
    "GET  /_sandbox/sellers/{seller_id}/feeds",
    "GET|PUT /_sandbox/feeds/timing",
    "GET|DELETE /_sandbox/faults",
    "PUT|DELETE /_sandbox/faults/{operation|*}",
    "POST /_sandbox/throttle/reset",
    "GET|DELETE /_sandbox/requests[?limit=100]",
    "GET|POST /_sandbox/apps {\"name\", \"redirect_uris\", \"login_uri\", \"stage\": \"draft\"|\"published\"}",
    "GET|POST /_sandbox/apps/{application_id} {\"redirect_uris\", \"add_redirect_uris\", \"login_uri\", \"stage\"}",
    "POST /_sandbox/apps/{application_id}/secret/{rotate|expire}",
    "GET|POST /_sandbox/authorizations[?seller_id=&application_id=] {\"seller_id\", \"application_id\"?}",
    "POST /_sandbox/authorizations/{revoke|expire-now|code} {\"seller_id\", \"application_id\"?, \"redirect_uri\"?}",
];

pub(crate) async fn index() -> Json<&'static [&'static str]> {
    Json(ENDPOINTS)
}

pub(crate) async fn get_timing(State(state): State<AppState>) -> Json<FeedTiming> {
    Json(lock(&state.world).feeds.timing)
}

pub(crate) async fn put_timing(
    State(state): State<AppState>,
    Json(timing): Json<FeedTiming>,
) -> ControlResult<FeedTiming> {
    if timing.done_after_secs < timing.in_progress_after_secs {
        return Err(ControlError::bad_request(
            "done_after_secs must not be less than in_progress_after_secs",
        ));
    }
    let mut world = lock(&state.world);
    world.feeds.timing = timing;
    Ok(Json(timing))
}

pub(crate) async fn list_faults(
    State(state): State<AppState>,
) -> Json<BTreeMap<String, FaultRates>> {
    Json(lock(&state.world).faults.rules().clone())
}

pub(crate) async fn put_fault(
    State(state): State<AppState>,
    Path(operation): Path<String>,
    Json(rates): Json<FaultRates>,
) -> ControlResult<FaultRates> {
    let known = operation == "*"
        || [
            crate::mws::section::Section::Orders,
            crate::mws::section::Section::Sellers,
            crate::mws::section::Section::Feeds,
        ]
        .iter()
        .any(|s| s.operation(&operation).is_some())
        || crate::spapi::Operation::ALL
            .iter()
            .any(|op| op.name() == operation)
        || operation == crate::lwa::token_endpoint::FAULT_OPERATION;
    if !known {
        return Err(ControlError::bad_request(format!(
            "{operation} is not an operation the sandbox serves; use an MWS Action name, an SP-API operation ID (searchOrders, getOrder, confirmShipment, patchListingsItem, getMarketplaceParticipations), LwaToken or *"
        )));
    }
    let mut world = lock(&state.world);
    world
        .faults
        .set(&operation, rates.clone())
        .map_err(ControlError::bad_request)?;
    Ok(Json(rates))
}

pub(crate) async fn delete_fault(
    State(state): State<AppState>,
    Path(operation): Path<String>,
) -> StatusCode {
    if lock(&state.world).faults.remove(&operation) {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

pub(crate) async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    lock(&state.world).faults.clear();
    StatusCode::NO_CONTENT
}

pub(crate) async fn reset_throttle(State(state): State<AppState>) -> StatusCode {
    lock(&state.world).throttle.reset();
    StatusCode::NO_CONTENT
}

/// `GET /_sandbox/requests?limit=N`.
#[derive(Debug, serde::Deserialize)]
pub struct LogQuery {
    /// How many of the newest entries (default 100).
    pub limit: Option<usize>,
}

pub(crate) async fn requests(
    State(state): State<AppState>,
    Query(query): Query<LogQuery>,
) -> Json<Vec<LogEntry>> {
    Json(lock(&state.world).log.last(query.limit.unwrap_or(100)))
}

pub(crate) async fn clear_requests(State(state): State<AppState>) -> StatusCode {
    lock(&state.world).log.clear();
    StatusCode::NO_CONTENT
}
