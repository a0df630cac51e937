//! Helpers of the SP-API tests: a small cookie-keeping browser for the app pages, the LWA token
//! endpoint, and SP-API calls with Amazon's headers.

use std::collections::BTreeMap;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use sellerlink_testkit::SellerLogin;
use serde_json::{Value, json};

use crate::support::{Answer, TestSandbox, answer};

/// The redirect URI the tests register for the demo app.
pub const REDIRECT: &str = "https://3pl.example.jp/amazon/callback";
/// The log-in URI the tests register for the demo app.
pub const LOGIN: &str = "https://3pl.example.jp/amazon/login";
/// What the tests send as `user-agent`.
pub const USER_AGENT: &str = "sellerlink-tests/0.1 (Language=Rust/1.95; Platform=Linux)";

pub use sellerlink_testkit::{Browser, Page};

/// The `<tr id="app-…">` row of an app on Manage Your Apps.
pub fn row<'a>(page: &'a Page, application_id: &str) -> Option<&'a str> {
    let start = page.body.find(&format!("id=\"app-{application_id}\""))?;
    let end = start + page.body[start..].find("</tr>")?;
    Some(&page.body[start..end])
}

/// The query parameters of a URL.
pub fn query_of(url: &str) -> BTreeMap<String, String> {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("{e}: {url}"));
    parsed.query_pairs().into_owned().collect()
}

/// Seller Central's sign-in on the way to a page, for the sandbox's own tests.
pub trait SignInOnTheWay {
    /// Opens `path`; when Seller Central asks for sign-in, signs in and returns to it. Returns the page reached.
    async fn open_signed_in(&mut self, path: &str, login: &str, password: &str) -> Page;
}

impl SignInOnTheWay for Browser {
    async fn open_signed_in(&mut self, path: &str, login: &str, password: &str) -> Page {
        SellerLogin::new(login, password).open(self, path).await
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
