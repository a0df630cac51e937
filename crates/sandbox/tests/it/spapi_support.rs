//! Helpers of the SP-API tests: a small cookie-keeping browser for the app pages, the LWA token
//! endpoint, and SP-API calls with Amazon's headers.

use std::collections::BTreeMap;

use reqwest::header::{COOKIE, HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{Answer, TestSandbox, answer};

/// The redirect URI the tests register for the demo app.
pub const REDIRECT: &str = "https://3pl.example.jp/amazon/callback";
/// The log-in URI the tests register for the demo app.
pub const LOGIN: &str = "https://3pl.example.jp/amazon/login";
/// What the tests send as `user-agent`.
pub const USER_AGENT: &str = "sellerlink-tests/0.1 (Language=Rust/1.95; Platform=Linux)";

/// A browser: keeps cookies, never follows redirects by itself.
pub struct Browser {
    client: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
}

/// One page.
#[derive(Debug)]
pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no Location on {} {}", self.status, self.body))
    }

    /// The value of a form field (`name="…" value="…"`).
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body))
            + marker.len();
        let end = start + self.body[start..].find('"').unwrap();
        unescape(&self.body[start..end])
    }

    /// The text of the element with this id (up to the next tag).
    pub fn by_id(&self, id: &str) -> Option<String> {
        let marker = format!("id=\"{id}\"");
        let start = self.body.find(&marker)?;
        let open_end = start + self.body[start..].find('>')? + 1;
        let close = open_end + self.body[open_end..].find('<')?;
        Some(unescape(self.body[open_end..close].trim()))
    }

    /// The `<tr id="app-…">` row of an app.
    pub fn row(&self, application_id: &str) -> Option<&str> {
        let start = self.body.find(&format!("id=\"app-{application_id}\""))?;
        let end = start + self.body[start..].find("</tr>")?;
        Some(&self.body[start..end])
    }
}

pub fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&")
}

/// The query parameters of a URL.
pub fn query_of(url: &str) -> BTreeMap<String, String> {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{e}: {url}"));
    parsed.query_pairs().into_owned().collect()
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            cookies: BTreeMap::new(),
        }
    }

    fn url(&self, path_or_url: &str) -> String {
        if path_or_url.starts_with("http") {
            path_or_url.to_owned()
        } else {
            format!("{}{path_or_url}", self.base)
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let request = self.client.get(self.url(path));
        self.send(request).await
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.client.post(self.url(path)).form(form);
        self.send(request).await
    }

    async fn send(&mut self, mut request: reqwest::RequestBuilder) -> Page {
        if !self.cookies.is_empty() {
            let header = self
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(COOKIE, header);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        for set in headers.get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let pair = set.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || set.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let body = response.text().await.unwrap();
        Page {
            status,
            headers,
            body,
        }
    }

    /// Opens `path`; when Seller Central asks for sign-in, signs in and returns to it. Returns the
    /// page reached.
    pub async fn open_signed_in(&mut self, path: &str, login: &str, password: &str) -> Page {
        let page = self.get(path).await;
        if page.status != StatusCode::SEE_OTHER || !page.location().starts_with("/ap/signin") {
            return page;
        }
        let signin = self.get(page.location()).await;
        assert_eq!(signin.status, StatusCode::OK, "{}", signin.body);
        let csrf = signin.field("csrf");
        let return_to = signin.field("return_to");
        let done = self
            .post(
                "/ap/signin",
                &[
                    ("csrf", &csrf),
                    ("login", login),
                    ("password", password),
                    ("return_to", &return_to),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let back = done.location().to_owned();
        self.get(&back).await
    }
}

/// Registers the tests' redirect and log-in URIs for the demo app; returns (app ID, client ID,
/// client secret).
pub async fn demo_app(sandbox: &TestSandbox) -> (String, String, String) {
    let app = sandbox.running.demo_app();
    let answer = sandbox
        .control_post(
            &format!("/_sandbox/apps/{}", app.application_id),
            json!({ "redirect_uris": [REDIRECT], "login_uri": LOGIN }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let view: Value = serde_json::from_str(&answer.body).unwrap();
    (
        view["application_id"].as_str().unwrap().to_owned(),
        view["client_id"].as_str().unwrap().to_owned(),
        view["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// POSTs a form to the token endpoint.
pub async fn token_form(
    sandbox: &TestSandbox,
    pairs: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Value) {
    let response = sandbox
        .client
        .post(format!("{}/auth/o2/token", sandbox.base))
        .header(
            "content-type",
            "application/x-www-form-urlencoded;charset=UTF-8",
        )
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(pairs)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}")),
    )
}

/// Exchanges a refresh token for an access token (expects success).
pub async fn access_token(
    sandbox: &TestSandbox,
    client_id: &str,
    secret: &str,
    refresh: &str,
) -> String {
    let (status, _, body) = token_form(
        sandbox,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", client_id),
            ("client_secret", secret),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

/// Self-authorizes the demo app for `seller_id` through the control API; returns a refresh token.
pub async fn self_authorize(sandbox: &TestSandbox, seller_id: &str) -> String {
    let answer = sandbox
        .control_post(
            "/_sandbox/authorizations",
            json!({ "seller_id": seller_id }),
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    let view: Value = serde_json::from_str(&answer.body).unwrap();
    view["refresh_token"].as_str().unwrap().to_owned()
}

/// The demo app's credentials and an access token for the demo seller.
pub async fn ready(sandbox: &TestSandbox) -> (String, String, String, String) {
    let (app_id, client_id, secret) = demo_app(sandbox).await;
    let refresh = self_authorize(sandbox, &sandbox.seller.seller_id).await;
    let token = access_token(sandbox, &client_id, &secret, &refresh).await;
    (app_id, client_id, secret, token)
}

/// An SP-API request with Amazon's headers.
pub async fn sp(
    sandbox: &TestSandbox,
    method: Method,
    token: &str,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let mut request = sandbox
        .client
        .request(method, format!("{}{path}", sandbox.base))
        .header("x-amz-access-token", token)
        .header("user-agent", USER_AGENT)
        // Ignored, as Amazon ignores SigV4 since 2023.
        .header("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240301/us-west-2/execute-api/aws4_request, SignedHeaders=host, Signature=0");
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    answer(request.send().await.unwrap()).await
}

/// `GET` on SP-API.
pub async fn sp_get(sandbox: &TestSandbox, token: &str, path: &str) -> Answer {
    sp(sandbox, Method::GET, token, path, None).await
}

/// The JSON body of an answer.
pub fn body(answer: &Answer) -> Value {
    serde_json::from_str(&answer.body)
        .unwrap_or_else(|e| panic!("{e}: {} {}", answer.status, answer.body))
}

/// The error envelope's (code, details).
pub fn error_of(answer: &Answer) -> (String, String) {
    let value = body(answer);
    let error = &value["errors"][0];
    (
        error["code"].as_str().unwrap_or_default().to_owned(),
        error["details"].as_str().unwrap_or_default().to_owned(),
    )
}

/// The `x-amzn-RateLimit-Limit` header, if any.
pub fn rate_limit(answer: &Answer) -> Option<String> {
    answer
        .headers
        .get("x-amzn-ratelimit-limit")
        .map(|v| v.to_str().unwrap().to_owned())
}
