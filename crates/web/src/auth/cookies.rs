//! Reading the `Cookie` header and writing `Set-Cookie` values. When cookies are `Secure` their names carry the
//! `__Host-` prefix, so browsers accept them only from this host over TLS, for path `/` and without a `Domain`: a
//! sibling host cannot plant them.

use axum::http::{HeaderMap, HeaderValue, header};

/// The session cookie (its value is a random token; the store keeps only its SHA-256).
pub(crate) const SESSION: &str = "sl_session";
/// The CSRF token of forms shown to signed-out visitors (double-submit: cookie and form field must match; the
/// cookie carries the token signed with the server's key, see [`super::tokens::CookieSigner`]).
pub(crate) const ANON_CSRF: &str = "sl_csrf";
/// The language chosen on signed-out pages.
pub(crate) const LANGUAGE: &str = "sl_lang";

/// The prefix of `Secure` cookies' names.
const HOST_PREFIX: &str = "__Host-";

/// The name a cookie is sent under: `__Host-` + `name` when cookies are `Secure`.
fn full_name(name: &str, secure: bool) -> String {
    if secure {
        format!("{HOST_PREFIX}{name}")
    } else {
        name.to_owned()
    }
}

/// The value of the first cookie called `name` (with the `__Host-` prefix when cookies are `Secure`).
pub(crate) fn get<'a>(headers: &'a HeaderMap, name: &str, secure: bool) -> Option<&'a str> {
    let name = full_name(name, secure);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|line| line.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
        .filter(|value| !value.is_empty())
}

/// A `Set-Cookie` value: `HttpOnly`, `SameSite=Lax`, path `/`, `Secure` (and the `__Host-` prefix) when asked,
/// living `max_age_secs`.
pub(crate) fn set(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let name = full_name(name, secure);
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).expect("cookie names and values are header-safe")
}

/// A `Set-Cookie` value that deletes the cookie.
pub(crate) fn clear(name: &str, secure: bool) -> HeaderValue {
    set(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_cookies() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; sl_session=abc; sl_lang=en"),
        );
        assert_eq!(get(&headers, SESSION, false), Some("abc"));
        assert_eq!(get(&headers, LANGUAGE, false), Some("en"));
        assert_eq!(get(&headers, ANON_CSRF, false), None);
        assert_eq!(
            get(&headers, SESSION, true),
            None,
            "over TLS only the __Host- name counts"
        );
        let value = set(SESSION, "tok", 60, true);
        assert_eq!(
            value.to_str().unwrap(),
            "__Host-sl_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        let value = set(SESSION, "tok", 60, false);
        assert_eq!(
            value.to_str().unwrap(),
            "sl_session=tok; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
        );
    }
}
