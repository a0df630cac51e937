//! "Connect with Amazon" (SP-API): the button, Amazon's consent page (the sandbox), the redirect back, and a
//! replayed redirect refused.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::http::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use sellerlink_domain::connection::{Language, Merchant};
use sellerlink_sandbox::SellerAccount;
use sellerlink_store::Role;

use crate::support::{Browser, Options, Reply, SPAPI_LOGIN, SPAPI_REDIRECT, TestApp};

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

    /// Seller Central → Manage Your Apps → Re-authorize (the seller is signed in); returns where Amazon sends the
    /// browser: the app's log-in URI.
    async fn reauthorize_from_manage_your_apps(&mut self, application_id: &str) -> String {
        let manage = self.get("/apps/manage").await;
        assert_eq!(manage.status, reqwest::StatusCode::OK, "{}", manage.body);
        let csrf = manage.field("csrf");
        let to_login = self
            .post(
                "/apps/manage/reauthorize",
                &[("csrf", &csrf), ("application_id", application_id)],
            )
            .await;
        to_login
            .location
            .unwrap_or_else(|| panic!("no redirect: {} {}", to_login.status, to_login.body))
    }
}

/// The path and query of an absolute URL, to send to the in-process router.
fn path_and_query(url: &str) -> String {
    let url = url::Url::parse(url).unwrap();
    format!("{}?{}", url.path(), url.query().unwrap_or_default())
}

/// A world with the sandbox and the demo SP-API app, and the merchant "Acme" with its user `owner@acme.example`.
async fn merchant_with_sandbox(language: Language) -> (TestApp, Merchant) {
    let world = TestApp::with(Options {
        sandbox: true,
        spapi: true,
        ..Options::default()
    })
    .await;
    let merchant = world.merchant("Acme").await;
    world
        .user("owner@acme.example", Role::Merchant(merchant.id), language)
        .await;
    (world, merchant)
}

/// Presses "Connect with Amazon" (Amazon.co.jp) on the merchant's dashboard `home`.
async fn press_connect_with_amazon(browser: &mut Browser<'_>, home: &str) -> Reply {
    browser
        .submit(
            home,
            &format!("{home}/connect/amazon"),
            &[("marketplace", "A1VC38T7YXB528")],
        )
        .await
}

#[tokio::test]
async fn connect_with_amazon_comes_back_connected_and_a_replay_is_refused() {
    let (world, merchant) = merchant_with_sandbox(Language::Ja).await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);
    let dashboard = browser.get(&home).await;
    assert!(
        dashboard.body.contains("id=\"connect-spapi\""),
        "the button is shown"
    );

    let started = press_connect_with_amazon(&mut browser, &home).await;
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

#[tokio::test]
async fn reauthorizing_from_manage_your_apps_through_the_login_uri_renews_the_same_connection() {
    let (world, merchant) = merchant_with_sandbox(Language::En).await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let seller = sandbox.demo_seller();
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let home = format!("/merchants/{}", merchant.id);

    // Connect once through the button.
    let started = press_connect_with_amazon(&mut browser, &home).await;
    let mut amazon = AmazonBrowser::new(sandbox.http_url());
    let back = amazon.consent(started.location(), &seller).await;
    let connected = browser.get(&path_and_query(&back)).await;
    assert_eq!(connected.location(), format!("{home}?notice=connected"));
    let first = world.app.connections(None).await.unwrap();
    assert_eq!(first.len(), 1);
    let id = first[0].connection.id;

    // Seller Central → Manage Your Apps → Re-authorize sends the browser to the app's log-in URI.
    let login_url = amazon
        .reauthorize_from_manage_your_apps(&sandbox.demo_app().application_id)
        .await;
    assert!(login_url.starts_with(SPAPI_LOGIN), "{login_url}");
    assert!(login_url.contains("amazon_callback_uri="), "{login_url}");
    assert!(login_url.contains("amazon_state="), "{login_url}");
    let login = path_and_query(&login_url);

    // An operator is not the merchant: the log-in URI asks for the merchant's user and renews nothing.
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let refused = operator.get(&login).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);

    // The merchant's user: sellerlink sends the browser back to Amazon with a state bound to this session.
    let to_amazon = browser.get(&login).await;
    assert_eq!(
        to_amazon.status,
        StatusCode::SEE_OTHER,
        "{}",
        to_amazon.body
    );
    let confirm = to_amazon.location().to_owned();
    assert!(
        confirm.starts_with(&format!("{}/apps/authorize/confirm/", sandbox.http_url())),
        "{confirm}"
    );
    let confirmed = amazon.get(&confirm).await;
    let back = confirmed
        .location
        .unwrap_or_else(|| panic!("no redirect: {} {}", confirmed.status, confirmed.body));
    assert!(back.starts_with(SPAPI_REDIRECT), "{back}");

    // Back at the redirect URI: the same connection, renewed, not a second one.
    let renewed = browser.get(&path_and_query(&back)).await;
    assert_eq!(renewed.status, StatusCode::SEE_OTHER, "{}", renewed.body);
    assert_eq!(renewed.location(), format!("{home}?notice=reauthorized"));
    let views = world.app.connections(None).await.unwrap();
    assert_eq!(views.len(), 1, "no second connection");
    assert_eq!(views[0].connection.id, id);
    assert_eq!(views[0].days_until_expiry, Some(365));
    let page = browser.get(renewed.location()).await.body;
    assert!(
        page.contains("access now lasts 365 days from today"),
        "the dashboard says so"
    );

    // The same Amazon answer a second time is refused: its state was used.
    let replay = browser.get(&path_and_query(&back)).await;
    assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(world.app.connections(None).await.unwrap().len(), 1);
}
