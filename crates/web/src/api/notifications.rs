//! `/api/v1/notifications`: the notification log — what was sent to whom, when, and whether it arrived.

use axum::Json;
use axum::extract::State;
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use sellerlink_store::ChannelId;

use super::extract::ApiQuery;
use super::models::{DeliveryOut, DeliveryPageOut, NotificationsQuery};
use super::notifications_shared::{
    DEFAULT_PER_PAGE, LogFilter, MAX_PER_PAGE, delivery_kind, delivery_state, log_page,
};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::paging::Paging;
use crate::state::WebState;

/// The log's filters from the query string.
pub(crate) fn filter_of(query: &NotificationsQuery) -> Result<LogFilter, HttpError> {
    let Paging { page, per_page } = Paging::parse(
        query.page.as_deref(),
        query.per_page.as_deref(),
        DEFAULT_PER_PAGE,
        MAX_PER_PAGE,
    )?;
    Ok(LogFilter {
        merchant: query.merchant_id.map(MerchantId::from_uuid),
        connection: query.connection_id.map(ConnectionId::from_uuid),
        channel: query.channel_id.map(ChannelId::from_uuid),
        kind: delivery_kind(query.kind.as_deref())?,
        state: delivery_state(query.status.as_deref())?,
        page,
        per_page,
    })
}

/// Reminders, access lost alerts and test messages, newest first: to which channel, when, delivered or failed (with
/// the error) and after how many attempts. A merchant sees those about itself; what went to the operator's
/// channels is listed without the operator's address.
#[utoipa::path(
    get, path = "/api/v1/notifications", operation_id = "list_notifications", tag = "notifications",
    params(NotificationsQuery),
    responses(
        (status = 200, description = "A page of the log", body = DeliveryPageOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "Another merchant, or another merchant's connection or channel, was asked for", body = ErrorEnvelope),
        (status = 422, description = "A filter does not parse (`field` says which)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<NotificationsQuery>,
) -> Result<Json<DeliveryPageOut>, HttpError> {
    let filter = filter_of(&query)?;
    let page = log_page(&state, caller.scope, &filter).await?;
    Ok(Json(DeliveryPageOut {
        deliveries: page.entries.iter().map(DeliveryOut::from).collect(),
        page: page.page,
        per_page: page.per_page,
        has_more: page.has_more,
    }))
}
