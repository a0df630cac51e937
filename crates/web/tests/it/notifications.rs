//! Notification channels and the notification log, through the pages and the API: channels added, validated,
//! switched off and on; test sends through a real SMTP server and a real webhook receiver on loopback (signature
//! verified), failures recorded; the log filtered and paged; tenancy, CSRF and authentication; and webhook
//! secrets shown once, at creation, and nowhere else.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use sellerlink_domain::connection::{Language, Merchant};
use sellerlink_notify::webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER};
use sellerlink_notify::{
    EmailTransport, Mailer, RetryPolicy, SmtpSettings, SmtpTls, WebhookSecret, WebhookSender,
    verify_signature,
};
use sellerlink_reminders::Senders;
use sellerlink_store::{ChannelKind, ChannelOwner, NotificationChannel, Role};
use sellerlink_testkit::{MailSink, RecordedRequest, WebhookReceiver};
use serde_json::{Value, json};

use crate::support::{Browser, Options, Reply, TestApp, csrf_of};

const WAIT: Duration = Duration::from_secs(10);

/// Senders to the sink and the receiver, each send tried once.
pub(crate) fn senders(mail: &MailSink) -> Senders {
    let smtp = SmtpSettings::new(mail.host(), SmtpTls::None).with_port(mail.port());
    let mailer = Mailer::new(
        EmailTransport::smtp(&smtp).expect("the SMTP transport builds"),
        "sellerlink <noreply@3pl.example>".parse().unwrap(),
    )
    .with_retry(RetryPolicy::none());
    let webhooks = WebhookSender::builder()
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .allow_private_addresses(true)
        .build()
        .expect("the webhook sender builds");
    Senders::new(Some(mailer), webhooks)
}

/// A world with the reminders service, a real SMTP sink and a real webhook receiver.
struct World {
    app: TestApp,
    mail: MailSink,
    hooks: WebhookReceiver,
}

impl World {
    async fn new() -> Self {
        let mail = MailSink::start().await.expect("the mail sink starts");
        let hooks = WebhookReceiver::start()
            .await
            .expect("the webhook receiver starts");
        let app = TestApp::with_senders(Options::default(), senders(&mail)).await;
        Self { app, mail, hooks }
    }

    /// The merchant "Acme" and its user `owner@acme.example`.
    async fn acme(&self, language: Language) -> Merchant {
        let merchant = self.app.merchant("Acme").await;
        self.app
            .user("owner@acme.example", Role::Merchant(merchant.id), language)
            .await;
        merchant
    }

    async fn channels(&self, owner: ChannelOwner) -> Vec<NotificationChannel> {
        self.app
            .app
            .store()
            .notification_channels(owner)
            .await
            .unwrap()
    }
}

/// The text of the element with `id="…"` (up to the next tag).
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let at = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in: {html}"));
    let start = html[at..].find('>').unwrap() + at + 1;
    let end = html[start..].find('<').unwrap() + start;
    html[start..end].to_owned()
}

/// How many rows the log table shows.
fn log_rows(html: &str) -> usize {
    html.matches("<tr id=\"delivery-").count()
}

/// Posts a page form with the CSRF token of `page`, and follows a redirect.
async fn press(browser: &mut Browser<'_>, page: &str, action: &str) -> Reply {
    let reply = browser.submit(page, action, &[]).await;
    if reply.status == StatusCode::SEE_OTHER {
        let location = reply.location().to_owned();
        browser.get(&location).await
    } else {
        reply
    }
}

/// Checks a received webhook's signature with `secret`.
fn assert_signed(request: &RecordedRequest, secret: &str) {
    let secret = WebhookSecret::parse(secret).expect("the shown secret parses");
    verify_signature(
        &secret,
        request
            .header(TIMESTAMP_HEADER)
            .expect("a timestamp header"),
        &request.body,
        request
            .header(SIGNATURE_HEADER)
            .expect("a signature header"),
        Timestamp::now(),
        Duration::from_secs(300),
    )
    .expect("the signature verifies with the secret shown at creation");
}

#[tokio::test]
async fn a_merchant_adds_channels_tests_them_and_reads_the_log_on_the_pages() {
    let world = World::new().await;
    let merchant = world.acme(Language::En).await;
    world.app.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let mut browser = world.app.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/notification-channels", merchant.id);

    // Reachable from the dashboard and the menu.
    let dashboard = browser.get(&format!("/merchants/{}", merchant.id)).await;
    assert!(dashboard.body.contains(&format!("href=\"{page}\"")));
    assert!(dashboard.body.contains("href=\"/notifications"));
    let empty = browser.get(&page).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No channels yet"), "{}", empty.body);
    assert!(empty.body.contains("<label for=\"email-address\">"));
    assert!(empty.body.contains("<label for=\"webhook-url\">"));

    // Refused at the edge, in the reader's language, under the field; nothing stored.
    let bad = browser
        .submit(
            &page,
            &page,
            &[
                ("kind", "email"),
                ("address", "not an address"),
                ("language", "en"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let error = text_of(&bad.body, "email-address-error");
    assert!(error.starts_with("e-mail address:"), "{error}");
    assert!(error.contains("expected"), "{error}");
    assert!(bad.body.contains("aria-invalid=\"true\""));
    assert!(
        bad.body.contains("value=\"not an address\""),
        "what was typed stays"
    );
    let bad_url = browser
        .submit(
            &page,
            &page,
            &[("kind", "webhook"), ("address", "ftp://example.com/x")],
        )
        .await;
    assert_eq!(bad_url.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text_of(&bad_url.body, "webhook-url-error").starts_with("webhook URL:"));
    assert!(
        world
            .channels(ChannelOwner::Merchant(merchant.id))
            .await
            .is_empty()
    );

    // An e-mail address, then a webhook whose secret is shown once.
    let added = browser
        .submit(
            &page,
            &page,
            &[
                ("kind", "email"),
                ("address", "ops@acme.example"),
                ("language", "ja"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let listed = browser.get(added.location()).await;
    assert!(listed.body.contains("The channel was added."));
    assert!(listed.body.contains("ops@acme.example"));
    let hook_url = world.hooks.url("/hooks/acme");
    let created = browser
        .submit(&page, &page, &[("kind", "webhook"), ("address", &hook_url)])
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.header("cache-control"), "no-store");
    assert!(created.body.contains("This secret is shown only now"));
    let secret = text_of(&created.body, "new-secret");
    assert!(
        secret.starts_with("whsec_") && secret.len() == 70,
        "{secret}"
    );
    let channels = world.channels(ChannelOwner::Merchant(merchant.id)).await;
    let (email, hook) = (&channels[0], &channels[1]);
    assert_eq!(
        (email.kind, email.language, hook.kind, hook.language),
        (
            ChannelKind::Email,
            Language::Ja,
            ChannelKind::Webhook,
            Language::Ja
        ),
        "the language defaults to the merchant's"
    );

    // Test sends: to the SMTP server, to the webhook receiver (signed), and one the receiver refuses.
    let mailed = press(
        &mut browser,
        &page,
        &format!("/notification-channels/{}/test", email.id),
    )
    .await;
    assert!(
        mailed
            .body
            .contains("The test message was delivered to ops@acme.example."),
        "{}",
        mailed.body
    );
    let arrived = world.mail.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(arrived.rcpt_to, ["ops@acme.example"]);
    assert_eq!(
        arrived.parsed().header("X-Sellerlink-Notification-Type"),
        Some("connection.test")
    );
    let hooked = press(
        &mut browser,
        &page,
        &format!("/notification-channels/{}/test", hook.id),
    )
    .await;
    assert!(
        hooked.body.contains("The test message was delivered to"),
        "{}",
        hooked.body
    );
    let request = world.hooks.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(request.path, "/hooks/acme");
    assert_signed(&request, &secret);
    let payload: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(payload["type"], "connection.test");
    world.hooks.fail_next(1);
    let refused = press(
        &mut browser,
        &page,
        &format!("/notification-channels/{}/test", hook.id),
    )
    .await;
    let notice = text_of(&refused.body, "notice");
    assert!(notice.starts_with("The test message to"), "{notice}");
    assert!(notice.contains("HTTP 500"), "{notice}");

    // The log: newest first, with kind, recipient, state and attempts; filtered by status.
    let log = browser.get("/notifications").await;
    assert_eq!(log.status, StatusCode::OK);
    assert_eq!(log_rows(&log.body), 3, "{}", log.body);
    let first = log.body.find("<tr id=\"delivery-").unwrap();
    let first_row = &log.body[first..first + log.body[first..].find("</tr>").unwrap()];
    assert!(
        first_row.contains("data-state=\"failed\""),
        "newest first: {first_row}"
    );
    assert!(first_row.contains("data-kind=\"test\""), "{first_row}");
    assert!(log.body.contains("Test message"));
    assert!(log.body.contains("HTTP 500"));
    assert!(log.body.contains(&hook_url), "{}", log.body);
    let failed = browser.get("/notifications?status=failed").await;
    assert_eq!(log_rows(&failed.body), 1);
    let delivered = browser.get("/notifications?status=delivered").await;
    assert_eq!(log_rows(&delivered.body), 2);
    assert_eq!(
        log_rows(&browser.get("/notifications?status=pending").await.body),
        0
    );
    assert!(log.body.contains("Page 1") && !log.body.contains("id=\"next-page\""));
    let second = browser.get("/notifications?page=2").await;
    assert_eq!(log_rows(&second.body), 0);
    assert!(second.body.contains("id=\"prev-page\""));
    let wrong = browser.get("/notifications?status=lost").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Disable, then enable again.
    let disabled = press(
        &mut browser,
        &page,
        &format!("/notification-channels/{}/disable", hook.id),
    )
    .await;
    assert!(disabled.body.contains("The channel was disabled"));
    assert!(
        disabled
            .body
            .contains(&format!("id=\"enable-{}\"", hook.id))
    );
    assert!(world.channels(ChannelOwner::Merchant(merchant.id)).await[1].disabled);
    let enabled = press(
        &mut browser,
        &page,
        &format!("/notification-channels/{}/enable", hook.id),
    )
    .await;
    assert!(enabled.body.contains("The channel was enabled again."));
    assert!(!world.channels(ChannelOwner::Merchant(merchant.id)).await[1].disabled);

    // The secret was shown once: no page or answer since carries it, nor the database file in clear.
    for path in [
        page.as_str(),
        "/notifications",
        &format!("/merchants/{}", merchant.id),
    ] {
        let body = browser.get(path).await.body;
        assert!(!body.contains(&secret), "{path} shows the webhook secret");
    }
    let csrf = browser.csrf().await;
    for path in ["/api/v1/notification-channels", "/api/v1/notifications"] {
        let reply = browser.api(Method::GET, path, None, Some(&csrf)).await;
        assert_eq!(reply.status, StatusCode::OK);
        assert!(
            !reply.body.contains(&secret),
            "{path} shows the webhook secret"
        );
    }
    let file = std::fs::read(&world.app.db_path).unwrap();
    let wal = std::fs::read(world.app.db_path.with_extension("db-wal")).unwrap_or_default();
    for bytes in [&file, &wal] {
        assert!(
            !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "the webhook secret is stored sealed"
        );
    }
}

#[tokio::test]
async fn the_api_adds_lists_switches_and_tests_channels_and_pages_the_log() {
    let world = World::new().await;
    let merchant = world.acme(Language::Ja).await;
    let connection = world.app.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let mut browser = world.app.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    let key = browser
        .api(
            Method::POST,
            "/api/v1/api-keys",
            Some(json!({ "name": "notifications", "scopes": ["connections:read", "connections:manage", "orders:read", "shipments:write", "stock:write", "notifications:read", "notifications:manage"] })),
            Some(&csrf),
        )
        .await
        .json()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let api = |method: Method, path: &str, body: Option<Value>| {
        let key = key.clone();
        let path = path.to_owned();
        let world = &world;
        async move { world.app.api_with_key(method, &path, &key, body).await }
    };

    // Validation: the field at fault, in both languages.
    let bad = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "email", "address": "nobody" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &bad.json()["error"];
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("invalid_input"), Some("address"))
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("e-mail address:")
    );
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("メールアドレス")
    );
    let bad_url = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "webhook", "address": "https://user:pw@example.com/x" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(bad_url.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_url.json()["error"]["field"], "address");
    assert!(!bad_url.body.contains("pw@"), "{}", bad_url.body);
    let bad_language = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "email", "address": "ops@acme.example", "language": "fr" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(bad_language.json()["error"]["field"], "language");
    let bad_kind = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "sms", "address": "+81 90" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        (bad_kind.status, bad_kind.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_json".to_owned())
    );

    // A webhook (its secret in this one answer) and an e-mail address in English.
    let created = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "webhook", "address": world.hooks.url("/hooks/api?token=abc") })),
            Some(&csrf),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let created = created.json();
    let secret = created["webhook_secret"].as_str().unwrap().to_owned();
    let hook_id = created["channel"]["id"].as_str().unwrap().to_owned();
    assert_eq!(created["channel"]["kind"], "webhook");
    assert_eq!(created["channel"]["merchant_id"], merchant.id.to_string());
    assert_eq!(
        created["channel"]["address"],
        world.hooks.url("/hooks/api"),
        "the URL is shown without its query"
    );
    let mail = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "email", "address": "ops@acme.example", "language": "en" })),
            Some(&csrf),
        )
        .await
        .json();
    assert!(mail["webhook_secret"].is_null());
    assert_eq!(mail["channel"]["language"], "en");
    let mail_id = mail["channel"]["id"].as_str().unwrap().to_owned();
    let listed = api(Method::GET, "/api/v1/notification-channels", None).await;
    assert_eq!(listed.json().as_array().unwrap().len(), 2);
    assert!(!listed.body.contains(&secret));
    assert!(!listed.body.contains("token=abc"));

    // Test sends, answered with their log entry.
    let sent = api(
        Method::POST,
        &format!("/api/v1/notification-channels/{hook_id}/test"),
        None,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let sent = sent.json();
    assert_eq!(
        (
            sent["kind"].as_str(),
            sent["state"].as_str(),
            sent["attempts"].as_u64()
        ),
        (Some("test"), Some("delivered"), Some(1))
    );
    let request = world.hooks.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(request.path, "/hooks/api?token=abc");
    assert_signed(&request, &secret);
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(
        body["id"], sent["id"],
        "the webhook id is the log entry's id"
    );
    assert!(body.to_string().contains(&connection.to_string()));
    let mailed = api(
        Method::POST,
        &format!("/api/v1/notification-channels/{mail_id}/test"),
        None,
    )
    .await
    .json();
    assert_eq!(mailed["state"], "delivered");
    let arrived = world.mail.wait_for(1, WAIT).await.unwrap().remove(0);
    let text = arrived
        .parsed()
        .find_part("text/plain")
        .unwrap()
        .body_text();
    assert!(text.contains("This is a test notification"), "{text}");

    // A webhook nobody listens on: failed, with the reason.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let dead = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(
                json!({ "kind": "webhook", "address": format!("http://127.0.0.1:{closed}/hooks") }),
            ),
            Some(&csrf),
        )
        .await
        .json();
    let dead_id = dead["channel"]["id"].as_str().unwrap().to_owned();
    let failed = api(
        Method::POST,
        &format!("/api/v1/notification-channels/{dead_id}/test"),
        None,
    )
    .await
    .json();
    assert_eq!(
        (failed["state"].as_str(), failed["attempts"].as_u64()),
        (Some("failed"), Some(1))
    );
    assert!(failed["last_error"].as_str().is_some_and(|e| !e.is_empty()));

    // The log, newest first, filtered and paged.
    let log = api(Method::GET, "/api/v1/notifications", None).await;
    assert_eq!(log.status, StatusCode::OK);
    let log = log.json();
    let states: Vec<&str> = log["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["failed", "delivered", "delivered"]);
    assert_eq!(log["deliveries"][0]["merchant_name"], "Acme");
    assert_eq!(log["deliveries"][0]["to_operator"], false);
    assert!(!log.to_string().contains(&secret));
    let only_failed = api(Method::GET, "/api/v1/notifications?status=failed", None)
        .await
        .json();
    assert_eq!(only_failed["deliveries"].as_array().unwrap().len(), 1);
    let by_channel = api(
        Method::GET,
        &format!("/api/v1/notifications?channel_id={hook_id}&kind=test"),
        None,
    )
    .await
    .json();
    assert_eq!(by_channel["deliveries"].as_array().unwrap().len(), 1);
    let first_page = api(Method::GET, "/api/v1/notifications?per_page=2", None)
        .await
        .json();
    assert_eq!(
        (
            first_page["deliveries"].as_array().unwrap().len(),
            first_page["has_more"].as_bool()
        ),
        (2, Some(true))
    );
    let second_page = api(Method::GET, "/api/v1/notifications?per_page=2&page=2", None)
        .await
        .json();
    assert_eq!(
        (
            second_page["deliveries"].as_array().unwrap().len(),
            second_page["has_more"].as_bool()
        ),
        (1, Some(false))
    );
    for (query, field) in [
        ("status=lost", "status"),
        ("kind=sms", "kind"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
    ] {
        let reply = api(Method::GET, &format!("/api/v1/notifications?{query}"), None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(reply.json()["error"]["field"], field, "{query}");
    }

    // Switching off and on.
    let off = api(
        Method::POST,
        &format!("/api/v1/notification-channels/{hook_id}/disable"),
        None,
    )
    .await
    .json();
    assert_eq!(off["enabled"], false);
    let on = api(
        Method::POST,
        &format!("/api/v1/notification-channels/{hook_id}/enable"),
        None,
    )
    .await
    .json();
    assert_eq!(on["enabled"], true);

    // A session needs its CSRF token to change anything; no credentials at all is 401.
    let no_csrf = browser
        .api(
            Method::POST,
            &format!("/api/v1/notification-channels/{hook_id}/test"),
            None,
            None,
        )
        .await;
    assert_eq!(
        (no_csrf.status, no_csrf.code()),
        (StatusCode::FORBIDDEN, "csrf_failed".to_owned())
    );
    for (method, path) in [
        (Method::GET, "/api/v1/notification-channels".to_owned()),
        (Method::POST, "/api/v1/notification-channels".to_owned()),
        (Method::GET, "/api/v1/notifications".to_owned()),
        (
            Method::POST,
            format!("/api/v1/notification-channels/{hook_id}/test"),
        ),
        (
            Method::POST,
            format!("/api/v1/notification-channels/{hook_id}/disable"),
        ),
    ] {
        let reply = world.app.api_anonymous(method, &path, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(reply.code(), "unauthenticated");
    }
    assert_eq!(world.hooks.requests().len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn merchants_never_see_or_touch_another_merchants_channels_or_the_operators() {
    let world = World::new().await;
    let acme = world.app.merchant("Acme").await;
    let bolt = world.app.merchant("Bolt").await;
    world
        .app
        .user("owner@acme.example", Role::Merchant(acme.id), Language::En)
        .await;
    world
        .app
        .user("owner@bolt.example", Role::Merchant(bolt.id), Language::En)
        .await;
    world.app.operator().await;
    // Acme's access lapses in about two weeks, so a reminder is due.
    world.app.connection(&acme, "A1B2C3D4E5F6G7", 350).await;
    world.app.connection(&bolt, "A2B2C3D4E5F6G7", 10).await;

    let mut operator = world.app.browser().signed_in("ops@3pl.example").await;
    let ops_page = "/operator/notification-channels";
    let overview = operator.get("/operator").await;
    assert!(overview.body.contains(&format!("href=\"{ops_page}\"")));
    let added = operator
        .submit(
            ops_page,
            ops_page,
            &[
                ("kind", "webhook"),
                ("address", &world.hooks.url("/hooks/ops")),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let acme_page = format!("/merchants/{}/notification-channels", acme.id);
    let added = operator
        .submit(
            &acme_page,
            &acme_page,
            &[("kind", "email"), ("address", "ops@acme.example")],
        )
        .await;
    assert_eq!(
        added.status,
        StatusCode::SEE_OTHER,
        "operators manage any merchant's channels"
    );
    let ops_channel = world.channels(ChannelOwner::Operator).await.remove(0);
    let acme_channel = world
        .channels(ChannelOwner::Merchant(acme.id))
        .await
        .remove(0);

    // The reminders pass plans Acme's reminder to Acme's mailbox and to the operator's webhook.
    let reminders = world.app.reminders.as_ref().unwrap();
    let outcome = reminders.run_once(world.app.app.now()).await.unwrap();
    assert_eq!(outcome.sent, 2, "{outcome:?}");
    world.mail.wait_for(1, WAIT).await.unwrap();
    world.hooks.wait_for(1, WAIT).await.unwrap();

    // Bolt's user: Acme's page, channels, log and the operator's channel are all 404; the operator page 403.
    let mut bolt_user = world.app.browser().signed_in("owner@bolt.example").await;
    assert_eq!(
        bolt_user.get(&acme_page).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(bolt_user.get(ops_page).await.status, StatusCode::FORBIDDEN);
    let bolt_page = format!("/merchants/{}/notification-channels", bolt.id);
    for channel in [&acme_channel, &ops_channel] {
        for action in ["test", "disable", "enable"] {
            let reply = bolt_user
                .submit(
                    &bolt_page,
                    &format!("/notification-channels/{}/{action}", channel.id),
                    &[],
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{action} {}",
                channel.id
            );
        }
    }
    let refused = bolt_user
        .submit(
            &bolt_page,
            &acme_page,
            &[("kind", "email"), ("address", "evil@bolt.example")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(
        bolt_user
            .get(&format!("/notifications?merchant_id={}", acme.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let bolt_log = bolt_user.get("/notifications").await;
    assert_eq!(log_rows(&bolt_log.body), 0, "{}", bolt_log.body);
    let csrf = bolt_user.csrf().await;
    for (method, path) in [
        (
            Method::GET,
            format!("/api/v1/notification-channels?merchant_id={}", acme.id),
        ),
        (
            Method::GET,
            format!("/api/v1/notifications?merchant_id={}", acme.id),
        ),
        (
            Method::GET,
            format!("/api/v1/notifications?channel_id={}", acme_channel.id),
        ),
        (
            Method::POST,
            format!("/api/v1/notification-channels/{}/test", acme_channel.id),
        ),
        (
            Method::POST,
            format!("/api/v1/notification-channels/{}/test", ops_channel.id),
        ),
        (
            Method::POST,
            format!("/api/v1/notification-channels/{}/disable", acme_channel.id),
        ),
    ] {
        let reply = bolt_user.api(method, &path, None, Some(&csrf)).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "{path}: {}",
            reply.body
        );
        assert_eq!(reply.code(), "not_found");
    }
    let posted = bolt_user
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "merchant_id": acme.id.to_string(), "kind": "email", "address": "x@bolt.example" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(posted.status, StatusCode::NOT_FOUND);
    let bolt_channels = bolt_user
        .api(Method::GET, "/api/v1/notification-channels", None, None)
        .await;
    assert_eq!(bolt_channels.json(), json!([]));
    assert_eq!(world.mail.messages().len(), 1, "no test went out for Bolt");
    assert_eq!(world.hooks.requests().len(), 1);
    assert!(!world.channels(ChannelOwner::Merchant(acme.id)).await[0].disabled);

    // Acme sees its reminder to its own mailbox, and that the operator was told, without the operator's address.
    let mut acme_user = world.app.browser().signed_in("owner@acme.example").await;
    let acme_log = acme_user.get("/notifications").await;
    assert_eq!(log_rows(&acme_log.body), 2, "{}", acme_log.body);
    assert!(
        acme_log.body.contains("Reminder: 30 days before expiry"),
        "{}",
        acme_log.body
    );
    assert!(acme_log.body.contains("A1B2C3D4E5F6G7"));
    assert!(acme_log.body.contains("ops@acme.example"));
    assert!(
        acme_log.body.contains("The operator&#39;s channel")
            || acme_log.body.contains("The operator's channel"),
        "{}",
        acme_log.body
    );
    assert!(!acme_log.body.contains("/hooks/ops"), "{}", acme_log.body);
    let csrf = acme_user.csrf().await;
    let acme_api = acme_user
        .api(Method::GET, "/api/v1/notifications", None, Some(&csrf))
        .await
        .json();
    let to_operator: Vec<&Value> = acme_api["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["to_operator"] == true)
        .collect();
    assert_eq!(to_operator.len(), 1);
    assert!(to_operator[0]["recipient"].is_null());
    assert!(!acme_api.to_string().contains("/hooks/ops"));
    assert_eq!(
        acme_user.get(ops_page).await.status,
        StatusCode::FORBIDDEN,
        "the operator's channels are the operator's"
    );

    // The operator sees every merchant's log with the merchant's name, and can filter by merchant.
    let all = operator.get("/notifications").await;
    assert_eq!(log_rows(&all.body), 2);
    assert!(all.body.contains("/hooks/ops"));
    assert!(all.body.contains(">Acme<"), "{}", all.body);
    let tested = press(
        &mut operator,
        ops_page,
        &format!("/notification-channels/{}/test", ops_channel.id),
    )
    .await;
    assert!(
        text_of(&tested.body, "notice").ends_with("/hooks/ops に送信しました（配信済み）。"),
        "{}",
        tested.body
    );
    let all = operator.get("/notifications").await;
    assert_eq!(log_rows(&all.body), 3);
    let only_bolt = operator
        .get(&format!("/notifications?merchant_id={}", bolt.id))
        .await;
    assert_eq!(log_rows(&only_bolt.body), 0);
    let csrf = operator.csrf().await;
    let every = operator
        .api(
            Method::GET,
            "/api/v1/notification-channels",
            None,
            Some(&csrf),
        )
        .await
        .json();
    assert_eq!(every.as_array().unwrap().len(), 2, "{every}");
    assert!(
        every
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["merchant_id"].is_null())
    );
}

#[tokio::test]
async fn page_forms_need_the_csrf_token() {
    let world = World::new().await;
    let merchant = world.acme(Language::Ja).await;
    world.app.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let mut browser = world.app.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/notification-channels", merchant.id);
    let forged = browser
        .post_form(&page, &[("kind", "email"), ("address", "ops@acme.example")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        world
            .channels(ChannelOwner::Merchant(merchant.id))
            .await
            .is_empty()
    );

    let added = browser
        .submit(
            &page,
            &page,
            &[("kind", "email"), ("address", "ops@acme.example")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let channel = world
        .channels(ChannelOwner::Merchant(merchant.id))
        .await
        .remove(0);
    for action in ["test", "disable"] {
        let forged = browser
            .post_form(
                &format!("/notification-channels/{}/{action}", channel.id),
                &[("csrf", "not-the-token")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{action}");
    }
    assert!(world.mail.messages().is_empty());
    assert!(!world.channels(ChannelOwner::Merchant(merchant.id)).await[0].disabled);

    // Japanese by default: the page and its validation message.
    let html = browser.get(&page).await.body;
    assert!(html.contains("通知チャネル"));
    let token = csrf_of(&html);
    let bad = browser
        .post_form(
            &page,
            &[("csrf", &token), ("kind", "email"), ("address", "@@")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text_of(&bad.body, "email-address-error")
            .contains("メールアドレスの形式が正しくありません")
    );
}

#[tokio::test]
async fn a_test_without_a_connection_to_show_says_what_to_do() {
    let world = World::new().await;
    let merchant = world.acme(Language::En).await;
    let mut browser = world.app.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/notification-channels", merchant.id);
    browser
        .submit(
            &page,
            &page,
            &[("kind", "email"), ("address", "ops@acme.example")],
        )
        .await;
    let channel = world
        .channels(ChannelOwner::Merchant(merchant.id))
        .await
        .remove(0);
    let reply = browser
        .submit(
            &page,
            &format!("/notification-channels/{}/test", channel.id),
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(text_of(&reply.body, "notice").contains("connect an Amazon account first"));
    let csrf = browser.csrf().await;
    let api = browser
        .api(
            Method::POST,
            &format!("/api/v1/notification-channels/{}/test", channel.id),
            None,
            Some(&csrf),
        )
        .await;
    assert_eq!(
        (api.status, api.code()),
        (StatusCode::CONFLICT, "no_connection_to_show".to_owned())
    );
    assert!(world.mail.messages().is_empty());
}

#[tokio::test]
async fn without_the_reminders_service_the_log_reads_and_changes_answer_503() {
    let world = TestApp::new().await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::En,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/notification-channels", merchant.id);
    assert_eq!(browser.get(&page).await.status, StatusCode::OK);
    assert_eq!(browser.get("/notifications").await.status, StatusCode::OK);
    let added = browser
        .submit(
            &page,
            &page,
            &[("kind", "email"), ("address", "ops@acme.example")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SERVICE_UNAVAILABLE);
    let csrf = browser.csrf().await;
    let api = browser
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "email", "address": "ops@acme.example" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(
        (api.status, api.code()),
        (
            StatusCode::SERVICE_UNAVAILABLE,
            "notifications_not_configured".to_owned()
        )
    );
    let listed = browser
        .api(Method::GET, "/api/v1/notification-channels", None, None)
        .await;
    assert_eq!((listed.status, listed.json()), (StatusCode::OK, json!([])));
}

#[test]
fn the_endpoints_are_in_the_openapi_document() {
    let document: Value = serde_json::from_str(&sellerlink_web::openapi_json()).unwrap();
    let paths = document["paths"].as_object().unwrap();
    for path in [
        "/api/v1/notification-channels",
        "/api/v1/notification-channels/{channel_id}/disable",
        "/api/v1/notification-channels/{channel_id}/enable",
        "/api/v1/notification-channels/{channel_id}/test",
        "/api/v1/notifications",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    let secret = &document["components"]["schemas"]["CreatedChannelOut"]["properties"];
    assert!(secret.get("webhook_secret").is_some());
    let channel = &document["components"]["schemas"]["ChannelOut"]["properties"];
    assert!(channel.get("webhook_secret").is_none() && channel.get("secret").is_none());
}

#[tokio::test]
async fn a_merchant_may_not_point_a_webhook_into_the_3pls_network_but_the_operator_may() {
    let mail = MailSink::start().await.expect("the mail sink starts");
    let options = Options {
        refuse_private_webhooks: true,
        ..Options::default()
    };
    let world = TestApp::with_senders(options, senders(&mail)).await;
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mut browser = world.browser().signed_in("owner@acme.example").await;
    let csrf = browser.csrf().await;
    for address in [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.8/hooks",
        "https://[::1]/hooks",
    ] {
        let refused = browser
            .api(
                Method::POST,
                "/api/v1/notification-channels",
                Some(json!({ "kind": "webhook", "address": address })),
                Some(&csrf),
            )
            .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{address}"
        );
        let error = &refused.json()["error"];
        assert_eq!(error["field"], "address", "{address}");
        assert!(
            error["message"]
                .as_str()
                .unwrap()
                .contains("loopback, private or link-local"),
            "{address}: {error}"
        );
        assert!(
            error["message_ja"]
                .as_str()
                .unwrap()
                .contains("プライベート"),
            "{address}"
        );
    }
    assert!(
        world
            .app
            .store()
            .notification_channels(ChannelOwner::Merchant(merchant.id))
            .await
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );

    // The operator's own channel may point at its network (its receivers are the 3PL's own systems).
    world.operator().await;
    let mut operator = world.browser().signed_in("ops@3pl.example").await;
    let csrf = operator.csrf().await;
    let added = operator
        .api(
            Method::POST,
            "/api/v1/notification-channels",
            Some(json!({ "kind": "webhook", "address": "http://10.0.0.8/hooks" })),
            Some(&csrf),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
}

#[tokio::test]
async fn an_e_mail_channel_is_shown_with_its_whole_address() {
    let world = World::new().await;
    let merchant = world.acme(Language::En).await;
    let mut browser = world.app.browser().signed_in("owner@acme.example").await;
    let page = format!("/merchants/{}/notification-channels", merchant.id);
    let address = "night#shift?team@acme.example";
    let added = browser
        .submit(
            &page,
            &page,
            &[("kind", "email"), ("address", address), ("language", "en")],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let listed = browser.get(&page).await;
    assert!(listed.body.contains(address), "{}", listed.body);
    let api = browser
        .api(Method::GET, "/api/v1/notification-channels", None, None)
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    assert!(api.body.contains(address), "{}", api.body);
}
