//! Reading the `Cookie` request header and writing the session cookie.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;

use super::session::SessionId;

/// Name of the Seller Central session cookie.
pub(crate) const SESSION_COOKIE: &str = "sc-session";

/// The value of cookie `name` from the request's `Cookie` headers, if present.
pub(crate) fn get<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// Adds a `Set-Cookie` that stores `id` as the session cookie (HttpOnly, SameSite=Lax).
pub(crate) fn set_session(response: &mut Response, id: &SessionId) {
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax",
        id.expose()
    );
    append(response, &cookie);
}

/// Adds a `Set-Cookie` that deletes the session cookie.
pub(crate) fn clear_session(response: &mut Response) {
    append(
        response,
        &format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"),
    );
}

fn append(response: &mut Response, cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(COOKIE, HeaderValue::from_static("a=1; sc-lang=en"));
        headers.append(COOKIE, HeaderValue::from_static("sc-session=abc"));
        assert_eq!(get(&headers, "sc-lang"), Some("en"));
        assert_eq!(get(&headers, "sc-session"), Some("abc"));
        assert_eq!(get(&headers, "missing"), None);
    }
}
