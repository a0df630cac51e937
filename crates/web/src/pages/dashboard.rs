//! A merchant's dashboard: every connection with its status, the countdown to expiry, what to do when it is
//! expiring or expired, the actions — record an approval (renewal) or a restore on the day it was done, replace the
//! MWS Auth Token after access was lost, verify now, import now, remove (with a required confirmation) — and the
//! last sync.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{MethodRouter, post};
use jiff::Timestamp;
use sellerlink_app::{ConnectionView, LifecycleCommand, MwsTokenReplacement};
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus, Merchant};
use sellerlink_domain::ids::{MerchantId, MwsAuthToken};
use sellerlink_domain::lifecycle::DateField;
use sellerlink_store::SyncRun;
use serde::Deserialize;

use super::format::{countdown, date, jst, status_class, status_label, sync_outcome};
use super::wizard::{MarketplaceOption, spapi_marketplaces};
use super::{Chrome, Notice, NoticeQuery, error_page, home_of, render, see_other};
use crate::api::connections::{connection_id, verify_now};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::state::WebState;
use crate::tenancy::merchant_not_found;

/// What to do about a connection, step by step.
pub(crate) struct Guidance {
    pub title: &'static str,
    pub steps: Vec<String>,
}

/// The last sync of a connection.
pub(crate) struct SyncSummary {
    pub label: &'static str,
    pub class: &'static str,
    pub when: String,
    pub counts: String,
    pub error: Option<String>,
}

/// One connection on the dashboard.
pub(crate) struct ConnectionCard {
    pub id: String,
    pub seller_id: String,
    pub marketplaces: String,
    pub status_class: &'static str,
    pub status_label: &'static str,
    pub countdown: Option<String>,
    /// "The expiry feature is off (no renewal needed)" for a grant without expiry.
    pub no_expiry_note: Option<&'static str>,
    pub granted: String,
    pub last_approved: String,
    pub expires: String,
    pub verified: String,
    /// The developer ID the seller granted access to (MWS only).
    pub developer_id: Option<String>,
    pub credential_label: &'static str,
    pub credential_masked: String,
    pub guidance: Option<Guidance>,
    /// Today in the grant's calendar: the default of the renew/restore date inputs.
    pub today: String,
    /// R2 applies: an MWS grant with an expiry date, not revoked, not yet expired.
    pub can_renew: bool,
    /// R3 applies: the same, once expired.
    pub can_restore: bool,
    /// An MWS connection that was revoked, expired or refused by Amazon: a new grant's token can replace its own.
    pub can_replace_token: bool,
    /// R4/R5: the merchant switched Seller Central's expiry feature on (an MWS grant without expiry).
    pub can_enable_expiry: bool,
    pub last_sync: Option<SyncSummary>,
}

#[derive(Template)]
#[template(path = "merchant.html")]
struct MerchantPage {
    chrome: Chrome,
    merchant_id: String,
    merchant_name: String,
    cards: Vec<ConnectionCard>,
    spapi_enabled: bool,
    marketplaces: Vec<MarketplaceOption>,
}

fn guidance(
    t: &Texts,
    status: ConnectionStatus,
    developer_id: &str,
    spapi: bool,
) -> Option<Guidance> {
    let renewal_due = matches!(
        status,
        ConnectionStatus::ExpiringSoon { .. }
            | ConnectionStatus::Expired
            | ConnectionStatus::AccessDenied
    );
    if spapi && renewal_due {
        return Some(Guidance {
            title: t.guide_spapi_title,
            steps: (t.guide_spapi_steps)(),
        });
    }
    let (title, steps) = match status {
        ConnectionStatus::Active => return None,
        ConnectionStatus::ExpiringSoon { .. } => {
            (t.guide_renew_title, (t.guide_renew_steps)(developer_id))
        }
        ConnectionStatus::Expired => (t.guide_restore_title, (t.guide_restore_steps)(developer_id)),
        ConnectionStatus::AccessDenied => {
            (t.guide_denied_title, (t.guide_denied_steps)(developer_id))
        }
        ConnectionStatus::Revoked => (t.guide_revoked_title, (t.guide_revoked_steps)(developer_id)),
        ConnectionStatus::Unverified => (
            t.guide_unverified_title,
            (t.guide_unverified_steps)(developer_id),
        ),
    };
    Some(Guidance { title, steps })
}

fn sync_summary(t: &Texts, run: &SyncRun) -> SyncSummary {
    let (label, class) = sync_outcome(t, run);
    let result = run.result.as_ref();
    SyncSummary {
        label,
        class,
        when: jst(result.map_or(run.started_at, |r| r.finished_at)),
        counts: result.map_or_else(String::new, |r| {
            (t.sync_counts)(r.orders_new, r.orders_changed, r.pages)
        }),
        error: result
            .and_then(|r| r.error.as_ref())
            .map(|e| format!("{}: {}", e.kind, e.message)),
    }
}

/// A connection's card at `now`.
pub(crate) fn card(
    t: &Texts,
    view: &ConnectionView,
    developer_id: &str,
    last: Option<&SyncRun>,
    now: Timestamp,
) -> ConnectionCard {
    let connection = &view.connection;
    let grant = &connection.grant;
    let marketplaces = connection
        .marketplaces
        .iter()
        .map(|m| match &m.name {
            Some(name) => format!("{name} ({})", m.id),
            None => format!("{} ({})", m.id.marketplace().name, m.id),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let spapi = matches!(connection.account, ApiAccount::SpApi { .. });
    // Renewing or restoring an MWS grant needs an expiry date and a grant that was not revoked; the rules refuse
    // the rest with a message that says what applies. SP-API is renewed by re-authorizing at Amazon.
    let renewable = !spapi && view.expires_on.is_some() && grant.revoked_at.is_none();
    let expired = view.status == ConnectionStatus::Expired;
    ConnectionCard {
        id: connection.id.to_string(),
        seller_id: connection.account.seller_id().to_string(),
        marketplaces,
        status_class: status_class(view.status),
        status_label: status_label(t, view.status),
        countdown: countdown(t, view),
        no_expiry_note: view.expires_on.is_none().then_some(t.countdown_no_expiry),
        granted: jst(grant.granted_at),
        last_approved: date(grant.last_approved_on),
        expires: view.expires_on.map_or_else(|| t.no_expiry.to_owned(), date),
        verified: connection
            .verified_at
            .map_or_else(|| t.not_yet.to_owned(), jst),
        developer_id: (!spapi).then(|| developer_id.to_owned()),
        credential_label: if spapi {
            t.lwa_refresh_token
        } else {
            t.mws_auth_token
        },
        credential_masked: view.credential_masked.clone(),
        guidance: guidance(t, view.status, developer_id, spapi),
        today: date(grant.local_date(now)),
        can_renew: renewable && !expired,
        can_restore: renewable && expired,
        can_enable_expiry: !spapi && view.expires_on.is_none() && grant.revoked_at.is_none(),
        can_replace_token: !spapi
            && matches!(
                view.status,
                ConnectionStatus::Revoked
                    | ConnectionStatus::Expired
                    | ConnectionStatus::AccessDenied
            ),
        last_sync: last.map(|run| sync_summary(t, run)),
    }
}

async fn page(
    state: &WebState,
    user: &PageUser,
    merchant: &Merchant,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, notice);
    let developer_id = state.app().settings().developer.developer_id.dashed();
    let mut cards = Vec::new();
    let now = state.app().now();
    for view in state.app().connections(Some(merchant.id)).await? {
        let last = state.store().last_sync_run(view.connection.id).await?;
        cards.push(card(chrome.t, &view, &developer_id, last.as_ref(), now));
    }
    Ok(render(
        status,
        &MerchantPage {
            chrome,
            merchant_id: merchant.id.to_string(),
            merchant_name: merchant.name.to_string(),
            cards,
            spapi_enabled: state.app().settings().spapi.is_some(),
            marketplaces: spapi_marketplaces(user.visitor.language),
        },
    ))
}

/// `/dashboard`: the signed-in user's start page.
pub(crate) async fn own(user: PageUser) -> Response {
    see_other(&home_of(user.user().role))
}

/// `/merchants/{id}`: the dashboard (404 for another merchant).
pub(crate) async fn show(
    State(state): State<WebState>,
    user: PageUser,
    Path(merchant_id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let result = async {
        let id = MerchantId::parse(&merchant_id).map_err(|_| merchant_not_found())?;
        let merchant = user.scope().merchant_record(state.app(), id).await?;
        let notice = query.notice(crate::i18n::texts(user.visitor.language));
        page(&state, &user, &merchant, notice, StatusCode::OK).await
    }
    .await;
    result.unwrap_or_else(|error| error_page(&user.visitor, &error))
}

/// Shows the dashboard again with an error notice (an action the rules refused).
async fn refused(
    state: &WebState,
    user: &PageUser,
    merchant_id: MerchantId,
    error: &HttpError,
) -> Response {
    let result = async {
        let merchant = user
            .scope()
            .merchant_record(state.app(), merchant_id)
            .await?;
        let notice = Notice::error(error.message_in(user.visitor.language));
        page(state, user, &merchant, Some(notice), error.status).await
    }
    .await;
    result.unwrap_or_else(|e| error_page(&user.visitor, &e))
}

/// The day a renewal or restore was done in Seller Central (`YYYY-MM-DD`; empty = today).
#[derive(Deserialize)]
pub(crate) struct DayForm {
    #[serde(default)]
    on: String,
}

/// What the merchant did in Seller Central and records here, each on its own route.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RecordedAction {
    /// "Record the approval (renewal)" (R2), on the day it was done.
    Renew,
    /// "Record the restore" (R3), on the day it was done.
    Restore,
    /// "Record that the expiry feature was switched on" (R4/R5): the expiry becomes the last approval + 1 year.
    EnableExpiry,
}

impl RecordedAction {
    fn command(self, on: Option<jiff::civil::Date>) -> LifecycleCommand {
        match self {
            Self::Renew => LifecycleCommand::Renew { on },
            Self::Restore => LifecycleCommand::Restore { on },
            Self::EnableExpiry => LifecycleCommand::EnableExpiry,
        }
    }

    fn notice(self) -> &'static str {
        match self {
            Self::Renew => "renewed",
            Self::Restore => "restored",
            Self::EnableExpiry => "expiry_enabled",
        }
    }

    /// The `POST /connections/{connection_id}/…` handler that records this action.
    pub(crate) fn route(self) -> MethodRouter<WebState> {
        post(
            move |State(state): State<WebState>,
                  user: PageUser,
                  Path(id): Path<String>,
                  Form(form): Form<DayForm>| on_a_day(state, user, id, form, self),
        )
    }
}

async fn on_a_day(
    state: WebState,
    user: PageUser,
    id: String,
    form: DayForm,
    action: RecordedAction,
) -> Response {
    let view = match lookup(&state, &user, &id).await {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let merchant = view.connection.merchant_id;
    let applied = match DateField::ActionOn.parse(&form.on) {
        Ok(on) => {
            state
                .app()
                .apply(view.connection.id, action.command(on), &user.actor())
                .await
        }
        Err(refusal) => Err(refusal.into()),
    };
    match applied {
        Ok(view) => {
            // Access Amazon refused while it had lapsed: ask Amazon again now that the merchant says it is back, so
            // the card and the import follow at once instead of at the next hourly re-check (an answer of
            // Amazon's is recorded by the verification itself; a failure to ask only leaves the refusal in place).
            if view.connection.grant.access_denied.is_some()
                && let Err(error) = state.app().verify_connection(view.connection.id).await
            {
                tracing::warn!(connection.id = %view.connection.id, %error, "re-verification after a lifecycle action failed");
            }
            see_other(&format!("/merchants/{merchant}?notice={}", action.notice()))
        }
        Err(error) => refused(&state, &user, merchant, &error.into()).await,
    }
}

/// The new MWS Auth Token of a connection that lost access.
#[derive(Deserialize)]
pub(crate) struct ReplaceTokenForm {
    #[serde(default)]
    mws_auth_token: String,
}

/// "Replace the MWS Auth Token": verified with Amazon for the same seller, then stored as a new grant from today.
pub(crate) async fn replace_token(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<ReplaceTokenForm>,
) -> Response {
    let view = match lookup(&state, &user, &id).await {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let merchant = view.connection.merchant_id;
    let replaced = match MwsAuthToken::parse(&form.mws_auth_token) {
        Ok(auth_token) => state
            .app()
            .replace_mws_token(
                MwsTokenReplacement {
                    connection_id: view.connection.id,
                    auth_token,
                    dates: Default::default(),
                },
                &user.actor(),
            )
            .await
            .map_err(HttpError::from),
        Err(error) => Err(HttpError::invalid_id(&error)),
    };
    match replaced {
        Ok(view) => {
            if state.config().sync_after_connect {
                state.import_in_background(view.connection.id);
            }
            see_other(&format!("/merchants/{merchant}?notice=token_replaced"))
        }
        Err(error) => refused(&state, &user, merchant, &error).await,
    }
}

/// The required confirmation of a removal (a checkbox, so it works without JavaScript).
#[derive(Deserialize)]
pub(crate) struct RemoveForm {
    confirm: Option<String>,
}

/// "Remove connection": only with the confirmation ticked; deletes the credential and everything imported.
pub(crate) async fn remove(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
    Form(form): Form<RemoveForm>,
) -> Response {
    let view = match lookup(&state, &user, &id).await {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let merchant = view.connection.merchant_id;
    if form.confirm.is_none() {
        let ja = crate::i18n::texts(sellerlink_domain::connection::Language::Ja);
        let en = crate::i18n::texts(sellerlink_domain::connection::Language::En);
        let error = HttpError::invalid("confirm", en.remove_not_confirmed, ja.remove_not_confirmed);
        return refused(&state, &user, merchant, &error).await;
    }
    match state
        .app()
        .remove_connection(view.connection.id, &user.actor())
        .await
    {
        Ok(()) => see_other(&format!("/merchants/{merchant}?notice=removed")),
        Err(error) => refused(&state, &user, merchant, &error.into()).await,
    }
}

/// "Verify now": asks Amazon and records the answer.
pub(crate) async fn verify(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    let view = match lookup(&state, &user, &id).await {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let merchant = view.connection.merchant_id;
    match verify_now(&state, view.connection.id).await {
        Ok(("verified", _)) => see_other(&format!("/merchants/{merchant}?notice=verified")),
        Ok(_) => see_other(&format!("/merchants/{merchant}?notice=access_denied")),
        Err(error) => refused(&state, &user, merchant, &error).await,
    }
}

/// "Import orders now": one import run, then back to the dashboard with what it did.
pub(crate) async fn sync(
    State(state): State<WebState>,
    user: PageUser,
    Path(id): Path<String>,
) -> Response {
    let view = match lookup(&state, &user, &id).await {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let merchant = view.connection.merchant_id;
    match state
        .app()
        .sync_connection(view.connection.id, Default::default())
        .await
    {
        Ok(report) if report.outcome == sellerlink_sync::ImportOutcome::Completed => {
            see_other(&format!(
                "/merchants/{merchant}?notice=synced&new={}&changed={}",
                report.orders_new, report.orders_changed
            ))
        }
        Ok(report) => see_other(&format!(
            "/merchants/{merchant}?notice=sync_not_done&outcome={}",
            report.outcome.as_str()
        )),
        Err(error) => refused(&state, &user, merchant, &error.into()).await,
    }
}

async fn lookup(state: &WebState, user: &PageUser, id: &str) -> Result<ConnectionView, HttpError> {
    user.scope()
        .connection(state.app(), connection_id(id)?)
        .await
}
