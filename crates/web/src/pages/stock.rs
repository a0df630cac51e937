//! The stock page of one connection (`/connections/{id}/stock`): every SKU's quantity as the warehouse set it, where
//! its push to Amazon stands (waiting, sent in a feed, accepted, refused with Amazon's reason), what Amazon accepted
//! and when, and the feed still being processed. Filtered by SKU (starts with / contains) and state, paged by the
//! house paging rule. A merchant's user sees its own connections only (another's is a 404).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use sellerlink_app::ConnectionView;
use sellerlink_domain::connection::ApiAccount;
use sellerlink_domain::ids::Sku;
use sellerlink_store::{SkuSearch, StockFilter, StockLevel, StockState};
use serde::Deserialize;

use super::audit::capped;
use super::format::jst;
use super::{Chrome, error_page, render};
use crate::api::connections::connection_id;
use crate::auth::caller::PageUser;
use crate::error::{HttpError, echo};
use crate::i18n::Texts;
use crate::paging::Paging;
use crate::state::WebState;

/// SKUs on one page.
const PER_PAGE: u32 = 50;
/// The longest SKU Amazon accepts, so the longest search that can match.
const SKU_MAX_CHARS: usize = Sku::MAX_LEN;

/// The connection a page is about, as its heading and links show it.
pub(crate) struct ConnectionHeading {
    pub id: String,
    pub seller_id: String,
    /// `MWS` or `SP-API`.
    pub api: &'static str,
    pub dashboard_href: String,
    pub stock_href: String,
    pub audit_href: String,
}

impl ConnectionHeading {
    pub(crate) fn of(view: &ConnectionView) -> Self {
        let connection = &view.connection;
        let id = connection.id.to_string();
        Self {
            seller_id: connection.account.seller_id().to_string(),
            api: match connection.account {
                ApiAccount::Mws { .. } => "MWS",
                ApiAccount::SpApi { .. } => "SP-API",
            },
            dashboard_href: format!("/merchants/{}", connection.merchant_id),
            stock_href: format!("/connections/{id}/stock"),
            audit_href: format!("/connections/{id}/audit"),
            id,
        }
    }
}

/// The line above a list and its links to the neighbouring pages.
pub(crate) struct Pager {
    pub summary: String,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub page_label: String,
}

impl Pager {
    /// The pager of page `paging` of `total` rows, `shown` of them on this page; `href` makes a page's link.
    pub(crate) fn new(
        t: &Texts,
        paging: Paging,
        total: u64,
        shown: usize,
        href: impl Fn(u32) -> String,
    ) -> Self {
        let per_page = u64::from(paging.per_page);
        let page = u64::from(paging.page);
        let pages = total.div_ceil(per_page).max(1);
        let offset = paging.offset();
        let first = if shown == 0 { 0 } else { offset + 1 };
        let last = offset + shown as u64;
        Self {
            summary: (t.list_summary)(total, first, last),
            prev_href: (page > 1).then(|| href(paging.page - 1)),
            next_href: (page < pages).then(|| href(paging.page + 1)),
            page_label: (t.page_label)(page, pages),
        }
    }
}

/// An option of a filter's `<select>`.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One SKU as the page shows it.
pub(crate) struct StockRow {
    pub sku: String,
    pub quantity: u32,
    pub state: &'static str,
    pub state_class: &'static str,
    pub state_label: &'static str,
    /// Amazon's reason for a refusal, or the last failed attempt and when the next one is.
    pub note: Option<String>,
    pub at_amazon: String,
    pub in_flight: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "stock.html")]
struct StockPage {
    chrome: Chrome,
    connection: ConnectionHeading,
    sku: String,
    match_options: Vec<Choice>,
    state_options: Vec<Choice>,
    filter_error: Option<String>,
    /// Nothing recorded for the connection at all (not just nothing matching the filters).
    nothing_yet: bool,
    rows: Vec<StockRow>,
    pager: Pager,
}

/// The filters as typed in the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct StockFilters {
    sku: Option<String>,
    #[serde(rename = "match")]
    sku_match: Option<String>,
    state: Option<String>,
    page: Option<String>,
}

/// How the typed SKU is matched: `contains` (the default) or `prefix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SkuMatch {
    Contains,
    Prefix,
}

/// The filters once read.
struct ReadFilters {
    sku: Option<String>,
    sku_match: SkuMatch,
    state: Option<StockState>,
    paging: Paging,
}

impl StockFilters {
    fn read(&self) -> Result<ReadFilters, HttpError> {
        let sku = self.sku.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(sku) = sku {
            let count = sku.chars().count();
            if count > SKU_MAX_CHARS || sku.chars().any(char::is_control) {
                return Err(HttpError::invalid(
                    "sku",
                    format!(
                        "sku: {} cannot be part of a SKU; expected up to {SKU_MAX_CHARS} characters without \
                         control characters, e.g. TK-MUG",
                        echo(sku)
                    ),
                    format!(
                        "SKU: {} は SKU の一部として読めません。制御文字を含まない {SKU_MAX_CHARS} 文字以内で入力してください（例: TK-MUG）。",
                        echo(sku)
                    ),
                ));
            }
        }
        let sku_match = match self.sku_match.as_deref().map(str::trim) {
            None | Some("") | Some("contains") => SkuMatch::Contains,
            Some("prefix") => SkuMatch::Prefix,
            Some(other) => {
                return Err(HttpError::invalid(
                    "match",
                    format!(
                        "match: {} is not a way to match SKUs; expected prefix or contains",
                        echo(other)
                    ),
                    format!(
                        "match: {} は SKU の一致のしかたとして読めません。prefix（で始まる）または contains（を含む）を指定してください。",
                        echo(other)
                    ),
                ));
            }
        };
        let state = match self.state.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(StockState::parse(text).ok_or_else(|| {
                HttpError::invalid(
                    "state",
                    format!(
                        "state: {} is not a stock state; expected pending, submitted, pushed or rejected",
                        echo(text)
                    ),
                    format!(
                        "state: {} は在庫の状態として読めません。pending、submitted、pushed、rejected のいずれかを指定してください。",
                        echo(text)
                    ),
                )
            })?),
        };
        let paging = Paging::parse(self.page.as_deref(), None, PER_PAGE, PER_PAGE)?;
        Ok(ReadFilters {
            sku: sku.map(str::to_owned),
            sku_match,
            state,
            paging,
        })
    }

    /// This list with the same filters on another page.
    fn href(&self, connection: &str, page: u32) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("sku", &self.sku),
            ("match", &self.sku_match),
            ("state", &self.state),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/connections/{connection}/stock?{}", query.finish())
    }
}

/// The CSS class of a state's badge.
fn state_class(state: StockState) -> &'static str {
    match state {
        StockState::Pending => "idle",
        StockState::Submitted => "running",
        StockState::Pushed => "ok",
        StockState::Rejected => "failed",
    }
}

fn row(t: &Texts, level: &StockLevel) -> StockRow {
    let note = match (level.state, level.last_error.as_deref()) {
        (StockState::Rejected, Some(reason)) => Some((t.stock_refused_because)(&capped(reason))),
        (StockState::Pending | StockState::Submitted, Some(error)) if level.attempts > 0 => Some(
            (t.stock_retrying)(level.attempts, &capped(error), &jst(level.next_attempt_at)),
        ),
        _ => None,
    };
    let at_amazon = match (level.pushed_quantity, level.pushed_at) {
        (Some(quantity), Some(at)) => (t.stock_accepted_at)(quantity, &jst(at)),
        (Some(quantity), None) => quantity.to_string(),
        _ => t.stock_not_accepted_yet.to_owned(),
    };
    let in_flight = match (&level.feed_submission_id, level.submitted_quantity) {
        (Some(feed), Some(quantity)) => (t.stock_feed)(feed, quantity),
        (Some(feed), None) => (t.stock_feed)(feed, level.quantity),
        _ => "—".to_owned(),
    };
    StockRow {
        sku: level.sku.clone(),
        quantity: level.quantity,
        state: level.state.as_str(),
        state_class: state_class(level.state),
        state_label: (t.stock_state_label)(level.state),
        note,
        at_amazon,
        in_flight,
        updated: jst(level.updated_at),
    }
}

fn choices(current: &str, all: Option<&str>, options: Vec<(&str, &str)>) -> Vec<Choice> {
    let mut out = Vec::new();
    if let Some(all) = all {
        out.push(Choice {
            value: String::new(),
            label: all.to_owned(),
            selected: current.is_empty(),
        });
    }
    out.extend(options.into_iter().map(|(value, label)| Choice {
        selected: value == current,
        value: value.to_owned(),
        label: label.to_owned(),
    }));
    out
}

/// `/connections/{id}/stock`.
pub(crate) async fn list(
    State(state): State<WebState>,
    user: PageUser,
    Path(connection): Path<String>,
    Query(filters): Query<StockFilters>,
) -> Response {
    let view = match connection_id(&connection) {
        Ok(id) => user.scope().connection(state.app(), id).await,
        Err(error) => Err(error),
    };
    let view = match view {
        Ok(view) => view,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let chrome = Chrome::new(&user.visitor, None);
    let t = chrome.t;
    let heading = ConnectionHeading::of(&view);
    let (read, filter_error) = match filters.read() {
        Ok(read) => (Some(read), None),
        Err(error) => (
            None,
            Some(error.message_in(user.visitor.language).to_owned()),
        ),
    };
    let all_of_connection = StockFilter {
        connection: Some(view.connection.id),
        ..StockFilter::default()
    };
    let store = state.store();
    let recorded = match store.count_stock_levels(&all_of_connection).await {
        Ok(count) => count,
        Err(error) => return error_page(&user.visitor, &error.into()),
    };
    let paging = read.as_ref().map_or(
        Paging {
            page: 1,
            per_page: PER_PAGE,
        },
        |r| r.paging,
    );
    // A filter that does not read lists nothing rather than everything.
    let (levels, total) = match &read {
        Some(read) => {
            let filter = StockFilter {
                sku_search: read.sku.clone().map(|sku| match read.sku_match {
                    SkuMatch::Prefix => SkuSearch::Prefix(sku),
                    SkuMatch::Contains => SkuSearch::Contains(sku),
                }),
                states: read.state.into_iter().collect(),
                limit: read.paging.per_page,
                offset: read.paging.offset(),
                ..all_of_connection
            };
            match (
                store.stock_levels(&filter).await,
                store.count_stock_levels(&filter).await,
            ) {
                (Ok(levels), Ok(total)) => (levels, total),
                (Err(error), _) | (_, Err(error)) => {
                    return error_page(&user.visitor, &error.into());
                }
            }
        }
        None => (Vec::new(), 0),
    };
    let current_match = match read.as_ref().map(|r| r.sku_match) {
        Some(SkuMatch::Prefix) => "prefix",
        _ => "contains",
    };
    let state_names: Vec<(&str, &str)> = StockState::ALL
        .iter()
        .map(|s| (s.as_str(), (t.stock_state_label)(*s)))
        .collect();
    let page = StockPage {
        sku: filters.sku.clone().unwrap_or_default(),
        match_options: choices(
            current_match,
            None,
            vec![
                ("contains", t.stock_sku_contains),
                ("prefix", t.stock_sku_prefix),
            ],
        ),
        state_options: choices(
            read.as_ref()
                .and_then(|r| r.state)
                .map_or("", StockState::as_str),
            Some(t.stock_all_states),
            state_names,
        ),
        nothing_yet: recorded == 0,
        rows: levels.iter().map(|level| row(t, level)).collect(),
        pager: Pager::new(t, paging, total, levels.len(), |page| {
            filters.href(&heading.id, page)
        }),
        filter_error,
        connection: heading,
        chrome,
    };
    let status = if page.filter_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sellerlink_domain::connection::Language;

    #[test]
    fn filters_read_or_name_the_field() {
        let read = StockFilters {
            sku: Some("  TK-MUG ".into()),
            sku_match: Some("prefix".into()),
            state: Some("rejected".into()),
            page: Some("2".into()),
        }
        .read()
        .unwrap();
        assert_eq!(read.sku.as_deref(), Some("TK-MUG"));
        assert_eq!(read.sku_match, SkuMatch::Prefix);
        assert_eq!(read.state, Some(StockState::Rejected));
        assert_eq!(read.paging.offset(), 50);
        let defaults = StockFilters::default().read().unwrap();
        assert_eq!(defaults.sku, None);
        assert_eq!(defaults.sku_match, SkuMatch::Contains);
        for (filters, field) in [
            (
                StockFilters {
                    sku: Some("x".repeat(41)),
                    ..StockFilters::default()
                },
                "sku",
            ),
            (
                StockFilters {
                    sku_match: Some("regex".into()),
                    ..StockFilters::default()
                },
                "match",
            ),
            (
                StockFilters {
                    state: Some("Pushed".into()),
                    ..StockFilters::default()
                },
                "state",
            ),
            (
                StockFilters {
                    page: Some("0".into()),
                    ..StockFilters::default()
                },
                "page",
            ),
        ] {
            let error = filters.read().err().expect("refused");
            assert_eq!(error.field, Some(field));
            assert!(
                error.message.starts_with(&format!("{field}: ")),
                "{}",
                error.message
            );
            assert!(!error.message_ja.is_empty());
        }
    }

    #[test]
    fn page_links_keep_the_filters() {
        let filters = StockFilters {
            sku: Some("湯呑み".into()),
            sku_match: Some("prefix".into()),
            state: Some(String::new()),
            page: Some("1".into()),
        };
        assert_eq!(
            filters.href("c1", 2),
            "/connections/c1/stock?sku=%E6%B9%AF%E5%91%91%E3%81%BF&match=prefix&page=2"
        );
    }

    #[test]
    fn every_language_names_every_state() {
        for language in [Language::Ja, Language::En] {
            let t = crate::i18n::texts(language);
            let labels: Vec<_> = StockState::ALL
                .iter()
                .map(|s| (t.stock_state_label)(*s))
                .collect();
            let mut unique = labels.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), labels.len(), "{labels:?}");
        }
    }
}
