//! "Connect with Amazon" (SP-API): the button, Amazon's consent page (the sandbox), the redirect back, and a
//! replayed redirect refused.

use axum::http::StatusCode;
use sellerlink_domain::connection::{Language, Merchant};
use sellerlink_sandbox::RunningSandbox;
use sellerlink_store::Role;
use sellerlink_testkit::{Browser as AmazonBrowser, SellerLogin};

use crate::support::{Browser, Options, Reply, SPAPI_LOGIN, SPAPI_REDIRECT, TestApp};

/// The sandbox's demo seller's Seller Central sign-in.
fn seller_login(sandbox: &RunningSandbox) -> SellerLogin {
    let seller = sandbox.demo_seller();
    SellerLogin::new(seller.email, seller.password)
}

/// The path and query of an absolute URL, to send to the in-process router.
fn path_and_query(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// A world with the sandbox and the demo SP-API app, and the merchant "Acme" with its user `owner@acme.example`.
async fn merchant_with_sandbox(language: Language) -> (TestApp, Merchant) {
    let world = TestApp::with(Options {
        sandbox: true,
        spapi: true,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("Acme").await;
    world
        .user("owner@acme.example", Role::Merchant(merchant.id), language)
        .await;
    (world, merchant)
}

/// Presses "Connect with Amazon" (Amazon.co.jp) on the merchant's dashboard `home`.
async fn press_connect_with_amazon(browser: &mut Browser<'_>, home: &str) -> Reply {
    browser
        .submit(
            home,
            &format!("{home}/connect/amazon"),
            &[("marketplace", "A1VC38T7YXB528")],
        )
        .await
}

#[tokio::test]
async fn connect_with_amazon_comes_back_connected_and_a_replay_is_refused() {
    let (world, merchant) = merchant_with_sandbox(Language::Ja).await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let dashboard = browser.get(&home).await;
    assert!(
        dashboard.body.contains("id=\"connect-spapi\""),
        "the button is shown"
    );

    let started = press_connect_with_amazon(&mut browser, &home).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let consent_url = started.location().to_owned();
    assert!(
        consent_url.starts_with(&sandbox.http_url()),
        "{consent_url}"
    );
    assert!(consent_url.contains("state="));

    let mut amazon = AmazonBrowser::new(sandbox.http_url());
    let back = seller_login(sandbox)
        .consent(&mut amazon, &consent_url)
        .await;
    assert!(back.starts_with(SPAPI_REDIRECT), "{back}");
    let query = url::Url::parse(&back).unwrap().query().unwrap().to_owned();
    let callback = format!("/amazon/callback?{query}");

    let mut stranger = world.browser();
    world
        .user(
            "other@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut stranger = {
        let reply = stranger
            .sign_in("other@acme.example", crate::support::PASSWORD)
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        stranger
    };
    let hijack = stranger.get(&callback).await;
    assert_eq!(
        hijack.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the state belongs to another session"
    );
    assert!(world.app.connections(None).await.unwrap().is_empty());

    let done = browser.get(&callback).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("{home}?notice=connected"));
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].connection.account.api_name(), "sp_api");
    assert!(views[0].connection.verified_at.is_some());
    let page = browser.get(done.location()).await.body;
    assert!(page.contains("LWAリフレッシュトークン"));
    assert!(page.contains("Atzr|…"));
    assert!(page.contains(&format!("id=\"status-{}\">有効<", views[0].connection.id)));

    let replay = browser.get(&callback).await;
    assert_eq!(
        replay.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a state works once"
    );
    assert_eq!(world.app.connections(None).await.unwrap().len(), 1);
    assert!(replay.header("referrer-policy") == "no-referrer");
}

#[tokio::test]
async fn reauthorizing_from_manage_your_apps_through_the_login_uri_renews_the_same_connection() {
    let (world, merchant) = merchant_with_sandbox(Language::En).await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let seller = seller_login(sandbox);
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);

    // Connect once through the button.
    let started = press_connect_with_amazon(&mut browser, &home).await;
    let mut amazon = AmazonBrowser::new(sandbox.http_url());
    let back = seller.consent(&mut amazon, started.location()).await;
    let connected = browser.get(&path_and_query(&back)).await;
    assert_eq!(connected.location(), format!("{home}?notice=connected"));
    let first = world.app.connections(None).await.unwrap();
    assert_eq!(first.len(), 1);
    let id = first[0].connection.id;

    // Seller Central → Manage Your Apps → Re-authorize sends the browser to the app's log-in URI.
    let login_url = seller
        .reauthorize(&mut amazon, &sandbox.demo_app().application_id)
        .await;
    assert!(login_url.starts_with(SPAPI_LOGIN), "{login_url}");
    assert!(login_url.contains("amazon_callback_uri="), "{login_url}");
    assert!(login_url.contains("amazon_state="), "{login_url}");
    let login = path_and_query(&login_url);

    // An operator is not the merchant: the log-in URI asks for the merchant's user and renews nothing.
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let refused = operator.get(&login).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // The merchant's user: sellerlink sends the browser back to Amazon with a state bound to this session.
    let to_amazon = browser.get(&login).await;
    assert_eq!(
        to_amazon.status,
        StatusCode::SEE_OTHER,
        "{}",
        to_amazon.body
    );
    let confirm = to_amazon.location().to_owned();
    assert!(
        confirm.starts_with(&format!("{}/apps/authorize/confirm/", sandbox.http_url())),
        "{confirm}"
    );
    let back = seller.confirm(&mut amazon, &confirm).await;
    assert!(back.starts_with(SPAPI_REDIRECT), "{back}");

    // Back at the redirect URI: the same connection, renewed, not a second one.
    let renewed = browser.get(&path_and_query(&back)).await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
    assert_eq!(renewed.location(), format!("{home}?notice=reauthorized"));
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1, "no second connection");
    assert_eq!(views[0].connection.id, id);
    assert_eq!(views[0].days_until_expiry, Some(365));
    let page = browser.get(renewed.location()).await.body;
    assert!(
        page.contains("access now lasts 365 days from today"),
        "the dashboard says so"
    );

    // The same Amazon answer a second time is refused: its state was used.
    let replay = browser.get(&path_and_query(&back)).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(world.app.connections(None).await.unwrap().len(), 1);
}
