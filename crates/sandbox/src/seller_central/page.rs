//! Turning templates into responses, with the headers every Seller Central page carries.

use askama::Template;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// Headers on every page. `no-store` everywhere: most pages show account data, and the
/// completion and view pages show the MWS Auth Token.
const PAGE_HEADERS: [(&str, &str); 6] = [
    ("cache-control", "no-store"),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
    (
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("content-type", "text/html; charset=utf-8"),
];

/// Renders `page` with `status` and the page headers; a template error becomes a plain 500.
pub(crate) fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => {
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            for (name, value) in PAGE_HEADERS {
                headers.insert(
                    HeaderName::from_static(name),
                    HeaderValue::from_static(value),
                );
            }
            response
        }
        Err(error) => {
            tracing::error!(%error, "seller central template failed to render");
            internal_error()
        }
    }
}

/// A plain-text 500 (used when a template fails, which is a bug).
pub(crate) fn internal_error() -> Response {
    let mut response = (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// `303 See Other` to `location` (after a POST, or to send the browser to sign-in).
pub(crate) fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}
