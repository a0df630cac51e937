//! Every endpoint of `/api/v1`: success, 401 without credentials, 404 for what is not there, 422 for what does not
//! parse, with the one error envelope. Connections are created through the verified onboarding against a real
//! sandbox.

use axum::http::{Method, StatusCode};
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use sellerlink_testkit::sandbox_control::GrantAction;
use serde_json::{Value, json};

use crate::support::{Options, TestApp};

/// Every endpoint, with a body where it needs one.
fn endpoints(connection: &str) -> Vec<(Method, String, Option<Value>)> {
    vec![
        (Method::GET, "/api/v1/merchants".into(), None),
        (
            Method::POST,
            "/api/v1/merchants".into(),
            Some(json!({ "name": "X" })),
        ),
        (
            Method::GET,
            format!("/api/v1/merchants/{}", uuid::Uuid::nil()),
            None,
        ),
        (Method::GET, "/api/v1/connections".into(), None),
        (Method::POST, "/api/v1/connections".into(), Some(json!({}))),
        (
            Method::GET,
            format!("/api/v1/connections/{connection}"),
            None,
        ),
        (
            Method::DELETE,
            format!("/api/v1/connections/{connection}"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{connection}/actions"),
            Some(json!({ "action": "renew" })),
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{connection}/verify"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{connection}/sync-runs"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{connection}/sync-runs"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{connection}/orders/503-0000000-0000001"),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{connection}/orders/503-0000000-0000001/shipments"),
            None,
        ),
        (
            Method::POST,
            format!("/api/v1/connections/{connection}/orders/503-0000000-0000001/shipments"),
            Some(json!({ "carrier": "Japan Post", "tracking_number": "1" })),
        ),
        (
            Method::GET,
            format!("/api/v1/connections/{connection}/stock"),
            None,
        ),
        (
            Method::PUT,
            format!("/api/v1/connections/{connection}/stock"),
            Some(json!({ "levels": [{ "sku": "X", "quantity": 1 }] })),
        ),
        (Method::GET, "/api/v1/orders".into(), None),
        (Method::GET, "/api/v1/jobs".into(), None),
        (Method::GET, "/api/v1/api-keys".into(), None),
        (
            Method::POST,
            "/api/v1/api-keys".into(),
            Some(
                json!({ "name": "k", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] }),
            ),
        ),
        (
            Method::DELETE,
            format!("/api/v1/api-keys/{}", uuid::Uuid::nil()),
            None,
        ),
    ]
}

#[tokio::test]
async fn every_endpoint_refuses_a_caller_without_credentials() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    let connection = world
        .connection(&merchant, "A1B2C3D4E5F6G7", 10)
        .await
        .to_string();
    for (method, path, body) in endpoints(&connection) {
        let reply = world.api_anonymous(method.clone(), &path, body).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        let envelope = reply.json();
        assert_eq!(
            envelope["error"]["code"], "unauthenticated",
            "{method} {path}"
        );
        assert!(
            envelope["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Bearer")
        );
        assert!(
            envelope["error"]["message_ja"]
                .as_str()
                .unwrap()
                .contains("サインイン")
        );
    }
    assert!(
        world
            .app
            .connection(connection.parse().unwrap())
            .await
            .is_ok(),
        "nothing was deleted"
    );
    let unknown = world
        .api_anonymous(Method::GET, "/api/v1/nowhere", None)
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.code(), "not_found");
    let spec = world
        .api_anonymous(Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(
        spec.status,
        StatusCode::OK,
        "the OpenAPI document is public"
    );
}

#[tokio::test]
async fn merchants_endpoints() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let csrf = operator.csrf().await;

    let created = operator
        .api(
            Method::POST,
            "/api/v1/merchants",
            Some(json!({ "name": "株式会社たくみ", "language": "en" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let merchant = created.json();
    assert_eq!(merchant["name"], "株式会社たくみ");
    assert_eq!(merchant["language"], "en");
    let id = merchant["id"].as_str().unwrap();

    let duplicate = operator
        .api(
            Method::POST,
            "/api/v1/merchants",
            Some(json!({ "name": "株式会社たくみ" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.code(), "merchant_exists");

    for (body, field) in [
        (json!({ "name": "" }), "name"),
        (json!({ "name": "Ok", "language": "fr" }), "language"),
    ] {
        let reply = operator
            .api(Method::POST, "/api/v1/merchants", Some(body), Some(&csrf))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(reply.json()["error"]["field"], field);
    }
    let not_json = operator
        .api(
            Method::POST,
            "/api/v1/merchants",
            Some(json!([1, 2])),
            Some(&csrf),
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_json.code(), "invalid_json");

    let list = operator
        .api(Method::GET, "/api/v1/merchants", None, None)
        .await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let one = operator
        .api(Method::GET, &format!("/api/v1/merchants/{id}"), None, None)
        .await;
    assert_eq!(one.json()["id"], id);
    for missing in [
        format!("/api/v1/merchants/{}", uuid::Uuid::now_v7()),
        "/api/v1/merchants/nope".to_owned(),
    ] {
        let reply = operator.api(Method::GET, &missing, None, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn connection_lifecycle_endpoints_without_amazon() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let old = world.connection(&merchant, "A1B2C3D4E5F6G7", 400).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;

    let one = browser
        .api(
            Method::GET,
            &format!("/api/v1/connections/{old}"),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(one["status"], "expired");
    assert_eq!(one["credential_masked"], "amzn.mws.…c0ffee");
    assert!(
        !one.to_string().contains("456789c0ffee\""),
        "never the token itself"
    );

    let renew = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{old}/actions"),
            Some(json!({ "action": "renew" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        renew.status,
        StatusCode::CONFLICT,
        "an expired grant is restored, not renewed"
    );
    assert_eq!(renew.code(), "lifecycle_refused");
    assert!(
        renew.json()["error"]["message_ja"]
            .as_str()
            .unwrap()
            .contains("アクセス権の復元")
    );

    let restore = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{old}/actions"),
            Some(json!({ "action": "restore" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(restore.status, StatusCode::OK, "{}", restore.body);
    assert!(restore.json()["days_until_expiry"].as_i64().unwrap() >= 364);

    let bogus = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{old}/actions"),
            Some(json!({ "action": "explode" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(bogus.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bogus.code(), "invalid_json");

    let verify = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{old}/verify"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(verify.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(verify.code(), "amazon_not_configured");
    let sync = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{old}/sync-runs"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(sync.status, StatusCode::SERVICE_UNAVAILABLE);
    let runs = browser
        .api(
            Method::GET,
            &format!("/api/v1/connections/{old}/sync-runs"),
            None,
            None,
        )
        .await;
    assert_eq!(runs.json(), json!([]));

    let bad = json!({ "seller_id": "B12", "marketplace_id": "A1VC38T7YXB528", "mws_auth_token": "amzn.mws.x" });
    let refused = browser
        .api(Method::POST, "/api/v1/connections", Some(bad), Some(&csrf))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &refused.json()["error"];
    assert_eq!(error["field"], "seller_id");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .starts_with("出品者ID"),
        "{error}"
    );
    let unconfigured = json!({
        "seller_id": "A9B8C7D6E5F4G3",
        "marketplace_id": "A1VC38T7YXB528",
        "mws_auth_token": "amzn.mws.01234567-89ab-cdef-0123-456789abcdef"
    });
    let reply = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(unconfigured),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "no grant is stored unverified"
    );
    assert_eq!(world.app.connections(None).await.unwrap().len(), 1);

    let list = browser
        .api(Method::GET, "/api/v1/connections", None, None)
        .await
        .json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let deleted = browser
        .api(
            Method::DELETE,
            &format!("/api/v1/connections/{old}"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    for path in [
        format!("/api/v1/connections/{old}"),
        "/api/v1/connections/not-a-uuid".to_owned(),
    ] {
        let gone = browser.api(Method::GET, &path, None, None).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn order_endpoints_filter_page_and_show_items() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    world.orders(connection, 25, 1).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;

    let page = browser
        .api(Method::GET, "/api/v1/orders?per_page=10&page=3", None, None)
        .await
        .json();
    assert_eq!(page["total"], 25);
    assert_eq!(page["page"], 3);
    assert_eq!(page["orders"].as_array().unwrap().len(), 5);
    let unshipped = browser
        .api(
            Method::GET,
            "/api/v1/orders?status=Unshipped&per_page=200",
            None,
            None,
        )
        .await
        .json();
    assert_eq!(unshipped["total"], 12);
    assert!(
        unshipped["orders"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["status"] == "Unshipped")
    );
    let afn = browser
        .api(Method::GET, "/api/v1/orders?channel=AFN", None, None)
        .await
        .json();
    assert_eq!(afn["total"], 8);
    let japan = browser
        .api(
            Method::GET,
            "/api/v1/orders?marketplace_id=A1VC38T7YXB528",
            None,
            None,
        )
        .await
        .json();
    assert_eq!(japan["total"], 25);
    let since = (world.app.now() - jiff::SignedDuration::from_mins(270)).to_string();
    let recent = browser
        .api(
            Method::GET,
            &format!("/api/v1/orders?purchased_after={since}"),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(recent["total"], 4);

    for (query, field) in [
        ("marketplace_id=NOPE", "marketplace_id"),
        ("channel=SHIP", "channel"),
        ("purchased_after=yesterday", "purchased_after"),
        ("page=abc", "page"),
    ] {
        let reply = browser
            .api(Method::GET, &format!("/api/v1/orders?{query}"), None, None)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.json()["error"]["field"], field, "{query}");
    }

    let detail = browser
        .api(
            Method::GET,
            &format!("/api/v1/connections/{connection}/orders/503-0000000-0000001"),
            None,
            None,
        )
        .await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let order = detail.json();
    assert_eq!(order["items"][0]["seller_sku"], "SKU-1");
    assert_eq!(order["shipping_address"]["city"], "渋谷区");
    assert_eq!(order["order_total"]["amount"], "1507");
    for missing in ["503-9999999-9999999", "not-an-order"] {
        let reply = browser
            .api(
                Method::GET,
                &format!("/api/v1/connections/{connection}/orders/{missing}"),
                None,
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[tokio::test]
async fn connecting_verifying_and_syncing_against_the_sandbox() {
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
    let (_, _, other_token) = world.sandbox_grant(1).await;

    let wrong = json!({ "seller_id": seller, "marketplace_id": marketplace, "mws_auth_token": other_token });
    let refused = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(wrong),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    assert_eq!(refused.code(), "token_for_another_seller");
    assert_eq!(refused.json()["error"]["field"], "mws_auth_token");
    assert!(
        refused.json()["error"]["message_ja"]
            .as_str()
            .unwrap()
            .contains("何も保存されていません")
    );
    // A Seller ID Amazon does not know: its own code, the field, never Amazon's raw English alone.
    let unknown = json!({ "seller_id": "AZZZZZZZZZZZZZ", "marketplace_id": marketplace, "mws_auth_token": token });
    let refused = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(unknown),
            Some(&csrf),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.code(), "seller_id_not_found", "{}", refused.body);
    assert_eq!(refused.json()["error"]["field"], "seller_id");
    assert!(
        !refused.body.contains("InvalidParameterValue"),
        "{}",
        refused.body
    );
    assert!(
        world.app.connections(None).await.unwrap().is_empty(),
        "nothing stored"
    );

    // Typed with a Japanese IME (full-width, lower case) and the token without amzn.mws.: normalised.
    let wide: String = seller
        .to_lowercase()
        .chars()
        .map(|c| char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap())
        .collect();
    let right = json!({
        "seller_id": format!(" {wide} "),
        "marketplace_id": marketplace.to_lowercase(),
        "mws_auth_token": token.trim_start_matches("amzn.mws."),
    });
    let created = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(right.clone()),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let connection = created.json();
    assert_eq!(connection["status"], "active");
    assert_eq!(connection["seller_id"], seller.as_str(), "{connection}");
    assert!(connection["verified_at"].is_string());
    let id = connection["id"].as_str().unwrap().to_owned();
    let again = browser
        .api(
            Method::POST,
            "/api/v1/connections",
            Some(right),
            Some(&csrf),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "already_connected");

    let verified = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{id}/verify"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.body);
    assert_eq!(verified.json()["outcome"], "verified");

    let synced = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{id}/sync-runs"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(synced.status, StatusCode::OK, "{}", synced.body);
    let report = synced.json();
    assert_eq!(report["outcome"], "completed");
    assert!(report["orders_new"].as_u64().unwrap() > 0, "{report}");
    let runs = browser
        .api(
            Method::GET,
            &format!("/api/v1/connections/{id}/sync-runs?limit=5"),
            None,
            None,
        )
        .await
        .json();
    assert_eq!(runs[0]["outcome"], "ok");
    assert_eq!(runs[0]["id"], report["run"]["id"]);
    let orders = browser
        .api(Method::GET, "/api/v1/orders", None, None)
        .await
        .json();
    assert_eq!(orders["total"], report["orders_new"]);

    world
        .sandbox_control()
        .grant_action(GrantAction::Revoke, &seller, "525964794073")
        .await;
    let denied = browser
        .api(
            Method::POST,
            &format!("/api/v1/connections/{id}/verify"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(denied.json()["outcome"], "access_denied");
    assert_eq!(denied.json()["connection"]["status"], "access_denied");
}

#[tokio::test]
async fn an_oversized_body_is_413_and_long_values_are_not_echoed_in_full() {
    let world = TestApp::new().await;
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let csrf = operator.csrf().await;

    let huge = json!({ "name": "x".repeat(50 * 1024 * 1024) });
    let reply = operator
        .api(Method::POST, "/api/v1/merchants", Some(huge), Some(&csrf))
        .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reply.code(), "too_large");
    assert!(reply.json()["error"]["message_ja"].is_string());

    let long = "f".repeat(1024 * 1024);
    let echoes = [
        (
            Method::POST,
            "/api/v1/merchants".to_owned(),
            Some(json!({ "name": "Ok", "language": long })),
        ),
        (
            Method::POST,
            "/api/v1/notification-channels".to_owned(),
            Some(json!({ "kind": long })),
        ),
        (
            Method::GET,
            format!("/api/v1/orders?channel={}", "f".repeat(10_000)),
            None,
        ),
        (
            Method::GET,
            format!("/api/v1/notifications?status={}", "f".repeat(10_000)),
            None,
        ),
    ];
    for (method, path, body) in echoes {
        let reply = operator.api(method, &path, body, Some(&csrf)).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(
            reply.body.len() < 2_000,
            "{}: {} bytes: {}…",
            &path[..path.len().min(40)],
            reply.body.len(),
            &reply.body[..300]
        );
        assert!(reply.body.contains(&"f".repeat(64)), "the start is shown");
        assert!(reply.body.contains('…'));
    }
}

#[tokio::test]
async fn every_list_refuses_out_of_range_paging_and_unknown_statuses_naming_the_field() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::En,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    world.orders(connection, 3, 1).await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;

    let runs = format!("/api/v1/connections/{connection}/sync-runs");
    let cases = [
        ("/api/v1/orders?page=368934881474191034", "page"),
        ("/api/v1/orders?page=0", "page"),
        ("/api/v1/orders?page=abc", "page"),
        ("/api/v1/orders?per_page=0", "per_page"),
        ("/api/v1/orders?per_page=201", "per_page"),
        ("/api/v1/orders?status=abc", "status"),
        ("/api/v1/orders?status=Unshipped,abc", "status"),
        ("/api/v1/notifications?page=368934881474191034", "page"),
        ("/api/v1/notifications?per_page=0", "per_page"),
        ("/api/v1/notifications?status=abc", "status"),
        (&format!("{runs}?limit=0"), "limit"),
        (&format!("{runs}?limit=101"), "limit"),
        (&format!("{runs}?limit=abc"), "limit"),
    ];
    for (path, field) in cases {
        let reply = browser.api(Method::GET, path, None, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let error = &reply.json()["error"];
        assert_eq!(error["field"], field, "{path}");
        assert!(
            error["message"].as_str().unwrap().contains(field),
            "{path}: {error}"
        );
    }
    let fine = browser
        .api(
            Method::GET,
            "/api/v1/orders?page=1&per_page=200&status=unshipped",
            None,
            None,
        )
        .await;
    assert_eq!(fine.status, StatusCode::OK, "{}", fine.body);

    for path in [
        "/orders?page=368934881474191034",
        "/orders?page=0",
        "/orders?page=abc",
        "/orders?status=abc",
        "/notifications?page=368934881474191034",
        "/notifications?page=abc",
        "/notifications?status=abc",
    ] {
        let page = browser.get(path).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let field = if path.contains("status") {
            "status:"
        } else {
            "page:"
        };
        assert!(page.body.contains(field), "{path}: {}", page.body);
        assert!(
            !page.body.contains("503-0000000-0000001"),
            "{path} shows rows"
        );
    }
}

#[tokio::test]
async fn names_and_skus_refuse_hidden_characters_and_merchant_names_their_look_alikes() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme Foods").await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let csrf = browser.csrf().await;

    for hidden in [
        "Ac\u{202E}me",
        "Ac\u{2066}me\u{2069}",
        "Ac\u{200B}me",
        "\u{FEFF}Acme2",
    ] {
        let reply = browser
            .api(
                Method::POST,
                "/api/v1/merchants",
                Some(json!({ "name": hidden })),
                Some(&csrf),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{hidden:?}");
        let error = &reply.json()["error"];
        assert_eq!(error["field"], "name", "{hidden:?}");
        assert!(error["message"].as_str().unwrap().contains("U+"), "{error}");
    }
    for twin in ["ACME FOODS", "Ａｃｍｅ　Ｆｏｏｄｓ", "acmefoods"] {
        let reply = browser
            .api(
                Method::POST,
                "/api/v1/merchants",
                Some(json!({ "name": twin })),
                Some(&csrf),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{twin}: {}", reply.body);
        assert_eq!(reply.json()["error"]["field"], "name");
    }
    let wide = browser
        .api(
            Method::POST,
            "/api/v1/merchants",
            Some(json!({ "name": "Ｃａｒｇｏ ｶﾌﾞｼｷｶﾞｲｼｬ" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(wide.status, StatusCode::CREATED, "{}", wide.body);
    assert_eq!(
        wide.json()["name"],
        "Cargo カブシキガイシャ",
        "stored in NFKC"
    );
    assert_eq!(world.app.merchants().await.unwrap().len(), 2);

    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let stock = format!("/api/v1/connections/{connection}/stock");
    for sku in ["SKU\u{200B}1", "SKU-\u{202E}1", "SKU\u{2028}1"] {
        let reply = browser
            .api(
                Method::PUT,
                &stock,
                Some(json!({ "levels": [{ "sku": sku, "quantity": 1 }] })),
                Some(&csrf),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{sku:?}: {}",
            reply.body
        );
        assert!(reply.body.contains("U+"), "{sku:?}: {}", reply.body);
    }
}
