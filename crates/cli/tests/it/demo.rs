//! `sellerlink demo`, the README's run command, as a newcomer uses it: the real binary starts the sandbox and the
//! web app, prints the logins, and both onboarding paths work over HTTP — the MWS wizard with a grant from the
//! sandbox, and "Connect with Amazon" through the sandbox's consent page — with orders imported afterwards.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use sellerlink_testkit::{Browser, Page, SellerLogin};
use serde_json::{Value, json};

use crate::support::{Home, JAPAN};

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_onboards_a_seller_through_mws_and_another_through_sp_api_and_imports_orders() {
    let home = Home::new();
    let (web_port, sandbox_port) = (free_port(), free_port());
    let mut demo = home.spawn(&[
        "demo",
        "--web-port",
        &web_port.to_string(),
        "--sandbox-port",
        &sandbox_port.to_string(),
    ]);
    let printed = demo.read_until("Press Ctrl-C");
    assert!(
        printed.contains("Press Ctrl-C"),
        "the demo did not start:\n{printed}"
    );
    let web = format!("http://127.0.0.1:{web_port}");
    let sandbox = format!("http://127.0.0.1:{sandbox_port}");
    assert!(printed.contains(&format!("{web}/login")), "{printed}");
    let (user, password) = login_after(&printed, "merchant user");
    let (seller_email, seller_password) = login_after(&printed, "seller sign-in");

    // The sandbox's two sellers: the second grants MWS access (as its Seller Central pages would), the first — the
    // seller whose sign-in the demo prints — authorizes the SP-API app below.
    let mut control = Browser::new(&sandbox);
    let sellers: Value =
        serde_json::from_str(&control.get("/_sandbox/sellers").await.body).unwrap();
    let sellers = sellers.as_array().expect("a list of sellers");
    let seller_id = |index: usize| sellers[index]["seller_id"].as_str().unwrap().to_owned();
    let developer: Value =
        serde_json::from_str(&control.get("/_sandbox/identity").await.body).unwrap();
    let developer_id = developer["developer"]["developer_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no developer id in {developer}"))
        .to_owned();
    let grant = control
        .send(
            reqwest::Client::new()
                .post(format!("{sandbox}/_sandbox/grants"))
                .json(&json!({ "seller_id": seller_id(1), "developer_id": developer_id })),
        )
        .await;
    assert!(grant.status.is_success(), "{}", grant.body);
    let grant: Value = serde_json::from_str(&grant.body).unwrap();
    let token = grant["mws_auth_token"].as_str().unwrap();

    // ① The merchant signs in and completes the MWS wizard with the three values.
    let mut browser = Browser::new(&web);
    let dashboard = sign_in(&mut browser, &user, &password).await;
    assert!(dashboard.starts_with("/merchants/"), "{dashboard}");
    let wizard = format!("{dashboard}/connect");
    let connected = submit(
        &mut browser,
        &wizard,
        &wizard,
        &[
            ("seller_id", &seller_id(1)),
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
        started.redirect().starts_with(&sandbox),
        "{}",
        started.redirect()
    );
    let mut amazon = Browser::new(&sandbox);
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
