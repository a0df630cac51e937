//! ListOrderItems and its pagination.

use std::collections::BTreeSet;

use reqwest::StatusCode;

use crate::support::{TestSandbox, all, first};

const ORDERS: &str = "/Orders/2013-09-01";

#[tokio::test]
async fn items_page_by_100_and_hide_prices_while_pending() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let seller = sandbox.seller.seller_id.clone();
    let items: Vec<serde_json::Value> =
        (0..150).map(|n| serde_json::json!({ "sku": format!("BULK-{n:03}"), "quantity": 1 + n % 3, "unit_price": 100 + n })).collect();
    let created = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders"),
            serde_json::json!({ "status": "Pending", "items": items }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let order: serde_json::Value = serde_json::from_str(&created.body).unwrap();
    let id = order["amazon_order_id"].as_str().unwrap().to_owned();

    let first_page = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(first_page.status, StatusCode::OK, "{}", first_page.body);
    assert_eq!(
        first(&first_page.body, "AmazonOrderId").as_deref(),
        Some(id.as_str())
    );
    assert!(
        !first_page.body.contains("<ItemPrice>"),
        "prices are hidden while Pending"
    );
    let mut ids = all(&first_page.body, "OrderItemId");
    assert_eq!(ids.len(), 100);
    let token_text = first(&first_page.body, "NextToken").expect("a second page");
    let second = sandbox
        .call(ORDERS, "ListOrderItemsByNextToken", &token)
        .param("NextToken", &token_text)
        .send(&sandbox.client)
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert!(second.body.contains("<ListOrderItemsByNextTokenResult>"));
    assert!(first(&second.body, "NextToken").is_none());
    ids.extend(all(&second.body, "OrderItemId"));
    let unique: BTreeSet<&String> = ids.iter().collect();
    let expected: BTreeSet<String> = order["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["order_item_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(unique.len(), 150);
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected
    );
    assert!(ids.iter().all(|i| i.len() == 14));

    sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders/{id}/status"),
            serde_json::json!({ "status": "Unshipped" }),
        )
        .await;
    let priced = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", &id)
        .send(&sandbox.client)
        .await;
    assert!(
        priced.body.contains(
            "<ItemPrice><CurrencyCode>JPY</CurrencyCode><Amount>100.00</Amount></ItemPrice>"
        ),
        "{}",
        &priced.body[..600]
    );

    let unknown = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", "250-0000000-0000000")
        .send(&sandbox.client)
        .await;
    assert_eq!(
        (unknown.status, unknown.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("InvalidParameterValue"))
    );
    // Any string may be an order id (Amazon's model); one that is no order of the seller is refused by name.
    let malformed = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", "12345")
        .send(&sandbox.client)
        .await;
    assert_eq!(malformed.code().as_deref(), Some("InvalidParameterValue"));
    assert!(
        malformed.body.contains("Invalid AmazonOrderId: 12345"),
        "{}",
        malformed.body
    );
    let spaced = sandbox
        .call(ORDERS, "ListOrderItems", &token)
        .param("AmazonOrderId", "123 45")
        .send(&sandbox.client)
        .await;
    assert!(
        spaced
            .body
            .contains("AmazonOrderId has an unexpected character at position 4"),
        "{}",
        spaced.body
    );
}
