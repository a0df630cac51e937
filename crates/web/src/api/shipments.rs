//! `/api/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments`: a warehouse system tells sellerlink a
//! package left (carrier, tracking number); sellerlink queues the confirmation and its worker sends it to Amazon.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use sellerlink_app::ShipmentInput;
use sellerlink_store::{ShipmentFilter, ShipmentRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::ApiJson;
use super::orders::find;
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::state::WebState;

/// A package that left the warehouse.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentIn {
    /// The carrier as Seller Central names it, e.g. `Yamato Transport`, `Japan Post`, `Sagawa Express`; another
    /// name is sent to Amazon as "Other" with the name.
    #[schema(example = "Yamato Transport")]
    pub carrier: String,
    /// The carrier's tracking number: 1–50 letters, digits and hyphens.
    #[schema(example = "1234-5678-9012")]
    pub tracking_number: String,
    /// The service, e.g. 宅急便.
    pub shipping_method: Option<String>,
    /// When the package left (RFC 3339); now when absent.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ship_date: Option<Timestamp>,
}

/// One line of a shipment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentLineOut {
    /// Amazon's order item id.
    pub order_item_id: String,
    /// Units in the package.
    pub quantity: u32,
}

/// A shipment confirmation and what Amazon made of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentOut {
    /// The shipment.
    pub id: Uuid,
    /// The order.
    pub amazon_order_id: String,
    /// The carrier.
    pub carrier: String,
    /// The tracking number.
    pub tracking_number: String,
    /// The service.
    pub shipping_method: Option<String>,
    /// When the package left.
    #[schema(value_type = String, format = DateTime)]
    pub ship_date: Timestamp,
    /// The order's lines in the package (every unit not yet shipped when it was queued).
    pub lines: Vec<ShipmentLineOut>,
    /// `queued` (waiting for the worker), `submitted` (Amazon is processing it), `confirmed` or `rejected`.
    #[schema(example = "queued")]
    pub state: String,
    /// Amazon's reason for a rejection, or why the last attempt did not go through.
    pub last_error: Option<String>,
    /// When it was queued.
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// When Amazon confirmed or rejected it.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<Timestamp>,
}

impl From<&ShipmentRecord> for ShipmentOut {
    fn from(record: &ShipmentRecord) -> Self {
        Self {
            id: record.id.as_uuid(),
            amazon_order_id: record.amazon_order_id.to_string(),
            carrier: record.carrier.clone(),
            tracking_number: record.tracking_number.clone(),
            shipping_method: record.shipping_method.clone(),
            ship_date: record.ship_date,
            lines: record
                .lines
                .iter()
                .map(|line| ShipmentLineOut {
                    order_item_id: line.order_item_id.clone(),
                    quantity: line.quantity,
                })
                .collect(),
            state: record.state.as_str().to_owned(),
            last_error: record.last_error.clone(),
            created_at: record.created_at,
            finished_at: record.finished_at,
        }
    }
}

/// Queues a shipment confirmation of the order: its unshipped items, with this carrier and tracking number.
/// The same tracking number for the same order again answers 200 with the shipment already queued.
#[utoipa::path(
    post, path = "/api/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments",
    operation_id = "create_shipment", tag = "orders",
    params(
        ("connection_id" = uuid::Uuid, Path, description = "The connection the order was imported through"),
        ("amazon_order_id" = String, Path, description = "Amazon's order number as Amazon sent it, e.g. 503-1234567-1234567 or S01-1234567-1234567 (percent-encoded)"),
    ),
    request_body = ShipmentIn,
    responses(
        (status = 201, description = "Queued; the worker sends it to Amazon", body = ShipmentOut),
        (status = 200, description = "This parcel was queued before; nothing new", body = ShipmentOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "No CSRF token (browser sessions)", body = ErrorEnvelope),
        (status = 404, description = "No such order (or not yours)", body = ErrorEnvelope),
        (status = 422, description = "A field does not fit, or the order cannot be shipped (cancelled, Amazon-fulfilled, shipped already); `field` says which", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn create(
    State(state): State<WebState>,
    caller: Caller,
    Path((connection, order)): Path<(String, String)>,
    ApiJson(body): ApiJson<ShipmentIn>,
) -> Result<(StatusCode, Json<ShipmentOut>), HttpError> {
    let stored = find(&state, caller.scope, &connection, &order).await?;
    let (record, created) = state
        .app()
        .queue_shipment(
            stored.connection_id,
            &stored.order.amazon_order_id,
            ShipmentInput {
                carrier: body.carrier,
                shipping_method: body.shipping_method,
                tracking_number: body.tracking_number,
                ship_date: body.ship_date,
            },
            &caller.actor,
        )
        .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ShipmentOut::from(&record))))
}

/// The order's shipment confirmations, newest first.
#[utoipa::path(
    get, path = "/api/v1/connections/{connection_id}/orders/{amazon_order_id}/shipments",
    operation_id = "list_shipments", tag = "orders",
    params(
        ("connection_id" = uuid::Uuid, Path, description = "The connection the order was imported through"),
        ("amazon_order_id" = String, Path, description = "Amazon's order number as Amazon sent it, e.g. 503-1234567-1234567 or S01-1234567-1234567 (percent-encoded)"),
    ),
    responses(
        (status = 200, description = "The order's shipments", body = [ShipmentOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such order (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    Path((connection, order)): Path<(String, String)>,
) -> Result<Json<Vec<ShipmentOut>>, HttpError> {
    let stored = find(&state, caller.scope, &connection, &order).await?;
    let shipments = state
        .app()
        .shipments(&ShipmentFilter {
            connection: Some(stored.connection_id),
            amazon_order_id: Some(stored.order.amazon_order_id),
            ..ShipmentFilter::default()
        })
        .await?;
    Ok(Json(shipments.iter().map(ShipmentOut::from).collect()))
}
