//! ListOrders parameter rules, response shape and content.

use reqwest::StatusCode;

use crate::support::{JP, MwsCall, Options, TestSandbox, all, first};

const ORDERS: &str = "/Orders/2013-09-01";

/// A sandbox whose clock runs and whose quotas restore a million times faster, for many calls.
async fn setup() -> (TestSandbox, String) {
    let sandbox = TestSandbox::start_with(Options {
        frozen: false,
        scale: 1_000_000.0,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    (sandbox, token)
}

fn list(sandbox: &TestSandbox, token: &str) -> MwsCall {
    sandbox
        .call(ORDERS, "ListOrders", token)
        .param("MarketplaceId.Id.1", JP)
}

async fn refused(call: MwsCall, sandbox: &TestSandbox, message_part: &str) {
    let answer = call.send(&sandbox.client).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{}", answer.body);
    assert_eq!(answer.code().as_deref(), Some("InvalidParameterValue"));
    assert!(
        answer.body.contains(message_part),
        "expected '{message_part}' in {}",
        answer.body
    );
}

#[tokio::test]
async fn parameter_rules() {
    let (sandbox, token) = setup().await;
    let now = sandbox.now();
    let in_2_min = |secs: i64| (now - jiff::SignedDuration::from_secs(secs)).to_string();
    refused(
        list(&sandbox, &token),
        &sandbox,
        "CreatedAfter or LastUpdatedAfter must be specified",
    )
    .await;
    refused(
        list(&sandbox, &token)
            .param("CreatedAfter", "2024-02-01T00:00:00Z")
            .param("LastUpdatedAfter", "2024-02-01T00:00:00Z"),
        &sandbox,
        "cannot both be specified",
    )
    .await;
    refused(
        list(&sandbox, &token)
            .param("CreatedAfter", "2024-02-01T00:00:00Z")
            .param("CreatedBefore", &in_2_min(119)),
        &sandbox,
        "2 minutes",
    )
    .await;
    let fine = list(&sandbox, &token)
        .param("CreatedAfter", "2024-02-01T00:00:00Z")
        .param("CreatedBefore", &in_2_min(120));
    assert_eq!(fine.send(&sandbox.client).await.status, StatusCode::OK);
    refused(
        list(&sandbox, &token)
            .param("CreatedAfter", "2024-02-10T00:00:00Z")
            .param("CreatedBefore", "2024-02-01T00:00:00Z"),
        &sandbox,
        "must be earlier than",
    )
    .await;
    refused(
        list(&sandbox, &token).param("CreatedAfter", &in_2_min(60)),
        &sandbox,
        "must be earlier than",
    )
    .await;
    refused(
        list(&sandbox, &token).param("CreatedAfter", "last week"),
        &sandbox,
        "not a valid ISO 8601",
    )
    .await;
    refused(
        list(&sandbox, &token)
            .param("LastUpdatedAfter", "2024-02-01T00:00:00Z")
            .param("CreatedBefore", "2024-02-20T00:00:00Z"),
        &sandbox,
        "cannot be combined",
    )
    .await;
    let after = || list(&sandbox, &token).param("CreatedAfter", "2024-02-01T00:00:00Z");
    for bad in ["0", "101", "ten"] {
        refused(
            after().param("MaxResultsPerPage", bad),
            &sandbox,
            "MaxResultsPerPage must be between 1 and 100",
        )
        .await;
    }
    refused(
        after().param("OrderStatus.Status.1", "Unshipped"),
        &sandbox,
        "Unshipped and PartiallyShipped must be used together",
    )
    .await;
    refused(
        after().param("OrderStatus.Status.1", "Lost"),
        &sandbox,
        "not a valid OrderStatus",
    )
    .await;
    refused(
        after().param("FulfillmentChannel.Channel.1", "FBA"),
        &sandbox,
        "not a valid FulfillmentChannel",
    )
    .await;
    refused(
        after().without("MarketplaceId.Id.1"),
        &sandbox,
        "Missing required parameter MarketplaceId.Id.1",
    )
    .await;
    refused(
        after().param("MarketplaceId.Id.1", "ATVPDKIKX0DER"),
        &sandbox,
        "not registered in marketplace ATVPDKIKX0DER",
    )
    .await;
    refused(
        after()
            .param("BuyerEmail", "x@marketplace.amazon.co.jp")
            .param("OrderStatus.Status.1", "Shipped"),
        &sandbox,
        "BuyerEmail cannot be combined with OrderStatus",
    )
    .await;
    refused(
        list(&sandbox, &token)
            .param("LastUpdatedAfter", "2024-02-01T00:00:00Z")
            .param("SellerOrderId", "x"),
        &sandbox,
        "SellerOrderId cannot be combined with LastUpdatedAfter",
    )
    .await;
}

#[tokio::test]
async fn default_upper_bound_is_now_minus_two_minutes_and_results_are_sorted() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let now = sandbox.now();
    let answer = list(&sandbox, &token)
        .param("CreatedAfter", "2024-02-20T00:00:00Z")
        .send(&sandbox.client)
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(answer.body.starts_with(
        "<?xml version=\"1.0\"?>\n<ListOrdersResponse xmlns=\"https://mws.amazonservices.com/Orders/2013-09-01\"><ListOrdersResult>"
    ));
    let expected_bound = now - jiff::SignedDuration::from_secs(120);
    assert_eq!(
        first(&answer.body, "CreatedBefore").unwrap(),
        expected_bound
            .strftime("%Y-%m-%dT%H:%M:%S.%3fZ")
            .to_string()
    );
    assert!(
        answer
            .body
            .contains("</ListOrdersResult><ResponseMetadata><RequestId>")
    );
    let dates: Vec<String> = all(&answer.body, "PurchaseDate");
    assert!(!dates.is_empty());
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "sorted by PurchaseDate");
    let lower: jiff::Timestamp = "2024-02-20T00:00:00Z".parse().unwrap();
    assert!(dates.iter().all(|d| {
        let d: jiff::Timestamp = d.parse().unwrap();
        d >= lower && d <= expected_bound
    }));
    // Element order inside Order follows the documentation.
    let order = first(&answer.body, "Order").unwrap();
    let positions: Vec<usize> = [
        "<AmazonOrderId>",
        "<PurchaseDate>",
        "<LastUpdateDate>",
        "<OrderStatus>",
        "<FulfillmentChannel>",
        "<SalesChannel>",
        "<MarketplaceId>",
    ]
    .iter()
    .map(|t| order.find(t).unwrap_or_else(|| panic!("{t} in {order}")))
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{order}");
    assert!(order.contains("<SalesChannel>Amazon.co.jp</SalesChannel>"));
    // JPY amounts with two decimals.
    for amount in all(&answer.body, "Amount") {
        assert!(amount.ends_with(".00"), "{amount}");
    }
}

#[tokio::test]
async fn filters_and_pending_pii_rule() {
    let (sandbox, token) = setup().await;
    let seller = sandbox.seller.seller_id.clone();
    let created = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders"),
            serde_json::json!({ "status": "Pending", "purchase_date": "2024-03-01T02:00:00Z", "buyer_name": "山田 太郎",
                                "items": [{ "sku": "PENDING-1", "quantity": 1, "unit_price": 1507 }] }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let order: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    let id = order["amazon_order_id"].as_str().unwrap().to_owned();

    let get = sandbox
        .call(ORDERS, "GetOrder", &token)
        .param("AmazonOrderId.Id.1", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(get.status, StatusCode::OK, "{}", get.body);
    assert_eq!(first(&get.body, "OrderStatus").as_deref(), Some("Pending"));
    for hidden in ["BuyerName", "BuyerEmail", "ShippingAddress", "OrderTotal"] {
        assert!(
            !get.body.contains(&format!("<{hidden}>")),
            "{hidden} must be hidden for Pending: {}",
            get.body
        );
    }
    sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders/{id}/status"),
            serde_json::json!({ "status": "Unshipped" }),
        )
        .await;
    let get = sandbox
        .call(ORDERS, "GetOrder", &token)
        .param("AmazonOrderId.Id.1", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(first(&get.body, "BuyerName").as_deref(), Some("山田 太郎"));
    assert!(get.body.contains(
        "<OrderTotal><CurrencyCode>JPY</CurrencyCode><Amount>1507.00</Amount></OrderTotal>"
    ));

    let after = || list(&sandbox, &token).param("CreatedAfter", "2024-02-01T00:00:00Z");
    let unshipped = after()
        .param("OrderStatus.Status.1", "Unshipped")
        .param("OrderStatus.Status.2", "PartiallyShipped")
        .send(&sandbox.client)
        .await;
    let statuses = all(&unshipped.body, "OrderStatus");
    assert!(
        !statuses.is_empty()
            && statuses
                .iter()
                .all(|s| s == "Unshipped" || s == "PartiallyShipped"),
        "{statuses:?}"
    );
    let afn = after()
        .param("FulfillmentChannel.Channel.1", "AFN")
        .send(&sandbox.client)
        .await;
    let channels = all(&afn.body, "FulfillmentChannel");
    assert!(!channels.is_empty() && channels.iter().all(|c| c == "AFN"));
    let by_seller_order_id = after()
        .param("SellerOrderId", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(
        all(&by_seller_order_id.body, "AmazonOrderId"),
        vec![id.clone()]
    );
    let cod = after()
        .param("PaymentMethod.Method.1", "COD")
        .send(&sandbox.client)
        .await;
    assert!(all(&cod.body, "PaymentMethod").iter().all(|m| m == "COD"));
    assert!(cod.body.contains("<PaymentExecutionDetail>"));

    let unknown = sandbox
        .call(ORDERS, "GetOrder", &token)
        .param("AmazonOrderId.Id.1", "503-0000000-0000000")
        .send(&sandbox.client)
        .await;
    assert!(unknown.body.contains("<Orders/>"), "{}", unknown.body);
}
