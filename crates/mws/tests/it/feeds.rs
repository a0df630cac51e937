//! Feeds: shipment confirmations and stock levels, submitted and followed to their report.

use std::num::NonZeroU32;

use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_mws::model::feeds::ReportStatusCode;
use sellerlink_mws::{
    Carrier, ErrorKind, FeedProcessingResult, FeedProcessingStatus, FeedSubmissionListFilter,
    InventoryFeed, InventoryUpdate, OrderFulfillment, OrderFulfillmentFeed, OrderItemId, Sku,
    SubmitFeedRequest,
};

use crate::support::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipment_confirmation_ships_the_order() {
    let harness = Harness::start(1.0, 60).await;
    let client = harness.client().build().expect("client");
    let orders = harness.orders().await;
    let unshipped = orders
        .iter()
        .find(|o| o["status"] == "Unshipped" && o["fulfillment_channel"] == "MFN")
        .expect("an unshipped merchant-fulfilled order among 60");
    let order_id = AmazonOrderId::parse(unshipped["amazon_order_id"].as_str().unwrap_or_default())
        .expect("id");
    let mut fulfillment = OrderFulfillment::new(order_id.clone(), harness.now())
        .carrier(Carrier::code("Yamato Transport").expect("carrier"))
        .shipping_method("宅急便")
        .expect("method")
        .tracking_number("4021-8837-1150")
        .expect("tracking");
    for item in unshipped["items"].as_array().expect("items") {
        let id = OrderItemId::parse(item["order_item_id"].as_str().unwrap_or_default())
            .expect("item id");
        fulfillment = fulfillment.item(id, None);
    }
    let mut feed = OrderFulfillmentFeed::new(harness.auth.seller_id.clone());
    feed.push(fulfillment);

    let info = client
        .submit_feed(&harness.auth, &SubmitFeedRequest::from(&feed))
        .await
        .expect("submitted");
    assert_eq!(info.feed_processing_status, FeedProcessingStatus::Submitted);
    assert_eq!(info.feed_type.as_str(), "_POST_ORDER_FULFILLMENT_DATA_");

    let early = client
        .get_feed_submission_result(&harness.auth, &info.feed_submission_id)
        .await
        .expect_err("not processed yet");
    assert_eq!(early.amazon_code(), Some("FeedProcessingResultNotReady"));
    assert_eq!(early.kind(), ErrorKind::InvalidInput);

    harness.advance_clock(120.0).await;
    let filter = FeedSubmissionListFilter::new().submission_ids([info.feed_submission_id.clone()]);
    let page = client
        .get_feed_submission_list(&harness.auth, &filter)
        .await
        .expect("listed");
    assert_eq!(page.submissions.len(), 1);
    assert_eq!(
        page.submissions[0].feed_processing_status,
        FeedProcessingStatus::Done
    );

    let result = client
        .get_feed_submission_result(&harness.auth, &info.feed_submission_id)
        .await
        .expect("report");
    let FeedProcessingResult::Report(report) = result else {
        panic!("an XML feed gets an XML report");
    };
    assert_eq!(report.status_code, ReportStatusCode::Complete);
    assert_eq!(
        report.document_transaction_id,
        info.feed_submission_id.as_str()
    );
    let summary = report.summary.expect("summary");
    assert_eq!(
        (summary.messages_processed, summary.messages_successful),
        (1, 1)
    );
    assert_eq!(report.errors().count(), 0);

    let after = harness
        .control
        .order(harness.auth.seller_id.as_str(), order_id.as_str())
        .await;
    assert_eq!(after["status"], "Shipped");
    assert_eq!(after["shipments"][0]["tracking_number"], "4021-8837-1150");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inventory_feed_sets_stock() {
    let harness = Harness::start(1.0, 10).await;
    let client = harness.client().build().expect("client");
    let seller_id = harness.auth.seller_id.as_str();
    let stock = harness.control.stock(seller_id).await;
    let sku = stock
        .as_object()
        .and_then(|levels| levels.keys().next().cloned())
        .expect("the seller has stock");
    let mut feed = InventoryFeed::new(harness.auth.seller_id.clone());
    feed.push(
        InventoryUpdate::new(Sku::parse(&sku).expect("sku"), 7)
            .fulfillment_latency(NonZeroU32::new(2).expect("non-zero")),
    );

    let info = client
        .submit_feed(&harness.auth, &SubmitFeedRequest::from(&feed))
        .await
        .expect("submitted");
    harness.advance_clock(120.0).await;
    let result = client
        .get_feed_submission_result(&harness.auth, &info.feed_submission_id)
        .await
        .expect("report");

    let report = result.report().expect("XML report");
    assert_eq!(report.summary.map(|s| s.messages_successful), Some(1));
    let stock = harness.control.stock(seller_id).await;
    assert_eq!(stock[&sku]["quantity"], 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_submission_is_not_found() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    let id = sellerlink_mws::FeedSubmissionId::parse("99999999999").expect("id");

    let error = client
        .get_feed_submission_result(&harness.auth, &id)
        .await
        .expect_err("unknown");

    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.amazon_code(), Some("InvalidFeedSubmissionId"));
}
