//! The LWA client against the fake token endpoint.

use jiff::SignedDuration;
use sellerlink_spapi::{AuthorizationCode, GrantType, LwaErrorKind};
use url::Url;

use crate::fake_amazon::{CLIENT_ID, CLIENT_SECRET, FakeAmazon, REDIRECT_URI, start_instant};

#[tokio::test]
async fn an_authorization_code_is_exchanged_once_with_the_documented_form() {
    let amazon = FakeAmazon::start().await;
    amazon.add_code("ANDCxqkXpLmVfRnBoTsz");
    let lwa = amazon.lwa();
    let code = AuthorizationCode::parse("ANDCxqkXpLmVfRnBoTsz").unwrap();
    let redirect = Url::parse(REDIRECT_URI).unwrap();

    let tokens = lwa
        .exchange_authorization_code(&code, &redirect)
        .await
        .unwrap();
    assert_eq!(
        tokens.refresh_token.expose_secret(),
        "Atzr|IwEBI-from-code-ANDCxqkXpLmVfRnBoTsz"
    );
    assert_eq!(
        tokens.expires_at,
        start_instant() + SignedDuration::from_secs(3600)
    );
    assert_eq!(tokens.access_token.expires_at(), tokens.expires_at);

    let calls = amazon.token_calls();
    assert_eq!(
        calls[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded;charset=UTF-8")
    );
    let form = &calls[0].form;
    assert_eq!(form["grant_type"], "authorization_code");
    assert_eq!(form["code"], "ANDCxqkXpLmVfRnBoTsz");
    assert_eq!(form["redirect_uri"], REDIRECT_URI);
    assert_eq!(form["client_id"], CLIENT_ID);
    assert_eq!(form["client_secret"], CLIENT_SECRET);

    let reused = lwa
        .exchange_authorization_code(&code, &redirect)
        .await
        .unwrap_err();
    assert_eq!(reused.kind(), LwaErrorKind::InvalidGrant);
    assert_eq!(reused.grant(), GrantType::AuthorizationCode);
    assert_eq!(reused.status(), Some(400));
}

#[tokio::test]
async fn refresh_posts_the_refresh_grant() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let token = amazon.lwa().refresh(&seller.refresh_token).await.unwrap();
    assert_eq!(token.expose_secret(), "Atza|IwEBI-access-1");
    assert_eq!(
        token.expires_at(),
        start_instant() + SignedDuration::from_secs(3600)
    );
    let form = &amazon.token_calls()[0].form;
    assert_eq!(form["grant_type"], "refresh_token");
    assert_eq!(form["refresh_token"], seller.refresh_token.expose_secret());
    assert!(!form.contains_key("code"));
}

#[tokio::test]
async fn a_wrong_client_secret_is_invalid_client_until_rotated() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let lwa = amazon.lwa_with_secret("amzn1.oa2-cs.v1.the-secret-before-rotation");
    let error = lwa.refresh(&seller.refresh_token).await.unwrap_err();
    assert_eq!(error.kind(), LwaErrorKind::InvalidClient);
    assert_eq!(
        error.error_description(),
        Some("Client authentication failed")
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("the-secret-before-rotation"), "{shown}");

    lwa.rotate_credentials(FakeAmazon::credentials(CLIENT_SECRET));
    assert!(lwa.refresh(&seller.refresh_token).await.is_ok());
}
