//! [`SpApiGateway`]: the [`AmazonGateway`] of an SP-API connection (Orders 2026-01-01, Sellers v1).

mod classify;
mod settings;
mod shipment;
mod stock;

use futures::FutureExt as _;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use sellerlink_domain::order::OrderItem;
use sellerlink_spapi::{
    IncludedData, OrderConversionError, SearchOrdersRequest, SellerAuth, SpApiClient,
};

pub use settings::{SpApiGatewayFactory, SpApiSettings, SpApiSettingsError};

use classify::{ThrottleWait, classify};

use crate::gateway::{
    AmazonGateway, GatewayError, GatewayErrorKind, GatewayFuture, OrdersPage, OutgoingShipment,
    PageToken, Participation, ShipmentOutcome, ShipmentSubmission, StockOutcome, StockSubmission,
    Window,
};
use crate::quarantine;

/// One seller account through SP-API: `searchOrders` by `lastUpdatedAfter` (each page carries the orders' items,
/// so the engine fetches none), `getOrder` for one order's items, `getMarketplaceParticipations` to verify,
/// `confirmShipment` for shipments and `patchListingsItem` for stock. Every order call asks for
/// [`IncludedData::for_import`], which is what the domain order needs.
#[derive(Debug, Clone)]
pub struct SpApiGateway {
    client: SpApiClient,
    seller: SellerAuth,
    marketplaces: Vec<MarketplaceId>,
    throttle: ThrottleWait,
}

/// An order Amazon sent that the domain model cannot take: the answer did not have the documented shape.
fn unreadable(operation: &str, error: &OrderConversionError) -> GatewayError {
    GatewayError::new(
        GatewayErrorKind::Transient,
        operation,
        format!("Amazon's order cannot be read: {error}"),
    )
}

impl SpApiGateway {
    /// The connection's home marketplace (its first).
    fn home(&self) -> MarketplaceId {
        self.marketplaces
            .first()
            .cloned()
            .unwrap_or_else(MarketplaceId::japan)
    }

    pub(crate) fn new(
        client: SpApiClient,
        seller: SellerAuth,
        marketplaces: Vec<MarketplaceId>,
        throttle: ThrottleWait,
    ) -> Self {
        Self {
            client,
            seller,
            marketplaces,
            throttle,
        }
    }

    async fn page(
        &self,
        window: &Window,
        page: Option<&PageToken>,
    ) -> Result<OrdersPage, GatewayError> {
        const OPERATION: &str = "Orders.searchOrders";
        let mut request = SearchOrdersRequest::last_updated_after(window.updated_after)
            .marketplace_ids(self.marketplaces.iter().cloned())
            .included_data(IncludedData::for_import())
            .max_results_per_page(SearchOrdersRequest::MAX_RESULTS_PER_PAGE);
        if let Some(before) = window.updated_before {
            request = request.before(before);
        }
        if let Some(token) = page {
            request = request.pagination_token(token.as_str());
        }
        let page = self
            .client
            .search_orders(&self.seller, &request)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        let home = self.home();
        let mut orders = Vec::with_capacity(page.orders.len());
        let mut unreadable = Vec::new();
        let mut latest = window.updated_after;
        for odd in page.unreadable {
            latest = latest.max(odd.last_updated_time.unwrap_or(latest));
            unreadable.push(quarantine::unreadable(
                odd.order_id.as_deref(),
                format!("{OPERATION}: {}", odd.reason),
                quarantine::spapi_fragment(odd.raw),
                odd.last_updated_time.unwrap_or(window.updated_after),
            ));
        }
        for order in &page.orders {
            latest = latest.max(order.last_updated_time);
            match order.to_domain(&home) {
                Ok(converted) => orders.push(converted),
                Err(error) => unreadable.push(quarantine::unreadable(
                    Some(order.order_id.as_str()),
                    format!("{OPERATION}: {error}"),
                    serde_json::to_value(order)
                        .map(quarantine::spapi_fragment)
                        .unwrap_or_default(),
                    order.last_updated_time,
                )),
            }
        }
        // lastUpdatedBefore is optional in the model: without it, the page is complete up to its latest order.
        let upper_bound = page
            .last_updated_before
            .or(window.updated_before)
            .unwrap_or(latest);
        Ok(OrdersPage {
            orders,
            unreadable,
            next: page.next_token.map(PageToken::new),
            upper_bound,
            items_included: true,
        })
    }

    async fn items(&self, order: &AmazonOrderId) -> Result<Vec<OrderItem>, GatewayError> {
        let order = self
            .client
            .get_order(&self.seller, order, &IncludedData::for_import())
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        let order = order
            .to_domain(&self.home())
            .map_err(|e| unreadable("Orders.getOrder", &e))?;
        Ok(order.items)
    }

    async fn participations(&self) -> Result<Vec<Participation>, GatewayError> {
        let all = self
            .client
            .get_marketplace_participations(&self.seller)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        let mut found: Vec<Participation> = Vec::new();
        for participation in all.iter().filter(|p| p.participation.is_participating) {
            let Some(id) = participation.marketplace_id() else {
                continue;
            };
            if !found.iter().any(|p| p.marketplace_id == id) {
                found.push(Participation {
                    marketplace_id: id,
                    name: Some(participation.marketplace.name.clone()),
                });
            }
        }
        Ok(found)
    }
}

impl AmazonGateway for SpApiGateway {
    fn updated_orders_page<'a>(
        &'a self,
        window: &'a Window,
        page: Option<&'a PageToken>,
    ) -> GatewayFuture<'a, OrdersPage> {
        self.page(window, page).boxed()
    }

    fn order_items<'a>(&'a self, order: &'a AmazonOrderId) -> GatewayFuture<'a, Vec<OrderItem>> {
        self.items(order).boxed()
    }

    fn verify(&self) -> GatewayFuture<'_, Vec<Participation>> {
        self.participations().boxed()
    }

    fn submit_shipment<'a>(
        &'a self,
        shipment: &'a OutgoingShipment,
    ) -> GatewayFuture<'a, ShipmentSubmission> {
        self.confirm(shipment).boxed()
    }

    fn shipment_outcome<'a>(
        &'a self,
        submission: &'a str,
        order: &'a AmazonOrderId,
    ) -> GatewayFuture<'a, ShipmentOutcome> {
        shipment::no_outcome(submission, order)
    }

    fn submit_stock<'a>(
        &'a self,
        levels: &'a [(String, u32)],
    ) -> GatewayFuture<'a, StockSubmission> {
        self.patch_stock(levels).boxed()
    }

    fn stock_outcome<'a>(&'a self, submission: &'a str) -> GatewayFuture<'a, StockOutcome> {
        let message = format!(
            "SP-API answers stock patches at once; there is no submission {submission:?} to ask about"
        );
        async move {
            Err(GatewayError::new(
                GatewayErrorKind::Invalid,
                "Listings.patchListingsItem",
                message,
            ))
        }
        .boxed()
    }
}
