//! `/api/v1/notification-channels`: where reminders and access alerts go — list, add (a webhook's secret is
//! generated here and returned once), disable, enable, and send a test message.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use secrecy::ExposeSecret as _;
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{ChannelKind, ChannelOwner};

use super::extract::{ApiJson, ApiQuery};
use super::models::{
    ChannelKindName, ChannelOut, ChannelsQuery, CreateChannelIn, CreatedChannelOut, DeliveryOut,
};
use super::notifications_shared::{
    LogEntry, add_channel, channel_in_scope, channels_in_scope, language, send_test, set_disabled,
};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::state::WebState;

/// The channels the caller may see: a merchant's own; an operator's own and every merchant's (or one merchant's
/// with `merchant_id`), oldest first.
#[utoipa::path(
    get, path = "/api/v1/notification-channels", operation_id = "list_notification_channels", tag = "notifications",
    params(ChannelsQuery),
    responses(
        (status = 200, description = "The channels (never a webhook secret)", body = [ChannelOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "Another merchant was asked for", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ChannelsQuery>,
) -> Result<Json<Vec<ChannelOut>>, HttpError> {
    let merchant = query.merchant_id.map(MerchantId::from_uuid);
    let channels = channels_in_scope(&state, caller.scope, merchant).await?;
    Ok(Json(channels.iter().map(ChannelOut::from).collect()))
}

/// Adds an e-mail address or a webhook URL. For a webhook the answer holds its signing secret, shown this once.
#[utoipa::path(
    post, path = "/api/v1/notification-channels", operation_id = "create_notification_channel", tag = "notifications",
    request_body = CreateChannelIn,
    responses(
        (status = 201, description = "Added; store `webhook_secret` now, it is not shown again", body = CreatedChannelOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "No CSRF token, or an API key (`session_required`: only a signed-in session adds channels)", body = ErrorEnvelope),
        (status = 404, description = "No such merchant (or not yours)", body = ErrorEnvelope),
        (status = 422, description = "The address or language does not parse (`field` says which)", body = ErrorEnvelope),
        (status = 503, description = "The app was started without its notification senders", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn create(
    State(state): State<WebState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateChannelIn>,
) -> Result<(StatusCode, Json<CreatedChannelOut>), HttpError> {
    // A merchant's own channel; an operator's for the merchant named, else the operator's own.
    let owner = match caller
        .scope
        .narrow(body.merchant_id.map(MerchantId::from_uuid))?
    {
        Some(merchant) => ChannelOwner::Merchant(merchant),
        None => ChannelOwner::Operator,
    };
    if let ChannelOwner::Merchant(merchant) = owner {
        caller.scope.merchant_record(state.app(), merchant).await?;
    }
    let language = language("language", body.language.as_deref())?;
    let kind = match body.kind {
        ChannelKindName::Email => ChannelKind::Email,
        ChannelKindName::Webhook => ChannelKind::Webhook,
    };
    let (channel, secret) =
        add_channel(&state, owner, kind, &body.address, language, "address").await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedChannelOut {
            channel: ChannelOut::from(&channel),
            webhook_secret: secret.map(|s| s.expose_secret().to_owned()),
        }),
    ))
}

/// Stops sending to a channel: it gets no new notifications, and what was waiting for it is skipped.
#[utoipa::path(
    post, path = "/api/v1/notification-channels/{channel_id}/disable", operation_id = "disable_notification_channel", tag = "notifications",
    params(("channel_id" = uuid::Uuid, Path, description = "The channel")),
    responses(
        (status = 200, description = "The channel, disabled", body = ChannelOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such channel (or not yours)", body = ErrorEnvelope),
        (status = 503, description = "The app was started without its notification senders", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn disable(
    state: State<WebState>,
    caller: Caller,
    id: Path<String>,
) -> Result<Json<ChannelOut>, HttpError> {
    switch(state, caller, id, true).await
}

/// Resumes sending to a disabled channel.
#[utoipa::path(
    post, path = "/api/v1/notification-channels/{channel_id}/enable", operation_id = "enable_notification_channel", tag = "notifications",
    params(("channel_id" = uuid::Uuid, Path, description = "The channel")),
    responses(
        (status = 200, description = "The channel, enabled", body = ChannelOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such channel (or not yours)", body = ErrorEnvelope),
        (status = 503, description = "The app was started without its notification senders", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn enable(
    state: State<WebState>,
    caller: Caller,
    id: Path<String>,
) -> Result<Json<ChannelOut>, HttpError> {
    switch(state, caller, id, false).await
}

async fn switch(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
    disabled: bool,
) -> Result<Json<ChannelOut>, HttpError> {
    let channel = channel_in_scope(&state, caller.scope, &id).await?;
    set_disabled(&state, &channel, disabled).await?;
    let after = channel_in_scope(&state, caller.scope, &id).await?;
    Ok(Json(ChannelOut::from(&after)))
}

/// Sends a test message to the channel now (disabled channels too) and answers with its log entry: `delivered`,
/// or `failed` with the reason in `last_error`. A test is tried once, never retried.
#[utoipa::path(
    post, path = "/api/v1/notification-channels/{channel_id}/test", operation_id = "test_notification_channel", tag = "notifications",
    params(("channel_id" = uuid::Uuid, Path, description = "The channel")),
    responses(
        (status = 200, description = "What became of the test message", body = DeliveryOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such channel (or not yours)", body = ErrorEnvelope),
        (status = 409, description = "The merchant has no connection for the message to show yet", body = ErrorEnvelope),
        (status = 503, description = "The app was started without its notification senders", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn test(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<DeliveryOut>, HttpError> {
    let channel = channel_in_scope(&state, caller.scope, &id).await?;
    let record = send_test(&state, &channel).await?;
    let merchant_name = match record.merchant_id {
        Some(merchant) => Some(
            caller
                .scope
                .merchant_record(state.app(), merchant)
                .await?
                .name
                .to_string(),
        ),
        None => None,
    };
    let entry = LogEntry {
        merchant_name,
        seller_id: None,
        to_operator: channel.owner == ChannelOwner::Operator,
        hidden: false,
        record,
    };
    Ok(Json(DeliveryOut::from(&entry)))
}
