//! The stylesheet, an empty favicon and the health check.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

const STYLESHEET: &str = include_str!("../../static/app.css");

/// Where the stylesheet is served.
pub(crate) const STYLESHEET_PATH: &str = "/static/app.css";

/// The paths served without a session: the assets and the health check. Anything else under `/static/` is an
/// ordinary page path (so an unknown one is the normal not-found page).
const SESSIONLESS: [&str; 3] = [STYLESHEET_PATH, "/favicon.ico", "/healthz"];

/// True for the paths served without a session.
pub(crate) fn is_sessionless(path: &str) -> bool {
    SESSIONLESS.contains(&path)
}

/// `/static/app.css` (cached for a day; it changes only with a release).
pub(crate) async fn stylesheet() -> Response {
    let mut response = STYLESHEET.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    response
}

/// `/favicon.ico`: nothing, so browsers stop asking.
pub(crate) async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// `/healthz`: the process answers.
pub(crate) async fn health() -> &'static str {
    "ok"
}
