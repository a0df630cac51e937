//! Sessions: the middleware that recognises the visitor on every request, and signing in and out.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::connection::Language;
use sellerlink_store::{Session, SessionWithUser, User};

use super::cookies;
use super::tokens::{hash_token, random_token};
use crate::error::HttpError;
use crate::state::WebState;

/// A session is marked used (and its idle expiry moved) at most this often, so that reading pages does not write
/// to the database on every request.
const TOUCH_EVERY: SignedDuration = SignedDuration::from_mins(5);

/// The language cookie lives a year.
const LANGUAGE_COOKIE_SECS: i64 = 365 * 24 * 3600;

/// Who is visiting, as the middleware found out: the signed-in session (if any), the language to show, and the
/// CSRF token of forms shown to a signed-out visitor.
#[derive(Clone, Debug)]
pub(crate) struct Visitor {
    pub signed_in: Option<Arc<SessionWithUser>>,
    pub language: Language,
    pub anon_csrf: String,
    /// The path and query of the request (where the language switch returns to).
    pub here: String,
    /// The demo clock's reading, when the web app runs in the demo.
    pub demo_now: Option<Timestamp>,
}

impl Visitor {
    /// The CSRF token the visitor's forms carry.
    pub(crate) fn csrf(&self) -> &str {
        match &self.signed_in {
            Some(signed_in) => &signed_in.session.csrf_token,
            None => &self.anon_csrf,
        }
    }

    /// The signed-in user, if any.
    pub(crate) fn user(&self) -> Option<&User> {
        self.signed_in.as_ref().map(|s| &s.user)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Visitor>()
            .cloned()
            .ok_or_else(|| HttpError::internal(&"the session middleware did not run"))
    }
}

/// Recognises the visitor: looks up the session cookie, moves an idle session's expiry now and then, picks the
/// language (the user's, else the language cookie, else Japanese), and gives a signed-out visitor a CSRF cookie
/// for the sign-in and language forms.
pub(crate) async fn recognise(
    State(state): State<WebState>,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    if crate::pages::is_sessionless(path) {
        return next.run(request).await;
    }
    let now = state.session_now();
    let secure = state.config().secure_cookies;
    let headers = request.headers();
    let session_token = cookies::get(headers, cookies::SESSION, secure).map(str::to_owned);
    let cookie_language =
        cookies::get(headers, cookies::LANGUAGE, secure).and_then(Language::parse);
    // Only a token this server signed counts; a planted or stale cookie is replaced.
    let existing_anon = cookies::get(headers, cookies::ANON_CSRF, secure)
        .and_then(|value| state.cookie_signer().verify(value));

    let mut signed_in = None;
    if let Some(token) = session_token {
        match state.store().live_session(&hash_token(&token), now).await {
            Ok(Some(found)) => {
                refresh(&state, &found.session, now).await;
                signed_in = Some(Arc::new(found));
            }
            Ok(None) => {}
            Err(error) => tracing::error!(%error, "reading the session failed"),
        }
    }
    let language = signed_in
        .as_ref()
        .map(|s| s.user.language)
        .or(cookie_language)
        .unwrap_or_default();
    // Signed-out forms exist only on pages; API clients get no cookie they would never use.
    let is_api = request.uri().path().starts_with("/api/");
    let new_anon = (existing_anon.is_none() && !is_api).then(random_token);
    let anon_csrf = existing_anon
        .or_else(|| new_anon.clone())
        .unwrap_or_default();
    let here = request
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    let demo_now = state.demo_clock().map(|demo| demo.now());
    request.extensions_mut().insert(Visitor {
        signed_in,
        language,
        anon_csrf,
        here,
        demo_now,
    });
    let mut response = next.run(request).await;
    if let Some(token) = new_anon {
        let signed = state.cookie_signer().sign(&token);
        response.headers_mut().append(
            SET_COOKIE,
            cookies::set(cookies::ANON_CSRF, &signed, 24 * 3600, secure),
        );
    }
    response
}

async fn refresh(state: &WebState, session: &Session, now: Timestamp) {
    if now.duration_since(session.last_seen) < TOUCH_EVERY {
        return;
    }
    let config = state.config();
    let idle_end = now
        .saturating_add(config.session_idle)
        .unwrap_or(Timestamp::MAX);
    let hard_end = session
        .created_at
        .saturating_add(config.session_max)
        .unwrap_or(Timestamp::MAX);
    if let Err(error) = state
        .store()
        .touch_session(&session.id, now, idle_end.min(hard_end))
        .await
    {
        tracing::warn!(%error, "marking the session used failed");
    }
}

/// Starts a session for `user`: a new random cookie value (the store keeps its SHA-256) and a new CSRF token.
/// Returns the `Set-Cookie` values for the session and the language cookie.
pub(crate) async fn sign_in(state: &WebState, user: &User) -> Result<[HeaderValue; 2], HttpError> {
    let now = state.session_now();
    let config = state.config();
    let token = random_token();
    let lifetime = config.session_idle.min(config.session_max);
    let session = Session {
        id: hash_token(&token),
        user_id: user.id,
        csrf_token: random_token(),
        created_at: now,
        expires_at: now.saturating_add(lifetime).unwrap_or(Timestamp::MAX),
        last_seen: now,
    };
    state.store().insert_session(&session).await?;
    let secure = config.secure_cookies;
    let max_age = config.session_max.as_secs();
    Ok([
        cookies::set(cookies::SESSION, &token, max_age, secure),
        language_cookie(user.language, secure),
    ])
}

/// Ends the visitor's session, if any; returns the `Set-Cookie` value that deletes the cookie.
pub(crate) async fn sign_out(
    state: &WebState,
    visitor: &Visitor,
) -> Result<HeaderValue, HttpError> {
    if let Some(signed_in) = &visitor.signed_in {
        state.store().delete_session(&signed_in.session.id).await?;
    }
    Ok(cookies::clear(
        cookies::SESSION,
        state.config().secure_cookies,
    ))
}

/// The `Set-Cookie` value remembering a language for signed-out pages.
pub(crate) fn language_cookie(language: Language, secure: bool) -> HeaderValue {
    cookies::set(
        cookies::LANGUAGE,
        language.code(),
        LANGUAGE_COOKIE_SECS,
        secure,
    )
}
