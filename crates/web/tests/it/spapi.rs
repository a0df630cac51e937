//! "Connect with Amazon" (SP-API): the button, Amazon's consent page (the sandbox), the redirect back, and a
//! replayed redirect refused.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sellerlink_domain::connection::Language;
use sellerlink_sandbox::SellerAccount;
use sellerlink_store::Role;

use crate::support::{Options, SPAPI_REDIRECT, TestApp};

/// The seller's browser at Amazon (the sandbox): cookies, no automatic redirects.
struct AmazonBrowser {
    http: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: reqwest::StatusCode,
    location: Option<String>,
    body: String,
}

impl Page {
    fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&marker)
            .unwrap_or_else(|| panic!("no {name} in {}", self.body))
            + marker.len();
        let end = start + self.body[start..].find('"').unwrap();
        self.body[start..end].replace("&#38;", "&")
    }
}

impl AmazonBrowser {
    fn new(base: String) -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Self {
            http,
            base,
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, mut request: reqwest::RequestBuilder) -> Page {
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            request = request.header(COOKIE, jar.join("; "));
        }
        let response = request.send().await.unwrap();
        for set in response.headers().get_all(SET_COOKIE) {
            let (name, value) = set
                .to_str()
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .split_once('=')
                .unwrap();
            self.cookies.insert(name.to_owned(), value.to_owned());
        }
        Page {
            status: response.status(),
            location: response
                .headers()
                .get(LOCATION)
                .map(|v| v.to_str().unwrap().to_owned()),
            body: response.text().await.unwrap(),
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with("http") {
            url.to_owned()
        } else {
            format!("{}{url}", self.base)
        }
    }

    async fn get(&mut self, url: &str) -> Page {
        let request = self.http.get(self.absolute(url));
        self.send(request).await
    }

    async fn post(&mut self, url: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(self.absolute(url)).form(form);
        self.send(request).await
    }

    /// Signs in to Seller Central when asked, consents, and returns where Amazon sends the browser back.
    async fn consent(&mut self, consent_url: &str, seller: &SellerAccount) -> String {
        let mut page = self.get(consent_url).await;
        if page.status == reqwest::StatusCode::SEE_OTHER {
            let signin = self.get(page.location.as_deref().unwrap()).await;
            let form = [
                ("csrf", signin.field("csrf")),
                ("login", seller.email.clone()),
                ("password", seller.password.clone()),
                ("return_to", signin.field("return_to")),
            ];
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let done = self.post("/ap/signin", &pairs).await;
            page = self.get(done.location.as_deref().expect("signed in")).await;
        }
        assert_eq!(page.status, reqwest::StatusCode::OK, "{}", page.body);
        let fields = ["csrf", "application_id", "state", "redirect_uri", "version"]
            .map(|n| (n, page.field(n)));
        let mut form: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        form.push(("decision", "confirm"));
        let done = self.post("/apps/authorize/consent", &form).await;
        done.location
            .unwrap_or_else(|| panic!("no redirect: {} {}", done.status, done.body))
    }
}

#[tokio::test]
async fn connect_with_amazon_comes_back_connected_and_a_replay_is_refused() {
    let world = TestApp::with(Options {
        sandbox: true,
        spapi: true,
        ..Options::default()
    })
    .await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let dashboard = browser.get(&home).await;
    assert!(
        dashboard.body.contains("id=\"connect-spapi\""),
        "the button is shown"
    );

    let started = browser
        .submit(
            &home,
            &format!("{home}/connect/amazon"),
            &[("marketplace", "A1VC38T7YXB528")],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let consent_url = started.location().to_owned();
    assert!(
        consent_url.starts_with(&sandbox.http_url()),
        "{consent_url}"
    );
    assert!(consent_url.contains("state="));

    let mut amazon = AmazonBrowser::new(sandbox.http_url());
    let back = amazon.consent(&consent_url, &sandbox.demo_seller()).await;
    assert!(back.starts_with(SPAPI_REDIRECT), "{back}");
    let query = url::Url::parse(&back).unwrap().query().unwrap().to_owned();
    let callback = format!("/amazon/callback?{query}");

    let mut stranger = world.browser();
    world
        .user(
            "other@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut stranger = {
        let reply = stranger
            .sign_in("other@acme.example", crate::support::PASSWORD)
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        stranger
    };
    let hijack = stranger.get(&callback).await;
    assert_eq!(
        hijack.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the state belongs to another session"
    );
    assert!(world.app.connections(None).await.unwrap().is_empty());

    let done = browser.get(&callback).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), format!("{home}?notice=connected"));
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1);
    assert_eq!(views[0].connection.account.api_name(), "sp_api");
    assert!(views[0].connection.verified_at.is_some());
    let page = browser.get(done.location()).await.body;
    assert!(page.contains("LWAリフレッシュトークン"));
    assert!(page.contains("Atzr|…"));
    assert!(page.contains(&format!("id=\"status-{}\">有効<", views[0].connection.id)));

    let replay = browser.get(&callback).await;
    assert_eq!(
        replay.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a state works once"
    );
    assert_eq!(world.app.connections(None).await.unwrap().len(), 1);
    assert!(replay.header("referrer-policy") == "no-referrer");
}
