//! `sellerlink demo`, the README's run command, as a newcomer uses it: the real binary starts the sandbox and the
//! web app, prints the logins, and both onboarding paths work over HTTP — the MWS wizard with a grant from the
//! sandbox, and "Connect with Amazon" through the sandbox's consent page — with orders imported afterwards. And the
//! demo clock: moving it shows "expiring soon" and the reminder, the expiry and the access-lost alert, and the
//! access-restored notice, by real SMTP.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sellerlink_testkit::{Browser, MailSink, Page, ParsedMail, SellerLogin};
use serde_json::{Value, json};

use crate::support::{Home, JAPAN, Running};

/// A loopback port nobody listens on right now.
fn free_port() -> u16 {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
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

/// Signs in to sellerlink; returns the page it lands on (the merchant's dashboard path).
async fn sign_in(browser: &mut Browser, email: &str, password: &str) -> String {
    let form = browser.get("/login").await;
    let csrf = form.field("csrf");
    let done = browser
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("next", ""),
                ("email", email),
                ("password", password),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let landing = browser.get(done.redirect()).await;
    match landing.location {
        Some(to) => to,
        None => done.redirect().to_owned(),
    }
}

/// Posts a form of `page` (with its CSRF token) to `action`.
async fn submit(browser: &mut Browser, page: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = browser.get(page).await.field("csrf");
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(action, &form).await
}

/// Waits until the signed-in merchant has imported orders through `connections` connections.
async fn wait_for_orders(browser: &mut Browser, connections: usize) -> Value {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let page = browser.get("/api/v1/orders?per_page=200").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let orders: Value = serde_json::from_str(&page.body).unwrap();
        let mut through: Vec<&str> = orders["orders"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|o| o["connection_id"].as_str())
            .collect();
        through.sort_unstable();
        through.dedup();
        if through.len() >= connections {
            return orders;
        }
        assert!(
            Instant::now() < deadline,
            "orders did not arrive through {connections} connection(s): {}",
            page.body
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A running `sellerlink demo` and what it printed.
struct Demo {
    _process: Running,
    printed: String,
    web: String,
    sandbox: String,
}

impl Demo {
    fn start(home: &Home) -> Self {
        let (web_port, sandbox_port) = (free_port(), free_port());
        let mut process = home.spawn(&[
            "demo",
            "--web-port",
            &web_port.to_string(),
            "--sandbox-port",
            &sandbox_port.to_string(),
        ]);
        let printed = process.read_until("Press Ctrl-C");
        assert!(
            printed.contains("Press Ctrl-C"),
            "the demo did not start:\n{printed}"
        );
        let web = format!("http://127.0.0.1:{web_port}");
        assert!(printed.contains(&format!("{web}/login")), "{printed}");
        Self {
            _process: process,
            printed,
            web,
            sandbox: format!("http://127.0.0.1:{sandbox_port}"),
        }
    }

    /// The sandbox's seeded sellers, as its control API lists them.
    async fn sellers(&self) -> Vec<Value> {
        let mut control = Browser::new(&self.sandbox);
        let sellers: Value =
            serde_json::from_str(&control.get("/_sandbox/sellers").await.body).unwrap();
        sellers.as_array().expect("a list of sellers").clone()
    }

    /// The demo developer's ID.
    async fn developer_id(&self) -> String {
        let mut control = Browser::new(&self.sandbox);
        let developer: Value =
            serde_json::from_str(&control.get("/_sandbox/identity").await.body).unwrap();
        developer["developer"]["developer_id"]
            .as_str()
            .unwrap_or_else(|| panic!("no developer id in {developer}"))
            .to_owned()
    }

    /// A grant action at the sandbox's control API (`""` grants access; `restore`, …), as Seller Central's pages
    /// would do it.
    async fn grant(&self, action: &str, seller_id: &str) -> Value {
        let path = match action {
            "" => "/_sandbox/grants".to_owned(),
            action => format!("/_sandbox/grants/{action}"),
        };
        let developer_id = self.developer_id().await;
        let mut control = Browser::new(&self.sandbox);
        let grant = control
            .send(
                reqwest::Client::new()
                    .post(format!("{}{path}", self.sandbox))
                    .json(&json!({ "seller_id": seller_id, "developer_id": developer_id })),
            )
            .await;
        assert!(grant.status.is_success(), "{path}: {}", grant.body);
        serde_json::from_str(&grant.body).unwrap()
    }

    /// Signs the printed merchant user in; returns the browser and the dashboard's path.
    async fn merchant(&self) -> (Browser, String) {
        let (user, password) = login_after(&self.printed, "merchant user");
        let mut browser = Browser::new(&self.web);
        let dashboard = sign_in(&mut browser, &user, &password).await;
        assert!(dashboard.starts_with("/merchants/"), "{dashboard}");
        (browser, dashboard)
    }

    /// ① The MWS wizard with the seller the demo names for it: grant at the sandbox, the three values in sellerlink.
    async fn connect_mws(&self, browser: &mut Browser, dashboard: &str) -> String {
        let sellers = self.sellers().await;
        let (email, _) = login_after(&self.printed, "MWS wizard seller");
        let seller = sellers
            .iter()
            .find(|s| s["email"] == email.as_str())
            .unwrap_or_else(|| panic!("the printed MWS seller {email} is not in {sellers:?}"));
        let seller_id = seller["seller_id"].as_str().unwrap().to_owned();
        let grant = self.grant("", &seller_id).await;
        let token = grant["mws_auth_token"].as_str().unwrap();
        let wizard = format!("{dashboard}/connect");
        let connected = submit(
            browser,
            &wizard,
            &wizard,
            &[
                ("seller_id", &seller_id),
                ("marketplace_id", JAPAN),
                ("mws_auth_token", token),
            ],
        )
        .await;
        assert_eq!(
            connected.status,
            StatusCode::SEE_OTHER,
            "{}",
            connected.body
        );
        seller_id
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_onboards_a_seller_through_mws_and_another_through_sp_api_and_imports_orders() {
    let home = Home::new();
    let demo = Demo::start(&home);
    let (web, sandbox) = (&demo.web, &demo.sandbox);
    let (seller_email, seller_password) = login_after(&demo.printed, "SP-API seller");

    // ① The merchant signs in and completes the MWS wizard with the seller printed for it (the sandbox's second).
    let (mut browser, dashboard) = demo.merchant().await;
    let mws_seller = demo.connect_mws(&mut browser, &dashboard).await;
    let sellers = demo.sellers().await;
    assert_eq!(sellers[1]["seller_id"], mws_seller.as_str());
    assert_eq!(sellers[0]["email"], seller_email.as_str());

    // ② "Connect with Amazon": the sandbox's consent page, signed in as the printed seller, then back.
    let started = submit(
        &mut browser,
        &dashboard,
        &format!("{dashboard}/connect/amazon"),
        &[("marketplace", JAPAN)],
    )
    .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    assert!(
        started.redirect().starts_with(sandbox.as_str()),
        "{}",
        started.redirect()
    );
    let mut amazon = Browser::new(sandbox);
    let seller = SellerLogin::new(seller_email, seller_password);
    let back = seller.consent(&mut amazon, started.redirect()).await;
    assert!(
        back.starts_with(&format!("{web}/amazon/callback")),
        "{back}"
    );
    let done = browser.get(&back).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.redirect(), format!("{dashboard}?notice=connected"));

    // Both connections are active and their orders arrive without anyone pressing "sync".
    let connections: Value =
        serde_json::from_str(&browser.get("/api/v1/connections").await.body).unwrap();
    let connections = connections.as_array().expect("a list of connections");
    assert_eq!(connections.len(), 2, "{connections:?}");
    let apis: Vec<&str> = connections
        .iter()
        .map(|c| c["api"].as_str().unwrap_or_default())
        .collect();
    assert!(
        apis.contains(&"mws") && apis.contains(&"sp_api"),
        "{apis:?}"
    );
    let orders = wait_for_orders(&mut browser, 2).await;
    assert!(orders["total"].as_u64().unwrap() > 0);
}

/// The demo's connections, as the signed-in merchant sees them through the API.
async fn connections(browser: &mut Browser) -> Vec<Value> {
    let page = browser.get("/api/v1/connections").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let connections: Value = serde_json::from_str(&page.body).unwrap();
    connections
        .as_array()
        .expect("a list of connections")
        .clone()
}

/// A JSON request with the session's CSRF token (taken from `page`'s forms).
async fn api_post(browser: &mut Browser, page: &str, path: &str, body: Value) -> Value {
    let csrf = browser.get(page).await.field("csrf");
    let url = browser.absolute(path);
    let reply = browser
        .send(
            reqwest::Client::new()
                .post(url)
                .header("x-csrf-token", csrf)
                .json(&body),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

/// Waits for an e-mail of `kind` (`X-Sellerlink-Notification-Type`) to `to`.
async fn mail_of(sink: &MailSink, kind: &str, to: &str) -> ParsedMail {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = sink.messages().into_iter().find_map(|mail| {
            let parsed = mail.parsed();
            (mail.rcpt_to.iter().any(|r| r == to)
                && parsed.header("X-Sellerlink-Notification-Type") == Some(kind))
            .then_some(parsed)
        });
        if let Some(mail) = found {
            return mail;
        }
        let seen: Vec<_> = sink
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_clock_shows_the_reminder_the_expiry_with_its_alert_and_the_restore() {
    let sink = MailSink::start().await.unwrap();
    let home = Home::new()
        .with_env("SELLERLINK_SMTP_HOST", &sink.host())
        .with_env("SELLERLINK_SMTP_PORT", &sink.port().to_string())
        .with_env("SELLERLINK_SMTP_TLS", "none");
    let demo = Demo::start(&home);
    let (merchant, _) = login_after(&demo.printed, "merchant user");
    let (mut browser, dashboard) = demo.merchant().await;
    let seller_id = demo.connect_mws(&mut browser, &dashboard).await;
    wait_for_orders(&mut browser, 1).await;
    let connection = connections(&mut browser).await[0].clone();
    let id = connection["id"].as_str().unwrap().to_owned();
    assert_eq!(connection["status"], "active", "{connection}");
    let expires_on = connection["expires_on"].as_str().unwrap().to_owned();
    let page = browser.get(&dashboard).await;
    assert!(
        page.by_id("demo-clock-date").is_some(),
        "the bar: {}",
        page.body
    );

    // 340 days on, both clocks moved: 25 days left, "expiring soon", and the reminder arrives by SMTP. The MWS
    // calls of the import the move ran still pass the sandbox's 15-minute timestamp check.
    let clock = api_post(
        &mut browser,
        &dashboard,
        "/api/v1/demo/clock",
        json!({"advance_days": 340}),
    )
    .await;
    assert_eq!(clock["offset_seconds"], 340 * 86_400, "{clock}");
    let mut control = Browser::new(&demo.sandbox);
    let sandbox_clock: Value =
        serde_json::from_str(&control.get("/_sandbox/clock").await.body).unwrap();
    let sandbox_now: jiff::Timestamp = sandbox_clock["now"].as_str().unwrap().parse().unwrap();
    let ours: jiff::Timestamp = clock["now"].as_str().unwrap().parse().unwrap();
    assert!(
        sandbox_now.duration_since(ours).abs() < jiff::SignedDuration::from_secs(60),
        "sandbox {sandbox_now}, sellerlink {ours}"
    );
    let soon = connections(&mut browser).await[0].clone();
    assert_eq!(soon["status"], "expiring_soon", "{soon}");
    let runs = browser
        .get(&format!("/api/v1/connections/{id}/sync-runs"))
        .await;
    let runs: Value = serde_json::from_str(&runs.body).unwrap();
    assert_eq!(
        runs[0]["outcome"], "ok",
        "the import after the move: {runs}"
    );
    let reminder = mail_of(&sink, "connection.expiry_reminder", &merchant).await;
    assert!(
        reminder.body_text().contains(&expires_on)
            || reminder
                .parts()
                .iter()
                .any(|p| p.body_text().contains(&expires_on)),
        "the reminder names the expiry date {expires_on}"
    );

    // Past the expiry date: expired in sellerlink, refused by the sandbox, and the access-lost alert goes out.
    api_post(
        &mut browser,
        &dashboard,
        "/api/v1/demo/clock",
        json!({"advance_days": 30}),
    )
    .await;
    let expired = connections(&mut browser).await[0].clone();
    assert_eq!(expired["status"], "expired", "{expired}");
    mail_of(&sink, "connection.access_lost", &merchant).await;

    // Restored at the sandbox (as Seller Central's "restore" does) and recorded in sellerlink; a day later the
    // worker's re-check finds access back and the access-restored notice goes out.
    demo.grant("restore", &seller_id).await;
    let restored = api_post(
        &mut browser,
        &dashboard,
        &format!("/api/v1/connections/{id}/actions"),
        json!({"action": "restore"}),
    )
    .await;
    assert_ne!(restored["expires_on"], expires_on.as_str(), "{restored}");
    api_post(
        &mut browser,
        &dashboard,
        "/api/v1/demo/clock",
        json!({"advance_days": 1}),
    )
    .await;
    mail_of(&sink, "connection.access_restored", &merchant).await;
    let back = connections(&mut browser).await[0].clone();
    assert_eq!(back["status"], "active", "{back}");
}
