//! Credential checks: participations, service status, and how refusals are classified.

use secrecy::SecretString;
use sellerlink_domain::ids::{AwsAccessKeyId, MarketplaceId};
use sellerlink_mws::{ErrorKind, SellerAuth, ServiceStatusLevel, ServiceStatusSection};
use sellerlink_testkit::sandbox_control::GrantAction;

use crate::support::Harness;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grant_works_over_https_with_the_sandbox_ca() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");

    let all = client
        .list_all_marketplace_participations(&harness.auth)
        .await
        .expect("participations");

    assert!(all.participates_in(&MarketplaceId::japan()));
    assert!(
        all.participations
            .iter()
            .all(|p| p.seller_id == harness.auth.seller_id)
    );
    let japan = all
        .marketplaces
        .iter()
        .find(|m| m.marketplace_id.as_str() == "A1VC38T7YXB528")
        .expect("Amazon.co.jp described");
    assert_eq!(japan.default_currency_code.as_deref(), Some("JPY"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_status_over_plain_http() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness
        .client()
        .endpoint(harness.sandbox.http_url().parse().expect("http url"))
        .build()
        .expect("client");

    for section in [ServiceStatusSection::Orders, ServiceStatusSection::Sellers] {
        let status = client
            .get_service_status(&harness.auth, section)
            .await
            .expect("status");
        assert_eq!(status.status, ServiceStatusLevel::Green, "{section:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_grant_is_access_denied_and_not_retried() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    harness
        .control
        .grant_action(
            GrantAction::Revoke,
            harness.auth.seller_id.as_str(),
            &harness.developer_id(),
        )
        .await;

    let error = client
        .list_marketplace_participations(&harness.auth)
        .await
        .expect_err("revoked");

    assert_eq!(error.kind(), ErrorKind::AccessDenied);
    assert_eq!(error.http_status(), Some(401));
    assert_eq!(error.amazon_code(), Some("AccessDenied"));
    assert!(error.request_id().is_some());
    assert_eq!(
        harness
            .statuses("Sellers.ListMarketplaceParticipations")
            .await,
        vec![401],
        "a 4xx is never retried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_token_is_access_denied() {
    let harness = Harness::start(1.0, 5).await;
    let client = harness.client().build().expect("client");
    let without_token = SellerAuth::own_account(harness.auth.seller_id.clone());

    let error = client
        .list_marketplace_participations(&without_token)
        .await
        .expect_err("no token");

    assert_eq!(error.kind(), ErrorKind::AccessDenied);
    assert!(
        error
            .amazon_message()
            .is_some_and(|m| m.contains("MWSAuthToken")),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_secret_is_invalid_credentials_and_nothing_secret_leaks() {
    let harness = Harness::start(1.0, 5).await;
    let developer = harness.sandbox.demo_developer();
    let wrong_secret = "Wr0ngSecretKeyWr0ngSecretKeyWr0ngSecretK";
    let client = harness
        .client()
        .credentials(
            AwsAccessKeyId::parse(&developer.access_key_id).expect("key"),
            SecretString::from(wrong_secret.to_owned()),
        )
        .build()
        .expect("client");

    let error = client
        .list_marketplace_participations(&harness.auth)
        .await
        .expect_err("bad signature");

    assert_eq!(error.kind(), ErrorKind::InvalidCredentials);
    assert_eq!(error.amazon_code(), Some("SignatureDoesNotMatch"));
    assert_eq!(error.http_status(), Some(403));
    let token = harness
        .auth
        .auth_token
        .as_ref()
        .expect("granted")
        .expose_secret()
        .to_owned();
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{client:?}"),
        format!("{:?}", harness.auth),
    ] {
        assert!(!text.contains(wrong_secret), "secret in {text}");
        assert!(!text.contains(&developer.secret_key), "secret in {text}");
        assert!(!text.contains(&token), "token in {text}");
    }
}
