//! Throttling, pacing and injected faults: what is retried, what is not, and how it ends.

use std::time::Duration;

use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_mws::{ErrorKind, Pacing, RetryPolicy};
use serde_json::json;

use crate::support::{Harness, quick_retries};

/// Restore rates 600× Amazon's: GetOrder's one-per-minute becomes one per 100 ms.
const FAST: f64 = 600.0;

async fn some_order(harness: &Harness) -> AmazonOrderId {
    let orders = harness.orders().await;
    let id = orders[0]["amazon_order_id"].as_str().unwrap_or_default();
    AmazonOrderId::parse(id).expect("order id")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttled_calls_wait_and_go_through() {
    // Restore 120× Amazon's: one GetOrder every 500 ms, so nine calls at once must exceed
    // the burst of 6 however slow this machine is.
    let harness = Harness::start(120.0, 5).await;
    let client = harness
        .client()
        .retry_policy(RetryPolicy {
            max_delay: Duration::from_millis(600),
            ..quick_retries(8)
        })
        .build()
        .expect("client");
    let order = some_order(&harness).await;

    let calls = (0..9).map(|_| client.get_order(&harness.auth, std::slice::from_ref(&order)));
    let results = futures::future::join_all(calls).await;

    for (call, result) in results.into_iter().enumerate() {
        result.unwrap_or_else(|e| panic!("call {call}: {e}"));
    }
    let statuses = harness.statuses("Orders.GetOrder").await;
    assert!(statuses.contains(&503), "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 9);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_keeps_a_normal_run_free_of_throttling() {
    // One GetOrder every 500 ms at 120×. The safety margin absorbs the first call's connection set-up; the test
    // uses a wide one so that a machine busy with other test processes cannot make it flaky.
    let harness = Harness::start(120.0, 5).await;
    let pacing = Pacing::new(120.0)
        .expect("scale")
        .with_safety_margin(std::time::Duration::from_millis(1500));
    let client = harness
        .client()
        .pacing(Some(pacing))
        .build()
        .expect("client");
    let order = some_order(&harness).await;

    // The burst of 6, then two calls that must wait for the bucket to refill.
    for call in 0..8 {
        client
            .get_order(&harness.auth, std::slice::from_ref(&order))
            .await
            .unwrap_or_else(|e| panic!("call {call}: {e}"));
    }

    assert_eq!(harness.statuses("Orders.GetOrder").await, vec![200; 8]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pacing_recovers_when_amazon_throttles_anyway() {
    let harness = Harness::start(FAST, 5).await;
    let order = some_order(&harness).await;
    // Another process (here: a client without pacing) empties the bucket first.
    let greedy = harness
        .client()
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    for _ in 0..6 {
        greedy
            .get_order(&harness.auth, std::slice::from_ref(&order))
            .await
            .expect("burst");
    }
    let paced = harness
        .client()
        .pacing(Some(
            Pacing::new(FAST)
                .expect("scale")
                .with_safety_margin(Duration::from_millis(150)),
        ))
        .build()
        .expect("client");

    for call in 0..3 {
        paced
            .get_order(&harness.auth, std::slice::from_ref(&order))
            .await
            .unwrap_or_else(|e| panic!("call {call}: {e}"));
    }

    let statuses = harness.statuses("Orders.GetOrder").await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        9,
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internal_errors_are_retried() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    let order = some_order(&harness).await;
    harness
        .fault(
            "ListOrderItems",
            json!({ "internal_error": 1.0, "limit": 2 }),
        )
        .await;

    let items = client
        .list_all_order_items(&harness.auth, &order)
        .await
        .expect("third try succeeds");

    assert!(!items.is_empty());
    assert_eq!(
        harness.statuses("Orders.ListOrderItems").await,
        vec![500, 500, 200]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_unavailable_is_retried() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    harness
        .fault(
            "ListMarketplaceParticipations",
            json!({ "service_unavailable": 1.0, "limit": 1 }),
        )
        .await;

    client
        .list_marketplace_participations(&harness.auth)
        .await
        .expect("second try succeeds");

    assert_eq!(
        harness
            .statuses("Sellers.ListMarketplaceParticipations")
            .await,
        vec![503, 200]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_connections_and_truncated_bodies_are_retried() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    let order = some_order(&harness).await;
    harness
        .fault("GetOrder", json!({ "drop_connection": 1.0, "limit": 1 }))
        .await;
    client
        .get_order(&harness.auth, std::slice::from_ref(&order))
        .await
        .expect("retried after the dropped connection");

    harness
        .fault("GetOrder", json!({ "truncate_body": 1.0, "limit": 1 }))
        .await;
    let found = client
        .get_order(&harness.auth, std::slice::from_ref(&order))
        .await
        .expect("retried after the truncated body");
    assert_eq!(found.len(), 1);
    assert_eq!(harness.statuses("Orders.GetOrder").await.len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lasting_server_errors_end_with_amazons_code_after_the_retries() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness
        .client()
        .retry_policy(quick_retries(2))
        .build()
        .expect("client");
    harness
        .fault("GetServiceStatus", json!({ "internal_error": 1.0 }))
        .await;

    let error = client
        .get_service_status(&harness.auth, sellerlink_mws::ServiceStatusSection::Orders)
        .await
        .expect_err("always failing");

    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.http_status(), Some(500));
    assert_eq!(error.amazon_code(), Some("InternalError"));
    assert_eq!(
        harness.statuses("Orders.GetServiceStatus").await,
        vec![500, 500, 500],
        "the first try and two retries"
    );
}
