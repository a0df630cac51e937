//! "Connect with Amazon" (SP-API): sellerlink's form → Seller Central's consent page → back, connected; then the
//! yearly re-authorization started from Amazon's Manage Your Apps page.

use sellerlink_testkit::Window;

use super::Demo;
use super::journeys::switch_to_english;
use super::steps::{
    connect_with_amazon, connection_cards, dashboard_url, follow_seller_central_link,
    primary_action, sellerlink_sign_in,
};

async fn spapi_journey(journey: &str, english: bool) {
    let demo = Demo::start().await;
    let language = if english { "en" } else { "ja" };
    let mut browser = demo.browser(journey, language, Window::DESKTOP).await;
    let seller = demo.spapi_seller().await;

    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    if english {
        switch_to_english(&mut browser).await;
    }
    let dashboard = dashboard_url(&browser).await;
    browser.wait("connect-spapi").await;
    browser.shot("dashboard-before").await;

    // Our form posts to our own origin, which redirects to Seller Central: the page policy must allow it.
    connect_with_amazon(&mut browser, &seller, true).await;
    let notice = browser.text("notice").await;
    assert!(
        browser.url().await.starts_with(&dashboard),
        "back on the dashboard: {}",
        browser.url().await
    );
    assert!(browser.url().await.contains("notice=connected"), "{notice}");
    let cards = connection_cards(&browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    let (card, status) = cards[0].clone();
    assert_eq!(status, "active", "{cards:?}");
    assert_eq!(browser.text(&format!("api-{card}")).await, "SP-API");
    let credential = browser.text(&format!("credential-{card}")).await;
    assert!(
        credential.starts_with("Atzr|") && credential.contains('…'),
        "only a masked refresh token is shown: {credential}"
    );
    browser.shot("dashboard-connected").await;

    // The seller revokes the app on Manage Your Apps; sellerlink's next check finds the authorization lost and the
    // card asks for 再認可. Its link opens Manage Your Apps → re-authorize → sellerlink's log-in URI → back to
    // Amazon → back to sellerlink, which renews the same connection.
    browser.goto(&format!("{}/apps/manage", demo.sandbox)).await;
    browser.wait("apps").await;
    browser.submit_css("#apps a.revoke").await;
    browser.submit("confirm-submit").await;
    browser.goto(&dashboard).await;
    browser.submit(&format!("verify-{card}")).await;
    browser.wait("notice").await;
    assert_eq!(
        connection_cards(&browser).await,
        vec![(card.clone(), "access_denied".to_owned())]
    );
    assert_eq!(
        primary_action(&browser, &card).await.as_deref(),
        Some("reauthorize")
    );
    assert!(
        !browser.has(&format!("countdown-{card}")).await,
        "no countdown while access is lost"
    );
    browser.shot("dashboard-reauthorize-due").await;
    follow_seller_central_link(&mut browser, &seller, &card).await;
    browser.wait("apps").await;
    browser.shot("manage-your-apps").await;
    browser.submit_css("#apps button.reauthorize").await;
    browser.wait("notice").await;
    assert!(
        browser.url().await.contains("notice=reauthorized"),
        "re-authorized: {}",
        browser.url().await
    );
    let after = connection_cards(&browser).await;
    assert_eq!(after, vec![(card.clone(), "active".to_owned())]);
    browser.shot("dashboard-reauthorized").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_with_amazon_in_japanese() {
    spapi_journey("spapi-connect-ja", false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_with_amazon_in_english() {
    spapi_journey("spapi-connect-en", true).await;
}

/// Every order ID the signed-in user's order API lists, page by page, read in the browser.
async fn listed_order_ids(browser: &sellerlink_testkit::Chromium, web: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        browser
            .goto(&format!("{web}/api/v1/orders?per_page=100&page={page}"))
            .await;
        let body = browser.text_css("body").await;
        let json: serde_json::Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let orders = json["orders"].as_array().expect("a list of orders");
        ids.extend(
            orders
                .iter()
                .map(|order| order["amazon_order_id"].as_str().unwrap().to_owned()),
        );
        if orders.len() < 100 {
            break;
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_seller_through_mws_then_sp_api_is_one_connection_with_each_order_once() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("mws-then-spapi", "ja", Window::DESKTOP).await;
    let seller = demo.spapi_seller().await;
    let values = super::steps::grant_mws_access(&mut browser, &demo, &seller, false).await;
    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    super::steps::paste_into_wizard(&mut browser, &values, false).await;
    let cards = connection_cards(&browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    let card = cards[0].0.clone();
    let orders = format!("{}/orders", demo.web);
    browser
        .reload_until(&orders, "the MWS import", || async {
            browser.has("orders-table").await
        })
        .await;
    let through_mws = listed_order_ids(&browser, &demo.web).await;
    assert!(!through_mws.is_empty());

    // The same seller account through SP-API: the connection moves to the new credential.
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    connect_with_amazon(&mut browser, &seller, false).await;
    let after = connection_cards(&browser).await;
    assert_eq!(
        after.len(),
        1,
        "one connection per seller account: {after:?}"
    );
    assert_eq!(after[0].0, card, "the same connection, moved to SP-API");
    let heading = browser.text(&format!("title-{card}")).await;
    assert!(
        heading.starts_with("SP-API"),
        "the heading names the API: {heading}"
    );
    browser.shot("switched-to-spapi").await;
    browser.submit(&format!("sync-{card}")).await;
    browser.wait("notice").await;
    let mut ids = listed_order_ids(&browser, &demo.web).await;
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "each order once ({heading})");
    assert!(total >= through_mws.len());
    browser.close().await;
}
