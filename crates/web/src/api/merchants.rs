//! `/api/v1/merchants`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use sellerlink_app::AppError;
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::{Language, Merchant, MerchantName};
use sellerlink_domain::ids::MerchantId;

use super::extract::ApiJson;
use super::models::{CreateMerchantIn, MerchantOut};
use crate::auth::caller::Caller;
use crate::error::{ErrorEnvelope, HttpError, echo};
use crate::state::WebState;
use crate::tenancy::{Scope, merchant_not_found};

/// Merchants the caller may see: every merchant for operators, its own for a merchant.
#[utoipa::path(
    get, path = "/api/v1/merchants", operation_id = "list_merchants", tag = "merchants",
    responses(
        (status = 200, description = "The merchants", body = [MerchantOut]),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn list(
    State(state): State<WebState>,
    caller: Caller,
) -> Result<Json<Vec<MerchantOut>>, HttpError> {
    let merchants = match caller.scope {
        Scope::All => state.app().merchants().await?,
        Scope::Merchant(own) => vec![caller.scope.merchant_record(state.app(), own).await?],
    };
    Ok(Json(merchants.iter().map(MerchantOut::from).collect()))
}

/// One merchant (404 for another merchant's id).
#[utoipa::path(
    get, path = "/api/v1/merchants/{merchant_id}", operation_id = "get_merchant", tag = "merchants",
    params(("merchant_id" = uuid::Uuid, Path, description = "The merchant")),
    responses(
        (status = 200, description = "The merchant", body = MerchantOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 404, description = "No such merchant (or not yours)", body = ErrorEnvelope),
    ),
    security(("api_key" = []), ("session" = []))
)]
pub(crate) async fn get(
    State(state): State<WebState>,
    caller: Caller,
    Path(merchant_id): Path<String>,
) -> Result<Json<MerchantOut>, HttpError> {
    let id = MerchantId::parse(&merchant_id).map_err(|_| merchant_not_found())?;
    let merchant = caller.scope.merchant_record(state.app(), id).await?;
    Ok(Json(MerchantOut::from(&merchant)))
}

/// Registers a merchant (operators only).
#[utoipa::path(
    post, path = "/api/v1/merchants", operation_id = "create_merchant", tag = "merchants",
    request_body = CreateMerchantIn,
    responses(
        (status = 201, description = "Registered", body = MerchantOut),
        (status = 401, description = "No credentials", body = ErrorEnvelope),
        (status = 403, description = "Not an operator, or no CSRF token", body = ErrorEnvelope),
        (status = 409, description = "The name is taken", body = ErrorEnvelope),
        (status = 422, description = "A field does not fit", body = ErrorEnvelope),
    ),
    security(("session" = []))
)]
pub(crate) async fn create(
    State(state): State<WebState>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateMerchantIn>,
) -> Result<(StatusCode, Json<MerchantOut>), HttpError> {
    caller.require_operator("register merchants", "荷主を登録")?;
    let name = merchant_name(&body.name)?;
    let language = match body.language.as_deref() {
        None => Language::Ja,
        Some(text) => Language::parse(text).ok_or_else(|| {
            HttpError::invalid(
                "language",
                format!(
                    "language: {} is not supported; expected ja or en",
                    echo(text)
                ),
                format!(
                    "言語 {} には対応していません。ja または en を指定してください。",
                    echo(text)
                ),
            )
        })?,
    };
    let merchant = register(&state, name, language, &caller.actor).await?;
    Ok((StatusCode::CREATED, Json(MerchantOut::from(&merchant))))
}

/// A merchant name as typed, or a 422 naming `name`.
pub(crate) fn merchant_name(text: &str) -> Result<MerchantName, HttpError> {
    MerchantName::parse(text).map_err(|e| HttpError::invalid("name", e.to_string(), e.message_ja()))
}

/// Registers a merchant, for the API and the operator's form alike; a taken name is 409 `merchant_exists`.
pub(crate) async fn register(
    state: &WebState,
    name: MerchantName,
    language: Language,
    actor: &Actor,
) -> Result<Merchant, HttpError> {
    state
        .app()
        .add_merchant(name.clone(), language, actor)
        .await
        .map_err(|error| match error {
            AppError::AlreadyConnected { .. } => HttpError::new(
                StatusCode::CONFLICT,
                "merchant_exists",
                format!("A merchant named {name} already exists; choose another name."),
                format!("荷主「{name}」はすでに登録されています。別の名前にしてください。"),
            )
            .with_field("name"),
            other => other.into(),
        })
}
