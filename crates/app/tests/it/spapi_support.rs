//! A real sandbox per test, the app configured with its demo SP-API app, and a small browser (cookie jar, no
//! automatic redirects) that drives the sandbox's Seller Central pages over HTTP the way a merchant's browser does.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_app::{
    App, AppError, DeveloperIdentity, KeySettings, MwsSettings, Settings, SpApiAppSettings,
    SpApiApplicationId, SpApiCallback, SpApiSettings, VerificationFailure,
};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{Language, Merchant, MerchantName};
use sellerlink_domain::ids::{AwsAccessKeyId, ConnectionId, DeveloperId};
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_sandbox::{ClockHandle, RunningSandbox, SandboxConfig, SellerAccount};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{OrderQuery, Store, SyncStream};
use sellerlink_testkit::{SandboxControl, SellerLogin};
use serde_json::{Value, json};

/// Where Amazon sends the browser back (registered for the demo app; no server needed, tests read `Location`).
pub const REDIRECT: &str = "https://3pl.example.jp/amazon/callback";
/// The app's log-in URI for re-authorizations from Manage Your Apps.
pub const LOGIN: &str = "https://3pl.example.jp/amazon/login";
/// The instant every test world is generated at.
pub const GENERATED_AT: &str = "2024-03-01T03:00:00Z";
/// Generated orders have settled this long after [`GENERATED_AT`].
pub const SETTLED_AFTER: SignedDuration = SignedDuration::from_hours(12 * 24);

pub fn actor() -> Actor {
    Actor::user("merchant-user-1")
}

/// The sandbox clock, read in-process: the app stamps dates, expires states and dates access tokens with it.
#[derive(Debug, Clone)]
pub struct SandboxTime(pub ClockHandle);

impl Clock for SandboxTime {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}

/// The demo app's current credentials as the sandbox shows them.
#[derive(Debug, Clone)]
pub struct DemoApp {
    pub application_id: String,
    pub client_id: String,
    pub client_secret: String,
    /// The first day (JST) the secret no longer works.
    pub secret_expires_on: Date,
}

/// A running sandbox with the demo app's redirect and log-in URIs registered.
pub struct Sandbox {
    pub running: RunningSandbox,
    /// Its control API.
    pub control: SandboxControl,
    pub seller: SellerAccount,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    pub async fn start(seed: u64, orders: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let running = sellerlink_sandbox::start(SandboxConfig {
            seed,
            sellers: 1,
            orders_per_seller: orders,
            throttle_scale: 1e9,
            clock_start: Some(GENERATED_AT.parse().unwrap()),
            cert_dir: dir.path().to_path_buf(),
            ..SandboxConfig::default()
        })
        .await
        .expect("the sandbox starts");
        let control = SandboxControl::new(running.http_url());
        let seller = running.demo_seller();
        let sandbox = Self {
            running,
            control,
            seller,
            _dir: dir,
        };
        let settled = GENERATED_AT.parse::<Timestamp>().unwrap() + SETTLED_AFTER;
        sandbox.control.set_clock(&settled.to_string()).await;
        let id = sandbox.running.demo_app().application_id;
        sandbox
            .control
            .update_app(
                &id,
                json!({ "redirect_uris": [REDIRECT], "login_uri": LOGIN }),
            )
            .await;
        sandbox
    }

    pub fn url(&self) -> String {
        self.running.http_url()
    }

    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::new(SandboxTime(self.running.clock()))
    }

    pub fn now(&self) -> Timestamp {
        self.running.now()
    }

    pub async fn advance(&self, by: SignedDuration) {
        self.control.advance_secs(by.as_secs_f64()).await;
    }

    /// The demo app's current credentials (after `rotate`, the new secret).
    pub async fn demo_app(&self) -> DemoApp {
        let id = self.running.demo_app().application_id;
        let view = self.control.app(&id).await;
        let expires_at: Timestamp = view
            .secrets
            .iter()
            .find(|s| s.client_secret == view.client_secret)
            .map(|s| s.expires_at.as_str())
            .unwrap()
            .parse()
            .unwrap();
        DemoApp {
            application_id: id,
            client_id: view.client_id,
            client_secret: view.client_secret,
            secret_expires_on: expires_at
                .to_zoned_datetime(TimeZone::get("Asia/Tokyo").unwrap())
                .date(),
        }
    }

    /// Rotates the demo app's client secret; returns the app with the new one.
    pub async fn rotate_secret(&self) -> DemoApp {
        let id = self.running.demo_app().application_id;
        self.control.rotate_secret(&id).await;
        self.demo_app().await
    }

    /// Every refresh token the sandbox ever issued to the demo seller (for the no-secret-anywhere checks).
    pub async fn refresh_tokens(&self) -> Vec<String> {
        self.control
            .authorizations(Some(&self.seller.seller_id))
            .await
            .into_iter()
            .flat_map(|auth| auth.refresh_tokens)
            .collect()
    }

    /// Places an order for the demo seller now; returns its id.
    pub async fn place_order(&self, sku: &str) -> String {
        let view = self
            .control
            .place_order(
                &self.seller.seller_id,
                json!({ "items": [{ "sku": sku, "quantity": 1, "unit_price": 980 }] }),
            )
            .await;
        view["amazon_order_id"].as_str().unwrap().to_owned()
    }
}

/// The app's SP-API settings for the sandbox's demo app with `app`'s current secret.
pub fn spapi_settings(sandbox: &Sandbox, app: &DemoApp) -> SpApiAppSettings {
    let credentials = LwaCredentials::new(
        LwaClientId::parse(&app.client_id).unwrap(),
        LwaClientSecret::parse(&app.client_secret).unwrap(),
    );
    let mut api = SpApiSettings::new(credentials, app.secret_expires_on);
    api.lwa_endpoint = format!("{}/auth/o2/token", sandbox.url()).parse().unwrap();
    api.spapi_endpoint_override = Some(sandbox.url().parse().unwrap());
    api.pacing = false;
    api.rate_scale = 1e9;
    api.request_timeout = Duration::from_secs(10);
    SpApiAppSettings {
        application_id: SpApiApplicationId::parse(&app.application_id).unwrap(),
        redirect_uri: REDIRECT.parse().unwrap(),
        consent_base_override: Some(sandbox.url().parse().unwrap()),
        draft: false,
        api,
    }
}

/// Opens the app on a SQLite file and key file in `dir` (reopening keeps both), configured for SP-API with `app`.
pub async fn open_app(dir: &Path, sandbox: &Sandbox, app: &DemoApp) -> App {
    App::open(settings(dir, sandbox, app), sandbox.clock())
        .await
        .expect("the app opens")
}

/// [`open_app`], and MWS as the sandbox's demo developer too.
pub async fn open_app_with_mws(dir: &Path, sandbox: &Sandbox, app: &DemoApp) -> App {
    let developer = sandbox.running.demo_developer();
    let mut mws = MwsSettings::new(
        sandbox.url().parse().unwrap(),
        AwsAccessKeyId::parse(&developer.access_key_id).unwrap(),
        SecretString::from(developer.secret_key.clone()),
    );
    mws.pacing = false;
    mws.request_timeout = Duration::from_secs(10);
    let settings = Settings {
        mws: Some(mws),
        ..settings(dir, sandbox, app)
    };
    App::open(settings, sandbox.clock())
        .await
        .expect("the app opens")
}

fn settings(dir: &Path, sandbox: &Sandbox, app: &DemoApp) -> Settings {
    Settings {
        database_url: format!("sqlite://{}", dir.join("app.db").display()),
        keys: KeySettings {
            master_key: None,
            previous_master_keys: None,
            key_file: dir.join("master.key"),
        },
        developer: DeveloperIdentity {
            name: "shippinno".into(),
            developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
        },
        status_policy: StatusPolicy::default(),
        mws: None,
        spapi: Some(spapi_settings(sandbox, app)),
        initial_lookback: SignedDuration::from_hours(24 * 60),
        lease_ttl: SignedDuration::from_mins(5),
    }
}

pub async fn merchant(app: &App, name: &str) -> Merchant {
    app.add_merchant(MerchantName::parse(name).unwrap(), Language::Ja, &actor())
        .await
        .unwrap()
}

/// The SP-API refusal inside an app error, or a panic naming what came instead.
pub fn spapi_failure(error: &AppError) -> &sellerlink_app::SpApiFailure {
    match error {
        AppError::Verification(VerificationFailure::SpApi(failure)) => failure,
        other => panic!("expected an SP-API refusal, got {other:?}"),
    }
}

/// The query of a URL.
pub fn query_of(url: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query()
        .unwrap_or_default()
        .to_owned()
}

/// The seller's browser at the sandbox's Seller Central ([`sellerlink_testkit::Browser`] with the seller's
/// sign-in), answering in the app's types.
pub struct Browser {
    inner: sellerlink_testkit::Browser,
}

fn login(seller: &SellerAccount) -> SellerLogin {
    SellerLogin::new(seller.email.clone(), seller.password.clone())
}

impl Browser {
    pub fn new(sandbox: &Sandbox) -> Self {
        Self {
            inner: sellerlink_testkit::Browser::new(sandbox.url()),
        }
    }

    /// The seller consents on the page `consent_url` leads to; returns the query Amazon redirects back with.
    pub async fn consent(&mut self, consent_url: &str, seller: &SellerAccount) -> SpApiCallback {
        let back = login(seller).consent(&mut self.inner, consent_url).await;
        assert!(back.starts_with(REDIRECT), "{back}");
        SpApiCallback::from_query(&query_of(&back))
    }

    /// Manage Your Apps → Re-authorize: returns the log-in URI Amazon sends the browser to.
    pub async fn reauthorize_from_manage_your_apps(
        &mut self,
        application_id: &str,
        seller: &SellerAccount,
    ) -> String {
        let to_login = login(seller)
            .reauthorize(&mut self.inner, application_id)
            .await;
        assert!(to_login.starts_with(LOGIN), "{to_login}");
        to_login
    }

    /// Follows the app's redirect back to Amazon (the re-authorization's confirm step); returns the redirect URI's
    /// query Amazon answers with.
    pub async fn back_to_amazon(&mut self, url: &str, seller: &SellerAccount) -> SpApiCallback {
        let back = login(seller).confirm(&mut self.inner, url).await;
        assert!(back.starts_with(REDIRECT), "{back}");
        SpApiCallback::from_query(&query_of(&back))
    }
}

/// The shortest spelling of a decimal amount (SP-API writes whole yen without decimals, MWS with two).
fn shortest(amount: &str) -> &str {
    match amount.split_once('.') {
        Some((whole, fraction)) if fraction.bytes().all(|b| b == b'0') => whole,
        _ => amount,
    }
}

/// Asserts the store holds exactly the sandbox's orders last updated up to the connection's watermark: none
/// missing, none extra, same status, last update, total and item quantities. Returns the watermark.
pub async fn assert_equal_to_sandbox(
    store: &Store,
    connection: ConnectionId,
    sandbox: &Sandbox,
) -> Timestamp {
    let mark = store
        .watermark(connection, &SyncStream::orders())
        .await
        .unwrap()
        .expect("a completed import set the watermark")
        .watermark
        .last_updated_after;
    let views = sandbox.control.orders(&sandbox.seller.seller_id).await;
    let expected: HashMap<&str, &Value> = views
        .iter()
        .filter(|v| {
            v["last_update_date"]
                .as_str()
                .unwrap()
                .parse::<Timestamp>()
                .unwrap()
                <= mark
        })
        .map(|v| (v["amazon_order_id"].as_str().unwrap(), v))
        .collect();
    let query = OrderQuery {
        connection: Some(connection),
        limit: u32::MAX,
        ..OrderQuery::default()
    };
    let stored = store.orders(&query).await.unwrap();
    assert_eq!(
        stored.len(),
        expected.len(),
        "stored and expected order counts differ"
    );
    for order in stored.iter().map(|s| &s.order) {
        let id = order.amazon_order_id.as_str();
        let view = expected
            .get(id)
            .unwrap_or_else(|| panic!("order {id} is stored but not expected"));
        assert_eq!(order.status.as_str(), view["status"], "status of {id}");
        let last_update: Timestamp = view["last_update_date"].as_str().unwrap().parse().unwrap();
        assert_eq!(order.last_update_date, last_update, "last update of {id}");
        if let Some(total) = &order.order_total {
            // MWS writes `980.00`, SP-API `980`: compare the amounts, not their spelling.
            assert_eq!(
                shortest(&total.amount),
                shortest(view["order_total"].as_str().unwrap()),
                "total of {id}"
            );
        }
        let mut quantities: Vec<(String, u32, u32)> = order
            .items
            .iter()
            .map(|i| {
                (
                    i.order_item_id.clone(),
                    i.quantity_ordered,
                    i.quantity_shipped,
                )
            })
            .collect();
        quantities.sort();
        let mut want: Vec<(String, u32, u32)> = view["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                let n = |key: &str| u32::try_from(i[key].as_u64().unwrap()).unwrap();
                (
                    i["order_item_id"].as_str().unwrap().to_owned(),
                    n("quantity_ordered"),
                    n("quantity_shipped"),
                )
            })
            .collect();
        want.sort();
        assert_eq!(quantities, want, "items of {id}");
    }
    mark
}

/// The credential of a connection in clear, as text (to compare refresh tokens before and after a renewal).
pub async fn refresh_token_of(app: &App, id: ConnectionId) -> SecretString {
    app.credential(id).await.unwrap()
}
