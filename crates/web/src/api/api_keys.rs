//! `/api/v1/api-keys`: a merchant's keys, for a signed-in session only (a key cannot list, create or revoke keys;
//! see [`super::access`]). The key itself is returned once, at creation.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sellerlink_store::{ApiKeyId, ApiKeyName};

use super::extract::ApiJson;
use super::models::{ApiKeyOut, CreateApiKeyIn, CreatedApiKeyOut};
use crate::auth::api_key;
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError};
use crate::state::WebState;

const WHAT_EN: &str = "manage API keys (they belong to a merchant)";
const WHAT_JA: &str = "APIキーを管理（APIキーは荷主ごとです）";

/// The merchant's keys, newest first (revoked ones too).
#[utoipa::path(
    get, path = "/api/v1/api-keys", operation_id = "list_api_keys", tag = "api-keys",
    responses(
        (status = 200, description = "The keys (never the keys themselves)", body = [ApiKeyOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "Operators have no keys; API keys cannot manage keys (`session_required`)", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
) -> Result<Json<Vec<ApiKeyOut>>, HttpError> {
    let merchant = caller.require_merchant(WHAT_EN, WHAT_JA)?;
    let keys = state.store().api_keys(merchant).await?;
    Ok(Json(keys.iter().map(ApiKeyOut::from).collect()))
}

/// Creates a key; the answer holds the key, shown this once.
#[utoipa::path(
    post, path = "/api/v1/api-keys", operation_id = "create_api_key", tag = "api-keys",
    request_body = CreateApiKeyIn,
    responses(
        (status = 201, description = "Created; store `key` now, it is not shown again", body = CreatedApiKeyOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "Operators have no keys, no CSRF token, or an API key (`session_required`)", body = ErrorEnvelope),
        (status = 422, description = "The name does not fit, or no or an unknown scope", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn create(
    State(state): State<WebState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateApiKeyIn>,
) -> Result<(StatusCode, Json<CreatedApiKeyOut>), HttpError> {
    let merchant = caller.require_merchant(WHAT_EN, WHAT_JA)?;
    let name = ApiKeyName::parse(&body.name).map_err(|e| {
        HttpError::invalid(
            "name",
            e.to_string(),
            "キーの名前は1〜100文字で、制御文字を含めないでください。",
        )
    })?;
    let scopes = api_key::parse_scopes(body.scopes.iter().map(String::as_str))?;
    let created = api_key::create(&state, merchant, name, scopes, state.now()).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiKeyOut {
            key: created.key,
            api_key: ApiKeyOut::from(&created.record),
        }),
    ))
}

/// Revokes a key at once; requests with it are refused from now on.
#[utoipa::path(
    delete, path = "/api/v1/api-keys/{api_key_id}", operation_id = "revoke_api_key", tag = "api-keys",
    params(("api_key_id" = uuid::Uuid, Path, description = "The key")),
    responses(
        (status = 200, description = "Revoked", body = ApiKeyOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "Operators have no keys, no CSRF token, or an API key (`session_required`)", body = ErrorEnvelope),
        (status = 404, description = "No such key (or not yours)", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn revoke(
    State(state): State<WebState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ApiKeyOut>, HttpError> {
    let merchant = caller.require_merchant(WHAT_EN, WHAT_JA)?;
    let missing = || HttpError::not_found("API key", "APIキー");
    let id = ApiKeyId::parse(&id).map_err(|_| missing())?;
    let revoked = state
        .store()
        .revoke_api_key(merchant, id, state.now())
        .await
        .map_err(|error| match error {
            sellerlink_store::StoreError::NotFound { .. } => missing(),
            other => other.into(),
        })?;
    Ok(Json(ApiKeyOut::from(&revoked)))
}
