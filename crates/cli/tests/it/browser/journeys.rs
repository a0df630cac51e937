//! The MWS onboarding journey, as the merchant guide goes: Seller Central's pages, then sellerlink's wizard.

use sellerlink_testkit::{Chromium, Window};

use super::Demo;
use super::steps::{
    assert_proportional_font, connection_cards, grant_mws_access, paste_into_wizard,
    sellerlink_sign_in,
};

/// Switches sellerlink's pages to English with the language button and waits for the English page.
pub async fn switch_to_english(browser: &mut Chromium) {
    browser.click("lang-switch").await;
    browser.wait_css("html[lang='en'] h1").await;
}

/// Grants access in Seller Central, pastes the values into the wizard, and checks the connection is verified and
/// active with only the masked token shown, then that orders arrive and open.
async fn mws_journey(journey: &str, english: bool) {
    let demo = Demo::start().await;
    let language = if english { "en" } else { "ja" };
    let mut browser = demo.browser(journey, language, Window::DESKTOP).await;
    let seller = demo.mws_seller().await;

    let values = grant_mws_access(&mut browser, &demo, &seller, true).await;

    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    browser.wait("no-connections").await;
    if english {
        switch_to_english(&mut browser).await;
    }
    browser.shot("dashboard-before").await;
    let link = browser
        .attr("connect-mws", "href")
        .await
        .unwrap_or_default();
    assert!(link.ends_with("/connect"), "{link}");
    paste_into_wizard(&mut browser, &values, true).await;

    let notice = browser.text("notice").await;
    let expected = if english {
        "is connected"
    } else {
        "接続しました"
    };
    assert!(notice.contains(expected), "{notice}");
    let cards = connection_cards(&browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    let (card, status) = &cards[0];
    assert_eq!(status, "active", "{cards:?}");
    assert_eq!(browser.text(&format!("api-{card}")).await, "MWS");
    let badge = browser.text(&format!("status-{card}")).await;
    assert_eq!(badge, if english { "Active" } else { "有効" });
    let masked = browser.text(&format!("credential-{card}")).await;
    assert_eq!(
        masked,
        format!("amzn.mws.…{}", &values.token[values.token.len() - 6..]),
        "only the masked token is shown"
    );
    let page = browser.client().source().await.expect("the page source");
    assert!(
        !page.contains(&values.token),
        "the MWS Auth Token is not in the page"
    );
    assert_proportional_font(&browser).await;
    browser.shot("dashboard-connected").await;

    // The orders arrive without anyone pressing "sync" (the import starts when the connection is verified).
    let orders = format!("{}/orders", demo.web);
    browser
        .reload_until(&orders, "the first import", || async {
            browser.has("orders-table").await
        })
        .await;
    browser.shot("orders").await;
    // The warehouse works by 出荷期限: its header sorts the list earliest first.
    browser.submit_css("#sort-ship-by").await;
    browser
        .wait_css("#orders-table th[aria-sort='ascending'] #sort-ship-by")
        .await;
    // The sort control follows the header.
    browser
        .wait_css("#sort option[value='ship_by'][selected]")
        .await;
    browser.shot("orders-by-ship-by").await;
    browser.submit_css("#orders-table tbody a").await;
    browser.wait("items-table").await;
    browser.shot("order-detail").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_wizard_in_japanese() {
    mws_journey("mws-wizard-ja", false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_wizard_in_english() {
    mws_journey("mws-wizard-en", true).await;
}

/// A Seller ID mistyped into the wizard: Amazon's refusal comes back at the Seller ID field in the merchant's
/// language with every value kept (the token too), and the Seller ID typed again with a Japanese IME (full-width,
/// lower case) connects.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_wizard_mistyped_seller_id_is_explained_at_the_field() {
    let demo = Demo::start().await;
    let mut browser = demo
        .browser("mws-wizard-mistyped-seller-id", "ja", Window::DESKTOP)
        .await;
    let seller = demo.mws_seller().await;
    let values = grant_mws_access(&mut browser, &demo, &seller, false).await;
    sellerlink_sign_in(&mut browser, &demo, &demo.merchant_user).await;
    browser.wait("no-connections").await;

    let mistyped = "AZZZZZZZZZZZZZ";
    assert_ne!(values.seller_id, mistyped);
    let typo = super::steps::GrantValues {
        seller_id: mistyped.to_owned(),
        ..values.clone()
    };
    paste_into_wizard(&mut browser, &typo, false).await;
    let message = browser.text("seller_id-error").await;
    assert!(
        message.contains("出品者ID AZZZZZZZZZZZZZ のアカウントはAmazonにありません"),
        "{message}"
    );
    assert!(!message.contains("Invalid seller id"), "{message}");
    assert!(
        browser
            .text("wizard-error")
            .await
            .contains("下の入力欄に表示したメッセージ")
    );
    assert!(!browser.has("mws_auth_token-error").await);
    assert_eq!(
        browser.attr("seller_id", "aria-invalid").await.as_deref(),
        Some("true")
    );
    for (field, kept) in [
        ("seller_id", mistyped),
        ("marketplace_id", values.marketplace_id.as_str()),
        ("mws_auth_token", values.token.as_str()),
    ] {
        assert_eq!(
            browser.attr(field, "value").await.as_deref(),
            Some(kept),
            "{field} is kept"
        );
    }
    browser
        .client()
        .execute(
            "document.getElementById('grant-form').scrollIntoView();",
            vec![],
        )
        .await
        .expect("scroll to the form");
    browser.shot("wizard-seller-id-refused").await;

    // Typed again with a Japanese IME: full-width and lower case. The token stayed in its field.
    let wide: String = values
        .seller_id
        .to_lowercase()
        .chars()
        .map(|c| char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap_or(c))
        .collect();
    browser.type_into("seller_id", &wide).await;
    browser.submit("grant-submit").await;
    let notice = browser.text("notice").await;
    assert!(notice.contains("接続しました"), "{notice}");
    let cards = connection_cards(&browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    assert_eq!(cards[0].1, "active", "{cards:?}");
    browser.shot("dashboard-connected").await;
    browser.close().await;
}
