//! A small Amazon for the tests: an LWA token endpoint that checks credentials, grants and codes,
//! and an SP-API front that checks access tokens like Amazon (missing → 403, unknown → 403
//! revoked, expired → 403 expired) and then answers with what each test scripted. Every request
//! is recorded so tests can assert on what the client sent.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use axum::routing::post;
use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::clock::{Clock, ManualClock};
use sellerlink_domain::ids::{LwaRefreshToken, SellingPartnerId};
use sellerlink_domain::marketplace::Region;
use sellerlink_spapi::{
    LwaClient, LwaClientId, LwaClientSecret, LwaCredentials, RetryPolicy, SellerAuth, SpApiClient,
    SpApiClientBuilder,
};
use url::Url;

pub const CLIENT_ID: &str = "amzn1.application-oa2-client.5f0c1e2d3b4a59687766554433221100";
pub const CLIENT_SECRET: &str =
    "amzn1.oa2-cs.v1.7d1b3f5a9c2e4d6f8a0b1c3e5f7a9b2d4c6e8f0a1b3c5d7e9f";
pub const REDIRECT_URI: &str = "https://3pl.example.jp/amazon/callback";

/// The instant every test starts at.
pub fn start_instant() -> Timestamp {
    "2026-01-10T00:00:00Z".parse().expect("valid instant")
}

/// Reads `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

/// A scripted SP-API answer.
#[derive(Debug, Clone)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Scripted {
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn fixture(status: u16, name: &str) -> Self {
        Self::json(status, fixture(name))
    }

    pub fn empty(status: u16) -> Self {
        Self::json(status, "")
    }

    pub fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// An SP-API request as the server saw it.
#[derive(Debug, Clone)]
pub struct ApiCall {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl ApiCall {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header").to_owned())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// A token request as the server saw it.
#[derive(Debug, Clone)]
pub struct TokenCall {
    pub content_type: Option<String>,
    pub form: HashMap<String, String>,
}

#[derive(Default)]
struct World {
    refresh_tokens: HashMap<String, bool>,
    codes: HashMap<String, String>,
    access_tokens: HashMap<String, Timestamp>,
    issued: u64,
    expires_in: i64,
    token_calls: Vec<TokenCall>,
    scripted: HashMap<String, VecDeque<Scripted>>,
    api_calls: Vec<ApiCall>,
}

struct Shared {
    clock: Arc<ManualClock>,
    world: Mutex<World>,
}

impl Shared {
    fn world(&self) -> std::sync::MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The running server. Dropping it stops the server.
pub struct FakeAmazon {
    pub base: Url,
    pub clock: Arc<ManualClock>,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeAmazon {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeAmazon {
    pub async fn start() -> Self {
        let clock = Arc::new(ManualClock::new(start_instant()));
        let shared = Arc::new(Shared {
            clock: Arc::clone(&clock),
            world: Mutex::new(World {
                expires_in: 3600,
                ..World::default()
            }),
        });
        let app = Router::new()
            .route("/auth/o2/token", post(token))
            .fallback(api)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("fake Amazon serves");
        });
        Self {
            base: Url::parse(&format!("http://{address}/")).expect("valid URL"),
            clock,
            shared,
            task,
        }
    }

    /// A seller with a valid refresh token.
    pub fn add_seller(&self, merchant_token: &str) -> SellerAuth {
        let refresh = format!("Atzr|IwEBI-{merchant_token}-grant");
        self.shared
            .world()
            .refresh_tokens
            .insert(refresh.clone(), true);
        SellerAuth::new(
            SellingPartnerId::parse(merchant_token).expect("valid merchant token"),
            LwaRefreshToken::parse(&refresh).expect("valid refresh token"),
            Region::Fe,
        )
    }

    /// The seller revokes the app in Seller Central.
    pub fn revoke(&self, seller: &SellerAuth) {
        self.shared
            .world()
            .refresh_tokens
            .insert(seller.refresh_token.expose_secret().to_owned(), false);
    }

    /// A consent just happened: `code` can be exchanged once with [`REDIRECT_URI`].
    pub fn add_code(&self, code: &str) {
        self.shared
            .world()
            .codes
            .insert(code.to_owned(), REDIRECT_URI.to_owned());
    }

    /// Makes every access token issued so far expire now (Amazon's side only).
    pub fn expire_access_tokens(&self) {
        let now = self.clock.now();
        for expiry in self.shared.world().access_tokens.values_mut() {
            *expiry = now - SignedDuration::from_secs(1);
        }
    }

    /// Queues an answer for `METHOD path`.
    pub fn script(&self, method: Method, path: &str, answer: Scripted) {
        self.shared
            .world()
            .scripted
            .entry(format!("{method} {path}"))
            .or_default()
            .push_back(answer);
    }

    /// Refresh-token grants LWA received (granted or not).
    pub fn refresh_grants(&self) -> usize {
        self.shared
            .world()
            .token_calls
            .iter()
            .filter(|call| call.form.get("grant_type").map(String::as_str) == Some("refresh_token"))
            .count()
    }

    pub fn token_calls(&self) -> Vec<TokenCall> {
        self.shared.world().token_calls.clone()
    }

    pub fn api_calls(&self) -> Vec<ApiCall> {
        self.shared.world().api_calls.clone()
    }

    /// Access tokens the server issued, in order.
    pub fn issued_tokens(&self) -> Vec<String> {
        let world = self.shared.world();
        (1..=world.issued)
            .map(|n| format!("Atza|IwEBI-access-{n}"))
            .collect()
    }

    pub fn credentials(secret: &str) -> LwaCredentials {
        LwaCredentials::new(
            LwaClientId::parse(CLIENT_ID).expect("valid client id"),
            LwaClientSecret::parse(secret).expect("valid secret"),
        )
    }

    /// An LWA client pointed at this server, on its clock.
    pub fn lwa(&self) -> LwaClient {
        self.lwa_with_secret(CLIENT_SECRET)
    }

    pub fn lwa_with_secret(&self, secret: &str) -> LwaClient {
        LwaClient::builder()
            .token_endpoint(self.base.join("auth/o2/token").expect("valid URL"))
            .credentials(Self::credentials(secret))
            .clock(self.clock.clone())
            .build()
            .expect("LWA client builds")
    }

    /// A client builder pointed at this server: rate limits off, fast retries, this clock.
    pub fn client_builder(&self) -> SpApiClientBuilder {
        SpApiClient::builder()
            .endpoint_override(self.base.clone())
            .lwa(self.lwa())
            .clock(self.clock.clone())
            .rate_limits(false)
            .retry_policy(fast_retries(4))
    }

    pub fn client(&self) -> SpApiClient {
        self.client_builder().build().expect("client builds")
    }
}

pub fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::sp_api()
        .with_max_retries(max_retries)
        .with_delays(
            std::time::Duration::from_millis(5),
            std::time::Duration::from_millis(50),
        )
}

fn respond(status: u16, headers: &[(&str, String)], body: String) -> Response<Body> {
    let mut response = Response::builder()
        .status(StatusCode::from_u16(status).expect("valid status"))
        .header("x-amzn-RequestId", "7c1e5a2f-3b9d-4e80-a6c4-0f2d8b1e9a37");
    if !body.is_empty() {
        response = response.header("content-type", "application/json");
    }
    for (name, value) in headers {
        response = response.header(*name, value);
    }
    response.body(Body::from(body)).expect("valid response")
}

async fn token(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut world = shared.world();
    world.token_calls.push(TokenCall {
        content_type,
        form: form.clone(),
    });
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return respond(401, &[], fixture("lwa_error_invalid_client.json"));
    }
    let refresh_token = match field("grant_type") {
        "refresh_token" => {
            if world.refresh_tokens.get(field("refresh_token")) != Some(&true) {
                return respond(400, &[], fixture("lwa_error_invalid_grant_refresh.json"));
            }
            field("refresh_token").to_owned()
        }
        "authorization_code" => {
            let known = world.codes.get(field("code")).cloned();
            if known.as_deref() != Some(field("redirect_uri")) {
                return respond(400, &[], fixture("lwa_error_invalid_grant_code.json"));
            }
            world.codes.remove(field("code"));
            let refresh = format!("Atzr|IwEBI-from-code-{}", field("code"));
            world.refresh_tokens.insert(refresh.clone(), true);
            refresh
        }
        _ => return respond(400, &[], fixture("lwa_error_unsupported_grant_type.json")),
    };
    world.issued += 1;
    let access = format!("Atza|IwEBI-access-{}", world.issued);
    let expiry = shared.clock.now() + SignedDuration::from_secs(world.expires_in);
    world.access_tokens.insert(access.clone(), expiry);
    let body = serde_json::json!({
        "access_token": access,
        "refresh_token": refresh_token,
        "token_type": "bearer",
        "expires_in": world.expires_in,
    });
    respond(
        200,
        &[("cache-control", "no-store".to_owned())],
        body.to_string(),
    )
}

async fn api(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let mut world = shared.world();
    world.api_calls.push(ApiCall {
        method: method.clone(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: headers.clone(),
        body: body.to_vec(),
    });
    let token = headers
        .get("x-amz-access-token")
        .and_then(|v| v.to_str().ok());
    let Some(token) = token else {
        return respond(403, &[], fixture("spapi_error_403_missing_token.json"));
    };
    match world.access_tokens.get(token) {
        None => return respond(403, &[], fixture("spapi_error_403_revoked.json")),
        Some(expiry) if *expiry <= shared.clock.now() => {
            return respond(403, &[], fixture("spapi_error_403_token_expired.json"));
        }
        Some(_) => {}
    }
    let key = format!("{method} {}", uri.path());
    match world.scripted.get_mut(&key).and_then(VecDeque::pop_front) {
        Some(answer) => respond(answer.status, &answer.headers, answer.body),
        None => respond(
            400,
            &[],
            serde_json::json!({"errors": [{
                "code": "InvalidInput",
                "message": format!("the fake Amazon has no scripted answer for {key}"),
            }]})
            .to_string(),
        ),
    }
}
