//! A sandbox per test, a client pointed at it, and its control API ([`SandboxControl`]).

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use secrecy::SecretString;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::{AwsAccessKeyId, MwsAuthToken, SellerId};
use sellerlink_mws::{MwsClient, MwsClientBuilder, RetryPolicy, SellerAuth};
use sellerlink_sandbox::{ClockHandle, RunningSandbox, SandboxConfig};
use sellerlink_testkit::SandboxControl;
use serde_json::Value;

/// Reads the sandbox's clock, so request timestamps stay inside its ±15 minutes however far a
/// test moves it.
#[derive(Debug)]
struct SandboxTime(ClockHandle);

impl Clock for SandboxTime {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}

/// Quick retries so tests that exercise them stay fast.
pub fn quick_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::mws()
        .with_max_retries(max_retries)
        .with_delays(Duration::from_millis(10), Duration::from_millis(400))
}

/// A running sandbox whose demo seller has granted the demo developer access.
pub struct Harness {
    pub sandbox: RunningSandbox,
    pub auth: SellerAuth,
    pub control: SandboxControl,
}

impl Harness {
    /// Starts a sandbox with `orders` generated orders for its one seller, throttling restore
    /// rates sped up by `throttle_scale`.
    pub async fn start(throttle_scale: f64, orders: usize) -> Self {
        let config = SandboxConfig {
            seed: 20_240_301,
            sellers: 1,
            orders_per_seller: orders,
            throttle_scale,
            ..SandboxConfig::default()
        };
        let sandbox = sellerlink_sandbox::start(config)
            .await
            .expect("the sandbox starts");
        let developer = sandbox.demo_developer();
        let seller = sandbox.demo_seller();
        let control = SandboxControl::new(sandbox.http_url());
        let grant = control
            .grant(&seller.seller_id, &developer.developer_id)
            .await;
        let auth = SellerAuth::granted(
            SellerId::parse(&seller.seller_id).expect("the sandbox's seller id parses"),
            MwsAuthToken::parse(&grant.mws_auth_token).expect("the sandbox's token parses"),
        );
        Self {
            sandbox,
            auth,
            control,
        }
    }

    /// A client for the demo developer over HTTPS, trusting the sandbox CA, on the sandbox
    /// clock, with quick retries.
    pub fn client(&self) -> MwsClientBuilder {
        let developer = self.sandbox.demo_developer();
        MwsClient::builder()
            .endpoint(self.sandbox.https_url().parse().expect("https url"))
            .add_root_certificate_pem(self.sandbox.ca_pem().as_bytes())
            .credentials(
                AwsAccessKeyId::parse(&developer.access_key_id).expect("access key parses"),
                SecretString::from(developer.secret_key),
            )
            .clock(Arc::new(SandboxTime(self.sandbox.clock())))
            .timeout(Duration::from_secs(10))
            .retry_policy(quick_retries(3))
            .user_agent("sellerlink-mws-tests", "1.0")
    }

    /// The demo developer's 12-digit id.
    pub fn developer_id(&self) -> String {
        self.sandbox.demo_developer().developer_id
    }

    /// The sandbox's now.
    pub fn now(&self) -> Timestamp {
        self.sandbox.now()
    }

    /// Moves the sandbox clock forward.
    pub async fn advance_clock(&self, seconds: f64) {
        self.control.advance_secs(seconds).await;
    }

    /// Injects faults into `operation` (an MWS Action).
    pub async fn fault(&self, operation: &str, rates: Value) {
        self.control.set_fault(operation, rates).await;
    }

    /// The logged MWS requests of `operation` (`Orders.ListOrders`), oldest first.
    pub async fn requests(&self, operation: &str) -> Vec<Value> {
        let mut entries: Vec<Value> = self
            .control
            .requests(1000)
            .await
            .into_iter()
            .filter(|entry| entry["operation"] == operation)
            .collect();
        entries.sort_by_key(|entry| entry["seq"].as_u64());
        entries
    }

    /// The HTTP statuses of the logged requests of `operation`, oldest first.
    pub async fn statuses(&self, operation: &str) -> Vec<u64> {
        self.requests(operation)
            .await
            .iter()
            .map(|entry| entry["status"].as_u64().unwrap_or_default())
            .collect()
    }

    /// The seller's orders as the control API shows them.
    pub async fn orders(&self) -> Vec<Value> {
        self.control.orders(self.auth.seller_id.as_str()).await
    }
}
