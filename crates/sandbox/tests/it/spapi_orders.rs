//! Orders 2026-01-01 `searchOrders` / `getOrder`, Orders v0 `confirmShipment` and Listings
//! `patchListingsItem` against the same order and stock books as MWS.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::spapi_support::{USER_AGENT, body, error_of, rate_limit, ready, sp, sp_get};
use crate::support::{JP, TestSandbox, answer, first};

async fn reset_throttle(sandbox: &TestSandbox) {
    let answer = sandbox
        .control_post("/_sandbox/throttle/reset", json!({}))
        .await;
    assert!(answer.status.is_success());
}

fn ids(page: &Value) -> Vec<String> {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["orderId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_orders_enforces_the_rules_and_pages_without_repeats() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let path = "/orders/2026-01-01/orders";
    let invalid = [
        ("marketplaceIds=A1VC38T7YXB528", "Exactly one"),
        (
            "createdAfter=2024-02-01T00:00:00Z&lastUpdatedAfter=2024-02-01T00:00:00Z",
            "cannot both",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&lastUpdatedBefore=2024-02-20T00:00:00Z",
            "lastUpdatedBefore cannot",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&createdBefore=2024-03-01T02:59:00Z",
            "2 minutes",
        ),
        (
            "createdAfter=2024-02-29T00:00:00Z&createdBefore=2024-02-28T00:00:00Z",
            "lower bound",
        ),
        (
            "createdAfter=yesterday",
            "Invalid date-time field(s) [createdAfter].",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&maxResultsPerPage=101",
            "maxResultsPerPage",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&maxResultsPerPage=0",
            "maxResultsPerPage",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&fulfillmentStatuses=Unshipped",
            "fulfillmentStatuses",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&fulfilledBy=SELLER",
            "fulfilledBy",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&includedData=EVERYTHING",
            "includedData",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&marketplaceIds=ATVPDKIKX0DER",
            "ATVPDKIKX0DER",
        ),
        (
            "createdAfter=2024-02-01T00:00:00Z&paginationToken=bm90IGEgdG9rZW4",
            "paginationToken",
        ),
    ];
    for (query, hint) in invalid {
        reset_throttle(&sandbox).await;
        let answer = sp_get(&sandbox, &token, &format!("{path}?{query}")).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{query}: {}",
            answer.body
        );
        let (code, details) = error_of(&answer);
        assert_eq!(code, "InvalidInput");
        assert!(details.contains(hint), "{query}: {details}");
        assert_eq!(
            rate_limit(&answer).as_deref(),
            Some("0.0056"),
            "400s carry the rate"
        );
        assert!(answer.headers.contains_key("x-amzn-requestid"));
    }

    // One page of 100 vs. pages of 7: the same orders, no repeats; the bound is echoed.
    reset_throttle(&sandbox).await;
    let window = "createdAfter=2024-02-10T00:00:00Z&createdBefore=2024-02-18T00:00:00Z&marketplaceIds=A1VC38T7YXB528";
    let whole = body(&sp_get(&sandbox, &token, &format!("{path}?{window}")).await);
    assert_eq!(whole["createdBefore"], "2024-02-18T00:00:00Z");
    assert!(whole.get("lastUpdatedBefore").is_none());
    assert!(whole.get("pagination").is_none(), "one page holds them all");
    let all = ids(&whole);
    assert!(all.len() > 20 && all.len() < 100, "{}", all.len());
    let mut paged = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut query = format!("{window}&maxResultsPerPage=7");
        if let Some(token) = &next {
            query.push_str("&paginationToken=");
            query.extend(url::form_urlencoded::byte_serialize(token.as_bytes()));
        }
        let page = body(&sp_get(&sandbox, &token, &format!("{path}?{query}")).await);
        let page_ids = ids(&page);
        assert!(page_ids.len() <= 7);
        paged.extend(page_ids);
        match page["pagination"]["nextToken"].as_str() {
            Some(token) => next = Some(token.to_owned()),
            None => break,
        }
    }
    assert_eq!(paged, all);

    // Both APIs see the same orders: compare with the sandbox's own view.
    let visible = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/orders",
            sandbox.seller.seller_id
        ))
        .await;
    let expected: BTreeSet<String> = visible
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| {
            let date = o["purchase_date"].as_str().unwrap();
            ("2024-02-10".."2024-02-18").contains(&&date[..10]) && o["marketplace_id"] == JP
        })
        .map(|o| o["amazon_order_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(all.iter().cloned().collect::<BTreeSet<_>>(), expected);

    // Filters: merchant-fulfilled, unshipped; default upper bound = now − 2 minutes.
    reset_throttle(&sandbox).await;
    let filtered = body(
        &sp_get(
            &sandbox,
            &token,
            &format!("{path}?lastUpdatedAfter=2024-01-01T00:00:00Z&fulfilledBy=MERCHANT&fulfillmentStatuses=UNSHIPPED,PARTIALLY_SHIPPED&includedData=FULFILLMENT"),
        )
        .await,
    );
    assert!(
        filtered["lastUpdatedBefore"]
            .as_str()
            .unwrap()
            .starts_with("2024-03-01T02:58:00")
    );
    for order in filtered["orders"].as_array().unwrap() {
        assert_eq!(order["fulfillment"]["fulfilledBy"], "MERCHANT");
        assert!(
            ["UNSHIPPED", "PARTIALLY_SHIPPED"]
                .contains(&order["fulfillment"]["fulfillmentStatus"].as_str().unwrap())
        );
    }

    // A pagination token works for 24 hours.
    let first_page = body(
        &sp_get(
            &sandbox,
            &token,
            &format!("{path}?{window}&maxResultsPerPage=5"),
        )
        .await,
    );
    let page_token = first_page["pagination"]["nextToken"]
        .as_str()
        .unwrap()
        .to_owned();
    sandbox.advance(24.0 * 3600.0).await;
    let fresh = crate::spapi_support::access_token(
        &sandbox,
        &sandbox.running.demo_app().client_id,
        sandbox
            .running
            .demo_app()
            .current_secret()
            .unwrap()
            .expose(),
        &crate::spapi_support::self_authorize(&sandbox, &sandbox.seller.seller_id).await,
    )
    .await;
    let expired = sp_get(
        &sandbox,
        &fresh,
        &format!(
            "{path}?{window}&paginationToken={}",
            url::form_urlencoded::byte_serialize(page_token.as_bytes()).collect::<String>()
        ),
    )
    .await;
    assert_eq!(expired.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&expired).1.contains("expired"));
}

#[tokio::test]
async fn get_order_returns_items_and_the_included_data() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let visible = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/orders",
            sandbox.seller.seller_id
        ))
        .await;
    let orders = visible.as_array().unwrap();
    let unshipped = orders
        .iter()
        .find(|o| o["status"] == "Unshipped" && o["fulfillment_channel"] == "MFN")
        .expect("an unshipped MFN order");
    let id = unshipped["amazon_order_id"].as_str().unwrap();

    let bare = sp_get(&sandbox, &token, &format!("/orders/2026-01-01/orders/{id}")).await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.body);
    assert_eq!(rate_limit(&bare).as_deref(), Some("0.5"));
    let order = &body(&bare)["order"];
    assert_eq!(order["orderId"], id);
    assert_eq!(order["salesChannel"]["marketplaceId"], JP);
    assert_eq!(order["salesChannel"]["marketplaceName"], "Amazon.co.jp");
    for part in [
        "buyer",
        "recipient",
        "proceeds",
        "fulfillment",
        "packages",
        "payment",
    ] {
        assert!(order.get(part).is_none(), "{part} without includedData");
    }
    let items = order["orderItems"].as_array().unwrap();
    assert_eq!(items.len(), unshipped["items"].as_array().unwrap().len());
    assert!(items[0]["product"]["price"]["unitPrice"]["amount"].is_string());
    assert_eq!(
        items[0]["product"]["price"]["unitPrice"]["currencyCode"],
        "JPY"
    );

    let full = sp_get(
        &sandbox,
        &token,
        &format!("/orders/2026-01-01/orders/{id}?includedData=BUYER,RECIPIENT,PROCEEDS,FULFILLMENT,PACKAGES,PAYMENT"),
    )
    .await;
    let order = &body(&full)["order"];
    assert_eq!(order["fulfillment"]["fulfillmentStatus"], "UNSHIPPED");
    assert_eq!(order["fulfillment"]["fulfilledBy"], "MERCHANT");
    assert!(order["fulfillment"]["shipByWindow"]["latestDateTime"].is_string());
    assert_eq!(order["buyer"]["buyerName"], unshipped["buyer_name"]);
    assert!(
        order["buyer"]["buyerEmail"]
            .as_str()
            .unwrap()
            .ends_with("@marketplace.amazon.co.jp")
    );
    let address = &order["recipient"]["deliveryAddress"];
    assert_eq!(address["countryCode"], "JP");
    assert!(address["postalCode"].as_str().unwrap().len() == 8);
    let total = unshipped["order_total"]
        .as_str()
        .unwrap()
        .trim_end_matches(".00");
    assert_eq!(order["proceeds"]["grandTotal"]["amount"], total);
    assert_eq!(order["packages"], json!([]));
    assert!(
        order["orderItems"][0]["fulfillment"]["quantityUnfulfilled"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(order["payment"]["paymentExecutions"][0]["paymentMethod"].is_string());

    // A Pending order withholds the buyer even when asked.
    if let Some(pending) = orders.iter().find(|o| o["status"] == "Pending") {
        let answer = sp_get(
            &sandbox,
            &token,
            &format!(
                "/orders/2026-01-01/orders/{}?includedData=BUYER,RECIPIENT,FULFILLMENT",
                pending["amazon_order_id"].as_str().unwrap()
            ),
        )
        .await;
        let order = &body(&answer)["order"];
        assert_eq!(order["fulfillment"]["fulfillmentStatus"], "PENDING");
        assert!(order.get("buyer").is_none() && order.get("recipient").is_none());
    }

    let missing = sp_get(
        &sandbox,
        &token,
        "/orders/2026-01-01/orders/503-0000000-0000000",
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(error_of(&missing).0, "NotFound");
    assert_eq!(
        rate_limit(&missing).as_deref(),
        Some("0.5"),
        "404s carry the rate"
    );
    // The model's orderId is a plain string: any other shape is looked up (and here not found); only text no
    // order id can be (a space) is refused as invalid.
    let other_shape = sp_get(&sandbox, &token, "/orders/2026-01-01/orders/not-an-id").await;
    assert_eq!(other_shape.status, StatusCode::NOT_FOUND);
    let malformed = sp_get(&sandbox, &token, "/orders/2026-01-01/orders/not%20an%20id").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
}

fn package(reference: Value, carrier: &str, items: Value) -> Value {
    json!({
        "marketplaceId": JP,
        "packageDetail": {
            "packageReferenceId": reference,
            "carrierCode": carrier,
            "shippingMethod": "宅急便",
            "trackingNumber": "123456789012",
            "shipDate": "2024-03-01T02:00:00Z",
            "orderItems": items,
        }
    })
}

#[tokio::test]
async fn confirm_shipment_validates_and_moves_the_order_on_both_apis() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let seller = sandbox.seller.seller_id.clone();
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    let skus: Vec<String> = stock.as_object().unwrap().keys().take(2).cloned().collect();
    let created = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders"),
            json!({ "items": [
                { "sku": skus[0], "quantity": 2, "unit_price": 1980 },
                { "sku": skus[1], "quantity": 1, "unit_price": 550 }
            ] }),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let order: Value = serde_json::from_str(&created.body).unwrap();
    let id = order["amazon_order_id"].as_str().unwrap().to_owned();
    let item_a = order["items"][0]["order_item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let item_b = order["items"][1]["order_item_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/orders/v0/orders/{id}/shipmentConfirmation");
    let post = |payload: Value| {
        let (sandbox, token, path) = (&sandbox, token.clone(), path.clone());
        async move { sp(sandbox, Method::POST, &token, &path, Some(payload)).await }
    };
    let line = |item: &str, quantity: u32| json!([{ "orderItemId": item, "quantity": quantity }]);

    let cases = [
        (
            package(json!(1), "Yamato Transport", line(&item_a, 1)),
            "invalid type [packageDetail.packageReferenceId]",
        ),
        (
            package(json!("0"), "Yamato Transport", line(&item_a, 1)),
            "PackageReferenceId: is invalid, must be a positive numeric value.",
        ),
        (
            package(json!("1"), "YAMATO", line(&item_a, 1)),
            "carrierCode",
        ),
        (
            package(json!("1"), "Other", line(&item_a, 1)),
            "carrierName",
        ),
        (
            package(json!("1"), "Yamato Transport", line("12345678901234", 1)),
            "OrderItemId is invalid",
        ),
        (
            package(json!("1"), "Yamato Transport", line(&item_a, 3)),
            "exceeds",
        ),
        (
            package(json!("1"), "Yamato Transport", json!([])),
            "orderItems",
        ),
    ];
    for (payload, hint) in cases {
        let answer = post(payload).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{hint}: {}",
            answer.body
        );
        let value = body(&answer);
        let text = format!(
            "{} {}",
            value["errors"][0]["message"], value["errors"][0]["details"]
        );
        assert!(text.contains(hint), "{hint}: {text}");
    }
    let mut wrong_market = package(json!("1"), "Yamato Transport", line(&item_a, 1));
    wrong_market["marketplaceId"] = json!("A39IBJ37TRP1C6");
    assert_eq!(post(wrong_market).await.status, StatusCode::BAD_REQUEST);

    // Part of the order ships: 204, PartiallyShipped on SP-API and MWS.
    let answer = post(package(json!("1"), "Yamato Transport", line(&item_a, 1))).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.body);
    assert!(answer.body.is_empty());
    assert_eq!(rate_limit(&answer).as_deref(), Some("2.0"));
    let view = body(
        &sp_get(
            &sandbox,
            &token,
            &format!("/orders/2026-01-01/orders/{id}?includedData=FULFILLMENT,PACKAGES"),
        )
        .await,
    );
    assert_eq!(
        view["order"]["fulfillment"]["fulfillmentStatus"],
        "PARTIALLY_SHIPPED"
    );
    let packages = view["order"]["packages"].as_array().unwrap();
    assert_eq!(packages.len(), 1);
    assert_eq!(packages[0]["packageReferenceId"], "1");
    assert_eq!(packages[0]["carrier"], "Yamato Transport");
    assert_eq!(packages[0]["trackingNumber"], "123456789012");
    assert_eq!(packages[0]["shippingService"], "宅急便");
    assert_eq!(packages[0]["packageItems"][0]["quantity"], 1);
    let mws_token = sandbox.grant(&seller).await;
    let mws = sandbox
        .call("/Orders/2013-09-01", "GetOrder", &mws_token)
        .param("AmazonOrderId.Id.1", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(
        first(&mws.body, "OrderStatus").as_deref(),
        Some("PartiallyShipped"),
        "{}",
        mws.body
    );

    // The same package reference again is refused; the rest ships with an unlisted carrier.
    reset_throttle(&sandbox).await;
    assert_eq!(
        post(package(json!("1"), "Sagawa Express", line(&item_b, 1)))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    let mut rest = package(
        json!("2"),
        "Other",
        json!([
            { "orderItemId": item_a, "quantity": 1 },
            { "orderItemId": item_b, "quantity": 1 }
        ]),
    );
    rest["packageDetail"]["carrierName"] = json!("西濃運輸の代理店");
    let answer = post(rest).await;
    assert_eq!(answer.status, StatusCode::NO_CONTENT, "{}", answer.body);
    let mws = sandbox
        .call("/Orders/2013-09-01", "GetOrder", &mws_token)
        .param("AmazonOrderId.Id.1", &id)
        .send(&sandbox.client)
        .await;
    assert_eq!(first(&mws.body, "OrderStatus").as_deref(), Some("Shipped"));
    let view = body(
        &sp_get(
            &sandbox,
            &token,
            &format!("/orders/2026-01-01/orders/{id}?includedData=FULFILLMENT,PACKAGES"),
        )
        .await,
    );
    assert_eq!(view["order"]["fulfillment"]["fulfillmentStatus"], "SHIPPED");
    assert_eq!(view["order"]["packages"][1]["carrier"], "西濃運輸の代理店");
    let again = post(package(json!("3"), "Japan Post", line(&item_b, 1))).await;
    assert_eq!(error_of(&again).0, "PackageToUpdateNotFound");

    // An unknown order.
    let unknown = sp(
        &sandbox,
        Method::POST,
        &token,
        "/orders/v0/orders/503-0000000-0000001/shipmentConfirmation",
        Some(package(json!("1"), "Japan Post", line(&item_a, 1))),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn patch_listings_item_sets_the_stock_the_mws_feed_sets() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let seller = sandbox.seller.seller_id.clone();
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    let sku = stock.as_object().unwrap().keys().next().unwrap().clone();
    let path = |sku: &str, query: &str| {
        format!(
            "/listings/2021-08-01/items/{seller}/{}?marketplaceIds={JP}{query}",
            percent_encoding::utf8_percent_encode(sku, percent_encoding::NON_ALPHANUMERIC)
        )
    };
    let patch = |channel: &str, quantity: u32| {
        json!({ "productType": "PRODUCT", "patches": [{
            "op": "merge",
            "path": "/attributes/fulfillment_availability",
            "value": [{ "fulfillment_channel_code": channel, "quantity": quantity, "lead_time_to_ship_max_days": 2 }]
        }] })
    };
    let answer = sp(
        &sandbox,
        Method::PATCH,
        &token,
        &path(&sku, ""),
        Some(patch("DEFAULT", 17)),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(rate_limit(&answer).as_deref(), Some("5.0"));
    let result = body(&answer);
    assert_eq!(result["status"], "ACCEPTED");
    assert_eq!(result["sku"], sku.as_str());
    assert_eq!(result["issues"], json!([]));
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    assert_eq!(stock[&sku]["quantity"], 17);
    assert_eq!(stock[&sku]["fulfillment_latency"], 2);

    let preview = body(
        &sp(
            &sandbox,
            Method::PATCH,
            &token,
            &path(&sku, "&mode=VALIDATION_PREVIEW"),
            Some(patch("DEFAULT", 3)),
        )
        .await,
    );
    assert_eq!(preview["status"], "VALID");
    let amazon = body(
        &sp(
            &sandbox,
            Method::PATCH,
            &token,
            &path(&sku, ""),
            Some(patch("AMAZON_JP", 3)),
        )
        .await,
    );
    assert_eq!(amazon["status"], "INVALID");
    assert_eq!(amazon["issues"][0]["code"], "4000003");
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    assert_eq!(
        stock[&sku]["quantity"], 17,
        "preview and INVALID change nothing"
    );

    reset_throttle(&sandbox).await;
    let unknown = body(
        &sp(
            &sandbox,
            Method::PATCH,
            &token,
            &path("NO SUCH/SKU", ""),
            Some(patch("DEFAULT", 1)),
        )
        .await,
    );
    assert_eq!(
        (unknown["status"].as_str(), unknown["sku"].as_str()),
        (Some("INVALID"), Some("NO SUCH/SKU"))
    );
    let other_seller = sp(
        &sandbox,
        Method::PATCH,
        &token,
        &format!("/listings/2021-08-01/items/A0THERSE11ER00/{sku}?marketplaceIds={JP}"),
        Some(patch("DEFAULT", 1)),
    )
    .await;
    assert_eq!(other_seller.status, StatusCode::FORBIDDEN);
    let no_market = sp(
        &sandbox,
        Method::PATCH,
        &token,
        &format!("/listings/2021-08-01/items/{seller}/{sku}"),
        Some(patch("DEFAULT", 1)),
    )
    .await;
    assert_eq!(no_market.status, StatusCode::BAD_REQUEST);
    let no_type = sp(
        &sandbox,
        Method::PATCH,
        &token,
        &path(&sku, ""),
        Some(json!({ "patches": [] })),
    )
    .await;
    assert_eq!(no_type.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn token_buckets_answer_429_without_the_rate_header_and_refill_on_the_clock() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let participations = sp_get(&sandbox, &token, "/sellers/v1/marketplaceParticipations").await;
    assert_eq!(rate_limit(&participations).as_deref(), Some("0.016"));
    let payload = body(&participations);
    assert_eq!(payload["payload"][0]["marketplace"]["id"], JP);
    assert_eq!(
        payload["payload"][0]["participation"]["isParticipating"],
        true
    );
    assert_eq!(
        payload["payload"][0]["storeName"],
        sandbox.seller.display_name.as_str()
    );

    let path = "/orders/2026-01-01/orders/503-0000000-0000000";
    for i in 0..30 {
        let answer = sp_get(&sandbox, &token, path).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "request {i}");
    }
    let throttled = sp_get(&sandbox, &token, path).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        error_of(&throttled),
        ("QuotaExceeded".into(), String::new())
    );
    assert!(
        body(&throttled)["errors"][0]["message"]
            == "You exceeded your quota for the requested resource."
    );
    assert_eq!(rate_limit(&throttled), None);
    assert!(throttled.headers.contains_key("x-amzn-requestid"));
    // Another operation has its own bucket; getOrder refills at 0.5/s on the sandbox clock.
    assert_eq!(
        sp_get(&sandbox, &token, "/sellers/v1/marketplaceParticipations")
            .await
            .status,
        StatusCode::OK
    );
    sandbox.advance(1.9).await;
    assert_eq!(
        sp_get(&sandbox, &token, path).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    sandbox.advance(0.1).await;
    assert_eq!(
        sp_get(&sandbox, &token, path).await.status,
        StatusCode::NOT_FOUND
    );
    // The request log names SP-API operations.
    let log = sandbox.control_get("/_sandbox/requests?limit=3").await;
    assert_eq!(log[2]["operation"], "SPAPI.getOrder");
    assert_eq!(log[1]["error_code"], "QuotaExceeded");
}

#[tokio::test]
async fn access_tokens_user_agents_and_faults_are_checked() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let url = format!("{}/sellers/v1/marketplaceParticipations", sandbox.base);
    let send = |token: Option<&str>, agent: Option<String>| {
        let mut request = sandbox.client.get(&url);
        if let Some(token) = token {
            request = request.header("x-amz-access-token", token);
        }
        if let Some(agent) = agent {
            request = request.header("user-agent", agent);
        }
        async move { crate::support::answer(request.send().await.unwrap()).await }
    };
    let agent = || Some("sellerlink/0.1 (Language=Rust/1.95)".to_owned());
    let missing = send(None, agent()).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error_of(&missing).1,
        "Access token is missing in the request header."
    );
    assert_eq!(rate_limit(&missing), None);
    let forged = send(Some("Atza|IwEBIforged"), agent()).await;
    assert_eq!(
        error_of(&forged).1,
        "The access token you provided is revoked, malformed or invalid."
    );
    let long = send(Some(&token), Some("a".repeat(501))).await;
    assert_eq!(long.status, StatusCode::BAD_REQUEST);
    assert!(error_of(&long).1.contains("user-agent"));
    assert_eq!(
        send(Some(&token), Some("a".repeat(500))).await.status,
        StatusCode::OK
    );

    // An injected fault: 500 InternalFailure once, then normal answers.
    let put = sandbox
        .client
        .put(format!(
            "{}/_sandbox/faults/getMarketplaceParticipations",
            sandbox.base
        ))
        .json(&json!({ "internal_error": 1.0, "limit": 1 }))
        .send()
        .await
        .unwrap();
    assert!(put.status().is_success());
    let faulted = send(Some(&token), agent()).await;
    assert_eq!(faulted.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error_of(&faulted).0, "InternalFailure");
    assert_eq!(send(Some(&token), agent()).await.status, StatusCode::OK);

    sandbox.advance(3600.0).await;
    let expired = send(Some(&token), agent()).await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error_of(&expired).1,
        "The access token you provided has expired."
    );
}

/// Amazon answers 415 to a write whose body is not declared `application/json`, and changes nothing.
#[tokio::test]
async fn writes_without_a_json_content_type_are_415() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let seller = sandbox.seller.seller_id.clone();
    let created = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller}/orders"),
            json!({ "items": [{ "sku": "CT-1", "quantity": 1, "unit_price": 500 }] }),
        )
        .await;
    let order: Value = serde_json::from_str(&created.body).unwrap();
    let id = order["amazon_order_id"].as_str().unwrap().to_owned();
    let item = order["items"][0]["order_item_id"].as_str().unwrap();
    let confirm = package(
        json!("1"),
        "Yamato Transport",
        json!([{ "orderItemId": item, "quantity": 1 }]),
    );
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    let sku = stock.as_object().unwrap().keys().next().unwrap().clone();
    let stock_path = format!(
        "/listings/2021-08-01/items/{seller}/{}?marketplaceIds={JP}",
        percent_encoding::utf8_percent_encode(&sku, percent_encoding::NON_ALPHANUMERIC)
    );
    let set_stock = json!({ "productType": "PRODUCT", "patches": [{
        "op": "merge",
        "path": "/attributes/fulfillment_availability",
        "value": [{ "fulfillment_channel_code": "DEFAULT", "quantity": 9 }]
    }] });
    let writes = [
        (
            Method::POST,
            format!("/orders/v0/orders/{id}/shipmentConfirmation"),
            confirm,
        ),
        (Method::PATCH, stock_path, set_stock),
    ];
    for (method, path, payload) in writes {
        for content_type in [
            Some("text/plain"),
            Some("application/x-www-form-urlencoded"),
            None,
        ] {
            let mut request = sandbox
                .client
                .request(method.clone(), format!("{}{path}", sandbox.base))
                .header("x-amz-access-token", &token)
                .header("user-agent", USER_AGENT)
                .body(payload.to_string());
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            let answer = answer(request.send().await.unwrap()).await;
            assert_eq!(
                answer.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{method} {path} with {content_type:?}: {}",
                answer.body
            );
            assert_eq!(error_of(&answer).0, "UnsupportedMediaType");
        }
    }
    let view = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/orders/{id}"))
        .await;
    assert_eq!(
        view["status"], "Unshipped",
        "a refused write changes nothing"
    );
    let after = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    assert_eq!(after[&sku]["quantity"], stock[&sku]["quantity"]);

    // A declared charset is still JSON.
    let accepted = sandbox
        .client
        .request(
            Method::POST,
            format!(
                "{}/orders/v0/orders/{id}/shipmentConfirmation",
                sandbox.base
            ),
        )
        .header("x-amz-access-token", &token)
        .header("user-agent", USER_AGENT)
        .header("content-type", "application/json; charset=UTF-8")
        .body(
            package(
                json!("1"),
                "Yamato Transport",
                json!([{ "orderItemId": item, "quantity": 1 }]),
            )
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::NO_CONTENT);
}

/// Orders 2026-01-01 names payment methods in its own words (`CashOnDelivery`, `ConvenienceStore`,
/// `CreditCard`…), not MWS's `COD` / `CVS` / `Other`.
#[tokio::test]
async fn the_2026_model_names_payment_methods_in_its_own_words() {
    let sandbox = TestSandbox::start().await;
    let (_, _, _, token) = ready(&sandbox).await;
    let seller = sandbox.seller.seller_id.clone();
    for (mws, spapi) in [
        ("COD", "CashOnDelivery"),
        ("CVS", "ConvenienceStore"),
        ("Other", "CreditCard"),
    ] {
        let created = sandbox
            .control_post(
                &format!("/_sandbox/sellers/{seller}/orders"),
                json!({ "payment_method": mws, "items": [{ "sku": "PAY-1", "quantity": 1, "unit_price": 500 }] }),
            )
            .await;
        let order: Value = serde_json::from_str(&created.body).unwrap();
        let id = order["amazon_order_id"].as_str().unwrap();
        let answer = sp_get(
            &sandbox,
            &token,
            &format!("/orders/2026-01-01/orders/{id}?includedData=PAYMENT"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(
            body(&answer)["order"]["payment"]["paymentExecutions"][0]["paymentMethod"],
            spapi,
            "{mws}"
        );
        reset_throttle(&sandbox).await;
    }
}
