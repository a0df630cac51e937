//! Shipment confirmations through SP-API: Orders v0 `confirmShipment`, answered at once (204 when accepted).

use futures::future::BoxFuture;
use sellerlink_domain::carrier::ShipmentCarrier;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_spapi::{ConfirmShipment, PackageDetail, ShipmentItem};

use super::SpApiGateway;
use super::classify::classify;
use crate::gateway::{
    GatewayError, GatewayErrorKind, OutgoingShipment, ShipmentOutcome, ShipmentSubmission,
};

/// The `confirmShipment` body of one package.
fn body(shipment: &OutgoingShipment) -> ConfirmShipment {
    let carrier = ShipmentCarrier::from_typed(&shipment.carrier);
    ConfirmShipment {
        marketplace_id: shipment.marketplace_id.clone(),
        package_detail: PackageDetail {
            package_reference_id: shipment.package_reference.clone(),
            carrier_code: carrier.code().to_owned(),
            carrier_name: carrier.name().map(str::to_owned),
            shipping_method: shipment.shipping_method.clone(),
            tracking_number: shipment.tracking_number.clone(),
            ship_date: shipment.ship_date,
            order_items: shipment
                .lines
                .iter()
                .map(|(order_item_id, quantity)| ShipmentItem {
                    order_item_id: order_item_id.clone(),
                    quantity: *quantity,
                })
                .collect(),
        },
    }
}

impl SpApiGateway {
    pub(super) async fn confirm(
        &self,
        shipment: &OutgoingShipment,
    ) -> Result<ShipmentSubmission, GatewayError> {
        self.client
            .confirm_shipment(&self.seller, &shipment.amazon_order_id, &body(shipment))
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        Ok(ShipmentSubmission::Accepted)
    }
}

/// `confirmShipment` answers at once, so nothing is ever left to ask about.
pub(super) fn no_outcome<'a>(
    submission: &'a str,
    _order: &'a AmazonOrderId,
) -> BoxFuture<'a, Result<ShipmentOutcome, GatewayError>> {
    Box::pin(async move {
        Err(GatewayError::new(
            GatewayErrorKind::Invalid,
            "Orders.confirmShipment",
            format!(
                "SP-API confirms shipments at once; there is no submission {submission:?} to ask about"
            ),
        ))
    })
}
