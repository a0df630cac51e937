//! What every app page needs: the signed-in seller's header bar, refusal pages, and the checks
//! an authorization request (`application_id`, `state`, `version`, `redirect_uri`) must pass.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::texts::{self, RequestProblem};
use super::views::AppMessagePage;
use crate::lwa::{App, AppStage, SpApiAppError};
use crate::seller_central::auth::SignedIn;
use crate::seller_central::lang::Chrome;
use crate::seller_central::views::AccountBar;
use crate::seller_central::{cookies, page, paths as sc_paths};
use crate::world::{SellerAccount, World};

/// The parameters of an authorization request (query of the consent and confirm pages, and the
/// hidden fields of the consent form).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub(crate) struct AuthRequest {
    pub application_id: Option<String>,
    pub state: Option<String>,
    pub redirect_uri: Option<String>,
    pub version: Option<String>,
}

/// A request that passed the checks.
#[derive(Debug, Clone)]
pub(crate) struct CheckedRequest {
    pub app: App,
    pub state: String,
    pub redirect_uri: String,
    /// `version=beta` was given.
    pub beta: bool,
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks an authorization request against the world's apps.
pub(crate) fn check_request(
    world: &World,
    request: &AuthRequest,
    application_id: Option<&str>,
) -> Result<CheckedRequest, (StatusCode, RequestProblem)> {
    let bad = |problem| (StatusCode::BAD_REQUEST, problem);
    let id = application_id
        .or(non_empty(&request.application_id))
        .ok_or(bad(RequestProblem::MissingApplicationId))?;
    let app = world
        .lwa()
        .app(id)
        .cloned()
        .ok_or((StatusCode::NOT_FOUND, RequestProblem::UnknownApp))?;
    let beta = match non_empty(&request.version) {
        None => false,
        Some("beta") => true,
        Some(_) => return Err(bad(RequestProblem::BadVersion)),
    };
    if app.stage == AppStage::Draft && !beta {
        return Err(bad(RequestProblem::DraftWithoutBeta));
    }
    let redirect_uri = app
        .resolve_redirect_uri(non_empty(&request.redirect_uri))
        .map_err(|e| match e {
            SpApiAppError::NoRedirectUri => bad(RequestProblem::NoRedirect),
            _ => bad(RequestProblem::UnregisteredRedirect),
        })?;
    let state = non_empty(&request.state)
        .ok_or(bad(RequestProblem::MissingState))?
        .to_owned();
    Ok(CheckedRequest {
        app,
        state,
        redirect_uri,
        beta,
    })
}

/// The signed-in seller's account and header bar, if the account still exists.
pub(crate) fn seller(world: &World, signed_in: &SignedIn) -> Option<(SellerAccount, AccountBar)> {
    world.seller(&signed_in.seller_id).map(|s| {
        let bar = signed_in.account_bar(&s.display_name);
        (s.clone(), bar)
    })
}

/// The session names a seller the world no longer has: end it and start over at sign-in.
pub(crate) fn stale(signed_in: SignedIn) -> Response {
    signed_in.end();
    let mut response = page::see_other(sc_paths::SIGNIN);
    cookies::clear_session(&mut response);
    response
}

/// A page with one message.
pub(crate) fn message(
    chrome: Chrome,
    account: Option<AccountBar>,
    status: StatusCode,
    title: &'static str,
    message: String,
    error: bool,
) -> Response {
    let a = texts::texts(chrome.lang);
    page::render(
        status,
        &AppMessagePage {
            chrome,
            account,
            a,
            title,
            message,
            error,
        },
    )
}

/// The refusal page for `problem`.
pub(crate) fn refusal(
    chrome: Chrome,
    account: Option<AccountBar>,
    status: StatusCode,
    problem: RequestProblem,
) -> Response {
    let a = texts::texts(chrome.lang);
    let text = problem.text(chrome.lang).to_owned();
    message(chrome, account, status, a.error_title, text, true)
}
