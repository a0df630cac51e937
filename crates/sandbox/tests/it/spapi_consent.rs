//! The OAuth consent page over HTTP: sign-in first, the page, Confirm → redirect with `state`,
//! `selling_partner_id` and a single-use 5-minute `spapi_oauth_code`; Cancel; every refusal.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::spapi_support::{
    Browser, Page, REDIRECT, SignInOnTheWay as _, demo_app, query_of, sp_get, token_form,
};
use crate::support::TestSandbox;

fn consent_url(application_id: &str, state: &str, extra: &str) -> String {
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("application_id", application_id)
        .append_pair("state", state)
        .finish();
    format!("/apps/authorize/consent?{query}{extra}")
}

async fn confirm(browser: &mut Browser, page: &Page, decision: &str) -> Page {
    let fields: Vec<(String, String)> =
        ["csrf", "application_id", "state", "redirect_uri", "version"]
            .iter()
            .map(|name| ((*name).to_owned(), page.field(name)))
            .collect();
    let mut form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    form.push(("decision", decision));
    browser.post("/apps/authorize/consent", &form).await
}

async fn exchange(
    sandbox: &TestSandbox,
    client_id: &str,
    secret: &str,
    code: &str,
) -> (StatusCode, Value) {
    let (status, _, body) = token_form(
        sandbox,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    (status, body)
}

#[tokio::test]
async fn website_flow_signs_in_consents_and_redirects_with_a_single_use_code() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, secret) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);
    let state = "st-8f2e/+ x";
    let url = consent_url(&app_id, state, "");

    let first = browser.get(&url).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert!(
        first
            .redirect()
            .starts_with("/ap/signin?return_to=%2Fapps%2Fauthorize%2Fconsent"),
        "{}",
        first.redirect()
    );
    let page = browser
        .open_signed_in(&url, &sandbox.seller.email, &sandbox.seller.password)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(
        page.by_id("app-name").as_deref(),
        Some("shippinno sellerlink")
    );
    assert!(
        page.by_id("consent-intro")
            .unwrap()
            .contains("shippinno sellerlink")
    );
    assert!(page.body.contains("Inventory and Order Tracking"));
    assert!(
        page.by_id("seller-account")
            .unwrap()
            .contains(&sandbox.seller.seller_id)
    );
    assert_eq!(page.headers["cache-control"], "no-store");
    let policy = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        policy.contains("form-action 'self' https://3pl.example.jp;"),
        "{policy}"
    );
    assert_eq!(
        page.field("redirect_uri"),
        REDIRECT,
        "the default is the first registered URI"
    );

    let done = confirm(&mut browser, &page, "confirm").await;
    assert_eq!(done.status, StatusCode::FOUND, "{}", done.body);
    assert_eq!(done.headers["referrer-policy"], "no-referrer");
    let location = done.redirect().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let params = query_of(&location);
    assert_eq!(params["state"], state, "state comes back unchanged");
    assert_eq!(params["selling_partner_id"], sandbox.seller.seller_id);
    let code = params["spapi_oauth_code"].clone();

    let (status, grant) = exchange(&sandbox, &client_id, &secret, &code).await;
    assert_eq!(status, StatusCode::OK, "{grant}");
    let (status, again) = exchange(&sandbox, &client_id, &secret, &code).await;
    assert_eq!(
        (status, again["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_grant"))
    );

    let answer = sp_get(
        &sandbox,
        grant["access_token"].as_str().unwrap(),
        "/sellers/v1/marketplaceParticipations",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);

    // The authorization shows in the control API with its 365 days.
    let list = sandbox
        .control_get(&format!(
            "/_sandbox/authorizations?seller_id={}",
            sandbox.seller.seller_id
        ))
        .await;
    assert_eq!(list[0]["status"], "active");
    assert!(
        list[0]["expires_at"]
            .as_str()
            .unwrap()
            .starts_with("2025-03-01T03:00:00"),
        "{list}"
    );
}

#[tokio::test]
async fn a_code_not_exchanged_within_five_minutes_is_dead() {
    let sandbox = TestSandbox::start().await;
    let (app_id, client_id, secret) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);
    let page = browser
        .open_signed_in(
            &consent_url(&app_id, "s1", ""),
            &sandbox.seller.email,
            &sandbox.seller.password,
        )
        .await;
    let done = confirm(&mut browser, &page, "confirm").await;
    let code = query_of(done.redirect())["spapi_oauth_code"].clone();
    sandbox.advance(301.0).await;
    let (status, body) = exchange(&sandbox, &client_id, &secret, &code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error_description"],
        "The request has an invalid grant parameter : code"
    );
}

#[tokio::test]
async fn cancel_refusals_draft_apps_and_csrf() {
    let sandbox = TestSandbox::start().await;
    let (app_id, _, _) = demo_app(&sandbox).await;
    let mut browser = Browser::new(&sandbox.base);
    let page = browser
        .open_signed_in(
            &consent_url(&app_id, "s1", ""),
            &sandbox.seller.email,
            &sandbox.seller.password,
        )
        .await;

    // Cancel: a page, no redirect, no code.
    let cancelled = confirm(&mut browser, &page, "cancel").await;
    assert_eq!(cancelled.status, StatusCode::OK);
    assert!(cancelled.headers.get("location").is_none());
    assert!(
        cancelled
            .by_id("message")
            .unwrap()
            .contains("何も共有されていません")
    );

    // A forged form (wrong CSRF token) changes nothing.
    let forged = browser
        .post(
            "/apps/authorize/consent",
            &[
                ("csrf", "0000"),
                ("application_id", &app_id),
                ("state", "s"),
                ("decision", "confirm"),
            ],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let refused = |page: &Page, status: StatusCode| {
        assert_eq!(page.status, status, "{}", page.body);
        assert!(page.body.contains("class=\"error\""), "{}", page.body);
    };
    refused(
        &browser.get("/apps/authorize/consent?state=s").await,
        StatusCode::BAD_REQUEST,
    );
    refused(
        &browser
            .get(&consent_url(
                "amzn1.sellerapps.app.00000000-0000-4000-8000-000000000000",
                "s",
                "",
            ))
            .await,
        StatusCode::NOT_FOUND,
    );
    refused(
        &browser
            .get(&format!("/apps/authorize/consent?application_id={app_id}"))
            .await,
        StatusCode::BAD_REQUEST,
    );
    refused(
        &browser
            .get(&consent_url(
                &app_id,
                "s",
                "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb",
            ))
            .await,
        StatusCode::BAD_REQUEST,
    );
    refused(
        &browser
            .get(&consent_url(&app_id, "s", "&version=gamma"))
            .await,
        StatusCode::BAD_REQUEST,
    );

    // A draft app needs version=beta.
    let answer = sandbox
        .control_post(
            "/_sandbox/apps",
            json!({ "name": "Draft 3PL", "redirect_uris": ["http://127.0.0.1:9/cb"] }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let draft: Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(draft["stage"], "draft");
    let draft_id = draft["application_id"].as_str().unwrap();
    let plain = browser.get(&consent_url(draft_id, "s", "&lang=en")).await;
    refused(&plain, StatusCode::BAD_REQUEST);
    assert!(plain.body.contains("version=beta"));
    let beta = browser
        .get(&consent_url(draft_id, "s", "&version=beta"))
        .await;
    assert_eq!(beta.status, StatusCode::OK, "{}", beta.body);
    assert!(beta.by_id("draft-note").is_some());
    assert_eq!(beta.field("version"), "beta");
    let done = confirm(&mut browser, &beta, "confirm").await;
    assert!(
        done.redirect()
            .starts_with("http://127.0.0.1:9/cb?state=s&selling_partner_id=")
    );

    // English, remembered by the language cookie.
    let english = browser.get(&consent_url(&app_id, "s", "")).await;
    assert!(english.body.contains("Authorize application"));
    assert!(english.body.contains("<html lang=\"en\""));
}
