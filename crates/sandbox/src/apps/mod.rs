//! Seller Central's SP-API pages: the OAuth consent page (website authorization workflow), its
//! Appstore / re-authorization continuation, and *Manage Your Apps*
//! (`docs/amazon/SP-API.md#authorization-workflows`).
//!
//! They reuse the Seller Central machinery of [`crate::seller_central`]: the same sign-in,
//! session cookie and CSRF token, the ja/en switch and the page frame.
//!
//! | route | page |
//! | --- | --- |
//! | `GET /apps/authorize/consent?application_id&state[&version=beta][&redirect_uri]` | the consent page (sign-in first) |
//! | `POST /apps/authorize/consent` | Confirm → `302` to the redirect URI with `state`, `selling_partner_id`, `spapi_oauth_code`; Cancel → a page, no code |
//! | `GET /apps/authorize/confirm/{application_id}?amazon_state&state[&redirect_uri][&version=beta]` | the continuation from the app's log-in URI → `302` to the redirect URI with a code |
//! | `GET /apps/manage` | Manage Your Apps |
//! | `POST /apps/manage/reauthorize` | `302` to the app's log-in URI with `amazon_callback_uri`, `amazon_state`, `selling_partner_id` |
//! | `GET/POST /apps/manage/revoke` | revoke, with a confirm step |

mod consent;
mod context;
mod links;
mod manage;
mod texts;
mod views;

use axum::routing::{get, post};
use axum::{Extension, Router, middleware};

use crate::AppState;
use crate::seller_central::Sessions;

/// The paths of the app pages.
pub mod paths {
    /// The OAuth authorization URI (consent page).
    pub const CONSENT: &str = "/apps/authorize/consent";
    /// The continuation after the app's log-in URI; `/{application_id}` follows.
    pub const CONFIRM_PREFIX: &str = "/apps/authorize/confirm/";
    /// Manage Your Apps.
    pub const MANAGE: &str = "/apps/manage";
    /// Re-authorize (POST).
    pub const REAUTHORIZE: &str = "/apps/manage/reauthorize";
    /// Revoke (GET: confirmation, POST: revoke).
    pub const REVOKE: &str = "/apps/manage/revoke";
}

/// The app pages, sharing `sessions` with the Seller Central router (so one sign-in serves both).
pub fn router(sessions: Sessions) -> Router<AppState> {
    Router::new()
        .route(
            paths::CONSENT,
            get(consent::consent_page).post(consent::consent_submit),
        )
        .route(
            "/apps/authorize/confirm/{application_id}",
            get(consent::confirm),
        )
        .route(paths::MANAGE, get(manage::manage_page))
        .route(paths::REAUTHORIZE, post(manage::reauthorize))
        .route(
            paths::REVOKE,
            get(manage::revoke_confirm).post(manage::revoke),
        )
        .layer(middleware::from_fn(crate::seller_central::lang::negotiate))
        .layer(Extension(sessions))
}
