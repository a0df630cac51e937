//! Access tokens through the client: one refresh for many callers, refresh before expiry,
//! refresh-and-retry once on "expired", and lost authorizations.

use axum::http::Method;
use jiff::SignedDuration;
use sellerlink_spapi::ErrorKind;

use crate::fake_amazon::{FakeAmazon, Scripted};

const PARTICIPATIONS: &str = "/sellers/v1/marketplaceParticipations";

fn participations_ok(amazon: &FakeAmazon, times: usize) {
    for _ in 0..times {
        amazon.script(
            Method::GET,
            PARTICIPATIONS,
            Scripted::fixture(200, "sellers_marketplace_participations.json"),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_one_refresh() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    participations_ok(&amazon, 8);
    let client = amazon.client();

    let calls: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            let seller = seller.clone();
            tokio::spawn(async move { client.get_marketplace_participations(&seller).await })
        })
        .collect();
    for call in calls {
        let participations = call.await.unwrap().unwrap();
        assert_eq!(participations.len(), 2);
    }

    assert_eq!(
        amazon.refresh_grants(),
        1,
        "exactly one refresh for eight concurrent calls"
    );
    let tokens: Vec<_> = amazon
        .api_calls()
        .iter()
        .map(|call| call.header("x-amz-access-token").unwrap())
        .collect();
    assert_eq!(tokens.len(), 8);
    assert!(
        tokens.iter().all(|token| token == "Atza|IwEBI-access-1"),
        "{tokens:?}"
    );
}

#[tokio::test]
async fn tokens_are_reused_then_refreshed_before_they_expire() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    participations_ok(&amazon, 3);
    let client = amazon.client();

    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();
    amazon.clock.advance(SignedDuration::from_secs(3500)); // 100 s left: reuse
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();
    assert_eq!(amazon.refresh_grants(), 1);
    amazon.clock.advance(SignedDuration::from_secs(41)); // 59 s left: refresh first
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();
    assert_eq!(amazon.refresh_grants(), 2);

    let tokens: Vec<_> = amazon
        .api_calls()
        .iter()
        .map(|call| call.header("x-amz-access-token").unwrap())
        .collect();
    assert_eq!(tokens, amazon_tokens(&amazon, &[1, 1, 2]));
}

fn amazon_tokens(amazon: &FakeAmazon, numbers: &[usize]) -> Vec<String> {
    let issued = amazon.issued_tokens();
    numbers.iter().map(|n| issued[n - 1].clone()).collect()
}

#[tokio::test]
async fn an_expired_token_is_refreshed_and_the_call_retried_once() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    participations_ok(&amazon, 2);
    let client = amazon.client();
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();

    amazon.expire_access_tokens(); // Amazon disagrees with our clock
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();

    assert_eq!(amazon.refresh_grants(), 2);
    let calls = amazon.api_calls();
    assert_eq!(calls.len(), 3, "first call, refused call, retried call");
    assert_eq!(
        calls
            .iter()
            .map(|c| c.header("x-amz-access-token").unwrap())
            .collect::<Vec<_>>(),
        amazon_tokens(&amazon, &[1, 1, 2])
    );
}

#[tokio::test]
async fn a_revoked_authorization_is_authorization_lost() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.revoke(&seller);
    let client = amazon.client();

    let calls: Vec<_> = (0..4)
        .map(|_| client.get_marketplace_participations(&seller))
        .collect();
    let results = futures::future::join_all(calls).await;
    for result in results {
        let error = result.unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::AuthorizationLost);
        assert_eq!(error.lwa_error().unwrap().error(), Some("invalid_grant"));
        assert_eq!(error.seller(), Some(&seller.selling_partner_id));
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("must re-authorize"), "{shown}");
        assert!(
            !shown.contains(seller.refresh_token.expose_secret()),
            "{shown}"
        );
    }
    assert_eq!(
        amazon.refresh_grants(),
        1,
        "waiting callers share the failed refresh"
    );
    assert!(
        amazon.api_calls().is_empty(),
        "no SP-API call without a token"
    );
}

#[tokio::test]
async fn a_revoked_access_token_is_authorization_lost_and_dropped() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    let client = amazon.client();
    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::fixture(403, "spapi_error_403_revoked.json"),
    );
    let error = client
        .get_marketplace_participations(&seller)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::AuthorizationLost);
    assert_eq!(error.status(), Some(403));
    assert_eq!(amazon.api_calls().len(), 1, "never retried");

    participations_ok(&amazon, 1);
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();
    assert_eq!(amazon.refresh_grants(), 2, "the refused token was dropped");
}

#[tokio::test]
async fn app_credential_problems_are_app_credentials_rejected() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");

    let wrong_secret = amazon
        .client_builder()
        .lwa(amazon.lwa_with_secret("amzn1.oa2-cs.v1.expired-secret"))
        .build()
        .unwrap();
    let error = wrong_secret
        .get_marketplace_participations(&seller)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::AppCredentialsRejected);
    assert!(error.to_string().contains("rotate"), "{error}");

    let client = amazon.client();
    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::fixture(403, "spapi_error_403_lwa_secret_expired.json"),
    );
    let error = client
        .get_marketplace_participations(&seller)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::AppCredentialsRejected);
    assert_eq!(
        error.details(),
        Some("The LWA secret token you provided has expired.")
    );
    assert_eq!(amazon.api_calls().len(), 1);
}

#[tokio::test]
async fn a_missing_role_is_access_denied_with_amazons_details() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(
        Method::GET,
        PARTICIPATIONS,
        Scripted::fixture(403, "spapi_error_403_missing_role.json"),
    );
    let error = amazon
        .client()
        .get_marketplace_participations(&seller)
        .await
        .unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::AccessDenied {
            details: "Access to requested resource is denied.".to_owned()
        }
    );
    assert_eq!(
        error.request_id(),
        Some("7c1e5a2f-3b9d-4e80-a6c4-0f2d8b1e9a37")
    );
}
