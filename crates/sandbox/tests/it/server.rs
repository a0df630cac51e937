//! Starting, HTTPS with the generated CA, the ping, configuration checks and shutdown.

use std::net::{IpAddr, Ipv4Addr};

use reqwest::StatusCode;
use sellerlink_sandbox::{SandboxConfig, SandboxError};

use crate::support::{Options, TestSandbox, first};

#[tokio::test]
async fn https_with_the_generated_ca_and_both_host_forms() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 5,
        ..Options::default()
    })
    .await;
    let pem = std::fs::read_to_string(sandbox.running.ca_pem_path()).expect("CA file written");
    assert_eq!(pem, sandbox.running.ca_pem());
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    for host in ["127.0.0.1", "localhost"] {
        let mut call = sandbox.call(
            "/Sellers/2011-07-01",
            "ListMarketplaceParticipations",
            &token,
        );
        call.base = format!("https://{host}:{}", sandbox.running.https_addr().port());
        let answer = call.send(&client).await;
        assert_eq!(answer.status, StatusCode::OK, "{host}: {}", answer.body);
        assert_eq!(
            first(&answer.body, "DomainName").as_deref(),
            Some("www.amazon.co.jp")
        );
        assert_eq!(
            first(&answer.body, "DefaultCurrencyCode").as_deref(),
            Some("JPY")
        );
        assert!(answer.body.contains("<ListMarketplaceParticipationsResponse xmlns=\"https://mws.amazonservices.com/Sellers/2011-07-01\">"));
    }
    // Without the CA the certificate is refused.
    let untrusting = reqwest::Client::builder().build().unwrap();
    assert!(
        untrusting
            .get(format!("{}/", sandbox.running.https_url()))
            .send()
            .await
            .is_err()
    );
}

#[tokio::test]
async fn ping_banner_unknown_paths_and_shutdown() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 5,
        ..Options::default()
    })
    .await;
    let ping = sandbox
        .client
        .get(format!("{}/", sandbox.base))
        .send()
        .await
        .unwrap();
    assert_eq!(ping.status(), StatusCode::OK);
    assert!(
        ping.text()
            .await
            .unwrap()
            .contains("<PingResponse><Timestamp timestamp=\"")
    );
    let missing = sandbox
        .client
        .get(format!("{}/nothing/here/at/all", sandbox.base))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    let banner = sandbox.running.banner();
    for part in [
        "5259-6479-4073",
        "shippinno",
        &sandbox.developer.access_key_id,
        &sandbox.developer.secret_key,
        "seller1@example.jp",
        "sandbox-pass-1",
    ] {
        assert!(banner.contains(part), "banner shows {part}:\n{banner}");
    }

    let base = sandbox.base.clone();
    let client = sandbox.client.clone();
    sandbox.running.shutdown().await;
    assert!(
        client.get(format!("{base}/")).send().await.is_err(),
        "nothing listens after shutdown"
    );
}

#[tokio::test]
async fn configuration_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let open = SandboxConfig {
        bind: IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        cert_dir: dir.path().into(),
        ..SandboxConfig::default()
    };
    assert!(
        matches!(sellerlink_sandbox::start(open).await, Err(SandboxError::InvalidConfig(m)) if m.contains("loopback"))
    );
    let zero = SandboxConfig {
        throttle_scale: 0.0,
        cert_dir: dir.path().into(),
        ..SandboxConfig::default()
    };
    assert!(matches!(
        sellerlink_sandbox::start(zero).await,
        Err(SandboxError::InvalidConfig(_))
    ));
}
