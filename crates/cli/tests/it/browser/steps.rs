//! Steps several journeys share, each through the pages a person uses.

use sellerlink_testkit::Chromium;

use super::{Demo, DemoSeller};

/// The guide's three values as Seller Central's last page shows them.
#[derive(Debug, Clone)]
pub struct GrantValues {
    pub seller_id: String,
    pub marketplace_id: String,
    pub token: String,
}

/// Signs in to the sandbox's Seller Central on whatever page asked for it.
pub async fn seller_central_sign_in(browser: &mut Chromium, seller: &DemoSeller) {
    browser.wait("login").await;
    browser.type_into("login", &seller.email).await;
    browser.type_into("password", &seller.password).await;
    browser.submit("signin-submit").await;
}

/// Opens the guide's Seller Central address, signing in when asked: the permissions page.
pub async fn open_seller_central(
    browser: &mut Chromium,
    demo: &Demo,
    seller: &DemoSeller,
    shots: bool,
) {
    browser
        .goto(&format!(
            "{}/gp/mws/registration/register.html",
            demo.sandbox
        ))
        .await;
    if browser.has("login").await {
        if shots {
            browser.shot("seller-central-sign-in").await;
        }
        seller_central_sign_in(browser, seller).await;
    }
}

/// Seller Central, exactly as the guide goes: sign in, User Permissions → grant access to a developer, the
/// developer's name and ID, both consent boxes, and the three values on the last page.
pub async fn grant_mws_access(
    browser: &mut Chromium,
    demo: &Demo,
    seller: &DemoSeller,
    shots: bool,
) -> GrantValues {
    open_seller_central(browser, demo, seller, shots).await;
    browser.wait("grant-access").await;
    if shots {
        browser.shot("seller-central-permissions").await;
    }
    browser.submit("grant-access").await;
    browser
        .type_into("developer_name", &demo.developer_name)
        .await;
    browser
        .type_into("developer_id", &demo.developer_id_dashed)
        .await;
    if shots {
        browser.shot("seller-central-developer").await;
    }
    browser.submit("developer-next").await;
    browser.click("accept_catalog").await;
    browser.click("accept_responsibility").await;
    if shots {
        browser.shot("seller-central-consent").await;
    }
    browser.submit("consent-next").await;
    let values = GrantValues {
        seller_id: browser.text("seller-id").await,
        marketplace_id: browser.text("marketplace-id").await,
        token: browser.text("mws-auth-token").await,
    };
    if shots {
        browser.shot("seller-central-complete").await;
    }
    assert_eq!(values.seller_id, seller.seller_id);
    assert!(values.token.starts_with("amzn.mws."), "{values:?}");
    values
}

/// Signs in to sellerlink.
pub async fn sellerlink_sign_in(browser: &mut Chromium, demo: &Demo, user: &(String, String)) {
    browser.goto(&format!("{}/login", demo.web)).await;
    browser.type_into("email", &user.0).await;
    browser.type_into("password", &user.1).await;
    browser.submit("login-submit").await;
}

/// The merchant's dashboard URL (the merchant user lands on it after signing in).
pub async fn dashboard_url(browser: &Chromium) -> String {
    let url = browser.url().await;
    assert!(url.contains("/merchants/"), "not on a dashboard: {url}");
    url.split('?').next().unwrap_or_default().to_owned()
}

/// Unfolds the dashboard's connect card (folded once the merchant has a connection).
pub async fn open_connect_card(browser: &Chromium) {
    if browser.has_css("details#connect-card:not([open])").await {
        browser.click_css("#connect-card > summary").await;
    }
}

/// The wizard: paste the three values and send them.
pub async fn paste_into_wizard(browser: &mut Chromium, values: &GrantValues, shots: bool) {
    open_connect_card(browser).await;
    browser.submit("connect-mws").await;
    browser.wait("grant-form").await;
    if shots {
        browser.shot("wizard").await;
    }
    browser.type_into("seller_id", &values.seller_id).await;
    browser
        .type_into("marketplace_id", &values.marketplace_id)
        .await;
    browser.type_into("mws_auth_token", &values.token).await;
    browser.submit("grant-submit").await;
}

/// The card's primary action (`approve`, `restore`, `reauthorize`, `replace_token`, `verify`), if it has one.
pub async fn primary_action(browser: &Chromium, card: &str) -> Option<String> {
    if !browser.has(&format!("guide-{card}")).await {
        return None;
    }
    browser.attr(&format!("guide-{card}"), "data-action").await
}

/// Follows the card's link to the Seller Central page its primary action names (signing in when asked) and checks
/// that the browser is on that page.
pub async fn follow_seller_central_link(browser: &mut Chromium, seller: &DemoSeller, card: &str) {
    let link = format!("seller-central-link-{card}");
    let href = browser.attr(&link, "href").await.unwrap_or_default();
    let path = href
        .splitn(4, '/')
        .nth(3)
        .map(|path| format!("/{path}"))
        .unwrap_or_default();
    assert!(
        path == "/gp/account-manager/home.html" || path == "/apps/manage",
        "the card links to Seller Central's page: {href}"
    );
    browser.submit(&link).await;
    if browser.has("login").await {
        seller_central_sign_in(browser, seller).await;
        if !browser.url().await.contains(&path) {
            browser.goto(&href).await;
        }
    }
    let url = browser.url().await;
    assert!(url.contains(&path), "the link {href} led to {url}");
}

/// The connection cards on the dashboard: `(card id, status class)`.
pub async fn connection_cards(browser: &Chromium) -> Vec<(String, String)> {
    let mut cards = Vec::new();
    for card in browser
        .client()
        .find_all(fantoccini::Locator::Css("section.connection"))
        .await
        .expect("find")
    {
        let id = card.attr("id").await.unwrap().unwrap_or_default();
        let status = card.attr("data-status").await.unwrap().unwrap_or_default();
        cards.push((id.trim_start_matches("connection-").to_owned(), status));
    }
    cards
}

/// "Connect with Amazon" on the dashboard, consent on the sandbox's page (signing in when asked), and back.
pub async fn connect_with_amazon(browser: &mut Chromium, seller: &DemoSeller, shots: bool) {
    open_connect_card(browser).await;
    browser.submit("connect-spapi").await;
    if browser.has("login").await {
        if shots {
            browser.shot("amazon-sign-in").await;
        }
        seller_central_sign_in(browser, seller).await;
    }
    browser.wait("consent-confirm").await;
    if shots {
        browser.shot("amazon-consent").await;
    }
    browser.submit("consent-confirm").await;
}

/// The page's text and its buttons are set in a proportional font: eight `i` are much narrower than eight `M`
/// (in a fixed-width font such as IPAGothic they are equally wide).
pub async fn assert_proportional_font(browser: &Chromium) {
    let widths = browser
        .client()
        .execute(
            "const width = (tag, text) => { const e = document.createElement(tag); e.textContent = text; \
             document.querySelector('main').appendChild(e); const w = e.getBoundingClientRect().width; \
             e.remove(); return w; }; \
             return [width('span', 'iiiiiiii'), width('span', 'MMMMMMMM'), \
                     width('button', 'iiiiiiii'), width('button', 'MMMMMMMM')];",
            vec![],
        )
        .await
        .expect("the page measures its text");
    let widths: Vec<f64> = widths
        .as_array()
        .expect("four widths")
        .iter()
        .map(|w| w.as_f64().expect("a width"))
        .collect();
    assert!(
        widths[0] < widths[1] * 0.7,
        "body text is proportional: {widths:?}"
    );
    assert!(
        widths[2] < widths[3] * 0.8,
        "buttons are proportional too: {widths:?}"
    );
}
