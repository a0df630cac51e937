//! A real sandbox per test (port 0), reached through its public handle and its control API
//! ([`SandboxControl`]).

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::Clock;
use sellerlink_sandbox::{ClockHandle, Developer, RunningSandbox, SandboxConfig, SellerAccount};
use sellerlink_testkit::SandboxControl;
use sellerlink_testkit::sandbox_control::GrantAction;
use serde::Deserialize;

/// The instant every test world is generated at; its orders span 30 days before to 7 days after it.
pub const GENERATED_AT: &str = "2024-03-01T03:00:00Z";

/// Generated order timelines end at most ~3 days after their purchase, and purchases end 7 days after
/// [`GENERATED_AT`]: from this far after it on, nothing changes unless a test makes it change.
pub const SETTLED_AFTER: SignedDuration = SignedDuration::from_hours(12 * 24);

/// Throttle scale that makes throttling unreachable (a bucket refills within nanoseconds).
pub const NO_THROTTLING: f64 = 1e9;

/// How a test sandbox is generated.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub seed: u64,
    pub sellers: usize,
    pub orders: usize,
    pub throttle_scale: f64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 11,
            sellers: 1,
            orders: 300,
            throttle_scale: NO_THROTTLING,
        }
    }
}

impl Options {
    /// One seller with `orders` orders generated from `seed`, without throttling.
    pub fn generated(seed: u64, orders: usize) -> Self {
        Self {
            seed,
            orders,
            ..Self::default()
        }
    }
}

/// The sandbox clock as seen by sellerlink: reads the sandbox's clock in-process, so the importer and the MWS
/// client stamp requests with Amazon's time.
#[derive(Debug, Clone)]
pub struct SandboxTime(pub ClockHandle);

impl Clock for SandboxTime {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}

/// One order as the control API shows it now.
#[derive(Debug, Clone, Deserialize)]
pub struct OrderView {
    pub amazon_order_id: String,
    pub marketplace_id: String,
    pub status: String,
    pub purchase_date: String,
    pub last_update_date: String,
    pub fulfillment_channel: String,
    pub order_total: String,
    pub items: Vec<ItemView>,
}

impl OrderView {
    pub fn last_update(&self) -> Timestamp {
        self.last_update_date
            .parse()
            .expect("RFC 3339 from the sandbox")
    }

    pub fn purchase(&self) -> Timestamp {
        self.purchase_date
            .parse()
            .expect("RFC 3339 from the sandbox")
    }
}

/// One order line as the control API shows it now.
#[derive(Debug, Clone, Deserialize)]
pub struct ItemView {
    pub order_item_id: String,
    pub asin: String,
    pub sku: String,
    pub quantity_ordered: u32,
    pub quantity_shipped: u32,
    pub item_price: String,
}

/// One answered request of the sandbox's log.
#[derive(Debug, Clone, Deserialize)]
pub struct LoggedRequest {
    pub status: u16,
    pub error_code: Option<String>,
    pub fault: Option<String>,
}

/// The sandbox's demo SP-API app as the operator configures it.
#[derive(Debug, Clone)]
pub struct DemoApp {
    pub application_id: String,
    pub client_id: String,
    pub client_secret: String,
}

/// A running sandbox, its control API and its temp directory.
pub struct Sandbox {
    pub running: RunningSandbox,
    pub control: SandboxControl,
    pub developer: Developer,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    /// Starts a sandbox generated at [`GENERATED_AT`] whose clock then runs (in real time) from
    /// [`GENERATED_AT`] + [`SETTLED_AFTER`].
    pub async fn start(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = SandboxConfig {
            seed: options.seed,
            sellers: options.sellers,
            orders_per_seller: options.orders,
            throttle_scale: options.throttle_scale,
            clock_start: Some(GENERATED_AT.parse().expect("valid instant")),
            cert_dir: dir.path().to_path_buf(),
            ..SandboxConfig::default()
        };
        let running = sellerlink_sandbox::start(config)
            .await
            .expect("sandbox starts");
        let control = SandboxControl::new(running.http_url());
        let developer = running.demo_developer();
        running.clock().set(Self::generated_at() + SETTLED_AFTER);
        Self {
            running,
            control,
            developer,
            _dir: dir,
        }
    }

    pub fn generated_at() -> Timestamp {
        GENERATED_AT.parse().expect("valid instant")
    }

    pub fn url(&self) -> String {
        self.running.http_url()
    }

    pub fn clock(&self) -> SandboxTime {
        SandboxTime(self.running.clock())
    }

    pub fn now(&self) -> Timestamp {
        self.running.now()
    }

    pub fn seller(&self, index: usize) -> SellerAccount {
        self.running.sellers()[index].clone()
    }

    /// Grants the demo developer access to a seller; returns the MWS Auth Token.
    pub async fn grant(&self, seller_id: &str) -> String {
        self.control
            .grant(seller_id, &self.developer.developer_id)
            .await
            .mws_auth_token
    }

    /// The demo app with its current client secret.
    pub async fn demo_app(&self) -> DemoApp {
        let app = self
            .control
            .app(&self.running.demo_app().application_id)
            .await;
        DemoApp {
            application_id: app.application_id,
            client_id: app.client_id,
            client_secret: app.client_secret,
        }
    }

    /// The seller authorizes the demo app (self-authorization); returns the new refresh token.
    pub async fn authorize_app(&self, seller_id: &str) -> String {
        self.control
            .authorize(seller_id, None)
            .await
            .refresh_token
            .expect("a refresh token")
    }

    /// Renews, restores, revokes … the demo developer's grant.
    pub async fn grant_action(&self, action: GrantAction, seller_id: &str) {
        self.control
            .grant_action(action, seller_id, &self.developer.developer_id)
            .await;
    }

    /// Every visible order of a seller, as of now.
    pub async fn orders(&self, seller_id: &str) -> Vec<OrderView> {
        self.control
            .orders(seller_id)
            .await
            .into_iter()
            .map(|order| serde_json::from_value(order).expect("an order view"))
            .collect()
    }

    /// Moves the sandbox clock forward.
    pub async fn advance(&self, by: SignedDuration) {
        self.control.advance_secs(by.as_secs_f64()).await;
    }

    /// The newest logged requests (the log keeps the last 2000).
    pub async fn requests(&self) -> Vec<LoggedRequest> {
        self.control
            .requests(2000)
            .await
            .into_iter()
            .map(|entry| serde_json::from_value(entry).expect("a logged request"))
            .collect()
    }
}
