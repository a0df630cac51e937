//! The OAuth consent page and the continuation from an app's log-in URI.
//!
//! Confirming makes (or renews) the seller's authorization and issues a one-time
//! `spapi_oauth_code` bound to the app, the redirect URI and the seller; the browser then goes
//! to the redirect URI with `state` (unchanged), `selling_partner_id` and `spapi_oauth_code`.

use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::context::{self, AuthRequest, CheckedRequest};
use super::links;
use super::texts::{self, RequestProblem};
use super::views::ConsentPage;
use crate::AppState;
use crate::lwa::AppStage;
use crate::lwa::registry::StateFailure;
use crate::seller_central::auth::SignedIn;
use crate::seller_central::lang::Chrome;
use crate::seller_central::page;
use crate::world::lock;

/// The consent form: the request's parameters, the CSRF token and the button pressed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ConsentForm {
    csrf: Option<String>,
    decision: Option<String>,
    application_id: Option<String>,
    state: Option<String>,
    redirect_uri: Option<String>,
    version: Option<String>,
}

impl ConsentForm {
    fn request(&self) -> AuthRequest {
        AuthRequest {
            application_id: self.application_id.clone(),
            state: self.state.clone(),
            redirect_uri: self.redirect_uri.clone(),
            version: self.version.clone(),
        }
    }
}

/// `302 Found` to `location` with `Referrer-Policy: no-referrer` (the URL carries a code).
fn found(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    let headers = response.headers_mut();
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    response
}

/// Issues the code for a checked request and sends the browser to the redirect URI.
fn redirect_with_code(state: &AppState, seller_id: &str, checked: &CheckedRequest) -> Response {
    let code = {
        let mut world = lock(&state.world);
        let now = world.now();
        world.lwa_mut().authorize_with_code(
            seller_id,
            &checked.app.application_id,
            &checked.redirect_uri,
            now,
        )
    };
    match code {
        Ok(code) => found(&links::with_query(
            &checked.redirect_uri,
            &[
                ("state", &checked.state),
                ("selling_partner_id", seller_id),
                ("spapi_oauth_code", &code),
            ],
        )),
        Err(_) => page::internal_error(),
    }
}

/// `GET /apps/authorize/consent`.
pub(crate) async fn consent_page(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(request): Query<AuthRequest>,
) -> Response {
    let built = {
        let world = lock(&state.world);
        context::seller(&world, &signed_in)
            .map(|(seller, bar)| (seller, bar, context::check_request(&world, &request, None)))
    };
    let Some((seller, bar, checked)) = built else {
        return context::stale(signed_in);
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err((status, problem)) => return context::refusal(chrome, Some(bar), status, problem),
    };
    let a = texts::texts(chrome.lang);
    let intro = texts::consent_intro(&checked.app.name, chrome.lang);
    let page = ConsentPage {
        a,
        account: Some(bar),
        csrf: signed_in.csrf(),
        intro,
        app_name: checked.app.name.clone(),
        developer_name: checked.app.developer_name.clone(),
        roles: checked.app.roles.clone(),
        seller_name: seller.display_name.clone(),
        seller_id: seller.seller_id.clone(),
        draft: checked.beta && checked.app.stage == AppStage::Draft,
        application_id: checked.app.application_id.clone(),
        state: checked.state.clone(),
        redirect_uri: checked.redirect_uri.clone(),
        version: if checked.beta {
            "beta".to_owned()
        } else {
            String::new()
        },
        chrome,
    };
    let mut response = page::render(StatusCode::OK, &page);
    let targets: Vec<String> = links::origin_of(&checked.redirect_uri)
        .into_iter()
        .collect();
    links::allow_form_targets(&mut response, &targets);
    response
}

/// `POST /apps/authorize/consent`: Confirm or Cancel.
pub(crate) async fn consent_submit(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ConsentForm>,
) -> Response {
    let built = {
        let world = lock(&state.world);
        context::seller(&world, &signed_in)
            .map(|(_, bar)| (bar, context::check_request(&world, &form.request(), None)))
    };
    let Some((bar, checked)) = built else {
        return context::stale(signed_in);
    };
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        return context::refusal(
            chrome,
            Some(bar),
            StatusCode::FORBIDDEN,
            RequestProblem::FormExpired,
        );
    }
    let checked = match checked {
        Ok(checked) => checked,
        Err((status, problem)) => return context::refusal(chrome, Some(bar), status, problem),
    };
    if form.decision.as_deref() != Some("confirm") {
        let a = texts::texts(chrome.lang);
        return context::message(
            chrome,
            Some(bar),
            StatusCode::OK,
            a.cancelled_title,
            a.cancelled_text.to_owned(),
            false,
        );
    }
    redirect_with_code(&state, &signed_in.seller_id, &checked)
}

/// The continuation's query: the request plus `amazon_state`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ConfirmQuery {
    amazon_state: Option<String>,
    state: Option<String>,
    redirect_uri: Option<String>,
    version: Option<String>,
}

impl ConfirmQuery {
    fn request(&self) -> AuthRequest {
        AuthRequest {
            application_id: None,
            state: self.state.clone(),
            redirect_uri: self.redirect_uri.clone(),
            version: self.version.clone(),
        }
    }
}

/// `GET /apps/authorize/confirm/{application_id}`: the app sends the seller back here from its
/// log-in URI with the `amazon_state` the sandbox issued; consent was given before, so a valid
/// request goes straight on to the redirect URI with a new code.
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Path(application_id): Path<String>,
    Query(query): Query<ConfirmQuery>,
) -> Response {
    let outcome = {
        let mut world = lock(&state.world);
        let now = world.now();
        match context::seller(&world, &signed_in) {
            None => None,
            Some((_, bar)) => {
                let checked =
                    context::check_request(&world, &query.request(), Some(&application_id))
                        .and_then(|checked| {
                            let amazon_state = query
                                .amazon_state
                                .as_deref()
                                .filter(|s| !s.is_empty())
                                .ok_or((
                                    StatusCode::BAD_REQUEST,
                                    RequestProblem::InvalidAmazonState,
                                ))?;
                            world
                                .lwa_mut()
                                .take_amazon_state(
                                    amazon_state,
                                    &signed_in.seller_id,
                                    &application_id,
                                    now,
                                )
                                .map_err(|failure| {
                                    let problem = match failure {
                                        StateFailure::Invalid => RequestProblem::InvalidAmazonState,
                                        StateFailure::Expired => RequestProblem::ExpiredAmazonState,
                                    };
                                    (StatusCode::BAD_REQUEST, problem)
                                })?;
                            Ok(checked)
                        });
                Some((bar, checked))
            }
        }
    };
    match outcome {
        None => context::stale(signed_in),
        Some((bar, Err((status, problem)))) => context::refusal(chrome, Some(bar), status, problem),
        Some((_, Ok(checked))) => redirect_with_code(&state, &signed_in.seller_id, &checked),
    }
}
