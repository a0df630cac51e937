//! The order list (filters: merchant, status, purchase dates, marketplace, channel, ship-by date; sorted by
//! purchase or by 出荷期限; paged) and one order with its items. A merchant's user sees its own orders only; an
//! operator's list names each order's merchant (荷主). Values read as Seller Central writes them (see
//! [`super::order_format`]).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MerchantId};
use sellerlink_domain::marketplace;
use sellerlink_domain::order::{OrderStatus, StoredOrder};
use sellerlink_store::{
    ConnectionFilter, ListedOrder, OrderQuery, OrderSort, ShipmentFilter, ShipmentRecord,
    ShipmentState,
};
use serde::Deserialize;

use super::format::{jst, or_dash};
use super::order_format::{self, amazon_time, money, ship_by_class, shipping_level};
use super::{Chrome, error_page, render};
use crate::api::orders::{
    DEFAULT_PER_PAGE, channel, find, marketplace as marketplace_filter, scoped, ship_by, sort,
};
use crate::auth::caller::PageUser;
use crate::error::HttpError;
use crate::i18n::Texts;
use crate::paging::{Paging, order_statuses};
use crate::state::WebState;
use crate::tenancy::Scope;

/// An option of a `<select>`.
pub(crate) struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// One line of the order table.
pub(crate) struct OrderRow {
    pub href: String,
    pub order_id: String,
    /// The merchant (荷主), on an operator's list only.
    pub merchant: Option<String>,
    pub purchased: String,
    pub ship_by: String,
    /// `overdue`, `due-today` or empty: the 出荷期限 cell's class.
    pub ship_by_class: &'static str,
    pub status: String,
    /// The status in Amazon's spelling (`Unshipped`), for CSS and tests.
    pub status_code: String,
    pub marketplace: String,
    pub channel: String,
    pub total: String,
    pub items: u64,
}

#[derive(Template)]
#[template(path = "orders.html")]
pub(crate) struct OrdersPage {
    chrome: Chrome,
    connection_id: Option<String>,
    merchant_options: Option<Vec<Choice>>,
    status_options: Vec<Choice>,
    marketplace_options: Vec<Choice>,
    channel_options: Vec<Choice>,
    ship_by_options: Vec<Choice>,
    sort_options: Vec<Choice>,
    /// Whether the list names each order's merchant (an operator's list).
    merchant_column: bool,
    /// The 出荷期限 header's link: earliest first, or latest first when that is the current sort.
    ship_by_sort_href: String,
    /// `ascending`, `descending` or `none`: the 出荷期限 header's `aria-sort`.
    ship_by_aria_sort: &'static str,
    /// The 注文日時 header's link: the default sort.
    purchased_sort_href: String,
    purchased_aria_sort: &'static str,
    from: String,
    to: String,
    filter_error: Option<String>,
    summary: String,
    rows: Vec<OrderRow>,
    prev_href: Option<String>,
    next_href: Option<String>,
    page_label: String,
}

/// The filters as typed in the query string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    merchant_id: Option<String>,
    connection_id: Option<String>,
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
    marketplace_id: Option<String>,
    channel: Option<String>,
    ship_by: Option<String>,
    sort: Option<String>,
    page: Option<String>,
}

impl Filters {
    /// The query string of these filters on another page.
    fn href(&self, page: u64) -> String {
        self.href_sorted(self.sort.as_deref(), Some(page))
    }

    /// The query string of these filters with another sort (`None`: the default), from the first page unless
    /// `page` says otherwise.
    fn href_sorted(&self, sort: Option<&str>, page: Option<u64>) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("merchant_id", self.merchant_id.as_deref()),
            ("connection_id", self.connection_id.as_deref()),
            ("status", self.status.as_deref()),
            ("from", self.from.as_deref()),
            ("to", self.to.as_deref()),
            ("marketplace_id", self.marketplace_id.as_deref()),
            ("channel", self.channel.as_deref()),
            ("ship_by", self.ship_by.as_deref()),
            ("sort", sort),
        ];
        for (name, value) in pairs {
            if let Some(value) = value.filter(|v| !v.is_empty()) {
                query.append_pair(name, value);
            }
        }
        if let Some(page) = page {
            query.append_pair("page", &page.to_string());
        }
        let query = query.finish();
        if query.is_empty() {
            "/orders".to_owned()
        } else {
            format!("/orders?{query}")
        }
    }
}

const STATUSES: [OrderStatus; 7] = [
    OrderStatus::Pending,
    OrderStatus::Unshipped,
    OrderStatus::PartiallyShipped,
    OrderStatus::Shipped,
    OrderStatus::Canceled,
    OrderStatus::Unfulfillable,
    OrderStatus::PendingAvailability,
];

fn choices(all: &str, current: Option<&str>, options: Vec<(String, String)>) -> Vec<Choice> {
    let current = current.unwrap_or_default();
    let mut out = vec![Choice {
        value: String::new(),
        label: all.to_owned(),
        selected: current.is_empty(),
    }];
    out.extend(options.into_iter().map(|(value, label)| Choice {
        selected: value == current,
        value,
        label,
    }));
    out
}

/// The start of a Japan-time day as an instant.
fn day_start(t: &Texts, text: Option<&str>) -> Result<Option<Timestamp>, String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let day: Date = text.parse().map_err(|_| (t.bad_date)(text))?;
    day.to_zoned_datetime(TimeZone::fixed(tz::offset(9)))
        .map(|z| Some(z.timestamp()))
        .map_err(|_| (t.bad_date)(text))
}

/// What a path segment keeps unencoded: letters, digits and `-._~` (RFC 3986's unreserved characters).
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The order page's address. Amazon's order ids may hold `/`, `?`, `#` or `%`, so the id is percent-encoded as one
/// path segment (the usual `503-1234567-1234567` is unchanged).
pub(crate) fn order_href(connection: ConnectionId, order: &AmazonOrderId) -> String {
    format!(
        "/connections/{connection}/orders/{}",
        utf8_percent_encode(order.as_str(), PATH_SEGMENT)
    )
}

/// A line of the table; `merchants` names each connection's merchant on an operator's list (`None`: a merchant's
/// own list, without the column).
pub(crate) fn row(
    t: &Texts,
    listed: &ListedOrder,
    merchants: Option<&HashMap<ConnectionId, String>>,
    now: Timestamp,
) -> OrderRow {
    let stored = &listed.stored;
    let order = &stored.order;
    OrderRow {
        href: order_href(stored.connection_id, &order.amazon_order_id),
        order_id: order.amazon_order_id.to_string(),
        merchant: merchants.map(|names| {
            names
                .get(&stored.connection_id)
                .cloned()
                .unwrap_or_else(|| "—".to_owned())
        }),
        purchased: amazon_time(t, Some(order.purchase_date)),
        ship_by: amazon_time(t, order.latest_ship_date),
        ship_by_class: ship_by_class(order, now),
        status: (t.order_status_label)(&order.status),
        status_code: order.status.as_str().to_owned(),
        marketplace: order.marketplace_id.marketplace().name.to_owned(),
        channel: order_format::channel(t, order.fulfillment_channel),
        total: money(order.order_total.as_ref()),
        items: listed.item_count,
    }
}

/// What an operator's list shows beyond a merchant's: every merchant (for the filter) and each connection's
/// merchant (the 荷主 column).
pub(crate) struct OperatorView {
    /// `(id, name)` of every merchant.
    pub merchants: Vec<(String, String)>,
    /// Each connection's merchant name.
    pub names: HashMap<ConnectionId, String>,
}

/// A page of the list as read from the store.
pub(crate) struct Listing {
    pub orders: Vec<ListedOrder>,
    /// How many orders match the filters.
    pub total: u64,
    /// On an operator's list only.
    pub operator: Option<OperatorView>,
}

async fn operator_view(state: &WebState) -> Result<OperatorView, HttpError> {
    let merchants = state.app().merchants().await?;
    let by_id: HashMap<MerchantId, String> = merchants
        .iter()
        .map(|m| (m.id, m.name.to_string()))
        .collect();
    let connections = state
        .store()
        .connections(&ConnectionFilter::default())
        .await?;
    let names = connections
        .into_iter()
        .filter_map(|stored| {
            let connection = stored.connection;
            let name = by_id.get(&connection.merchant_id)?.clone();
            Some((connection.id, name))
        })
        .collect();
    Ok(OperatorView {
        merchants: merchants
            .iter()
            .map(|m| (m.id.to_string(), m.name.to_string()))
            .collect(),
        names,
    })
}

/// Builds the store query from the typed filters, or the message of the first filter that does not read.
fn query_of(
    t: &Texts,
    filters: &Filters,
    language: sellerlink_domain::connection::Language,
    now: Timestamp,
) -> Result<OrderQuery, String> {
    let message = |e: HttpError| e.message_in(language).to_owned();
    let from = day_start(t, filters.from.as_deref())?;
    let to = day_start(t, filters.to.as_deref())?
        .map(|start| start + jiff::SignedDuration::from_hours(24));
    let paging = Paging::parse(
        filters.page.as_deref(),
        None,
        DEFAULT_PER_PAGE,
        DEFAULT_PER_PAGE,
    )
    .map_err(message)?;
    Ok(OrderQuery {
        statuses: order_statuses(filters.status.as_deref()).map_err(message)?,
        marketplace: marketplace_filter(filters.marketplace_id.as_deref()).map_err(message)?,
        channel: channel(filters.channel.as_deref()).map_err(message)?,
        purchased_after: from,
        purchased_before: to,
        ship_by: ship_by(filters.ship_by.as_deref(), now).map_err(message)?,
        sort: sort(filters.sort.as_deref()).map_err(message)?,
        limit: paging.per_page,
        offset: paging.offset(),
        ..OrderQuery::default()
    })
}

/// `/orders`.
pub(crate) async fn list(
    State(state): State<WebState>,
    user: PageUser,
    Query(filters): Query<Filters>,
) -> Response {
    let chrome = Chrome::new(&user.visitor, None);
    let t = chrome.t;
    let scope = user.scope();
    let merchant = filters
        .merchant_id
        .as_deref()
        .filter(|m| !m.is_empty())
        .map(|m| MerchantId::parse(m).map_err(|_| crate::tenancy::merchant_not_found()))
        .transpose();
    let connection = filters
        .connection_id
        .as_deref()
        .filter(|c| !c.is_empty())
        .map(crate::api::connections::connection_id)
        .transpose();
    let (merchant, connection): (Option<MerchantId>, Option<ConnectionId>) =
        match (merchant, connection) {
            (Ok(m), Ok(c)) => (m, c),
            (Err(error), _) | (_, Err(error)) => return error_page(&user.visitor, &error),
        };
    let mut filter_error = None;
    let now = state.now();
    let base = match query_of(t, &filters, user.visitor.language, now) {
        Ok(query) => query,
        Err(message) => {
            filter_error = Some(message);
            OrderQuery::default()
        }
    };
    let query = match scoped(&state, scope, merchant, connection, base).await {
        Ok(query) => query,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let store = state.store();
    // A filter that does not read lists nothing rather than everything.
    let (orders, total) = if filter_error.is_some() {
        (Vec::new(), 0)
    } else {
        match (
            store.order_list(&query).await,
            state.count_orders(&query).await,
        ) {
            (Ok(orders), Ok(total)) => (orders, total),
            (Err(error), _) | (_, Err(error)) => return error_page(&user.visitor, &error.into()),
        }
    };
    let operator = match scope {
        Scope::All => match operator_view(&state).await {
            Ok(view) => Some(view),
            Err(error) => return error_page(&user.visitor, &error),
        },
        Scope::Merchant(_) => None,
    };
    let listing = Listing {
        orders,
        total,
        operator,
    };
    let page_view = list_page(
        chrome,
        &filters,
        &query,
        connection,
        filter_error,
        listing,
        now,
    );
    let status = if page_view.filter_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page_view)
}

/// The list page of what was read: the filters as typed, the query they made, the connection the list is narrowed
/// to, a filter's error, the orders, at `now` (which deadlines are due today or overdue).
pub(crate) fn list_page(
    chrome: Chrome,
    filters: &Filters,
    query: &OrderQuery,
    connection: Option<ConnectionId>,
    filter_error: Option<String>,
    listing: Listing,
    now: Timestamp,
) -> OrdersPage {
    let t = chrome.t;
    let Listing {
        orders,
        total,
        operator,
    } = listing;
    let current_sort = query.sort;
    let (ship_by_sort, ship_by_aria_sort) = match current_sort {
        OrderSort::ShipByEarliest => ("-ship_by", "ascending"),
        OrderSort::ShipByLatest => ("ship_by", "descending"),
        OrderSort::PurchasedNewest => ("ship_by", "none"),
    };
    let per_page = u64::from(DEFAULT_PER_PAGE);
    let page = query.offset / per_page + 1;
    let pages = total.div_ceil(per_page).max(1);
    let first = if total == 0 { 0 } else { query.offset + 1 };
    let last = (query.offset + orders.len() as u64).min(total);
    OrdersPage {
        connection_id: connection.map(|c| c.to_string()),
        merchant_options: operator.as_ref().map(|view| {
            choices(
                t.all_merchants,
                filters.merchant_id.as_deref(),
                view.merchants.clone(),
            )
        }),
        status_options: choices(
            t.all_statuses,
            filters.status.as_deref(),
            STATUSES
                .iter()
                .map(|s| (s.to_string(), (t.order_status_label)(s)))
                .collect(),
        ),
        marketplace_options: choices(
            t.all_marketplaces,
            filters.marketplace_id.as_deref(),
            marketplace::MARKETPLACES
                .iter()
                .map(|m| (m.id.to_owned(), format!("{} ({})", m.name, m.id)))
                .collect(),
        ),
        channel_options: choices(
            t.all_channels,
            filters.channel.as_deref(),
            vec![
                ("MFN".to_owned(), t.channel_mfn.to_owned()),
                ("AFN".to_owned(), t.channel_afn.to_owned()),
            ],
        ),
        ship_by_options: choices(
            t.ship_by_any,
            filters.ship_by.as_deref(),
            vec![
                ("due_today".to_owned(), t.due_today.to_owned()),
                ("overdue".to_owned(), t.overdue.to_owned()),
            ],
        ),
        sort_options: [
            ("", t.sort_newest, OrderSort::PurchasedNewest),
            (
                "ship_by",
                t.sort_ship_by_earliest,
                OrderSort::ShipByEarliest,
            ),
            ("-ship_by", t.sort_ship_by_latest, OrderSort::ShipByLatest),
        ]
        .into_iter()
        .map(|(value, label, sort)| Choice {
            value: value.to_owned(),
            label: label.to_owned(),
            selected: sort == current_sort,
        })
        .collect(),
        merchant_column: operator.is_some(),
        ship_by_sort_href: filters.href_sorted(Some(ship_by_sort), None),
        ship_by_aria_sort,
        purchased_sort_href: filters.href_sorted(None, None),
        purchased_aria_sort: if current_sort == OrderSort::PurchasedNewest {
            "descending"
        } else {
            "none"
        },
        from: filters.from.clone().unwrap_or_default(),
        to: filters.to.clone().unwrap_or_default(),
        filter_error,
        summary: (t.order_summary)(total, first, last),
        rows: orders
            .iter()
            .map(|listed| row(t, listed, operator.as_ref().map(|view| &view.names), now))
            .collect(),
        prev_href: (page > 1).then(|| filters.href(page - 1)),
        next_href: (page < pages).then(|| filters.href(page + 1)),
        page_label: (t.page_label)(page, pages),
        chrome,
    }
}

/// One item line.
pub(crate) struct ItemRow {
    pub sku: String,
    pub asin: String,
    pub title: String,
    pub quantity: u32,
    pub shipped: u32,
    pub price: String,
}

#[derive(Template)]
#[template(path = "order.html")]
pub(crate) struct OrderPage {
    chrome: Chrome,
    order_id: String,
    status: String,
    /// The status in Amazon's spelling, for CSS and tests.
    status_code: String,
    purchased: String,
    updated: String,
    marketplace: String,
    channel: String,
    /// The delivery speed the level names (or the level).
    ship_service_level: String,
    /// The level as Amazon wrote it (`Std JP Kanto8`), in the speed's tooltip.
    ship_service_level_raw: String,
    ship_by: String,
    ship_by_class: &'static str,
    total: String,
    payment_method: String,
    ship_to: String,
    items: Vec<ItemRow>,
    shipments: Vec<ShipmentRow>,
}

/// A shipment confirmation of the order, as the page shows it.
pub(crate) struct ShipmentRow {
    pub carrier: String,
    pub tracking_number: String,
    pub state: &'static str,
    pub state_label: &'static str,
    pub amazon_said: String,
    pub queued: String,
}

fn shipment_row(t: &Texts, shipment: &ShipmentRecord) -> ShipmentRow {
    let state_label = match shipment.state {
        ShipmentState::Queued => t.shipment_queued,
        ShipmentState::Submitted => t.shipment_submitted,
        ShipmentState::Confirmed => t.shipment_confirmed,
        ShipmentState::Rejected => t.shipment_rejected,
    };
    ShipmentRow {
        carrier: shipment.carrier.clone(),
        tracking_number: shipment.tracking_number.clone(),
        state: shipment.state.as_str(),
        state_label,
        amazon_said: or_dash(shipment.last_error.as_deref()),
        queued: jst(shipment.created_at),
    }
}

/// `/connections/{id}/orders/{order id}` (404 for another merchant's).
pub(crate) async fn detail(
    State(state): State<WebState>,
    user: PageUser,
    Path((connection, order)): Path<(String, String)>,
) -> Response {
    let stored = match find(&state, user.scope(), &connection, &order).await {
        Ok(stored) => stored,
        Err(error) => return error_page(&user.visitor, &error),
    };
    let shipments = match state
        .app()
        .shipments(&ShipmentFilter {
            connection: Some(stored.connection_id),
            amazon_order_id: Some(stored.order.amazon_order_id.clone()),
            ..ShipmentFilter::default()
        })
        .await
    {
        Ok(shipments) => shipments,
        Err(error) => return error_page(&user.visitor, &error.into()),
    };
    let page = detail_page(
        Chrome::new(&user.visitor, None),
        &stored,
        &shipments,
        state.now(),
    );
    render(StatusCode::OK, &page)
}

/// The page of one order and its shipment confirmations, at `now` (whether its deadline is due today or passed).
pub(crate) fn detail_page(
    chrome: Chrome,
    stored: &StoredOrder,
    shipments: &[ShipmentRecord],
    now: Timestamp,
) -> OrderPage {
    let order = &stored.order;
    let ship_to = order.shipping_address.as_ref().map_or_else(
        || "—".to_owned(),
        |a| {
            [
                a.postal_code.as_deref().map(|p| format!("〒{p}")),
                a.state_or_region.clone(),
                a.city.clone(),
                a.address_line1.clone(),
                a.address_line2.clone(),
                a.name.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        },
    );
    let t = chrome.t;
    let shipments = shipments
        .iter()
        .map(|shipment| shipment_row(chrome.t, shipment))
        .collect();
    OrderPage {
        chrome,
        order_id: order.amazon_order_id.to_string(),
        status: (t.order_status_label)(&order.status),
        status_code: order.status.as_str().to_owned(),
        purchased: amazon_time(t, Some(order.purchase_date)),
        updated: amazon_time(t, Some(order.last_update_date)),
        marketplace: format!(
            "{} ({})",
            order.marketplace_id.marketplace().name,
            order.marketplace_id
        ),
        channel: order_format::channel(t, order.fulfillment_channel),
        ship_service_level: shipping_level(t, order.ship_service_level.as_deref()),
        ship_service_level_raw: or_dash(order.ship_service_level.as_deref()),
        ship_by: amazon_time(t, order.latest_ship_date),
        ship_by_class: ship_by_class(order, now),
        total: money(order.order_total.as_ref()),
        payment_method: order
            .payment_method
            .as_ref()
            .map_or_else(|| "—".to_owned(), |m| (t.payment_method_label)(m)),
        ship_to,
        items: order
            .items
            .iter()
            .map(|item| ItemRow {
                sku: or_dash(item.seller_sku.as_deref()),
                asin: item.asin.clone(),
                title: or_dash(item.title.as_deref()),
                quantity: item.quantity_ordered,
                shipped: item.quantity_shipped,
                price: money(item.item_price.as_ref()),
            })
            .collect(),
        shipments,
    }
}

#[cfg(test)]
mod snapshots;
