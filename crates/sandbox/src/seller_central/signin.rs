//! Step ①: sign-in with e-mail or phone + password, and sign-out.
//!
//! Every failure (unknown login, wrong password, locked login) shows the same message, so the
//! page never reveals whether an account exists. Five failures in a row lock the login for a
//! minute of sandbox time.

use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::{self, SignedIn};
use super::cookies;
use super::fields::Login;
use super::lang::Chrome;
use super::messages;
use super::page;
use super::paths;
use super::session::{SessionId, Sessions, constant_time_eq};
use super::views::{MessagePage, SigninPage};
use crate::AppState;
use crate::world::World;

/// Query of `GET /ap/signin`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SigninQuery {
    return_to: Option<String>,
}

/// Form of `POST /ap/signin`. No `Debug`: it holds the password.
#[derive(Default, Deserialize)]
#[serde(default)]
pub(crate) struct SigninForm {
    csrf: Option<String>,
    login: String,
    password: String,
    return_to: Option<String>,
}

/// Form of `POST /ap/signout`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SignoutForm {
    csrf: Option<String>,
}

/// `GET /ap/signin`: the sign-in form (or straight on, when already signed in).
pub(crate) async fn form(
    Extension(chrome): Extension<Chrome>,
    Extension(sessions): Extension<Sessions>,
    Query(query): Query<SigninQuery>,
    headers: HeaderMap,
) -> Response {
    let return_to = auth::safe_return_to(query.return_to.as_deref());
    let existing = auth::session_id(&headers).and_then(|id| {
        sessions
            .with(&id, |session| {
                (session.seller_id.is_some(), session.csrf.clone())
            })
            .map(|(signed_in, csrf)| (id, signed_in, csrf))
    });
    match existing {
        Some((_, true, _)) => page::see_other(&return_to),
        Some((_, false, csrf)) => page::render(
            StatusCode::OK,
            &signin_page(chrome, csrf.expose(), "", return_to, None),
        ),
        None => fresh_form(&sessions, chrome, "", return_to, None, StatusCode::OK),
    }
}

/// `POST /ap/signin`: checks the credentials and starts a signed-in session.
pub(crate) async fn submit(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    Extension(sessions): Extension<Sessions>,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> Response {
    let return_to = auth::safe_return_to(form.return_to.as_deref());
    let lang = chrome.lang;
    let anonymous = auth::session_id(&headers).and_then(|id| {
        sessions
            .with(&id, |session| session.csrf.clone())
            .map(|csrf| (id, csrf))
    });
    let Some((old_session, csrf)) =
        anonymous.filter(|(_, csrf)| csrf.matches(form.csrf.as_deref()))
    else {
        let expired = Some(chrome.t.form_expired.to_owned());
        return fresh_form(
            &sessions,
            chrome,
            &form.login,
            return_to,
            expired,
            StatusCode::FORBIDDEN,
        );
    };
    let failed = |chrome: Chrome| {
        page::render(
            StatusCode::OK,
            &signin_page(
                chrome,
                csrf.expose(),
                &form.login,
                return_to.clone(),
                Some(messages::signin_failed(lang).to_owned()),
            ),
        )
    };
    let Some(login) = Login::parse(&form.login) else {
        return failed(chrome);
    };
    let throttle_key = login.throttle_key();
    let (now, seller) = {
        let world = crate::world::lock(&state.world);
        (world.now(), authenticate(&world, &login, &form.password))
    };
    if sessions.is_locked(&throttle_key, now) {
        return failed(chrome);
    }
    let Some(seller_id) = seller else {
        sessions.record_failure(&throttle_key, now);
        return failed(chrome);
    };
    sessions.clear_failures(&throttle_key);
    // A new id on sign-in, so a session id planted before sign-in is worthless after it.
    sessions.remove(&old_session);
    let session = sessions.create(Some(seller_id));
    let mut response = page::see_other(&return_to);
    cookies::set_session(&mut response, &session);
    response
}

/// `POST /ap/signout`: ends the session and returns to sign-in.
pub(crate) async fn signout(
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<SignoutForm>,
) -> Response {
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        let page = MessagePage {
            account: None,
            title: chrome.t.error_title,
            message: chrome.t.form_expired.to_owned(),
            error: true,
            back_link: true,
            chrome,
        };
        return page::render(StatusCode::FORBIDDEN, &page);
    }
    signed_in.end();
    let mut response = page::see_other(paths::SIGNIN);
    cookies::clear_session(&mut response);
    response
}

/// The seller the credentials belong to, if the password is right.
fn authenticate(world: &World, login: &Login, password: &str) -> Option<String> {
    match world.seller_by_login(login.as_str()) {
        Some(account) => constant_time_eq(account.password.as_bytes(), password.as_bytes())
            .then(|| account.seller_id.clone()),
        None => {
            // Same work as for a known login, so timing does not tell the two apart.
            let _ = constant_time_eq(b"", password.as_bytes());
            None
        }
    }
}

fn fresh_form(
    sessions: &Sessions,
    chrome: Chrome,
    login: &str,
    return_to: String,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let id: SessionId = sessions.create(None);
    let Some(csrf) = sessions.with(&id, |session| session.csrf.clone()) else {
        return page::internal_error();
    };
    let mut response = page::render(
        status,
        &signin_page(chrome, csrf.expose(), login, return_to, error),
    );
    cookies::set_session(&mut response, &id);
    response
}

fn signin_page(
    chrome: Chrome,
    csrf: &str,
    login: &str,
    return_to: String,
    error: Option<String>,
) -> SigninPage {
    SigninPage {
        chrome,
        account: None,
        csrf: csrf.to_owned(),
        login: login.to_owned(),
        return_to,
        error,
    }
}
