//! The control API under `/_sandbox/` (JSON): clock, developers, sellers, grants, orders, stock,
//! feeds, faults, throttling, the request log, and SP-API apps and authorizations. It has no authentication of its own: the
//! sandbox binds to loopback only, and that is the protection (see docs/SANDBOX.md).

mod clock;
mod identities;
mod operations;
mod orders;
pub mod spapi;

use axum::Json;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};

use crate::AppState;

/// A control-API failure: a status and an English message, sent as `{"error": "…"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlError {
    /// HTTP status.
    pub status: StatusCode,
    /// What went wrong and what to send instead.
    pub message: String,
}

impl ControlError {
    /// 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    /// 404 Not Found.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 409 Conflict (the world refused the change).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::CONFLICT,
            message: message.into(),
        }
    }
}

impl IntoResponse for ControlError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

/// Result type of control handlers.
pub type ControlResult<T> = Result<Json<T>, ControlError>;

/// The control routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/_sandbox", get(operations::index))
        .route(
            "/_sandbox/clock",
            get(clock::get_clock).post(clock::post_clock),
        )
        .route("/_sandbox/identity", get(identities::identity))
        .route(
            "/_sandbox/developers",
            get(identities::list_developers).post(identities::create_developer),
        )
        .route(
            "/_sandbox/sellers",
            get(identities::list_sellers).post(identities::create_seller),
        )
        .route(
            "/_sandbox/grants",
            get(identities::list_grants).post(identities::create_grant),
        )
        .route("/_sandbox/grants/{action}", post(identities::grant_action))
        .route(
            "/_sandbox/sellers/{seller_id}/orders",
            get(orders::list_orders).post(orders::create_order),
        )
        .route(
            "/_sandbox/sellers/{seller_id}/orders/{order_id}",
            get(orders::get_order),
        )
        .route(
            "/_sandbox/sellers/{seller_id}/orders/{order_id}/status",
            post(orders::set_status),
        )
        .route(
            "/_sandbox/sellers/{seller_id}/orders/{order_id}/malformed",
            put(orders::set_malformed).delete(orders::clear_malformed),
        )
        .route("/_sandbox/sellers/{seller_id}/stock", get(orders::stock))
        .route("/_sandbox/sellers/{seller_id}/feeds", get(orders::feeds))
        .route(
            "/_sandbox/feeds/timing",
            get(operations::get_timing).put(operations::put_timing),
        )
        .route(
            "/_sandbox/faults",
            get(operations::list_faults).delete(operations::clear_faults),
        )
        .route(
            "/_sandbox/faults/{operation}",
            put(operations::put_fault).delete(operations::delete_fault),
        )
        .route("/_sandbox/throttle/reset", post(operations::reset_throttle))
        .route(
            "/_sandbox/apps",
            get(spapi::list_apps).post(spapi::create_app),
        )
        .route(
            "/_sandbox/apps/{application_id}",
            get(spapi::get_app).post(spapi::update_app),
        )
        .route(
            "/_sandbox/apps/{application_id}/secret/{action}",
            post(spapi::secret_action),
        )
        .route(
            "/_sandbox/authorizations",
            get(spapi::list_authorizations).post(spapi::self_authorize),
        )
        .route(
            "/_sandbox/authorizations/{action}",
            post(spapi::authorization_action),
        )
        .route(
            "/_sandbox/requests",
            get(operations::requests).delete(operations::clear_requests),
        )
}
