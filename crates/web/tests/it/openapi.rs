//! The OpenAPI document: what `/api/openapi.json` serves, kept in a snapshot.

use axum::http::{Method, StatusCode};

use crate::support::TestApp;

#[test]
fn the_openapi_document_matches_its_snapshot() {
    let document = sellerlink_web::openapi_json();
    insta::assert_snapshot!("openapi", document);
}

#[tokio::test]
async fn the_served_document_is_the_snapshotted_one_and_covers_every_route() {
    let world = TestApp::new().await;
    let reply = world
        .api_anonymous(Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let served = reply.json();
    let expected: serde_json::Value =
        serde_json::from_str(&sellerlink_web::openapi_json()).unwrap();
    assert_eq!(served, expected);
    let paths = served["paths"].as_object().unwrap();
    for path in [
        "/api/v1/merchants",
        "/api/v1/merchants/{merchant_id}",
        "/api/v1/connections",
        "/api/v1/connections/{connection_id}",
        "/api/v1/connections/{connection_id}/actions",
        "/api/v1/connections/{connection_id}/verify",
        "/api/v1/connections/{connection_id}/sync-runs",
        "/api/v1/connections/{connection_id}/orders/{amazon_order_id}",
        "/api/v1/orders",
        "/api/v1/api-keys",
        "/api/v1/api-keys/{api_key_id}",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    let schemes = served["components"]["securitySchemes"].as_object().unwrap();
    assert!(schemes.contains_key("api_key") && schemes.contains_key("session"));
}
