//! A connection's year, in the browser: renew (R2), restore after expiry (R3), enable expiry (R4/R5), an existing
//! grant entered with Seller Central's dates, revoke → grant again → replace the token, remove, and the demo's clock
//! moving a year forward with the reminders and alerts it brings. After each Seller Central action, sellerlink's
//! dates must equal what Seller Central's permissions page shows.

use std::time::Duration;

use sellerlink_testkit::{Chromium, Window};
use serde_json::json;

use super::steps::{
    GrantValues, connection_cards, follow_seller_central_link, grant_mws_access,
    open_seller_central, paste_into_wizard, primary_action, sellerlink_sign_in,
};
use super::{Demo, DemoSeller};

/// The first `YYYY-MM-DD` in `text`.
fn iso_date(text: &str) -> String {
    text.char_indices()
        .filter_map(|(start, _)| text.get(start..start + 10))
        .find(|window| {
            window.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            })
        })
        .unwrap_or_else(|| panic!("no YYYY-MM-DD date in {text:?}"))
        .to_owned()
}

/// Seller Central's row for the demo developer: `(granted day, last approved, expiry)`, each `YYYY-MM-DD`
/// (`None` for the expiry when the feature is off).
async fn seller_central_dates(
    browser: &mut Chromium,
    demo: &Demo,
) -> (String, String, Option<String>) {
    browser
        .goto(&format!("{}/gp/account-manager/home.html", demo.sandbox))
        .await;
    let row = format!("#grant-{}", demo.developer_id_dashed.replace('-', ""));
    let granted = browser.text_css(&format!("{row} .granted-at")).await;
    let approved = browser.text_css(&format!("{row} .last-approved")).await;
    let expiry = browser.text_css(&format!("{row} .expiry")).await;
    let expiry = expiry
        .bytes()
        .any(|b| b.is_ascii_digit())
        .then(|| iso_date(&expiry));
    (iso_date(&granted), iso_date(&approved), expiry)
}

/// sellerlink's card for `card`: `(granted day, last approved, expiry)` like [`seller_central_dates`]. The card
/// writes them as Seller Central does (`2018年4月17日`), each with its ISO day in `data-iso`.
async fn sellerlink_dates(browser: &Chromium, card: &str) -> (String, String, Option<String>) {
    let day = |id: String| async move {
        let written = browser.text(&id).await;
        let iso = browser.attr(&id, "data-iso").await;
        if let Some(iso) = &iso {
            let (year, _) = iso.split_once('-').expect("an ISO day");
            assert!(written.contains(year), "{id} shows {written:?} for {iso}");
            assert!(
                !written.contains(iso.as_str()),
                "{id} is written as Seller Central writes it: {written:?}"
            );
        }
        iso
    };
    let granted = day(format!("granted-{card}")).await.expect("a grant day");
    let approved = day(format!("last-approved-{card}"))
        .await
        .expect("an approval day");
    let expiry = day(format!("expires-{card}")).await;
    (granted, approved, expiry)
}

/// The card's primary action is `action`: follow its link to Seller Central and click the row's `action` button
/// there (`approve` or `restore`), as the card's steps say.
async fn primary_action_in_seller_central(
    browser: &mut Chromium,
    demo: &Demo,
    seller: &DemoSeller,
    card: &str,
    action: &str,
) {
    the_card(browser, demo).await;
    assert_eq!(
        primary_action(browser, card).await.as_deref(),
        Some(action),
        "the card's one primary action"
    );
    follow_seller_central_link(browser, seller, card).await;
    let row = format!("#grant-{}", demo.developer_id_dashed.replace('-', ""));
    browser
        .submit_css(&format!(
            "{row} form[action='/gp/mws/permissions/{action}.html'] button"
        ))
        .await;
    let notice = browser.wait_css("#notice.notice").await;
    assert!(!notice.text().await.unwrap_or_default().is_empty());
}

/// Moves the demo's clock (sellerlink's and the sandbox's) forward by `days` with the bar on its pages.
async fn advance_demo_clock(browser: &mut Chromium, demo: &Demo, days: u32) {
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    let before = browser.text("demo-clock-date").await;
    browser
        .type_into("demo-advance-days", &days.to_string())
        .await;
    browser.submit("demo-advance-submit").await;
    let after = browser.text("demo-clock-date").await;
    assert_ne!(before, after, "the demo's date moved");
}

/// Waits until the card's last import is shown as completed (`badge-ok`).
async fn wait_for_first_import(browser: &mut Chromium, demo: &Demo, card: &str) {
    let url = format!("{}/dashboard", demo.web);
    let mut seen = String::new();
    for _ in 0..120 {
        browser.goto(&url).await;
        let badges = browser
            .client()
            .find_all(fantoccini::Locator::Css(&format!(
                "#last-sync-{card} .badge"
            )))
            .await
            .expect("find");
        if let Some(badge) = badges.first() {
            seen = badge
                .attr("class")
                .await
                .expect("class")
                .unwrap_or_default();
            if seen.contains("badge-ok") {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    // The card's last run with its error, as the merchant reads it.
    let card_text = browser.text_css(&format!("#connection-{card}")).await;
    panic!("the first import did not complete: last badge {seen:?}\n{card_text}");
}

/// Opens the merchant's dashboard and returns its only connection card's id and status.
async fn the_card(browser: &mut Chromium, demo: &Demo) -> (String, String) {
    browser.goto(&format!("{}/dashboard", demo.web)).await;
    let cards = connection_cards(browser).await;
    assert_eq!(cards.len(), 1, "{cards:?}");
    cards[0].clone()
}

/// Waits until the card shows `status` (the demo's worker acts on its own schedule after the clock moves).
async fn wait_for_status(browser: &mut Chromium, demo: &Demo, status: &str) -> String {
    let url = format!("{}/dashboard", demo.web);
    let mut seen = String::new();
    for _ in 0..120 {
        browser.goto(&url).await;
        let cards = connection_cards(browser).await;
        if let Some((card, now)) = cards.first() {
            if now == status {
                return card.clone();
            }
            seen = now.clone();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("the connection did not become {status}; it is {seen}");
}

/// Seller Central → grant; sellerlink → wizard; the connected card's id.
async fn connect_through_the_wizard(
    browser: &mut Chromium,
    demo: &Demo,
    seller: &DemoSeller,
) -> (String, GrantValues) {
    let values = grant_mws_access(browser, demo, seller, false).await;
    sellerlink_sign_in(browser, demo, &demo.merchant_user).await;
    paste_into_wizard(browser, &values, false).await;
    let (card, status) = the_card(browser, demo).await;
    assert_eq!(status, "active");
    (card, values)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn renew_restore_and_enable_expiry_keep_sellerlinks_dates_equal_to_seller_centrals() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("renew-restore", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let (card, _) = connect_through_the_wizard(&mut browser, &demo, &seller).await;
    assert_eq!(
        seller_central_dates(&mut browser, &demo).await,
        {
            the_card(&mut browser, &demo).await;
            sellerlink_dates(&browser, &card).await
        },
        "a grant made today"
    );

    // R2: 340 days later the card asks for 承認: its link opens Seller Central's User Permissions, where the
    // merchant approves access; back in sellerlink the same card records it.
    advance_demo_clock(&mut browser, &demo, 340).await;
    wait_for_status(&mut browser, &demo, "expiring_soon").await;
    browser.shot("sellerlink-approve-due").await;
    primary_action_in_seller_central(&mut browser, &demo, &seller, &card, "approve").await;
    browser.shot("seller-central-approved").await;
    let amazon = seller_central_dates(&mut browser, &demo).await;
    the_card(&mut browser, &demo).await;
    browser.submit(&format!("renew-submit-{card}")).await;
    browser.wait("notice").await;
    browser.shot("sellerlink-renewed").await;
    assert_eq!(sellerlink_dates(&browser, &card).await, amazon, "after R2");

    // R3: past the expiry the connection lapses; the merchant restores it in Seller Central, then in sellerlink.
    advance_demo_clock(&mut browser, &demo, 370).await;
    wait_for_status(&mut browser, &demo, "expired").await;
    browser.shot("sellerlink-expired").await;
    primary_action_in_seller_central(&mut browser, &demo, &seller, &card, "restore").await;
    let amazon = seller_central_dates(&mut browser, &demo).await;
    the_card(&mut browser, &demo).await;
    browser.submit(&format!("restore-submit-{card}")).await;
    browser.wait("notice").await;
    browser.shot("sellerlink-restored").await;
    assert_eq!(sellerlink_dates(&browser, &card).await, amazon, "after R3");
    assert_eq!(the_card(&mut browser, &demo).await.1, "active");
    browser.close().await;
}

/// A grant made months ago, perhaps with the expiry feature off: the merchant reads its dates off Seller Central's
/// permissions page and its values off "表示", and types both into the wizard.
async fn enter_an_existing_grant(
    browser: &mut Chromium,
    demo: &Demo,
    seller: &DemoSeller,
    granted_days_ago: u32,
    expiry_enabled: bool,
) -> String {
    // Amazon-side history the journey is not about: a grant made `granted_days_ago` days ago.
    let now: jiff::Timestamp = demo.control.clock().await.now.parse().unwrap();
    let granted_at = now - jiff::SignedDuration::from_hours(24 * i64::from(granted_days_ago));
    let developer_id = demo.developer_id_dashed.replace('-', "");
    demo.control
        .grant_with(
            &seller.seller_id,
            &developer_id,
            json!({ "granted_at": granted_at.to_string(), "expiry_enabled": expiry_enabled }),
        )
        .await;

    open_seller_central(browser, demo, seller, false).await;
    let (granted, approved, expiry) = seller_central_dates(browser, demo).await;
    browser.shot("seller-central-existing-grant").await;
    browser
        .goto(&format!(
            "{}/gp/mws/registration/view.html?developer_id={developer_id}",
            demo.sandbox
        ))
        .await;
    let values = GrantValues {
        seller_id: browser.text("seller-id").await,
        marketplace_id: browser.text("marketplace-id").await,
        token: browser.text("mws-auth-token").await,
    };

    sellerlink_sign_in(browser, demo, &demo.merchant_user).await;
    browser.submit("connect-mws").await;
    browser.wait("grant-form").await;
    browser.type_into("seller_id", &values.seller_id).await;
    browser
        .type_into("marketplace_id", &values.marketplace_id)
        .await;
    browser.type_into("mws_auth_token", &values.token).await;
    browser.set_date("granted_on", &granted).await;
    browser.set_date("last_approved_on", &approved).await;
    match &expiry {
        Some(day) => browser.set_date("expires_on", day).await,
        None => browser.click("no_expiry").await,
    }
    browser.shot("wizard-with-dates").await;
    browser.submit("grant-submit").await;
    let (card, _) = the_card(browser, demo).await;
    assert_eq!(
        sellerlink_dates(browser, &card).await,
        (granted, approved, expiry),
        "sellerlink's dates are Seller Central's"
    );
    card
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_grant_keeps_seller_centrals_expiry_and_days_left() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("existing-grant", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let card = enter_an_existing_grant(&mut browser, &demo, &seller, 330, true).await;
    // 330 days into a 365-day grant: 35 days left, which is "expiring soon" (30 days by default is not yet).
    let countdown = browser.text(&format!("countdown-{card}")).await;
    assert!(
        countdown.contains("35"),
        "days left as Seller Central counts them: {countdown}"
    );
    browser.shot("dashboard-existing-grant").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_grant_without_expiry_has_no_countdown_and_no_reminders() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("no-expiry", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let card = enter_an_existing_grant(&mut browser, &demo, &seller, 400, false).await;
    let expires = browser.text(&format!("expires-{card}")).await;
    assert_eq!(expires, "有効期限なし");
    assert!(
        !browser.has(&format!("countdown-{card}")).await,
        "no countdown"
    );
    browser.wait(&format!("no-expiry-{card}")).await;
    browser.shot("dashboard-no-expiry").await;
    // A year passes: no reminder is sent for a grant that does not expire.
    advance_demo_clock(&mut browser, &demo, 365).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        demo.mail.messages().is_empty(),
        "no reminder for a grant without expiry: {:?}",
        demo.mail
            .messages()
            .iter()
            .map(|m| m.parsed().header("Subject").map(str::to_owned))
            .collect::<Vec<_>>()
    );
    assert_eq!(the_card(&mut browser, &demo).await.1, "active");

    // R5: the merchant switches the expiry feature on in Seller Central: last approval + 1 year, already past, so
    // the grant is expired at once there — and in sellerlink once recorded.
    browser
        .goto(&format!("{}/gp/account-manager/home.html", demo.sandbox))
        .await;
    let developer_id = demo.developer_id_dashed.replace('-', "");
    browser
        .goto(&format!(
            "{}/gp/mws/permissions/enable-expiry.html?developer_id={developer_id}",
            demo.sandbox
        ))
        .await;
    browser.submit("confirm-submit").await;
    let amazon = seller_central_dates(&mut browser, &demo).await;
    the_card(&mut browser, &demo).await;
    browser
        .submit(&format!("enable-expiry-submit-{card}"))
        .await;
    browser.wait("notice").await;
    assert_eq!(sellerlink_dates(&browser, &card).await, amazon, "after R5");
    browser.shot("dashboard-expiry-enabled").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoke_grant_again_replace_the_token_then_remove_the_connection() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("revoke-replace", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let (card, first) = connect_through_the_wizard(&mut browser, &demo, &seller).await;

    // The merchant revokes access in Seller Central.
    let developer_id = demo.developer_id_dashed.replace('-', "");
    browser
        .goto(&format!(
            "{}/gp/mws/permissions/revoke.html?developer_id={developer_id}",
            demo.sandbox
        ))
        .await;
    browser.submit("confirm-submit").await;
    browser.shot("seller-central-revoked").await;

    // sellerlink notices at the next check and says what to do.
    the_card(&mut browser, &demo).await;
    browser.submit(&format!("verify-{card}")).await;
    let guide = browser.text(&format!("guide-{card}")).await;
    assert!(
        guide.contains("MWS"),
        "the fix names the token to replace: {guide}"
    );
    assert_eq!(
        primary_action(&browser, &card).await.as_deref(),
        Some("replace_token")
    );
    assert_eq!(
        browser.text(&format!("status-{card}")).await,
        "アクセス停止",
        "one name for the event"
    );
    assert!(
        !browser.has(&format!("countdown-{card}")).await,
        "no countdown while access is lost"
    );
    browser.shot("sellerlink-refused").await;

    // The card's link opens Seller Central's User Permissions, where access is granted again (a new MWS Auth
    // Token); the token is replaced on the same connection.
    follow_seller_central_link(&mut browser, &seller, &card).await;
    browser.wait("grant-access").await;
    browser.shot("seller-central-from-the-card").await;
    let second = grant_mws_access(&mut browser, &demo, &seller, false).await;
    assert_ne!(first.token, second.token);
    the_card(&mut browser, &demo).await;
    browser
        .type_into(&format!("mws_auth_token-{card}"), &second.token)
        .await;
    browser.shot("sellerlink-replace-token").await;
    browser
        .submit(&format!("replace-token-submit-{card}"))
        .await;
    browser.wait("notice").await;
    let (same, status) = the_card(&mut browser, &demo).await;
    assert_eq!((same.as_str(), status.as_str()), (card.as_str(), "active"));
    browser.shot("sellerlink-token-replaced").await;

    // Remove the connection, confirming it.
    browser
        .click_css(&format!(
            "#connection-{card} details.remove-connection summary"
        ))
        .await;
    browser.click(&format!("confirm-remove-{card}")).await;
    browser.shot("sellerlink-remove-confirm").await;
    browser.submit(&format!("remove-submit-{card}")).await;
    browser.wait("no-connections").await;
    browser.shot("sellerlink-removed").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_in_minutes_reminders_expiry_alert_restore_and_notice() {
    let demo = Demo::start().await;
    let mut browser = demo.browser("demo-clock", "ja", Window::DESKTOP).await;
    let seller = demo.mws_seller().await;
    let (card, _) = connect_through_the_wizard(&mut browser, &demo, &seller).await;
    let expires_on = sellerlink_dates(&browser, &card)
        .await
        .2
        .expect("an expiry");
    browser.shot("connected").await;
    // As a person would, see the first import finish before moving the clock, so that the badge read after the
    // move is the import that the move starts.
    wait_for_first_import(&mut browser, &demo, &card).await;
    // The demo seeds the merchant's e-mail channel: its user's address.
    let merchant = demo.merchant_user.0.clone();

    // 340 days later: both clocks moved together, "expiring soon", the import after the move still accepted by
    // the sandbox (MWS refuses a request stamped 15 minutes off its clock), and the reminder naming the expiry.
    advance_demo_clock(&mut browser, &demo, 340).await;
    demo.assert_clocks_agree(&browser).await;
    wait_for_status(&mut browser, &demo, "expiring_soon").await;
    assert_eq!(
        primary_action(&browser, &card).await.as_deref(),
        Some("approve"),
        "expiring: 承認 is the card's one primary action"
    );
    let last_sync = browser.wait_css(&format!("#last-sync-{card} .badge")).await;
    let badge = last_sync.attr("class").await.unwrap().unwrap_or_default();
    if !badge.contains("badge-ok") {
        // What the merchant sees (the card's last run and its error), to tell why the import failed.
        let page = browser.text_css("body").await;
        panic!("the import after the move: {badge}\n{page}");
    }
    browser.shot("expiring-soon").await;
    let reminder = demo.mail_of("connection.expiry_reminder", &merchant).await;
    assert!(
        reminder
            .parts()
            .iter()
            .any(|p| p.body_text().contains(&expires_on))
            || reminder.body_text().contains(&expires_on),
        "the reminder names the expiry date {expires_on}"
    );

    // Past the expiry: expired, and the access-lost alert.
    advance_demo_clock(&mut browser, &demo, 30).await;
    wait_for_status(&mut browser, &demo, "expired").await;
    browser.shot("expired").await;
    demo.mail_of("connection.access_lost", &merchant).await;

    // Restore in Seller Central (through the card's link) and in sellerlink: active again; the next day's re-check
    // finds access back and the access-restored notice goes out.
    primary_action_in_seller_central(&mut browser, &demo, &seller, &card, "restore").await;
    the_card(&mut browser, &demo).await;
    browser.submit(&format!("restore-submit-{card}")).await;
    browser.wait("notice").await;
    assert_eq!(the_card(&mut browser, &demo).await.1, "active");
    browser.shot("restored").await;
    advance_demo_clock(&mut browser, &demo, 1).await;
    demo.mail_of("connection.access_restored", &merchant).await;
    browser.goto(&format!("{}/notifications", demo.web)).await;
    browser.wait("deliveries-table").await;
    browser.shot("notification-log").await;
    browser.close().await;
}
