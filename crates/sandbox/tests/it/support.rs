//! Test support: a sandbox per test on port 0, a signed-MWS-request helper and XML probes.

use std::time::Duration;

use jiff::Timestamp;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use sellerlink_sandbox::signing::{SignatureMethod, canonical_query, sign, string_to_sign};
use sellerlink_sandbox::{Developer, RunningSandbox, SandboxConfig, SellerAccount};

/// The instant every deterministic test world starts at.
pub const START: &str = "2024-03-01T03:00:00Z";
/// The JP marketplace.
pub const JP: &str = "A1VC38T7YXB528";

/// A running sandbox with a client and its temp directory.
pub struct TestSandbox {
    pub running: RunningSandbox,
    pub client: reqwest::Client,
    pub base: String,
    pub developer: Developer,
    pub seller: SellerAccount,
    _dir: tempfile::TempDir,
}

/// What a response carried.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The error code of an ErrorResponse.
    pub fn code(&self) -> Option<String> {
        first(&self.body, "Code")
    }
}

/// Options of [`TestSandbox::start_with`].
pub struct Options {
    pub sellers: usize,
    pub orders: usize,
    pub seed: u64,
    pub scale: f64,
    pub frozen: bool,
    pub clock_start: Option<Timestamp>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            sellers: 2,
            orders: 300,
            seed: 7,
            scale: 1.0,
            frozen: true,
            clock_start: Some(START.parse().unwrap()),
        }
    }
}

impl TestSandbox {
    /// A frozen-clock sandbox at [`START`] with 2 sellers × 300 orders.
    pub async fn start() -> Self {
        Self::start_with(Options::default()).await
    }

    pub async fn start_with(options: Options) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let config = SandboxConfig {
            seed: options.seed,
            sellers: options.sellers,
            orders_per_seller: options.orders,
            throttle_scale: options.scale,
            clock_start: options.clock_start,
            cert_dir: dir.path().to_path_buf(),
            ..SandboxConfig::default()
        };
        let running = sellerlink_sandbox::start(config)
            .await
            .expect("sandbox starts");
        if options.frozen {
            running.clock().freeze();
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .expect("client");
        let base = running.http_url();
        let developer = running.demo_developer();
        let seller = running.demo_seller();
        Self {
            running,
            client,
            base,
            developer,
            seller,
            _dir: dir,
        }
    }

    /// The sandbox clock now.
    pub fn now(&self) -> Timestamp {
        self.running.now()
    }

    /// Moves the sandbox clock.
    pub async fn advance(&self, seconds: f64) {
        let answer = self
            .control_post("/_sandbox/clock", serde_json::json!({ "advance": seconds }))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    }

    /// POSTs JSON to the control API.
    pub async fn control_post(&self, path: &str, body: serde_json::Value) -> Answer {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .expect("control request");
        answer(response).await
    }

    /// GETs JSON from the control API.
    pub async fn control_get(&self, path: &str) -> serde_json::Value {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("control request");
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.expect("json")
    }

    /// Grants the demo developer access to `seller_id` via the control API; returns the token.
    pub async fn grant(&self, seller_id: &str) -> String {
        let answer = self
            .control_post("/_sandbox/grants", serde_json::json!({ "seller_id": seller_id, "developer_id": self.developer.developer_id }))
            .await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let grant: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
        grant["mws_auth_token"].as_str().unwrap().to_owned()
    }

    /// A request builder for the demo developer, demo seller and `token`.
    pub fn call(&self, path: &str, action: &str, token: &str) -> MwsCall {
        let version = match path {
            "/Orders/2013-09-01" => "2013-09-01",
            "/Sellers/2011-07-01" => "2011-07-01",
            _ => "2009-01-01",
        };
        MwsCall {
            base: self.base.clone(),
            path: path.to_owned(),
            method: "POST",
            params: vec![
                ("Action".into(), action.into()),
                ("Version".into(), version.into()),
                ("SellerId".into(), self.seller.seller_id.clone()),
                ("MWSAuthToken".into(), token.into()),
                (
                    "AWSAccessKeyId".into(),
                    self.developer.access_key_id.clone(),
                ),
                ("SignatureMethod".into(), "HmacSHA256".into()),
                ("SignatureVersion".into(), "2".into()),
                (
                    "Timestamp".into(),
                    self.now().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                ),
            ],
            secret: self.developer.secret_key.clone(),
            sign_host: None,
            body: None,
            headers: Vec::new(),
        }
    }
}

/// One MWS request, signed when sent.
#[derive(Clone)]
pub struct MwsCall {
    pub base: String,
    pub path: String,
    pub method: &'static str,
    pub params: Vec<(String, String)>,
    pub secret: String,
    /// The host to sign with (default: the URL's host:port).
    pub sign_host: Option<String>,
    /// A raw body (SubmitFeed); params then go in the query string.
    pub body: Option<Vec<u8>>,
    pub headers: Vec<(String, String)>,
}

impl MwsCall {
    /// Sets (or replaces) a parameter.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        self.params.retain(|(k, _)| k != name);
        self.params.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Removes a parameter.
    pub fn without(mut self, name: &str) -> Self {
        self.params.retain(|(k, _)| k != name);
        self
    }

    pub fn get(mut self) -> Self {
        self.method = "GET";
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: Vec<u8>) -> Self {
        self.body = Some(body);
        self
    }

    /// The query string with the signature appended.
    pub fn signed_query(&self) -> String {
        let host = self.sign_host.clone().unwrap_or_else(|| {
            self.base
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .to_owned()
        });
        let canonical = canonical_query(self.params.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let method = match self
            .params
            .iter()
            .find(|(k, _)| k == "SignatureMethod")
            .map(|(_, v)| v.as_str())
        {
            Some("HmacSHA1") => SignatureMethod::HmacSha1,
            _ => SignatureMethod::HmacSha256,
        };
        let signature = sign(
            &self.secret,
            method,
            &string_to_sign(self.method, &host, &self.path, &canonical),
        );
        format!(
            "{canonical}&Signature={}",
            sellerlink_sandbox::signing::encode(&signature)
        )
    }

    pub async fn send(&self, client: &reqwest::Client) -> Answer {
        self.try_send(client).await.expect("MWS request")
    }

    pub async fn try_send(&self, client: &reqwest::Client) -> Result<Answer, reqwest::Error> {
        let query = self.signed_query();
        let mut request = match (self.method, &self.body) {
            ("GET", _) => client.get(format!("{}{}?{query}", self.base, self.path)),
            (_, Some(body)) => client
                .post(format!("{}{}?{query}", self.base, self.path))
                .body(body.clone()),
            _ => client
                .post(format!("{}{}", self.base, self.path))
                .header(
                    "Content-Type",
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(query),
        };
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.text().await?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

pub async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body");
    Answer {
        status,
        headers,
        body,
    }
}

/// The text of every `<tag>…</tag>` (no attributes, not nested in itself), in order.
pub fn all(xml: &str, tag: &str) -> Vec<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        out.push(after[..end].to_owned());
        rest = &after[end + close.len()..];
    }
    out
}

/// The text of the first `<tag>…</tag>`.
pub fn first(xml: &str, tag: &str) -> Option<String> {
    all(xml, tag).into_iter().next()
}
