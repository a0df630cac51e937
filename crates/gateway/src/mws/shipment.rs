//! Shipment confirmations through MWS: one `_POST_ORDER_FULFILLMENT_DATA_` feed per package, and its processing
//! report read back (`GetFeedSubmissionResult`) once Amazon has processed it. The carrier goes as Amazon's carrier
//! code, or `Other` with its name (docs/CARRIERS.md).

use std::num::NonZeroU32;

use sellerlink_domain::carrier::ShipmentCarrier;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_mws::{
    Carrier, FeedProcessingResult, FeedSubmissionId, MwsError, OrderFulfillment,
    OrderFulfillmentFeed, OrderItemId, SubmitFeedRequest,
};

use super::MwsGateway;
use super::classify::classify;
use crate::gateway::{
    GatewayError, GatewayErrorKind, OutgoingShipment, ShipmentOutcome, ShipmentSubmission,
};

/// Amazon's answer while a feed is still being processed.
const NOT_READY: &str = "FeedProcessingResultNotReady";

fn invalid(message: String) -> GatewayError {
    GatewayError::new(GatewayErrorKind::Invalid, "Feeds.SubmitFeed", message)
}

/// The feed document of one package.
fn document(
    gateway: &MwsGateway,
    shipment: &OutgoingShipment,
) -> Result<OrderFulfillmentFeed, GatewayError> {
    let bad = |e: sellerlink_mws::FeedDocumentError| invalid(e.to_string());
    let mut fulfillment =
        OrderFulfillment::new(shipment.amazon_order_id.clone(), shipment.ship_date)
            .carrier(
                Carrier::for_shipment(&ShipmentCarrier::from_typed(&shipment.carrier))
                    .map_err(bad)?,
            )
            .tracking_number(&shipment.tracking_number)
            .map_err(bad)?;
    if let Some(method) = &shipment.shipping_method {
        fulfillment = fulfillment.shipping_method(method).map_err(bad)?;
    }
    for (item, quantity) in &shipment.lines {
        let item = OrderItemId::parse(item).map_err(invalid)?;
        fulfillment = fulfillment.item(item, NonZeroU32::new(*quantity));
    }
    let mut feed = OrderFulfillmentFeed::new(gateway.auth.seller_id.clone());
    feed.push(fulfillment);
    Ok(feed)
}

impl MwsGateway {
    pub(super) async fn submit_fulfillment(
        &self,
        shipment: &OutgoingShipment,
    ) -> Result<ShipmentSubmission, GatewayError> {
        let feed = document(self, shipment)?;
        let request = SubmitFeedRequest::xml(feed.feed_type(), feed.to_xml())
            .marketplace_ids([shipment.marketplace_id.clone()]);
        let info = self
            .client
            .submit_feed(&self.auth, &request)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        Ok(ShipmentSubmission::Processing {
            submission: info.feed_submission_id.as_str().to_owned(),
        })
    }

    pub(super) async fn fulfillment_outcome(
        &self,
        submission: &str,
        order: &AmazonOrderId,
    ) -> Result<ShipmentOutcome, GatewayError> {
        let id = FeedSubmissionId::parse(submission).map_err(invalid)?;
        let result = match self
            .client
            .get_feed_submission_result(&self.auth, &id)
            .await
        {
            Ok(result) => result,
            Err(error) if not_ready(&error) => return Ok(ShipmentOutcome::Pending),
            Err(error) => return Err(classify(&error, self.throttle)),
        };
        Ok(match result {
            FeedProcessingResult::Report(report) => {
                let errors: Vec<String> = report
                    .results
                    .iter()
                    .filter(|r| r.result_code == sellerlink_mws::model::feeds::ResultCode::Error)
                    .filter(|r| {
                        r.additional_info
                            .as_ref()
                            .and_then(|info| info.amazon_order_id.as_ref())
                            .is_none_or(|o| o == order)
                    })
                    .map(|r| match r.result_message_code {
                        Some(code) => format!("{code}: {}", r.result_description),
                        None => r.result_description.clone(),
                    })
                    .collect();
                if errors.is_empty() {
                    ShipmentOutcome::Accepted
                } else {
                    ShipmentOutcome::Refused(errors.join("; "))
                }
            }
            FeedProcessingResult::FlatFile(text) => ShipmentOutcome::Refused(format!(
                "Amazon answered with a flat-file report instead of an XML one: {}",
                text.chars().take(300).collect::<String>()
            )),
        })
    }
}

/// Whether Amazon said the feed is not processed yet.
pub(super) fn not_ready(error: &MwsError) -> bool {
    error.amazon_code() == Some(NOT_READY)
}
