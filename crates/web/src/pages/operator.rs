//! The operator's overview: counts per state, every connection sorted by urgency (access lost, expired, expiring
//! soonest…; then by merchant and seller ID, so equal rows keep their order) with its API, each merchant's sync
//! health, the orders Amazon sent that could not be read; and the forms to register merchants and their users.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use secrecy::SecretString;
use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::{ApiAccount, ConnectionStatus};
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{Role, SyncOutcome};
use serde::Deserialize;

use super::form::PageForm;
use super::format::{date, jst, status_class, status_label, sync_outcome};
use super::{Chrome, Notice, NoticeQuery, error_page, render, see_other};
use crate::accounts::{self, NewUser};
use crate::api::merchants::{merchant_name, register};
use crate::api::notifications_shared::language;
use crate::auth::caller::PageUser;
use crate::error::{HttpError, WebError};
use crate::i18n::Texts;
use crate::state::WebState;

/// A count of connections in one state.
pub(crate) struct StateCount {
    pub class: &'static str,
    pub label: &'static str,
    pub count: usize,
}

/// A connection in the urgency table.
pub(crate) struct UrgentRow {
    pub merchant_href: String,
    pub merchant_name: String,
    pub seller_id: String,
    /// `MWS` or `SP-API`.
    pub api: &'static str,
    /// The connection's id, for its stock and history pages.
    pub connection_id: String,
    pub status_class: &'static str,
    pub status_label: &'static str,
    pub expiry: String,
    pub last_sync: String,
}

/// The expiry column: the date, with the days left only while they mean something — not once Amazon refuses
/// access or the grant was revoked (a countdown beside "access lost" would mislead).
pub(crate) fn expiry_cell(t: &Texts, view: &ConnectionView) -> String {
    let counting = !matches!(
        view.status,
        ConnectionStatus::AccessDenied | ConnectionStatus::Revoked
    );
    match (view.expires_on, view.days_until_expiry) {
        (Some(day), Some(days)) if days >= 0 && counting => {
            format!("{} ({})", date(day), (t.days_left)(days))
        }
        (Some(day), _) => date(day),
        (None, _) => t.no_expiry.to_owned(),
    }
}

/// A merchant's sync health.
pub(crate) struct MerchantHealth {
    pub href: String,
    pub name: String,
    pub connections: usize,
    pub class: &'static str,
    pub label: &'static str,
    pub detail: String,
    pub last_sync: String,
}

/// An order Amazon sent that could not be read.
pub(crate) struct QuarantineRow {
    pub merchant_href: String,
    pub merchant_name: String,
    pub seller_id: String,
    pub order_key: String,
    pub reason: String,
    pub raw: String,
    pub first_seen: String,
    pub attempts: u32,
}

/// A merchant in the add-user form.
pub(crate) struct MerchantChoice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "operator.html")]
struct OperatorPage {
    chrome: Chrome,
    counts: Vec<StateCount>,
    urgent: Vec<UrgentRow>,
    merchants: Vec<MerchantHealth>,
    quarantined: Vec<QuarantineRow>,
    merchant_options: Vec<MerchantChoice>,
    /// How many connections are due for import and how long the oldest has waited.
    import_queue: String,
}

fn forbidden() -> HttpError {
    HttpError::forbidden("see the operator overview", "全体状況を表示")
}

fn counts(t: &Texts, statuses: &[ConnectionStatus]) -> Vec<StateCount> {
    let order = [
        ConnectionStatus::AccessDenied,
        ConnectionStatus::Expired,
        ConnectionStatus::ExpiringSoon { days_left: 0 },
        ConnectionStatus::Revoked,
        ConnectionStatus::Unverified,
        ConnectionStatus::Active,
    ];
    order
        .into_iter()
        .map(|sample| StateCount {
            class: status_class(sample),
            label: status_label(t, sample),
            count: statuses
                .iter()
                .filter(|s| s.name() == sample.name())
                .count(),
        })
        .collect()
}

async fn overview_page(
    state: &WebState,
    user: &PageUser,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, notice);
    let t = chrome.t;
    let app = state.app();
    let merchants = app.merchants().await?;
    let names: HashMap<MerchantId, String> = merchants
        .iter()
        .map(|m| (m.id, m.name.to_string()))
        .collect();
    let mut views = app.connections(None).await?;
    // The app sorts by urgency then age; equal urgency keeps a fixed order by merchant and seller.
    views.sort_by_cached_key(|view| {
        (
            view.status.urgency(),
            names
                .get(&view.connection.merchant_id)
                .cloned()
                .unwrap_or_default(),
            view.connection.account.seller_id().to_string(),
            view.connection.id.to_string(),
        )
    });
    let mut urgent = Vec::new();
    let mut per_merchant: HashMap<MerchantId, (usize, usize, Option<jiff::Timestamp>)> =
        HashMap::new();
    for view in &views {
        let connection = &view.connection;
        let last = state.store().last_sync_run(connection.id).await?;
        let needs_attention = !matches!(view.status, ConnectionStatus::Active)
            || last
                .as_ref()
                .and_then(|r| r.result.as_ref())
                .is_some_and(|r| r.outcome != SyncOutcome::Ok);
        let entry = per_merchant.entry(connection.merchant_id).or_default();
        entry.0 += 1;
        entry.1 += usize::from(needs_attention);
        let finished = last
            .as_ref()
            .and_then(|r| r.result.as_ref())
            .map(|r| r.finished_at);
        entry.2 = entry.2.max(finished);
        urgent.push(UrgentRow {
            merchant_href: format!("/merchants/{}", connection.merchant_id),
            merchant_name: names
                .get(&connection.merchant_id)
                .cloned()
                .unwrap_or_default(),
            seller_id: connection.account.seller_id().to_string(),
            api: match connection.account {
                ApiAccount::Mws { .. } => "MWS",
                ApiAccount::SpApi { .. } => "SP-API",
            },
            connection_id: connection.id.to_string(),
            status_class: status_class(view.status),
            status_label: status_label(t, view.status),
            expiry: expiry_cell(t, view),
            last_sync: last.as_ref().map_or_else(
                || t.never_synced.to_owned(),
                |run| format!("{} {}", sync_outcome(t, run).0, jst(run.started_at)),
            ),
        });
    }
    let health = merchants
        .iter()
        .map(|m| {
            let (connections, attention, last) =
                per_merchant.get(&m.id).copied().unwrap_or_default();
            let (class, label) = if connections == 0 {
                ("idle", t.health_idle)
            } else if attention == 0 {
                ("ok", t.health_ok)
            } else {
                ("attention", t.health_attention)
            };
            MerchantHealth {
                href: format!("/merchants/{}", m.id),
                name: m.name.to_string(),
                connections,
                class,
                label,
                detail: if attention > 0 {
                    (t.health_detail)(connections, attention)
                } else {
                    String::new()
                },
                last_sync: last.map_or_else(|| "—".to_owned(), jst),
            }
        })
        .collect();
    let statuses: Vec<ConnectionStatus> = views.iter().map(|v| v.status).collect();
    let quarantined = state
        .store()
        .quarantined_orders(None)
        .await?
        .into_iter()
        .filter_map(|q| {
            let connection = &views
                .iter()
                .find(|v| v.connection.id == q.connection_id)?
                .connection;
            Some(QuarantineRow {
                merchant_href: format!("/merchants/{}", connection.merchant_id),
                merchant_name: names
                    .get(&connection.merchant_id)
                    .cloned()
                    .unwrap_or_default(),
                seller_id: connection.account.seller_id().to_string(),
                order_key: q.order_key,
                reason: q.reason,
                raw: q.raw,
                first_seen: jst(q.first_seen),
                attempts: q.attempts,
            })
        })
        .collect();
    let now = state.now();
    let queue = state.store().import_queue(now).await?;
    let oldest_minutes = queue
        .oldest_due
        .map(|due| due.duration_until(now).as_mins().max(0));
    let page = OperatorPage {
        import_queue: (t.import_queue)(queue.due, oldest_minutes),
        quarantined,
        counts: counts(t, &statuses),
        urgent,
        merchants: health,
        merchant_options: merchants
            .iter()
            .map(|m| MerchantChoice {
                value: m.id.to_string(),
                label: m.name.to_string(),
            })
            .collect(),
        chrome,
    };
    Ok(render(status, &page))
}

/// `/operator` (operators only).
pub(crate) async fn overview(
    State(state): State<WebState>,
    user: PageUser,
    Query(query): Query<NoticeQuery>,
) -> Response {
    if !user.is_operator() {
        return error_page(&user.visitor, &forbidden());
    }
    let notice = query.notice(crate::i18n::texts(user.visitor.language));
    overview_page(&state, &user, notice, StatusCode::OK)
        .await
        .unwrap_or_else(|error| error_page(&user.visitor, &error))
}

async fn refused(state: &WebState, user: &PageUser, error: &HttpError) -> Response {
    let notice = Notice::error(error.message_in(user.visitor.language));
    overview_page(state, user, Some(notice), error.status)
        .await
        .unwrap_or_else(|e| error_page(&user.visitor, &e))
}

#[derive(Deserialize)]
pub(crate) struct MerchantForm {
    name: String,
    language: Option<String>,
}

/// Registers a merchant.
pub(crate) async fn add_merchant(
    State(state): State<WebState>,
    user: PageUser,
    form: Result<PageForm<MerchantForm>, HttpError>,
) -> Response {
    if !user.is_operator() {
        return error_page(&user.visitor, &forbidden());
    }
    let added = async {
        let PageForm(form) = form?;
        let name = merchant_name(&form.name)?;
        let language = language("language", form.language.as_deref())?.unwrap_or_default();
        register(&state, name, language, &user.actor()).await
    }
    .await;
    match added {
        Ok(_) => see_other("/operator?notice=merchant_added"),
        Err(error) => refused(&state, &user, &error).await,
    }
}

#[derive(Deserialize)]
pub(crate) struct UserForm {
    merchant_id: String,
    email: String,
    password: String,
    language: Option<String>,
}

/// Adds a user for a merchant.
pub(crate) async fn add_user_form(
    state: &WebState,
    user: &PageUser,
    form: UserForm,
) -> Result<(), HttpError> {
    let merchant =
        MerchantId::parse(&form.merchant_id).map_err(|_| crate::tenancy::merchant_not_found())?;
    user.scope().merchant_record(state.app(), merchant).await?;
    let new = NewUser {
        email: form.email,
        password: SecretString::from(form.password),
        role: Role::Merchant(merchant),
        language: language("language", form.language.as_deref())?.unwrap_or_default(),
    };
    accounts::add_user(
        state.store(),
        new,
        state.config().password_cost,
        state.now(),
    )
    .await
    .map(|_| ())
    .map_err(|error| match error {
        WebError::Store(sellerlink_store::StoreError::Duplicate { .. }) => HttpError::new(
            StatusCode::CONFLICT,
            "user_exists",
            "A user with this e-mail address already exists.",
            "このメールアドレスのユーザーはすでに登録されています。",
        ),
        WebError::Account(message) => HttpError::invalid("user", message.clone(), message),
        other => HttpError::internal(&other),
    })
}

/// `POST /operator/users`.
pub(crate) async fn add_user(
    State(state): State<WebState>,
    user: PageUser,
    form: Result<PageForm<UserForm>, HttpError>,
) -> Response {
    if !user.is_operator() {
        return error_page(&user.visitor, &forbidden());
    }
    let added = match form {
        Ok(PageForm(form)) => add_user_form(&state, &user, form).await,
        Err(error) => Err(error),
    };
    match added {
        Ok(()) => see_other("/operator?notice=user_added"),
        Err(error) => refused(&state, &user, &error).await,
    }
}

#[cfg(test)]
mod tests {
    use sellerlink_domain::refusal::RefusalCause;

    use super::*;
    use crate::pages::primary_action::tests::view;

    #[test]
    fn no_days_left_beside_lost_or_revoked_access() {
        let t = crate::i18n::texts(sellerlink_domain::connection::Language::Ja);
        let healthy = view(false, 20, None, false);
        assert!(
            expiry_cell(t, &healthy).contains("あと 345 日"),
            "{}",
            expiry_cell(t, &healthy)
        );
        for lost in [
            view(false, 20, Some(RefusalCause::SellerAccess), false),
            view(false, 20, None, true),
        ] {
            let cell = expiry_cell(t, &lost);
            assert!(!cell.contains("あと"), "{:?}: {cell}", lost.status);
            assert!(cell.starts_with("2027-"), "{cell}");
        }
    }
}
