//! The whole authorization life over HTTP: OAuth through the pages, order import, the 365-day
//! lapse (`invalid_grant`, 403), re-authorization from Manage Your Apps through the app's log-in
//! URI, and access resuming; revocation with its confirm step.

use reqwest::StatusCode;
use serde_json::Value;

use crate::spapi_support::{
    Browser, LOGIN, Page, REDIRECT, SignInOnTheWay as _, access_token, body, demo_app, error_of,
    query_of, sp_get, token_form,
};
use crate::support::TestSandbox;

const DAY: f64 = 86_400.0;

/// Walks the consent page and returns the redirect's query.
async fn consent(
    browser: &mut Browser,
    sandbox: &TestSandbox,
    app_id: &str,
    state: &str,
) -> std::collections::BTreeMap<String, String> {
    let url = format!("/apps/authorize/consent?application_id={app_id}&state={state}");
    let page = browser
        .open_signed_in(&url, &sandbox.seller.email, &sandbox.seller.password)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let done = browser
        .post(
            "/apps/authorize/consent",
            &[
                ("csrf", &page.field("csrf")),
                ("application_id", app_id),
                ("state", state),
                ("redirect_uri", &page.field("redirect_uri")),
                ("version", ""),
                ("decision", "confirm"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    query_of(done.redirect())
}

async fn exchange_code(sandbox: &TestSandbox, client_id: &str, secret: &str, code: &str) -> String {
    let (status, _, grant) = token_form(
        sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{grant}");
    grant["refresh_token"].as_str().unwrap().to_owned()
}

async fn refresh_status(
    sandbox: &TestSandbox,
    client_id: &str,
    secret: &str,
    refresh: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = token_form(
        sandbox,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    (status, body)
}

/// Every order ID searchOrders returns for "updated since the beginning", following pages.
async fn import(sandbox: &TestSandbox, token: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut query = "lastUpdatedAfter=2023-01-01T00:00:00Z&marketplaceIds=A1VC38T7YXB528&includedData=FULFILLMENT,PROCEEDS&maxResultsPerPage=100".to_owned();
    let first = query.clone();
    for _ in 0..20 {
        let answer = sp_get(
            sandbox,
            token,
            &format!("/orders/2026-01-01/orders?{query}"),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let page = body(&answer);
        ids.extend(
            page["orders"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["orderId"].as_str().unwrap().to_owned()),
        );
        match page["pagination"]["nextToken"].as_str() {
            Some(token) => {
                query = format!(
                    "{first}&paginationToken={}",
                    url::form_urlencoded::byte_serialize(token.as_bytes()).collect::<String>()
                );
            }
            None => return ids,
        }
    }
    panic!("searchOrders did not end");
}

async fn rotate(sandbox: &TestSandbox, app_id: &str) -> String {
    let answer = sandbox
        .control_post(
            &format!("/_sandbox/apps/{app_id}/secret/rotate"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let view: Value = serde_json::from_str(&answer.body).unwrap();
    view["client_secret"].as_str().unwrap().to_owned()
}

fn row<'a>(page: &'a Page, app_id: &str) -> &'a str {
    crate::spapi_support::row(page, app_id)
        .unwrap_or_else(|| panic!("no row for {app_id}: {}", page.body))
}

#[tokio::test]
async fn authorization_lapses_after_365_days_and_reauthorization_restores_access() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, secret) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);

    let redirect = consent(&mut browser, &sandbox, &app_id, "first").await;
    assert_eq!(redirect["state"], "first");
    let refresh = exchange_code(&sandbox, &client_id, &secret, &redirect["spapi_oauth_code"]).await;
    let token = access_token(&sandbox, &client_id, &secret, &refresh).await;
    let imported = import(&sandbox, &token).await;
    assert!(imported.len() > 100, "{} orders", imported.len());

    let manage = browser.get("/apps/manage").await;
    assert_eq!(manage.status, StatusCode::OK);
    let r = row(&manage, &app_id);
    assert!(r.contains("data-status=\"active\""), "{r}");
    assert!(r.contains("2024-03-01") && r.contains("2025-03-01"), "{r}");
    assert!(!r.contains("expiry-warning"));

    // The app rotates its client secret before the 180 days are up (else LWA answers
    // invalid_client); the seller's authorization is untouched by that.
    sandbox.advance(170.0 * DAY).await;
    let secret = rotate(&sandbox, &app_id).await;
    assert_eq!(
        refresh_status(&sandbox, &client_id, &secret, &refresh)
            .await
            .0,
        StatusCode::OK
    );

    // 340 days after the consent: 25 days left, Manage Your Apps warns. (Time to rotate again.)
    sandbox.advance(170.0 * DAY).await;
    let secret = rotate(&sandbox, &app_id).await;
    let manage = browser.get("/apps/manage").await;
    let r = row(&manage, &app_id);
    assert!(
        r.contains("expiry-warning") && r.contains("あと25日"),
        "{r}"
    );

    // Half an hour before the lapse an access token is minted; the lapse kills it early.
    sandbox.advance(25.0 * DAY - 1800.0).await;
    let last_token = access_token(&sandbox, &client_id, &secret, &refresh).await;
    sandbox.advance(1800.0).await;
    let (status, body_json) = refresh_status(&sandbox, &client_id, &secret, &refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body_json["error_description"],
        "The request has an invalid grant parameter : refresh_token. User may have revoked or didn't grant the permission."
    );
    let answer = sp_get(
        &sandbox,
        &last_token,
        "/sellers/v1/marketplaceParticipations",
    )
    .await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert_eq!(
        error_of(&answer),
        (
            "Unauthorized".into(),
            "The access token you provided is revoked, malformed or invalid.".into()
        )
    );
    let manage = browser.get("/apps/manage").await;
    assert!(row(&manage, &app_id).contains("data-status=\"expired\""));

    // Re-authorize: Manage Your Apps → the app's log-in URI → back to Amazon → redirect URI.
    let csrf = manage.field("csrf");
    let to_login = browser
        .post(
            "/apps/manage/reauthorize",
            &[("csrf", &csrf), ("application_id", &app_id)],
        )
        .await;
    assert_eq!(to_login.status, StatusCode::FOUND, "{}", to_login.body);
    let login_url = to_login.redirect().to_owned();
    assert!(login_url.starts_with(LOGIN), "{login_url}");
    let login = query_of(&login_url);
    assert_eq!(login["selling_partner_id"], sandbox.seller.seller_id);
    let callback = &login["amazon_callback_uri"];
    assert_eq!(
        callback,
        &format!("{}/apps/authorize/confirm/{app_id}", sandbox.base)
    );
    assert!(!login.contains_key("version"), "the demo app is published");
    // The app signs its user in, then sends the browser back with amazon_state and its own state.
    let back = format!(
        "{callback}?{}",
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("amazon_state", &login["amazon_state"])
            .append_pair("state", "renewal")
            .append_pair("redirect_uri", REDIRECT)
            .finish()
    );
    let to_app = browser.get(&back).await;
    assert_eq!(to_app.status, StatusCode::FOUND, "{}", to_app.body);
    let redirect = query_of(to_app.redirect());
    assert!(to_app.redirect().starts_with(REDIRECT));
    assert_eq!(redirect["state"], "renewal");
    assert_eq!(redirect["selling_partner_id"], sandbox.seller.seller_id);
    let renewed = exchange_code(&sandbox, &client_id, &secret, &redirect["spapi_oauth_code"]).await;
    assert_ne!(renewed, refresh);
    // The amazon_state was single use.
    let again = browser.get(&back).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);

    // Access resumes with the new token; the lapsed one stays dead.
    let token = access_token(&sandbox, &client_id, &secret, &renewed).await;
    assert!(import(&sandbox, &token).await.len() >= imported.len());
    assert_eq!(
        refresh_status(&sandbox, &client_id, &secret, &refresh)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
    let manage = browser.get("/apps/manage").await;
    let r = row(&manage, &app_id);
    assert!(r.contains("data-status=\"active\""), "{r}");
    assert!(r.contains("2025-03-01") && r.contains("2026-03-01"), "{r}");
}

#[tokio::test]
async fn revoking_from_manage_your_apps_ends_access_until_the_seller_consents_again() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, secret) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);
    let redirect = consent(&mut browser, &sandbox, &app_id, "s").await;
    let refresh = exchange_code(&sandbox, &client_id, &secret, &redirect["spapi_oauth_code"]).await;
    let token = access_token(&sandbox, &client_id, &secret, &refresh).await;

    let confirm = browser
        .get(&format!("/apps/manage/revoke?application_id={app_id}"))
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(
        confirm
            .by_id("confirm-question")
            .unwrap()
            .contains("shippinno sellerlink")
    );
    let csrf = confirm.field("csrf");
    // Without confirm=yes it goes back to the question.
    let not_yet = browser
        .post(
            "/apps/manage/revoke",
            &[("csrf", &csrf), ("application_id", &app_id)],
        )
        .await;
    assert_eq!(not_yet.status, StatusCode::SEE_OTHER);
    assert!(not_yet.redirect().starts_with("/apps/manage/revoke?"));
    assert_eq!(
        sp_get(&sandbox, &token, "/sellers/v1/marketplaceParticipations")
            .await
            .status,
        StatusCode::OK
    );
    // A forged form is refused.
    let forged = browser
        .post(
            "/apps/manage/revoke",
            &[
                ("csrf", "x"),
                ("application_id", &app_id),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let done = browser
        .post(
            "/apps/manage/revoke",
            &[
                ("csrf", &csrf),
                ("application_id", &app_id),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let manage = browser.get(done.redirect()).await;
    assert!(manage.by_id("notice").is_some());
    let r = row(&manage, &app_id);
    assert!(
        r.contains("data-status=\"revoked\"") && !r.contains("class=\"button secondary revoke\""),
        "{r}"
    );

    let (status, body_json) = refresh_status(&sandbox, &client_id, &secret, &refresh).await;
    assert_eq!(
        (status, body_json["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );
    let answer = sp_get(&sandbox, &token, "/sellers/v1/marketplaceParticipations").await;
    assert_eq!(answer.status, StatusCode::FORBIDDEN);
    assert!(
        error_of(&answer)
            .1
            .contains("revoked, malformed or invalid")
    );

    // Consenting again opens a new period: a new token works, the revoked one never again.
    let redirect = consent(&mut browser, &sandbox, &app_id, "again").await;
    let renewed = exchange_code(&sandbox, &client_id, &secret, &redirect["spapi_oauth_code"]).await;
    let token = access_token(&sandbox, &client_id, &secret, &renewed).await;
    assert_eq!(
        sp_get(&sandbox, &token, "/sellers/v1/marketplaceParticipations")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        refresh_status(&sandbox, &client_id, &secret, &refresh)
            .await
            .0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn reauthorizing_an_app_without_a_login_uri_or_not_authorized_is_refused() {
    let sandbox = TestSandbox::start().await;
    let (app_id, _, _) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);
    let manage = browser
        .open_signed_in(
            "/apps/manage",
            &sandbox.seller.email,
            &sandbox.seller.password,
        )
        .await;
    assert!(manage.by_id("no-apps").is_some());
    let csrf = manage.field("csrf");
    let refused = browser
        .post(
            "/apps/manage/reauthorize",
            &[("csrf", &csrf), ("application_id", &app_id)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    crate::spapi_support::self_authorize(&sandbox, &sandbox.seller.seller_id).await;
    let cleared = sandbox
        .control_post(
            &format!("/_sandbox/apps/{app_id}"),
            serde_json::json!({ "login_uri": "" }),
        )
        .await;
    assert_eq!(cleared.status, StatusCode::OK);
    let refused = browser
        .post(
            "/apps/manage/reauthorize",
            &[("csrf", &csrf), ("application_id", &app_id)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.body.contains("ログイン URI"));
    // A made-up amazon_state is refused on the continuation.
    let forged = browser
        .get(&format!(
            "/apps/authorize/confirm/{app_id}?amazon_state=NOPE&state=s"
        ))
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
}
