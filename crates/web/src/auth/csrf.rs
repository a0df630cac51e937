//! CSRF protection of every form: a `POST` to a page must carry the visitor's token in its `csrf` field (the
//! session's token when signed in, else the token of the signed-out CSRF cookie). Checked here, once, for every
//! page route, before any handler runs.

use axum::body::Body;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use super::session::Visitor;
use super::tokens::same_token;
use crate::error::HttpError;

/// The largest form body accepted.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// Refuses a page `POST` whose `csrf` field is missing or wrong with 403 (nothing runs, nothing changes).
pub(crate) async fn check_forms(request: Request, next: Next) -> Response {
    if request.method() != Method::POST || request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let Some(visitor) = request.extensions().get::<Visitor>().cloned() else {
        return crate::pages::error_response(
            sellerlink_domain::connection::Language::Ja,
            &HttpError::csrf(),
        );
    };
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return crate::pages::error_response(visitor.language, &HttpError::too_large()),
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == "csrf")
        .map(|(_, value)| value.into_owned());
    match sent {
        Some(token) if !token.is_empty() && same_token(&token, visitor.csrf()) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => {
            tracing::warn!(path = %parts.uri.path(), "form refused: CSRF token missing or wrong");
            crate::pages::error_response(visitor.language, &HttpError::csrf())
        }
    }
}
