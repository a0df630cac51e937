//! Extra root certificates: the sandbox's CA makes its HTTPS listener trusted; without it the
//! handshake fails.

use std::time::Duration;

use sellerlink_http::{ClientSettings, amazon_user_agent_header};
use sellerlink_sandbox::SandboxConfig;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sandbox_ca_is_trusted_only_when_added() {
    let config = SandboxConfig {
        sellers: 1,
        orders_per_seller: 1,
        ..SandboxConfig::default()
    };
    let sandbox = sellerlink_sandbox::start(config)
        .await
        .expect("the sandbox starts");
    let url = format!("{}/", sandbox.https_url());

    let trusting = ClientSettings::new(&[sandbox.ca_pem().as_bytes().to_vec()])
        .expect("the sandbox CA is usable")
        .timeout(Duration::from_secs(10))
        .user_agent(amazon_user_agent_header("sellerlink-http-tests", "1.0").expect("valid"))
        .build()
        .expect("client");
    let response = trusting
        .get(&url)
        .send()
        .await
        .expect("TLS handshake succeeds");
    assert!(response.status().as_u16() < 500, "{}", response.status());

    let mozilla_only = ClientSettings::new(&[])
        .expect("builds")
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    let error = mozilla_only
        .get(&url)
        .send()
        .await
        .expect_err("an unknown CA is refused");
    assert!(error.is_connect(), "{error:?}");
}
