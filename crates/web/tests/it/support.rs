//! A test world per test: a temporary SQLite database, the app on a manual (or real) clock, the web router driven
//! in-process, optionally a real sandbox on port 0; and a small browser (cookie jar, CSRF from the forms).

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_app::{
    App, DeveloperIdentity, KeySettings, MwsSettings, NewMwsConnection, Settings,
};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::{Clock, ManualClock, ShiftableClock, SystemClock};
use sellerlink_domain::connection::{Language, Merchant, MerchantName};
use sellerlink_domain::ids::{
    AmazonOrderId, AwsAccessKeyId, ConnectionId, DeveloperId, MarketplaceId, MwsAuthToken, SellerId,
};
use sellerlink_domain::lifecycle::{AccessDenial, StatusPolicy};
use sellerlink_domain::order::{Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_reminders::{ReminderSettings, Reminders, Senders};
use sellerlink_sandbox::{RunningSandbox, SandboxConfig};
use sellerlink_secrets::MasterKey;
use sellerlink_store::{Role, User};
use sellerlink_testkit::SandboxControl;
use sellerlink_web::{DemoClock, NewUser, PasswordCost, WebConfig, WebState, add_user, router};
use serde_json::Value;
use tower::ServiceExt as _;

pub const PASSWORD: &str = "correct horse battery staple";
pub const TOKEN: &str = "amzn.mws.01234567-89ab-cdef-0123-456789c0ffee";

/// How a test world is built.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Start a real sandbox and give the app MWS access to it.
    pub sandbox: bool,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// Also configure the sandbox's demo SP-API app ("Connect with Amazon"); needs `sandbox`.
    pub spapi: bool,
    /// Refuse merchants' webhooks to loopback and private addresses, as production does (the tests' receivers
    /// listen on loopback, so they are allowed otherwise).
    pub refuse_private_webhooks: bool,
    /// Run the app on a shiftable clock with the demo clock control (as `sellerlink demo` does); not with `sandbox`.
    pub demo_clock: bool,
    /// A reverse proxy whose `X-Forwarded-For` the app trusts.
    pub trusted_proxy: Option<std::net::IpAddr>,
}

/// The redirect URI registered for the demo SP-API app (the tests read Amazon's `Location` and call the route).
pub const SPAPI_REDIRECT: &str = "https://3pl.example.jp/amazon/callback";
/// The log-in URI registered for the demo SP-API app.
pub const SPAPI_LOGIN: &str = "https://3pl.example.jp/amazon/login";

/// The clock of a test world.
pub enum TestClock {
    Manual(Arc<ManualClock>),
    Real,
    /// The demo's clock; the count of moves its control made is kept beside it.
    Demo(Arc<ShiftableClock>, Arc<AtomicUsize>),
}

/// A world: app, router, maybe a sandbox, maybe the reminders service behind the notification pages.
pub struct TestApp {
    pub app: App,
    pub router: Router,
    pub clock: TestClock,
    pub sandbox: Option<RunningSandbox>,
    pub db_path: std::path::PathBuf,
    /// The reminders service the app was given (see [`TestApp::with_senders`]).
    pub reminders: Option<Reminders>,
    _dir: tempfile::TempDir,
}

impl TestApp {
    pub async fn new() -> Self {
        Self::with(Options::default()).await
    }

    pub async fn with(options: Options) -> Self {
        Self::build(options, None).await
    }

    /// A world whose web app has the reminders service, sending through `senders` (on the world's clock).
    pub async fn with_senders(options: Options, senders: Senders) -> Self {
        Self::build(options, Some(senders)).await
    }

    /// A second world (its own database and app) talking to `sandbox`, the sandbox of another world: the same
    /// Amazon seen by two installations. Its own `sandbox` field is empty.
    pub async fn sharing_sandbox(options: Options, sandbox: &RunningSandbox) -> Self {
        Self::build_with(options, None, Some(sandbox)).await
    }

    async fn build(options: Options, senders: Option<Senders>) -> Self {
        Self::build_with(options, senders, None).await
    }

    async fn build_with(
        options: Options,
        senders: Option<Senders>,
        shared: Option<&RunningSandbox>,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db_path = dir.path().join("web.db");
        let sandbox = if options.sandbox && shared.is_none() {
            Some(
                sellerlink_sandbox::start(SandboxConfig {
                    sellers: 2,
                    orders_per_seller: 30,
                    throttle_scale: 1e6,
                    cert_dir: dir.path().join("sandbox"),
                    ..SandboxConfig::default()
                })
                .await
                .expect("sandbox starts"),
            )
        } else {
            None
        };
        let reachable = shared.or(sandbox.as_ref());
        let mws = reachable.map(|sandbox| {
            let developer = sandbox.demo_developer();
            let mut mws = MwsSettings::new(
                sandbox.http_url().parse().expect("sandbox URL"),
                AwsAccessKeyId::parse(&developer.access_key_id).expect("access key"),
                SecretString::from(developer.secret_key.clone()),
            );
            mws.pacing = false;
            mws.request_timeout = Duration::from_secs(10);
            mws
        });
        let spapi = match (reachable, options.spapi) {
            (Some(sandbox), true) => Some(spapi_settings(sandbox).await),
            _ => None,
        };
        let settings = Settings {
            database_url: format!("sqlite://{}", db_path.display()),
            keys: KeySettings {
                master_key: Some(MasterKey::generate().expect("randomness").export_base64()),
                previous_master_keys: None,
                key_file: dir.path().join("master.key"),
            },
            developer: DeveloperIdentity {
                name: "shippinno".into(),
                developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
            },
            status_policy: StatusPolicy::default(),
            mws,
            spapi,
            initial_lookback: SignedDuration::from_hours(24 * 60),
            lease_ttl: SignedDuration::from_mins(5),
        };
        // With a sandbox the app signs MWS requests with its clock, which must then be the real one.
        let (clock, dyn_clock): (TestClock, Arc<dyn Clock>) = if reachable.is_some() {
            (TestClock::Real, Arc::new(SystemClock))
        } else if options.demo_clock {
            let shiftable = Arc::new(ShiftableClock::new());
            (
                TestClock::Demo(shiftable.clone(), Arc::new(AtomicUsize::new(0))),
                shiftable,
            )
        } else {
            let manual = Arc::new(ManualClock::new(Timestamp::now()));
            (TestClock::Manual(manual.clone()), manual)
        };
        let app = App::open(settings, dyn_clock.clone())
            .await
            .expect("app opens");
        let reminders = senders.map(|senders| {
            let keyring = Arc::new(app.settings().keys.load().expect("the keyring loads"));
            let settings =
                ReminderSettings::new("shippinno", DeveloperId::parse("5259-6479-4073").unwrap());
            Reminders::new(app.store().clone(), keyring, settings, senders).with_clock(dyn_clock)
        });
        let app = match &reminders {
            Some(reminders) => app.with_notifications(reminders.clone()),
            None => app,
        };
        let config = WebConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            secure_cookies: options.secure_cookies,
            password_cost: PasswordCost::low(),
            sync_after_connect: false,
            allow_private_webhooks: !options.refuse_private_webhooks,
            trusted_proxies: options
                .trusted_proxy
                .map(|proxy| vec![proxy.into()])
                .unwrap_or_default(),
            demo_clock: match &clock {
                TestClock::Demo(shiftable, moves) => {
                    let moves = moves.clone();
                    Some(DemoClock::new(shiftable.clone(), move |_| {
                        moves.fetch_add(1, Ordering::SeqCst);
                        Box::pin(async {})
                    }))
                }
                _ => None,
            },
            ..WebConfig::default()
        };
        let router = router(WebState::new(app.clone(), config));
        Self {
            app,
            router,
            clock,
            sandbox,
            db_path,
            reminders,
            _dir: dir,
        }
    }

    /// Moves the manual clock forward.
    pub fn advance(&self, by: SignedDuration) {
        match &self.clock {
            TestClock::Manual(clock) => clock.advance(by),
            TestClock::Real => panic!("this world runs on the real clock"),
            TestClock::Demo(clock, _) => clock.advance(by),
        }
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            app: self,
            cookies: BTreeMap::new(),
            peer: "192.0.2.10:50000".parse().unwrap(),
            forwarded_for: None,
        }
    }

    /// Sends one request through the router, as from `peer`.
    pub async fn send(&self, mut request: Request<Body>, peer: SocketAddr) -> Reply {
        request.extensions_mut().insert(ConnectInfo(peer));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .expect("a body");
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// An API request with an API key.
    pub async fn api_with_key(
        &self,
        method: Method,
        path: &str,
        key: &str,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {key}"));
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(
            builder.body(body).unwrap(),
            "192.0.2.20:40000".parse().unwrap(),
        )
        .await
    }

    /// An API request without credentials.
    pub async fn api_anonymous(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(
            builder.body(body).unwrap(),
            "192.0.2.30:40000".parse().unwrap(),
        )
        .await
    }

    pub async fn merchant(&self, name: &str) -> Merchant {
        self.app
            .add_merchant(
                MerchantName::parse(name).unwrap(),
                Language::Ja,
                &Actor::cli("test"),
            )
            .await
            .expect("merchant added")
    }

    pub async fn user(&self, email: &str, role: Role, language: Language) -> User {
        add_user(
            self.app.store(),
            NewUser {
                email: email.to_owned(),
                password: SecretString::from(PASSWORD.to_owned()),
                role,
                language,
            },
            PasswordCost::low(),
            self.app.now(),
        )
        .await
        .expect("user added")
    }

    pub async fn operator(&self) -> User {
        self.user("ops@3pl.example", Role::Operator, Language::Ja)
            .await
    }

    /// A connection stored without asking Amazon (unverified), granted `granted_days_ago` days ago.
    pub async fn connection(
        &self,
        merchant: &Merchant,
        seller: &str,
        granted_days_ago: i64,
    ) -> ConnectionId {
        let granted_at = self.app.now() - SignedDuration::from_hours(24 * granted_days_ago);
        self.app
            .add_mws_connection(
                NewMwsConnection {
                    merchant_id: merchant.id,
                    seller_id: SellerId::parse(seller).unwrap(),
                    marketplaces: vec![MarketplaceId::japan()],
                    auth_token: MwsAuthToken::parse(TOKEN).unwrap(),
                    granted_at: Some(granted_at),
                    last_approved_on: None,
                    expiry: None,
                    skip_verification: true,
                },
                &Actor::cli("test"),
            )
            .await
            .expect("connection added")
            .connection
            .id
    }

    /// Marks a stored connection verified (what a successful verification records).
    pub async fn mark_verified(&self, id: ConnectionId) {
        let stored = self.app.store().connection(id).await.unwrap();
        let mut after = stored.connection.clone();
        after.verified_at = Some(self.app.now());
        self.app
            .store()
            .update_connection(
                &after,
                stored.version,
                &audit(&after, AuditAction::ConnectionVerified, self.app.now()),
            )
            .await
            .unwrap();
    }

    /// Records that Amazon refused a stored connection.
    pub async fn mark_denied(&self, id: ConnectionId) {
        let stored = self.app.store().connection(id).await.unwrap();
        let mut after = stored.connection.clone();
        after.grant = after.grant.deny_access(AccessDenial {
            at: self.app.now(),
            cause: RefusalCause::SellerAccess,
            detail: "AccessDenied: test".into(),
        });
        self.app
            .store()
            .update_connection(
                &after,
                stored.version,
                &audit(&after, AuditAction::AccessDenied, self.app.now()),
            )
            .await
            .unwrap();
    }

    /// Stores `count` orders for a connection, one per hour back from now, alternating status and channel.
    pub async fn orders(&self, connection: ConnectionId, count: u32, first: u32) {
        let now = self.app.now();
        let orders: Vec<Order> = (0..count)
            .map(|n| {
                order(
                    first + n,
                    now - SignedDuration::from_hours(i64::from(n) + 1),
                )
            })
            .collect();
        self.app
            .store()
            .upsert_orders(connection, &orders, now, None)
            .await
            .expect("orders stored");
    }

    /// The sandbox's control API.
    pub fn sandbox_control(&self) -> SandboxControl {
        SandboxControl::new(self.sandbox.as_ref().expect("a sandbox").http_url())
    }

    /// Grants the demo developer access for a sandbox seller; returns (seller id, marketplace id, token).
    pub async fn sandbox_grant(&self, seller_index: usize) -> (String, String, String) {
        let sandbox = self.sandbox.as_ref().expect("a sandbox");
        let seller = sandbox.sellers()[seller_index].clone();
        let grant = self
            .sandbox_control()
            .grant(&seller.seller_id, &sandbox.demo_developer().developer_id)
            .await;
        (
            seller.seller_id,
            seller.marketplace_ids[0].clone(),
            grant.mws_auth_token,
        )
    }
}

/// Registers the test's redirect and log-in URIs for the sandbox's demo SP-API app and returns the app's settings.
async fn spapi_settings(sandbox: &RunningSandbox) -> sellerlink_app::SpApiAppSettings {
    use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
    let id = sandbox.demo_app().application_id;
    let view = SandboxControl::new(sandbox.http_url())
        .update_app(
            &id,
            serde_json::json!({ "redirect_uris": [SPAPI_REDIRECT], "login_uri": SPAPI_LOGIN }),
        )
        .await;
    let expires_at: Timestamp = view
        .secrets
        .iter()
        .find(|s| s.client_secret == view.client_secret)
        .map(|s| s.expires_at.as_str())
        .unwrap()
        .parse()
        .unwrap();
    let credentials = LwaCredentials::new(
        LwaClientId::parse(&view.client_id).unwrap(),
        LwaClientSecret::parse(&view.client_secret).unwrap(),
    );
    let expires_on = expires_at
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .date();
    let mut api = sellerlink_app::SpApiSettings::new(credentials, expires_on);
    api.lwa_endpoint = format!("{}/auth/o2/token", sandbox.http_url())
        .parse()
        .unwrap();
    api.spapi_endpoint_override = Some(sandbox.http_url().parse().unwrap());
    api.pacing = false;
    api.rate_scale = 1e9;
    api.request_timeout = Duration::from_secs(10);
    sellerlink_app::SpApiAppSettings {
        application_id: sellerlink_app::SpApiApplicationId::parse(&id).unwrap(),
        redirect_uri: SPAPI_REDIRECT.parse().unwrap(),
        consent_base_override: Some(sandbox.http_url().parse().unwrap()),
        draft: false,
        api,
    }
}

fn audit(
    connection: &sellerlink_domain::connection::Connection,
    action: AuditAction,
    at: Timestamp,
) -> AuditEntry {
    AuditEntry {
        merchant_id: connection.merchant_id,
        connection_id: Some(connection.id),
        actor: Actor::system("test"),
        action,
        at,
        before: None,
        after: None,
    }
}

/// A test order numbered `n`.
pub fn order(n: u32, purchased: Timestamp) -> Order {
    let yen = |amount: &str| Money {
        currency: "JPY".into(),
        amount: amount.into(),
    };
    Order {
        amazon_order_id: AmazonOrderId::parse(&format!("503-{:07}-{:07}", n / 7, n)).unwrap(),
        marketplace_id: MarketplaceId::japan(),
        status: if n.is_multiple_of(2) {
            OrderStatus::Unshipped
        } else {
            OrderStatus::Shipped
        },
        fulfillment_channel: Some(if n.is_multiple_of(3) {
            FulfillmentChannel::Afn
        } else {
            FulfillmentChannel::Mfn
        }),
        purchase_date: purchased,
        last_update_date: purchased,
        order_total: Some(yen("1507.00")),
        sales_channel: Some("Amazon.co.jp".into()),
        ship_service_level: Some("Std JP Kanto8".into()),
        buyer_name: Some("山田 太郎".into()),
        shipping_address: Some(Address {
            name: Some("山田 太郎".into()),
            postal_code: Some("150-0001".into()),
            state_or_region: Some("東京都".into()),
            city: Some("渋谷区".into()),
            address_line1: Some("神宮前1-1-1".into()),
            country_code: Some("JP".into()),
            ..Address::default()
        }),
        payment_method: Some("Other".into()),
        latest_ship_date: Some(purchased + SignedDuration::from_hours(48)),
        items: vec![OrderItem {
            order_item_id: format!("{:014}", u64::from(n) * 10 + 1),
            asin: "B00TEST0001".into(),
            seller_sku: Some(format!("SKU-{n}")),
            title: Some(format!("テスト商品 {n}")),
            quantity_ordered: 2,
            quantity_shipped: 0,
            item_price: Some(yen("1200.00")),
            shipping_price: Some(yen("307.00")),
        }],
    }
}

/// A response.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no Location header ({}): {}", self.status, self.body))
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The error envelope's code.
    pub fn code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no CSRF field in: {html}"))
        + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// A browser: keeps cookies, reads CSRF tokens from forms.
pub struct Browser<'a> {
    app: &'a TestApp,
    pub cookies: BTreeMap<String, String>,
    pub peer: SocketAddr,
    /// Sent as `X-Forwarded-For` (as a reverse proxy in front of the app would).
    pub forwarded_for: Option<String>,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn remember(&mut self, reply: &Reply) {
        for cookie in reply.set_cookies() {
            let first = cookie.split(';').next().unwrap();
            let (name, value) = first.split_once('=').unwrap();
            if value.is_empty() || cookie.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    pub async fn request(&mut self, mut request: Request<Body>) -> Reply {
        if let Some(chain) = &self.forwarded_for {
            request
                .headers_mut()
                .insert("x-forwarded-for", chain.parse().unwrap());
        }
        let reply = self.app.send(request, self.peer).await;
        self.remember(&reply);
        reply
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.request(request).await
    }

    /// Posts a form exactly as given (no CSRF added).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    /// Posts a form body exactly as given, bytes and all (no CSRF added).
    pub async fn post_raw_form(&mut self, path: &str, body: Vec<u8>) -> Reply {
        let request = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    /// Opens `page`, takes the CSRF token of its forms and posts `fields` with it to `action`.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Reply {
        let html = self.get(page).await;
        assert!(
            html.status.is_success(),
            "GET {page}: {} {}",
            html.status,
            html.body
        );
        let csrf = csrf_of(&html.body);
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Reply {
        self.submit(
            "/login",
            "/login",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// Signs in and asserts it worked.
    pub async fn signed_in(mut self, email: &str) -> Self {
        let reply = self.sign_in(email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        self
    }

    /// The session's CSRF token (from any page's forms).
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/orders").await;
        csrf_of(&page.body)
    }

    /// An API request with the session cookie (and, if given, the CSRF header).
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        body: Option<Value>,
        csrf: Option<&str>,
    ) -> Reply {
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, self.cookie_header());
        if let Some(token) = csrf {
            builder = builder.header("x-csrf-token", token);
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.request(builder.body(body).unwrap()).await
    }
}
