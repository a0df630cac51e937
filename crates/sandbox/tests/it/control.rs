//! The control API: clock, identities, grants, orders, timing, throttling reset, request log.

use reqwest::StatusCode;

use crate::support::{Options, TestSandbox};

#[tokio::test]
async fn clock_can_be_read_advanced_set_and_frozen() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 5,
        ..Options::default()
    })
    .await;
    let clock = sandbox.control_get("/_sandbox/clock").await;
    assert_eq!(clock["frozen"], true);
    let start: jiff::Timestamp = clock["now"].as_str().unwrap().parse().unwrap();
    let advanced = sandbox
        .control_post("/_sandbox/clock", serde_json::json!({ "advance": 90 }))
        .await;
    let now: serde_json::Value = serde_json::from_str(&advanced.body).unwrap();
    assert_eq!(
        now["now"]
            .as_str()
            .unwrap()
            .parse::<jiff::Timestamp>()
            .unwrap(),
        start + jiff::SignedDuration::from_secs(90)
    );
    let year = sandbox
        .control_post(
            "/_sandbox/clock",
            serde_json::json!({ "set": "2024-02-29T00:00:00Z", "advance": "P1Y" }),
        )
        .await;
    let now: serde_json::Value = serde_json::from_str(&year.body).unwrap();
    assert_eq!(
        now["now_jst"], "2025-02-28 09:00:00 JST",
        "calendar year in JST: Feb 29 + 1 year = Feb 28"
    );
    let bad = sandbox
        .control_post("/_sandbox/clock", serde_json::json!({ "advance": "soon" }))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("not a span"));
    let running = sandbox
        .control_post("/_sandbox/clock", serde_json::json!({ "freeze": false }))
        .await;
    assert!(running.body.contains("\"frozen\":false"));
}

#[tokio::test]
async fn identities_grants_and_orders() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 20,
        ..Options::default()
    })
    .await;
    let identity = sandbox.control_get("/_sandbox/identity").await;
    assert_eq!(identity["developer"]["name"], "shippinno");
    assert_eq!(
        identity["developer"]["developer_id_dashed"],
        "5259-6479-4073"
    );
    assert_eq!(
        identity["developer"]["access_key_id"]
            .as_str()
            .unwrap()
            .len(),
        20
    );
    assert_eq!(identity["seller"]["email"], "seller1@example.jp");
    assert_eq!(identity["seller"]["password"], "sandbox-pass-1");

    let dev = sandbox
        .control_post(
            "/_sandbox/developers",
            serde_json::json!({ "name": "acme", "developer_id": "1111-2222-3333" }),
        )
        .await;
    assert_eq!(dev.status, StatusCode::OK, "{}", dev.body);
    let duplicate = sandbox
        .control_post(
            "/_sandbox/developers",
            serde_json::json!({ "name": "acme", "developer_id": "111122223333" }),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    let malformed = sandbox
        .control_post(
            "/_sandbox/developers",
            serde_json::json!({ "name": "acme", "developer_id": "12" }),
        )
        .await;
    assert!(
        malformed.body.contains("developer ID has 2 digits"),
        "{}",
        malformed.body
    );

    let seller = sandbox
        .control_post("/_sandbox/sellers", serde_json::json!({ "email": "new@example.jp", "password": "pw", "phone": "080-1234-5678" }))
        .await;
    assert_eq!(seller.status, StatusCode::OK, "{}", seller.body);
    let seller: serde_json::Value = serde_json::from_str(&seller.body).unwrap();
    let seller_id = seller["seller_id"].as_str().unwrap();
    assert_eq!(seller["marketplace_ids"][0], "A1VC38T7YXB528");

    let grant = sandbox
        .control_post(
            "/_sandbox/grants",
            serde_json::json!({ "seller_id": seller_id, "developer_id": "111122223333", "granted_at": "2023-01-10T00:00:00Z", "expiry_enabled": false }),
        )
        .await;
    let grant: serde_json::Value = serde_json::from_str(&grant.body).unwrap();
    assert_eq!(grant["state"], "active");
    assert_eq!(grant["expires_on"], serde_json::Value::Null);
    let target = serde_json::json!({ "seller_id": seller_id, "developer_id": "111122223333" });
    let enabled = sandbox
        .control_post("/_sandbox/grants/enable-expiry", target.clone())
        .await;
    let enabled: serde_json::Value = serde_json::from_str(&enabled.body).unwrap();
    assert_eq!(enabled["expires_on"], "2024-01-10");
    assert_eq!(
        enabled["state"], "expired",
        "enabling expiry on an old grant expires it at once"
    );
    assert_eq!(
        sandbox
            .control_post("/_sandbox/grants/enable-expiry", target.clone())
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        sandbox
            .control_post("/_sandbox/grants/teleport", target.clone())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let grants = sandbox
        .control_get(&format!("/_sandbox/grants?seller_id={seller_id}"))
        .await;
    assert_eq!(grants.as_array().unwrap().len(), 1);

    let order = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller_id}/orders"),
            serde_json::json!({ "amazon_order_id": "249-1234567-7654321", "items": [{ "sku": "X-1", "quantity": 3, "unit_price": 1000 }] }),
        )
        .await;
    assert_eq!(order.status, StatusCode::OK, "{}", order.body);
    let duplicate = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller_id}/orders"),
            serde_json::json!({ "amazon_order_id": "249-1234567-7654321", "items": [{ "sku": "X-1", "quantity": 1, "unit_price": 1 }] }),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    let orders = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller_id}/orders"))
        .await;
    assert_eq!(orders[0]["order_total"], "3000.00");
    assert_eq!(orders[0]["status"], "Unshipped");
    let canceled = sandbox
        .control_post(
            &format!("/_sandbox/sellers/{seller_id}/orders/249-1234567-7654321/status"),
            serde_json::json!({ "status": "Canceled" }),
        )
        .await;
    assert!(
        canceled.body.contains("\"status\":\"Canceled\""),
        "{}",
        canceled.body
    );
    let stock = sandbox
        .control_get(&format!("/_sandbox/sellers/{seller_id}/stock"))
        .await;
    assert_eq!(stock["X-1"]["quantity"], 0, "new SKUs get a stock row");

    // Future orders are hidden unless asked for.
    let demo = sandbox.seller.seller_id.clone();
    let visible = sandbox
        .control_get(&format!("/_sandbox/sellers/{demo}/orders"))
        .await
        .as_array()
        .unwrap()
        .len();
    let with_future = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{demo}/orders?include_future=true"
        ))
        .await
        .as_array()
        .unwrap()
        .len();
    assert_eq!(with_future, 20);
    assert!(visible < with_future, "{visible} visible of {with_future}");
}

#[tokio::test]
async fn timing_throttle_reset_and_log() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 5,
        ..Options::default()
    })
    .await;
    let response = sandbox
        .client
        .put(format!("{}/_sandbox/feeds/timing", sandbox.base))
        .json(&serde_json::json!({ "in_progress_after_secs": 5, "done_after_secs": 10 }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        sandbox.control_get("/_sandbox/feeds/timing").await["done_after_secs"],
        10
    );
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    for _ in 0..3 {
        sandbox
            .call("/Orders/2013-09-01", "GetServiceStatus", &token)
            .send(&sandbox.client)
            .await;
    }
    let log = sandbox.control_get("/_sandbox/requests").await;
    let statuses: Vec<u64> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![200, 200, 503]);
    assert_eq!(log[2]["error_code"], "RequestThrottled");
    assert_eq!(log[2]["operation"], "Orders.GetServiceStatus");
    assert_eq!(log[2]["seller_id"], sandbox.seller.seller_id.as_str());
    assert_eq!(
        sandbox
            .control_post("/_sandbox/throttle/reset", serde_json::json!({}))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let ok = sandbox
        .call("/Orders/2013-09-01", "GetServiceStatus", &token)
        .send(&sandbox.client)
        .await;
    assert!(ok.body.contains("<Status>GREEN</Status>"), "{}", ok.body);
    let index = sandbox.control_get("/_sandbox").await;
    assert!(index.as_array().unwrap().len() > 10);
}

/// `RunningSandbox::grants()` ends access at once, as the control API's `expire-now` and `revoke` actions do, and
/// refuses what the control API refuses.
#[tokio::test]
async fn the_grants_handle_ends_access_like_the_control_api() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 5,
        ..Options::default()
    })
    .await;
    let seller = sandbox.seller.seller_id.clone();
    let developer = sandbox.developer.developer_id.clone();
    let app = sandbox.running.demo_app().application_id;
    let grants = sandbox.running.grants();
    let grant_state = || async {
        sandbox
            .control_get(&format!("/_sandbox/grants?seller_id={seller}"))
            .await[0]["state"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let authorization_status = || async {
        sandbox
            .control_get(&format!("/_sandbox/authorizations?seller_id={seller}"))
            .await[0]["status"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    assert!(matches!(
        grants.expire_grant_now(&seller, &developer),
        Err(sellerlink_sandbox::GrantChangeError::Grant(_))
    ));
    sandbox.grant(&seller).await;
    assert_eq!(grant_state().await, "active");
    grants.expire_grant_now(&seller, &developer).unwrap();
    assert_eq!(grant_state().await, "expired");
    grants.revoke_grant(&seller, &developer).unwrap();
    assert_eq!(grant_state().await, "revoked");

    assert_eq!(
        grants.revoke_authorization(&seller, &app),
        Err(sellerlink_sandbox::GrantChangeError::NoAuthorization)
    );
    crate::spapi_support::self_authorize(&sandbox, &seller).await;
    assert_eq!(authorization_status().await, "active");
    grants.expire_authorization_now(&seller, &app).unwrap();
    assert_eq!(authorization_status().await, "expired");
    grants.revoke_authorization(&seller, &app).unwrap();
    assert_eq!(authorization_status().await, "revoked");
}
