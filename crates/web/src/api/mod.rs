//! The JSON API under `/api/v1`, and its OpenAPI document at `/api/openapi.json`.
//!
//! Authentication: a merchant's API key (`Authorization: Bearer sl_…`, limited to its scopes, see [`access`]) or a
//! signed-in browser session (cookie `sl_session`; state-changing requests then also send the session's CSRF token in `X-CSRF-Token`). Every error
//! is the envelope `{"error": {"code", "message", "message_ja", "field"}}`.

pub(crate) mod access;
mod api_keys;
pub(crate) mod connections;
mod demo_clock;
mod extract;
pub(crate) mod jobs;
pub(crate) mod merchants;
pub(crate) mod models;
mod notifications;
mod notifications_channels;
pub(crate) mod notifications_shared;
pub(crate) mod orders;
mod shipments;
mod stock;
mod sync_runs;

use axum::Json;
use axum::Router;
use axum::routing::{get, post};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ErrorBody, ErrorEnvelope, HttpError};
use crate::state::WebState;

/// The OpenAPI document of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "sellerlink API",
        description = "Merchants, their Amazon seller-account connections (MWS grants verified against Amazon), the \
                       access lifecycle, order import runs and imported orders. A merchant's API key sees only that \
                       merchant; anything of another merchant answers 404.",
        version = "1"
    ),
    paths(
        merchants::list,
        merchants::create,
        merchants::get,
        connections::list,
        connections::create,
        connections::get,
        connections::remove,
        connections::act,
        connections::verify,
        sync_runs::list,
        sync_runs::start,
        orders::list,
        orders::get,
        shipments::create,
        shipments::list,
        stock::set,
        stock::list,
        api_keys::list,
        api_keys::create,
        api_keys::revoke,
        notifications_channels::list,
        notifications_channels::create,
        notifications_channels::disable,
        notifications_channels::enable,
        notifications_channels::test,
        notifications::list,
        jobs::list,
    ),
    components(schemas(ErrorEnvelope, ErrorBody)),
    modifiers(&Security),
    tags(
        (name = "merchants", description = "The 3PL's merchants"),
        (name = "connections", description = "Amazon seller accounts and their access lifecycle"),
        (name = "sync", description = "Order import runs"),
        (name = "orders", description = "Imported orders and their shipment confirmations"),
        (name = "stock", description = "Stock levels pushed to Amazon"),
        (name = "api-keys", description = "A merchant's API keys"),
        (name = "notifications", description = "Where expiry reminders and access lost alerts go, test sends, and the log of what was sent"),
        (name = "jobs", description = "The background jobs' last runs and the import queue (operators only)"),
    )
)]
pub struct ApiDoc;

/// Declares the two ways to authenticate.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("sl_…")
                    .description(Some(
                        "A merchant's API key, created on the API keys page. It may call only what its scopes \
                         cover (otherwise 403 `missing_scope`, naming the scope): `connections:read`, \
                         `connections:manage`, `orders:read`, `shipments:write`, `stock:write`, \
                         `notifications:read`, `notifications:manage`. Managing API keys and adding notification \
                         channels need a signed-in session (403 `session_required` for a key).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "sl_session",
                "A signed-in browser session; state-changing requests also send the session's CSRF token in \
                 X-CSRF-Token.",
            ))),
        );
    }
}

/// The OpenAPI document as pretty JSON (what `/api/openapi.json` serves).
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> HttpError {
    HttpError::not_found("API endpoint", "APIエンドポイント")
}

/// The API routes, to be nested under `/api`.
pub(crate) fn router() -> Router<WebState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route(
            "/v1/merchants",
            get(merchants::list).post(merchants::create),
        )
        .route("/v1/merchants/{merchant_id}", get(merchants::get))
        .route(
            "/v1/connections",
            get(connections::list).post(connections::create),
        )
        .route(
            "/v1/connections/{connection_id}",
            get(connections::get).delete(connections::remove),
        )
        .route(
            "/v1/connections/{connection_id}/actions",
            post(connections::act),
        )
        .route(
            "/v1/connections/{connection_id}/verify",
            post(connections::verify),
        )
        .route(
            "/v1/connections/{connection_id}/sync-runs",
            get(sync_runs::list).post(sync_runs::start),
        )
        .route(
            "/v1/connections/{connection_id}/orders/{amazon_order_id}",
            get(orders::get),
        )
        .route(
            "/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments",
            get(shipments::list).post(shipments::create),
        )
        .route(
            "/v1/connections/{connection_id}/stock",
            get(stock::list).put(stock::set),
        )
        .route("/v1/orders", get(orders::list))
        .route("/v1/api-keys", get(api_keys::list).post(api_keys::create))
        .route(
            "/v1/api-keys/{api_key_id}",
            axum::routing::delete(api_keys::revoke),
        )
        .route(
            "/v1/notification-channels",
            get(notifications_channels::list).post(notifications_channels::create),
        )
        .route(
            "/v1/notification-channels/{channel_id}/disable",
            post(notifications_channels::disable),
        )
        .route(
            "/v1/notification-channels/{channel_id}/enable",
            post(notifications_channels::enable),
        )
        .route(
            "/v1/notification-channels/{channel_id}/test",
            post(notifications_channels::test),
        )
        .route("/v1/notifications", get(notifications::list))
        .route("/v1/jobs", get(jobs::list))
        .route(
            "/v1/demo/clock",
            get(demo_clock::get).post(demo_clock::advance),
        )
        .route_layer(axum::middleware::from_fn(access::mark))
        .fallback(not_found)
}
