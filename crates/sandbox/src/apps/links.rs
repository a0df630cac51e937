//! URLs the app pages send browsers to: the app's redirect URI with the code, the app's log-in
//! URI with `amazon_callback_uri`, and this sandbox's own absolute origin.

use axum::http::header::HOST;
use axum::http::{Extensions, HeaderMap};

use crate::server::ListenerScheme;

/// `base` with `pairs` appended to its query (existing parameters are kept).
pub(crate) fn with_query(base: &str, pairs: &[(&str, &str)]) -> String {
    match url::Url::parse(base) {
        Ok(mut url) => {
            {
                let mut query = url.query_pairs_mut();
                for (name, value) in pairs {
                    query.append_pair(name, value);
                }
            }
            url.to_string()
        }
        Err(_) => base.to_owned(),
    }
}

/// `http(s)://host:port` of the listener the request came in on.
pub(crate) fn origin(headers: &HeaderMap, extensions: &Extensions) -> String {
    let scheme = extensions
        .get::<ListenerScheme>()
        .map_or("http", |s| s.as_str());
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("{scheme}://{host}")
}

/// The `scheme://host[:port]` of an absolute URL.
pub(crate) fn origin_of(uri: &str) -> Option<String> {
    let url = url::Url::parse(uri).ok()?;
    Some(url.origin().ascii_serialization()).filter(|o| o != "null")
}

/// Widens the page's `form-action` to `targets`: a browser enforces `form-action` on the
/// redirect that follows a form submission, and Confirm / Re-authorize redirect to the app.
pub(crate) fn allow_form_targets(response: &mut axum::response::Response, targets: &[String]) {
    let mut sources = String::from("'self'");
    for target in targets {
        if !sources.split(' ').any(|s| s == target) {
            sources.push(' ');
            sources.push_str(target);
        }
    }
    let policy = format!(
        "default-src 'none'; style-src 'unsafe-inline'; form-action {sources}; frame-ancestors 'none'; base-uri 'none'"
    );
    if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_to_an_existing_query() {
        assert_eq!(
            with_query(
                "https://3pl.example.jp/cb?tenant=7",
                &[("state", "a b"), ("spapi_oauth_code", "AN1")]
            ),
            "https://3pl.example.jp/cb?tenant=7&state=a+b&spapi_oauth_code=AN1"
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8080/cb?x").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        let mut response = axum::response::Response::new(axum::body::Body::empty());
        allow_form_targets(
            &mut response,
            &["https://a.example".into(), "https://a.example".into()],
        );
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            policy.contains("form-action 'self' https://a.example;"),
            "{policy}"
        );
    }
}
