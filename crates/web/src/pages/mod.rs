//! The server-rendered pages (Japanese by default, English on request), plain HTML forms that work without
//! JavaScript. Every page extends `templates/base.html` through [`Chrome`].

mod amazon;
mod api_keys;
mod assets;
pub(crate) mod audit;
mod dashboard;
mod demo_clock;
mod form;
pub(crate) mod format;
mod jobs;
mod language;
mod login;
mod notifications;
mod notifications_channels;
mod operator;
pub(crate) mod order_format;
mod orders;
mod primary_action;
pub(crate) mod stock;
mod wizard;

pub(crate) use assets::{STYLESHEET_PATH, is_sessionless};

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use serde::Deserialize;

use crate::auth::session::Visitor;
use crate::error::HttpError;
use crate::i18n::{Texts, texts};
use crate::security::COPY_SCRIPT;
use crate::state::WebState;
use dashboard::RecordedAction;

/// What the layout needs: the texts, the visitor's navigation and CSRF token, and an optional notice.
pub(crate) struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub csrf: String,
    pub nav: Option<Nav>,
    pub here: String,
    pub notice: Option<Notice>,
    pub copy_script: &'static str,
    /// The demo clock bar, for a signed-in visitor of the demo.
    pub demo_clock: Option<demo_clock::Bar>,
}

/// The signed-in user's menu.
pub(crate) struct Nav {
    pub email: String,
    pub is_operator: bool,
    pub merchant_id: Option<String>,
}

/// A message at the top of a page.
pub(crate) struct Notice {
    /// `ok` or `error` (CSS class).
    pub class: &'static str,
    pub text: String,
}

impl Notice {
    pub(crate) fn ok(text: impl Into<String>) -> Self {
        Self {
            class: "ok",
            text: text.into(),
        }
    }

    pub(crate) fn error(text: impl Into<String>) -> Self {
        Self {
            class: "error",
            text: text.into(),
        }
    }
}

impl Chrome {
    pub(crate) fn new(visitor: &Visitor, notice: Option<Notice>) -> Self {
        let nav = visitor.user().map(|user| Nav {
            email: user.email.to_string(),
            is_operator: matches!(user.role, Role::Operator),
            merchant_id: user.role.merchant().map(|m| m.to_string()),
        });
        let t = texts(visitor.language);
        Self {
            t,
            lang: visitor.language.code(),
            csrf: visitor.csrf().to_owned(),
            nav,
            here: visitor.here.clone(),
            notice,
            copy_script: COPY_SCRIPT,
            demo_clock: demo_clock::Bar::for_visitor(visitor, t),
        }
    }

    /// The layout for a page shown without a visitor (an error before the session was read).
    fn bare(language: Language) -> Self {
        Self {
            t: texts(language),
            lang: language.code(),
            csrf: String::new(),
            nav: None,
            here: "/".to_owned(),
            notice: None,
            copy_script: COPY_SCRIPT,
            demo_clock: None,
        }
    }
}

/// The notice named in a redirect's query (`?notice=renewed`, `?notice=synced&new=3&changed=1`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    pub notice: Option<String>,
    pub new: Option<u64>,
    pub changed: Option<u64>,
    pub outcome: Option<String>,
}

impl NoticeQuery {
    pub(crate) fn notice(&self, t: &Texts) -> Option<Notice> {
        let ok = |text: &str| Some(Notice::ok(text));
        match self.notice.as_deref()? {
            "connected" => ok(t.notice_connected),
            "reauthorized" => ok(t.notice_reauthorized),
            "renewed" => ok(t.notice_renewed),
            "restored" => ok(t.notice_restored),
            "expiry_enabled" => ok(t.notice_expiry_enabled),
            "switched_to_spapi" => ok(t.notice_switched_to_spapi),
            "token_replaced" => ok(t.notice_token_replaced),
            "removed" => ok(t.notice_removed),
            "verified" => ok(t.notice_verified),
            "access_denied" => Some(Notice::error(t.notice_access_denied)),
            "synced" => Some(Notice::ok((t.notice_synced)(
                self.new.unwrap_or(0),
                self.changed.unwrap_or(0),
            ))),
            "sync_not_done" => {
                let outcome: String = self
                    .outcome
                    .as_deref()
                    .unwrap_or("?")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .take(40)
                    .collect();
                Some(Notice::error((t.notice_sync_not_done)(&outcome)))
            }
            "key_revoked" => ok(t.notice_key_revoked),
            "merchant_added" => ok(t.notice_merchant_added),
            "user_added" => ok(t.notice_user_added),
            _ => None,
        }
    }
}

/// Renders a page as HTML with `status`.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, html).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            response
        }
        Err(error) => {
            tracing::error!(%error, "a page template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: &'static str,
    message: String,
}

fn heading(t: &Texts, status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => t.not_found_title,
        StatusCode::FORBIDDEN => t.forbidden_title,
        _ => t.error_title,
    }
}

/// An error page for a visitor, with the visitor's menu.
pub(crate) fn error_page(visitor: &Visitor, error: &HttpError) -> Response {
    let chrome = Chrome::new(visitor, None);
    let page = ErrorPage {
        heading: heading(chrome.t, error.status),
        message: error.message_in(visitor.language).to_owned(),
        chrome,
    };
    render(error.status, &page)
}

/// An error page without a visitor.
pub(crate) fn error_response(language: Language, error: &HttpError) -> Response {
    let chrome = Chrome::bare(language);
    let page = ErrorPage {
        heading: heading(chrome.t, error.status),
        message: error.message_in(language).to_owned(),
        chrome,
    };
    render(error.status, &page)
}

/// A path on this site to return to after a form: only `/…` (not `//host`, not a scheme), else `fallback`.
pub(crate) fn local_path(next: Option<&str>, fallback: &str) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => fallback.to_owned(),
    }
}

/// `303 See Other` to `location`.
pub(crate) fn see_other(location: &str) -> Response {
    axum::response::Redirect::to(location).into_response()
}

/// Where a signed-in user starts.
pub(crate) fn home_of(role: Role) -> String {
    match role {
        Role::Operator => "/operator".to_owned(),
        Role::Merchant(id) => format!("/merchants/{id}"),
    }
}

async fn not_found(visitor: Visitor) -> Response {
    error_page(&visitor, &HttpError::not_found("page", "ページ"))
}

/// The page routes.
pub(crate) fn router() -> Router<WebState> {
    Router::new()
        .route("/", get(login::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/language", post(language::switch))
        .route("/dashboard", get(dashboard::own))
        .route("/merchants/{merchant_id}", get(dashboard::show))
        .route(
            "/merchants/{merchant_id}/connect",
            get(wizard::form).post(wizard::submit),
        )
        .route(
            "/connections/{connection_id}/renew",
            RecordedAction::Renew.route(),
        )
        .route(
            "/connections/{connection_id}/restore",
            RecordedAction::Restore.route(),
        )
        .route(
            "/connections/{connection_id}/enable-expiry",
            RecordedAction::EnableExpiry.route(),
        )
        .route(
            "/connections/{connection_id}/replace-token",
            post(dashboard::replace_token),
        )
        .route(
            "/connections/{connection_id}/remove",
            post(dashboard::remove),
        )
        .route(
            "/connections/{connection_id}/verify",
            post(dashboard::verify),
        )
        .route("/connections/{connection_id}/sync", post(dashboard::sync))
        .route(
            "/merchants/{merchant_id}/connect/amazon",
            post(amazon::start),
        )
        .route("/amazon/callback", get(amazon::callback))
        .route("/amazon/login", get(amazon::login))
        .route("/orders", get(orders::list))
        .route(
            "/connections/{connection_id}/orders/{amazon_order_id}",
            get(orders::detail),
        )
        .route("/connections/{connection_id}/stock", get(stock::list))
        .route("/connections/{connection_id}/audit", get(audit::list))
        .route("/operator", get(operator::overview))
        .route("/operator/jobs", get(jobs::list))
        .route("/operator/merchants", post(operator::add_merchant))
        .route("/operator/users", post(operator::add_user))
        .route(
            "/merchants/{merchant_id}/notification-channels",
            get(notifications_channels::merchant_list).post(notifications_channels::merchant_add),
        )
        .route(
            "/operator/notification-channels",
            get(notifications_channels::operator_list).post(notifications_channels::operator_add),
        )
        .route(
            "/notification-channels/{channel_id}/disable",
            post(notifications_channels::disable),
        )
        .route(
            "/notification-channels/{channel_id}/enable",
            post(notifications_channels::enable),
        )
        .route(
            "/notification-channels/{channel_id}/test",
            post(notifications_channels::test),
        )
        .route("/notifications", get(notifications::list))
        .route("/api-keys", get(api_keys::list).post(api_keys::create))
        .route("/api-keys/{api_key_id}/revoke", post(api_keys::revoke))
        .route("/demo/clock", post(demo_clock::advance))
        .route(assets::STYLESHEET_PATH, get(assets::stylesheet))
        .route("/favicon.ico", get(assets::favicon))
        .route("/healthz", get(assets::health))
        .fallback(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/orders?page=2"), "/"), "/orders?page=2");
        assert_eq!(local_path(Some("//evil.example/x"), "/"), "/");
        assert_eq!(local_path(Some("https://evil.example"), "/"), "/");
        assert_eq!(local_path(Some("/\\evil"), "/"), "/");
        assert_eq!(local_path(None, "/home"), "/home");
    }
}
