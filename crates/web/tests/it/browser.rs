//! The whole journey in real headless Chromium: sign in to the sandbox's Seller Central, grant access to the demo
//! developer, copy the three values, sign in to sellerlink, complete the wizard, see the connection active and
//! orders listed. Every page is saved as `artifacts/screenshots/NN-name.png` at the repository root.
//!
//! Needs Debian's `chromium` and `chromium-driver` (and `fonts-ipafont-gothic` for readable Japanese). Without
//! them the test prints a skip line, unless `CI` is set: then it fails.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use sellerlink_domain::connection::Language;
use sellerlink_store::Role;
use sellerlink_testkit::MailSink;
use sellerlink_web::{DemoClock, PasswordCost, WebConfig, serve};
use serde_json::json;

use crate::support::{Options, PASSWORD, TestApp};

fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|candidate| candidate.is_file())
    })
}

/// chromedriver and the Chromium binary, or why the test cannot run.
fn tools() -> Result<(PathBuf, PathBuf), String> {
    let driver = on_path("chromedriver").ok_or("chromedriver is not installed")?;
    let chromium = on_path("chromium")
        .or_else(|| on_path("chromium-browser"))
        .ok_or("chromium is not installed")?;
    Ok((driver, chromium))
}

fn screenshots_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot directory can be created");
    dir
}

struct Journey {
    client: Client,
    dir: PathBuf,
    shots: usize,
}

impl Journey {
    /// A headless Chromium session (Japanese, a fresh profile in `profile`) through chromedriver at `driver_url`.
    async fn start(driver_url: &str, chromium: &Path, profile: &Path) -> Self {
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--window-size=1280,1600", "--lang=ja",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(driver_url)
            .await
            .expect("a Chromium session");
        Self {
            client,
            dir: screenshots_dir(),
            shots: 0,
        }
    }

    async fn shot(&mut self, name: &str) {
        self.shots += 1;
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = self.dir.join(format!("{:02}-{name}.png", self.shots));
        std::fs::write(&path, png).expect("the screenshot is written");
    }

    async fn wait(&self, id: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(20))
            .for_element(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id} did not appear: {e}"))
    }

    async fn type_into(&self, id: &str, text: &str) {
        let field = self.wait(id).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    async fn click(&self, id: &str) {
        self.wait(id)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click #{id}: {e}"));
    }

    /// Waits until the element `#id` shows `expected` (the page before a form's answer may have its own `#id`).
    async fn wait_for_text(&self, id: &str, expected: &str) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        let mut last = String::new();
        while std::time::Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Id(id)).await
                && let Ok(text) = element.text().await
            {
                if text.contains(expected) {
                    return;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("#{id} did not come to show {expected:?}; it shows {last:?}");
    }

    async fn text(&self, id: &str) -> String {
        self.wait(id)
            .await
            .text()
            .await
            .expect("text")
            .trim()
            .to_owned()
    }
}

/// Starts chromedriver on a free loopback port and waits until it answers.
async fn start_driver(driver: &Path) -> (tokio::process::Child, String) {
    // reqwest (the readiness probe) needs the process's crypto provider; a sandbox installs it, a world without one
    // does not.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("a free port")
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("chromedriver starts");
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http
            .get(format!("{url}/status"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return (child, url);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not answer on {url}");
}

#[tokio::test]
async fn the_whole_journey_in_headless_chromium() {
    let (driver, chromium) = match tools() {
        Ok(tools) => tools,
        Err(why) if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but {why}: apt-get install -y chromium chromium-driver fonts-ipafont-gothic"
            )
        }
        Err(why) => {
            eprintln!(
                "skipped the browser journey: {why} (apt-get install -y chromium chromium-driver fonts-ipafont-gothic)"
            );
            return;
        }
    };
    let mail = MailSink::start().await.expect("the mail sink starts");
    let options = Options {
        sandbox: true,
        ..Options::default()
    };
    let world = TestApp::with_senders(options, crate::notifications::senders(&mail)).await;
    let sandbox = world.sandbox.as_ref().unwrap();
    let merchant = world.merchant("デモ荷主").await;
    world
        .user(
            "owner@demo.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let server = serve(
        world.app.clone(),
        WebConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            password_cost: PasswordCost::low(),
            sync_after_connect: true,
            seller_central_url: Some(sandbox.http_url().parse().unwrap()),
            reminders: world.reminders.clone(),
            ..WebConfig::default()
        },
    )
    .await
    .expect("the web app starts");
    let web = server.url();
    let seller = sandbox.demo_seller();

    let (mut chromedriver, driver_url) = start_driver(&driver).await;
    let profile = tempfile::tempdir().unwrap();
    let mut journey = Journey::start(&driver_url, &chromium, profile.path()).await;

    // ① Seller Central (the sandbox): sign in.
    let register = format!("{}/gp/mws/registration/register.html", sandbox.http_url());
    journey.client.goto(&register).await.unwrap();
    journey.wait("login").await;
    journey.shot("seller-central-sign-in").await;
    journey.type_into("login", &seller.email).await;
    journey.type_into("password", &seller.password).await;
    journey.click("signin-submit").await;
    // ② User Permissions → grant access to a developer.
    journey.wait("grant-access").await;
    journey.shot("seller-central-permissions").await;
    journey.click("grant-access").await;
    // ③ Developer name and ID.
    journey.type_into("developer_name", "shippinno").await;
    journey.type_into("developer_id", "5259-6479-4073").await;
    journey.shot("seller-central-developer").await;
    journey.click("developer-next").await;
    // ④ The two consent boxes.
    journey.click("accept_catalog").await;
    journey.click("accept_responsibility").await;
    journey.shot("seller-central-consent").await;
    journey.click("consent-next").await;
    // ⑤ The three values.
    let seller_id = journey.text("seller-id").await;
    let marketplace_id = journey.text("marketplace-id").await;
    let token = journey.text("mws-auth-token").await;
    journey.shot("seller-central-complete").await;
    assert_eq!(seller_id, seller.seller_id);
    assert!(token.starts_with("amzn.mws."), "{token}");

    // sellerlink: sign in, open the wizard, paste the values.
    journey.client.goto(&format!("{web}/login")).await.unwrap();
    journey.wait("email").await;
    journey.shot("sellerlink-sign-in").await;
    journey.type_into("email", "owner@demo.example").await;
    journey.type_into("password", PASSWORD).await;
    journey.click("login-submit").await;
    journey.wait("no-connections").await;
    journey.shot("dashboard-before").await;
    journey.click("connect-mws").await;
    journey.wait("grant-form").await;
    let link = journey
        .wait("seller-central-link")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(
        link, register,
        "the wizard links to the sandbox's Seller Central"
    );
    journey.shot("wizard").await;
    journey.type_into("seller_id", &seller_id).await;
    journey.type_into("marketplace_id", &marketplace_id).await;
    journey.type_into("mws_auth_token", &token).await;
    journey.click("grant-submit").await;

    // The connection is verified and active.
    let notice = journey.text("notice").await;
    assert!(notice.contains("接続しました"), "{notice}");
    let status = journey
        .client
        .find(Locator::Css("section.connection .badge"))
        .await
        .expect("a status badge")
        .text()
        .await
        .unwrap();
    assert_eq!(status, "有効");
    let masked = journey
        .client
        .find(Locator::Css("dd.mono"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        masked,
        format!("amzn.mws.…{}", &token[token.len() - 6..]),
        "only the masked token is shown"
    );
    journey.shot("dashboard-connected").await;

    // Orders arrive (the import started when the connection was verified).
    let mut listed = false;
    for _ in 0..120 {
        journey.client.goto(&format!("{web}/orders")).await.unwrap();
        if journey
            .client
            .find(Locator::Id("orders-table"))
            .await
            .is_ok()
        {
            listed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(listed, "orders were imported and listed");
    journey.shot("orders").await;
    let first = journey
        .client
        .find(Locator::Css("#orders-table tbody a"))
        .await
        .unwrap();
    first.click().await.unwrap();
    journey.wait("items-table").await;
    journey.shot("order-detail").await;

    // The English switch.
    journey.click("lang-switch").await;
    // Wait for the English page itself: the Japanese one (still shown while the switch is posted) has the same ids.
    let heading = journey
        .client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("html[lang='en'] h1"))
        .await
        .expect("the page comes back in English")
        .text()
        .await
        .unwrap();
    assert!(heading.starts_with("Order"), "{heading}");
    journey
        .client
        .goto(&format!("{web}/merchants/{}", merchant.id))
        .await
        .unwrap();
    journey.wait("connect-mws").await;
    journey.shot("dashboard-english").await;

    // Where reminders go: add an e-mail address, send it a test through a real SMTP server, read the log.
    journey
        .client
        .goto(&format!(
            "{web}/merchants/{}/notification-channels",
            merchant.id
        ))
        .await
        .unwrap();
    journey
        .type_into("email-address", "owner@demo.example")
        .await;
    journey.click("add-email-submit").await;
    journey.wait("channels-table").await;
    journey
        .client
        .find(Locator::Css("#channels-table button[id^='test-']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    journey.wait_for_text("notice", "delivered").await;
    let received = mail.wait_for(1, Duration::from_secs(20)).await.unwrap();
    assert_eq!(received[0].rcpt_to, vec!["owner@demo.example".to_owned()]);
    journey.shot("notification-channels").await;
    journey.click("view-log").await;
    journey.wait("deliveries-table").await;
    journey.shot("notification-log").await;

    journey.client.close().await.ok();
    chromedriver.kill().await.ok();
    server.shutdown().await;
}

/// The demo clock bar in real Chromium under the app's CSP: plain forms, no script, the session kept.
#[tokio::test]
async fn the_demo_clock_bar_works_in_headless_chromium() {
    let (driver, chromium) =
        tools().expect("chromium and chromedriver (apt-get install -y chromium chromium-driver)");
    let world = TestApp::with(Options {
        demo_clock: true,
        ..Options::default()
    })
    .await;
    let crate::support::TestClock::Demo(clock, _) = &world.clock else {
        panic!("a demo world")
    };
    let merchant = world.merchant("デモ荷主").await;
    world
        .user(
            "owner@demo.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let server = serve(
        world.app.clone(),
        WebConfig {
            bind: "127.0.0.1:0".parse().unwrap(),
            password_cost: PasswordCost::low(),
            demo_clock: Some(DemoClock::new(clock.clone(), |_| Box::pin(async {}))),
            ..WebConfig::default()
        },
    )
    .await
    .expect("the web app starts");
    let web = server.url();
    let (mut chromedriver, driver_url) = start_driver(&driver).await;
    let profile = tempfile::tempdir().unwrap();
    let journey = Journey::start(&driver_url, &chromium, profile.path()).await;
    journey.client.goto(&format!("{web}/login")).await.unwrap();
    journey.type_into("email", "owner@demo.example").await;
    journey.type_into("password", PASSWORD).await;
    journey.click("login-submit").await;
    journey.wait("demo-clock").await;
    let day = |days: i64| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * days))
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
            .strftime("%Y-%m-%d")
            .to_string()
    };
    journey.wait_for_text("demo-clock-date", &day(0)).await;
    journey.click("demo-advance-30").await;
    journey.wait_for_text("demo-clock-date", &day(30)).await;
    journey.type_into("demo-advance-days", "335").await;
    journey.click("demo-advance-submit").await;
    journey.wait_for_text("demo-clock-date", &day(365)).await;
    assert_eq!(clock.offset(), jiff::SignedDuration::from_hours(24 * 365));
    // Still signed in, a year later.
    assert_eq!(journey.text("signed-in-as").await, "owner@demo.example");
    journey.client.close().await.ok();
    chromedriver.kill().await.ok();
    server.shutdown().await;
}
