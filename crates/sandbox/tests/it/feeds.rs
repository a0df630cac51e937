//! Feeds: SubmitFeed with Content-MD5, the clock-driven lifecycle, processing reports with
//! per-message errors, and the effects on orders and stock.

use reqwest::StatusCode;
use sellerlink_sandbox::signing::content_md5;

use crate::support::{Answer, JP, MwsCall, TestSandbox, all, first};

const FEEDS: &str = "/Feeds/2009-01-01";

fn envelope(seller: &str, message_type: &str, messages: &[String]) -> Vec<u8> {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AmazonEnvelope xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"amzn-envelope.xsd\"><Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>{seller}</MerchantIdentifier></Header><MessageType>{message_type}</MessageType>"
    );
    for (i, m) in messages.iter().enumerate() {
        xml.push_str(&format!(
            "<Message><MessageID>{}</MessageID>{m}</Message>",
            i + 1
        ));
    }
    xml.push_str("</AmazonEnvelope>");
    xml.into_bytes()
}

fn fulfillment(order_id: &str, carrier: &str, items: &[(&str, u32)]) -> String {
    let items: String =
        items.iter().map(|(code, q)| format!("<Item><AmazonOrderItemCode>{code}</AmazonOrderItemCode><Quantity>{q}</Quantity></Item>")).collect();
    format!(
        "<OrderFulfillment><AmazonOrderID>{order_id}</AmazonOrderID><FulfillmentDate>2024-03-01T12:00:00+09:00</FulfillmentDate><FulfillmentData>{carrier}<ShippingMethod>宅急便</ShippingMethod><ShipperTrackingNumber>123456789012</ShipperTrackingNumber></FulfillmentData>{items}</OrderFulfillment>"
    )
}

fn submit(sandbox: &TestSandbox, token: &str, feed_type: &str, body: Vec<u8>) -> MwsCall {
    let md5 = content_md5(&body);
    sandbox
        .call(FEEDS, "SubmitFeed", token)
        .param("FeedType", feed_type)
        .param("ContentMD5Value", &md5)
        .header("Content-Type", "text/xml")
        .body(body)
}

async fn create_order(sandbox: &TestSandbox, body: serde_json::Value) -> serde_json::Value {
    let answer = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{}/orders", sandbox.seller.seller_id),
            body,
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    serde_json::from_str(&answer.body).unwrap()
}

async fn order_view(sandbox: &TestSandbox, id: &str) -> serde_json::Value {
    sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/orders/{id}",
            sandbox.seller.seller_id
        ))
        .await
}

fn feed_id(answer: &Answer) -> String {
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    first(&answer.body, "FeedSubmissionId").expect("a feed submission id")
}

async fn result(sandbox: &TestSandbox, token: &str, id: &str) -> Answer {
    sandbox
        .call(FEEDS, "GetFeedSubmissionResult", token)
        .param("FeedSubmissionId", id)
        .send(&sandbox.client)
        .await
}

/// Submits a fulfillment feed of `messages`, lets Amazon process it and returns the processing report.
async fn processed_fulfillment(sandbox: &TestSandbox, token: &str, messages: &[String]) -> Answer {
    let body = envelope(&sandbox.seller.seller_id, "OrderFulfillment", messages);
    let feed = feed_id(
        &submit(sandbox, token, "_POST_ORDER_FULFILLMENT_DATA_", body)
            .send(&sandbox.client)
            .await,
    );
    sandbox.advance(61.0).await;
    result(sandbox, token, &feed).await
}

#[test]
fn md5_vectors() {
    assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
    assert_eq!(content_md5(b"abc\tdef"), "Zj+Bh1BJ8HzBb9ToK28qFQ==");
}

#[tokio::test]
async fn fulfillment_feed_lifecycle_report_and_effects() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let seller = sandbox.seller.seller_id.clone();
    let order = create_order(
        &sandbox,
        serde_json::json!({ "purchase_date": "2024-02-29T01:00:00Z",
            "items": [{ "sku": "MUG-1", "quantity": 2, "unit_price": 1500 }, { "sku": "TEA-1", "quantity": 1, "unit_price": 900 }] }),
    )
    .await;
    let afn = create_order(&sandbox, serde_json::json!({ "fulfillment_channel": "AFN", "items": [{ "sku": "AFN-1", "quantity": 1, "unit_price": 500 }] })).await;
    let pending = create_order(&sandbox, serde_json::json!({ "status": "Pending", "items": [{ "sku": "PEN-1", "quantity": 1, "unit_price": 500 }] })).await;
    let id = order["amazon_order_id"].as_str().unwrap();
    let item1 = order["items"][0]["order_item_id"].as_str().unwrap();
    let yamato = "<CarrierCode>YamatoTransport</CarrierCode>";

    // Content-MD5 rules.
    let body = envelope(
        &seller,
        "OrderFulfillment",
        &[fulfillment(id, yamato, &[(item1, 1)])],
    );
    let missing = submit(
        &sandbox,
        &token,
        "_POST_ORDER_FULFILLMENT_DATA_",
        body.clone(),
    )
    .without("ContentMD5Value")
    .send(&sandbox.client)
    .await;
    assert_eq!(
        (missing.status, missing.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("ContentMD5Missing"))
    );
    let wrong = submit(
        &sandbox,
        &token,
        "_POST_ORDER_FULFILLMENT_DATA_",
        body.clone(),
    )
    .param("ContentMD5Value", "1B2M2Y8AsgTpgAmY7PhCfg==")
    .send(&sandbox.client)
    .await;
    assert_eq!(wrong.code().as_deref(), Some("ContentMD5DoesNotMatch"));
    assert!(wrong.body.contains("the Content-MD5 HTTP header you passed for your feed (1B2M2Y8AsgTpgAmY7PhCfg==) did not match"));
    let by_header = submit(
        &sandbox,
        &token,
        "_POST_ORDER_FULFILLMENT_DATA_",
        body.clone(),
    )
    .without("ContentMD5Value")
    .header("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
    .send(&sandbox.client)
    .await;
    assert_eq!(by_header.code().as_deref(), Some("ContentMD5DoesNotMatch"));
    let bad_type = submit(&sandbox, &token, "_POST_PRODUCT_DATA_", body.clone())
        .send(&sandbox.client)
        .await;
    assert_eq!(bad_type.code().as_deref(), Some("InvalidFeedType"));
    assert!(
        sandbox
            .control_get(&format!("/_sandbox/sellers/{seller}/feeds"))
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "refused feeds are not stored"
    );

    let messages = vec![
        fulfillment(id, yamato, &[(item1, 1)]),
        fulfillment("503-9999999-9999999", yamato, &[]),
        fulfillment(afn["amazon_order_id"].as_str().unwrap(), yamato, &[]),
        fulfillment(id, yamato, &[(item1, 5)]),
        fulfillment(id, "<CarrierCode>Kuroneko</CarrierCode>", &[]),
        fulfillment(pending["amazon_order_id"].as_str().unwrap(), yamato, &[]),
        fulfillment(id, yamato, &[("11112222333344", 1)]),
    ];
    let submitted = submit(
        &sandbox,
        &token,
        "_POST_ORDER_FULFILLMENT_DATA_",
        envelope(&seller, "OrderFulfillment", &messages),
    )
    .send(&sandbox.client)
    .await;
    let feed = feed_id(&submitted);
    assert_eq!(feed.len(), 11);
    assert_eq!(
        first(&submitted.body, "FeedProcessingStatus").as_deref(),
        Some("_SUBMITTED_")
    );
    assert!(
        first(&submitted.body, "SubmittedDate")
            .unwrap()
            .ends_with("+00:00")
    );
    assert!(submitted.body.starts_with("<?xml version=\"1.0\"?>\n<SubmitFeedResponse xmlns=\"http://mws.amazonaws.com/doc/2009-01-01/\">"));

    let not_ready = result(&sandbox, &token, &feed).await;
    assert_eq!(
        (not_ready.status, not_ready.code().as_deref()),
        (
            StatusCode::BAD_REQUEST,
            Some("FeedProcessingResultNotReady")
        )
    );
    assert_eq!(
        order_view(&sandbox, id).await["status"],
        "Unshipped",
        "nothing is applied before processing"
    );
    sandbox.advance(30.0).await;
    let listed = sandbox
        .call(FEEDS, "GetFeedSubmissionList", &token)
        .param("FeedSubmissionIdList.Id.1", &feed)
        .send(&sandbox.client)
        .await;
    assert_eq!(
        first(&listed.body, "FeedProcessingStatus").as_deref(),
        Some("_IN_PROGRESS_")
    );
    assert!(listed.body.contains("<StartedProcessingDate>"));
    sandbox.advance(30.0).await;
    let processed_at = sandbox.now();

    let report = result(&sandbox, &token, &feed).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert_eq!(
        report.headers.get("content-md5").unwrap().to_str().unwrap(),
        content_md5(report.body.as_bytes())
    );
    assert!(
        report
            .body
            .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AmazonEnvelope")
    );
    assert_eq!(
        first(&report.body, "DocumentTransactionID").as_deref(),
        Some(feed.as_str())
    );
    assert_eq!(
        first(&report.body, "MessagesProcessed").as_deref(),
        Some("7")
    );
    assert_eq!(
        first(&report.body, "MessagesSuccessful").as_deref(),
        Some("1")
    );
    assert_eq!(
        first(&report.body, "MessagesWithError").as_deref(),
        Some("6")
    );
    assert_eq!(
        all(&report.body, "ResultMessageCode"),
        vec!["18028", "18029", "18032", "18033", "18030", "18031"]
    );
    assert_eq!(
        all(&report.body, "ResultCode")
            .iter()
            .filter(|c| *c == "Error")
            .count(),
        6
    );

    let view = order_view(&sandbox, id).await;
    assert_eq!(view["status"], "PartiallyShipped");
    assert_eq!(view["items"][0]["quantity_shipped"], 1);
    assert_eq!(view["items"][1]["quantity_shipped"], 0);
    assert_eq!(view["shipments"][0]["carrier_code"], "YamatoTransport");
    assert_eq!(view["shipments"][0]["tracking_number"], "123456789012");
    assert_eq!(view["shipments"][0]["feed_submission_id"], feed.as_str());
    let updated: jiff::Timestamp = view["last_update_date"].as_str().unwrap().parse().unwrap();
    assert!(
        updated <= processed_at
            && processed_at.duration_since(updated) < jiff::SignedDuration::from_secs(2)
    );

    // Ship the rest with an unlisted carrier.
    let rest = fulfillment(
        id,
        "<CarrierCode>Other</CarrierCode><CarrierName>西濃運輸</CarrierName>",
        &[],
    );
    let report = processed_fulfillment(&sandbox, &token, &[rest]).await;
    assert_eq!(
        first(&report.body, "MessagesSuccessful").as_deref(),
        Some("1"),
        "{}",
        report.body
    );
    let view = order_view(&sandbox, id).await;
    assert_eq!(view["status"], "Shipped");
    assert_eq!(view["number_of_items_unshipped"], 0);

    // MWS shows the change to an incremental import.
    sandbox.advance(180.0).await;
    let listed = sandbox
        .call("/Orders/2013-09-01", "ListOrders", &token)
        .param("MarketplaceId.Id.1", JP)
        .param("LastUpdatedAfter", &processed_at.to_string())
        .send(&sandbox.client)
        .await;
    let ids = all(&listed.body, "AmazonOrderId");
    let position = ids
        .iter()
        .position(|i| i == id)
        .expect("the shipped order is in the incremental window");
    assert_eq!(all(&listed.body, "OrderStatus")[position], "Shipped");

    // A malformed document is refused as a whole.
    let broken = feed_id(
        &submit(
            &sandbox,
            &token,
            "_POST_ORDER_FULFILLMENT_DATA_",
            b"<AmazonEnvelope><Header>".to_vec(),
        )
        .send(&sandbox.client)
        .await,
    );
    sandbox.advance(60.0).await;
    let report = result(&sandbox, &token, &broken).await;
    assert_eq!(
        first(&report.body, "ResultMessageCode").as_deref(),
        Some("5000")
    );
    assert_eq!(first(&report.body, "MessageID").as_deref(), Some("1"));
    assert!(report.body.contains("<Result><MessageID>0</MessageID><ResultCode>Error</ResultCode><ResultMessageCode>5000</ResultMessageCode>"));
}

#[tokio::test]
async fn inventory_feed_sets_stock_and_listing_pages() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let seller = sandbox.seller.seller_id.clone();
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    let skus: Vec<String> = stock.as_object().unwrap().keys().take(2).cloned().collect();
    let messages = vec![
        format!("<OperationType>Update</OperationType><Inventory><SKU>{}</SKU><Quantity>42</Quantity><FulfillmentLatency>2</FulfillmentLatency></Inventory>", skus[0]),
        format!("<OperationType>Update</OperationType><Inventory><SKU>{}</SKU><Available>false</Available></Inventory>", skus[1]),
        "<OperationType>Update</OperationType><Inventory><SKU>NO-SUCH-SKU</SKU><Quantity>1</Quantity></Inventory>".to_owned(),
        format!("<OperationType>Update</OperationType><Inventory><SKU>{}</SKU><Quantity>-3</Quantity></Inventory>", skus[0]),
    ];
    let feed = feed_id(
        &submit(
            &sandbox,
            &token,
            "_POST_INVENTORY_AVAILABILITY_DATA_",
            envelope(&seller, "Inventory", &messages),
        )
        .send(&sandbox.client)
        .await,
    );
    sandbox.advance(60.0).await;
    let report = result(&sandbox, &token, &feed).await;
    assert_eq!(
        all(&report.body, "ResultMessageCode"),
        vec!["13013", "5001"],
        "{}",
        report.body
    );
    assert!(
        report
            .body
            .contains("<AdditionalInfo><SKU>NO-SUCH-SKU</SKU></AdditionalInfo>")
    );
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller}/stock"))
        .await;
    assert_eq!(stock[&skus[0]]["quantity"], 42);
    assert_eq!(stock[&skus[0]]["fulfillment_latency"], 2);
    assert_eq!(stock[&skus[0]]["feed_submission_id"], feed.as_str());
    assert_eq!(stock[&skus[1]]["quantity"], 0);

    // Two more feeds, then list them one per page.
    for _ in 0..2 {
        feed_id(
            &submit(
                &sandbox,
                &token,
                "_POST_INVENTORY_AVAILABILITY_DATA_",
                envelope(&seller, "Inventory", &messages[..1]),
            )
            .send(&sandbox.client)
            .await,
        );
        sandbox.advance(1.0).await;
    }
    let page = sandbox
        .call(FEEDS, "GetFeedSubmissionList", &token)
        .param("MaxCount", "1")
        .send(&sandbox.client)
        .await;
    assert_eq!(first(&page.body, "HasNext").as_deref(), Some("true"));
    let mut ids = all(&page.body, "FeedSubmissionId");
    let mut next = first(&page.body, "NextToken");
    while let Some(token_text) = next {
        let more = sandbox
            .call(FEEDS, "GetFeedSubmissionListByNextToken", &token)
            .param("NextToken", &token_text)
            .send(&sandbox.client)
            .await;
        assert_eq!(more.status, StatusCode::OK, "{}", more.body);
        ids.extend(all(&more.body, "FeedSubmissionId"));
        next = first(&more.body, "NextToken");
    }
    assert_eq!(ids.len(), 3);
    assert_eq!(ids[2], feed, "newest first");
    let done = sandbox
        .call(FEEDS, "GetFeedSubmissionCount", &token)
        .param("FeedProcessingStatusList.Status.1", "_DONE_")
        .send(&sandbox.client)
        .await;
    assert_eq!(first(&done.body, "Count").as_deref(), Some("1"));

    // Legacy clients post to `/` with `Merchant`.
    let mut legacy = sandbox
        .call(FEEDS, "GetFeedSubmissionCount", &token)
        .without("SellerId")
        .param("Merchant", &seller);
    legacy.path = "/".into();
    let answer = legacy.send(&sandbox.client).await;
    assert_eq!(
        first(&answer.body, "Count").as_deref(),
        Some("3"),
        "{}",
        answer.body
    );
}

/// Since 2022-08-31 Amazon.co.jp refuses a shipment confirmation without `CarrierCode`; a free
/// `CarrierName` is allowed only next to `CarrierCode` `Other`.
#[tokio::test]
async fn a_japanese_fulfillment_without_a_carrier_code_is_refused() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let order = create_order(
        &sandbox,
        serde_json::json!({ "marketplace_id": JP, "items": [{ "sku": "MUG-1", "quantity": 1, "unit_price": 1500 }] }),
    )
    .await;
    let id = order["amazon_order_id"].as_str().unwrap();
    let messages = vec![
        fulfillment(id, "<CarrierName>ヤマト運輸</CarrierName>", &[]),
        fulfillment(
            id,
            "<CarrierCode>Yamato Transport</CarrierCode><CarrierName>ヤマト運輸</CarrierName>",
            &[],
        ),
    ];
    let report = processed_fulfillment(&sandbox, &token, &messages).await;
    assert_eq!(
        first(&report.body, "MessagesWithError").as_deref(),
        Some("2"),
        "{}",
        report.body
    );
    assert_eq!(
        all(&report.body, "ResultMessageCode"),
        vec!["18033", "18033"]
    );
    assert!(
        report.body.contains("CarrierCode is required"),
        "{}",
        report.body
    );
    assert_eq!(order_view(&sandbox, id).await["status"], "Unshipped");

    let coded = fulfillment(id, "<CarrierCode>Yamato Transport</CarrierCode>", &[]);
    let report = processed_fulfillment(&sandbox, &token, &[coded]).await;
    assert_eq!(
        first(&report.body, "MessagesSuccessful").as_deref(),
        Some("1"),
        "{}",
        report.body
    );
    assert_eq!(order_view(&sandbox, id).await["status"], "Shipped");
}
