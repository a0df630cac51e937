//! Orders v2026-01-01 (`searchOrders`, `getOrder`) and Orders v0 `confirmShipment`.

use std::collections::HashSet;

use futures::Stream;
use reqwest::Method;
use sellerlink_domain::ids::AmazonOrderId;

use super::SpApiClient;
use super::transport::ApiRequest;
use crate::encoding::{Query, path_segment};
use crate::error::SpApiError;
use crate::model::orders::{GetOrderResponse, IncludedData, Order};
use crate::model::search_orders::{SearchOrdersPage, SearchOrdersRequest};
use crate::model::shipment::ConfirmShipment;
use crate::operation::Operation;
use crate::seller_auth::SellerAuth;

/// Where a paging walk stands.
enum Walk {
    Fetch {
        request: SearchOrdersRequest,
        seen: HashSet<String>,
        pages: usize,
    },
    Fail(SpApiError),
    Done,
}

impl SpApiClient {
    /// `searchOrders`: one page.
    pub async fn search_orders(
        &self,
        seller: &SellerAuth,
        request: &SearchOrdersRequest,
    ) -> Result<SearchOrdersPage, SpApiError> {
        let operation = Operation::SearchOrders;
        let api = ApiRequest::get("/orders/2026-01-01/orders".to_owned(), request.query());
        let response = self.execute(seller, operation, &api).await?;
        Self::decode(operation, seller, &response)
    }

    /// `searchOrders`, page after page: follows `pagination.nextToken` until the last page. A
    /// next token that was already used ends the stream with
    /// [`ErrorKind::RepeatedNextToken`](crate::ErrorKind::RepeatedNextToken) after yielding the
    /// page that carried it; any other error ends it too.
    pub fn search_orders_stream<'a>(
        &'a self,
        seller: &'a SellerAuth,
        request: SearchOrdersRequest,
    ) -> impl Stream<Item = Result<SearchOrdersPage, SpApiError>> + Send + 'a {
        let mut seen = HashSet::new();
        if let Some(token) = request.current_pagination_token() {
            seen.insert(token.to_owned());
        }
        let start = Walk::Fetch {
            request,
            seen,
            pages: 0,
        };
        futures::stream::unfold(start, move |walk| async move {
            match walk {
                Walk::Done => None,
                Walk::Fail(error) => Some((Err(error), Walk::Done)),
                Walk::Fetch {
                    request,
                    mut seen,
                    pages,
                } => match self.search_orders(seller, &request).await {
                    Err(error) => Some((Err(error), Walk::Done)),
                    Ok(page) => {
                        let pages = pages + 1;
                        let next = match &page.next_token {
                            None => Walk::Done,
                            Some(token) if !seen.insert(token.clone()) => Walk::Fail(
                                SpApiError::repeated_next_token(Operation::SearchOrders, pages)
                                    .for_seller(&seller.selling_partner_id),
                            ),
                            Some(token) => Walk::Fetch {
                                request: request.pagination_token(token.clone()),
                                seen,
                                pages,
                            },
                        };
                        Some((Ok(page), next))
                    }
                },
            }
        })
    }

    /// `getOrder`: one order with its items, plus the datasets in `included_data`.
    pub async fn get_order(
        &self,
        seller: &SellerAuth,
        order_id: &AmazonOrderId,
        included_data: &[IncludedData],
    ) -> Result<Order, SpApiError> {
        let operation = Operation::GetOrder;
        let mut query = Query::default();
        query.push_list(
            "includedData",
            included_data.iter().map(IncludedData::as_str),
        );
        let api = ApiRequest::get(
            format!(
                "/orders/2026-01-01/orders/{}",
                path_segment(order_id.as_str())
            ),
            query.as_str().to_owned(),
        );
        let response = self.execute(seller, operation, &api).await?;
        let body: GetOrderResponse = Self::decode(operation, seller, &response)?;
        Ok(body.order)
    }

    /// `confirmShipment` (Orders v0): tells Amazon a package left, with carrier and tracking
    /// number. Amazon answers 204 with no body. The body is checked first
    /// ([`ConfirmShipment::validate`]); a bad one fails with
    /// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) without a request.
    pub async fn confirm_shipment(
        &self,
        seller: &SellerAuth,
        order_id: &AmazonOrderId,
        shipment: &ConfirmShipment,
    ) -> Result<(), SpApiError> {
        let operation = Operation::ConfirmShipment;
        shipment.validate().map_err(|error| {
            SpApiError::invalid_request(operation, error).for_seller(&seller.selling_partner_id)
        })?;
        let body = serde_json::to_vec(shipment)
            .expect("a ConfirmShipment always serializes (strings, numbers, a timestamp)");
        let api = ApiRequest {
            method: Method::POST,
            path: format!(
                "/orders/v0/orders/{}/shipmentConfirmation",
                path_segment(order_id.as_str())
            ),
            query: String::new(),
            body: Some(body),
        };
        self.execute(seller, operation, &api).await.map(|_| ())
    }
}
