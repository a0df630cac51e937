//! A merchant's dashboard: every connection in a stable order (seller ID, region), each card headed by its API
//! and seller, with its status, the countdown to expiry (none while Amazon refuses access), ONE state-specific
//! primary action with a direct link to the Seller Central page where it is done (approve, restore, re-authorize,
//! replace the token — see [`super::primary_action`]), the secondary actions — verify now, import now, approve
//! early, enable expiry, remove (with a required confirmation) — and the last sync. The connect card is collapsed
//! once the merchant has a connection.

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
use url::Url;

use super::format::{countdown, date, jst, status_class, status_label, sync_outcome};
use super::order_format::in_japan;
use super::primary_action::{PrimaryAction, seller_central_site};
use super::wizard::{MarketplaceOption, spapi_marketplaces};
use super::{Chrome, Notice, NoticeQuery, error_page, home_of, render, see_other};
use crate::api::connections::{connection_id, verify_now};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::state::WebState;
use crate::tenancy::merchant_not_found;

/// The card's one primary action: what to do, step by step, the Seller Central page where it is done, and (in
/// the template, by `action`) the form that records it here.
pub(crate) struct Primary {
    /// [`PrimaryAction::name`]: which form follows the steps.
    pub action: &'static str,
    pub title: &'static str,
    pub steps: Vec<String>,
    /// The exact Seller Central page (User Permissions, or Manage Your Apps for SP-API).
    pub link: Option<String>,
    pub link_label: &'static str,
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
    /// `MWS` or `SP-API`, in the heading.
    pub api: &'static str,
    /// `mws` or `sp_api` (CSS/test name).
    pub api_class: &'static str,
    pub seller_id: String,
    /// The home marketplace's name (`Amazon.co.jp`), in the heading.
    pub home_marketplace: String,
    pub marketplaces: String,
    pub status_class: &'static str,
    pub status_label: &'static str,
    pub countdown: Option<String>,
    /// "The expiry feature is off (no renewal needed)" for a grant without expiry.
    pub no_expiry_note: Option<&'static str>,
    /// Seller Central's values in Seller Central's words and format (`2018年4月17日 10時26分33秒`), each with its
    /// day in ISO form for machines (`data-iso`).
    pub granted: String,
    pub granted_iso: String,
    pub last_approved: String,
    pub last_approved_iso: String,
    pub expires: String,
    pub expires_iso: Option<String>,
    pub verified: String,
    /// The developer ID the seller granted access to (MWS only).
    pub developer_id: Option<String>,
    pub credential_label: &'static str,
    pub credential_masked: String,
    pub primary: Option<Primary>,
    /// Today in the grant's calendar: the default of the renew/restore date inputs.
    pub today: String,
    /// R2 applies although approving is not the primary action: an MWS grant with an expiry date, active or not
    /// verified yet (the merchant may approve early; the form sits in a closed `<details>`).
    pub can_renew_early: bool,
    /// An expired MWS grant whose token may also have changed: the token form sits in a closed `<details>` beside
    /// the primary restore.
    pub can_replace_token_too: bool,
    /// R4/R5: the merchant switched Seller Central's expiry feature on (an MWS grant without expiry).
    pub can_enable_expiry: bool,
    pub last_sync: Option<SyncSummary>,
}

impl ConnectionCard {
    /// True when "Verify now" is the primary action (then it is not repeated among the secondary ones).
    pub(crate) fn verify_is_primary(&self) -> bool {
        self.primary
            .as_ref()
            .is_some_and(|primary| primary.action == PrimaryAction::Verify.name())
    }
}

#[derive(Template)]
#[template(path = "merchant.html")]
pub(crate) struct MerchantPage {
    pub chrome: Chrome,
    pub merchant_id: String,
    pub merchant_name: String,
    pub cards: Vec<ConnectionCard>,
    pub spapi_enabled: bool,
    pub marketplaces: Vec<MarketplaceOption>,
}

/// What a card needs besides the connection: the 3PL's developer identity and where Seller Central is.
pub(crate) struct CardContext {
    /// The developer ID merchants look for in Seller Central, dashed (`5259-6479-4073`).
    pub developer_id: String,
    /// The developer name Seller Central shows (also on Manage Your Apps).
    pub developer_name: String,
    /// The configured Seller Central (`serve --seller-central-url`; the sandbox in the demo).
    pub seller_central_url: Option<Url>,
    /// The SP-API app's consent origin override (the sandbox in the demo).
    pub consent_base: Option<Url>,
}

impl CardContext {
    fn of(state: &WebState) -> Self {
        let settings = state.app().settings();
        Self {
            developer_id: settings.developer.developer_id.dashed(),
            developer_name: settings.developer.name.clone(),
            seller_central_url: state.config().seller_central_url.clone(),
            consent_base: settings
                .spapi
                .as_ref()
                .and_then(|spapi| spapi.consent_base_override.clone()),
        }
    }
}

/// The primary action of `view` in words, with its Seller Central link.
fn primary(t: &Texts, view: &ConnectionView, context: &CardContext) -> Option<Primary> {
    let action = PrimaryAction::of(view)?;
    let dev = context.developer_id.as_str();
    let (title, steps) = match action {
        PrimaryAction::Approve => (t.guide_renew_title, (t.guide_renew_steps)(dev)),
        PrimaryAction::Restore => (t.guide_restore_title, (t.guide_restore_steps)(dev)),
        PrimaryAction::ReplaceToken if view.status == ConnectionStatus::Revoked => {
            (t.guide_revoked_title, (t.guide_revoked_steps)(dev))
        }
        PrimaryAction::ReplaceToken => (t.guide_denied_title, (t.guide_denied_steps)(dev)),
        PrimaryAction::Reauthorize => (
            if matches!(view.status, ConnectionStatus::ExpiringSoon { .. }) {
                t.guide_spapi_title
            } else {
                t.guide_spapi_lost_title
            },
            (t.guide_spapi_steps)(&context.developer_name),
        ),
        PrimaryAction::Verify if view.status == ConnectionStatus::Unverified => {
            (t.guide_unverified_title, (t.guide_unverified_steps)(dev))
        }
        PrimaryAction::Verify => (t.guide_operator_title, (t.guide_operator_steps)()),
    };
    let spapi = action == PrimaryAction::Reauthorize;
    let overrides = if spapi {
        [
            context.consent_base.as_ref(),
            context.seller_central_url.as_ref(),
        ]
    } else {
        [context.seller_central_url.as_ref(), None]
    };
    let site = seller_central_site(&overrides, view.connection.home_marketplace().marketplace());
    Some(Primary {
        action: action.name(),
        title,
        steps,
        link: action.seller_central_page(&site),
        link_label: if spapi {
            t.open_manage_apps
        } else {
            t.open_user_permissions
        },
    })
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

/// The order of the cards: by seller ID, then the API region, so that it never changes when a status does (e.g.
/// after 「今すぐ確認」); the connection id breaks any remaining tie.
pub(crate) fn card_order(views: &mut [(ConnectionView, Option<SyncRun>)]) {
    views.sort_by_cached_key(|(view, _)| {
        let connection = &view.connection;
        (
            connection.account.seller_id().to_string(),
            connection.home_marketplace().marketplace().region.code(),
            connection.id.to_string(),
        )
    });
}

/// A connection's card at `now`.
pub(crate) fn card(
    t: &Texts,
    view: &ConnectionView,
    context: &CardContext,
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
    let primary = primary(t, view, context);
    // Approving early or replacing the token of an expired grant are still possible beside the primary action.
    let valid_mws = !spapi && view.expires_on.is_some() && grant.revoked_at.is_none();
    ConnectionCard {
        id: connection.id.to_string(),
        api: if spapi { "SP-API" } else { "MWS" },
        api_class: connection.account.api_name(),
        seller_id: connection.account.seller_id().to_string(),
        home_marketplace: connection.home_marketplace().marketplace().name.to_owned(),
        marketplaces,
        status_class: status_class(view.status),
        status_label: status_label(t, view.status),
        countdown: countdown(t, view),
        no_expiry_note: view.expires_on.is_none().then_some(t.countdown_no_expiry),
        granted: (t.seller_central_time)(grant.granted_at),
        granted_iso: date(in_japan(grant.granted_at).date()),
        last_approved: (t.seller_central_date)(grant.last_approved_on),
        last_approved_iso: date(grant.last_approved_on),
        expires: view
            .expires_on
            .map_or_else(|| t.no_expiry.to_owned(), t.seller_central_date),
        expires_iso: view.expires_on.map(date),
        verified: connection
            .verified_at
            .map_or_else(|| t.not_yet.to_owned(), jst),
        developer_id: (!spapi).then(|| context.developer_id.clone()),
        credential_label: if spapi {
            t.lwa_refresh_token
        } else {
            t.mws_auth_token
        },
        credential_masked: view.credential_masked.clone(),
        today: date(grant.local_date(now)),
        can_renew_early: valid_mws
            && matches!(
                view.status,
                ConnectionStatus::Active | ConnectionStatus::Unverified
            ),
        can_replace_token_too: !spapi && view.status == ConnectionStatus::Expired,
        can_enable_expiry: !spapi && view.expires_on.is_none() && grant.revoked_at.is_none(),
        primary,
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
    let context = CardContext::of(state);
    let now = state.app().now();
    let mut views = Vec::new();
    for view in state.app().connections(Some(merchant.id)).await? {
        let last = state.store().last_sync_run(view.connection.id).await?;
        views.push((view, last));
    }
    card_order(&mut views);
    let cards = views
        .iter()
        .map(|(view, last)| card(chrome.t, view, &context, last.as_ref(), now))
        .collect();
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

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use sellerlink_domain::connection::Language;
    use sellerlink_domain::refusal::RefusalCause;

    use super::*;
    use crate::i18n::texts;
    use crate::pages::primary_action::tests::{NOW, view};

    fn context(sandbox: Option<&str>) -> CardContext {
        CardContext {
            developer_id: "5259-6479-4073".to_owned(),
            developer_name: "shippinno".to_owned(),
            seller_central_url: sandbox.map(|url| url.parse().unwrap()),
            consent_base: sandbox.map(|url| url.parse().unwrap()),
        }
    }

    #[test]
    fn the_sp_api_fix_names_what_manage_your_apps_and_the_consent_page_show() {
        let now: Timestamp = NOW.parse().unwrap();
        let expiring = view(true, 340, None, false);
        let ja = card(
            texts(Language::Ja),
            &expiring,
            &context(Some("http://127.0.0.1:8480")),
            None,
            now,
        );
        assert_eq!(ja.api, "SP-API");
        let primary = ja.primary.expect("a primary action");
        assert_eq!(primary.action, "reauthorize");
        assert_eq!(
            primary.link.as_deref(),
            Some("http://127.0.0.1:8480/apps/manage")
        );
        let steps = primary.steps.join(" ");
        for words in ["「アプリの管理」", "「再認可」", "「確認」", "shippinno"] {
            assert!(steps.contains(words), "{words}: {steps}");
        }
        assert!(!steps.contains("再承認"), "{steps}");
        let en = card(texts(Language::En), &expiring, &context(None), None, now);
        let primary = en.primary.expect("a primary action");
        assert_eq!(
            primary.link.as_deref(),
            Some("https://sellercentral.amazon.co.jp/apps/manage")
        );
        let steps = primary.steps.join(" ");
        for words in ["Manage Your Apps", "\"Re-authorize\"", "\"Confirm\""] {
            assert!(steps.contains(words), "{words}: {steps}");
        }
    }

    #[test]
    fn mws_cards_say_seller_centrals_words_for_approve_and_restore() {
        let now: Timestamp = NOW.parse().unwrap();
        let t = texts(Language::Ja);
        let expiring = card(t, &view(false, 340, None, false), &context(None), None, now);
        let primary = expiring.primary.expect("approve");
        assert_eq!(primary.action, "approve");
        assert!(primary.steps.join("").contains("「アクセス権を承認」"));
        assert!(
            !expiring.can_renew_early,
            "the approve form is the primary one"
        );
        let expired = card(t, &view(false, 400, None, false), &context(None), None, now);
        let primary = expired.primary.expect("restore");
        assert_eq!(primary.action, "restore");
        assert!(primary.steps.join("").contains("「アクセス権の復元」"));
        assert!(expired.can_replace_token_too);
        assert!(
            !expired.can_renew_early,
            "an expired grant cannot be approved"
        );
        let healthy = card(t, &view(false, 20, None, false), &context(None), None, now);
        assert!(healthy.primary.is_none());
        assert!(healthy.can_renew_early);
        assert_eq!(healthy.api, "MWS");
        assert_eq!(healthy.home_marketplace, "Amazon.co.jp");
        for words in [t.renew_submit, t.restore_submit] {
            assert!(!words.contains("更新しました"), "{words}");
        }
    }

    #[test]
    fn no_countdown_while_access_is_lost() {
        let now: Timestamp = NOW.parse().unwrap();
        for language in [Language::Ja, Language::En] {
            let lost = card(
                texts(language),
                &view(false, 20, Some(RefusalCause::SellerAccess), false),
                &context(None),
                None,
                now,
            );
            assert_eq!(lost.countdown, None);
            assert_eq!(lost.status_class, ConnectionStatus::AccessDenied.name());
            let spapi_lost = card(
                texts(language),
                &view(true, 20, Some(RefusalCause::AuthorizationLost), false),
                &context(None),
                None,
                now,
            );
            assert_eq!(spapi_lost.countdown, None);
        }
        assert_eq!(
            texts(Language::Ja).status_access_denied,
            "アクセス停止",
            "one name for the event"
        );
    }

    #[test]
    fn cards_are_ordered_by_seller_then_region_not_by_urgency() {
        let mut urgent = view(false, 20, Some(RefusalCause::SellerAccess), false);
        urgent.connection.account = ApiAccount::Mws {
            seller_id: sellerlink_domain::ids::SellerId::parse("A9ZZZZZZZZZZZZ").unwrap(),
            developer_id: sellerlink_domain::ids::DeveloperId::parse("5259-6479-4073").unwrap(),
        };
        let calm = view(false, 20, None, false);
        let mut views = vec![(urgent.clone(), None), (calm.clone(), None)];
        card_order(&mut views);
        assert_eq!(views[0].0.connection.id, calm.connection.id);
        let mut reversed = vec![(calm, None), (urgent.clone(), None)];
        card_order(&mut reversed);
        assert_eq!(reversed[1].0.connection.id, urgent.connection.id);
    }
}
