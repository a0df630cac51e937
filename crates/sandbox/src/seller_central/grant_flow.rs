//! Steps ③–⑤ of the guide: developer name + ID, consent with two checkboxes, and the completion
//! page that shows Seller ID, Marketplace ID and MWS Auth Token once.
//!
//! The flow's state lives in the session; the developer chosen in step ③ is checked again by
//! the world when step ④ grants access.

use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::SignedIn;
use super::fields::{DeveloperId, MAX_DEVELOPER_NAME_CHARS, Name};
use super::lang::Chrome;
use super::messages::{self, Refusal};
use super::session::{Completion, PendingGrant};
use super::views::{AccountBar, CompletePage, ConsentPage, DeveloperPage, MessagePage};
use super::{grants, page, paths, signed_out_stale};
use crate::AppState;
use crate::world::{self, World};

/// Form of step ③.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DeveloperForm {
    csrf: Option<String>,
    developer_name: String,
    developer_id: String,
}

/// Form of step ④. A checkbox is present only when ticked.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ConsentForm {
    csrf: Option<String>,
    accept_catalog: Option<String>,
    accept_responsibility: Option<String>,
}

/// Who is signed in, as the grant-flow pages greet them.
struct Seller {
    account: AccountBar,
    greeting: String,
}

/// `GET /gp/mws/registration/developer.html` (step ③).
pub(crate) async fn developer_form(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
) -> Response {
    let Some(seller) = seller(&world::lock(&state.world), &signed_in, &chrome) else {
        return signed_out_stale(signed_in);
    };
    developer_page(
        &signed_in,
        chrome,
        seller,
        "",
        "",
        Vec::new(),
        StatusCode::OK,
    )
}

/// `POST /gp/mws/registration/developer.html`: checks the name/ID pair against the registered
/// developers and moves on to consent.
pub(crate) async fn developer_submit(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<DeveloperForm>,
) -> Response {
    let lang = chrome.lang;
    let (seller, checked) = {
        let world = world::lock(&state.world);
        let Some(seller) = seller(&world, &signed_in, &chrome) else {
            drop(world);
            return signed_out_stale(signed_in);
        };
        if !signed_in.csrf_ok(form.csrf.as_deref()) {
            drop(world);
            return expired_form(chrome, seller.account);
        }
        let name = Name::parse(
            "developer name",
            MAX_DEVELOPER_NAME_CHARS,
            &form.developer_name,
        );
        let id = DeveloperId::parse(&form.developer_id);
        let checked = match (name, id) {
            (Ok(name), Ok(id)) => check_developer(&world, &signed_in.seller_id, &name, &id)
                .map(|registered_name| PendingGrant {
                    developer_id: id,
                    typed_name: name.as_str().to_owned(),
                    registered_name,
                })
                .map_err(|refusal| vec![refusal.text(lang)]),
            (name, id) => {
                let mut errors = Vec::new();
                if let Err(error) = name {
                    errors.push(messages::name_error(
                        &error,
                        chrome.t.developer_name_label,
                        lang,
                    ));
                }
                if let Err(error) = id {
                    errors.push(messages::developer_id_error(&error, lang).to_owned());
                }
                Err(errors)
            }
        };
        (seller, checked)
    };
    match checked {
        Ok(pending) => {
            signed_in.session(|session| {
                session.pending_grant = Some(pending);
                session.completion = None;
            });
            page::see_other(paths::CONSENT)
        }
        Err(errors) => developer_page(
            &signed_in,
            chrome,
            seller,
            &form.developer_name,
            &form.developer_id,
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}

/// `GET /gp/mws/registration/consent.html` (step ④).
pub(crate) async fn consent_form(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
) -> Response {
    let Some(pending) = signed_in
        .session(|session| session.pending_grant.clone())
        .flatten()
    else {
        return page::see_other(paths::DEVELOPER);
    };
    let Some(seller) = seller(&world::lock(&state.world), &signed_in, &chrome) else {
        return signed_out_stale(signed_in);
    };
    consent_page(&signed_in, chrome, seller, &pending, None, (false, false))
}

/// `POST /gp/mws/registration/consent.html`: with both boxes ticked, grants access and goes to
/// the completion page.
pub(crate) async fn consent_submit(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ConsentForm>,
) -> Response {
    let Some(pending) = signed_in
        .session(|session| session.pending_grant.clone())
        .flatten()
    else {
        return page::see_other(paths::DEVELOPER);
    };
    let ticked = (
        form.accept_catalog.as_deref().is_some_and(is_ticked),
        form.accept_responsibility.as_deref().is_some_and(is_ticked),
    );
    let (seller, granted) = {
        let mut world = world::lock(&state.world);
        let Some(seller) = seller(&world, &signed_in, &chrome) else {
            drop(world);
            return signed_out_stale(signed_in);
        };
        if !signed_in.csrf_ok(form.csrf.as_deref()) {
            drop(world);
            return expired_form(chrome, seller.account);
        }
        if ticked != (true, true) {
            drop(world);
            let error = Some(messages::consent_unticked(chrome.lang).to_owned());
            return consent_page(&signed_in, chrome, seller, &pending, error, ticked);
        }
        let granted = world
            .grant_access(
                &signed_in.seller_id,
                &pending.typed_name,
                pending.developer_id.digits(),
            )
            .map_err(|error| Refusal::from(&error));
        (seller, granted)
    };
    match granted {
        Ok(_) => {
            tracing::info!(
                seller.id = %signed_in.seller_id,
                developer.id = %pending.developer_id.digits(),
                "seller central granted developer access"
            );
            signed_in.session(|session| {
                session.pending_grant = None;
                session.completion = Some(Completion {
                    developer_id: pending.developer_id.clone(),
                    shown: false,
                });
            });
            page::see_other(paths::COMPLETE)
        }
        Err(refusal) => {
            signed_in.session(|session| session.pending_grant = None);
            let typed_id = pending.developer_id.dashed();
            let lang = chrome.lang;
            developer_page(
                &signed_in,
                chrome,
                seller,
                &pending.typed_name,
                &typed_id,
                vec![refusal.text(lang)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// `GET /gp/mws/registration/complete.html` (step ⑤): the credentials, shown once.
pub(crate) async fn complete(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
) -> Response {
    // Take the one showing before reading the world, so two quick reloads cannot both see it.
    let completion = signed_in
        .session(|session| {
            let completion = session.completion.clone();
            if let Some(current) = session.completion.as_mut() {
                current.shown = true;
            }
            completion
        })
        .flatten();
    let Some(completion) = completion else {
        return page::see_other(paths::HOME);
    };
    let built = {
        let world = world::lock(&state.world);
        let Some(seller_account) = world.seller(&signed_in.seller_id) else {
            drop(world);
            return signed_out_stale(signed_in);
        };
        let account = signed_in.account_bar(&seller_account.display_name);
        let details = grants::current(
            &world,
            &signed_in.seller_id,
            completion.developer_id.digits(),
        )
        .map(|grant| {
            let developer = world.developer(&grant.developer_id).map_or_else(
                || grant.nickname.clone(),
                |developer| developer.name.clone(),
            );
            (developer, grants::credentials(seller_account, grant))
        });
        (account, details)
    };
    match built {
        (account, Some((developer, credentials))) if !completion.shown => page::render(
            StatusCode::OK,
            &CompletePage {
                access_text: messages::complete_access(&developer, chrome.lang),
                chrome,
                account: Some(account),
                credentials,
            },
        ),
        (account, Some(_)) => page::render(
            StatusCode::OK,
            &MessagePage {
                title: chrome.t.already_shown_title,
                message: chrome.t.already_shown.to_owned(),
                chrome,
                account: Some(account),
                error: false,
                back_link: true,
            },
        ),
        (account, None) => {
            // Revoked between step ④ and this page.
            let message = Refusal::NoAuthorization.text(chrome.lang);
            page::render(
                StatusCode::NOT_FOUND,
                &MessagePage {
                    title: chrome.t.not_found_title,
                    chrome,
                    account: Some(account),
                    message,
                    error: true,
                    back_link: true,
                },
            )
        }
    }
}

/// Step ③'s checks: a registered developer with this ID whose name matches, and no current
/// authorization for it yet. Returns the developer's registered name.
fn check_developer(
    world: &World,
    seller_id: &str,
    name: &Name,
    id: &DeveloperId,
) -> Result<String, Refusal> {
    let developer = world
        .developer(id.digits())
        .filter(|developer| grants::names_match(&developer.name, name.as_str()))
        .ok_or(Refusal::NoMatchingDeveloper)?;
    if grants::current(world, seller_id, id.digits()).is_some() {
        return Err(Refusal::AlreadyGranted);
    }
    Ok(developer.name.clone())
}

fn is_ticked(value: &str) -> bool {
    !value.trim().is_empty()
}

fn seller(world: &World, signed_in: &SignedIn, chrome: &Chrome) -> Option<Seller> {
    world.seller(&signed_in.seller_id).map(|seller| Seller {
        account: signed_in.account_bar(&seller.display_name),
        greeting: messages::greeting(&seller.display_name, &seller.email, chrome.lang),
    })
}

fn developer_page(
    signed_in: &SignedIn,
    chrome: Chrome,
    seller: Seller,
    developer_name: &str,
    developer_id: &str,
    errors: Vec<String>,
    status: StatusCode,
) -> Response {
    page::render(
        status,
        &DeveloperPage {
            chrome,
            account: Some(seller.account),
            csrf: signed_in.csrf(),
            greeting: seller.greeting,
            developer_name: developer_name.to_owned(),
            developer_id: developer_id.to_owned(),
            errors,
        },
    )
}

fn consent_page(
    signed_in: &SignedIn,
    chrome: Chrome,
    seller: Seller,
    pending: &PendingGrant,
    error: Option<String>,
    (catalog_checked, responsibility_checked): (bool, bool),
) -> Response {
    let lang = chrome.lang;
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page::render(
        status,
        &ConsentPage {
            chrome,
            account: Some(seller.account),
            csrf: signed_in.csrf(),
            greeting: seller.greeting,
            developer_name: pending.registered_name.clone(),
            developer_id_dashed: pending.developer_id.dashed(),
            lead: messages::consent_lead(&pending.registered_name, lang),
            responsibility: messages::consent_responsibility(&pending.registered_name, lang),
            error,
            catalog_checked,
            responsibility_checked,
        },
    )
}

fn expired_form(chrome: Chrome, account: AccountBar) -> Response {
    page::render(
        StatusCode::FORBIDDEN,
        &MessagePage {
            title: chrome.t.error_title,
            message: chrome.t.form_expired.to_owned(),
            chrome,
            account: Some(account),
            error: true,
            back_link: true,
        },
    )
}
