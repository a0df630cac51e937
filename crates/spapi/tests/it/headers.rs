//! What every request carries, endpoints, and builder refusals.

use axum::http::Method;
use sellerlink_domain::marketplace::Region;
use sellerlink_spapi::{BuildError, SpApiClient};
use url::Url;

use crate::fake_amazon::{FakeAmazon, Scripted};

#[tokio::test]
async fn every_call_carries_the_token_user_agent_and_date() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(
        Method::GET,
        "/sellers/v1/marketplaceParticipations",
        Scripted::fixture(200, "sellers_marketplace_participations.json"),
    );
    let client = amazon
        .client_builder()
        .user_agent("3PL/Sync", "2.0")
        .build()
        .unwrap();
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();

    let call = &amazon.api_calls()[0];
    assert_eq!(
        call.header("x-amz-access-token").as_deref(),
        Some("Atza|IwEBI-access-1")
    );
    assert_eq!(
        call.header("x-amz-date").as_deref(),
        Some("20260110T000000Z")
    );
    assert_eq!(call.header("accept").as_deref(), Some("application/json"));
    assert_eq!(call.header("authorization"), None, "no SigV4");
    let agent = call.header("user-agent").unwrap();
    let rest = agent
        .strip_prefix(r"3PL\/Sync/2.0 (Language=Rust/")
        .unwrap_or_else(|| panic!("{agent}"));
    let (version, platform) = rest
        .split_once("; Platform=")
        .unwrap_or_else(|| panic!("{agent}"));
    assert!(
        version.split('.').count() == 2 && version.split('.').all(|n| n.parse::<u32>().is_ok()),
        "{agent}"
    );
    assert!(platform.ends_with(')') && platform.len() > 1, "{agent}");
    assert!(agent.len() <= 500);
}

#[tokio::test]
async fn an_endpoint_path_prefix_is_kept() {
    let amazon = FakeAmazon::start().await;
    let seller = amazon.add_seller("A2SLNK0EXAMPL3");
    amazon.script(
        Method::GET,
        "/spapi/sellers/v1/marketplaceParticipations",
        Scripted::fixture(200, "sellers_marketplace_participations.json"),
    );
    let client = amazon
        .client_builder()
        .endpoint_override(amazon.base.join("spapi/").unwrap())
        .build()
        .unwrap();
    client
        .get_marketplace_participations(&seller)
        .await
        .unwrap();
    assert_eq!(
        amazon.api_calls()[0].path,
        "/spapi/sellers/v1/marketplaceParticipations"
    );
}

#[test]
fn regional_hosts_come_from_the_marketplace_table() {
    let amazon_lwa = sellerlink_spapi::LwaClient::builder()
        .credentials(FakeAmazon::credentials(crate::fake_amazon::CLIENT_SECRET))
        .build()
        .unwrap();
    assert_eq!(
        amazon_lwa.token_endpoint().as_str(),
        "https://api.amazon.com/auth/o2/token"
    );
    let client = SpApiClient::builder().lwa(amazon_lwa).build().unwrap();
    assert_eq!(
        client.endpoint_for(Region::Fe).as_str(),
        "https://sellingpartnerapi-fe.amazon.com/"
    );
    assert_eq!(
        client.endpoint_for(Region::Eu).as_str(),
        "https://sellingpartnerapi-eu.amazon.com/"
    );
}

#[test]
fn builders_refuse_bad_configuration() {
    let lwa = || {
        sellerlink_spapi::LwaClient::builder()
            .credentials(FakeAmazon::credentials(crate::fake_amazon::CLIENT_SECRET))
            .build()
            .unwrap()
    };
    assert!(matches!(
        SpApiClient::builder().build(),
        Err(BuildError::MissingLwa)
    ));
    assert!(matches!(
        sellerlink_spapi::LwaClient::builder().build(),
        Err(BuildError::MissingCredentials)
    ));
    assert!(matches!(
        SpApiClient::builder().lwa(lwa()).rate_scale(0.0).build(),
        Err(BuildError::RateScale(_))
    ));
    let long = "x".repeat(480);
    let error = SpApiClient::builder()
        .lwa(lwa())
        .user_agent(&long, "1.0")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("at most 500"), "{error}");
    let error = SpApiClient::builder()
        .lwa(lwa())
        .endpoint_override(Url::parse("ftp://127.0.0.1/").unwrap())
        .build()
        .unwrap_err();
    assert!(matches!(error, BuildError::InvalidEndpoint { .. }));
    let error = SpApiClient::builder()
        .lwa(lwa())
        .add_root_certificate_pem(b"-----BEGIN NOTHING-----")
        .build()
        .unwrap_err();
    assert!(matches!(
        error,
        BuildError::Tls(sellerlink_http::TlsError::RootCertificate { index: 0, .. })
    ));
}
