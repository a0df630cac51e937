//! An order Amazon sent under an id of another shape than its usual 3-7-7 digits (Amazon's models make the id a
//! plain string) is imported through the sandbox like any other, not quarantined, and stays reachable: the API path
//! and the order page (percent-encoded), and a shipment is queued for it through the API.

use axum::http::{Method, StatusCode};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use serde_json::json;

use crate::support::{Options, TestApp};

/// A non-Amazon channel's id holding characters a URL path must encode.
const ODD: &str = "NA/2026#7?x=1%";

#[tokio::test]
async fn an_order_with_an_unusual_id_is_imported_reachable_and_shippable() {
    let world = TestApp::with(Options {
        sandbox: true,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    let created = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(json!({ "seller_id": seller, "marketplace_id": marketplace, "mws_auth_token": token })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let connection = created.json()["id"].as_str().unwrap().to_owned();

    // Amazon has the order, placed an hour ago (past the listing lag).
    let sandbox = world.sandbox.as_ref().unwrap();
    let an_hour_ago = sandbox.now() - jiff::SignedDuration::from_hours(1);
    let placed = world
        .sandbox_control()
        .place_order(
            &seller,
            json!({
                "amazon_order_id": ODD,
                "purchase_date": an_hour_ago.to_string(),
                "items": [{ "sku": "ODD-01", "quantity": 2, "unit_price": 980 }],
            }),
        )
        .await;
    assert_eq!(placed["amazon_order_id"], ODD, "{placed}");

    let synced = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{connection}/sync-runs"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(synced.status, StatusCode::OK, "{}", synced.body);
    assert_eq!(synced.json()["outcome"], "completed", "{}", synced.body);
    let quarantined = world.app.store().quarantined_orders(None).await.unwrap();
    assert!(quarantined.is_empty(), "{quarantined:?}");

    // The API path reaches it, percent-encoded.
    let encoded = utf8_percent_encode(ODD, NON_ALPHANUMERIC).to_string();
    let path = format!("/api/v1/connections/{connection}/orders/{encoded}");
    let order = browser.api(Method::GET, &path, None, None).await;
    assert_eq!(order.status, StatusCode::OK, "{}", order.body);
    assert_eq!(order.json()["amazon_order_id"], ODD, "{}", order.body);

    // The order list links to its page, which shows it.
    let list = browser.get("/orders").await;
    assert_eq!(list.status, StatusCode::OK);
    let href = format!("/connections/{connection}/orders/NA%2F2026%237%3Fx%3D1%25");
    assert!(list.body.contains(&href), "{}", list.body);
    let page = browser.get(&href).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("ODD-01"), "{}", page.body);
    assert!(page.body.contains("NA/2026#7?x=1%"), "{}", page.body);

    // A shipment is queued for it like for any other order.
    let shipment = browser
        .api(
            Method::POST,
            &format!("{path}/shipments"),
            Some(json!({ "carrier": "Yamato Transport", "tracking_number": "1234-5678-9012" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(shipment.status, StatusCode::CREATED, "{}", shipment.body);
    assert_eq!(shipment.json()["amazon_order_id"], ODD, "{}", shipment.body);
    let listed = browser
        .api(Method::GET, &format!("{path}/shipments"), None, None)
        .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(
        listed.json().as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.body
    );

    // An id no order has is simply not found, whatever its shape.
    for missing in ["S01-0000000-0000000", "503-0000000-0000000", "x%20y"] {
        let reply = browser
            .api(
                Method::GET,
                &format!("/api/v1/connections/{connection}/orders/{missing}"),
                None,
                None,
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{missing}: {}",
            reply.body
        );
    }
}
