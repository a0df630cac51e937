//! The real-browser suite: every merchant and operator journey in headless Chromium (through chromedriver) against
//! the README's `sellerlink demo` binary and its sandbox, through the same pages a person uses. The sandbox's control
//! API only reads test identities or sets up Amazon-side state a journey is not about. Each journey saves its pages
//! under `artifacts/screenshots/<journey>/`.
//!
//! Chromium and chromedriver missing is a failure with the install command, never a skip
//! (`sellerlink_testkit::tools::chromium`).

mod journeys;
mod lifecycle;
mod operator;
mod spapi;
mod steps;
mod stock_audit;

use std::time::{Duration, Instant};

use sellerlink_testkit::{Chromium, MailSink, ParsedMail, SandboxControl, Window};
use serde_json::Value;

use crate::support::{Home, Running};

/// A seller account of the demo's sandbox, as its Seller Central sign-in page takes it.
#[derive(Debug, Clone)]
pub struct DemoSeller {
    pub seller_id: String,
    pub email: String,
    pub password: String,
}

/// `sellerlink demo` running in its own home, its e-mail going to a real SMTP sink on loopback.
pub struct Demo {
    pub web: String,
    pub sandbox: String,
    /// The sandbox's control API.
    pub control: SandboxControl,
    pub merchant_user: (String, String),
    pub operator: (String, String),
    pub developer_name: String,
    pub developer_id_dashed: String,
    pub mail: MailSink,
    printed: String,
    _running: Running,
    _home: Home,
}

impl Demo {
    pub async fn start() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mail = MailSink::start().await.expect("the mail sink starts");
        let home = Home::new()
            .with_env("SELLERLINK_SMTP_HOST", "127.0.0.1")
            .with_env("SELLERLINK_SMTP_PORT", &mail.port().to_string())
            .with_env("SELLERLINK_SMTP_TLS", "none");
        let mut running = home.spawn(&["demo", "--web-port", "0", "--sandbox-port", "0"]);
        let printed = running.read_until("Press Ctrl-C");
        assert!(
            printed.contains("Press Ctrl-C"),
            "the demo did not start:\n{printed}"
        );
        let web = url_after(&printed, "sellerlink (web)")
            .trim_end_matches("/login")
            .to_owned();
        let sandbox = url_after(&printed, "Amazon sandbox")
            .trim_end_matches('/')
            .to_owned();
        get_json(&format!("{sandbox}/_sandbox")).await;
        let control = SandboxControl::new(&sandbox);
        let developer = control
            .identity()
            .await
            .developer
            .expect("the demo sandbox has its demo developer");
        Self {
            merchant_user: login_after(&printed, "merchant user"),
            operator: login_after(&printed, "operator"),
            developer_name: developer.name,
            developer_id_dashed: developer.developer_id_dashed,
            control,
            web,
            sandbox,
            mail,
            printed,
            _running: running,
            _home: home,
        }
    }

    /// The sandbox's sellers, in the order it created them.
    pub async fn sellers(&self) -> Vec<DemoSeller> {
        self.control
            .sellers()
            .await
            .into_iter()
            .map(|seller| DemoSeller {
                seller_id: seller.seller_id,
                email: seller.email,
                password: seller.password,
            })
            .collect()
    }

    /// The printed seller on the line that starts with `label`.
    async fn seller_on(&self, label: &str) -> DemoSeller {
        let (email, password) = login_after(&self.printed, label);
        let seller = self
            .sellers()
            .await
            .into_iter()
            .find(|seller| seller.email == email)
            .unwrap_or_else(|| panic!("{email} is not one of the sandbox's sellers"));
        assert_eq!(
            seller.password, password,
            "the printed password is the seller's"
        );
        seller
    }

    /// The seller the demo names for the MWS wizard.
    pub async fn mws_seller(&self) -> DemoSeller {
        self.seller_on("MWS wizard seller").await
    }

    /// The seller the demo names for "Connect with Amazon".
    pub async fn spapi_seller(&self) -> DemoSeller {
        self.seller_on("SP-API seller").await
    }

    /// Waits for an e-mail of `kind` (its `X-Sellerlink-Notification-Type`) to `to` at the SMTP sink.
    pub async fn mail_of(&self, kind: &str, to: &str) -> ParsedMail {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let found = self.mail.messages().into_iter().find_map(|mail| {
                let parsed = mail.parsed();
                (mail.rcpt_to.iter().any(|r| r == to)
                    && parsed.header("X-Sellerlink-Notification-Type") == Some(kind))
                .then_some(parsed)
            });
            if let Some(mail) = found {
                return mail;
            }
            let seen: Vec<Option<String>> = self
                .mail
                .messages()
                .iter()
                .map(|m| {
                    m.parsed()
                        .header("X-Sellerlink-Notification-Type")
                        .map(str::to_owned)
                })
                .collect();
            assert!(
                Instant::now() < deadline,
                "no {kind} mail to {to}; seen {seen:?}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// sellerlink's demo clock (read through the signed-in `browser`) and the sandbox's agree within a minute.
    pub async fn assert_clocks_agree(&self, browser: &Chromium) {
        browser
            .goto(&format!("{}/api/v1/demo/clock", self.web))
            .await;
        let body = browser.text_css("body").await;
        let ours: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let ours: jiff::Timestamp = ours["now"].as_str().unwrap().parse().unwrap();
        let sandbox: jiff::Timestamp = self.control.clock().await.now.parse().unwrap();
        assert!(
            sandbox.duration_since(ours).abs() < jiff::SignedDuration::from_secs(60),
            "sandbox {sandbox}, sellerlink {ours}"
        );
    }

    /// Opens Chromium for `journey` in `language`.
    pub async fn browser(&self, journey: &str, language: &str, window: Window) -> Chromium {
        Chromium::start(journey, language, window).await
    }
}

async fn get_json(url: &str) -> Value {
    let mut last = String::new();
    for _ in 0..50 {
        match reqwest::get(url).await {
            Ok(response) if response.status().is_success() => {
                return response.json().await.expect("JSON");
            }
            Ok(response) => last = format!("{}", response.status()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("GET {url}: {last}");
}

/// The first URL on the line that starts with `label`.
fn url_after(printed: &str, label: &str) -> String {
    let line = printed
        .lines()
        .find(|line| line.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{printed}"));
    line.split_whitespace()
        .find(|word| word.starts_with("http://") || word.starts_with("https://"))
        .unwrap_or_else(|| panic!("no URL on {line:?}"))
        .to_owned()
}

/// The two words after `label` on the line that holds it: `label  first / second`.
fn login_after(printed: &str, label: &str) -> (String, String) {
    let line = printed
        .lines()
        .find(|line| line.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no {label:?} line in:\n{printed}"));
    let rest = line.trim_start()[label.len()..].trim();
    let mut words = rest.split_whitespace();
    let first = words.next().unwrap().to_owned();
    assert_eq!(words.next(), Some("/"), "{line}");
    let second = words.next().unwrap().to_owned();
    (first, second)
}
