//! [`MwsGateway`]: the [`AmazonGateway`] of an MWS connection (Orders 2013-09-01, Sellers 2011-07-01).

mod classify;
mod settings;
mod shipment;
mod stock;

use futures::FutureExt as _;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use sellerlink_domain::order::OrderItem;
use sellerlink_mws::{ListOrdersRequest, MwsClient, SellerAuth};

pub use settings::{MwsGatewayFactory, MwsSettings, MwsSettingsError};

pub(crate) use classify::ThrottleWait;
use classify::classify;

use crate::gateway::{
    AmazonGateway, GatewayError, GatewayErrorKind, GatewayFuture, OrdersPage, OutgoingShipment,
    PageToken, Participation, ShipmentOutcome, ShipmentSubmission, StockOutcome, StockSubmission,
    Window,
};
use crate::quarantine;

/// One seller account through MWS: `ListOrders` by `LastUpdatedAfter` and `ListOrdersByNextToken` for the pages,
/// `ListOrderItems` (+`ByNextToken`) for the items, `ListMarketplaceParticipations` to verify, and the
/// `_POST_ORDER_FULFILLMENT_DATA_` and `_POST_INVENTORY_AVAILABILITY_DATA_` feeds (with their processing reports)
/// for shipments and stock.
#[derive(Debug, Clone)]
pub struct MwsGateway {
    client: MwsClient,
    auth: SellerAuth,
    marketplaces: Vec<MarketplaceId>,
    throttle: ThrottleWait,
}

impl MwsGateway {
    /// A gateway for the seller in `auth`, listing orders of `marketplaces` (at least one; the first is the home
    /// marketplace). `throttle` says whether `client` paces its calls.
    pub(crate) fn new(
        client: MwsClient,
        auth: SellerAuth,
        marketplaces: Vec<MarketplaceId>,
        throttle: ThrottleWait,
    ) -> Self {
        Self {
            client,
            auth,
            marketplaces,
            throttle,
        }
    }

    fn home(&self) -> MarketplaceId {
        self.marketplaces
            .first()
            .cloned()
            .unwrap_or_else(MarketplaceId::japan)
    }

    async fn page(
        &self,
        window: &Window,
        page: Option<&PageToken>,
    ) -> Result<OrdersPage, GatewayError> {
        let result = match page {
            None => {
                let mut request = ListOrdersRequest::last_updated_after(window.updated_after)
                    .marketplace_ids(self.marketplaces.iter().cloned());
                if let Some(before) = window.updated_before {
                    request = request.last_updated_before(before);
                }
                self.client.list_orders(&self.auth, &request).await
            }
            Some(token) => {
                self.client
                    .list_orders_by_next_token(&self.auth, token.as_str())
                    .await
            }
        };
        let page = result.map_err(|e| classify(&e, self.throttle))?;
        let upper_bound = page.last_updated_before.or(window.updated_before).ok_or_else(|| {
            GatewayError::new(
                GatewayErrorKind::Transient,
                "Orders.ListOrders",
                "Amazon's answer did not echo LastUpdatedBefore, so the window's upper bound is unknown",
            )
        })?;
        let home = self.home();
        Ok(OrdersPage {
            orders: page
                .orders
                .iter()
                .map(|order| order.to_domain(&home))
                .collect(),
            unreadable: page
                .unreadable
                .iter()
                .map(|odd| {
                    quarantine::unreadable(
                        odd.amazon_order_id.as_deref(),
                        format!("Orders.ListOrders: {}", odd.reason),
                        quarantine::mws_fragment(&odd.xml),
                        odd.last_update_date.unwrap_or(window.updated_after),
                    )
                })
                .collect(),
            next: page.next_token.map(PageToken::new),
            upper_bound,
            items_included: false,
        })
    }

    async fn items(&self, order: &AmazonOrderId) -> Result<Vec<OrderItem>, GatewayError> {
        let items = self
            .client
            .list_all_order_items(&self.auth, order)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        Ok(items
            .iter()
            .map(sellerlink_mws::OrderItem::to_domain)
            .collect())
    }

    async fn participations(&self) -> Result<Vec<Participation>, GatewayError> {
        let all = self
            .client
            .list_all_marketplace_participations(&self.auth)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        let mut found: Vec<Participation> = Vec::new();
        for participation in &all.participations {
            let Some(id) = participation.marketplace_id.known() else {
                continue;
            };
            if found.iter().any(|p| &p.marketplace_id == id) {
                continue;
            }
            let name = all
                .marketplaces
                .iter()
                .find(|m| m.marketplace_id.known() == Some(id))
                .and_then(|m| m.name.clone());
            found.push(Participation {
                marketplace_id: id.clone(),
                name,
            });
        }
        Ok(found)
    }
}

impl AmazonGateway for MwsGateway {
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
        self.submit_fulfillment(shipment).boxed()
    }

    fn shipment_outcome<'a>(
        &'a self,
        submission: &'a str,
        order: &'a AmazonOrderId,
    ) -> GatewayFuture<'a, ShipmentOutcome> {
        self.fulfillment_outcome(submission, order).boxed()
    }

    fn submit_stock<'a>(
        &'a self,
        levels: &'a [(String, u32)],
    ) -> GatewayFuture<'a, StockSubmission> {
        self.submit_inventory(levels).boxed()
    }

    fn stock_outcome<'a>(&'a self, submission: &'a str) -> GatewayFuture<'a, StockOutcome> {
        self.inventory_outcome(submission).boxed()
    }
}
