//! Orders and listings calls: what is sent, what comes back.

use axum::http::Method;
use futures::StreamExt as _;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use sellerlink_domain::order::OrderStatus;
use sellerlink_spapi::{
    ConfirmShipment, ErrorKind, FulfilledBy, FulfillmentStatus, IncludedData, PackageDetail,
    ProductType, SearchOrdersRequest, ShipmentItem, Sku, SpApiError,
    fulfillment_availability_patch,
};
use serde_json::json;

use crate::fake_amazon::{FakeAmazon, Scripted};

const SEARCH: &str = "/orders/2026-01-01/orders";

fn page(orders_fixture: bool, next: Option<&str>) -> Scripted {
    let mut body: serde_json::Value = if orders_fixture {
        serde_json::from_str(&crate::fake_amazon::fixture(
            "orders_search_orders_page.json",
        ))
        .unwrap()
    } else {
        json!({"orders": [], "lastUpdatedBefore": "2026-01-10T02:58:00Z"})
    };
    match next {
        Some(token) => body["pagination"] = json!({"nextToken": token}),
        None => {
            body.as_object_mut().unwrap().remove("pagination");
        }
    }
    Scripted::json(200, body.to_string())
}

fn import_request() -> SearchOrdersRequest {
    SearchOrdersRequest::last_updated_after("2026-01-09T15:00:00Z".parse().unwrap())
        .before("2026-01-10T02:58:00Z".parse().unwrap())
        .marketplace_id(MarketplaceId::japan())
        .fulfilled_by([FulfilledBy::Merchant])
        .fulfillment_statuses([
            FulfillmentStatus::Unshipped,
            FulfillmentStatus::PartiallyShipped,
        ])
        .included_data(IncludedData::for_import())
        .max_results_per_page(50)
}

#[tokio::test]
async fn search_orders_sends_the_filters_and_reads_the_page() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(Method::GET, SEARCH, page(true, None));
    let page = amazon
        .client()
        .search_orders(&seller, &import_request())
        .await
        .unwrap();

    assert_eq!(page.orders.len(), 2);
    assert_eq!(page.next_token, None);
    let converted = page.orders[1]
        .to_domain(&sellerlink_domain::ids::MarketplaceId::japan())
        .unwrap();
    assert_eq!(converted.status, OrderStatus::PartiallyShipped);
    let call = &amazon.api_calls()[0];
    assert_eq!(call.method, Method::GET);
    assert_eq!(
        call.query.as_deref(),
        Some(
            "lastUpdatedAfter=2026-01-09T15%3A00%3A00Z&lastUpdatedBefore=2026-01-10T02%3A58%3A00Z\
             &marketplaceIds=A1VC38T7YXB528&fulfillmentStatuses=UNSHIPPED,PARTIALLY_SHIPPED\
             &fulfilledBy=MERCHANT&maxResultsPerPage=50\
             &includedData=FULFILLMENT,PROCEEDS,RECIPIENT,BUYER,PAYMENT"
        )
    );
}

#[tokio::test]
async fn paging_follows_next_tokens_and_refuses_a_repeat() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(Method::GET, SEARCH, page(true, Some("dG9rZW4tMQ==")));
    amazon.script(Method::GET, SEARCH, page(false, Some("dG9rZW4tMg==")));
    amazon.script(Method::GET, SEARCH, page(false, Some("dG9rZW4tMQ==")));
    amazon.script(Method::GET, SEARCH, page(false, None));
    let client = amazon.client();

    let items: Vec<Result<_, SpApiError>> = client
        .search_orders_stream(&seller, import_request())
        .collect()
        .await;

    assert_eq!(items.len(), 4, "three pages, then the refusal");
    assert_eq!(items[0].as_ref().unwrap().orders.len(), 2);
    assert!(items[1].is_ok() && items[2].is_ok());
    let error = items[3].as_ref().unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::RepeatedNextToken);
    assert_eq!(error.seller(), Some(&seller.selling_partner_id));
    let tokens: Vec<Option<String>> = amazon
        .api_calls()
        .iter()
        .map(|call| {
            call.query
                .as_deref()
                .and_then(|q| {
                    q.split('&')
                        .find_map(|p| p.strip_prefix("paginationToken="))
                })
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(
        tokens,
        [
            None,
            Some("dG9rZW4tMQ%3D%3D".to_owned()),
            Some("dG9rZW4tMg%3D%3D".to_owned())
        ],
        "tokens are sent once-encoded and the repeat is never requested"
    );
}

#[tokio::test]
async fn paging_stops_at_the_last_page() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(Method::GET, SEARCH, page(true, Some("dG9rZW4tMQ==")));
    amazon.script(Method::GET, SEARCH, page(false, None));
    let client = amazon.client();
    let pages: Vec<_> = client
        .search_orders_stream(&seller, import_request())
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages.iter().all(Result::is_ok));
}

#[tokio::test]
async fn get_order_asks_for_included_data() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let id = AmazonOrderId::parse("503-2468013-5791357").unwrap();
    amazon.script(
        Method::GET,
        "/orders/2026-01-01/orders/503-2468013-5791357",
        Scripted::fixture(200, "orders_get_order.json"),
    );
    let order = amazon
        .client()
        .get_order(
            &seller,
            &id,
            &[IncludedData::Recipient, IncludedData::Buyer],
        )
        .await
        .unwrap();
    assert_eq!(order.order_items.len(), 1);
    assert_eq!(
        order
            .to_domain(&sellerlink_domain::ids::MarketplaceId::japan())
            .unwrap()
            .items[0]
            .quantity_ordered,
        2
    );
    assert_eq!(
        amazon.api_calls()[0].query.as_deref(),
        Some("includedData=RECIPIENT,BUYER")
    );
}

fn yamato_shipment() -> ConfirmShipment {
    ConfirmShipment {
        marketplace_id: MarketplaceId::japan(),
        package_detail: PackageDetail {
            package_reference_id: "1".to_owned(),
            carrier_code: "Yamato Transport".to_owned(),
            carrier_name: None,
            shipping_method: Some("宅急便".to_owned()),
            tracking_number: "412345678901".to_owned(),
            ship_date: "2026-01-10T01:00:00Z".parse().unwrap(),
            order_items: vec![ShipmentItem {
                order_item_id: "51234567890123".to_owned(),
                quantity: 2,
            }],
        },
    }
}

#[tokio::test]
async fn confirm_shipment_posts_the_body_and_accepts_204() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let path = "/orders/v0/orders/503-2468013-5791357/shipmentConfirmation";
    amazon.script(
        Method::POST,
        path,
        Scripted::empty(204).header("x-amzn-RateLimit-Limit", "2.0"),
    );
    let id = AmazonOrderId::parse("503-2468013-5791357").unwrap();

    amazon
        .client()
        .confirm_shipment(&seller, &id, &yamato_shipment())
        .await
        .unwrap();

    let call = &amazon.api_calls()[0];
    assert_eq!(
        (call.method.clone(), call.path.as_str()),
        (Method::POST, path)
    );
    assert_eq!(
        call.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        call.json(),
        json!({
            "marketplaceId": "A1VC38T7YXB528",
            "packageDetail": {
                "packageReferenceId": "1",
                "carrierCode": "Yamato Transport",
                "shippingMethod": "宅急便",
                "trackingNumber": "412345678901",
                "shipDate": "2026-01-10T01:00:00Z",
                "orderItems": [{"orderItemId": "51234567890123", "quantity": 2}]
            }
        })
    );
}

#[tokio::test]
async fn confirm_shipment_refuses_other_without_a_carrier_name_before_sending() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let mut shipment = yamato_shipment();
    shipment.package_detail.carrier_code = "Other".to_owned();
    let id = AmazonOrderId::parse("503-2468013-5791357").unwrap();
    let error = amazon
        .client()
        .confirm_shipment(&seller, &id, &shipment)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidInput);
    assert!(
        error
            .to_string()
            .contains("carrier name: is required when the carrier code is \"Other\""),
        "{error}"
    );
    assert!(amazon.api_calls().is_empty());
    assert_eq!(amazon.refresh_grants(), 0);

    shipment.package_detail.carrier_name = Some("西濃運輸".to_owned());
    amazon.script(
        Method::POST,
        "/orders/v0/orders/503-2468013-5791357/shipmentConfirmation",
        Scripted::fixture(400, "spapi_error_400_package_reference_id.json"),
    );
    let error = amazon
        .client()
        .confirm_shipment(&seller, &id, &shipment)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidInput);
    assert_eq!(
        error.message(),
        Some("PackageReferenceId: is invalid, must be a positive numeric value.")
    );
}

#[tokio::test]
async fn patch_listings_item_encodes_the_sku_and_reads_the_submission() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let sku = Sku::parse("抹茶/30g 缶").unwrap();
    let path = "/listings/2021-08-01/items/A2SLNK0EXAMPL3/%E6%8A%B9%E8%8C%B6%2F30g%20%E7%BC%B6";
    amazon.script(
        Method::PATCH,
        path,
        Scripted::fixture(200, "listings_patch_accepted.json"),
    );

    let response = amazon
        .client()
        .patch_listings_item(
            &seller,
            &seller.selling_partner_id,
            &sku,
            &[MarketplaceId::japan()],
            &ProductType::product(),
            &[fulfillment_availability_patch(12, None)],
        )
        .await
        .unwrap();

    assert!(response.is_accepted());
    assert_eq!(
        response.submission_id,
        "7f3c2a90-1d5e-4b8a-9c61-2e4f8d0b7a13"
    );
    let call = &amazon.api_calls()[0];
    assert_eq!(call.path, path);
    assert_eq!(call.query.as_deref(), Some("marketplaceIds=A1VC38T7YXB528"));
    assert_eq!(
        call.json(),
        json!({
            "productType": "PRODUCT",
            "patches": [{
                "op": "merge",
                "path": "/attributes/fulfillment_availability",
                "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 12}]
            }]
        })
    );

    let error = amazon
        .client()
        .patch_listings_item(
            &seller,
            &seller.selling_partner_id,
            &sku,
            &[],
            &ProductType::product(),
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::InvalidInput);
    assert!(error.to_string().contains("marketplace IDs"), "{error}");
    assert_eq!(amazon.api_calls().len(), 1);
}
