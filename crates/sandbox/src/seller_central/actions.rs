//! The permissions-table actions: approve (renew, R2), restore (R3), revoke (with a confirm
//! step), enable the expiry feature (R5, irreversible, with a confirm step) and edit nickname.
//!
//! Every action is a CSRF-checked `POST`; the outcome is shown as a notice on the permissions
//! page. A refused action changes nothing (the world refuses it as a whole).

use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::auth::SignedIn;
use super::fields::{DeveloperId, MAX_NICKNAME_CHARS, Name};
use super::lang::Chrome;
use super::messages::{self, Notice, Refusal};
use super::permissions::DeveloperQuery;
use super::views::{AccountBar, ConfirmPage, MessagePage, NicknamePage};
use super::{grants, page, paths, signed_out_stale};
use crate::AppState;
use crate::world::{self, Grant, GrantError, World};

/// Form of every action.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ActionForm {
    csrf: Option<String>,
    developer_id: String,
    /// `yes` from a confirmation page.
    confirm: Option<String>,
    /// The new nickname (edit nickname only).
    nickname: String,
}

impl ActionForm {
    fn confirmed(&self) -> bool {
        self.confirm.as_deref() == Some("yes")
    }
}

/// `POST /gp/mws/permissions/approve.html` (アクセス権を承認): renew while access is valid.
pub(crate) async fn approve(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    apply(&state, chrome, &signed_in, &form, approve_access)
}

/// `POST /gp/mws/permissions/restore.html` (アクセス権の復元): restore after expiry.
pub(crate) async fn restore(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    apply(&state, chrome, &signed_in, &form, restore_access)
}

/// `GET /gp/mws/permissions/revoke.html?developer_id=…`: the revoke confirmation.
pub(crate) async fn revoke_confirm(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<DeveloperQuery>,
) -> Response {
    confirm_page(
        &state,
        chrome,
        &signed_in,
        &query.developer_id,
        |chrome, grant| {
            Ok(ConfirmPage {
                chrome: chrome.clone(),
                account: None,
                csrf: String::new(),
                title: chrome.t.revoke_title,
                question: messages::revoke_question(
                    &grant.nickname,
                    &super::fields::dashed(&grant.developer_id),
                    chrome.lang,
                ),
                action: paths::REVOKE,
                developer_id: grant.developer_id.clone(),
                button: chrome.t.revoke_button,
                danger: true,
            })
        },
    )
}

/// `POST /gp/mws/permissions/revoke.html`: revokes (terminal for this authorization).
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    if !form.confirmed() && signed_in.csrf_ok(form.csrf.as_deref()) {
        return page::see_other(&with_developer(paths::REVOKE, &form.developer_id));
    }
    apply(&state, chrome, &signed_in, &form, revoke_access)
}

/// `GET /gp/mws/permissions/enable-expiry.html?developer_id=…`: the confirmation that says the
/// switch cannot be turned back.
pub(crate) async fn enable_expiry_confirm(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<DeveloperQuery>,
) -> Response {
    confirm_page(
        &state,
        chrome,
        &signed_in,
        &query.developer_id,
        |chrome, grant| {
            if grant.expiry_enabled {
                return Err(Refusal::ExpiryAlreadyEnabled);
            }
            Ok(ConfirmPage {
                chrome: chrome.clone(),
                account: None,
                csrf: String::new(),
                title: chrome.t.enable_expiry_title,
                question: messages::enable_expiry_question(
                    &grant.nickname,
                    grant.last_approved_on,
                    chrome.lang,
                ),
                action: paths::ENABLE_EXPIRY,
                developer_id: grant.developer_id.clone(),
                button: chrome.t.enable_expiry_button,
                danger: true,
            })
        },
    )
}

/// `POST /gp/mws/permissions/enable-expiry.html`: switches the expiry feature on for good.
pub(crate) async fn enable_expiry(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    if !form.confirmed() && signed_in.csrf_ok(form.csrf.as_deref()) {
        return page::see_other(&with_developer(paths::ENABLE_EXPIRY, &form.developer_id));
    }
    apply(&state, chrome, &signed_in, &form, switch_expiry_on)
}

/// `GET /gp/mws/permissions/nickname.html?developer_id=…`: the nickname form.
pub(crate) async fn nickname_form(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<DeveloperQuery>,
) -> Response {
    let found = {
        let world = world::lock(&state.world);
        let Some(account) = account(&world, &signed_in) else {
            drop(world);
            return signed_out_stale(signed_in);
        };
        let grant = DeveloperId::parse(&query.developer_id)
            .ok()
            .and_then(|id| grants::current(&world, &signed_in.seller_id, id.digits()))
            .map(|grant| (grant.developer_id.clone(), grant.nickname.clone()));
        grant.map(|grant| (account, grant))
    };
    let Some((account, (developer_id, nickname))) = found else {
        return refuse(&signed_in, Refusal::NoAuthorization);
    };
    page::render(
        StatusCode::OK,
        &NicknamePage {
            chrome,
            account: Some(account),
            csrf: signed_in.csrf(),
            developer_id_dashed: super::fields::dashed(&developer_id),
            developer_id,
            nickname,
            error: None,
        },
    )
}

/// `POST /gp/mws/permissions/nickname.html`: saves the nickname.
pub(crate) async fn nickname(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Form(form): Form<ActionForm>,
) -> Response {
    if signed_in.csrf_ok(form.csrf.as_deref())
        && let Err(error) = Name::parse("nickname", MAX_NICKNAME_CHARS, &form.nickname)
    {
        let message = messages::name_error(&error, chrome.t.nickname_label, chrome.lang);
        let account = account(&world::lock(&state.world), &signed_in);
        let developer_id = DeveloperId::parse(&form.developer_id)
            .map(|id| id.digits().to_owned())
            .unwrap_or_default();
        return page::render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &NicknamePage {
                chrome,
                account,
                csrf: signed_in.csrf(),
                developer_id_dashed: super::fields::dashed(&developer_id),
                developer_id,
                nickname: form.nickname.clone(),
                error: Some(message),
            },
        );
    }
    let nickname = form.nickname.trim().to_owned();
    let rename = |world: &mut World, seller_id: &str, developer_id: &str| {
        world
            .set_nickname(seller_id, developer_id, &nickname)
            .map(|grant| Notice::NicknameSaved {
                nickname: grant.nickname,
            })
    };
    apply(&state, chrome, &signed_in, &form, rename)
}

/// R2: renew while valid.
fn approve_access(
    world: &mut World,
    seller_id: &str,
    developer_id: &str,
) -> Result<Notice, GrantError> {
    world
        .approve_access(seller_id, developer_id)
        .map(|grant| Notice::Approved {
            nickname: grant.nickname,
            expires_on: grant.expires_on,
        })
}

/// R3: restore after expiry (same token).
fn restore_access(
    world: &mut World,
    seller_id: &str,
    developer_id: &str,
) -> Result<Notice, GrantError> {
    world
        .restore_access(seller_id, developer_id)
        .map(|grant| Notice::Restored {
            nickname: grant.nickname,
            expires_on: grant.expires_on,
        })
}

/// Revoke for good.
fn revoke_access(
    world: &mut World,
    seller_id: &str,
    developer_id: &str,
) -> Result<Notice, GrantError> {
    world
        .revoke_access(seller_id, developer_id)
        .map(|grant| Notice::Revoked {
            nickname: grant.nickname,
        })
}

/// R5: enable the expiry feature, irreversibly.
fn switch_expiry_on(
    world: &mut World,
    seller_id: &str,
    developer_id: &str,
) -> Result<Notice, GrantError> {
    world
        .enable_expiry(seller_id, developer_id)
        .map(|grant| Notice::ExpiryEnabled {
            nickname: grant.nickname,
            expires_on: grant.expires_on,
        })
}

/// Checks the CSRF token and the developer ID, runs `action` on the world and leaves its
/// outcome as the notice of the next permissions page.
fn apply(
    state: &AppState,
    chrome: Chrome,
    signed_in: &SignedIn,
    form: &ActionForm,
    action: impl FnOnce(&mut World, &str, &str) -> Result<Notice, GrantError>,
) -> Response {
    if !signed_in.csrf_ok(form.csrf.as_deref()) {
        return forbidden(state, chrome, signed_in);
    }
    let notice = match DeveloperId::parse(&form.developer_id) {
        Err(_) => Notice::Refused(Refusal::NoAuthorization),
        Ok(developer) => {
            let mut world = world::lock(&state.world);
            action(&mut world, &signed_in.seller_id, developer.digits())
                .unwrap_or_else(|error| Notice::Refused(Refusal::from(&error)))
        }
    };
    if let Notice::Refused(refusal) = &notice {
        tracing::info!(seller.id = %signed_in.seller_id, ?refusal, "seller central refused an action");
    }
    signed_in.session(|session| session.notice = Some(notice));
    page::see_other(paths::HOME)
}

/// Renders a confirmation page for the seller's current authorization of `developer_id`, or
/// goes back to the permissions page with a refusal.
fn confirm_page(
    state: &AppState,
    chrome: Chrome,
    signed_in: &SignedIn,
    developer_id: &str,
    build: impl FnOnce(&Chrome, &Grant) -> Result<ConfirmPage, Refusal>,
) -> Response {
    let built = {
        let world = world::lock(&state.world);
        let account = account(&world, signed_in);
        let grant = DeveloperId::parse(developer_id)
            .ok()
            .and_then(|id| grants::current(&world, &signed_in.seller_id, id.digits()));
        match grant {
            None => Err(Refusal::NoAuthorization),
            Some(grant) => build(&chrome, grant).map(|page| (account, page)),
        }
    };
    match built {
        Ok((account, mut confirm)) => {
            confirm.account = account;
            confirm.csrf = signed_in.csrf();
            page::render(StatusCode::OK, &confirm)
        }
        Err(refusal) => refuse(signed_in, refusal),
    }
}

fn refuse(signed_in: &SignedIn, refusal: Refusal) -> Response {
    signed_in.session(|session| session.notice = Some(Notice::Refused(refusal)));
    page::see_other(paths::HOME)
}

fn forbidden(state: &AppState, chrome: Chrome, signed_in: &SignedIn) -> Response {
    let account = account(&world::lock(&state.world), signed_in);
    page::render(
        StatusCode::FORBIDDEN,
        &MessagePage {
            title: chrome.t.error_title,
            message: chrome.t.form_expired.to_owned(),
            chrome,
            account,
            error: true,
            back_link: true,
        },
    )
}

fn account(world: &World, signed_in: &SignedIn) -> Option<AccountBar> {
    world
        .seller(&signed_in.seller_id)
        .map(|seller| signed_in.account_bar(&seller.display_name))
}

fn with_developer(path: &str, developer_id: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("developer_id", developer_id)
        .finish();
    format!("{path}?{query}")
}
