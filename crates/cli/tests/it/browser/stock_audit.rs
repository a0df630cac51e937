//! The stock and history pages of a connection, opened from its card on the dashboard: a warehouse system sets two
//! quantities through the API (with a key made on the API keys page), the worker pushes them to the sandbox's
//! Amazon (one accepted, one refused for a SKU not in the catalog), the merchant approves access on the card, and
//! both pages show it all, filtered, in Japanese and English.

use sellerlink_testkit::{Chromium, Window};
use serde_json::json;

use super::Demo;
use super::journeys::switch_to_english;
use super::steps::{connection_cards, grant_mws_access, paste_into_wizard, sellerlink_sign_in};

/// A SKU no catalog of the sandbox holds.
const UNKNOWN_SKU: &str = "H7-NOT-IN-CATALOG";

/// Moves the demo's clock one day forward with the bar on the dashboard; the worker's due jobs (stock pushes and
/// feed checks among them) run before the page comes back.
async fn next_day(browser: &mut Chromium, demo: &Demo) {
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    browser.type_into("demo-advance-days", "1").await;
    browser.submit("demo-advance-submit").await;
}

/// The `data-state` of the stock row of `sku` now, if the row is on the page.
async fn state_of(browser: &Chromium, sku: &str) -> Option<String> {
    let css = format!("tr[data-sku='{sku}']");
    if !browser.has_css(&css).await {
        return None;
    }
    browser
        .wait_css(&css)
        .await
        .attr("data-state")
        .await
        .expect("an attribute")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stock_and_history_pages_open_from_the_connection_card() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("stock-history", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let values = grant_mws_access(&mut browser, &demo, &seller, false).await;
    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    paste_into_wizard(&mut browser, &values, false).await;
    let cards = connection_cards(&browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    let card = cards[0].0.clone();

    // A SKU of the seller's catalog, read off an imported order.
    let orders = format!("{}/orders", demo.web);
    browser
        .reload_until(&orders, "the first import", || async {
            browser.has("orders-table").await
        })
        .await;
    browser.submit_css("#orders-table tbody a").await;
    let sku = browser.text_css("#items-table tbody td").await;
    assert!(!sku.is_empty() && sku != "—", "{sku:?}");

    // The warehouse system's key, made on the API keys page, sets two quantities.
    browser.goto(&format!("{}/api-keys", demo.web)).await;
    browser.type_into("key-name", "倉庫システム").await;
    browser
        .click_css("input[name='scopes'][value='stock:write']")
        .await;
    browser
        .submit_css("#create-key button[type='submit']")
        .await;
    let key = browser.text("new-key").await;
    let response = reqwest::Client::new()
        .put(format!("{}/api/v1/connections/{card}/stock", demo.web))
        .bearer_auth(&key)
        .json(&json!({ "levels": [
            { "sku": sku, "quantity": 12 },
            { "sku": UNKNOWN_SKU, "quantity": 3 },
        ]}))
        .send()
        .await
        .expect("sellerlink answers");
    let status = response.status();
    assert!(
        status.is_success(),
        "{status}: {}",
        response.text().await.unwrap_or_default()
    );

    // The stock page, from the card: both SKUs, waiting to be sent (or already sent, if the worker's minute came).
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    browser.submit(&format!("stock-{card}")).await;
    browser.wait("stock-table").await;
    for listed in [sku.as_str(), UNKNOWN_SKU] {
        let state = state_of(&browser, listed).await;
        assert!(
            matches!(state.as_deref(), Some("pending" | "submitted")),
            "{listed}: {state:?}"
        );
    }
    let stock_page = browser.url().await;
    browser.shot("stock-waiting").await;

    // The worker pushes them (an MWS inventory feed) and, a day later, reads Amazon's processing report.
    for _ in 0..2 {
        next_day(&mut browser, &demo).await;
    }
    // A lifecycle action: two days after the grant the merchant approved access in Seller Central, and records it
    // on the card.
    // Long before the expiry, approving is a secondary action folded away on the card.
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    browser
        .click_css(&format!("#renew-early-{card} summary"))
        .await;
    browser.submit(&format!("renew-submit-{card}")).await;
    browser.wait("notice").await;
    browser
        .reload_until(&stock_page, "Amazon's answer for both SKUs", || async {
            state_of(&browser, &sku).await.as_deref() == Some("pushed")
                && state_of(&browser, UNKNOWN_SKU).await.as_deref() == Some("rejected")
        })
        .await;
    let accepted = browser.text_css(&format!("tr[data-sku='{sku}']")).await;
    assert!(accepted.contains("Amazon に反映済み"), "{accepted}");
    assert!(
        accepted.contains("12（"),
        "what Amazon accepted and when: {accepted}"
    );
    let refused = browser
        .text_css(&format!("tr[data-sku='{UNKNOWN_SKU}']"))
        .await;
    assert!(refused.contains("Amazon が拒否"), "{refused}");
    assert!(refused.contains("拒否の理由"), "{refused}");
    browser.shot("stock-answered").await;

    // Filtered by state.
    browser.click_css("#state option[value='rejected']").await;
    browser.submit("stock-filter-submit").await;
    browser.wait("stock-table").await;
    assert_eq!(
        browser.texts_css("#stock-table tbody tr").await.len(),
        1,
        "only the refused SKU"
    );
    browser.shot("stock-refused-only").await;

    // The history page, from the stock page: the approval with who did it and the dates it changed.
    browser.submit("audit-link").await;
    browser.wait("audit-table").await;
    let actions = browser
        .texts_css("#audit-table tbody tr td:nth-child(2)")
        .await;
    assert_eq!(
        actions.first().map(String::as_str),
        Some("承認（更新）"),
        "newest first: {actions:?}"
    );
    assert!(
        actions.iter().any(|a| a == "接続（アクセス権の付与）"),
        "{actions:?}"
    );
    let approval = browser.text_css("#audit-table tbody tr").await;
    assert!(approval.contains(&demo.merchant_user.0), "who: {approval}");
    assert!(approval.contains("有効期限"), "what changed: {approval}");
    let page = browser.client().source().await.expect("the page source");
    assert!(
        !page.contains(&values.token),
        "the MWS Auth Token is not shown"
    );
    browser.shot("history").await;

    // Filtered by action, then in English.
    browser.click_css("#action option[value='renewed']").await;
    browser.submit("audit-filter-submit").await;
    browser.wait("audit-table").await;
    assert_eq!(
        browser.texts_css("#audit-table tbody tr").await.len(),
        1,
        "only the approval"
    );
    switch_to_english(&mut browser).await;
    browser.wait("audit-table").await;
    let english = browser.text_css("#audit-table tbody tr").await;
    assert!(english.contains("Approved (renewed)"), "{english}");
    assert!(english.contains("Expires on"), "{english}");
    browser.shot("history-en").await;
    browser.close().await;
}
