//! The SP-API endpoints sellerlink uses, served from the same world as MWS: the same sellers,
//! order book (with each order's timeline, so `state_at` answers both APIs alike), stock book,
//! clock, faults, throttling and request log.
//!
//! | operation | method and path | rate / burst |
//! | --- | --- | --- |
//! | Sellers `getMarketplaceParticipations` | `GET /sellers/v1/marketplaceParticipations` | 0.016 / 15 |
//! | Orders 2026-01-01 `searchOrders` | `GET /orders/2026-01-01/orders` | 0.0056 / 20 |
//! | Orders 2026-01-01 `getOrder` | `GET /orders/2026-01-01/orders/{orderId}` | 0.5 / 30 |
//! | Orders v0 `confirmShipment` | `POST /orders/v0/orders/{orderId}/shipmentConfirmation` | 2 / 10 |
//! | Listings Items 2021-08-01 `patchListingsItem` | `PATCH /listings/2021-08-01/items/{sellerId}/{sku}` | 5 / 5 |
//!
//! Every request goes through [`pipeline`]: `user-agent`, `x-amz-access-token` (a SigV4
//! `Authorization` header is ignored, as Amazon has done since 2023-10-02), faults, the token
//! bucket of (app, seller, operation), then the operation.

pub mod confirm_shipment;
pub(crate) mod delivery;
pub mod errors;
pub mod get_order;
pub mod listings;
pub mod operation;
pub mod orders_json;
pub mod params;
pub mod pipeline;
pub mod search_orders;
pub mod sellers;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::response::Response;
use axum::routing::{get, patch, post};

pub use operation::Operation;
pub use pipeline::PathArgs;

use crate::AppState;

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The SP-API routes, to be merged into the sandbox's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sellers/v1/marketplaceParticipations", get(participations))
        .route("/orders/2026-01-01/orders", get(search))
        .route("/orders/2026-01-01/orders/{order_id}", get(order))
        .route(
            "/orders/v0/orders/{order_id}/shipmentConfirmation",
            post(confirm),
        )
        .route(
            "/listings/2021-08-01/items/{seller_id}/{sku}",
            patch(listing),
        )
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

async fn participations(State(state): State<AppState>, request: Request) -> Response {
    pipeline::handle(
        state,
        Operation::GetMarketplaceParticipations,
        PathArgs::default(),
        request,
    )
    .await
}

async fn search(State(state): State<AppState>, request: Request) -> Response {
    pipeline::handle(state, Operation::SearchOrders, PathArgs::default(), request).await
}

async fn order(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    request: Request,
) -> Response {
    let args = PathArgs {
        order_id: Some(order_id),
        ..PathArgs::default()
    };
    pipeline::handle(state, Operation::GetOrder, args, request).await
}

async fn confirm(
    State(state): State<AppState>,
    Path(order_id): Path<String>,
    request: Request,
) -> Response {
    let args = PathArgs {
        order_id: Some(order_id),
        ..PathArgs::default()
    };
    pipeline::handle(state, Operation::ConfirmShipment, args, request).await
}

async fn listing(
    State(state): State<AppState>,
    Path((seller_id, sku)): Path<(String, String)>,
    request: Request,
) -> Response {
    let args = PathArgs {
        seller_id: Some(seller_id),
        sku: Some(sku),
        ..PathArgs::default()
    };
    pipeline::handle(state, Operation::PatchListingsItem, args, request).await
}
