//! Login with Amazon (LWA) as the SP-API uses it: registered apps with their client IDs and
//! rotating client secrets, sellers' authorizations of apps (365 days), one-time authorization
//! codes, refresh and access tokens, and the token endpoint `POST /auth/o2/token`.
//!
//! The state lives in one [`LwaRegistry`] inside the [`World`](crate::world::World), on the
//! sandbox clock. The rules (`docs/amazon/SP-API.md#login-with-amazon-tokens`,
//! `docs/amazon/SP-API.md#the-365-day-re-authorization`):
//!
//! * an app's client secret expires 180 days after it was created; rotating keeps the previous
//!   secret working for [`apps::ROTATION_GRACE`] (7 days, a sandbox choice: Amazon does not say);
//! * a seller's authorization lasts 365 days from the last (re)authorization; revoking or
//!   letting it lapse kills every refresh token and access token issued under it;
//! * re-authorizing an *active* authorization extends it and keeps its older refresh tokens
//!   working; re-authorizing a *lapsed or revoked* one starts afresh, so tokens that already
//!   failed with `invalid_grant` never come back;
//! * `spapi_oauth_code`s are single use, valid 5 minutes, bound to the app, the redirect URI and
//!   the seller; access tokens (`Atza|…`) live 3600 s.

pub mod apps;
pub mod authorizations;
pub mod credentials;
pub mod demo;
pub mod errors;
pub mod registry;
pub mod token_endpoint;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::post;

pub use apps::{App, AppStage, ClientSecret, NewApp, SpApiAppError};
pub use authorizations::{AuthorizationStatus, SpApiAuthorization};
pub use registry::{LwaRegistry, TokenDenial};

use crate::AppState;

/// The token endpoint's path (Amazon: `https://api.amazon.com/auth/o2/token`).
pub const TOKEN_PATH: &str = "/auth/o2/token";

/// The LWA route, to be merged into the sandbox's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(TOKEN_PATH, post(token_endpoint::token))
        .layer(DefaultBodyLimit::max(64 * 1024))
}
