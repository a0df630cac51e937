//! Signing in and out. Every failure (unknown address, wrong password, disabled user, throttled) shows the same
//! message, so the page does not tell which addresses have accounts.

use std::net::IpAddr;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::Response;
use secrecy::SecretString;
use sellerlink_store::Email;
use serde::Deserialize;

use super::{Chrome, error_page, home_of, local_path, render, see_other};
use crate::auth::client_ip::ClientIp;
use crate::auth::password::{decoy_hash, verify_password};
use crate::auth::session::{Visitor, sign_in, sign_out};
use crate::auth::throttle::{self, AttemptKeys};
use crate::error::HttpError;
use crate::state::WebState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    next: String,
    email: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

/// `/`: the start page of whoever is visiting.
pub(crate) async fn home(visitor: Visitor) -> Response {
    match visitor.user() {
        Some(user) => see_other(&home_of(user.role)),
        None => see_other("/login"),
    }
}

/// The sign-in form.
pub(crate) async fn form(visitor: Visitor, Query(query): Query<NextQuery>) -> Response {
    if let Some(user) = visitor.user() {
        return see_other(&local_path(query.next.as_deref(), &home_of(user.role)));
    }
    let page = LoginPage {
        chrome: Chrome::new(&visitor, None),
        next: local_path(query.next.as_deref(), ""),
        email: String::new(),
        error: None,
    };
    render(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Checks the password (throttled), starts a session and goes where the visitor wanted to go.
pub(crate) async fn submit(
    State(state): State<WebState>,
    visitor: Visitor,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Response {
    match attempt(&state, &form, ip).await {
        Ok(Outcome::SignedIn { cookies, home }) => {
            let target = local_path(form.next.as_deref().filter(|n| !n.is_empty()), &home);
            let mut response = see_other(&target);
            for cookie in cookies {
                response.headers_mut().append(SET_COOKIE, cookie);
            }
            response
        }
        Ok(Outcome::Refused(status)) => {
            let chrome = Chrome::new(&visitor, None);
            let page = LoginPage {
                error: Some(chrome.t.login_failed.to_owned()),
                chrome,
                next: local_path(form.next.as_deref(), ""),
                email: form.email.trim().chars().take(254).collect(),
            };
            render(status, &page)
        }
        Err(error) => error_page(&visitor, &error),
    }
}

enum Outcome {
    SignedIn {
        cookies: [axum::http::HeaderValue; 2],
        home: String,
    },
    Refused(StatusCode),
}

async fn attempt(
    state: &WebState,
    form: &LoginForm,
    ip: Option<IpAddr>,
) -> Result<Outcome, HttpError> {
    let keys = AttemptKeys::new(&form.email, ip);
    let Some(reservation) = throttle::reserve(state, &keys).await? else {
        tracing::warn!(client.ip = ?ip, "sign-in throttled");
        return Ok(Outcome::Refused(StatusCode::TOO_MANY_REQUESTS));
    };
    let address_throttled = reservation.address_throttled();
    let user = match Email::parse(&form.email) {
        Ok(email) => state.store().user_by_email(&email).await?,
        Err(_) => None,
    };
    let cost = state.config().password_cost;
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash(cost).clone(), |u| u.password_hash.clone());
    let password = SecretString::from(form.password.clone());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| HttpError::internal(&e))?;
    match user {
        Some(user) if matches && !user.disabled => {
            throttle::succeeded(state, &keys, reservation).await?;
            let cookies = sign_in(state, &user).await?;
            tracing::info!(user.id = %user.id, "signed in");
            Ok(Outcome::SignedIn {
                cookies,
                home: home_of(user.role),
            })
        }
        _ => {
            throttle::failed(state, &keys, reservation).await?;
            if address_throttled {
                tracing::warn!(client.ip = ?ip, "sign-in throttled");
                return Ok(Outcome::Refused(StatusCode::TOO_MANY_REQUESTS));
            }
            Ok(Outcome::Refused(StatusCode::UNAUTHORIZED))
        }
    }
}

/// Ends the session and returns to the sign-in page.
pub(crate) async fn logout(State(state): State<WebState>, visitor: Visitor) -> Response {
    match sign_out(&state, &visitor).await {
        Ok(cookie) => {
            let mut response = see_other("/login");
            response.headers_mut().append(SET_COOKIE, cookie);
            response
        }
        Err(error) => error_page(&visitor, &error),
    }
}
