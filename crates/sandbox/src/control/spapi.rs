//! SP-API apps and authorizations: register apps and their redirect / log-in URIs, publish them,
//! rotate or expire client secrets; list, create (self-authorization), revoke and expire
//! sellers' authorizations, or issue an `spapi_oauth_code` without the pages. Secrets and tokens
//! are shown on purpose: this is test data.

use axum::Json;
use axum::extract::{Path, Query, State};

use crate::AppState;
use crate::control::{ControlError, ControlResult};
use crate::lwa::registry::AuthorizationMissing;
use crate::lwa::{App, AppStage, NewApp, SpApiAppError, SpApiAuthorization};
use crate::world::{World, lock};

/// One client secret.
#[derive(Debug, serde::Serialize)]
pub struct SecretView {
    /// The secret.
    pub client_secret: String,
    /// RFC 3339.
    pub created_at: String,
    /// Created + 180 days.
    pub expires_at: String,
    /// When it stops working (expiry, or the end of the grace after a rotation).
    pub valid_until: String,
    /// Whether it works now.
    pub valid: bool,
}

/// An app with its credentials.
#[derive(Debug, serde::Serialize)]
pub struct AppView {
    /// `amzn1.sellerapps.app.<uuid>`.
    pub application_id: String,
    /// Name.
    pub name: String,
    /// Developer.
    pub developer_name: String,
    /// LWA client ID.
    pub client_id: String,
    /// The newest client secret.
    pub client_secret: String,
    /// Every secret, oldest first.
    pub secrets: Vec<SecretView>,
    /// OAuth redirect URIs (the first is the default).
    pub redirect_uris: Vec<String>,
    /// Log-in URI.
    pub login_uri: Option<String>,
    /// `draft` or `published`.
    pub stage: AppStage,
    /// Roles.
    pub roles: Vec<String>,
    /// RFC 3339.
    pub registered_at: String,
}

/// Renders an app as seen at the world's now.
pub fn app_view(world: &World, app: &App) -> AppView {
    let now = world.now();
    AppView {
        application_id: app.application_id.clone(),
        name: app.name.clone(),
        developer_name: app.developer_name.clone(),
        client_id: app.client_id.clone(),
        client_secret: app
            .current_secret()
            .map(|s| s.expose().to_owned())
            .unwrap_or_default(),
        secrets: app
            .secrets
            .iter()
            .map(|s| SecretView {
                client_secret: s.expose().to_owned(),
                created_at: s.created_at.to_string(),
                expires_at: s.expires_at.to_string(),
                valid_until: s.valid_until().to_string(),
                valid: s.is_valid_at(now),
            })
            .collect(),
        redirect_uris: app.redirect_uris.clone(),
        login_uri: app.login_uri.clone(),
        stage: app.stage,
        roles: app.roles.clone(),
        registered_at: app.registered_at.to_string(),
    }
}

/// An authorization with its tokens.
#[derive(Debug, serde::Serialize)]
pub struct AuthorizationView {
    /// The seller.
    pub seller_id: String,
    /// The app.
    pub application_id: String,
    /// `active`, `expired` or `revoked` now.
    pub status: &'static str,
    /// RFC 3339.
    pub first_authorized_at: String,
    /// The last (re)authorization, RFC 3339.
    pub authorized_at: String,
    /// Authorized + 365 days, RFC 3339.
    pub expires_at: String,
    /// The expiration date as Manage Your Apps shows it (JST).
    pub expires_on_jst: String,
    /// RFC 3339, if revoked.
    pub revoked_at: Option<String>,
    /// Refresh tokens of the current period (the ones that work while it is active).
    pub refresh_tokens: Vec<String>,
    /// How many refresh tokens were ever issued.
    pub refresh_tokens_issued: usize,
}

fn authorization_view(world: &World, auth: &SpApiAuthorization) -> AuthorizationView {
    AuthorizationView {
        seller_id: auth.seller_id.clone(),
        application_id: auth.application_id.clone(),
        status: auth.status(world.now()).as_str(),
        first_authorized_at: auth.first_authorized_at.to_string(),
        authorized_at: auth.authorized_at.to_string(),
        expires_at: auth.expires_at.to_string(),
        expires_on_jst: crate::jst::date_of(auth.expires_at).to_string(),
        revoked_at: auth.revoked_at.map(|t| t.to_string()),
        refresh_tokens: auth
            .refresh_tokens
            .iter()
            .filter(|t| t.period == auth.period)
            .map(|t| t.token.clone())
            .collect(),
        refresh_tokens_issued: auth.refresh_tokens.len(),
    }
}

fn app_error(error: SpApiAppError) -> ControlError {
    match error {
        SpApiAppError::UnknownApp(_) => ControlError::not_found(error.to_string()),
        SpApiAppError::Duplicate(_) => ControlError::conflict(error.to_string()),
        _ => ControlError::bad_request(error.to_string()),
    }
}

pub(crate) async fn list_apps(State(state): State<AppState>) -> Json<Vec<AppView>> {
    let world = lock(&state.world);
    Json(
        world
            .lwa()
            .apps()
            .iter()
            .map(|a| app_view(&world, a))
            .collect(),
    )
}

pub(crate) async fn create_app(
    State(state): State<AppState>,
    Json(new): Json<NewApp>,
) -> ControlResult<AppView> {
    let mut world = lock(&state.world);
    let now = world.now();
    let app = world.lwa_mut().register_app(new, now).map_err(app_error)?;
    Ok(Json(app_view(&world, &app)))
}

pub(crate) async fn get_app(
    State(state): State<AppState>,
    Path(application_id): Path<String>,
) -> ControlResult<AppView> {
    let world = lock(&state.world);
    let app = world
        .lwa()
        .app(&application_id)
        .ok_or_else(|| app_error(SpApiAppError::UnknownApp(application_id.clone())))?;
    Ok(Json(app_view(&world, app)))
}

/// `POST /_sandbox/apps/{application_id}`: change what is given.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AppUpdate {
    /// Replaces every redirect URI.
    redirect_uris: Option<Vec<String>>,
    /// Appends redirect URIs (duplicates are skipped).
    add_redirect_uris: Vec<String>,
    /// Sets the log-in URI (`""` clears it).
    login_uri: Option<String>,
    /// `draft` or `published`.
    stage: Option<AppStage>,
}

pub(crate) async fn update_app(
    State(state): State<AppState>,
    Path(application_id): Path<String>,
    Json(update): Json<AppUpdate>,
) -> ControlResult<AppView> {
    let mut world = lock(&state.world);
    let lwa = world.lwa_mut();
    let mut app = lwa
        .app(&application_id)
        .cloned()
        .ok_or_else(|| app_error(SpApiAppError::UnknownApp(application_id.clone())))?;
    if update.redirect_uris.is_some() || !update.add_redirect_uris.is_empty() {
        app = lwa
            .set_redirect_uris(
                &application_id,
                update.redirect_uris,
                update.add_redirect_uris,
            )
            .map_err(app_error)?;
    }
    if let Some(uri) = update.login_uri {
        let uri = Some(uri).filter(|u| !u.is_empty());
        app = lwa.set_login_uri(&application_id, uri).map_err(app_error)?;
    }
    if let Some(stage) = update.stage {
        app = lwa.set_stage(&application_id, stage).map_err(app_error)?;
    }
    Ok(Json(app_view(&world, &app)))
}

pub(crate) async fn secret_action(
    State(state): State<AppState>,
    Path((application_id, action)): Path<(String, String)>,
) -> ControlResult<AppView> {
    let mut world = lock(&state.world);
    let now = world.now();
    let app = match action.as_str() {
        "rotate" => world.lwa_mut().rotate_secret(&application_id, now),
        "expire" => world.lwa_mut().expire_secrets(&application_id, now),
        other => {
            return Err(ControlError::not_found(format!(
                "unknown secret action {other}; use rotate or expire"
            )));
        }
    }
    .map_err(app_error)?;
    Ok(Json(app_view(&world, &app)))
}

/// `?seller_id=&application_id=` filters.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct AuthorizationFilter {
    seller_id: Option<String>,
    application_id: Option<String>,
}

pub(crate) async fn list_authorizations(
    State(state): State<AppState>,
    Query(filter): Query<AuthorizationFilter>,
) -> Json<Vec<AuthorizationView>> {
    let world = lock(&state.world);
    Json(
        world
            .lwa()
            .authorizations()
            .iter()
            .filter(|a| filter.seller_id.as_ref().is_none_or(|s| *s == a.seller_id))
            .filter(|a| {
                filter
                    .application_id
                    .as_ref()
                    .is_none_or(|id| *id == a.application_id)
            })
            .map(|a| authorization_view(&world, a))
            .collect(),
    )
}

/// Body of the authorization endpoints.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AuthorizationRequest {
    seller_id: String,
    /// Default: the demo app.
    #[serde(default)]
    application_id: Option<String>,
    /// For `code`: the redirect URI the code is bound to (default: the app's first).
    #[serde(default)]
    redirect_uri: Option<String>,
}

/// What self-authorization and `code` return.
#[derive(Debug, serde::Serialize)]
pub(crate) struct IssuedView {
    authorization: AuthorizationView,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spapi_oauth_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_uri: Option<String>,
}

fn resolve(world: &World, request: &AuthorizationRequest) -> Result<App, ControlError> {
    if world.seller(&request.seller_id).is_none() {
        return Err(ControlError::not_found(format!(
            "no seller has ID {}",
            request.seller_id
        )));
    }
    let app = match &request.application_id {
        Some(id) => world.lwa().app(id),
        None => crate::lwa::demo::demo_app(world),
    };
    app.cloned().ok_or_else(|| {
        ControlError::not_found(format!(
            "no app has application ID {}",
            request.application_id.as_deref().unwrap_or("(demo app)")
        ))
    })
}

fn current_view(
    world: &World,
    seller_id: &str,
    application_id: &str,
) -> Result<AuthorizationView, ControlError> {
    world
        .lwa()
        .authorization(seller_id, application_id)
        .map(|a| authorization_view(world, a))
        .ok_or_else(|| ControlError::not_found(AuthorizationMissing.to_string()))
}

/// `POST /_sandbox/authorizations`: self-authorization, returns a new refresh token.
pub(crate) async fn self_authorize(
    State(state): State<AppState>,
    Json(request): Json<AuthorizationRequest>,
) -> ControlResult<IssuedView> {
    let mut world = lock(&state.world);
    let app = resolve(&world, &request)?;
    let now = world.now();
    let token = world
        .lwa_mut()
        .self_authorize(&request.seller_id, &app.application_id, now)
        .map_err(app_error)?;
    Ok(Json(IssuedView {
        authorization: current_view(&world, &request.seller_id, &app.application_id)?,
        refresh_token: Some(token),
        spapi_oauth_code: None,
        redirect_uri: None,
    }))
}

/// `POST /_sandbox/authorizations/{revoke|expire-now|code}`.
pub(crate) async fn authorization_action(
    State(state): State<AppState>,
    Path(action): Path<String>,
    Json(request): Json<AuthorizationRequest>,
) -> ControlResult<IssuedView> {
    let mut world = lock(&state.world);
    let app = resolve(&world, &request)?;
    let now = world.now();
    let seller_id = request.seller_id.as_str();
    let id = app.application_id.as_str();
    let missing =
        |_: AuthorizationMissing| ControlError::not_found(AuthorizationMissing.to_string());
    let (code, redirect_uri) = match action.as_str() {
        "revoke" => {
            world
                .lwa_mut()
                .revoke(seller_id, id, now)
                .map_err(missing)?;
            (None, None)
        }
        "expire-now" => {
            world
                .lwa_mut()
                .expire_now(seller_id, id, now)
                .map_err(missing)?;
            (None, None)
        }
        "code" => {
            let redirect = app
                .resolve_redirect_uri(request.redirect_uri.as_deref())
                .map_err(app_error)?;
            let code = world
                .lwa_mut()
                .authorize_with_code(seller_id, id, &redirect, now)
                .map_err(app_error)?;
            (Some(code), Some(redirect))
        }
        other => {
            return Err(ControlError::not_found(format!(
                "unknown authorization action {other}; use revoke, expire-now or code"
            )));
        }
    };
    Ok(Json(IssuedView {
        authorization: current_view(&world, seller_id, id)?,
        refresh_token: None,
        spapi_oauth_code: code,
        redirect_uri,
    }))
}
