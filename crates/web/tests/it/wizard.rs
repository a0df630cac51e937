//! The MWS wizard: steps ①–⑤, inline validation in the merchant's language, and verification against Amazon.

use axum::http::StatusCode;
use sellerlink_domain::connection::Language;
use sellerlink_store::{AuditFilter, Role};

use crate::support::{Options, TestApp};

#[tokio::test]
async fn the_wizard_walks_the_guides_steps() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let page = browser
        .get(&format!("/merchants/{}/connect", merchant.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body;
    for step in [
        "① セラーセントラルにサインイン",
        "② 開発者にアクセス権を付与",
        "③ 開発者氏名と開発者IDを入力",
        "④ 2か所にチェックを入れて「次へ」",
        "⑤ 3つの値を入力",
    ] {
        assert!(html.contains(step), "{step}");
    }
    assert!(
        html.contains(
            "href=\"https://sellercentral.amazon.co.jp/gp/mws/registration/register.html\""
        )
    );
    assert!(html.contains("id=\"developer-name\">shippinno<"));
    assert!(html.contains("id=\"developer-id\">5259-6479-4073<"));
    assert!(
        html.contains("data-copy=\"5259-6479-4073\""),
        "a copy button"
    );
    assert!(html.contains("禁止商品"), "what the first checkbox means");
    assert!(
        html.contains("<label for=\"seller_id\">出品者ID</label>"),
        "labelled inputs"
    );
    assert!(html.contains("<label for=\"mws_auth_token\">MWS認証トークン</label>"));

    let us = browser
        .get(&format!(
            "/merchants/{}/connect?marketplace=ATVPDKIKX0DER",
            merchant.id
        ))
        .await;
    assert!(
        us.body.contains(
            "href=\"https://sellercentral.amazon.com/gp/mws/registration/register.html\""
        )
    );
}

#[tokio::test]
async fn a_bad_seller_id_is_explained_inline_and_nothing_is_stored() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/connect", merchant.id);
    let reply = browser
        .submit(
            &page,
            &page,
            &[
                ("seller_id", "B1234"),
                ("marketplace_id", "A1VC38T7YXB528"),
                (
                    "mws_auth_token",
                    "amzn.mws.11111111-2222-3333-4444-555555fedcba",
                ),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = reply.body;
    let start = html
        .find("id=\"seller_id-error\">")
        .expect("an inline message for the Seller ID");
    let message = &html[start..html[start..].find("</p>").unwrap() + start];
    assert!(message.contains("出品者ID"), "{message}");
    assert!(
        message.contains("A1B2C3D4E5F6G7"),
        "it shows the expected format: {message}"
    );
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"seller_id-error\""));
    assert!(
        !html.contains("id=\"marketplace_id-error\""),
        "only the bad field is marked"
    );
    assert!(html.contains("value=\"B1234\""), "what was typed is kept");
    assert_eq!(
        html.matches("555555fedcba").count(),
        1,
        "the token is kept in its own field and nowhere else"
    );
    assert!(
        html.contains("value=\"amzn.mws.11111111-2222-3333-4444-555555fedcba\""),
        "the token stays in its field"
    );

    assert!(world.app.connections(None).await.unwrap().is_empty());
    let audit = world
        .app
        .store()
        .audit_entries(&AuditFilter {
            merchant: Some(merchant.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1, "only the merchant's creation");
}

#[tokio::test]
async fn the_wizard_verifies_with_amazon_before_storing() {
    let world = TestApp::with(Options {
        sandbox: true,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/connect", merchant.id);
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    let (_, _, other_token) = world.sandbox_grant(1).await;

    let wrong = browser
        .submit(
            &page,
            &page,
            &[
                ("seller_id", &seller),
                ("marketplace_id", &marketplace),
                ("mws_auth_token", &other_token),
            ],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("id=\"wizard-error\""));
    assert!(
        wrong.body.contains("このMWS認証トークンは出品者ID"),
        "{}",
        wrong.body
    );
    assert!(wrong.body.contains("何も保存されていません"));
    assert!(world.app.connections(None).await.unwrap().is_empty());

    let right = browser
        .submit(
            &page,
            &page,
            &[
                ("seller_id", &seller.to_lowercase()),
                ("marketplace_id", &marketplace),
                ("mws_auth_token", &token),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(
        right.location(),
        format!("/merchants/{}?notice=connected", merchant.id)
    );
    let dashboard = browser.get(right.location()).await.body;
    assert!(dashboard.contains("Amazon アカウントを接続しました"));
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1);
    let id = views[0].connection.id;
    assert!(
        dashboard.contains(&format!("id=\"status-{id}\">有効<")),
        "{dashboard}"
    );
    assert!(views[0].connection.verified_at.is_some());
}

#[tokio::test]
async fn amazons_refusal_of_a_mistyped_seller_id_is_shown_at_the_field_with_every_value_kept() {
    let world = TestApp::with(Options {
        sandbox: true,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("Acme").await;
    for (email, language) in [
        ("ja@acme.example", Language::Ja),
        ("en@acme.example", Language::En),
    ] {
        world
            .user(email, Role::Merchant(merchant.id), language)
            .await;
    }
    let page = format!("/merchants/{}/connect", merchant.id);
    let (seller, marketplace, token) = world.sandbox_grant(0).await;
    // Well-formed, but no seller account Amazon knows: Amazon answers InvalidParameterValue "Invalid seller id".
    let mistyped = "AZZZZZZZZZZZZZ";
    assert_ne!(seller, mistyped);
    let bare_token = token.trim_start_matches("amzn.mws.");

    let mut ja = world.browser().signed_in("ja@acme.example").await;
    let reply = ja
        .submit(
            &page,
            &page,
            &[
                ("seller_id", &mistyped.to_lowercase()),
                ("marketplace_id", &marketplace.to_lowercase()),
                ("mws_auth_token", bare_token),
            ],
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    let html = reply.body;
    let start = html
        .find("id=\"seller_id-error\">")
        .expect("the message is at the Seller ID");
    let message = &html[start..html[start..].find("</p>").unwrap() + start];
    assert!(
        message.contains("出品者ID AZZZZZZZZZZZZZ のアカウントはAmazonにありません"),
        "{message}"
    );
    assert!(
        message.contains("「表示」から出品者IDをコピー"),
        "{message}"
    );
    assert!(
        !html.contains("InvalidParameterValue") && !html.contains("Invalid seller id"),
        "never Amazon's raw English"
    );
    assert!(html.contains("id=\"wizard-error\""));
    assert!(html.contains("下の入力欄に表示したメッセージ"));
    assert!(!html.contains("id=\"mws_auth_token-error\""));
    // Every value kept, normalised: the Seller ID in upper case, the token with its amzn.mws. prefix.
    assert!(html.contains(&format!("value=\"{mistyped}\"")), "{html}");
    assert!(html.contains(&format!("value=\"{marketplace}\"")));
    assert!(html.contains(&format!("value=\"{token}\"")));
    assert_eq!(
        html.matches(bare_token).count(),
        1,
        "the token only in its field"
    );
    assert!(world.app.connections(None).await.unwrap().is_empty());

    let mut en = world.browser().signed_in("en@acme.example").await;
    let reply = en
        .submit(
            &page,
            &page,
            &[
                ("seller_id", mistyped),
                ("marketplace_id", &marketplace),
                ("mws_auth_token", &token),
            ],
        )
        .await;
    let start = reply
        .body
        .find("id=\"seller_id-error\">")
        .expect("the message is at the Seller ID");
    let message = &reply.body[start..reply.body[start..].find("</p>").unwrap() + start];
    assert!(
        message.contains("Amazon has no seller account with Seller ID AZZZZZZZZZZZZZ"),
        "{message}"
    );

    // Typed with a Japanese IME: full-width and lower case, then accepted.
    let wide: String = seller
        .to_lowercase()
        .chars()
        .map(|c| char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap())
        .collect();
    let right = ja
        .submit(
            &page,
            &page,
            &[
                ("seller_id", &format!("\u{3000}{wide}")),
                ("marketplace_id", &marketplace),
                ("mws_auth_token", &token),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].connection.account.seller_id().as_str(), seller);
}

#[tokio::test]
async fn the_marketplace_list_puts_japan_first_in_the_readers_language() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    for (email, language) in [
        ("ja@acme.example", Language::Ja),
        ("en@acme.example", Language::En),
    ] {
        world
            .user(email, Role::Merchant(merchant.id), language)
            .await;
    }
    let page = format!("/merchants/{}/connect", merchant.id);
    let options = |html: &str| -> Vec<String> {
        let select = &html[html.find("id=\"marketplace-choice\"").unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        select
            .split("<option ")
            .skip(1)
            .map(|option| {
                let label = &option[option.find('>').unwrap() + 1..];
                label[..label.find("</option>").unwrap()].to_owned()
            })
            .collect()
    };
    let mut ja = world.browser().signed_in("ja@acme.example").await;
    let listed = options(&ja.get(&page).await.body);
    assert_eq!(listed[0], "日本（Amazon.co.jp）", "{listed:?}");
    assert!(
        listed.contains(&"アメリカ合衆国（Amazon.com）".to_owned()),
        "{listed:?}"
    );
    assert!(
        listed.iter().all(|label| !label.contains("United")),
        "{listed:?}"
    );
    let mut en = world.browser().signed_in("en@acme.example").await;
    let listed = options(&en.get(&page).await.body);
    assert_eq!(listed[0], "Japan (Amazon.co.jp)", "{listed:?}");
    assert!(
        listed.contains(&"United States (Amazon.com)".to_owned()),
        "{listed:?}"
    );
}
