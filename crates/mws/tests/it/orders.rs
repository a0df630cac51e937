//! Orders over HTTPS: the NextToken stream, GetOrder and order items.

use std::collections::HashSet;

use futures::TryStreamExt as _;
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use sellerlink_mws::{ErrorKind, ListOrdersRequest};

use crate::support::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_orders_stream_pages_through_every_order_once() {
    let harness = Harness::start(1.0, 45).await;
    let client = harness.client().build().expect("client");
    let after = harness.now() - SignedDuration::from_hours(3 * 365 * 24);
    let request = ListOrdersRequest::created_after(after)
        .marketplace_id(MarketplaceId::japan())
        .max_results_per_page(10);

    let pages: Vec<_> = client
        .orders_stream(&harness.auth, request)
        .try_collect()
        .await
        .expect("every page");

    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert!(pages.iter().all(|page| page.orders.len() <= 10));
    assert!(pages.last().is_some_and(|page| page.next_token.is_none()));
    let before = pages[0].created_before.expect("CreatedBefore echoed");
    let ids: Vec<&AmazonOrderId> = pages
        .iter()
        .flat_map(|page| &page.orders)
        .map(|order| &order.amazon_order_id)
        .collect();
    let unique: HashSet<&str> = ids.iter().map(|id| id.as_str()).collect();
    assert_eq!(unique.len(), ids.len(), "no order twice");

    let expected: HashSet<String> = harness
        .orders()
        .await
        .iter()
        .filter(|order| {
            let purchased: Timestamp = order["purchase_date"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("purchase date");
            purchased >= after && purchased < before
        })
        .map(|order| {
            order["amazon_order_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let got: HashSet<String> = unique.into_iter().map(str::to_owned).collect();
    assert_eq!(got, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_order_and_items_match_the_sandbox() {
    let harness = Harness::start(1.0, 20).await;
    let client = harness.client().build().expect("client");
    let orders = harness.orders().await;
    let wanted: Vec<AmazonOrderId> = orders
        .iter()
        .take(2)
        .map(|o| {
            AmazonOrderId::parse(o["amazon_order_id"].as_str().unwrap_or_default()).expect("id")
        })
        .collect();

    let found = client
        .get_order(&harness.auth, &wanted)
        .await
        .expect("GetOrder");

    let found_ids: HashSet<&AmazonOrderId> = found.iter().map(|o| &o.amazon_order_id).collect();
    assert_eq!(found_ids, wanted.iter().collect());
    for order in &found {
        let view = orders
            .iter()
            .find(|o| o["amazon_order_id"] == order.amazon_order_id.as_str())
            .expect("known order");
        assert_eq!(order.order_status.as_str(), view["status"]);

        let items = client
            .list_all_order_items(&harness.auth, &order.amazon_order_id)
            .await
            .expect("items");
        let got: HashSet<(String, Option<String>, u32)> = items
            .iter()
            .map(|i| {
                (
                    i.order_item_id.as_str().to_owned(),
                    i.seller_sku.clone(),
                    i.quantity_ordered,
                )
            })
            .collect();
        let expected: HashSet<(String, Option<String>, u32)> = view["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| {
                (
                    i["order_item_id"].as_str().unwrap_or_default().to_owned(),
                    i["sku"].as_str().map(str::to_owned),
                    u32::try_from(i["quantity_ordered"].as_u64().unwrap_or_default())
                        .unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got, expected, "items of {}", order.amazon_order_id);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amazon_refusals_of_parameters_are_invalid_input() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    // A window ending in the future breaks the 2-minute rule; only Amazon knows its clock.
    let request = ListOrdersRequest::created_after(harness.now() - SignedDuration::from_hours(1))
        .created_before(harness.now() + SignedDuration::from_hours(1))
        .marketplace_id(MarketplaceId::japan());

    let error = client
        .list_orders(&harness.auth, &request)
        .await
        .expect_err("refused");

    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.http_status(), Some(400));
    assert_eq!(error.amazon_code(), Some("InvalidParameterValue"));
    assert_eq!(harness.statuses("Orders.ListOrders").await, vec![400]);
}
