//! `/api/v1/connections`: list, the verified onboarding, lifecycle actions, verification and removal.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sellerlink_app::VerifyOutcome;
use sellerlink_app::{ConnectionView, LifecycleCommand};
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::extract::{ApiJson, ApiQuery};
use super::models::{
    ActionIn, ActionName, ConnectionOut, ConnectionsQuery, CreateConnectionIn, VerifyOut,
};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::onboarding::{self, TypedGrant};
use crate::state::WebState;

/// A connection id from a path; one that does not parse names nothing, so it is a 404 like any unknown id.
pub(crate) fn connection_id(text: &str) -> Result<ConnectionId, HttpError> {
    ConnectionId::parse(text).map_err(|_| HttpError::not_found("connection", "接続"))
}

/// A connection as JSON, with its newest sync run.
pub(crate) async fn connection_out(
    state: &WebState,
    view: &ConnectionView,
) -> Result<ConnectionOut, HttpError> {
    let last = state.store().last_sync_run(view.connection.id).await?;
    Ok(ConnectionOut::new(view, last.as_ref()))
}

/// Connections the caller may see, most urgent first.
#[utoipa::path(
    get, path = "/api/v1/connections", operation_id = "list_connections", tag = "connections",
    params(ConnectionsQuery),
    responses(
        (status = 200, description = "The connections, most urgent first", body = [ConnectionOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "Another merchant was asked for", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ConnectionsQuery>,
) -> Result<Json<Vec<ConnectionOut>>, HttpError> {
    let merchant = caller
        .scope
        .narrow(query.merchant_id.map(MerchantId::from_uuid))?;
    let mut out = Vec::new();
    for view in state.app().connections(merchant).await? {
        out.push(connection_out(&state, &view).await?);
    }
    Ok(Json(out))
}

/// One connection (404 for another merchant's).
#[utoipa::path(
    get, path = "/api/v1/connections/{connection_id}", operation_id = "get_connection", tag = "connections",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection")),
    responses(
        (status = 200, description = "The connection", body = ConnectionOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn get(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ConnectionOut>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    Ok(Json(connection_out(&state, &view).await?))
}

/// Connects a seller account from the three values of Seller Central's completion page. The grant is verified
/// against Amazon first; nothing is stored when Amazon refuses it. When the merchant's MWS connection to the same
/// seller was revoked, expired or refused by Amazon, the new grant replaces its MWS Auth Token instead (200).
#[utoipa::path(
    post, path = "/api/v1/connections", operation_id = "create_connection", tag = "connections",
    request_body = CreateConnectionIn,
    responses(
        (status = 200, description = "The existing connection's MWS Auth Token was replaced and verified", body = ConnectionOut),
        (status = 201, description = "Connected and verified", body = ConnectionOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "No CSRF token (browser sessions)", body = ErrorEnvelope),
        (status = 404, description = "No such merchant (or not yours)", body = ErrorEnvelope),
        (status = 409, description = "This seller account is already connected", body = ErrorEnvelope),
        (status = 422, description = "A value does not parse, or Amazon refused the grant", body = ErrorEnvelope),
        (status = 503, description = "Amazon did not answer", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn create(
    State(state): State<WebState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateConnectionIn>,
) -> Result<(StatusCode, Json<ConnectionOut>), HttpError> {
    let merchant = caller
        .scope
        .narrow(body.merchant_id.map(MerchantId::from_uuid))?
        .ok_or_else(|| {
            HttpError::invalid(
                "merchant_id",
                "merchant_id: is required for operators; give the merchant the connection belongs to",
                "運用担当者は merchant_id（接続先の荷主）を指定してください。",
            )
        })?;
    caller.scope.merchant_record(state.app(), merchant).await?;
    let typed = TypedGrant {
        seller_id: body.seller_id,
        marketplace_id: body.marketplace_id,
        mws_auth_token: body.mws_auth_token,
        ..TypedGrant::default()
    };
    let grant = onboarding::parse(&typed, state.app().now()).map_err(|problems| {
        let first = &problems[0];
        HttpError::invalid(first.field, first.message.clone(), first.message_ja.clone())
    })?;
    let connected = onboarding::connect(&state, merchant, grant, &caller.actor).await?;
    let status = match connected {
        onboarding::Connected::Added(_) => StatusCode::CREATED,
        onboarding::Connected::TokenReplaced(_) => StatusCode::OK,
    };
    Ok((
        status,
        Json(connection_out(&state, connected.view()).await?),
    ))
}

/// Records a lifecycle action the merchant took in Seller Central today (renew, restore, enable expiry, revoke).
#[utoipa::path(
    post, path = "/api/v1/connections/{connection_id}/actions", operation_id = "record_lifecycle_action", tag = "connections",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection")),
    request_body = ActionIn,
    responses(
        (status = 200, description = "The connection afterwards", body = ConnectionOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
        (status = 409, description = "The access rules refuse the action (the message says which one applies)", body = ErrorEnvelope),
        (status = 422, description = "Unknown action", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn act(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActionIn>,
) -> Result<Json<ConnectionOut>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    let command = match body.action {
        ActionName::Renew => LifecycleCommand::Renew { on: None },
        ActionName::Restore => LifecycleCommand::Restore { on: None },
        ActionName::EnableExpiry => LifecycleCommand::EnableExpiry,
        ActionName::Revoke => LifecycleCommand::Revoke,
    };
    let after = state
        .app()
        .apply(view.connection.id, command, &caller.actor)
        .await?;
    Ok(Json(connection_out(&state, &after).await?))
}

/// Asks Amazon now whether the connection's credential works, and records the answer.
#[utoipa::path(
    post, path = "/api/v1/connections/{connection_id}/verify", operation_id = "verify_connection", tag = "connections",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection")),
    responses(
        (status = 200, description = "What Amazon answered", body = VerifyOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
        (status = 503, description = "Amazon is not configured or did not answer", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn verify(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<VerifyOut>, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    let (outcome, message) = verify_now(&state, view.connection.id).await?;
    let after = state.app().connection(view.connection.id).await?;
    Ok(Json(VerifyOut {
        outcome: outcome.to_owned(),
        message,
        connection: connection_out(&state, &after).await?,
    }))
}

/// Verifies a connection against Amazon: `("verified", None)` or `("access_denied", Some(Amazon's answer))`.
pub(crate) async fn verify_now(
    state: &WebState,
    id: ConnectionId,
) -> Result<(&'static str, Option<String>), HttpError> {
    match state.app().verify_connection(id).await {
        Ok(VerifyOutcome::Verified(_)) => Ok(("verified", None)),
        Ok(VerifyOutcome::AccessDenied { message, .. }) => Ok(("access_denied", Some(message))),
        Err(
            error @ (sellerlink_app::AppError::NotConfigured { .. }
            | sellerlink_app::AppError::ConnectionNotFound(_)),
        ) => Err(error.into()),
        Err(error) => {
            tracing::warn!(connection.id = %id, %error, "verification could not ask Amazon");
            Err(HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "amazon_unavailable",
                "Amazon could not be asked right now; try again in a few minutes.",
                "現在 Amazon に問い合わせできません。数分後にもう一度お試しください。",
            ))
        }
    }
}

/// Deletes a connection, its sealed credential and its imported orders.
#[utoipa::path(
    delete, path = "/api/v1/connections/{connection_id}", operation_id = "delete_connection", tag = "connections",
    params(("connection_id" = uuid::Uuid, Path, description = "The connection")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such connection (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn remove(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, HttpError> {
    let view = caller
        .scope
        .connection(state.app(), connection_id(&id)?)
        .await?;
    state
        .app()
        .remove_connection(view.connection.id, &caller.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
