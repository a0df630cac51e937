//! Throttling: Amazon's quotas and restore rates, scaled and real, with the exact 503 body.

use reqwest::StatusCode;

use crate::support::{JP, Options, TestSandbox, first};

const ORDERS: &str = "/Orders/2013-09-01";

async fn list_orders_status(sandbox: &TestSandbox, token: &str) -> (StatusCode, String) {
    let answer = sandbox
        .call(ORDERS, "ListOrders", token)
        .param("MarketplaceId.Id.1", JP)
        .param("CreatedAfter", "2024-02-28T00:00:00Z")
        .send(&sandbox.client)
        .await;
    (answer.status, answer.body)
}

#[tokio::test]
async fn real_rates_burst_of_six_then_one_per_minute() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 50,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    for n in 0..6 {
        assert_eq!(
            list_orders_status(&sandbox, &token).await.0,
            StatusCode::OK,
            "request {n} within the quota of 6"
        );
    }
    let (status, body) = list_orders_status(&sandbox, &token).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    let request_id = first(&body, "RequestID").unwrap();
    assert_eq!(
        body,
        format!(
            "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://mws.amazonservices.com/Orders/2013-09-01\"><Error><Type></Type><Code>RequestThrottled</Code><Message>Request is throttled</Message></Error><RequestID>{request_id}</RequestID></ErrorResponse>"
        )
    );
    sandbox.advance(59.0).await;
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::SERVICE_UNAVAILABLE,
        "59 s restore nothing"
    );
    sandbox.advance(1.0).await;
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::OK,
        "one restored after a minute"
    );
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );

    // ListOrderItems has its own bucket (30, one per 2 s).
    let order_id = {
        let orders = sandbox
            .control_get(&format!(
                "/_sandbox/sellers/{}/orders",
                sandbox.seller.seller_id
            ))
            .await;
        orders[0]["amazon_order_id"].as_str().unwrap().to_owned()
    };
    for _ in 0..30 {
        let ok = sandbox
            .call(ORDERS, "ListOrderItems", &token)
            .param("AmazonOrderId", &order_id)
            .send(&sandbox.client)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    }
    let throttled = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", &order_id)
        .send(&sandbox.client)
        .await;
    assert_eq!(throttled.code().as_deref(), Some("RequestThrottled"));
    sandbox.advance(2.0).await;
    let again = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", &order_id)
        .send(&sandbox.client)
        .await;
    assert_eq!(again.status, StatusCode::OK);

    // Throttling is per seller: the other seller's bucket is full.
    let other = sandbox.control_get("/_sandbox/sellers").await[1]["seller_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other_token = sandbox.grant(&other).await;
    let other_call = sandbox
        .call(ORDERS, "ListOrders", &other_token)
        .param("SellerId", &other)
        .param("MarketplaceId.Id.1", JP)
        .param("CreatedAfter", "2024-02-28T00:00:00Z")
        .send(&sandbox.client)
        .await;
    assert_eq!(other_call.status, StatusCode::OK, "{}", other_call.body);
}

#[tokio::test]
async fn scaled_rates_restore_a_thousand_times_faster() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 50,
        scale: 1000.0,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    for _ in 0..6 {
        assert_eq!(list_orders_status(&sandbox, &token).await.0, StatusCode::OK);
    }
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    sandbox.advance(0.065).await;
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::OK,
        "65 ms restore one request at scale 1000"
    );
    assert_eq!(
        list_orders_status(&sandbox, &token).await.0,
        StatusCode::SERVICE_UNAVAILABLE
    );
    sandbox.advance(0.36).await;
    for _ in 0..6 {
        assert_eq!(
            list_orders_status(&sandbox, &token).await.0,
            StatusCode::OK,
            "the bucket refills to its maximum"
        );
    }
}

#[tokio::test]
async fn feeds_carry_hourly_quota_headers() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 20,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let answer = sandbox
            .call("/Feeds/2009-01-01", "GetFeedSubmissionList", &token)
            .send(&sandbox.client)
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(answer.headers.get("x-mws-quota-max").unwrap(), "80.0");
        assert!(answer.headers.contains_key("x-mws-quota-resetson"));
        remaining.push(
            answer
                .headers
                .get("x-mws-quota-remaining")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned(),
        );
    }
    assert_eq!(remaining, vec!["79.0", "78.0", "77.0"]);
}
