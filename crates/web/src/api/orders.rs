//! `/api/v1/orders` and one order with its items.

use axum::Json;
use axum::extract::{Path, State};
use jiff::SignedDuration;
use jiff::Timestamp;
use sellerlink_domain::ids::{ConnectionId, MarketplaceId, MerchantId, OrderIdLookup};
use sellerlink_domain::order::FulfillmentChannel;
use sellerlink_store::{OrderQuery, OrderSort, ShipByFilter};

use super::connections::connection_id;
use super::extract::ApiQuery;
use super::models::{OrderDetailOut, OrderOut, OrderPageOut, OrdersQuery};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError, echo};
use crate::paging::{Paging, order_statuses};
use crate::state::WebState;
use crate::tenancy::Scope;

/// Orders per page when none is asked for.
pub(crate) const DEFAULT_PER_PAGE: u32 = 50;
/// The most orders one page holds.
pub(crate) const MAX_PER_PAGE: u32 = 200;

/// An optional marketplace filter.
pub(crate) fn marketplace(text: Option<&str>) -> Result<Option<MarketplaceId>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => MarketplaceId::parse(text)
            .map(Some)
            .map_err(|e| HttpError::invalid_id(&e)),
    }
}

/// An optional channel filter: `MFN` or `AFN`.
pub(crate) fn channel(text: Option<&str>) -> Result<Option<FulfillmentChannel>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => FulfillmentChannel::parse(text).map(Some).ok_or_else(|| {
            HttpError::invalid(
                "channel",
                format!(
                    "channel: {} is not a fulfillment channel; expected MFN or AFN",
                    echo(text)
                ),
                format!(
                    "出荷チャネル {} は正しくありません。MFN または AFN を指定してください。",
                    echo(text)
                ),
            )
        }),
    }
}

/// The sorts an order list takes, as typed.
const SORTS: &str = "-purchase_date (newest order first, the default), ship_by (earliest ship-by date first) \
                     or -ship_by (latest first)";

/// An optional sort: `-purchase_date` (the default), `ship_by` or `-ship_by`.
pub(crate) fn sort(text: Option<&str>) -> Result<OrderSort, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None | Some("-purchase_date") => Ok(OrderSort::PurchasedNewest),
        Some("ship_by") => Ok(OrderSort::ShipByEarliest),
        Some("-ship_by") => Ok(OrderSort::ShipByLatest),
        Some(text) => Err(HttpError::invalid(
            "sort",
            format!(
                "sort: {} is not a sort of orders; expected {SORTS}",
                echo(text)
            ),
            format!(
                "sort（並び順）: {} は指定できません。-purchase_date（注文日時が新しい順、既定）、ship_by（出荷期限が早い順）、-ship_by（出荷期限が遅い順）のいずれかを指定してください。",
                echo(text)
            ),
        )),
    }
}

/// The span of the Japan-time day of `now`: 出荷期限 are Amazon.co.jp's, whose day is Japan's.
fn japan_day(now: Timestamp) -> (Timestamp, Timestamp) {
    let start = crate::pages::order_format::in_japan(now)
        .start_of_day()
        .map_or(now, |day| day.timestamp());
    (start, start + SignedDuration::from_hours(24))
}

/// An optional ship-by filter at `now`: `due_today` (still to ship, due today in Japan time) or `overdue` (still to
/// ship, deadline passed).
pub(crate) fn ship_by(
    text: Option<&str>,
    now: Timestamp,
) -> Result<Option<ShipByFilter>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some("due_today") => {
            let (from, before) = japan_day(now);
            Ok(Some(ShipByFilter::DueBetween { from, before }))
        }
        Some("overdue") => Ok(Some(ShipByFilter::Overdue { now })),
        Some(text) => Err(HttpError::invalid(
            "ship_by",
            format!(
                "ship_by: {} is not a ship-by filter; expected due_today (not shipped, due today in Japan time) or overdue (not shipped, ship-by date passed)",
                echo(text)
            ),
            format!(
                "ship_by（出荷期限）: {} は指定できません。due_today（本日が出荷期限で未出荷）または overdue（出荷期限切れで未出荷）を指定してください。",
                echo(text)
            ),
        )),
    }
}

fn instant(field: &'static str, text: Option<&str>) -> Result<Option<Timestamp>, HttpError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse::<Timestamp>().map(Some).map_err(|_| {
            HttpError::invalid(
                field,
                format!("{field}: {} is not an instant; expected RFC 3339, e.g. 2026-01-31T15:00:00Z", echo(text)),
                format!("{field}: {} は日時として読めません。RFC 3339 形式（例: 2026-01-31T15:00:00Z）で指定してください。", echo(text)),
            )
        }),
    }
}

/// Narrows an order query to the caller's scope and to one connection if asked (404 for another merchant's).
pub(crate) async fn scoped(
    state: &WebState,
    scope: Scope,
    merchant: Option<MerchantId>,
    connection: Option<ConnectionId>,
    mut query: OrderQuery,
) -> Result<OrderQuery, HttpError> {
    query.merchant = scope.narrow(merchant)?;
    if let Some(id) = connection {
        let view = scope.connection(state.app(), id).await?;
        query.connection = Some(view.connection.id);
    }
    Ok(query)
}

/// Orders the caller may see, newest purchase first or by ship-by date (`sort`), filtered and paged.
#[utoipa::path(
    get, path = "/api/v1/orders", operation_id = "list_orders", tag = "orders",
    params(OrdersQuery),
    responses(
        (status = 200, description = "A page of orders", body = OrderPageOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "Another merchant's merchant or connection was asked for", body = ErrorEnvelope),
        (status = 422, description = "A filter does not parse", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrdersQuery>,
) -> Result<Json<OrderPageOut>, HttpError> {
    let paging = Paging::parse(
        q.page.as_deref(),
        q.per_page.as_deref(),
        DEFAULT_PER_PAGE,
        MAX_PER_PAGE,
    )?;
    let connection = q.connection_id.map(ConnectionId::from_uuid);
    let base = OrderQuery {
        statuses: order_statuses(q.status.as_deref())?,
        marketplace: marketplace(q.marketplace_id.as_deref())?,
        channel: channel(q.channel.as_deref())?,
        purchased_after: instant("purchased_after", q.purchased_after.as_deref())?,
        purchased_before: instant("purchased_before", q.purchased_before.as_deref())?,
        ship_by: ship_by(q.ship_by.as_deref(), state.now())?,
        sort: sort(q.sort.as_deref())?,
        limit: paging.per_page,
        offset: paging.offset(),
        ..OrderQuery::default()
    };
    let query = scoped(
        &state,
        caller.scope,
        q.merchant_id.map(MerchantId::from_uuid),
        connection,
        base,
    )
    .await?;
    let store = state.store();
    let orders = store.order_list(&query).await?;
    let total = state.count_orders(&query).await?;
    Ok(Json(OrderPageOut {
        orders: orders.iter().map(OrderOut::from).collect(),
        page: paging.page,
        per_page: paging.per_page,
        total,
    }))
}

/// One order with its items (404 for another merchant's).
#[utoipa::path(
    get, path = "/api/v1/connections/{connection_id}/orders/{amazon_order_id}", operation_id = "get_order", tag = "orders",
    params(
        ("connection_id" = uuid::Uuid, Path, description = "The connection it was imported through"),
        ("amazon_order_id" = String, Path, description = "Amazon's order number as Amazon sent it, e.g. 503-1234567-1234567 or S01-1234567-1234567 (percent-encoded)"),
    ),
    responses(
        (status = 200, description = "The order", body = OrderDetailOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such order (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn get(
    State(state): State<WebState>,
    caller: Caller,
    Path((connection, order)): Path<(String, String)>,
) -> Result<Json<OrderDetailOut>, HttpError> {
    let stored = find(&state, caller.scope, &connection, &order).await?;
    Ok(Json(OrderDetailOut::from(&stored)))
}

/// An order of a connection in scope, or 404.
pub(crate) async fn find(
    state: &WebState,
    scope: Scope,
    connection: &str,
    order: &str,
) -> Result<sellerlink_domain::order::StoredOrder, HttpError> {
    let missing = || HttpError::not_found("order", "注文");
    let view = scope
        .connection(state.app(), connection_id(connection)?)
        .await?;
    // Any id Amazon may have sent reaches its order; text that could be no order id is simply not found.
    let order = OrderIdLookup::parse(order).map_err(|_| missing())?;
    state
        .store()
        .order(view.connection.id, order.id())
        .await?
        .ok_or_else(missing)
}
