//! Stock levels through MWS: one `_POST_INVENTORY_AVAILABILITY_DATA_` feed for many SKUs, and its processing
//! report read back once Amazon has processed it.

use sellerlink_mws::model::feeds::ResultCode;
use sellerlink_mws::{
    FeedProcessingResult, FeedSubmissionId, InventoryFeed, InventoryUpdate, Sku, SubmitFeedRequest,
};

use super::MwsGateway;
use super::classify::classify;
use super::shipment::not_ready;
use crate::gateway::{GatewayError, GatewayErrorKind, StockOutcome, StockSubmission};

fn invalid(message: String) -> GatewayError {
    GatewayError::new(GatewayErrorKind::Invalid, "Feeds.SubmitFeed", message)
}

impl MwsGateway {
    pub(super) async fn submit_inventory(
        &self,
        levels: &[(String, u32)],
    ) -> Result<StockSubmission, GatewayError> {
        let mut feed = InventoryFeed::new(self.auth.seller_id.clone());
        for (sku, quantity) in levels {
            let sku = Sku::parse(sku).map_err(|e| invalid(e.to_string()))?;
            feed.push(InventoryUpdate::new(sku, *quantity));
        }
        let request =
            SubmitFeedRequest::xml(feed.feed_type(), feed.to_xml()).marketplace_ids([self.home()]);
        let info = self
            .client
            .submit_feed(&self.auth, &request)
            .await
            .map_err(|e| classify(&e, self.throttle))?;
        Ok(StockSubmission::Processing {
            submission: info.feed_submission_id.as_str().to_owned(),
        })
    }

    pub(super) async fn inventory_outcome(
        &self,
        submission: &str,
    ) -> Result<StockOutcome, GatewayError> {
        let id = FeedSubmissionId::parse(submission).map_err(invalid)?;
        let result = match self
            .client
            .get_feed_submission_result(&self.auth, &id)
            .await
        {
            Ok(result) => result,
            Err(error) if not_ready(&error) => return Ok(StockOutcome::Pending),
            Err(error) => return Err(classify(&error, self.throttle)),
        };
        let report = match result {
            FeedProcessingResult::Report(report) => report,
            FeedProcessingResult::FlatFile(text) => {
                return Ok(StockOutcome::Processed {
                    refused: Vec::new(),
                    whole_feed: vec![format!(
                        "Amazon answered with a flat-file report instead of an XML one: {}",
                        text.chars().take(300).collect::<String>()
                    )],
                });
            }
        };
        let mut refused = Vec::new();
        let mut whole_feed = Vec::new();
        for result in report
            .results
            .iter()
            .filter(|r| r.result_code == ResultCode::Error)
        {
            let reason = match result.result_message_code {
                Some(code) => format!("{code}: {}", result.result_description),
                None => result.result_description.clone(),
            };
            match result.additional_info.as_ref().and_then(|i| i.sku.clone()) {
                Some(sku) => refused.push((sku, reason)),
                None => whole_feed.push(reason),
            }
        }
        Ok(StockOutcome::Processed {
            refused,
            whole_feed,
        })
    }
}
