//! The operator's overview and jobs page, a merchant user refused on operator pages, and the key pages on a phone
//! (390 px).

use sellerlink_testkit::{Chromium, Window};

use super::Demo;
use super::steps::{grant_mws_access, paste_into_wizard, sellerlink_sign_in};

/// Signs out through the page's button.
async fn sign_out(browser: &mut Chromium) {
    browser.submit("sign-out").await;
    browser.wait("login-submit").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sees_every_merchant_and_a_merchant_cannot_open_operator_pages() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("operator", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let values = grant_mws_access(&mut browser, &demo, &seller, false).await;
    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    paste_into_wizard(&mut browser, &values, false).await;
    browser.wait("notice").await;

    // A merchant user typing an operator address gets a refusal page, not the overview.
    for path in ["/operator", "/api-keys"] {
        browser.goto(&format!("{}{path}", demo.web)).await;
        assert!(
            !browser.has("state-counts").await && !browser.has("add-merchant").await,
            "a merchant user must not see {path}"
        );
        if path == "/operator" {
            let message = browser.text("error-message").await;
            assert!(!message.is_empty());
            browser.shot("merchant-refused").await;
        }
    }
    sign_out(&mut browser).await;

    // The operator lands on the overview: every merchant's connection by state and urgency.
    sellerlink_sign_in(&mut browser, &demo, &demo.operator).await;
    browser.wait("state-counts").await;
    assert!(
        browser.url().await.ends_with("/operator"),
        "{}",
        browser.url().await
    );
    let health = browser.text("health-table").await;
    assert!(
        health.contains("デモ荷主"),
        "every merchant is listed: {health}"
    );
    browser.shot("operator-overview").await;

    // The jobs page, linked from the overview: the demo's worker sent the due shipment confirmations at its start.
    browser.click("jobs-link").await;
    browser.wait("jobs-table").await;
    let shipments = r#"tr[data-job="shipments"][data-outcome="ok"]"#;
    let row = browser.text_css(shipments).await;
    assert!(
        row.contains("出荷通知の送信") && row.contains("30 秒ごと") && row.contains("成功"),
        "the shipments job's last run: {row}"
    );
    assert!(
        browser
            .text("import-queue")
            .await
            .starts_with("取り込み待ち"),
        "the import queue is shown"
    );
    browser.shot("operator-jobs").await;
    browser.goto(&format!("{}/orders", demo.web)).await;
    browser
        .reload_until(
            &format!("{}/orders", demo.web),
            "the first import",
            || async { browser.has("orders-table").await },
        )
        .await;
    browser.shot("operator-orders").await;
    browser.close().await;
}

/// The page fits a 390 px screen: nothing makes it scroll sideways.
async fn fits_a_phone(browser: &mut Chromium, name: &str) {
    let (layout, content) = browser.widths().await;
    assert!(layout <= 390, "the window is a phone's: {layout}px");
    assert!(
        content <= layout,
        "{name} is {content}px wide on a {layout}px screen"
    );
    browser.shot(name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_dashboard_and_orders_fit_a_phone() {
    let demo = Demo::start().await;
    let seller = demo.mws_seller().await;
    let mut desk = demo.browser("phone-setup", "ja", Window::DESKTOP).await;
    let values = grant_mws_access(&mut desk, &demo, &seller, false).await;
    desk.close().await;

    let mut phone = demo.browser("phone", "ja", Window::PHONE).await;
    phone.goto(&format!("{}/login", demo.web)).await;
    phone.wait("login-submit").await;
    fits_a_phone(&mut phone, "sign-in").await;
    sellerlink_sign_in(&mut phone, &demo, &demo.merchant_user).await;
    paste_into_wizard(&mut phone, &values, false).await;
    phone.wait("notice").await;
    fits_a_phone(&mut phone, "dashboard").await;
    let orders = format!("{}/orders", demo.web);
    phone
        .reload_until(&orders, "the first import", || async {
            phone.has("orders-table").await
        })
        .await;
    fits_a_phone(&mut phone, "orders").await;
    phone.close().await;
}
