//! The LWA token endpoint: both grants with form, JSON and HTTP Basic bodies, and every error
//! with Amazon's JSON; client secrets' 180 days and rotation.

use base64::Engine as _;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::spapi_support::{REDIRECT, demo_app, token_form};
use crate::support::TestSandbox;

/// Form fields, then the expected status, `error` and `error_description`.
type ErrorCase<'a> = (Vec<(&'a str, &'a str)>, StatusCode, &'a str, &'a str);

async fn code_for(sandbox: &TestSandbox, redirect: &str) -> String {
    let answer = sandbox
        .control_post(
            "/_sandbox/authorizations/code",
            json!({ "seller_id": sandbox.seller.seller_id, "redirect_uri": redirect }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let view: Value = serde_json::from_str(&answer.body).unwrap();
    view["spapi_oauth_code"].as_str().unwrap().to_owned()
}

fn assert_error(
    status: StatusCode,
    body: &Value,
    expect_status: StatusCode,
    error: &str,
    description: &str,
) {
    assert_eq!(status, expect_status, "{body}");
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_description"], description, "{body}");
}

#[tokio::test]
async fn authorization_code_grant_then_refresh_in_form_json_and_basic() {
    let sandbox = TestSandbox::start().await;
    let (_, client_id, secret) = demo_app(&sandbox).await;
    let code = code_for(&sandbox, REDIRECT).await;
    let (status, headers, grant) = token_form(
        &sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{grant}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["pragma"], "no-cache");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(headers.contains_key("x-amzn-requestid"));
    assert_eq!(grant["token_type"], "bearer");
    assert_eq!(grant["expires_in"], 3600);
    assert!(grant["access_token"].as_str().unwrap().starts_with("Atza|"));
    let refresh = grant["refresh_token"].as_str().unwrap().to_owned();
    assert!(refresh.starts_with("Atzr|"));

    // The same code again: single use.
    let (status, _, body) = token_form(
        &sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "The request has an invalid grant parameter : code",
    );

    // JSON body (Amazon's Java SDK): refresh grant echoes the refresh token.
    let response = sandbox
        .client
        .post(format!("{}/auth/o2/token", sandbox.base))
        .json(&json!({
            "grant_type": "refresh_token",
            "refresh_token": refresh,
            "client_id": client_id,
            "client_secret": secret,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let refreshed: Value = response.json().await.unwrap();
    assert_eq!(refreshed["refresh_token"], refresh.as_str());
    assert_ne!(refreshed["access_token"], grant["access_token"]);

    // HTTP Basic client authentication.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let response = sandbox
        .client
        .post(format!("{}/auth/o2/token", sandbox.base))
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "refresh_token"), ("refresh_token", &refresh)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    // Basic and body credentials together are refused.
    let response = sandbox
        .client
        .post(format!("{}/auth/o2/token", sandbox.base))
        .header("authorization", format!("Basic {basic}"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", &refresh),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn codes_are_bound_to_the_redirect_uri_and_live_five_minutes() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, secret) = demo_app(&sandbox).await;
    let second = "https://3pl.example.jp/amazon/other";
    let answer = sandbox
        .control_post(
            &format!("/_sandbox/apps/{app_id}"),
            json!({ "add_redirect_uris": [second] }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK);
    let sb = &sandbox;
    let exchange = |code: String, redirect: &'static str| {
        let (client_id, secret) = (client_id.clone(), secret.clone());
        async move {
            token_form(
                sb,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("client_id", &client_id),
                    ("client_secret", &secret),
                ],
            )
            .await
        }
    };
    let code = code_for(&sandbox, REDIRECT).await;
    let (status, _, body) = exchange(code.clone(), second).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "The request has an invalid grant parameter : code",
    );

    let code = code_for(&sandbox, REDIRECT).await;
    sandbox.advance(299.0).await;
    let (status, _, _) = exchange(code, REDIRECT).await;
    assert_eq!(status, StatusCode::OK, "4 min 59 s is still in time");

    let code = code_for(&sandbox, REDIRECT).await;
    sandbox.advance(300.0).await;
    let (status, _, body) = exchange(code, REDIRECT).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
        "The request has an invalid grant parameter : code",
    );

    let (status, _, body) = exchange("ANnotacodeatall00000".into(), REDIRECT).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn request_errors_follow_lwa() {
    let sandbox = TestSandbox::start().await;
    let (_, client_id, secret) = demo_app(&sandbox).await;
    let cases: Vec<ErrorCase<'_>> = vec![
        (
            vec![("client_id", &client_id), ("client_secret", &secret)],
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter : grant_type",
        ),
        (
            vec![
                ("grant_type", "password"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter : refresh_token",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter : code",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "Atzr|x"),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request is missing a required parameter : client_id",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "Atzr|x"),
                ("client_id", &client_id),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "The request has a duplicated parameter : client_id",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "Atzr|x"),
                ("client_id", &client_id),
                ("client_secret", "amzn1.oa2-cs.v1.wrong"),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "Atzr|x"),
                ("client_id", "amzn1.application-oa2-client.00"),
                ("client_secret", &secret),
            ],
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("refresh_token", "Atzr|IwEBIunknown"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission.",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("scope", "sellingpartnerapi::everything"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            StatusCode::BAD_REQUEST,
            "invalid_scope",
            "An unknown scope was requested",
        ),
    ];
    for (pairs, status_expected, error, description) in cases {
        let (status, headers, body) = token_form(&sandbox, &pairs).await;
        assert_error(status, &body, status_expected, error, description);
        assert_eq!(headers["cache-control"], "no-store");
    }
    // A grantless token works at LWA but opens no seller's data.
    let (status, _, body) = token_form(
        &sandbox,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "sellingpartnerapi::notifications"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.get("refresh_token").is_none());
    let answer = crate::spapi_support::sp_get(
        &sandbox,
        body["access_token"].as_str().unwrap(),
        "/sellers/v1/marketplaceParticipations",
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    // A body that is neither form nor JSON.
    let response = sandbox
        .client
        .post(format!("{}/auth/o2/token", sandbox.base))
        .header("content-type", "text/xml")
        .body("<x/>")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn client_secrets_expire_after_180_days_and_rotation_keeps_a_week_of_grace() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, old_secret) = demo_app(&sandbox).await;
    let refresh = crate::spapi_support::self_authorize(&sandbox, &sandbox.seller.seller_id).await;
    let sb = &sandbox;
    let refresh_with = |secret: String| {
        let (client_id, refresh) = (client_id.clone(), refresh.clone());
        async move {
            token_form(
                sb,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &refresh),
                    ("client_id", &client_id),
                    ("client_secret", &secret),
                ],
            )
            .await
        }
    };
    let rotated: Value = serde_json::from_str(
        &sandbox
            .control_post(&format!("/_sandbox/apps/{app_id}/secret/rotate"), json!({}))
            .await
            .body,
    )
    .unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, old_secret);
    assert_eq!(
        refresh_with(old_secret.clone()).await.0,
        StatusCode::OK,
        "grace period"
    );
    assert_eq!(refresh_with(new_secret.clone()).await.0, StatusCode::OK);
    sandbox.advance(7.0 * 86_400.0).await;
    let (status, _, body) = refresh_with(old_secret).await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Client authentication failed",
    );
    assert_eq!(refresh_with(new_secret.clone()).await.0, StatusCode::OK);
    // 180 days after the rotation the new secret has expired too (the refresh token has not).
    sandbox.advance(173.0 * 86_400.0).await;
    let (status, _, body) = refresh_with(new_secret).await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
        "Client authentication failed",
    );
    let rotated: Value = serde_json::from_str(
        &sandbox
            .control_post(&format!("/_sandbox/apps/{app_id}/secret/rotate"), json!({}))
            .await
            .body,
    )
    .unwrap();
    let (status, _, _) = refresh_with(rotated["client_secret"].as_str().unwrap().to_owned()).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "rotation does not touch refresh tokens"
    );
    // The expire helper ends every secret at once.
    let answer = sandbox
        .control_post(&format!("/_sandbox/apps/{app_id}/secret/expire"), json!({}))
        .await;
    let view: Value = serde_json::from_str(&answer.body).unwrap();
    assert!(
        view["secrets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["valid"] == false)
    );
}
