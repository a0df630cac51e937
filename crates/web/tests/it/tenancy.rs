//! A merchant sees only its own data: another merchant's merchant, connection, order or key is 404 through pages
//! and API alike, exactly like something that does not exist.

use axum::http::{Method, StatusCode};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use serde_json::json;

use crate::support::TestApp;

struct Two {
    world: TestApp,
    a_connection: sellerlink_domain::ids::ConnectionId,
    b_connection: sellerlink_domain::ids::ConnectionId,
    b_merchant: sellerlink_domain::ids::MerchantId,
    a_key: String,
}

async fn two_merchants() -> Two {
    let world = TestApp::new().await;
    let a = world.merchant("Acme").await;
    let b = world.merchant("Bolt").await;
    world
        .user("owner@acme.example", Role::Merchant(a.id), Language::Ja)
        .await;
    world
        .user("owner@bolt.example", Role::Merchant(b.id), Language::Ja)
        .await;
    let a_connection = world.connection(&a, "A1AAAAAAAAAAAA", 10).await;
    let b_connection = world.connection(&b, "A1BBBBBBBBBBBB", 10).await;
    world.orders(a_connection, 3, 100).await;
    world.orders(b_connection, 4, 200).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let created = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(json!({ "name": "A's key", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let a_key = created.json()["key"].as_str().unwrap().to_owned();
    Two {
        world,
        a_connection,
        b_connection,
        b_merchant: b.id,
        a_key,
    }
}

#[tokio::test]
async fn pages_of_another_merchant_are_not_found() {
    let two = two_merchants().await;
    let world = &two.world;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let b = two.b_connection;
    let b_order = "503-0000028-0000200";
    for path in [
        format!("/merchants/{}", two.b_merchant),
        format!("/merchants/{}/connect", two.b_merchant),
        format!("/connections/{b}/orders/{b_order}"),
        format!("/orders?connection_id={b}"),
        format!("/orders?merchant_id={}", two.b_merchant),
    ] {
        let reply = browser.get(&path).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
        assert!(
            !reply.body.contains("A1BBBBBBBBBBBB"),
            "{path} leaks B's data"
        );
    }
    let before = world.app.connection(b).await.unwrap().connection;
    for action in [
        "renew",
        "restore",
        "replace-token",
        "remove",
        "verify",
        "sync",
    ] {
        let reply = browser
            .submit("/orders", &format!("/connections/{b}/{action}"), &[])
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{action}");
    }
    assert_eq!(
        world.app.connection(b).await.unwrap().connection,
        before,
        "B's connection is untouched"
    );

    let own = browser.get("/orders").await;
    assert!(
        own.body.contains("503-0000014-0000100"),
        "A's own orders are listed"
    );
    assert!(
        !own.body.contains("503-0000028-0000200"),
        "B's orders are not"
    );
    let mine = browser
        .get(&format!(
            "/connections/{}/orders/503-0000014-0000100",
            two.a_connection
        ))
        .await;
    assert_eq!(mine.status, StatusCode::OK);
}

#[tokio::test]
async fn the_api_answers_404_for_another_merchant() {
    let two = two_merchants().await;
    let world = &two.world;
    let key = &two.a_key;
    let b = two.b_connection;
    let b_merchant = two.b_merchant;
    let cases = [
        (Method::GET, format!("/api/v1/merchants/{b_merchant}"), None),
        (Method::GET, format!("/api/v1/connections/{b}"), None),
        (
            Method::GET,
            format!("/api/v1/connections?merchant_id={b_merchant}"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{b}/sync-runs"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{b}/sync-runs"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{b}/verify"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{b}/actions"),
            Some(json!({ "action": "renew" })),
        ),
        (Method::DELETE, format!("/api/v1/connections/{b}"), None),
        (
            Method::GET,
            format!("/api/v1/connections/{b}/orders/503-0000028-0000200"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/orders?merchant_id={b_merchant}"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/orders?connection_id={b}"),
            None,
        ),
        (
            Method::POST,
            "/api/v1/connections".to_owned(),
            Some(json!({
                "merchant_id": b_merchant,
                "seller_id": "A1CCCCCCCCCCCC",
                "marketplace_id": "A1VC38T7YXB528",
                "mws_auth_token": "amzn.mws.01234567-89ab-cdef-0123-456789abcdef"
            })),
        ),
    ];
    for (method, path, body) in cases {
        let reply = world.api_with_key(method.clone(), &path, key, body).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            reply.body
        );
        assert_eq!(reply.code(), "not_found", "{method} {path}");
        assert!(!reply.body.contains("A1BBBBBBBBBBBB"));
    }
    assert!(
        world.app.connection(b).await.is_ok(),
        "B's connection still exists"
    );

    let list = world
        .api_with_key(Method::GET, "/api/v1/connections", key, None)
        .await
        .json();
    let sellers: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["seller_id"].as_str().unwrap())
        .collect();
    assert_eq!(sellers, ["A1AAAAAAAAAAAA"]);
    let merchants = world
        .api_with_key(Method::GET, "/api/v1/merchants", key, None)
        .await
        .json();
    assert_eq!(merchants.as_array().unwrap().len(), 1);
    assert_eq!(merchants[0]["name"], "Acme");
    let orders = world
        .api_with_key(Method::GET, "/api/v1/orders", key, None)
        .await
        .json();
    assert_eq!(orders["total"], 3);
    assert!(
        orders["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["connection_id"] == two.a_connection.to_string())
    );
}

#[tokio::test]
async fn keys_of_another_merchant_cannot_be_revoked() {
    let two = two_merchants().await;
    let world = &two.world;
    let mut b_browser = world.browser().signed_in("owner@bolt.example").await;
    let csrf = b_browser.csrf().await;
    let b_key = b_browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(json!({ "name": "B", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(&csrf),
        )
        .await
        .json();
    let b_key_id = b_key["api_key"]["id"].as_str().unwrap().to_owned();
    let mut a_browser = world.browser().signed_in("owner@acme.example").await;
    let a_csrf = a_browser.csrf().await;
    let reply = a_browser
        .api(
            Method::DELETE,
            &format!("/api/v1/api-keys/{b_key_id}"),
            None,
            Some(&a_csrf),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let page = a_browser
        .submit("/api-keys", &format!("/api-keys/{b_key_id}/revoke"), &[])
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let still = world
        .api_with_key(
            Method::GET,
            "/api/v1/merchants",
            b_key["key"].as_str().unwrap(),
            None,
        )
        .await;
    assert_eq!(still.status, StatusCode::OK, "B's key still works");
}

#[tokio::test]
async fn operators_see_every_merchant_and_merchants_cannot_use_operator_pages() {
    let two = two_merchants().await;
    let world = &two.world;
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let overview = operator.get("/operator").await;
    assert!(overview.body.contains("A1AAAAAAAAAAAA") && overview.body.contains("A1BBBBBBBBBBBB"));
    let b_page = operator
        .get(&format!("/merchants/{}", two.b_merchant))
        .await;
    assert_eq!(b_page.status, StatusCode::OK);
    let all = operator
        .api(Method::GET, "/api/v1/orders", None, None)
        .await
        .json();
    assert_eq!(all["total"], 7);

    let mut merchant = world.browser().signed_in("owner@acme.example").await;
    assert_eq!(
        merchant.get("/operator").await.status,
        StatusCode::FORBIDDEN
    );
    let created = world
        .api_with_key(
            Method::POST,
            "/api/v1/merchants",
            &two.a_key,
            Some(json!({ "name": "Mine" })),
        )
        .await;
    assert_eq!(created.status, StatusCode::FORBIDDEN);
    assert_eq!(
        created.code(),
        "session_required",
        "no key may create merchants"
    );
}
