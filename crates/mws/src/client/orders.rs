//! Orders operations: `ListOrders` (+ByNextToken, as a stream), `GetOrder`, `ListOrderItems`
//! (+ByNextToken, as a stream or collected).

use futures::{FutureExt as _, Stream, TryStreamExt as _};
use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};

use super::MwsClient;
use super::transport::Call;
use crate::error::MwsError;
use crate::model::orders::{
    FulfillmentChannel, GetOrderResult, Order, OrderItem, OrderItemsPage, OrderStatus, OrdersPage,
};
use crate::pagination::paginate;
use crate::params::Params;
use crate::quota::Operation;
use crate::seller_auth::SellerAuth;

/// The most ids `GetOrder` and `MarketplaceId.Id.N` take.
const MAX_IDS: usize = 50;

/// The lower bound of a `ListOrders` window: by creation or by last update, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Since {
    Created(Timestamp),
    LastUpdated(Timestamp),
}

/// The parameters of `ListOrders`. Start from [`ListOrdersRequest::created_after`] or
/// [`ListOrdersRequest::last_updated_after`] (Amazon needs exactly one), then add marketplaces
/// (at least one) and optional filters. Rules Amazon enforces are checked before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOrdersRequest {
    since: Since,
    created_before: Option<Timestamp>,
    last_updated_before: Option<Timestamp>,
    marketplace_ids: Vec<MarketplaceId>,
    order_statuses: Vec<OrderStatus>,
    fulfillment_channels: Vec<FulfillmentChannel>,
    max_results_per_page: Option<u8>,
}

impl ListOrdersRequest {
    fn new(since: Since) -> Self {
        Self {
            since,
            created_before: None,
            last_updated_before: None,
            marketplace_ids: Vec::new(),
            order_statuses: Vec::new(),
            fulfillment_channels: Vec::new(),
            max_results_per_page: None,
        }
    }

    /// Orders created after `instant` (`CreatedAfter`).
    pub fn created_after(instant: Timestamp) -> Self {
        Self::new(Since::Created(instant))
    }

    /// Orders changed after `instant` (`LastUpdatedAfter`).
    pub fn last_updated_after(instant: Timestamp) -> Self {
        Self::new(Since::LastUpdated(instant))
    }

    /// Upper bound on creation (`CreatedBefore`); only with [`Self::created_after`].
    pub fn created_before(mut self, instant: Timestamp) -> Self {
        self.created_before = Some(instant);
        self
    }

    /// Upper bound on last update (`LastUpdatedBefore`); only with [`Self::last_updated_after`].
    pub fn last_updated_before(mut self, instant: Timestamp) -> Self {
        self.last_updated_before = Some(instant);
        self
    }

    /// Adds one marketplace (`MarketplaceId.Id.N`).
    pub fn marketplace_id(mut self, marketplace: MarketplaceId) -> Self {
        self.marketplace_ids.push(marketplace);
        self
    }

    /// Adds marketplaces (1–50 in total).
    pub fn marketplace_ids(
        mut self,
        marketplaces: impl IntoIterator<Item = MarketplaceId>,
    ) -> Self {
        self.marketplace_ids.extend(marketplaces);
        self
    }

    /// Only these statuses (`OrderStatus.Status.N`). `Unshipped` and `PartiallyShipped` must
    /// be asked for together.
    pub fn order_statuses(mut self, statuses: impl IntoIterator<Item = OrderStatus>) -> Self {
        self.order_statuses.extend(statuses);
        self
    }

    /// Only these channels (`FulfillmentChannel.Channel.N`).
    pub fn fulfillment_channels(
        mut self,
        channels: impl IntoIterator<Item = FulfillmentChannel>,
    ) -> Self {
        self.fulfillment_channels.extend(channels);
        self
    }

    /// Page size, 1–100 (Amazon's default is 100).
    pub fn max_results_per_page(mut self, size: u8) -> Self {
        self.max_results_per_page = Some(size);
        self
    }

    /// Checks Amazon's rules and renders the parameters.
    pub(crate) fn to_params(&self) -> Result<Params, String> {
        let mut params = Params::new();
        match self.since {
            Since::Created(after) => {
                if self.last_updated_before.is_some() {
                    return Err("LastUpdatedBefore needs LastUpdatedAfter, not CreatedAfter".into());
                }
                if let Some(before) = self.created_before
                    && before <= after
                {
                    return Err(format!(
                        "CreatedBefore ({before}) must be later than CreatedAfter ({after})"
                    ));
                }
                params.push_timestamp("CreatedAfter", after);
                if let Some(before) = self.created_before {
                    params.push_timestamp("CreatedBefore", before);
                }
            }
            Since::LastUpdated(after) => {
                if self.created_before.is_some() {
                    return Err("CreatedBefore needs CreatedAfter, not LastUpdatedAfter".into());
                }
                if let Some(before) = self.last_updated_before
                    && before <= after
                {
                    return Err(format!(
                        "LastUpdatedBefore ({before}) must be later than LastUpdatedAfter ({after})"
                    ));
                }
                params.push_timestamp("LastUpdatedAfter", after);
                if let Some(before) = self.last_updated_before {
                    params.push_timestamp("LastUpdatedBefore", before);
                }
            }
        }
        if self.marketplace_ids.is_empty() || self.marketplace_ids.len() > MAX_IDS {
            return Err(format!(
                "between 1 and {MAX_IDS} marketplace ids are required, {} given",
                self.marketplace_ids.len()
            ));
        }
        params.push_list(
            "MarketplaceId.Id",
            self.marketplace_ids.iter().map(|m| m.as_str().to_owned()),
        );
        let has = |status: &OrderStatus| self.order_statuses.contains(status);
        if has(&OrderStatus::Unshipped) != has(&OrderStatus::PartiallyShipped) {
            return Err("Unshipped and PartiallyShipped must be requested together".into());
        }
        params.push_list(
            "OrderStatus.Status",
            self.order_statuses.iter().map(|s| s.as_str().to_owned()),
        );
        params.push_list(
            "FulfillmentChannel.Channel",
            self.fulfillment_channels
                .iter()
                .map(|c| c.as_str().to_owned()),
        );
        if let Some(size) = self.max_results_per_page {
            if !(1..=100).contains(&size) {
                return Err(format!("MaxResultsPerPage must be 1–100, got {size}"));
            }
            params.push("MaxResultsPerPage", size.to_string());
        }
        Ok(params)
    }
}

impl MwsClient {
    /// `ListOrders`: the first page of orders matching `request`.
    pub async fn list_orders(
        &self,
        auth: &SellerAuth,
        request: &ListOrdersRequest,
    ) -> Result<OrdersPage, MwsError> {
        let operation = Operation::ListOrders;
        let params = request
            .to_params()
            .map_err(|reason| MwsError::invalid_request(operation, reason))?;
        self.call_xml(auth, Call::form(operation, params), OrdersPage::from_xml)
            .await
    }

    /// `ListOrdersByNextToken`: the page after the one that returned `next_token`.
    pub async fn list_orders_by_next_token(
        &self,
        auth: &SellerAuth,
        next_token: &str,
    ) -> Result<OrdersPage, MwsError> {
        let mut params = Params::new();
        params.push("NextToken", next_token);
        let call = Call::form(Operation::ListOrdersByNextToken, params);
        self.call_xml(auth, call, OrdersPage::from_xml).await
    }

    /// Every page of `ListOrders`, following `NextToken`. Ends with
    /// [`MwsError::RepeatedNextToken`] instead of looping if Amazon repeats a token.
    pub fn orders_stream(
        &self,
        auth: &SellerAuth,
        request: ListOrdersRequest,
    ) -> impl Stream<Item = Result<OrdersPage, MwsError>> + Send + 'static {
        let first = {
            let (client, auth) = (self.clone(), auth.clone());
            async move { client.list_orders(&auth, &request).await }.boxed()
        };
        let (client, auth) = (self.clone(), auth.clone());
        paginate(
            first,
            move |token: String| {
                let (client, auth) = (client.clone(), auth.clone());
                async move { client.list_orders_by_next_token(&auth, &token).await }.boxed()
            },
            |page: &OrdersPage| page.next_token.as_deref(),
            Operation::ListOrdersByNextToken,
        )
    }

    /// `GetOrder` for 1–50 orders; orders Amazon does not know are absent from the result.
    pub async fn get_order(
        &self,
        auth: &SellerAuth,
        order_ids: &[AmazonOrderId],
    ) -> Result<Vec<Order>, MwsError> {
        let operation = Operation::GetOrder;
        if order_ids.is_empty() || order_ids.len() > MAX_IDS {
            return Err(MwsError::invalid_request(
                operation,
                format!(
                    "between 1 and {MAX_IDS} order ids are required, {} given",
                    order_ids.len()
                ),
            ));
        }
        let mut params = Params::new();
        params.push_list(
            "AmazonOrderId.Id",
            order_ids.iter().map(|id| id.as_str().to_owned()),
        );
        let result = self
            .call_xml(
                auth,
                Call::form(operation, params),
                GetOrderResult::from_xml,
            )
            .await?;
        Ok(result.orders)
    }

    /// `ListOrderItems`: the first page of an order's items.
    pub async fn list_order_items(
        &self,
        auth: &SellerAuth,
        order_id: &AmazonOrderId,
    ) -> Result<OrderItemsPage, MwsError> {
        let mut params = Params::new();
        params.push("AmazonOrderId", order_id.as_str());
        let call = Call::form(Operation::ListOrderItems, params);
        self.call_xml(auth, call, OrderItemsPage::from_xml).await
    }

    /// `ListOrderItemsByNextToken`.
    pub async fn list_order_items_by_next_token(
        &self,
        auth: &SellerAuth,
        next_token: &str,
    ) -> Result<OrderItemsPage, MwsError> {
        let mut params = Params::new();
        params.push("NextToken", next_token);
        let call = Call::form(Operation::ListOrderItemsByNextToken, params);
        self.call_xml(auth, call, OrderItemsPage::from_xml).await
    }

    /// Every page of an order's items, following `NextToken`.
    pub fn order_items_stream(
        &self,
        auth: &SellerAuth,
        order_id: &AmazonOrderId,
    ) -> impl Stream<Item = Result<OrderItemsPage, MwsError>> + Send + 'static {
        let first = {
            let (client, auth, order_id) = (self.clone(), auth.clone(), order_id.clone());
            async move { client.list_order_items(&auth, &order_id).await }.boxed()
        };
        let (client, auth) = (self.clone(), auth.clone());
        paginate(
            first,
            move |token: String| {
                let (client, auth) = (client.clone(), auth.clone());
                async move { client.list_order_items_by_next_token(&auth, &token).await }.boxed()
            },
            |page: &OrderItemsPage| page.next_token.as_deref(),
            Operation::ListOrderItemsByNextToken,
        )
    }

    /// All items of an order, every page collected.
    pub async fn list_all_order_items(
        &self,
        auth: &SellerAuth,
        order_id: &AmazonOrderId,
    ) -> Result<Vec<OrderItem>, MwsError> {
        self.order_items_stream(auth, order_id)
            .try_fold(Vec::new(), |mut items, page| async move {
                items.extend(page.items);
                Ok(items)
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("valid instant")
    }

    fn pairs(request: &ListOrdersRequest) -> Vec<(String, String)> {
        request.to_params().expect("valid request").into_pairs()
    }

    #[test]
    fn renders_every_filter() {
        let request = ListOrdersRequest::created_after(at("2024-03-01T00:00:00Z"))
            .created_before(at("2024-03-01T06:00:00Z"))
            .marketplace_id(MarketplaceId::japan())
            .order_statuses([OrderStatus::Unshipped, OrderStatus::PartiallyShipped])
            .fulfillment_channels([FulfillmentChannel::Merchant])
            .max_results_per_page(50);
        let expected: Vec<(String, String)> = [
            ("CreatedAfter", "2024-03-01T00:00:00.000Z"),
            ("CreatedBefore", "2024-03-01T06:00:00.000Z"),
            ("MarketplaceId.Id.1", "A1VC38T7YXB528"),
            ("OrderStatus.Status.1", "Unshipped"),
            ("OrderStatus.Status.2", "PartiallyShipped"),
            ("FulfillmentChannel.Channel.1", "MFN"),
            ("MaxResultsPerPage", "50"),
        ]
        .into_iter()
        .map(|(n, v)| (n.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(pairs(&request), expected);
    }

    #[test]
    fn amazons_rules_are_checked_before_sending() {
        let start = at("2024-03-01T00:00:00Z");
        let jp = MarketplaceId::japan();
        let cases = [
            (ListOrdersRequest::created_after(start), "marketplace"),
            (
                ListOrdersRequest::created_after(start)
                    .marketplace_id(jp.clone())
                    .last_updated_before(at("2024-03-02T00:00:00Z")),
                "LastUpdatedBefore",
            ),
            (
                ListOrdersRequest::last_updated_after(start)
                    .marketplace_id(jp.clone())
                    .created_before(at("2024-03-02T00:00:00Z")),
                "CreatedBefore",
            ),
            (
                ListOrdersRequest::created_after(start)
                    .marketplace_id(jp.clone())
                    .created_before(start),
                "later than",
            ),
            (
                ListOrdersRequest::created_after(start)
                    .marketplace_id(jp.clone())
                    .order_statuses([OrderStatus::Unshipped]),
                "together",
            ),
            (
                ListOrdersRequest::created_after(start)
                    .marketplace_id(jp.clone())
                    .max_results_per_page(0),
                "1–100",
            ),
            (
                ListOrdersRequest::created_after(start)
                    .marketplace_ids(std::iter::repeat_n(jp.clone(), 51)),
                "51 given",
            ),
        ];
        for (request, needle) in cases {
            let reason = request.to_params().expect_err("must be refused");
            assert!(reason.contains(needle), "{reason:?} lacks {needle:?}");
        }
        let by_update = ListOrdersRequest::last_updated_after(start).marketplace_id(jp);
        assert_eq!(pairs(&by_update)[0].0, "LastUpdatedAfter");
    }
}
