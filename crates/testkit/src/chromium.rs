//! Real headless Chromium driven through chromedriver (WebDriver), for journeys as a person makes them: the page
//! security policy, redirects across origins and JavaScript all apply. Each [`Chromium`] has its own chromedriver,
//! profile and screenshot folder `artifacts/screenshots/<journey>/` at the repository root.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::tools;

/// How long a page element may take to appear (a first import or an SMTP round trip included).
const PATIENCE: Duration = Duration::from_secs(30);

/// The window a journey runs in.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// CSS pixels.
    pub width: u32,
    /// CSS pixels.
    pub height: u32,
}

impl Window {
    /// A desktop window.
    pub const DESKTOP: Self = Self {
        width: 1280,
        height: 1400,
    };
    /// A phone held upright (390 px wide, as an iPhone 12–15).
    pub const PHONE: Self = Self {
        width: 390,
        height: 844,
    };
}

/// One Chromium session and where its screenshots go.
pub struct Chromium {
    client: Client,
    driver: tokio::process::Child,
    _profile: tempfile::TempDir,
    dir: PathBuf,
    shots: usize,
}

impl Chromium {
    /// Starts chromedriver and a headless Chromium with `language` (`ja` or `en`) as its preferred language.
    /// Panics with the install command when Chromium or chromedriver is missing.
    pub async fn start(journey: &str, language: &str, window: Window) -> Self {
        let (browser, driver_path) = tools::chromium();
        let (driver, driver_url) = start_driver(&driver_path).await;
        let profile = tempfile::tempdir().expect("a profile directory");
        let mut options = json!({
                "binary": browser,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--hide-scrollbars",
                    format!("--window-size={},{}", window.width, window.height),
                    format!("--lang={language}"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": { "intl.accept_languages": language },
        });
        if window.width < 500 {
            // Chromium's windows are at least 500 px wide; a phone's viewport is emulated instead.
            options["mobileEmulation"] = json!({
                "deviceMetrics": { "width": window.width, "height": window.height, "pixelRatio": 2 },
            });
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&driver_url)
            .await
            .expect("a Chromium session");
        let dir = screenshots_dir(journey);
        Self {
            client,
            driver,
            _profile: profile,
            dir,
            shots: 0,
        }
    }

    /// The WebDriver client, for what the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The address bar.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the URL")
            .to_string()
    }

    /// Saves the page as `NN-name.png`.
    pub async fn shot(&mut self, name: &str) {
        self.shots += 1;
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = self.dir.join(format!("{:02}-{name}.png", self.shots));
        std::fs::write(&path, png).expect("the screenshot is written");
    }

    /// Waits for the element matching the CSS selector `css`.
    pub async fn wait_css(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => panic!("{css} did not appear on {}: {e}", self.where_am_i().await),
        }
    }

    /// Waits for the element `#id`.
    pub async fn wait(&self, id: &str) -> Element {
        self.wait_css(&by_id(id)).await
    }

    /// True when `#id` is on the page now.
    pub async fn has(&self, id: &str) -> bool {
        self.client.find(Locator::Id(id)).await.is_ok()
    }

    /// True when an element matches `css` now.
    pub async fn has_css(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Replaces the text of the field `#id` with `text`.
    pub async fn type_into(&self, id: &str, text: &str) {
        let field = self.wait(id).await;
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    /// Sets a date input `#id` to `YYYY-MM-DD` (typing into a date widget depends on the locale's field order).
    pub async fn set_date(&self, id: &str, date: &str) {
        self.wait(id).await;
        self.client
            .execute(
                "const field = document.getElementById(arguments[0]); field.value = arguments[1]; \
                 field.dispatchEvent(new Event('input', {bubbles: true})); \
                 field.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![json!(id), json!(date)],
            )
            .await
            .unwrap_or_else(|e| panic!("set #{id} to {date}: {e}"));
    }

    /// Clicks `#id`.
    pub async fn click(&self, id: &str) {
        self.click_css(&by_id(id)).await;
    }

    /// Clicks the first element matching `css`.
    pub async fn click_css(&self, css: &str) {
        self.wait_css(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// Clicks `#id` and waits until the browser has left the page it was on (a form post answered).
    pub async fn submit(&self, id: &str) {
        self.submit_css(&by_id(id)).await;
    }

    /// Clicks the first element matching `css` and waits until the browser has left the page.
    pub async fn submit_css(&self, css: &str) {
        let before = self.wait_css("html").await;
        self.click_css(css).await;
        self.wait_until_stale(before).await;
    }

    async fn wait_until_stale(&self, element: Element) {
        let deadline = Instant::now() + PATIENCE;
        while Instant::now() < deadline {
            // A stale element (the page was replaced) errors; so does a document being unloaded.
            if element.tag_name().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page did not change: {}", self.where_am_i().await);
    }

    /// The trimmed text of `#id`.
    pub async fn text(&self, id: &str) -> String {
        self.text_css(&by_id(id)).await
    }

    /// The trimmed text of the first element matching `css`.
    pub async fn text_css(&self, css: &str) -> String {
        self.wait_css(css)
            .await
            .text()
            .await
            .expect("text")
            .trim()
            .to_owned()
    }

    /// The trimmed texts of every element matching `css`.
    pub async fn texts_css(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await.expect("find") {
            texts.push(element.text().await.expect("text").trim().to_owned());
        }
        texts
    }

    /// The `name` attribute of `#id`.
    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.wait(id).await.attr(name).await.expect("an attribute")
    }

    /// Waits until `#id` shows a text containing `expected` (the page before a form's answer may have its own
    /// `#id`).
    pub async fn wait_for_text(&self, id: &str, expected: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Id(id)).await
                && let Ok(text) = element.text().await
            {
                if text.contains(expected) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "#{id} did not come to show {expected:?} on {}; it shows {last:?}",
            self.where_am_i().await
        );
    }

    /// Reloads `url` until `ready` says the page shows what is expected (an import finishing, a worker tick).
    pub async fn reload_until<F, Fut>(&self, url: &str, what: &str, ready: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            self.goto(url).await;
            if ready().await {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{what} did not happen; last page {}",
                self.where_am_i().await
            );
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// The page's layout width and the width of its content: equal when nothing overflows sideways.
    pub async fn widths(&self) -> (u64, u64) {
        let value = self
            .client
            .execute(
                "return [document.documentElement.clientWidth, document.documentElement.scrollWidth];",
                vec![],
            )
            .await
            .expect("the page's widths");
        let number = |i: usize| value[i].as_u64().expect("a width");
        (number(0), number(1))
    }

    async fn where_am_i(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let body = match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let body: String = body.chars().take(1500).collect();
        format!("{url}\n--- page text ---\n{body}\n---")
    }

    /// Ends the session and chromedriver.
    pub async fn close(mut self) {
        self.client.clone().close().await.ok();
        self.driver.kill().await.ok();
    }
}

/// A selector for the element whose id is `id` (ids such as connection UUIDs may start with a digit, which `#id`
/// cannot express).
fn by_id(id: &str) -> String {
    format!("[id='{id}']")
}

fn screenshots_dir(journey: &str) -> PathBuf {
    let dir = crate::tools::repository_root()
        .join("artifacts/screenshots")
        .join(journey);
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("the screenshot directory can be created");
    dir
}

/// Starts chromedriver on a free loopback port and waits until it answers.
async fn start_driver(driver: &Path) -> (tokio::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
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
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
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
