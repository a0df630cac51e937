//! The API keys page of a merchant's user: create (the key is shown once, on a page that is never cached), list,
//! revoke.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{ApiKeyId, ApiKeyName, ApiKeyScope};

use super::format::jst;
use super::{Chrome, Notice, NoticeQuery, error_page, render, see_other};
use crate::auth::api_key;
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::state::WebState;

/// A key in the table.
pub(crate) struct KeyRow {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created: String,
    pub last_used: String,
    pub state: &'static str,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "api_keys.html")]
struct KeysPage {
    chrome: Chrome,
    new_key: Option<String>,
    name_error: Option<String>,
    keys: Vec<KeyRow>,
    /// Every scope's code, for the create form's checkboxes.
    all_scopes: Vec<&'static str>,
}

fn merchant_of(user: &PageUser) -> Result<MerchantId, HttpError> {
    user.scope().merchant().ok_or_else(|| {
        HttpError::forbidden(
            "manage API keys (they belong to a merchant)",
            "APIキーを管理（APIキーは荷主ごとです）",
        )
    })
}

async fn page(
    state: &WebState,
    user: &PageUser,
    merchant: MerchantId,
    notice: Option<Notice>,
    new_key: Option<String>,
    name_error: Option<String>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, notice);
    let t = chrome.t;
    let keys = state
        .store()
        .api_keys(merchant)
        .await?
        .iter()
        .map(|k| KeyRow {
            id: k.id.to_string(),
            name: k.name.to_string(),
            prefix: k.prefix.clone(),
            scopes: k.scopes.codes().collect::<Vec<_>>().join(", "),
            created: jst(k.created_at),
            last_used: k.last_used.map_or_else(|| t.never.to_owned(), jst),
            state: if k.revoked_at.is_some() {
                t.key_revoked
            } else {
                t.key_active
            },
            active: k.revoked_at.is_none(),
        })
        .collect();
    Ok(render(
        status,
        &KeysPage {
            chrome,
            new_key,
            name_error,
            keys,
            all_scopes: ApiKeyScope::ALL.iter().map(|s| s.code()).collect(),
        },
    ))
}

/// `/api-keys`.
pub(crate) async fn list(
    State(state): State<WebState>,
    user: PageUser,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let result = async {
        let merchant = merchant_of(&user)?;
        let notice = query.notice(crate::i18n::texts(user.visitor.language));
        page(&state, &user, merchant, notice, None, None, StatusCode::OK).await
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// Creates a key with the scopes ticked (the form repeats the `scopes` field) and shows it once.
pub(crate) async fn create(
    State(state): State<WebState>,
    user: PageUser,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let values = |wanted: &'static str| {
        fields
            .iter()
            .filter(move |(name, _)| name == wanted)
            .map(|(_, value)| value.as_str())
    };
    let name = values("name").next().unwrap_or_default();
    let result = async {
        let merchant = merchant_of(&user)?;
        let scopes = api_key::parse_scopes(values("scopes"))?;
        match ApiKeyName::parse(name) {
            Ok(name) => {
                let created = api_key::create(&state, merchant, name, scopes, state.now()).await?;
                page(
                    &state,
                    &user,
                    merchant,
                    None,
                    Some(created.key),
                    None,
                    StatusCode::CREATED,
                )
                .await
            }
            Err(error) => {
                let message = match user.visitor.language {
                    sellerlink_domain::connection::Language::Ja => {
                        "キーの名前は1〜100文字で、制御文字を含めないでください。".to_owned()
                    }
                    sellerlink_domain::connection::Language::En => error.to_string(),
                };
                page(
                    &state,
                    &user,
                    merchant,
                    None,
                    None,
                    Some(message),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        }
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// Revokes a key (404 for another merchant's).
pub(crate) async fn revoke(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let merchant = merchant_of(&user)?;
        let missing = || HttpError::not_found("API key", "APIキー");
        let id = ApiKeyId::parse(&id).map_err(|_| missing())?;
        state
            .store()
            .revoke_api_key(merchant, id, state.now())
            .await
            .map_err(|error| match error {
                sellerlink_store::StoreError::NotFound { .. } => missing(),
                other => other.into(),
            })?;
        Ok::<_, HttpError>(see_other("/api-keys?notice=key_revoked"))
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}
