//! Every authentication and authorization failure gets Amazon's ErrorResponse and status, and
//! grant states (revoked, expired, restored, wrong seller) decide access.

use reqwest::StatusCode;

use crate::support::{Answer, JP, TestSandbox, first};

const ORDERS: &str = "/Orders/2013-09-01";

fn list_orders(sandbox: &TestSandbox, token: &str) -> crate::support::MwsCall {
    sandbox
        .call(ORDERS, "ListOrders", token)
        .param("MarketplaceId.Id.1", JP)
        .param("CreatedAfter", "2024-02-01T00:00:00Z")
}

fn assert_error(answer: &Answer, status: StatusCode, code: &str) {
    assert_eq!(answer.status, status, "{}", answer.body);
    assert_eq!(answer.code().as_deref(), Some(code), "{}", answer.body);
    assert!(answer.body.starts_with("<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://mws.amazonservices.com/Orders/2013-09-01\">"), "{}", answer.body);
    let request_id = answer
        .headers
        .get("x-mws-request-id")
        .expect("request id header")
        .to_str()
        .unwrap();
    assert_eq!(
        first(&answer.body, "RequestID").as_deref(),
        Some(request_id)
    );
    assert_eq!(answer.headers.get("content-type").unwrap(), "text/xml");
}

#[tokio::test]
async fn request_checks_in_amazons_order() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let ok = list_orders(&sandbox, &token).send(&sandbox.client).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.headers.contains_key("x-mws-timestamp"));
    assert!(
        ok.headers.get("x-mws-quota-max").is_none(),
        "Orders sends no quota headers"
    );

    let c = &sandbox.client;
    assert_error(
        &list_orders(&sandbox, &token)
            .without("Action")
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "InvalidParameterValue",
    );
    assert_error(
        &list_orders(&sandbox, &token)
            .param("Action", "ListInventory")
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "InvalidAction",
    );
    assert_error(
        &list_orders(&sandbox, &token)
            .param("Version", "2011-01-01")
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "InvalidParameterValue",
    );
    assert_error(
        &list_orders(&sandbox, &token)
            .param("AWSAccessKeyId", "AKIAAAAAAAAAAAAAAAAA")
            .send(c)
            .await,
        StatusCode::FORBIDDEN,
        "InvalidAccessKeyId",
    );
    let mut tampered = list_orders(&sandbox, &token);
    tampered.secret = "wrong-secret".into();
    assert_error(
        &tampered.send(c).await,
        StatusCode::FORBIDDEN,
        "SignatureDoesNotMatch",
    );

    let stale = (sandbox.now() - jiff::SignedDuration::from_mins(16))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let expired = list_orders(&sandbox, &token)
        .param("Timestamp", &stale)
        .send(c)
        .await;
    assert_error(&expired, StatusCode::BAD_REQUEST, "RequestExpired");
    assert!(expired.body.contains(&format!(
        "Request signature is too far in the past and has expired. Timestamp date: {stale}"
    )));
    let fine = (sandbox.now() - jiff::SignedDuration::from_mins(14))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(
        list_orders(&sandbox, &token)
            .param("Timestamp", &fine)
            .send(c)
            .await
            .status,
        StatusCode::OK
    );
    let future = (sandbox.now() + jiff::SignedDuration::from_mins(16))
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_error(
        &list_orders(&sandbox, &token)
            .param("Timestamp", &future)
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "RequestExpired",
    );
    let past = (sandbox.now() - jiff::SignedDuration::from_secs(1)).to_string();
    assert_error(
        &list_orders(&sandbox, &token)
            .without("Timestamp")
            .param("Expires", &past)
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "RequestExpired",
    );
    let later = (sandbox.now() + jiff::SignedDuration::from_mins(5)).to_string();
    assert_eq!(
        list_orders(&sandbox, &token)
            .without("Timestamp")
            .param("Expires", &later)
            .send(c)
            .await
            .status,
        StatusCode::OK
    );

    assert_error(
        &list_orders(&sandbox, &token)
            .without("SellerId")
            .send(c)
            .await,
        StatusCode::BAD_REQUEST,
        "InvalidParameterValue",
    );
    let unknown_seller = list_orders(&sandbox, &token)
        .param("SellerId", "AZZZZZZZZZZZZZ")
        .send(c)
        .await;
    assert_error(
        &unknown_seller,
        StatusCode::BAD_REQUEST,
        "InvalidParameterValue",
    );
    assert!(
        unknown_seller
            .body
            .contains("Invalid seller id: AZZZZZZZZZZZZZ")
    );

    let missing = list_orders(&sandbox, &token)
        .without("MWSAuthToken")
        .send(c)
        .await;
    assert_error(&missing, StatusCode::UNAUTHORIZED, "AccessDenied");
    assert_eq!(
        first(&missing.body, "Message").as_deref(),
        Some("Missing required MWSAuthToken for Seller.")
    );
    let unknown = list_orders(&sandbox, &token)
        .param(
            "MWSAuthToken",
            "amzn.mws.00000000-0000-4000-8000-000000000000",
        )
        .send(c)
        .await;
    assert_error(&unknown, StatusCode::UNAUTHORIZED, "AccessDenied");
    assert_eq!(
        first(&unknown.body, "Message").as_deref(),
        Some("Access to Orders.ListOrders is denied")
    );
    assert_eq!(
        first(&unknown.body, "Detail").as_deref(),
        Some("unknown-token")
    );
}

#[tokio::test]
async fn unknown_section_is_invalid_address() {
    let sandbox = TestSandbox::start().await;
    let response = sandbox
        .client
        .post(format!("{}/Fake/2013-09-01", sandbox.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.text().await.unwrap();
    assert_eq!(first(&body, "Code").as_deref(), Some("InvalidAddress"));
    assert_eq!(
        first(&body, "Message").as_deref(),
        Some("Section Fake/2013-09-01 is invalid")
    );
}

#[tokio::test]
async fn revoked_expired_restored_and_wrong_seller_tokens() {
    let sandbox = TestSandbox::start().await;
    let c = &sandbox.client;
    let seller = sandbox.seller.seller_id.clone();
    let other_seller = sandbox.control_get("/_sandbox/sellers").await[1]["seller_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = sandbox.grant(&seller).await;
    let other_token = sandbox.grant(&other_seller).await;
    let dev = sandbox.developer.developer_id.clone();
    let target = serde_json::json!({ "seller_id": seller, "developer_id": dev });

    // A token of another seller's grant.
    let wrong_seller = list_orders(&sandbox, &other_token).send(c).await;
    assert_error(&wrong_seller, StatusCode::UNAUTHORIZED, "AccessDenied");
    assert_eq!(
        first(&wrong_seller.body, "Detail").as_deref(),
        Some("token-for-another-seller")
    );

    // A token of another developer's grant for this seller.
    let answer = sandbox
        .control_post(
            "/_sandbox/grants",
            serde_json::json!({ "seller_id": seller, "developer_id": "1234-3214-4321" }),
        )
        .await;
    let foreign: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let foreign_token = foreign["mws_auth_token"].as_str().unwrap();
    let wrong_developer = list_orders(&sandbox, foreign_token).send(c).await;
    assert_eq!(
        first(&wrong_developer.body, "Detail").as_deref(),
        Some("token-for-another-developer")
    );

    // Expired a year later, on the expiry date itself.
    sandbox
        .control_post("/_sandbox/clock", serde_json::json!({ "advance": "P1Y" }))
        .await;
    let expired = list_orders(&sandbox, &token).send(c).await;
    assert_error(&expired, StatusCode::UNAUTHORIZED, "AccessDenied");
    assert_eq!(
        first(&expired.body, "Detail").as_deref(),
        Some("grant-expired")
    );
    let refused = sandbox
        .control_post("/_sandbox/grants/renew", target.clone())
        .await;
    assert_eq!(
        refused.status,
        StatusCode::CONFLICT,
        "approve after expiry is refused: {}",
        refused.body
    );

    // Restored: the same token works again.
    let restored = sandbox
        .control_post("/_sandbox/grants/restore", target.clone())
        .await;
    assert_eq!(restored.status, StatusCode::OK, "{}", restored.body);
    assert!(restored.body.contains(&token));
    let ok = list_orders(&sandbox, &token).send(c).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);

    // Revoked: refused for good; a new grant brings a new token.
    sandbox
        .control_post("/_sandbox/grants/revoke", target.clone())
        .await;
    let revoked = list_orders(&sandbox, &token).send(c).await;
    assert_error(&revoked, StatusCode::UNAUTHORIZED, "AccessDenied");
    assert_eq!(
        first(&revoked.body, "Detail").as_deref(),
        Some("grant-revoked")
    );
    let fresh = sandbox.grant(&seller).await;
    assert_ne!(fresh, token);
    assert_eq!(
        list_orders(&sandbox, &fresh).send(c).await.status,
        StatusCode::OK
    );
    assert_eq!(
        list_orders(&sandbox, &token).send(c).await.status,
        StatusCode::UNAUTHORIZED
    );
}
