//! The notification log: what was sent (reminder N days before expiry, access-loss alert, access restored,
//! test), about which connection, to which channel, when, and whether it arrived — newest first, a page at a time,
//! filtered by status and kind (and merchant, for operators). A merchant sees those about itself only.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{ChannelId, DeliveryKind, DeliveryState};
use serde::Deserialize;

use super::format::jst;
use super::{Chrome, error_page, render};
use crate::api::notifications_shared::{
    DEFAULT_PER_PAGE, LogEntry, LogFilter, delivery_kind, delivery_state, log_page,
};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::paging::Paging;
use crate::state::WebState;
use crate::tenancy::{Scope, merchant_not_found};

/// An option of a filter `<select>`.
pub(crate) struct FilterOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One delivery in the table.
pub(crate) struct DeliveryRow {
    pub id: String,
    pub when: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub merchant: String,
    pub connection: String,
    pub recipient: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub state_class: &'static str,
    pub attempts: u32,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct LogPageView {
    chrome: Chrome,
    merchant_name: Option<String>,
    channels_href: Option<String>,
    connection_id: Option<String>,
    channel_id: Option<String>,
    merchant_options: Option<Vec<FilterOption>>,
    status_options: Vec<FilterOption>,
    kind_options: Vec<FilterOption>,
    show_merchant: bool,
    rows: Vec<DeliveryRow>,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_label: String,
}

/// The filters as typed in the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LogQuery {
    merchant_id: Option<String>,
    connection_id: Option<String>,
    channel_id: Option<String>,
    status: Option<String>,
    kind: Option<String>,
    page: Option<String>,
}

impl LogQuery {
    /// These filters on another page.
    fn href(&self, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("merchant_id", &self.merchant_id),
            ("connection_id", &self.connection_id),
            ("channel_id", &self.channel_id),
            ("status", &self.status),
            ("kind", &self.kind),
        ];
        for (name, value) in pairs {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/notifications?{}", query.finish())
    }

    /// The filters parsed; an id that does not parse names nothing, so it is a 404.
    fn filter(&self) -> Result<LogFilter, HttpError> {
        fn given(text: &Option<String>) -> Option<&str> {
            text.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        let Paging { page, per_page } = Paging::parse(
            self.page.as_deref(),
            None,
            DEFAULT_PER_PAGE,
            DEFAULT_PER_PAGE,
        )?;
        Ok(LogFilter {
            merchant: given(&self.merchant_id)
                .map(|m| MerchantId::parse(m).map_err(|_| merchant_not_found()))
                .transpose()?,
            connection: given(&self.connection_id)
                .map(crate::api::connections::connection_id)
                .transpose()?,
            channel: given(&self.channel_id)
                .map(|c| {
                    ChannelId::parse(c)
                        .map_err(|_| crate::api::notifications_shared::channel_not_found())
                })
                .transpose()?,
            kind: delivery_kind(self.kind.as_deref())?,
            state: delivery_state(self.status.as_deref())?,
            page,
            per_page,
        })
    }
}

/// The words and CSS class of a delivery state.
pub(crate) fn state_words(t: &Texts, state: DeliveryState) -> (&'static str, &'static str) {
    match state {
        DeliveryState::Delivered => (t.state_delivered, "ok"),
        DeliveryState::Failed => (t.state_failed, "failed"),
        DeliveryState::Planned => (t.state_pending, "running"),
        DeliveryState::Sending => (t.state_sending, "running"),
        DeliveryState::Skipped => (t.state_skipped, "idle"),
    }
}

/// What a delivery reports, in words.
pub(crate) fn kind_words(t: &Texts, kind: DeliveryKind, offset_days: Option<i32>) -> String {
    match kind {
        DeliveryKind::ExpiryReminder => match offset_days {
            Some(days) => (t.kind_reminder)(days),
            None => t.kind_reminder_any.to_owned(),
        },
        DeliveryKind::AccessLost => t.kind_access_lost.to_owned(),
        DeliveryKind::AccessRestored => t.kind_access_restored.to_owned(),
        DeliveryKind::Test => t.kind_test.to_owned(),
    }
}

fn row(t: &Texts, entry: &LogEntry) -> DeliveryRow {
    let record = &entry.record;
    let (state_label, state_class) = state_words(t, record.state);
    DeliveryRow {
        id: record.id.to_string(),
        when: jst(record
            .delivered_at
            .or(record.sent_at)
            .unwrap_or(record.planned_at)),
        kind: record.kind.as_str(),
        kind_label: kind_words(t, record.kind, record.offset_days),
        merchant: entry
            .merchant_name
            .clone()
            .unwrap_or_else(|| "—".to_owned()),
        connection: entry.seller_id.clone().unwrap_or_else(|| "—".to_owned()),
        recipient: if entry.shows_details() {
            record.recipient.clone()
        } else {
            t.to_operator.to_owned()
        },
        state: record.state.as_str(),
        state_label,
        state_class,
        attempts: record.attempts,
        error: if entry.shows_details() {
            record.last_error.clone()
        } else {
            None
        },
    }
}

fn options(all: &str, current: Option<&str>, choices: Vec<(String, String)>) -> Vec<FilterOption> {
    let current = current.unwrap_or_default();
    let mut out = vec![FilterOption {
        value: String::new(),
        label: all.to_owned(),
        selected: current.is_empty(),
    }];
    out.extend(choices.into_iter().map(|(value, label)| FilterOption {
        selected: value == current,
        value,
        label,
    }));
    out
}

async fn log(state: &WebState, user: &PageUser, query: &LogQuery) -> Result<Response, HttpError> {
    let chrome = Chrome::new(&user.visitor, None);
    let t = chrome.t;
    let scope = user.scope();
    let filter = query.filter()?;
    let page = log_page(state, scope, &filter).await?;
    let shown_merchant = scope.narrow(filter.merchant)?;
    let merchant_name = match shown_merchant {
        Some(id) => Some(
            scope
                .merchant_record(state.app(), id)
                .await?
                .name
                .to_string(),
        ),
        None => None,
    };
    let channels_href = Some(match shown_merchant {
        Some(id) => format!("/merchants/{id}/notification-channels"),
        None => "/operator/notification-channels".to_owned(),
    });
    let merchant_options = match scope {
        Scope::All => Some(options(
            t.all_merchants,
            query.merchant_id.as_deref(),
            state
                .app()
                .merchants()
                .await?
                .iter()
                .map(|m| (m.id.to_string(), m.name.to_string()))
                .collect(),
        )),
        Scope::Merchant(_) => None,
    };
    let status_options = options(
        t.all_statuses,
        query.status.as_deref(),
        [
            ("delivered", t.state_delivered),
            ("failed", t.state_failed),
            ("pending", t.state_pending),
            ("sending", t.state_sending),
            ("skipped", t.state_skipped),
        ]
        .into_iter()
        .map(|(value, label)| (value.to_owned(), label.to_owned()))
        .collect(),
    );
    let kind_options = options(
        t.all_kinds,
        query.kind.as_deref(),
        DeliveryKind::ALL
            .iter()
            .map(|kind| (kind.as_str().to_owned(), kind_words(t, *kind, None)))
            .collect(),
    );
    let view = LogPageView {
        merchant_name,
        channels_href,
        connection_id: filter.connection.map(|c| c.to_string()),
        channel_id: filter.channel.map(|c| c.to_string()),
        merchant_options,
        status_options,
        kind_options,
        show_merchant: matches!(scope, Scope::All),
        rows: page.entries.iter().map(|e| row(t, e)).collect(),
        prev_href: (page.page > 1).then(|| query.href(page.page - 1)),
        next_href: page.has_more.then(|| query.href(page.page + 1)),
        page_label: (t.log_page_label)(page.page),
        chrome,
    };
    Ok(render(StatusCode::OK, &view))
}

/// `/notifications`.
pub(crate) async fn list(
    State(state): State<WebState>,
    user: PageUser,
    Query(query): Query<LogQuery>,
) -> Response {
    log(&state, &user, &query)
        .await
        .unwrap_or_else(|error| error_page(&user.visitor, &error))
}
