//! Step ②: User Permissions → Amazon MWS Developer Permissions (one row per authorization), and
//! "View" for a row.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use serde::Deserialize;

use super::auth::SignedIn;
use super::fields::{self, DeveloperId};
use super::lang::{Chrome, Lang};
use super::messages::{self, Refusal};
use super::texts::Texts;
use super::views::{HistoryRow, MessagePage, NoticeView, PermissionRow, PermissionsPage, ViewPage};
use super::{grants, page, signed_out_stale};
use crate::AppState;
use crate::jst;
use crate::world::{self, Grant, GrantState};

/// Query naming one developer's row.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DeveloperQuery {
    /// Developer ID, with or without dashes.
    pub developer_id: String,
}

/// `GET /gp/account-manager/home.html` and, once signed in, the guide's entry URL
/// `GET /gp/mws/registration/register.html`.
pub(crate) async fn page(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
) -> Response {
    let notice = signed_in
        .session(|session| session.notice.take())
        .flatten()
        .map(|notice| NoticeView {
            error: notice.is_error(),
            text: notice.text(chrome.lang),
        });
    let built = {
        let world = world::lock(&state.world);
        let now = world.now();
        world.seller(&signed_in.seller_id).map(|seller| {
            let grants = world.grants_for_seller(&signed_in.seller_id);
            let rows = grants
                .iter()
                .filter(|grant| grant.revoked_at.is_none())
                .map(|grant| row(grant, now, chrome.lang, chrome.t))
                .collect();
            let history = grants
                .iter()
                .filter_map(|grant| {
                    grant.revoked_at.map(|revoked_at| HistoryRow {
                        developer_id_dashed: fields::dashed(&grant.developer_id),
                        nickname: grant.nickname.clone(),
                        granted_at: jst::format_date_time(grant.granted_at),
                        revoked_at: jst::format_date_time(revoked_at),
                    })
                })
                .collect();
            (
                signed_in.account_bar(&seller.display_name),
                seller.seller_id.clone(),
                seller.marketplace_ids.clone(),
                rows,
                history,
            )
        })
    };
    let Some((account, seller_id, marketplace_ids, rows, history)) = built else {
        return signed_out_stale(signed_in);
    };
    page::render(
        StatusCode::OK,
        &PermissionsPage {
            chrome,
            account: Some(account),
            csrf: signed_in.csrf(),
            notice,
            seller_id,
            marketplace_ids,
            rows,
            history,
        },
    )
}

/// `GET /gp/mws/registration/view.html?developer_id=…`: the three values again.
pub(crate) async fn view(
    State(state): State<AppState>,
    Extension(chrome): Extension<Chrome>,
    signed_in: SignedIn,
    Query(query): Query<DeveloperQuery>,
) -> Response {
    let found = {
        let world = world::lock(&state.world);
        let now = world.now();
        let Some(seller) = world.seller(&signed_in.seller_id) else {
            drop(world);
            return signed_out_stale(signed_in);
        };
        let account = signed_in.account_bar(&seller.display_name);
        let grant = DeveloperId::parse(&query.developer_id)
            .ok()
            .and_then(|id| grants::current(&world, &signed_in.seller_id, id.digits()));
        let details = grant.map(|grant| {
            (
                grant.nickname.clone(),
                fields::dashed(&grant.developer_id),
                state_label(grant, now, chrome.t),
                grants::credentials(seller, grant),
            )
        });
        (account, details)
    };
    match found {
        (account, Some((nickname, developer_id_dashed, state_label, credentials))) => page::render(
            StatusCode::OK,
            &ViewPage {
                chrome,
                account: Some(account),
                nickname,
                developer_id_dashed,
                state_label,
                credentials,
            },
        ),
        (account, None) => {
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

fn state_label(grant: &Grant, now: Timestamp, t: &'static Texts) -> &'static str {
    match grant.state(now) {
        GrantState::Active => t.state_active,
        GrantState::Expired => t.state_expired,
        GrantState::Revoked => t.state_revoked,
    }
}

fn row(grant: &Grant, now: Timestamp, lang: Lang, t: &'static Texts) -> PermissionRow {
    let state = grant.state(now);
    let active = matches!(state, GrantState::Active);
    let expired = matches!(state, GrantState::Expired);
    let expiry = match (grant.expiry_enabled, grant.expires_on) {
        (true, Some(day)) if expired => messages::expired_sentence(day, lang),
        (true, day) => messages::expiry_sentence(day, lang),
        (false, _) => messages::expiry_sentence(None, lang),
    };
    PermissionRow {
        developer_id: grant.developer_id.clone(),
        developer_id_dashed: fields::dashed(&grant.developer_id),
        nickname: grant.nickname.clone(),
        granted_at: jst::format_date_time(grant.granted_at),
        last_approved: grant.last_approved_on.to_string(),
        expiry,
        state_label: state_label(grant, now, t),
        state_class: if expired { "expired" } else { "active" },
        expiry_feature: if grant.expiry_enabled {
            t.feature_enabled
        } else {
            t.feature_disabled
        },
        can_approve: active && grant.expiry_enabled,
        can_restore: expired,
        can_enable_expiry: !grant.expiry_enabled,
    }
}
