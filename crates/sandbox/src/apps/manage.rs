//! *Manage Your Apps*: one row per authorized app with its status (Active / Expired / Revoked),
//! authorization date and expiration date (JST), a warning when fewer than 30 days remain, and
//! the actions Re-authorize and Revoke (with a confirm step).
//!
//! Re-authorize sends the browser to the app's log-in URI with `amazon_callback_uri` (this
//! sandbox's `/apps/authorize/confirm/{application_id}`), a fresh `amazon_state`,
//! `selling_partner_id` and, for a draft app, `version=beta`.

use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::http::{Extensions, HeaderMap};
use axum::response::Response;
use serde::Deserialize;

use super::context;
use super::links;
use super::paths;
use super::texts::{self, RequestProblem};
use super::views::{AppRow, ManagePage, RevokePage};
use crate::AppState;
use crate::jst;
use crate::lwa::{AppStage, AuthorizationStatus};
use crate::seller_central::auth::SignedIn;
use crate::seller_central::lang::Chrome;
use crate::seller_central::page;
use crate::world::lock;

/// `?done=revoked` after a revocation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ManageQuery {
    done: Option<String>,
}

/// `?application_id=` of the revoke confirmation.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AppQuery {
    application_id: String,
}

/// The form of Re-authorize and Revoke.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ActionForm {
    csrf: Option<String>,
    application_id: String,
    confirm: Option<String>,
}

/// `GET /apps/manage`.
pub(crate) async fn manage_page(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<ManageQuery>,
) -> Response {
    let a = texts::texts(chrome.lang);
    let built = {
        let world = lock(&state.world);
        let now = world.now();
        context::seller(&world, &signed_in).map(|(_, bar)| {
            let rows: Vec<AppRow> = world
                .lwa()
                .authorizations_for_seller(&signed_in.seller_id)
                .into_iter()
                .map(|auth| {
                    let app = world.lwa().app(&auth.application_id);
                    let status = auth.status(now);
                    let (status_label, status_class) = match status {
                        AuthorizationStatus::Active => (a.status_active, "active"),
                        AuthorizationStatus::Expired => (a.status_expired, "expired"),
                        AuthorizationStatus::Revoked => (a.status_revoked, "revoked"),
                    };
                    AppRow {
                        application_id: auth.application_id.clone(),
                        name: app
                            .map_or_else(|| auth.application_id.clone(), |app| app.name.clone()),
                        developer: app
                            .map(|app| app.developer_name.clone())
                            .unwrap_or_default(),
                        status_label,
                        status_class,
                        authorized_on: jst::date_of(auth.authorized_at).to_string(),
                        expires_on: jst::date_of(auth.expires_at).to_string(),
                        warning: auth
                            .expires_soon(now)
                            .then(|| texts::expiry_warning(auth.days_left(now), chrome.lang)),
                        can_revoke: status != AuthorizationStatus::Revoked,
                    }
                })
                .collect();
            let targets: Vec<String> = rows
                .iter()
                .filter_map(|row| world.lwa().app(&row.application_id))
                .filter_map(|app| app.login_uri.as_deref().and_then(links::origin_of))
                .collect();
            (bar, rows, targets)
        })
    };
    let Some((bar, rows, targets)) = built else {
        return context::stale(signed_in);
    };
    let notice = (query.done.as_deref() == Some("revoked")).then(|| a.revoked_notice.to_owned());
    let mut response = page::render(
        StatusCode::OK,
        &ManagePage {
            a,
            account: Some(bar),
            csrf: signed_in.csrf(),
            notice,
            rows,
            chrome,
        },
    );
    links::allow_form_targets(&mut response, &targets);
    response
}

/// `POST /apps/manage/reauthorize`: off to the app's log-in URI.
pub(crate) async fn reauthorize(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    headers: HeaderMap,
    extensions: Extensions,
    Form(form): Form<ActionForm>,
) -> Response {
    let outcome = {
        let mut world = lock(&state.world);
        let now = world.now();
        match context::seller(&world, &signed_in) {
            None => None,
            Some((_, bar)) => {
                let target = if !signed_in.csrf_ok(form.csrf.as_deref()) {
                    Err((StatusCode::FORBIDDEN, RequestProblem::FormExpired))
                } else if world
                    .lwa()
                    .authorization(&signed_in.seller_id, &form.application_id)
                    .is_none()
                {
                    Err((StatusCode::NOT_FOUND, RequestProblem::NotAuthorized))
                } else {
                    match world.lwa().app(&form.application_id).cloned() {
                        None => Err((StatusCode::NOT_FOUND, RequestProblem::UnknownApp)),
                        Some(app) => match app.login_uri.clone() {
                            None => Err((StatusCode::BAD_REQUEST, RequestProblem::NoLoginUri)),
                            Some(login_uri) => {
                                let amazon_state = world.lwa_mut().issue_amazon_state(
                                    &signed_in.seller_id,
                                    &app.application_id,
                                    now,
                                );
                                Ok((login_uri, app, amazon_state))
                            }
                        },
                    }
                };
                Some((bar, target))
            }
        }
    };
    match outcome {
        None => context::stale(signed_in),
        Some((bar, Err((status, problem)))) => context::refusal(chrome, Some(bar), status, problem),
        Some((_, Ok((login_uri, app, amazon_state)))) => {
            let callback = format!(
                "{}{}{}",
                links::origin(&headers, &extensions),
                paths::CONFIRM_PREFIX,
                app.application_id
            );
            let mut pairs = vec![
                ("amazon_callback_uri", callback.as_str()),
                ("amazon_state", amazon_state.as_str()),
                ("selling_partner_id", signed_in.seller_id.as_str()),
            ];
            if app.stage == AppStage::Draft {
                pairs.push(("version", "beta"));
            }
            let location = links::with_query(&login_uri, &pairs);
            let mut response = page::see_other(&location);
            *response.status_mut() = StatusCode::FOUND;
            response
        }
    }
}

/// `GET /apps/manage/revoke?application_id=`: the confirmation.
pub(crate) async fn revoke_confirm(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<AppQuery>,
) -> Response {
    let built = {
        let world = lock(&state.world);
        context::seller(&world, &signed_in).map(|(_, bar)| {
            let name = world
                .lwa()
                .authorization(&signed_in.seller_id, &query.application_id)
                .and_then(|_| world.lwa().app(&query.application_id))
                .map(|app| app.name.clone());
            (bar, name)
        })
    };
    let Some((bar, name)) = built else {
        return context::stale(signed_in);
    };
    let Some(name) = name else {
        return context::refusal(
            chrome,
            Some(bar),
            StatusCode::NOT_FOUND,
            RequestProblem::NotAuthorized,
        );
    };
    let a = texts::texts(chrome.lang);
    let question = texts::revoke_question(&name, chrome.lang);
    page::render(
        StatusCode::OK,
        &RevokePage {
            a,
            account: Some(bar),
            csrf: signed_in.csrf(),
            question,
            application_id: query.application_id,
            chrome,
        },
    )
}

/// `POST /apps/manage/revoke` with `confirm=yes`: revokes; without it, back to the confirmation.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    let outcome = {
        let mut world = lock(&state.world);
        let now = world.now();
        context::seller(&world, &signed_in).map(|(_, bar)| {
            let result = if !signed_in.csrf_ok(form.csrf.as_deref()) {
                Err((StatusCode::FORBIDDEN, RequestProblem::FormExpired))
            } else if form.confirm.as_deref() != Some("yes") {
                Ok(false)
            } else {
                world
                    .lwa_mut()
                    .revoke(&signed_in.seller_id, &form.application_id, now)
                    .map(|_| true)
                    .map_err(|_| (StatusCode::NOT_FOUND, RequestProblem::NotAuthorized))
            };
            (bar, result)
        })
    };
    match outcome {
        None => context::stale(signed_in),
        Some((bar, Err((status, problem)))) => context::refusal(chrome, Some(bar), status, problem),
        Some((_, Ok(false))) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("application_id", &form.application_id)
                .finish();
            page::see_other(&format!("{}?{query}", paths::REVOKE))
        }
        Some((_, Ok(true))) => page::see_other(&format!("{}?done=revoked", paths::MANAGE)),
    }
}
