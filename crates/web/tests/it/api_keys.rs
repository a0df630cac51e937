//! API keys: shown once, stored hashed, usable as `Authorization: Bearer`, revocable at once.

use axum::http::{Method, StatusCode};
use sellerlink_domain::connection::Language;
use sellerlink_store::{Role, TokenHash};
use sha2::{Digest as _, Sha256};

use crate::support::TestApp;

fn key_in(html: &str) -> String {
    let marker = "id=\"new-key\">";
    let start = html.find(marker).expect("the new key is shown") + marker.len();
    let end = html[start..].find('<').unwrap() + start;
    html[start..end].to_owned()
}

/// Merchant Acme with its English-speaking user `owner@acme.example` and one connection holding 2 orders.
async fn acme_with_two_orders() -> (TestApp, sellerlink_domain::ids::ConnectionId) {
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
    world.orders(connection, 2, 1).await;
    (world, connection)
}

#[tokio::test]
async fn a_key_is_shown_once_stored_hashed_used_and_revoked() {
    let (world, _connection) = acme_with_two_orders().await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;

    let created = browser
        .submit(
            "/api-keys",
            "/api-keys",
            &[("name", "WMS import"), ("scopes", "orders:read")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.header("cache-control"), "no-store");
    assert!(created.body.contains("This key is shown only now"));
    let key = key_in(&created.body);
    assert!(key.starts_with("sl_") && key.len() == 46, "{key}");

    let again = browser.get("/api-keys").await;
    assert!(!again.body.contains(&key), "the key is never shown again");
    assert!(
        again.body.contains(&key[..8]),
        "its first 8 characters identify it"
    );
    assert!(again.body.contains("WMS import"));

    let digest: [u8; 32] = Sha256::digest(key.as_bytes()).into();
    let stored = world
        .app
        .store()
        .api_key_by_hash(&TokenHash::from_digest(digest))
        .await
        .unwrap()
        .expect("stored by its SHA-256");
    assert_eq!(stored.prefix, key[..8]);
    let file = std::fs::read(&world.db_path).unwrap();
    let wal = std::fs::read(world.db_path.with_extension("db-wal")).unwrap_or_default();
    for bytes in [&file, &wal] {
        assert!(
            !bytes.windows(key.len()).any(|w| w == key.as_bytes()),
            "the key itself is not in the database"
        );
    }

    let used = world
        .api_with_key(Method::GET, "/api/v1/orders", &key, None)
        .await;
    assert_eq!(used.status, StatusCode::OK, "{}", used.body);
    assert_eq!(used.json()["total"], 2);
    let listed = browser
        .api(Method::GET, "/api/v1/api-keys", None, None)
        .await
        .json();
    assert!(listed[0]["last_used"].is_string(), "use is recorded");
    assert_eq!(listed[0]["scopes"], serde_json::json!(["orders:read"]));
    assert!(!listed.to_string().contains(&key));

    let revoked = browser
        .submit("/api-keys", &format!("/api-keys/{}/revoke", stored.id), &[])
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let refused = world
        .api_with_key(Method::GET, "/api/v1/orders", &key, None)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "invalid_api_key");
    assert!(refused.header("www-authenticate").starts_with("Bearer"));
}

#[tokio::test]
async fn keys_through_the_api() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    world.operator().await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let created = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(serde_json::json!({ "name": "ERP", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let body = created.json();
    let key = body["key"].as_str().unwrap().to_owned();
    let id = body["api_key"]["id"].as_str().unwrap().to_owned();
    assert_eq!(body["api_key"]["prefix"], key[..8]);

    let blank = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(serde_json::json!({ "name": "  ", "scopes": ["orders:read"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(blank.json()["error"]["field"], "name");

    for (method, path) in [
        (Method::GET, "/api/v1/api-keys".to_owned()),
        (Method::DELETE, format!("/api/v1/api-keys/{id}")),
    ] {
        let by_key = world.api_with_key(method, &path, &key, None).await;
        assert_eq!(by_key.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(by_key.code(), "session_required");
    }
    let list = browser
        .api(Method::GET, "/api/v1/api-keys", None, None)
        .await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let deleted = browser
        .api(
            Method::DELETE,
            &format!("/api/v1/api-keys/{id}"),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert!(deleted.json()["revoked_at"].is_string());
    let after = world
        .api_with_key(Method::GET, "/api/v1/merchants", &key, None)
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    let missing = browser
        .api(
            Method::DELETE,
            "/api/v1/api-keys/not-a-uuid",
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let refused = operator
        .api(Method::GET, "/api/v1/api-keys", None, None)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::FORBIDDEN,
        "operators have no keys"
    );
    assert_eq!(
        operator.get("/api-keys").await.status,
        StatusCode::FORBIDDEN
    );
    for bad in ["Bearer nope", "Basic abc", "Bearer sl_unknown"] {
        let reply = world
            .send(
                axum::http::Request::get("/api/v1/merchants")
                    .header("authorization", bad)
                    .body(axum::body::Body::empty())
                    .unwrap(),
                "192.0.2.1:1".parse().unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{bad}");
        assert_eq!(reply.code(), "invalid_api_key");
    }
}

#[tokio::test]
async fn a_key_cannot_mint_keys_and_is_held_to_its_scopes() {
    let (world, connection) = acme_with_two_orders().await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let created = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(serde_json::json!({ "name": "Reports", "scopes": ["orders:read"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(
        created.json()["api_key"]["scopes"],
        serde_json::json!(["orders:read"])
    );
    let key = created.json()["key"].as_str().unwrap().to_owned();

    let read = world
        .api_with_key(Method::GET, "/api/v1/orders", &key, None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);

    let minted = world
        .api_with_key(
            Method::POST,
            "/api/v1/api-keys",
            &key,
            Some(serde_json::json!({ "name": "survivor", "scopes": ["orders:read"] })),
        )
        .await;
    assert_eq!(minted.status, StatusCode::FORBIDDEN, "{}", minted.body);
    assert_eq!(minted.code(), "session_required");
    let channel = world
        .api_with_key(
            Method::POST,
            "/api/v1/notification-channels",
            &key,
            Some(serde_json::json!({ "kind": "email", "address": "x@acme.example" })),
        )
        .await;
    assert_eq!(channel.status, StatusCode::FORBIDDEN, "{}", channel.body);
    assert_eq!(channel.code(), "session_required");

    let path = format!("/api/v1/connections/{connection}/stock");
    let stock = world
        .api_with_key(Method::PUT, &path, &key, Some(serde_json::json!({})))
        .await;
    assert_eq!(stock.status, StatusCode::FORBIDDEN, "{}", stock.body);
    assert_eq!(stock.code(), "missing_scope");
    assert!(
        stock.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("stock:write"),
        "{}",
        stock.body
    );
    assert!(
        stock.json()["error"]["message_ja"]
            .as_str()
            .unwrap()
            .contains("stock:write")
    );

    let unknown = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(serde_json::json!({ "name": "x", "scopes": ["everything"] })),
            Some(&csrf),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["error"]["field"], "scopes");

    // The page lets the merchant choose, and shows each key's scopes.
    let made = browser
        .submit(
            "/api-keys",
            "/api-keys",
            &[
                ("name", "Stock sync"),
                ("scopes", "orders:read"),
                ("scopes", "stock:write"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let stock_key = key_in(&made.body);
    let page = browser.get("/api-keys").await;
    assert!(
        page.body
            .contains("name=\"scopes\" value=\"shipments:write\"")
    );
    assert!(page.body.contains("stock:write"), "{}", page.body);
    let allowed = world
        .api_with_key(Method::PUT, &path, &stock_key, Some(serde_json::json!({})))
        .await;
    assert_ne!(allowed.status, StatusCode::FORBIDDEN, "{}", allowed.body);
}
