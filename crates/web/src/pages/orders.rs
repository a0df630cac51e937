//! The order list (filters: merchant, status, purchase dates, marketplace, channel; paged) and one order with its
//! items. A merchant's user sees its own orders only.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MerchantId};
use sellerlink_domain::marketplace;
use sellerlink_domain::order::OrderStatus;
use sellerlink_store::{ListedOrder, OrderQuery, ShipmentFilter, ShipmentRecord, ShipmentState};
use serde::Deserialize;

use super::format::{date, jst, money, or_dash};
use super::{Chrome, error_page, render};
use crate::api::orders::{
    DEFAULT_PER_PAGE, channel, find, marketplace as marketplace_filter, scoped,
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
    pub purchased: String,
    pub status: String,
    pub marketplace: String,
    pub channel: String,
    pub total: String,
    pub items: u64,
}

#[derive(Template)]
#[template(path = "orders.html")]
struct OrdersPage {
    chrome: Chrome,
    connection_id: Option<String>,
    merchant_options: Option<Vec<Choice>>,
    status_options: Vec<Choice>,
    marketplace_options: Vec<Choice>,
    channel_options: Vec<Choice>,
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
    page: Option<String>,
}

impl Filters {
    /// The query string of these filters on another page.
    fn href(&self, page: u64) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        let pairs = [
            ("merchant_id", &self.merchant_id),
            ("connection_id", &self.connection_id),
            ("status", &self.status),
            ("from", &self.from),
            ("to", &self.to),
            ("marketplace_id", &self.marketplace_id),
            ("channel", &self.channel),
        ];
        for (name, value) in pairs {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, value);
            }
        }
        query.append_pair("page", &page.to_string());
        format!("/orders?{}", query.finish())
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

fn row(listed: &ListedOrder) -> OrderRow {
    let stored = &listed.stored;
    let order = &stored.order;
    OrderRow {
        href: order_href(stored.connection_id, &order.amazon_order_id),
        order_id: order.amazon_order_id.to_string(),
        purchased: jst(order.purchase_date),
        status: order.status.to_string(),
        marketplace: order.marketplace_id.marketplace().name.to_owned(),
        channel: or_dash(order.fulfillment_channel.map(|c| c.as_str())),
        total: money(order.order_total.as_ref()),
        items: listed.item_count,
    }
}

/// Builds the store query from the typed filters, or the message of the first filter that does not read.
fn query_of(
    t: &Texts,
    filters: &Filters,
    language: sellerlink_domain::connection::Language,
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
    let base = match query_of(t, &filters, user.visitor.language) {
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
    let merchant_options = match scope {
        Scope::All => match state.app().merchants().await {
            Ok(all) => Some(choices(
                t.all_merchants,
                filters.merchant_id.as_deref(),
                all.iter()
                    .map(|m| (m.id.to_string(), m.name.to_string()))
                    .collect(),
            )),
            Err(error) => return error_page(&user.visitor, &error.into()),
        },
        Scope::Merchant(_) => None,
    };
    let per_page = u64::from(DEFAULT_PER_PAGE);
    let page = query.offset / per_page + 1;
    let pages = total.div_ceil(per_page).max(1);
    let first = if total == 0 { 0 } else { query.offset + 1 };
    let last = (query.offset + orders.len() as u64).min(total);
    let page_view = OrdersPage {
        connection_id: connection.map(|c| c.to_string()),
        merchant_options,
        status_options: choices(
            t.all_statuses,
            filters.status.as_deref(),
            STATUSES
                .iter()
                .map(|s| (s.to_string(), s.to_string()))
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
        from: filters.from.clone().unwrap_or_default(),
        to: filters.to.clone().unwrap_or_default(),
        filter_error,
        summary: (t.order_summary)(total, first, last),
        rows: orders.iter().map(row).collect(),
        prev_href: (page > 1).then(|| filters.href(page - 1)),
        next_href: (page < pages).then(|| filters.href(page + 1)),
        page_label: (t.page_label)(page, pages),
        chrome,
    };
    let status = if page_view.filter_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page_view)
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
struct OrderPage {
    chrome: Chrome,
    order_id: String,
    status: String,
    purchased: String,
    updated: String,
    marketplace: String,
    channel: String,
    ship_service_level: String,
    ship_by: String,
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
    let shipments = match state
        .app()
        .shipments(&ShipmentFilter {
            connection: Some(stored.connection_id),
            amazon_order_id: Some(order.amazon_order_id.clone()),
            ..ShipmentFilter::default()
        })
        .await
    {
        Ok(shipments) => shipments,
        Err(error) => return error_page(&user.visitor, &error.into()),
    };
    let chrome = Chrome::new(&user.visitor, None);
    let shipments = shipments
        .iter()
        .map(|shipment| shipment_row(chrome.t, shipment))
        .collect();
    let page = OrderPage {
        chrome,
        order_id: order.amazon_order_id.to_string(),
        status: order.status.to_string(),
        purchased: jst(order.purchase_date),
        updated: jst(order.last_update_date),
        marketplace: format!(
            "{} ({})",
            order.marketplace_id.marketplace().name,
            order.marketplace_id
        ),
        channel: or_dash(order.fulfillment_channel.map(|c| c.as_str())),
        ship_service_level: or_dash(order.ship_service_level.as_deref()),
        ship_by: order.latest_ship_date.map_or_else(
            || "—".to_owned(),
            |d| date(d.to_zoned_datetime(TimeZone::fixed(tz::offset(9))).date()),
        ),
        total: money(order.order_total.as_ref()),
        payment_method: or_dash(order.payment_method.as_ref().map(|m| m.as_str())),
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
    };
    render(StatusCode::OK, &page)
}
