//! Delivery mechanics: durable retries with backoff, giving up, disabled channels, the test-send button, the log,
//! and the serve loop.

use std::time::Duration;

use jiff::SignedDuration;
use sellerlink_domain::connection::Language;
use sellerlink_reminders::{ChannelTarget, ReminderError, RunOutcome};
use sellerlink_store::{ChannelId, ChannelOwner, DeliveryKind, DeliveryQuery, DeliveryState};

use crate::harness::Db;
use crate::world::{WAIT, World, jst};

async fn failed_sends_are_retried_with_backoff_then_given_up(db: Db) {
    let mut world = World::with(db, jst("2026-03-01", "09:00"), |settings| {
        settings.max_attempts = 3
    })
    .await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let owner = ChannelOwner::Merchant(sakura.id);
    world
        .webhook_channel(owner, "/hooks/sakura", Language::Ja)
        .await;
    // Expires 2026-03-31: the 30-day reminder is due now.
    world.mws(&sakura, "2025-03-31", true).await;

    // Two failures (HTTP 500), then success: retried after 1 and 2 minutes, with the same id each time.
    world.hooks.fail_next(2);
    let outcome = world.run().await;
    assert_eq!((outcome.planned, outcome.sent, outcome.retrying), (1, 0, 1));
    let record = world.deliveries().await.remove(0);
    assert_eq!((record.state, record.attempts), (DeliveryState::Planned, 1));
    assert!(
        record.last_error.as_deref().unwrap().contains("HTTP 500"),
        "{:?}",
        record.last_error
    );
    assert_eq!(
        record.next_attempt_at,
        world
            .now()
            .checked_add(SignedDuration::from_mins(1))
            .unwrap()
    );

    world.advance(SignedDuration::from_secs(59));
    assert!(world.run().await.is_idle(), "not before its time");
    world.advance(SignedDuration::from_secs(1));
    assert_eq!(world.run().await.retrying, 1);
    world.advance(SignedDuration::from_mins(2));
    assert_eq!(world.run().await.sent, 1);
    let record = world.store().delivery(record.id).await.unwrap();
    assert_eq!(
        (record.state, record.attempts),
        (DeliveryState::Delivered, 3)
    );
    let requests = world.hooks.requests();
    assert_eq!(requests.len(), 3);
    assert!(
        requests
            .iter()
            .all(|r| r.header("sellerlink-webhook-id") == Some(record.id.to_string().as_str()))
    );

    // A second connection whose endpoint keeps failing: three attempts, then failed with the error.
    world.mws(&sakura, "2025-04-01", true).await;
    world.set(jst("2026-03-02", "09:00"));
    world.hooks.fail_next(100);
    assert_eq!(world.run().await.retrying, 1);
    world.advance(SignedDuration::from_mins(1));
    assert_eq!(world.run().await.retrying, 1);
    world.advance(SignedDuration::from_mins(2));
    let outcome = world.run().await;
    assert_eq!((outcome.retrying, outcome.failed), (0, 1));
    let failed = world
        .store()
        .deliveries(&DeliveryQuery {
            state: Some(DeliveryState::Failed),
            ..DeliveryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].attempts, 3);
    assert!(
        failed[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("HTTP 500")
    );
    world.advance(SignedDuration::from_hours(2));
    assert!(world.run().await.is_idle(), "given up for good");
}

async fn refusals_no_retry_can_cure_fail_at_once(db: Db) {
    let mut world = World::new(db, jst("2026-03-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    world
        .webhook_channel(
            ChannelOwner::Merchant(sakura.id),
            "/hooks/gone",
            Language::Ja,
        )
        .await;
    world.mws(&sakura, "2025-03-31", true).await;
    world.hooks.fail_next_with(1, 410);
    let outcome = world.run().await;
    assert_eq!((outcome.sent, outcome.retrying, outcome.failed), (0, 0, 1));
    let record = world.deliveries().await.remove(0);
    assert_eq!((record.state, record.attempts), (DeliveryState::Failed, 1));
    assert!(record.last_error.as_deref().unwrap().contains("HTTP 410"));
}

async fn a_disabled_channel_gets_nothing_new_and_loses_what_waited(db: Db) {
    let mut world = World::new(db, jst("2026-03-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    let owner = ChannelOwner::Merchant(sakura.id);
    let mail = world
        .email_channel(owner, "tanaka@sakura.example", Language::Ja)
        .await;
    let hook = world
        .webhook_channel(owner, "/hooks/sakura", Language::Ja)
        .await;
    world.mws(&sakura, "2025-03-31", true).await;

    // The webhook fails once, then its channel is switched off before the retry.
    world.hooks.fail_next(1);
    assert_eq!(world.run().await.sent, 1);
    world
        .reminders
        .set_channel_disabled(hook.id, true)
        .await
        .unwrap();
    world.advance(SignedDuration::from_mins(5));
    let outcome = world.run().await;
    assert_eq!((outcome.sent, outcome.skipped), (0, 1));
    // The next reminder (14 days before) goes to the e-mail channel only.
    world.set(jst("2026-03-17", "09:00"));
    let outcome = world.run().await;
    assert_eq!((outcome.planned, outcome.sent), (1, 1));
    let records = world.deliveries().await;
    let skipped: Vec<_> = records
        .iter()
        .filter(|r| r.state == DeliveryState::Skipped)
        .collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].channel_id, hook.id);
    assert_eq!(
        skipped[0].last_error.as_deref(),
        Some("the channel was disabled before this went out")
    );
    assert_eq!(
        records.iter().filter(|r| r.channel_id == mail.id).count(),
        2
    );
    assert!(matches!(
        world
            .reminders
            .set_channel_disabled(ChannelId::new(), true)
            .await,
        Err(ReminderError::ChannelNotFound(_))
    ));
}

async fn the_test_button_sends_once_and_shows_in_the_log(db: Db) {
    let mut world = World::new(db, jst("2026-03-01", "09:00")).await;
    let ocean = world.merchant("Blue Ocean Trading", Language::En).await;
    let owner = ChannelOwner::Merchant(ocean.id);
    let mail = world
        .email_channel(owner, "Ops Desk <ops@blueocean.example>", Language::En)
        .await;
    let hook = world
        .webhook_channel(ChannelOwner::Operator, "/hooks/operator", Language::Ja)
        .await;

    // Nothing to show yet.
    assert!(matches!(
        world.reminders.send_test(mail.id).await,
        Err(ReminderError::NoConnectionToShow { .. })
    ));
    let connection = world.sp_api(&ocean, "2025-09-10").await;

    let sent = world.reminders.send_test(mail.id).await.unwrap();
    assert_eq!(
        (sent.kind, sent.state, sent.attempts),
        (DeliveryKind::Test, DeliveryState::Delivered, 1)
    );
    assert_eq!(sent.merchant_id, Some(ocean.id));
    assert_eq!(sent.recipient, "Ops Desk <ops@blueocean.example>");
    let arrived = world.mail.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(arrived.rcpt_to, ["ops@blueocean.example"]);
    let parsed = arrived.parsed();
    assert_eq!(
        parsed.header("X-Sellerlink-Notification-Type"),
        Some("connection.test")
    );
    let text = parsed.find_part("text/plain").unwrap().body_text();
    assert!(text.contains("This is a test notification"), "{text}");
    assert!(text.contains(&connection.id.to_string()), "{text}");

    let sent = world.reminders.send_test(hook.id).await.unwrap();
    assert_eq!(sent.state, DeliveryState::Delivered);
    assert_eq!(
        sent.merchant_id, None,
        "an operator channel's test belongs to no merchant"
    );
    let request = world.hooks.wait_for(1, WAIT).await.unwrap().remove(0);
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["type"], "connection.test");
    assert_eq!(body["data"]["language"], "ja");

    // A failing endpoint: the test fails at once with the reason, and is not retried later.
    world.advance(SignedDuration::from_mins(1));
    world.hooks.fail_next(1);
    let failed = world.reminders.send_test(hook.id).await.unwrap();
    assert_eq!((failed.state, failed.attempts), (DeliveryState::Failed, 1));
    assert!(failed.last_error.as_deref().unwrap().contains("HTTP 500"));
    world.advance(SignedDuration::from_hours(1));
    assert!(world.run().await.is_idle());

    // The log, newest first: per channel, and per merchant.
    let by_channel = world
        .store()
        .deliveries(&DeliveryQuery {
            channel: Some(hook.id),
            ..DeliveryQuery::default()
        })
        .await
        .unwrap();
    let states: Vec<DeliveryState> = by_channel.iter().map(|r| r.state).collect();
    assert_eq!(states, [DeliveryState::Failed, DeliveryState::Delivered]);
    let by_merchant = world
        .store()
        .deliveries(&DeliveryQuery {
            merchant: Some(ocean.id),
            ..DeliveryQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(by_merchant.len(), 1);
    assert!(matches!(
        world.reminders.send_test(ChannelId::new()).await,
        Err(ReminderError::ChannelNotFound(_))
    ));
    assert!(matches!(
        ChannelTarget::email("not an address"),
        Err(ReminderError::InvalidChannel {
            field: "e-mail address",
            ..
        })
    ));
    let bad_url = ChannelTarget::webhook(
        "ftp://example.com/x",
        sellerlink_notify::WebhookSecret::generate(),
    );
    assert!(
        bad_url
            .unwrap_err()
            .to_string()
            .starts_with("webhook URL: ")
    );
}

async fn serve_runs_a_pass_at_once_and_stops_on_shutdown(db: Db) {
    let mut world = World::new(db, jst("2026-03-01", "09:00")).await;
    let sakura = world.merchant("株式会社さくら雑貨", Language::Ja).await;
    world
        .webhook_channel(
            ChannelOwner::Merchant(sakura.id),
            "/hooks/sakura",
            Language::Ja,
        )
        .await;
    world.mws(&sakura, "2025-03-31", true).await;
    let hooks = &world.hooks;
    let shutdown = async {
        hooks.wait_for(1, WAIT).await.unwrap();
    };
    tokio::time::timeout(Duration::from_secs(30), world.reminders.serve(shutdown))
        .await
        .expect("serve stops once shutdown completes");
    // The pass that delivered also recorded it before serve returned.
    let records = world.deliveries().await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].state, DeliveryState::Delivered);
    assert_eq!(world.run().await, RunOutcome::default());
}

on_both_engines!(
    failed_sends_are_retried_with_backoff_then_given_up,
    refusals_no_retry_can_cure_fail_at_once,
    a_disabled_channel_gets_nothing_new_and_loses_what_waited,
    the_test_button_sends_once_and_shows_in_the_log,
    serve_runs_a_pass_at_once_and_stops_on_shutdown,
);
