//! `/api/v1/connections/{connection_id}/stock`: a warehouse system sets how many units of each SKU are available;
//! sellerlink keeps the newest quantity per SKU and its worker pushes the changed ones to Amazon.

use axum::Json;
use axum::extract::{Path, State};
use jiff::Timestamp;
use sellerlink_store::{StockChange, StockFilter, StockLevel};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::connections::connection_id;
use super::extract::ApiJson;
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::state::WebState;

/// One SKU's quantity.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockLevelIn {
    /// The seller's SKU (1–40 characters).
    #[schema(example = "TEA-GREEN-100G")]
    pub sku: String,
    /// Units available to sell.
    #[schema(example = 12)]
    pub quantity: u32,
}

/// Quantities of several SKUs, set all or nothing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockIn {
    /// 1 to 1,000 SKUs, each once.
    pub levels: Vec<StockLevelIn>,
}

/// A SKU's recorded quantity and what Amazon has accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct StockLevelOut {
    /// The connection.
    pub connection_id: Uuid,
    /// The SKU.
    pub sku: String,
    /// The quantity recorded last.
    pub quantity: u32,
    /// The quantity Amazon accepted last, if any.
    pub quantity_at_amazon: Option<u32>,
    /// `pending` (waiting for the worker), `submitted` (Amazon is processing it), `pushed` or `rejected`.
    #[schema(example = "pending")]
    pub state: String,
    /// Amazon's reason for a rejection, or why the last attempt did not go through.
    pub last_error: Option<String>,
    /// `created`, `changed` or `unchanged` (only in the answer to a `PUT`).
    pub change: Option<String>,
    /// When the quantity was recorded or last changed state.
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// When Amazon accepted a quantity last.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub pushed_at: Option<Timestamp>,
}

impl StockLevelOut {
    fn new(level: &StockLevel, change: Option<StockChange>) -> Self {
        Self {
            connection_id: level.connection_id.as_uuid(),
            sku: level.sku.clone(),
            quantity: level.quantity,
            quantity_at_amazon: level.pushed_quantity,
            state: level.state.as_str().to_owned(),
            last_error: level.last_error.clone(),
            change: change.map(|change| {
                match change {
                    StockChange::Created => "created",
                    StockChange::Changed => "changed",
                    StockChange::Unchanged => "unchanged",
                }
                .to_owned()
            }),
            updated_at: level.updated_at,
            pushed_at: level.pushed_at,
        }
    }
}

/// Records the quantities of several SKUs of the connection, all or nothing; the changed ones are pushed to
/// Amazon by the worker.
#[utoipa::path(
    put, path = "/api/v1/connections/{connection_id}/stock", operation_id = "set_stock", tag = "stock",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection (seller account)")),
    request_body = StockIn,
    responses(
        (status = 200, description = "Recorded; each SKU says whether its quantity changed", body = [StockLevelOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "No CSRF token (browser sessions)", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
        (status = 422, description = "A SKU or quantity does not fit (`field` says which); nothing was recorded", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn set(
    State(state): State<WebState>,
    caller: Caller,
    Path(connection): Path<String>,
    ApiJson(body): ApiJson<StockIn>,
) -> Result<Json<Vec<StockLevelOut>>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&connection)?)
        .await?;
    let levels: Vec<(String, u32)> = body
        .levels
        .into_iter()
        .map(|level| (level.sku, level.quantity))
        .collect();
    let changes = state
        .app()
        .set_stock_levels(view.connection.id, &levels)
        .await?;
    Ok(Json(
        changes
            .iter()
            .map(|(level, change)| StockLevelOut::new(level, Some(*change)))
            .collect(),
    ))
}

/// The connection's recorded stock levels, by SKU.
#[utoipa::path(
    get, path = "/api/v1/connections/{connection_id}/stock", operation_id = "list_stock", tag = "stock",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection (seller account)")),
    responses(
        (status = 200, description = "The stock levels", body = [StockLevelOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    Path(connection): Path<String>,
) -> Result<Json<Vec<StockLevelOut>>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&connection)?)
        .await?;
    let levels = state
        .app()
        .stock_levels(&StockFilter {
            connection: Some(view.connection.id),
            limit: 500,
            ..StockFilter::default()
        })
        .await?;
    Ok(Json(
        levels
            .iter()
            .map(|level| StockLevelOut::new(level, None))
            .collect(),
    ))
}
