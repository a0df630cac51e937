//! What a warehouse system sends: shipment confirmations (`…/orders/{order}/shipments`: queued once, a repeat
//! answers 200 with the same shipment, what cannot be shipped is refused with its field) and stock levels
//! (`…/stock`: all or nothing, unchanged quantities reported as such); another merchant's order or connection is
//! 404; a browser session needs its CSRF token.

use axum::http::{Method, StatusCode};
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_domain::order::OrderStatus;
use sellerlink_store::Role;
use serde_json::json;

use crate::support::{Browser, TestApp, order};

/// Merchants Acme (with the user `owner@acme.example`) and Bolt, one connection each: (Acme's, Bolt's).
async fn two_merchants(world: &TestApp) -> (ConnectionId, ConnectionId) {
    let acme = world.merchant("Acme").await;
    let bolt = world.merchant("Bolt").await;
    world
        .user("owner@acme.example", Role::Merchant(acme.id), Language::Ja)
        .await;
    (
        world.connection(&acme, "A1B2C3D4E5F6G7", 10).await,
        world.connection(&bolt, "A9B2C3D4E5F6G7", 10).await,
    )
}

/// A new API key of the signed-in user.
async fn api_key(browser: &mut Browser<'_>, csrf: &str) -> String {
    browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(json!({ "name": "warehouse", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(csrf),
        )
        .await
        .json()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn shipments_are_queued_once_refused_by_field_and_kept_to_their_merchant() {
    let world = TestApp::new().await;
    let (connection, theirs) = two_merchants(&world).await;
    // Orders 1–8: 2, 4 and 8 are unshipped and merchant-fulfilled, 6 is Amazon-fulfilled.
    world.orders(connection, 8, 1).await;
    world.orders(theirs, 2, 1).await;
    let mut cancelled = order(4, world.app.now() - jiff::SignedDuration::from_hours(2));
    cancelled.status = OrderStatus::Canceled;
    cancelled.last_update_date = world.app.now();
    world
        .app
        .store()
        .upsert_orders(connection, &[cancelled], world.app.now(), None)
        .await
        .unwrap();
    let id = |n: u32| order(n, world.app.now()).amazon_order_id.to_string();
    let path = |connection: ConnectionId, n: u32| {
        format!(
            "/api/v1/connections/{connection}/orders/{}/shipments",
            id(n)
        )
    };

    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let key = api_key(&mut browser, &csrf).await;
    let parcel = json!({
        "carrier": "Yamato Transport",
        "tracking_number": "1234-5678-9012",
        "shipping_method": "宅急便",
    });

    let created = world
        .api_with_key(
            Method::POST,
            &path(connection, 2),
            &key,
            Some(parcel.clone()),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let shipment = created.json();
    assert_eq!(shipment["state"], "queued");
    assert_eq!(shipment["carrier"], "Yamato Transport");
    assert_eq!(shipment["lines"][0]["quantity"], 2, "{shipment}");
    let again = world
        .api_with_key(
            Method::POST,
            &path(connection, 2),
            &key,
            Some(parcel.clone()),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "a repeat queues nothing new");
    assert_eq!(again.json()["id"], shipment["id"]);
    let listed = world
        .api_with_key(Method::GET, &path(connection, 2), &key, None)
        .await;
    assert_eq!(listed.json().as_array().unwrap().len(), 1);

    // The order page shows the confirmation and where it stands; an order without one says so.
    let page = browser
        .get(&format!("/connections/{connection}/orders/{}", id(2)))
        .await;
    assert!(
        page.body.contains("id=\"shipments-table\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("1234-5678-9012"));
    assert!(
        page.body.contains("送信待ち"),
        "the state in the reader's language"
    );
    let other = browser
        .get(&format!("/connections/{connection}/orders/{}", id(8)))
        .await;
    assert!(other.body.contains("id=\"no-shipments\""));

    // What cannot be shipped, each with its field, in both languages.
    for (n, body, field, code) in [
        (6, parcel.clone(), "amazon_order_id", "shipment_refused"),
        (4, parcel.clone(), "amazon_order_id", "shipment_refused"),
        (
            8,
            json!({ "carrier": "Yamato Transport", "tracking_number": "12 34" }),
            "tracking_number",
            "shipment_refused",
        ),
        (
            8,
            json!({ "carrier": "", "tracking_number": "1234" }),
            "carrier",
            "shipment_refused",
        ),
    ] {
        let refused = world
            .api_with_key(Method::POST, &path(connection, n), &key, Some(body))
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let error = &refused.json()["error"];
        assert_eq!(
            (error["field"].as_str(), error["code"].as_str()),
            (Some(field), Some(code))
        );
        assert!(!error["message_ja"].as_str().unwrap().is_empty());
    }
    let unknown_field = world
        .api_with_key(
            Method::POST,
            &path(connection, 8),
            &key,
            Some(json!({ "carrier": "Japan Post", "tracking_number": "1", "colour": "red" })),
        )
        .await;
    assert_eq!(unknown_field.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Another merchant's order does not exist for this key.
    let foreign = world
        .api_with_key(Method::POST, &path(theirs, 2), &key, Some(parcel.clone()))
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // A browser session queues too, with its CSRF token only.
    let forged = browser
        .api(
            Method::POST,
            &path(connection, 8),
            Some(parcel.clone()),
            None,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let with_token = browser
        .api(
            Method::POST,
            &path(connection, 8),
            Some(parcel),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        with_token.status,
        StatusCode::CREATED,
        "{}",
        with_token.body
    );
}

#[tokio::test]
async fn stock_levels_are_set_all_or_nothing_and_kept_to_their_merchant() {
    let world = TestApp::new().await;
    let (connection, theirs) = two_merchants(&world).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let key = api_key(&mut browser, &csrf).await;
    let path = format!("/api/v1/connections/{connection}/stock");

    let set = world
        .api_with_key(
            Method::PUT,
            &path,
            &key,
            Some(json!({ "levels": [
                { "sku": "TEA-GREEN-100G", "quantity": 12 },
                { "sku": "TEA-BLACK-100G", "quantity": 0 },
            ] })),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let levels = set.json();
    assert_eq!(levels[0]["change"], "created");
    assert_eq!(levels[0]["state"], "pending");
    assert_eq!(levels[1]["quantity"], 0);
    let same = world
        .api_with_key(
            Method::PUT,
            &path,
            &key,
            Some(json!({ "levels": [{ "sku": "TEA-GREEN-100G", "quantity": 12 }] })),
        )
        .await;
    assert_eq!(same.json()[0]["change"], "unchanged");

    // One bad SKU: nothing is recorded, and the field is named.
    let refused = world
        .api_with_key(
            Method::PUT,
            &path,
            &key,
            Some(json!({ "levels": [
                { "sku": "TEA-GREEN-100G", "quantity": 13 },
                { "sku": "", "quantity": 1 },
            ] })),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["field"], "sku");
    let listed = world
        .api_with_key(Method::GET, &path, &key, None)
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let green = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["sku"] == "TEA-GREEN-100G")
        .unwrap();
    assert_eq!(green["quantity"], 12, "the refused call changed nothing");
    let too_many = world
        .api_with_key(
            Method::PUT,
            &path,
            &key,
            Some(json!({ "levels": [{ "sku": "X", "quantity": 2_000_000 }] })),
        )
        .await;
    assert_eq!(too_many.json()["error"]["field"], "quantity");

    // Another merchant's connection does not exist for this key.
    let foreign = world
        .api_with_key(
            Method::PUT,
            &format!("/api/v1/connections/{theirs}/stock"),
            &key,
            Some(json!({ "levels": [{ "sku": "X", "quantity": 1 }] })),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}
