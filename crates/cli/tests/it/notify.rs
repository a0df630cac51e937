//! Channels, a reminder run and the notification log through the binary, over a real SMTP sink and webhook
//! receiver on loopback.

use sellerlink_testkit::{MailSink, WebhookReceiver};

use crate::support::{Home, JAPAN, SELLER, TOKEN};

#[tokio::test(flavor = "multi_thread")]
async fn a_due_reminder_reaches_email_and_webhook_once_and_is_logged() {
    let sink = MailSink::start().await.unwrap();
    let hooks = WebhookReceiver::start().await.unwrap();
    let home = Home::new()
        .with_env("SELLERLINK_SMTP_HOST", &sink.host())
        .with_env("SELLERLINK_SMTP_PORT", &sink.port().to_string())
        .with_env("SELLERLINK_SMTP_TLS", "none")
        .with_env("SELLERLINK_MAIL_FROM", "sellerlink <noreply@3pl.example>")
        // The receiver listens on loopback.
        .with_env("SELLERLINK_ALLOW_PRIVATE_WEBHOOKS", "true");
    let run = |args: &[&str]| tokio::task::block_in_place(|| home.run(args));
    run(&["merchant", "add", "--name", "Takumi", "--language", "en"]).assert_ok();
    // Granted 358 days ago: the 7-day reminder is due today.
    let granted = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * 358);
    let granted = granted.to_string();
    let added = tokio::task::block_in_place(|| {
        home.run_with_stdin(
            &[
                "connection",
                "add",
                "--no-verify",
                "--merchant",
                "Takumi",
                "--seller-id",
                SELLER,
                "--marketplace-id",
                JAPAN,
                "--granted-at",
                &granted,
            ],
            &format!("{TOKEN}\n"),
        )
    });
    added.assert_ok();

    run(&[
        "notify",
        "channel",
        "add",
        "--merchant",
        "Takumi",
        "--email",
        "ops@takumi.example",
    ])
    .assert_ok();
    let hook = run(&[
        "--json",
        "notify",
        "channel",
        "add",
        "--merchant",
        "Takumi",
        "--webhook",
        &hooks.url("/hook"),
    ]);
    let secret = hook.assert_ok().json()["webhook_secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let listed = run(&[
        "--json",
        "notify",
        "channel",
        "list",
        "--merchant",
        "Takumi",
    ])
    .assert_ok()
    .json();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        !listed.to_string().contains(&secret),
        "the secret is shown once, at creation"
    );

    let first = run(&["--json", "notify", "run"]).assert_ok().json();
    assert_eq!(first["sent"], 2, "{first}");
    let again = run(&["--json", "notify", "run"]).assert_ok().json();
    assert_eq!(again["sent"], 0, "exactly once: {again}");

    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt_to, ["ops@takumi.example"]);
    let requests = hooks.requests();
    assert_eq!(requests.len(), 1);
    let body = String::from_utf8_lossy(&requests[0].body).to_string();
    assert!(body.contains("connection.expiry_reminder"), "{body}");

    let log = run(&["--json", "notify", "log", "--merchant", "Takumi"])
        .assert_ok()
        .json();
    let rows = log.as_array().unwrap();
    let delivered: Vec<i64> = rows
        .iter()
        .filter(|d| d["state"] == "delivered")
        .map(|d| d["offset_days"].as_i64().unwrap())
        .collect();
    assert_eq!(delivered, [7, 7], "{log}");
    // The 30- and 14-day reminders were due while nothing ran: recorded as skipped, with the reason.
    let skipped: Vec<&serde_json::Value> =
        rows.iter().filter(|d| d["state"] == "skipped").collect();
    assert_eq!(skipped.len(), 4, "{log}");
    assert!(skipped.iter().all(|d| {
        d["last_error"]
            .as_str()
            .unwrap()
            .contains("7-day reminder replaces it")
    }));

    let channel = listed[0]["id"].as_str().unwrap().to_owned();
    run(&["notify", "test", &channel]).assert_ok();
    assert_eq!(
        sink.messages().len() + hooks.requests().len(),
        3,
        "the test message went to one channel"
    );
}

#[test]
fn a_merchants_webhook_on_a_non_public_address_is_refused_unless_allowed() {
    let home = Home::new();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let add = |extra: &[&str], url: &str| {
        let mut args = vec!["notify", "channel", "add"];
        args.extend_from_slice(extra);
        args.extend_from_slice(&["--webhook", url]);
        home.run(&args)
    };
    for url in [
        "http://127.0.0.1:9/hook",
        "https://[::127.0.0.1]/hook",
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",
        "http://localhost:9/hook",
    ] {
        let run = add(&["--merchant", "Takumi"], url);
        assert!(!run.status.success(), "{url} was accepted");
        assert!(
            run.stderr.contains("--webhook")
                && run.stderr.contains("loopback, private")
                && run.stderr.contains("プライベート"),
            "{url}: {}",
            run.stderr
        );
    }
    let listed = |owner: &[&str]| {
        let mut args = vec!["--json", "notify", "channel", "list"];
        args.extend_from_slice(owner);
        home.run(&args).assert_ok().json().as_array().unwrap().len()
    };
    assert_eq!(listed(&["--merchant", "Takumi"]), 0, "nothing was stored");
    // The operator's own channel, and any channel once the operator allowed private webhooks.
    add(&["--operator"], "http://127.0.0.1:9/hook").assert_ok();
    add(
        &["--allow-private-webhooks", "--merchant", "Takumi"],
        "http://127.0.0.1:9/hook",
    )
    .assert_ok();
    assert_eq!(listed(&["--merchant", "Takumi"]), 1);
    assert_eq!(listed(&["--operator"]), 1);
}
