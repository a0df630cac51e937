//! Errors: [`WebError`] for starting the web app, and [`HttpError`], the one place where a failure becomes an
//! HTTP status, a machine code and a message in English and Japanese (for the API's JSON envelope and the pages).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sellerlink_app::{AppError, VerificationFailure};
use sellerlink_domain::ids::{IdError, IdField};
use serde::Serialize;
use utoipa::ToSchema;

/// Why the web app could not start.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The listening address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: std::net::SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// A password could not be hashed (or a user's input is not usable).
    #[error("{0}")]
    Account(String),
    /// A use case failed.
    #[error(transparent)]
    App(#[from] AppError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] sellerlink_store::StoreError),
}

/// A failed request, classified once: status, stable code, messages in both languages and the offending field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub message_ja: String,
    pub field: Option<&'static str>,
}

/// The JSON error envelope every API error uses: `{"error": {"code", "message", "message_ja", "field"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorEnvelope {
    /// The error.
    pub error: ErrorBody,
}

/// The body of the error envelope.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `invalid_input`, `not_found`, `unauthenticated`.
    #[schema(example = "invalid_input")]
    pub code: String,
    /// What went wrong and what to do next, in English.
    pub message: String,
    /// The same in Japanese.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_ja: Option<String>,
    /// The request field at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "seller_id")]
    pub field: Option<String>,
}

impl HttpError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        message_ja: impl Into<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            message_ja: message_ja.into(),
            field: None,
        }
    }

    pub(crate) fn with_field(mut self, field: &'static str) -> Self {
        self.field = Some(field);
        self
    }

    /// No (valid) credentials were sent.
    pub(crate) fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Sign in, or send an API key as `Authorization: Bearer sl_…`.",
            "サインインするか、APIキーを `Authorization: Bearer sl_…` で送信してください。",
        )
    }

    /// An API key that is unknown or revoked.
    pub(crate) fn invalid_api_key() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_api_key",
            "The API key is unknown or revoked. Create a new key on the API keys page.",
            "APIキーが無効か、取り消されています。「APIキー」ページで新しいキーを作成してください。",
        )
    }

    /// An API key without the scope a route needs.
    pub(crate) fn missing_scope(scope: sellerlink_store::ApiKeyScope) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "missing_scope",
            format!(
                "This API key lacks the scope `{scope}` this request needs. Create a key with it on the API keys page."
            ),
            format!(
                "このAPIキーには、この操作に必要なスコープ `{scope}` がありません。「APIキー」ページでこのスコープを持つキーを作成してください。"
            ),
        )
        .with_field("scopes")
    }

    /// A request only a signed-in session may make (creating API keys and notification channels).
    pub(crate) fn session_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "session_required",
            "API keys cannot do this (e.g. create API keys or notification channels): sign in to sellerlink instead.",
            "APIキーではこの操作（APIキーや通知先の作成など）はできません。sellerlink にサインインして行ってください。",
        )
    }

    /// The caller's role may not do this.
    pub(crate) fn forbidden(what_en: &str, what_ja: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            format!("Your account may not {what_en}."),
            format!("このアカウントでは{what_ja}できません。"),
        )
    }

    /// A form or state-changing request without the session's CSRF token.
    pub(crate) fn csrf() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "The form has expired or did not come from sellerlink. Reload the page and try again.",
            "フォームの有効期限が切れたか、sellerlink 以外から送信されました。ページを再読み込みしてもう一度お試しください。",
        )
    }

    /// Nothing to show (also for what exists but belongs to another merchant).
    pub(crate) fn not_found(what_en: &str, what_ja: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("No such {what_en}."),
            format!("該当する{what_ja}はありません。"),
        )
    }

    /// A request field that does not fit.
    pub(crate) fn invalid(
        field: &'static str,
        message: impl Into<String>,
        message_ja: impl Into<String>,
    ) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_input",
            message,
            message_ja,
        )
        .with_field(field)
    }

    /// An identifier that does not parse, reported under the request field that held it.
    pub(crate) fn invalid_id(error: &IdError) -> Self {
        Self::invalid(field_of(error.field), error.to_string(), error.message_ja())
    }

    /// A body that is not the JSON the endpoint expects (the parser's detail is shortened: it can quote the body).
    pub(crate) fn bad_json(detail: &str) -> Self {
        let detail = shorten(detail, DETAIL_CHARS);
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_json",
            format!("The request body is not the JSON this endpoint expects: {detail}"),
            format!("リクエスト本文のJSONが正しくありません: {detail}"),
        )
    }

    /// A request body over the size limit.
    pub(crate) fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "The request body is too large. Send less at once.",
            "リクエストの内容が大きすぎます。一度に送る量を減らしてください。",
        )
    }

    /// Amazon is not configured, so the action cannot run.
    pub(crate) fn amazon_not_configured() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "amazon_not_configured",
            "sellerlink is not configured to reach Amazon; ask the operator to set the MWS endpoint and keys.",
            "sellerlink に Amazon への接続設定がありません。運用担当者に MWS のエンドポイントとキーの設定を依頼してください。",
        )
    }

    /// A bug or an outage; the details go to the log, not to the caller.
    pub(crate) fn internal(detail: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Something went wrong on our side. Try again; if it persists, tell the operator.",
            "システム側で問題が発生しました。もう一度お試しください。解決しない場合は運用担当者にご連絡ください。",
        )
    }

    /// The envelope of this error.
    pub(crate) fn envelope(&self) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody {
                code: self.code.to_owned(),
                message: self.message.clone(),
                message_ja: Some(self.message_ja.clone()),
                field: self.field.map(str::to_owned),
            },
        }
    }

    /// The message in one language.
    pub(crate) fn message_in(&self, language: sellerlink_domain::connection::Language) -> &str {
        match language {
            sellerlink_domain::connection::Language::Ja => &self.message_ja,
            sellerlink_domain::connection::Language::En => &self.message,
        }
    }
}

/// How much of a typed value an error message shows.
pub(crate) const ECHO_CHARS: usize = 64;
/// How much of a parser's explanation an error message shows.
pub(crate) const DETAIL_CHARS: usize = 160;

/// The first `max` characters of `text`, with `…` when there was more.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A typed value as error messages show it: quoted, at most [`ECHO_CHARS`] characters of it.
pub(crate) fn echo(value: &str) -> String {
    match value.char_indices().nth(ECHO_CHARS) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

/// The request field (JSON and form name) that carries an identifier.
pub(crate) fn field_of(field: IdField) -> &'static str {
    field.key()
}

impl From<AppError> for HttpError {
    fn from(error: AppError) -> Self {
        let status = match &error {
            AppError::InvalidId(id) => return Self::invalid_id(id),
            AppError::InvalidInput { field, .. } => {
                return Self::invalid(field, error.to_string(), error.message_ja());
            }
            AppError::ShipmentRefused { field, .. } | AppError::StockRefused { field, .. } => {
                return Self::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    error.code(),
                    error.to_string(),
                    error.message_ja(),
                )
                .with_field(field);
            }
            AppError::MerchantNotFound(_)
            | AppError::MerchantNameNotFound(_)
            | AppError::ConnectionNotFound(_) => StatusCode::NOT_FOUND,
            AppError::Lifecycle(refusal) => match refusal.field() {
                Some(field) => {
                    return Self::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        error.code(),
                        error.to_string(),
                        error.message_ja(),
                    )
                    .with_field(field.name());
                }
                None => StatusCode::CONFLICT,
            },
            AppError::AlreadyConnected { .. } | AppError::Conflict => StatusCode::CONFLICT,
            AppError::Verification(failure) => {
                let status = match failure {
                    VerificationFailure::OperatorCredentials { .. } => StatusCode::BAD_GATEWAY,
                    VerificationFailure::Unreachable { .. } => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                let field = failure.field().map(IdField::key);
                let mapped = Self::new(status, error.code(), error.to_string(), error.message_ja());
                return match field {
                    Some(field) => mapped.with_field(field),
                    None => mapped,
                };
            }
            AppError::NotConfigured { .. } => return Self::amazon_not_configured(),
            // Channel use cases map their own failures (`api::notifications_shared`); anything else is a bug.
            AppError::Sync(_)
            | AppError::Secrets(_)
            | AppError::Store(_)
            | AppError::Notifications(_) => {
                return Self::internal(&error);
            }
        };
        Self::new(status, error.code(), error.to_string(), error.message_ja())
    }
}

impl From<sellerlink_store::StoreError> for HttpError {
    fn from(error: sellerlink_store::StoreError) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.envelope())).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"sellerlink\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerlink_domain::ids::SellerId;

    #[test]
    fn app_errors_map_to_status_code_and_field() {
        let bad = SellerId::parse("B123").unwrap_err();
        let error = HttpError::from(AppError::InvalidId(bad));
        assert_eq!(error.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.field, Some("seller_id"));
        assert!(
            error.message_ja.starts_with("出品者ID"),
            "{}",
            error.message_ja
        );
        let missing = HttpError::from(AppError::ConnectionNotFound(
            sellerlink_domain::ids::ConnectionId::new(),
        ));
        assert_eq!(
            (missing.status, missing.code),
            (StatusCode::NOT_FOUND, "not_found")
        );
        let envelope = serde_json::to_value(HttpError::unauthenticated().envelope()).unwrap();
        assert_eq!(echo("MFN"), "\"MFN\"");
        assert_eq!(echo(&"é".repeat(65)), format!("{:?}…", "é".repeat(64)));
        assert_eq!(shorten("abc", 2), "ab…");
        assert_eq!(envelope["error"]["code"], "unauthenticated");
        assert!(envelope["error"].get("field").is_none());
    }
}
