//! Seller Central JP, as the customer guide shows it: sign-in, User Permissions → Amazon MWS
//! Developer Permissions, and the developer-access grant flow (steps ③–⑤).
//!
//! Server-rendered HTML (askama templates in `templates/seller_central/`), Japanese by default,
//! English with `?lang=en` (remembered in the `sc-lang` cookie). No JavaScript. Every state change
//! is a `POST` carrying the session's CSRF token. The lifecycle rules R1–R5 are enforced by the
//! [`World`](crate::world::World); these pages call it and report its answers in ja/en.
//!
//! Routes (all from [`router`]):
//!
//! | route | page |
//! | --- | --- |
//! | `GET/POST /ap/signin`, `POST /ap/signout` | sign-in with e-mail or phone + password |
//! | `GET /gp/mws/registration/register.html` | the guide's entry URL: sign-in, then the permissions page |
//! | `GET /gp/account-manager/home.html` | User Permissions with the MWS developer permissions table |
//! | `GET/POST /gp/mws/registration/developer.html` | step ③: developer name + developer ID |
//! | `GET/POST /gp/mws/registration/consent.html` | step ④: the two required checkboxes |
//! | `GET /gp/mws/registration/complete.html` | step ⑤: Seller ID, Marketplace ID, MWS Auth Token, once |
//! | `GET /gp/mws/registration/view.html?developer_id=…` | "View": the three values again |
//! | `POST /gp/mws/permissions/approve.html`, `…/restore.html` | approve (R2), restore (R3) |
//! | `GET/POST /gp/mws/permissions/revoke.html` | revoke, with a confirm step |
//! | `GET/POST /gp/mws/permissions/enable-expiry.html` | enable the expiry feature (R5), with a confirm step |
//! | `GET/POST /gp/mws/permissions/nickname.html` | edit the developer nickname |

mod actions;
pub(crate) mod auth;
pub(crate) mod cookies;
mod fields;
mod grant_flow;
mod grants;
pub(crate) mod lang;
mod messages;
pub(crate) mod page;
mod permissions;
pub(crate) mod session;
mod signin;
mod texts;
pub(crate) mod views;

use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router, middleware};

pub use session::Sessions;

use crate::AppState;

/// The paths of the Seller Central pages.
pub mod paths {
    /// Sign-in (GET form, POST credentials).
    pub const SIGNIN: &str = "/ap/signin";
    /// Sign-out (POST).
    pub const SIGNOUT: &str = "/ap/signout";
    /// The guide's entry URL.
    pub const REGISTER: &str = "/gp/mws/registration/register.html";
    /// User Permissions with the MWS developer permissions table.
    pub const HOME: &str = "/gp/account-manager/home.html";
    /// Step ③.
    pub const DEVELOPER: &str = "/gp/mws/registration/developer.html";
    /// Step ④.
    pub const CONSENT: &str = "/gp/mws/registration/consent.html";
    /// Step ⑤.
    pub const COMPLETE: &str = "/gp/mws/registration/complete.html";
    /// "View" for a permissions row (`?developer_id=`).
    pub const VIEW: &str = "/gp/mws/registration/view.html";
    /// Approve access (renew).
    pub const APPROVE: &str = "/gp/mws/permissions/approve.html";
    /// Restore access after expiry.
    pub const RESTORE: &str = "/gp/mws/permissions/restore.html";
    /// Revoke (GET: confirmation, POST: revoke).
    pub const REVOKE: &str = "/gp/mws/permissions/revoke.html";
    /// Enable the expiry feature (GET: confirmation, POST: enable).
    pub const ENABLE_EXPIRY: &str = "/gp/mws/permissions/enable-expiry.html";
    /// Edit the developer nickname (GET: form, POST: save).
    pub const NICKNAME: &str = "/gp/mws/permissions/nickname.html";
}

/// The Seller Central pages, to be merged at `/` into the sandbox's router, on the session store `sessions` (which the
/// SP-API app pages share). Build the router once per sandbox and serve that one router on every listener (HTTP and
/// HTTPS) for sessions to be shared between them.
pub fn router_with_sessions(sessions: Sessions) -> Router<AppState> {
    Router::new()
        .route(paths::SIGNIN, get(signin::form).post(signin::submit))
        .route(paths::SIGNOUT, post(signin::signout))
        .route(paths::REGISTER, get(permissions::page))
        .route(paths::HOME, get(permissions::page))
        .route(
            paths::DEVELOPER,
            get(grant_flow::developer_form).post(grant_flow::developer_submit),
        )
        .route(
            paths::CONSENT,
            get(grant_flow::consent_form).post(grant_flow::consent_submit),
        )
        .route(paths::COMPLETE, get(grant_flow::complete))
        .route(paths::VIEW, get(permissions::view))
        .route(paths::APPROVE, post(actions::approve))
        .route(paths::RESTORE, post(actions::restore))
        .route(
            paths::REVOKE,
            get(actions::revoke_confirm).post(actions::revoke),
        )
        .route(
            paths::ENABLE_EXPIRY,
            get(actions::enable_expiry_confirm).post(actions::enable_expiry),
        )
        .route(
            paths::NICKNAME,
            get(actions::nickname_form).post(actions::nickname),
        )
        .layer(middleware::from_fn(lang::negotiate))
        .layer(Extension(sessions))
}

/// The session names a seller the world no longer has: end it and start over at sign-in.
fn signed_out_stale(signed_in: auth::SignedIn) -> Response {
    signed_in.end();
    let mut response = page::see_other(paths::SIGNIN);
    cookies::clear_session(&mut response);
    response
}
