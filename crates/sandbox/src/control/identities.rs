//! Developers, sellers, grants and the demo identity.

use axum::Json;
use axum::extract::{Path, Query, State};

use crate::AppState;
use crate::control::{ControlError, ControlResult};
use crate::world::{DEMO_DEVELOPER_ID, Developer, Grant, GrantError, SellerAccount, World, lock};

/// A developer with its keys (the control API is for tests; it shows secrets on purpose).
#[derive(Debug, serde::Serialize)]
pub struct DeveloperView {
    /// Name.
    pub name: String,
    /// 12 digits.
    pub developer_id: String,
    /// `5259-6479-4073`.
    pub developer_id_dashed: String,
    /// AWS access key id.
    pub access_key_id: String,
    /// Secret key.
    pub secret_key: String,
}

impl From<&Developer> for DeveloperView {
    fn from(d: &Developer) -> Self {
        Self {
            name: d.name.clone(),
            developer_id: d.developer_id.clone(),
            developer_id_dashed: crate::ids::dashed_developer_id(&d.developer_id),
            access_key_id: d.access_key_id.clone(),
            secret_key: d.secret_key.clone(),
        }
    }
}

/// A seller account with its login.
#[derive(Debug, serde::Serialize)]
pub struct SellerView {
    /// Seller ID.
    pub seller_id: String,
    /// Shop name.
    pub display_name: String,
    /// Login e-mail.
    pub email: String,
    /// Login phone.
    pub phone: String,
    /// Password.
    pub password: String,
    /// Marketplaces.
    pub marketplace_ids: Vec<String>,
}

impl From<&SellerAccount> for SellerView {
    fn from(s: &SellerAccount) -> Self {
        Self {
            seller_id: s.seller_id.clone(),
            display_name: s.display_name.clone(),
            email: s.email.clone(),
            phone: s.phone.clone(),
            password: s.password.clone(),
            marketplace_ids: s.marketplace_ids.clone(),
        }
    }
}

/// A grant with its state now.
#[derive(Debug, serde::Serialize)]
pub struct GrantView {
    /// Seller ID.
    pub seller_id: String,
    /// Developer ID, 12 digits.
    pub developer_id: String,
    /// Developer ID with dashes.
    pub developer_id_dashed: String,
    /// Nickname.
    pub nickname: String,
    /// MWS Auth Token.
    pub mws_auth_token: String,
    /// RFC 3339.
    pub granted_at: String,
    /// `2018-04-17 10:26:33 JST`.
    pub granted_at_jst: String,
    /// JST date.
    pub last_approved_on: String,
    /// Expiry feature switch.
    pub expiry_enabled: bool,
    /// JST date, if enabled.
    pub expires_on: Option<String>,
    /// RFC 3339, if revoked.
    pub revoked_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: &'static str,
}

/// Renders a grant as seen at the world's now.
pub fn grant_view(world: &World, g: &Grant) -> GrantView {
    GrantView {
        seller_id: g.seller_id.clone(),
        developer_id: g.developer_id.clone(),
        developer_id_dashed: g.developer_id_dashed(),
        nickname: g.nickname.clone(),
        mws_auth_token: g.mws_auth_token.clone(),
        granted_at: g.granted_at.to_string(),
        granted_at_jst: crate::jst::format_date_time(g.granted_at),
        last_approved_on: g.last_approved_on.to_string(),
        expiry_enabled: g.expiry_enabled,
        expires_on: g.expires_on.map(|d| d.to_string()),
        revoked_at: g.revoked_at.map(|t| t.to_string()),
        state: g.state(world.now()).as_str(),
    }
}

/// The demo identity: the seeded developer and the first seller.
#[derive(Debug, serde::Serialize)]
pub struct IdentityView {
    /// The demo developer (`shippinno`, `5259-6479-4073`).
    pub developer: Option<DeveloperView>,
    /// The first seeded seller.
    pub seller: Option<SellerView>,
    /// The world seed.
    pub seed: u64,
    /// The demo SP-API app with its LWA credentials.
    pub app: Option<crate::control::spapi::AppView>,
}

pub(crate) async fn identity(State(state): State<AppState>) -> Json<IdentityView> {
    let world = lock(&state.world);
    Json(IdentityView {
        developer: world.developer(DEMO_DEVELOPER_ID).map(DeveloperView::from),
        seller: world.sellers().first().map(SellerView::from),
        seed: world.seed(),
        app: crate::lwa::demo::demo_app(&world)
            .map(|app| crate::control::spapi::app_view(&world, app)),
    })
}

pub(crate) async fn list_developers(State(state): State<AppState>) -> Json<Vec<DeveloperView>> {
    let world = lock(&state.world);
    Json(world.developers().iter().map(DeveloperView::from).collect())
}

/// `POST /_sandbox/developers`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDeveloper {
    /// Name.
    pub name: String,
    /// 12 digits, dashes optional.
    pub developer_id: String,
    /// Optional access key id (generated if absent).
    pub access_key_id: Option<String>,
    /// Optional secret key (generated if absent).
    pub secret_key: Option<String>,
}

pub(crate) async fn create_developer(
    State(state): State<AppState>,
    Json(new): Json<NewDeveloper>,
) -> ControlResult<DeveloperView> {
    let keys = match (new.access_key_id, new.secret_key) {
        (Some(a), Some(s)) => Some((a, s)),
        (None, None) => None,
        _ => {
            return Err(ControlError::bad_request(
                "give both access_key_id and secret_key, or neither",
            ));
        }
    };
    let mut world = lock(&state.world);
    if let Some((key, _)) = &keys
        && world.developer_by_access_key(key).is_some()
    {
        return Err(ControlError::conflict(format!(
            "access key {key} belongs to another developer"
        )));
    }
    let developer = world
        .add_developer(&new.name, &new.developer_id, keys)
        .map_err(|e| ControlError::conflict(e.to_string()))?;
    Ok(Json(DeveloperView::from(developer)))
}

pub(crate) async fn list_sellers(State(state): State<AppState>) -> Json<Vec<SellerView>> {
    let world = lock(&state.world);
    Json(world.sellers().iter().map(SellerView::from).collect())
}

/// `POST /_sandbox/sellers`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSeller {
    /// Seller ID (generated if absent).
    pub seller_id: Option<String>,
    /// Shop name.
    pub display_name: Option<String>,
    /// Login e-mail.
    pub email: String,
    /// Login phone.
    #[serde(default)]
    pub phone: String,
    /// Password.
    pub password: String,
    /// Marketplaces (default: JP only).
    pub marketplace_ids: Option<Vec<String>>,
}

pub(crate) async fn create_seller(
    State(state): State<AppState>,
    Json(new): Json<NewSeller>,
) -> ControlResult<SellerView> {
    let mut world = lock(&state.world);
    let seller_id = match new.seller_id {
        Some(id) => id,
        None => loop {
            let id = crate::generate::ids::seller_id(&mut world.rng);
            if world.seller(&id).is_none() {
                break id;
            }
        },
    };
    let account = SellerAccount {
        seller_id,
        display_name: new
            .display_name
            .unwrap_or_else(|| "サンドボックス商店".to_owned()),
        email: new.email,
        phone: new.phone,
        password: new.password,
        marketplace_ids: new
            .marketplace_ids
            .unwrap_or_else(|| vec![crate::marketplaces::JP.to_owned()]),
    };
    let seller = world
        .add_seller(account)
        .map_err(|e| ControlError::bad_request(e.to_string()))?;
    Ok(Json(SellerView::from(seller)))
}

/// `GET /_sandbox/grants?seller_id=…`.
#[derive(Debug, serde::Deserialize)]
pub struct GrantFilter {
    /// Only this seller's grants.
    pub seller_id: Option<String>,
}

pub(crate) async fn list_grants(
    State(state): State<AppState>,
    Query(filter): Query<GrantFilter>,
) -> Json<Vec<GrantView>> {
    let world = lock(&state.world);
    let views = world
        .all_grants()
        .iter()
        .filter(|g| filter.seller_id.as_ref().is_none_or(|s| *s == g.seller_id))
        .map(|g| grant_view(&world, g))
        .collect();
    Json(views)
}

/// `POST /_sandbox/grants`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewGrant {
    /// Seller ID.
    pub seller_id: String,
    /// Developer ID, dashes optional.
    pub developer_id: String,
    /// When it was granted (RFC 3339; default now).
    pub granted_at: Option<String>,
    /// Expiry feature (default true, as Amazon made it mandatory).
    pub expiry_enabled: Option<bool>,
}

fn grant_error(e: GrantError) -> ControlError {
    match e {
        GrantError::UnknownSeller | GrantError::UnknownDeveloper | GrantError::NotFound => {
            ControlError::not_found(e.to_string())
        }
        GrantError::InvalidDeveloperId(_)
        | GrantError::InvalidNickname
        | GrantError::DeveloperNameMismatch => ControlError::bad_request(e.to_string()),
        _ => ControlError::conflict(e.to_string()),
    }
}

pub(crate) async fn create_grant(
    State(state): State<AppState>,
    Json(new): Json<NewGrant>,
) -> ControlResult<GrantView> {
    let granted_at = match &new.granted_at {
        Some(text) => Some(crate::timefmt::parse(text).ok_or_else(|| {
            ControlError::bad_request(format!("granted_at '{text}' is not an RFC 3339 instant"))
        })?),
        None => None,
    };
    let mut world = lock(&state.world);
    let grant = world
        .create_grant(
            &new.seller_id,
            &new.developer_id,
            granted_at,
            new.expiry_enabled.unwrap_or(true),
        )
        .map_err(grant_error)?;
    Ok(Json(grant_view(&world, &grant)))
}

/// `POST /_sandbox/grants/{action}`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantTarget {
    /// Seller ID.
    pub seller_id: String,
    /// Developer ID, dashes optional.
    pub developer_id: String,
    /// New nickname (action `nickname`).
    pub nickname: Option<String>,
}

pub(crate) async fn grant_action(
    State(state): State<AppState>,
    Path(action): Path<String>,
    Json(target): Json<GrantTarget>,
) -> ControlResult<GrantView> {
    let mut world = lock(&state.world);
    let (s, d) = (target.seller_id.as_str(), target.developer_id.as_str());
    let result = match action.as_str() {
        "renew" | "approve" => world.approve_access(s, d),
        "restore" => world.restore_access(s, d),
        "revoke" => world.revoke_access(s, d),
        "enable-expiry" => world.enable_expiry(s, d),
        "expire-now" => world.expire_now(s, d),
        "nickname" => {
            let nickname = target
                .nickname
                .as_deref()
                .ok_or_else(|| ControlError::bad_request("action nickname needs a nickname"))?;
            world.set_nickname(s, d, nickname)
        }
        other => {
            return Err(ControlError::not_found(format!(
                "unknown grant action {other}; use renew, restore, revoke, enable-expiry, expire-now or nickname"
            )));
        }
    };
    let grant = result.map_err(grant_error)?;
    Ok(Json(grant_view(&world, &grant)))
}
