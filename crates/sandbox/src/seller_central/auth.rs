//! The signed-in seller (an extractor that sends everyone else to sign-in) and safe return URLs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use axum::response::Response;

use super::cookies::{self, SESSION_COOKIE};
use super::page;
use super::paths;
use super::session::{CsrfToken, Session, SessionId, Sessions};
use super::views::AccountBar;

/// A request from a signed-in seller. Extracting it from a request without a signed-in session
/// answers `303` to the sign-in page (returning to the requested page afterwards for a `GET`).
#[derive(Debug)]
pub(crate) struct SignedIn {
    /// The seller whose Seller Central this is.
    pub seller_id: String,
    csrf: CsrfToken,
    session_id: SessionId,
    sessions: Sessions,
}

impl SignedIn {
    /// Whether a submitted form carried this session's CSRF token.
    pub(crate) fn csrf_ok(&self, submitted: Option<&str>) -> bool {
        self.csrf.matches(submitted)
    }

    /// The CSRF token to embed in forms.
    pub(crate) fn csrf(&self) -> String {
        self.csrf.expose().to_owned()
    }

    /// The header bar for this seller.
    pub(crate) fn account_bar(&self, display_name: &str) -> AccountBar {
        AccountBar {
            display_name: display_name.to_owned(),
            csrf: self.csrf(),
        }
    }

    /// Reads or changes this session. `None` if the session ended meanwhile.
    pub(crate) fn session<R>(&self, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        self.sessions.with(&self.session_id, f)
    }

    /// Ends this session (sign-out).
    pub(crate) fn end(self) {
        self.sessions.remove(&self.session_id);
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let Some(sessions) = parts.extensions.get::<Sessions>().cloned() else {
            tracing::error!("seller central router is missing its session store");
            return Err(page::internal_error());
        };
        let signed_in = session_id(&parts.headers).and_then(|session_id| {
            let found = sessions
                .with(&session_id, |session| {
                    session
                        .seller_id
                        .clone()
                        .map(|seller_id| (seller_id, session.csrf.clone()))
                })
                .flatten();
            found.map(|(seller_id, csrf)| (session_id, seller_id, csrf))
        });
        match signed_in {
            Some((session_id, seller_id, csrf)) => Ok(Self {
                seller_id,
                csrf,
                session_id,
                sessions,
            }),
            None => {
                let back = if parts.method == Method::GET {
                    parts
                        .uri
                        .path_and_query()
                        .map_or(paths::HOME, |pq| pq.as_str())
                } else {
                    paths::HOME
                };
                Err(page::see_other(&signin_url(back)))
            }
        }
    }
}

/// The session id from the request's cookie, if it is well-formed.
pub(crate) fn session_id(headers: &HeaderMap) -> Option<SessionId> {
    cookies::get(headers, SESSION_COOKIE).and_then(SessionId::parse)
}

/// The sign-in URL that comes back to `return_to` afterwards.
pub(crate) fn signin_url(return_to: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("return_to", return_to)
        .finish();
    format!("{}?{query}", paths::SIGNIN)
}

/// `candidate` if it is a path on this site's Seller Central pages (`/gp/…`, or the SP-API app
/// pages `/apps/…`), else the permissions page
/// (so the sign-in page cannot be used to redirect anywhere else).
pub(crate) fn safe_return_to(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if (path.starts_with("/gp/") || path.starts_with("/apps/"))
                && !path.contains("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => paths::HOME.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_urls_stay_on_seller_central() {
        assert_eq!(
            safe_return_to(Some("/gp/mws/registration/register.html")),
            "/gp/mws/registration/register.html"
        );
        for hostile in [
            "https://evil.example/",
            "//evil.example/gp/",
            "/gp//evil.example",
            "/gp/\\evil",
            "/_sandbox/clock",
            "",
        ] {
            assert_eq!(safe_return_to(Some(hostile)), paths::HOME, "{hostile}");
        }
        assert_eq!(safe_return_to(None), paths::HOME);
    }

    #[test]
    fn signin_url_encodes_the_return_path() {
        assert_eq!(
            signin_url("/gp/mws/registration/view.html?developer_id=1&lang=en"),
            "/ap/signin?return_to=%2Fgp%2Fmws%2Fregistration%2Fview.html%3Fdeveloper_id%3D1%26lang%3Den"
        );
    }
}
