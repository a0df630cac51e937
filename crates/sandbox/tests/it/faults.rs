//! Fault injection: 500, 503, slow, dropped connections and truncated bodies, deterministic and
//! without side effects.

use std::time::Instant;

use reqwest::StatusCode;

use crate::support::{JP, MwsCall, Options, TestSandbox};

const ORDERS: &str = "/Orders/2013-09-01";

fn list(sandbox: &TestSandbox, token: &str) -> MwsCall {
    sandbox
        .call(ORDERS, "ListOrders", token)
        .param("MarketplaceId.Id.1", JP)
        .param("CreatedAfter", "2024-02-28T00:00:00Z")
}

async fn set_fault(sandbox: &TestSandbox, operation: &str, rates: serde_json::Value) {
    let response = sandbox
        .client
        .put(format!("{}/_sandbox/faults/{operation}", sandbox.base))
        .json(&rates)
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "{}",
        response.text().await.unwrap()
    );
}

async fn clear_faults(sandbox: &TestSandbox) {
    sandbox
        .client
        .delete(format!("{}/_sandbox/faults", sandbox.base))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn errors_do_not_touch_state_and_limits_run_out() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 30,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    set_fault(
        &sandbox,
        "ListOrders",
        serde_json::json!({ "internal_error": 1.0 }),
    )
    .await;
    for _ in 0..8 {
        let answer = list(&sandbox, &token).send(&sandbox.client).await;
        assert_eq!(
            (answer.status, answer.code().as_deref()),
            (StatusCode::INTERNAL_SERVER_ERROR, Some("InternalError"))
        );
    }
    clear_faults(&sandbox).await;
    for n in 0..6 {
        assert_eq!(
            list(&sandbox, &token).send(&sandbox.client).await.status,
            StatusCode::OK,
            "request {n}: faulted requests used no quota"
        );
    }

    set_fault(
        &sandbox,
        "*",
        serde_json::json!({ "service_unavailable": 1.0, "limit": 2 }),
    )
    .await;
    let seller_call = || {
        sandbox.call(
            "/Sellers/2011-07-01",
            "ListMarketplaceParticipations",
            &token,
        )
    };
    assert_eq!(
        seller_call().send(&sandbox.client).await.code().as_deref(),
        Some("ServiceUnavailable")
    );
    assert_eq!(
        seller_call().send(&sandbox.client).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    assert_eq!(
        seller_call().send(&sandbox.client).await.status,
        StatusCode::OK,
        "the rule ran out after 2 faults"
    );

    // A faulted SubmitFeed stores nothing.
    set_fault(
        &sandbox,
        "SubmitFeed",
        serde_json::json!({ "internal_error": 1.0 }),
    )
    .await;
    let body = b"<AmazonEnvelope/>".to_vec();
    let md5 = sellerlink_sandbox::signing::content_md5(&body);
    let submit = sandbox
        .call("/Feeds/2009-01-01", "SubmitFeed", &token)
        .param("FeedType", "_POST_INVENTORY_AVAILABILITY_DATA_")
        .param("ContentMD5Value", &md5)
        .body(body)
        .send(&sandbox.client)
        .await;
    assert_eq!(submit.status, StatusCode::INTERNAL_SERVER_ERROR);
    let feeds = sandbox
        .control_get(&format!(
            "/_sandbox/sellers/{}/feeds",
            sandbox.seller.seller_id
        ))
        .await;
    assert!(feeds.as_array().unwrap().is_empty());

    let log = sandbox.control_get("/_sandbox/requests?limit=3").await;
    let last = &log.as_array().unwrap()[2];
    assert_eq!(last["operation"], "Feeds.SubmitFeed");
    assert_eq!(last["status"], 500);
    assert_eq!(last["fault"], "internal_error");
    assert_eq!(last["error_code"], "InternalError");

    let bad = sandbox
        .client
        .put(format!("{}/_sandbox/faults/ListOrders", sandbox.base))
        .json(&serde_json::json!({ "internal_error": 1.5 }))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let unknown = sandbox
        .client
        .put(format!("{}/_sandbox/faults/ListWidgets", sandbox.base))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn dropped_connections_truncated_bodies_and_slow_responses() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 30,
        scale: 1000.0,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;

    set_fault(
        &sandbox,
        "ListOrders",
        serde_json::json!({ "drop_connection": 1.0 }),
    )
    .await;
    let dropped = list(&sandbox, &token).try_send(&sandbox.client).await;
    let error = dropped.expect_err("the connection is closed without a response");
    assert!(
        error.is_request() || error.is_connect() || error.is_body(),
        "{error:?}"
    );

    set_fault(
        &sandbox,
        "ListOrders",
        serde_json::json!({ "truncate_body": 1.0 }),
    )
    .await;
    let truncated = list(&sandbox, &token).try_send(&sandbox.client).await;
    assert!(
        truncated.is_err(),
        "reading a truncated body fails: {truncated:?}"
    );

    set_fault(
        &sandbox,
        "ListOrders",
        serde_json::json!({ "slow": 1.0, "slow_ms": 300 }),
    )
    .await;
    let started = Instant::now();
    let slow = list(&sandbox, &token).send(&sandbox.client).await;
    assert_eq!(slow.status, StatusCode::OK);
    assert!(
        started.elapsed().as_millis() >= 300,
        "{:?}",
        started.elapsed()
    );
    clear_faults(&sandbox).await;

    let log = sandbox.control_get("/_sandbox/requests?limit=3").await;
    let faults: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fault"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(faults, vec!["drop_connection", "truncate_body", "-"]);
    assert_eq!(log[0]["status"], 0);
}

#[tokio::test]
async fn fault_pattern_is_deterministic_for_a_seed() {
    let mut patterns = Vec::new();
    for _ in 0..2 {
        let sandbox = TestSandbox::start_with(Options {
            orders: 10,
            scale: 1_000_000.0,
            frozen: false,
            ..Options::default()
        })
        .await;
        let token = sandbox.grant(&sandbox.seller.seller_id).await;
        set_fault(
            &sandbox,
            "GetServiceStatus",
            serde_json::json!({ "internal_error": 0.3, "service_unavailable": 0.2 }),
        )
        .await;
        let mut statuses = Vec::new();
        for _ in 0..40 {
            let answer = sandbox
                .call(ORDERS, "GetServiceStatus", &token)
                .send(&sandbox.client)
                .await;
            // Faults are decided before throttling; a call that passed the fault stage but met an empty
            // GetServiceStatus bucket (burst 2, refilled per millisecond) is a pass for this pattern.
            let throttled = answer.code().as_deref() == Some("RequestThrottled");
            statuses.push(if throttled {
                200
            } else {
                answer.status.as_u16()
            });
        }
        patterns.push(statuses);
    }
    assert_eq!(patterns[0], patterns[1]);
    assert!(
        patterns[0].contains(&500) && patterns[0].contains(&503) && patterns[0].contains(&200),
        "{:?}",
        patterns[0]
    );
}
