//! [`SandboxControl`]: a typed client of the sandbox's control API (`/_sandbox/…`, described in `docs/SANDBOX.md`)
//! for tests that set up or inspect "Amazon": accounts, grants, SP-API apps and authorizations, the clock, orders,
//! stock, feeds, faults and the request log.
//!
//! The answers about accounts, grants, apps, authorizations and the clock are typed ([`Seller`], [`Grant`], …);
//! orders, stock, feeds and the request log come back as JSON, which tests read field by field. Every method
//! panics with the sandbox's own message when it refuses: a test that sets up a world it cannot have is wrong.
//! [`SandboxControl::send`] is the way to look at a refusal on purpose.

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

/// A client of one sandbox's control API.
#[derive(Debug, Clone)]
pub struct SandboxControl {
    http: reqwest::Client,
    base: String,
}

/// What the control API answered, refusals included ([`SandboxControl::send`]).
#[derive(Debug, Clone)]
pub struct ControlAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body (`Null` when there was none, e.g. `204`); a refusal is `{"error": "…"}`.
    pub body: Value,
}

/// The sandbox's demo identity (`GET /_sandbox/identity`).
#[derive(Debug, Clone, Deserialize)]
pub struct Identity {
    /// The seeded demo developer (`shippinno`, `5259-6479-4073`).
    pub developer: Option<Developer>,
    /// The first seeded seller.
    pub seller: Option<Seller>,
    /// The seed the world was generated from.
    pub seed: u64,
    /// The demo SP-API app.
    pub app: Option<App>,
}

/// An MWS developer with its keys (test data: the control API shows secrets).
#[derive(Debug, Clone, Deserialize)]
pub struct Developer {
    /// The developer name, e.g. `shippinno`.
    pub name: String,
    /// 12 digits without dashes.
    pub developer_id: String,
    /// `5259-6479-4073`.
    pub developer_id_dashed: String,
    /// The AWS access key ID requests are signed with.
    pub access_key_id: String,
    /// The secret key requests are signed with.
    pub secret_key: String,
}

/// A Seller Central account with its sign-in.
#[derive(Debug, Clone, Deserialize)]
pub struct Seller {
    /// The merchant token (Seller ID).
    pub seller_id: String,
    /// The shop name.
    pub display_name: String,
    /// Sign-in e-mail address.
    pub email: String,
    /// Sign-in phone number.
    pub phone: String,
    /// Sign-in password.
    pub password: String,
    /// The marketplaces, home first.
    pub marketplace_ids: Vec<String>,
}

/// A seller's MWS grant to a developer, as seen at the sandbox's now.
#[derive(Debug, Clone, Deserialize)]
pub struct Grant {
    /// The seller.
    pub seller_id: String,
    /// The developer, 12 digits.
    pub developer_id: String,
    /// The developer with dashes.
    pub developer_id_dashed: String,
    /// The nickname Seller Central shows.
    pub nickname: String,
    /// The MWS Auth Token.
    pub mws_auth_token: String,
    /// When access was granted (RFC 3339).
    pub granted_at: String,
    /// The last day access was granted, approved or restored (JST date).
    pub last_approved_on: String,
    /// Whether the yearly expiry feature is on.
    pub expiry_enabled: bool,
    /// The expiry date (JST), when the feature is on.
    pub expires_on: Option<String>,
    /// When the seller revoked access (RFC 3339).
    pub revoked_at: Option<String>,
    /// `active`, `expired` or `revoked`.
    pub state: String,
}

/// What a seller can do to a grant in Seller Central (`POST /_sandbox/grants/{action}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantAction {
    /// "Approve access" before the expiry date (renew).
    Renew,
    /// "Restore access" after it.
    Restore,
    /// Revoke access.
    Revoke,
    /// Switch the expiry feature on.
    EnableExpiry,
    /// Make the grant expire now (a sandbox shortcut).
    ExpireNow,
}

impl GrantAction {
    fn path(self) -> &'static str {
        match self {
            Self::Renew => "renew",
            Self::Restore => "restore",
            Self::Revoke => "revoke",
            Self::EnableExpiry => "enable-expiry",
            Self::ExpireNow => "expire-now",
        }
    }
}

/// How the sandbox serves an order malformed ([`SandboxControl::set_malformed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformation {
    /// Fields the API's model marks optional are missing: the SP-API order has no `salesChannel.marketplaceId`, its
    /// lines no `product.asin`, and a `searchOrders` page carrying it echoes no `lastUpdatedBefore`.
    OptionalFieldsMissing,
    /// The order cannot be read: its SP-API `createdTime` / MWS `PurchaseDate` is `not-a-date`.
    Unreadable,
}

impl Malformation {
    fn kind(self) -> &'static str {
        match self {
            Self::OptionalFieldsMissing => "optional_fields_missing",
            Self::Unreadable => "unreadable",
        }
    }
}

/// The sandbox clock.
#[derive(Debug, Clone, Deserialize)]
pub struct Clock {
    /// Now, RFC 3339 UTC.
    pub now: String,
    /// Now in JST, `2018-04-17 10:26:33 JST`.
    pub now_jst: String,
    /// Whether it only moves when told to.
    pub frozen: bool,
}

/// An SP-API app with its LWA credentials.
#[derive(Debug, Clone, Deserialize)]
pub struct App {
    /// `amzn1.sellerapps.app.<uuid>`.
    pub application_id: String,
    /// The app's name.
    pub name: String,
    /// The LWA client ID.
    pub client_id: String,
    /// The newest client secret.
    pub client_secret: String,
    /// Every client secret, oldest first.
    pub secrets: Vec<AppSecret>,
    /// The OAuth redirect URIs, the default first.
    pub redirect_uris: Vec<String>,
    /// The log-in URI.
    pub login_uri: Option<String>,
    /// `draft` or `published`.
    pub stage: String,
}

/// One LWA client secret of an app.
#[derive(Debug, Clone, Deserialize)]
pub struct AppSecret {
    /// The secret.
    pub client_secret: String,
    /// When it was created (RFC 3339).
    pub created_at: String,
    /// Created + 180 days (RFC 3339).
    pub expires_at: String,
    /// When it stops working: its expiry, or the end of the grace after a rotation (RFC 3339).
    pub valid_until: String,
    /// Whether it works now.
    pub valid: bool,
}

/// A seller's authorization of an SP-API app.
#[derive(Debug, Clone, Deserialize)]
pub struct Authorization {
    /// The seller.
    pub seller_id: String,
    /// The app.
    pub application_id: String,
    /// `active`, `expired` or `revoked`.
    pub status: String,
    /// The last (re)authorization (RFC 3339).
    pub authorized_at: String,
    /// Authorized + 365 days (RFC 3339).
    pub expires_at: String,
    /// When the seller revoked it (RFC 3339).
    pub revoked_at: Option<String>,
    /// The refresh tokens that work while it is active.
    pub refresh_tokens: Vec<String>,
}

/// What authorizing an app, or asking for an OAuth code, gave.
#[derive(Debug, Clone, Deserialize)]
pub struct Issued {
    /// The authorization afterwards.
    pub authorization: Authorization,
    /// The new refresh token (self-authorization).
    pub refresh_token: Option<String>,
    /// The `spapi_oauth_code` (action `code`).
    pub spapi_oauth_code: Option<String>,
    /// The redirect URI the code is bound to (action `code`).
    pub redirect_uri: Option<String>,
}

/// What a seller can do to an app's authorization (`POST /_sandbox/authorizations/{action}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizationAction {
    /// Revoke it in Manage Your Apps.
    Revoke,
    /// Make it expire now (a sandbox shortcut).
    ExpireNow,
    /// Authorize through the consent page and get the `spapi_oauth_code` without the pages.
    Code,
}

impl AuthorizationAction {
    fn path(self) -> &'static str {
        match self {
            Self::Revoke => "revoke",
            Self::ExpireNow => "expire-now",
            Self::Code => "code",
        }
    }
}

impl SandboxControl {
    /// A client of the sandbox listening on `base_url` (its plain-HTTP URL, e.g. `RunningSandbox::http_url`);
    /// requests time out after 30 s. Installs rustls' ring provider as the process default if none is yet (the
    /// workspace builds reqwest without a provider of its own).
    pub fn new(base_url: impl Into<String>) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("the HTTP client builds");
        Self {
            http,
            base: base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    /// Sends one request to a control endpoint (`path` starts with `/_sandbox`) and returns whatever it answered.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> ControlAnswer {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the control API answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("the control API's body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        ControlAnswer { status, body }
    }

    /// [`Self::send`], panicking on a refusal; the answer read as `T`.
    async fn call<T: serde::de::DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> T {
        let shown = format!("{method} {path}");
        let answer = self.send(method, path, body).await;
        assert!(
            (200..300).contains(&answer.status),
            "the sandbox refused {shown}: {} {}",
            answer.status,
            answer.body
        );
        serde_json::from_value(answer.body.clone()).unwrap_or_else(|error| {
            panic!("{shown} answered {} unlike expected: {error}", answer.body)
        })
    }

    /// The demo developer, the first seller, the seed and the demo SP-API app.
    pub async fn identity(&self) -> Identity {
        self.call(Method::GET, "/_sandbox/identity", None).await
    }

    /// Every seller account, the generated ones first.
    pub async fn sellers(&self) -> Vec<Seller> {
        self.call(Method::GET, "/_sandbox/sellers", None).await
    }

    /// Adds a seller account; `account` is the body of `POST /_sandbox/sellers` (`email` and `password` required).
    pub async fn add_seller(&self, account: Value) -> Seller {
        self.call(Method::POST, "/_sandbox/sellers", Some(account))
            .await
    }

    /// The grants, of one seller or of all.
    pub async fn grants(&self, seller_id: Option<&str>) -> Vec<Grant> {
        let path = match seller_id {
            Some(seller) => format!("/_sandbox/grants?seller_id={seller}"),
            None => "/_sandbox/grants".to_owned(),
        };
        self.call(Method::GET, &path, None).await
    }

    /// The seller grants the developer MWS access now, with the expiry feature on (as Amazon requires).
    pub async fn grant(&self, seller_id: &str, developer_id: &str) -> Grant {
        self.grant_with(seller_id, developer_id, json!({ "expiry_enabled": true }))
            .await
    }

    /// A grant with more of `POST /_sandbox/grants` given in `details` (e.g. `granted_at`, `expiry_enabled`).
    pub async fn grant_with(&self, seller_id: &str, developer_id: &str, details: Value) -> Grant {
        let mut body = json!({ "seller_id": seller_id, "developer_id": developer_id });
        if let (Some(body), Value::Object(details)) = (body.as_object_mut(), details) {
            body.extend(details);
        }
        self.call(Method::POST, "/_sandbox/grants", Some(body))
            .await
    }

    /// The seller acts on its grant to the developer in Seller Central.
    pub async fn grant_action(
        &self,
        action: GrantAction,
        seller_id: &str,
        developer_id: &str,
    ) -> Grant {
        self.call(
            Method::POST,
            &format!("/_sandbox/grants/{}", action.path()),
            Some(json!({ "seller_id": seller_id, "developer_id": developer_id })),
        )
        .await
    }

    /// The clock now.
    pub async fn clock(&self) -> Clock {
        self.call(Method::GET, "/_sandbox/clock", None).await
    }

    /// Changes the clock; `change` is the body of `POST /_sandbox/clock`: `set` (RFC 3339), `advance` (seconds or
    /// a span such as `"P1Y"`) and `freeze`, applied in that order.
    pub async fn change_clock(&self, change: Value) -> Clock {
        self.call(Method::POST, "/_sandbox/clock", Some(change))
            .await
    }

    /// Moves the clock by `seconds` (fractional, or negative to move it back).
    pub async fn advance_secs(&self, seconds: f64) -> Clock {
        self.change_clock(json!({ "advance": seconds })).await
    }

    /// Makes the clock read `instant` (RFC 3339).
    pub async fn set_clock(&self, instant: &str) -> Clock {
        self.change_clock(json!({ "set": instant })).await
    }

    /// Places an order for the seller; `order` is the body of `POST /_sandbox/sellers/{seller_id}/orders`. Returns
    /// the order as the sandbox shows it.
    pub async fn place_order(&self, seller_id: &str, order: Value) -> Value {
        self.call(
            Method::POST,
            &format!("/_sandbox/sellers/{seller_id}/orders"),
            Some(order),
        )
        .await
    }

    /// The seller's orders visible now, oldest first.
    pub async fn orders(&self, seller_id: &str) -> Vec<Value> {
        self.call(
            Method::GET,
            &format!("/_sandbox/sellers/{seller_id}/orders"),
            None,
        )
        .await
    }

    /// One order of the seller as the sandbox shows it now.
    pub async fn order(&self, seller_id: &str, order_id: &str) -> Value {
        self.call(
            Method::GET,
            &format!("/_sandbox/sellers/{seller_id}/orders/{order_id}"),
            None,
        )
        .await
    }

    /// Changes an order's status at `at` (RFC 3339; the sandbox's now when `None`), dropping the steps its timeline
    /// had planned after that (`POST /_sandbox/sellers/{seller_id}/orders/{order_id}/status`). Returns the order.
    pub async fn set_order_status(
        &self,
        seller_id: &str,
        order_id: &str,
        status: &str,
        at: Option<&str>,
    ) -> Value {
        let mut change = json!({ "status": status });
        if let (Some(change), Some(at)) = (change.as_object_mut(), at) {
            change.insert("at".to_owned(), json!(at));
        }
        self.call(
            Method::POST,
            &format!("/_sandbox/sellers/{seller_id}/orders/{order_id}/status"),
            Some(change),
        )
        .await
    }

    /// Serves the order malformed until [`Self::clear_malformed`] (`PUT …/orders/{order_id}/malformed`).
    pub async fn set_malformed(&self, seller_id: &str, order_id: &str, malformation: Malformation) {
        let _: Value = self
            .call(
                Method::PUT,
                &format!("/_sandbox/sellers/{seller_id}/orders/{order_id}/malformed"),
                Some(json!({ "kind": malformation.kind() })),
            )
            .await;
    }

    /// Serves the order as it is again (`DELETE …/orders/{order_id}/malformed`).
    pub async fn clear_malformed(&self, seller_id: &str, order_id: &str) {
        let _: Value = self
            .call(
                Method::DELETE,
                &format!("/_sandbox/sellers/{seller_id}/orders/{order_id}/malformed"),
                None,
            )
            .await;
    }

    /// The seller's stock, by SKU.
    pub async fn stock(&self, seller_id: &str) -> Value {
        self.call(
            Method::GET,
            &format!("/_sandbox/sellers/{seller_id}/stock"),
            None,
        )
        .await
    }

    /// The seller's feed submissions with what processing made of them.
    pub async fn feeds(&self, seller_id: &str) -> Vec<Value> {
        self.call(
            Method::GET,
            &format!("/_sandbox/sellers/{seller_id}/feeds"),
            None,
        )
        .await
    }

    /// Injects faults into `operation` (an MWS Action, an SP-API operation ID, `LwaToken` or `*`); `rates` is the
    /// body of `PUT /_sandbox/faults/{operation}`, e.g. `{"internal_error": 1.0, "limit": 2}`.
    pub async fn set_fault(&self, operation: &str, rates: Value) {
        let _: Value = self
            .call(
                Method::PUT,
                &format!("/_sandbox/faults/{operation}"),
                Some(rates),
            )
            .await;
    }

    /// Removes every fault rule.
    pub async fn clear_faults(&self) {
        let _: Value = self.call(Method::DELETE, "/_sandbox/faults", None).await;
    }

    /// The newest `limit` requests the sandbox answered, oldest first.
    pub async fn requests(&self, limit: usize) -> Vec<Value> {
        self.call(
            Method::GET,
            &format!("/_sandbox/requests?limit={limit}"),
            None,
        )
        .await
    }

    /// Empties the request log.
    pub async fn clear_requests(&self) {
        let _: Value = self.call(Method::DELETE, "/_sandbox/requests", None).await;
    }

    /// An SP-API app.
    pub async fn app(&self, application_id: &str) -> App {
        self.call(
            Method::GET,
            &format!("/_sandbox/apps/{application_id}"),
            None,
        )
        .await
    }

    /// Changes an app; `update` is the body of `POST /_sandbox/apps/{application_id}` (`redirect_uris`,
    /// `add_redirect_uris`, `login_uri`, `stage`).
    pub async fn update_app(&self, application_id: &str, update: Value) -> App {
        self.call(
            Method::POST,
            &format!("/_sandbox/apps/{application_id}"),
            Some(update),
        )
        .await
    }

    /// Rotates an app's client secret (the previous one keeps working for a grace period).
    pub async fn rotate_secret(&self, application_id: &str) -> App {
        self.call(
            Method::POST,
            &format!("/_sandbox/apps/{application_id}/secret/rotate"),
            Some(json!({})),
        )
        .await
    }

    /// Ends every client secret of an app at once (the operator let them expire); LWA then answers
    /// `invalid_client` until [`Self::rotate_secret`] issues a new one.
    pub async fn expire_secrets(&self, application_id: &str) -> App {
        self.call(
            Method::POST,
            &format!("/_sandbox/apps/{application_id}/secret/expire"),
            Some(json!({})),
        )
        .await
    }

    /// The authorizations, of one seller or of all.
    pub async fn authorizations(&self, seller_id: Option<&str>) -> Vec<Authorization> {
        let path = match seller_id {
            Some(seller) => format!("/_sandbox/authorizations?seller_id={seller}"),
            None => "/_sandbox/authorizations".to_owned(),
        };
        self.call(Method::GET, &path, None).await
    }

    /// The seller authorizes an app itself (the demo app when `application_id` is `None`); the answer carries the
    /// new refresh token.
    pub async fn authorize(&self, seller_id: &str, application_id: Option<&str>) -> Issued {
        self.call(
            Method::POST,
            "/_sandbox/authorizations",
            Some(authorization_body(seller_id, application_id)),
        )
        .await
    }

    /// The seller acts on its authorization of an app (the demo app when `application_id` is `None`).
    pub async fn authorization_action(
        &self,
        action: AuthorizationAction,
        seller_id: &str,
        application_id: Option<&str>,
    ) -> Issued {
        self.call(
            Method::POST,
            &format!("/_sandbox/authorizations/{}", action.path()),
            Some(authorization_body(seller_id, application_id)),
        )
        .await
    }
}

fn authorization_body(seller_id: &str, application_id: Option<&str>) -> Value {
    match application_id {
        Some(id) => json!({ "seller_id": seller_id, "application_id": id }),
        None => json!({ "seller_id": seller_id }),
    }
}
