//! `searchOrders` (Orders v2026-01-01): the request builder and one page of results.

use jiff::Timestamp;
use sellerlink_domain::ids::MarketplaceId;
use serde::Deserialize;

use super::orders::{FulfilledBy, FulfillmentStatus, IncludedData, Order};
use crate::encoding::Query;

/// Which timestamps the window filters on. Amazon accepts exactly one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderWindow {
    /// `createdAfter` [+ `createdBefore`].
    Created {
        /// Orders created at or after this instant.
        after: Timestamp,
        /// …and at or before this one (at least two minutes before the request).
        before: Option<Timestamp>,
    },
    /// `lastUpdatedAfter` [+ `lastUpdatedBefore`].
    LastUpdated {
        /// Orders updated at or after this instant.
        after: Timestamp,
        /// …and at or before this one (at least two minutes before the request).
        before: Option<Timestamp>,
    },
}

/// A `searchOrders` request. Start with [`created_after`](Self::created_after) or
/// [`last_updated_after`](Self::last_updated_after); every other filter is optional.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOrdersRequest {
    window: OrderWindow,
    marketplace_ids: Vec<MarketplaceId>,
    fulfillment_statuses: Vec<FulfillmentStatus>,
    fulfilled_by: Vec<FulfilledBy>,
    max_results_per_page: Option<u8>,
    included_data: Vec<IncludedData>,
    pagination_token: Option<String>,
}

impl SearchOrdersRequest {
    /// The largest page Amazon serves.
    pub const MAX_RESULTS_PER_PAGE: u8 = 100;

    fn new(window: OrderWindow) -> Self {
        Self {
            window,
            marketplace_ids: Vec::new(),
            fulfillment_statuses: Vec::new(),
            fulfilled_by: Vec::new(),
            max_results_per_page: None,
            included_data: Vec::new(),
            pagination_token: None,
        }
    }

    /// Orders created at or after `after`.
    pub fn created_after(after: Timestamp) -> Self {
        Self::new(OrderWindow::Created {
            after,
            before: None,
        })
    }

    /// Orders updated at or after `after` — the watermark an incremental import polls with.
    pub fn last_updated_after(after: Timestamp) -> Self {
        Self::new(OrderWindow::LastUpdated {
            after,
            before: None,
        })
    }

    /// Closes the window at `before` (`createdBefore` or `lastUpdatedBefore`, following the
    /// window's kind). Amazon wants it at least two minutes in the past.
    pub fn before(mut self, before: Timestamp) -> Self {
        self.window = match self.window {
            OrderWindow::Created { after, .. } => OrderWindow::Created {
                after,
                before: Some(before),
            },
            OrderWindow::LastUpdated { after, .. } => OrderWindow::LastUpdated {
                after,
                before: Some(before),
            },
        };
        self
    }

    /// Adds a marketplace to `marketplaceIds`.
    pub fn marketplace_id(mut self, marketplace: MarketplaceId) -> Self {
        self.marketplace_ids.push(marketplace);
        self
    }

    /// Adds marketplaces to `marketplaceIds` (Amazon accepts up to 50).
    pub fn marketplace_ids(
        mut self,
        marketplaces: impl IntoIterator<Item = MarketplaceId>,
    ) -> Self {
        self.marketplace_ids.extend(marketplaces);
        self
    }

    /// Only orders in these states (`fulfillmentStatuses`).
    pub fn fulfillment_statuses(
        mut self,
        statuses: impl IntoIterator<Item = FulfillmentStatus>,
    ) -> Self {
        self.fulfillment_statuses.extend(statuses);
        self
    }

    /// Only orders shipped by these parties (`fulfilledBy`), e.g. [`FulfilledBy::Merchant`].
    pub fn fulfilled_by(mut self, parties: impl IntoIterator<Item = FulfilledBy>) -> Self {
        self.fulfilled_by.extend(parties);
        self
    }

    /// Page size, clamped to Amazon's 1–100 (Amazon's default is 100).
    pub fn max_results_per_page(mut self, size: u8) -> Self {
        self.max_results_per_page = Some(size.clamp(1, Self::MAX_RESULTS_PER_PAGE));
        self
    }

    /// Datasets to include with each order (`includedData`); see [`IncludedData::for_import`].
    pub fn included_data(mut self, data: impl IntoIterator<Item = IncludedData>) -> Self {
        for item in data {
            if !self.included_data.contains(&item) {
                self.included_data.push(item);
            }
        }
        self
    }

    /// Asks for the page after the one that returned `token` (`paginationToken`; tokens live 24 h).
    pub fn pagination_token(mut self, token: impl Into<String>) -> Self {
        self.pagination_token = Some(token.into());
        self
    }

    /// The window.
    pub fn window(&self) -> OrderWindow {
        self.window
    }

    /// The pagination token, if this asks for a later page.
    pub fn current_pagination_token(&self) -> Option<&str> {
        self.pagination_token.as_deref()
    }

    /// The query string, without `?`.
    pub(crate) fn query(&self) -> String {
        let mut query = Query::default();
        let (after_name, before_name, after, before) = match self.window {
            OrderWindow::Created { after, before } => {
                ("createdAfter", "createdBefore", after, before)
            }
            OrderWindow::LastUpdated { after, before } => {
                ("lastUpdatedAfter", "lastUpdatedBefore", after, before)
            }
        };
        query.push(after_name, &after.to_string());
        if let Some(before) = before {
            query.push(before_name, &before.to_string());
        }
        query.push_list(
            "marketplaceIds",
            self.marketplace_ids.iter().map(|m| m.as_str()),
        );
        query.push_list(
            "fulfillmentStatuses",
            self.fulfillment_statuses
                .iter()
                .map(FulfillmentStatus::as_str),
        );
        query.push_list(
            "fulfilledBy",
            self.fulfilled_by.iter().map(FulfilledBy::as_str),
        );
        if let Some(size) = self.max_results_per_page {
            query.push("maxResultsPerPage", &size.to_string());
        }
        query.push_list(
            "includedData",
            self.included_data.iter().map(IncludedData::as_str),
        );
        if let Some(token) = &self.pagination_token {
            query.push("paginationToken", token);
        }
        query.as_str().to_owned()
    }
}

/// One page of `searchOrders`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(from = "SearchOrdersBody")]
pub struct SearchOrdersPage {
    /// The orders on this page that have the model's shape.
    pub orders: Vec<Order>,
    /// The orders on this page that do not (one odd order does not make the page unreadable).
    pub unreadable: Vec<UnreadableOrder>,
    /// Pass to [`SearchOrdersRequest::pagination_token`] for the next page; `None` on the last.
    pub next_token: Option<String>,
    /// The effective upper bound of a created-window search (the next watermark).
    pub created_before: Option<Timestamp>,
    /// The effective upper bound of a last-updated-window search (the next watermark).
    pub last_updated_before: Option<Timestamp>,
}

/// An order of a page that does not have the model's shape, kept as Amazon sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableOrder {
    /// Its `orderId`, when it has a textual one.
    pub order_id: Option<String>,
    /// Its `lastUpdatedTime`, when that one reads.
    pub last_updated_time: Option<Timestamp>,
    /// Why it does not read.
    pub reason: String,
    /// The order's JSON as Amazon sent it.
    pub raw: serde_json::Value,
}

impl UnreadableOrder {
    fn new(raw: serde_json::Value, reason: String) -> Self {
        let order_id = raw
            .get("orderId")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        let last_updated_time = raw
            .get("lastUpdatedTime")
            .and_then(serde_json::Value::as_str)
            .and_then(|text| text.parse().ok());
        Self {
            order_id,
            last_updated_time,
            reason,
            raw,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchOrdersBody {
    orders: Vec<serde_json::Value>,
    #[serde(default)]
    pagination: Option<Pagination>,
    #[serde(default)]
    created_before: Option<Timestamp>,
    #[serde(default)]
    last_updated_before: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pagination {
    #[serde(default)]
    next_token: Option<String>,
}

impl From<SearchOrdersBody> for SearchOrdersPage {
    fn from(body: SearchOrdersBody) -> Self {
        let mut orders = Vec::with_capacity(body.orders.len());
        let mut unreadable = Vec::new();
        for raw in body.orders {
            match serde_path_to_error::deserialize::<_, Order>(&raw) {
                Ok(order) => orders.push(order),
                Err(error) => {
                    let reason = format!("{}: {}", error.path(), error.inner());
                    unreadable.push(UnreadableOrder::new(raw, reason));
                }
            }
        }
        Self {
            orders,
            unreadable,
            next_token: body
                .pagination
                .and_then(|p| p.next_token)
                .filter(|token| !token.is_empty()),
            created_before: body.created_before,
            last_updated_before: body.last_updated_before,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn the_query_follows_the_documented_names() {
        let request = SearchOrdersRequest::last_updated_after(at("2026-01-09T15:00:00Z"))
            .before(at("2026-01-10T02:58:00Z"))
            .marketplace_id(MarketplaceId::japan())
            .fulfillment_statuses([
                FulfillmentStatus::Unshipped,
                FulfillmentStatus::PartiallyShipped,
            ])
            .fulfilled_by([FulfilledBy::Merchant])
            .max_results_per_page(0)
            .included_data([
                IncludedData::Fulfillment,
                IncludedData::Recipient,
                IncludedData::Fulfillment,
            ])
            .pagination_token("2YgYW55IGNh/cm5hbA==");
        assert_eq!(
            request.query(),
            "lastUpdatedAfter=2026-01-09T15%3A00%3A00Z&lastUpdatedBefore=2026-01-10T02%3A58%3A00Z\
             &marketplaceIds=A1VC38T7YXB528&fulfillmentStatuses=UNSHIPPED,PARTIALLY_SHIPPED\
             &fulfilledBy=MERCHANT&maxResultsPerPage=1&includedData=FULFILLMENT,RECIPIENT\
             &paginationToken=2YgYW55IGNh%2Fcm5hbA%3D%3D"
        );
    }

    #[test]
    fn a_created_window_uses_the_created_names() {
        let request = SearchOrdersRequest::created_after(at("2026-01-01T00:00:00Z"))
            .before(at("2026-01-02T00:00:00Z"))
            .max_results_per_page(250);
        assert_eq!(
            request.query(),
            "createdAfter=2026-01-01T00%3A00%3A00Z&createdBefore=2026-01-02T00%3A00%3A00Z&maxResultsPerPage=100"
        );
    }

    #[test]
    fn an_empty_next_token_means_the_last_page() {
        let page: SearchOrdersPage = serde_json::from_str(
            r#"{"orders":[],"pagination":{"nextToken":""},"createdBefore":"2026-01-10T03:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(page.next_token, None);
        assert_eq!(page.created_before, Some(at("2026-01-10T03:00:00Z")));
    }

    #[test]
    fn an_order_without_the_model_shape_is_set_aside_not_the_page() {
        let page: SearchOrdersPage = serde_json::from_str(
            r#"{"orders":[
                {"orderId":"503-1234567-7654321","createdTime":"2026-01-09T23:58:30Z","lastUpdatedTime":"2026-01-10T00:10:00Z","salesChannel":{"channelName":"AMAZON"}},
                {"orderId":"S01 1234567","createdTime":"2026-01-09T23:58:30Z","lastUpdatedTime":"2026-01-10T00:11:00Z","salesChannel":{"channelName":"AMAZON"}}
            ],"lastUpdatedBefore":"2026-01-10T03:00:00Z"}"#,
        )
        .unwrap();
        assert_eq!(page.orders.len(), 1);
        let odd = &page.unreadable[0];
        assert_eq!(odd.order_id.as_deref(), Some("S01 1234567"));
        assert_eq!(odd.last_updated_time, Some(at("2026-01-10T00:11:00Z")));
        assert!(
            odd.reason.starts_with("orderId: order ID from Amazon"),
            "{}",
            odd.reason
        );
        assert_eq!(odd.raw["orderId"], "S01 1234567");
    }

    #[test]
    fn order_ids_of_other_shapes_are_read_as_amazon_sent_them() {
        let page: SearchOrdersPage = serde_json::from_str(
            r#"{"orders":[
                {"orderId":"S01-1234567","createdTime":"2026-01-09T23:58:30Z","lastUpdatedTime":"2026-01-10T00:10:00Z","salesChannel":{"channelName":"AMAZON"}},
                {"orderId":"NON/AMAZON#42","createdTime":"2026-01-09T23:58:30Z","lastUpdatedTime":"2026-01-10T00:11:00Z","salesChannel":{"channelName":"NON_AMAZON"}}
            ],"lastUpdatedBefore":"2026-01-10T03:00:00Z"}"#,
        )
        .unwrap();
        assert!(page.unreadable.is_empty(), "{:?}", page.unreadable);
        let ids: Vec<&str> = page.orders.iter().map(|o| o.order_id.as_str()).collect();
        assert_eq!(ids, ["S01-1234567", "NON/AMAZON#42"]);
    }
}
