//! Notification channels and deliveries: sealed webhook secrets, idempotent planning on the unique key, leases on
//! claimed rows, closing incidents, and the log queries.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{Connection, Language};
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{
    ChannelId, ChannelKind, ChannelOwner, ClosedIncident, CycleKey, DeliveryId, DeliveryKind,
    DeliveryPlan, DeliveryQuery, DeliveryState, LeaseOwner, NewDelivery, NotificationChannel,
    SkipPending, Store, StoreError,
};

use crate::fixtures::{add_merchant, at, day, entry, merchant_with_connection, sealed};
use crate::harness::Db;

fn owner(name: &str) -> LeaseOwner {
    LeaseOwner::parse(name).unwrap()
}

fn email(owner: ChannelOwner, address: &str) -> NotificationChannel {
    NotificationChannel {
        id: ChannelId::new(),
        owner,
        kind: ChannelKind::Email,
        address: address.to_owned(),
        sealed_secret: None,
        language: Language::Ja,
        created_at: at("2026-03-01T00:00:00Z"),
        disabled: false,
    }
}

fn webhook(owner: ChannelOwner, url: &str) -> NotificationChannel {
    NotificationChannel {
        kind: ChannelKind::Webhook,
        address: url.to_owned(),
        sealed_secret: Some(sealed("kek-1", b"sealed webhook secret")),
        language: Language::En,
        ..email(owner, "unused")
    }
}

async fn add_channel(store: &Store, channel: NotificationChannel) -> NotificationChannel {
    store.insert_notification_channel(&channel).await.unwrap();
    channel
}

/// A reminder of `connection` for the cycle ending `expires_on`, `offset` days before, on `channel`.
fn reminder(
    connection: &Connection,
    channel: ChannelId,
    expires_on: &str,
    offset: i32,
    planned_at: Timestamp,
) -> NewDelivery {
    NewDelivery {
        id: DeliveryId::new(),
        connection_id: Some(connection.id),
        merchant_id: Some(connection.merchant_id),
        kind: DeliveryKind::ExpiryReminder,
        cycle: CycleKey::expiry(day(expires_on)),
        offset_days: Some(offset),
        channel_id: channel,
        recipient: "tanaka@example.co.jp".to_owned(),
        payload_json: format!("{{\"offset\":{offset}}}"),
        planned_at,
        skipped: None,
    }
}

fn alert(
    connection: &Connection,
    channel: ChannelId,
    kind: DeliveryKind,
    incident: &CycleKey,
) -> NewDelivery {
    NewDelivery {
        kind,
        cycle: incident.clone(),
        offset_days: None,
        ..reminder(
            connection,
            channel,
            "2027-01-01",
            0,
            at("2026-06-01T00:00:00Z"),
        )
    }
}

fn plan_of(connection: &Connection, rows: Vec<NewDelivery>) -> DeliveryPlan {
    DeliveryPlan {
        connection_id: connection.id,
        rows,
        skip_pending: Vec::new(),
        close_incidents: Vec::new(),
    }
}

async fn states(
    store: &Store,
    connection: &Connection,
) -> Vec<(String, String, Option<i32>, DeliveryState)> {
    let query = DeliveryQuery {
        connection: Some(connection.id),
        limit: 500,
        ..DeliveryQuery::default()
    };
    let mut rows: Vec<_> = store
        .deliveries(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.kind.to_string(),
                r.cycle.to_string(),
                r.offset_days,
                r.state,
            )
        })
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    rows
}

async fn channels_keep_owner_language_and_sealed_secret(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "株式会社さくら雑貨").await;
    let mine = ChannelOwner::Merchant(merchant.id);
    let operator_hook = add_channel(
        store,
        webhook(ChannelOwner::Operator, "https://ops.example/hook?token=abc"),
    )
    .await;
    let mail = add_channel(store, email(mine, "田中 <tanaka@example.co.jp>")).await;
    let other = add_merchant(store, "Blue Ocean Trading").await;
    add_channel(
        store,
        email(ChannelOwner::Merchant(other.id), "ops@blueocean.example"),
    )
    .await;

    assert_eq!(store.notification_channel(mail.id).await.unwrap(), mail);
    let read = store.notification_channel(operator_hook.id).await.unwrap();
    assert_eq!(read, operator_hook);
    assert_eq!(read.sealed_secret.unwrap().blob, b"sealed webhook secret");
    let shown = format!("{operator_hook:?}");
    assert!(
        shown.contains("https://ops.example/hook") && !shown.contains("token=abc"),
        "{shown}"
    );
    assert_eq!(operator_hook.display_address(), "https://ops.example/hook");

    assert_eq!(
        store
            .notification_channels(ChannelOwner::Operator)
            .await
            .unwrap(),
        std::slice::from_ref(&operator_hook)
    );
    assert_eq!(
        store.notification_channels(mine).await.unwrap(),
        std::slice::from_ref(&mail)
    );
    // The merchant's own channels come first, then the operator's; other merchants' never.
    let reaching: Vec<ChannelId> = store
        .channels_reaching(merchant.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(reaching, [mail.id, operator_hook.id]);

    store
        .set_notification_channel_disabled(mail.id, true)
        .await
        .unwrap();
    let reaching: Vec<ChannelId> = store
        .channels_reaching(merchant.id)
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(reaching, [operator_hook.id]);
    assert!(store.notification_channel(mail.id).await.unwrap().disabled);
    assert!(matches!(
        store
            .set_notification_channel_disabled(ChannelId::new(), true)
            .await,
        Err(StoreError::NotFound { .. })
    ));

    let mut secretless = webhook(mine, "https://example.com/x");
    secretless.sealed_secret = None;
    let mut mail_with_secret = email(mine, "a@example.com");
    mail_with_secret.sealed_secret = Some(sealed("k", b"x"));
    for bad in [secretless, mail_with_secret, email(mine, "  ")] {
        assert!(matches!(
            store.insert_notification_channel(&bad).await,
            Err(StoreError::Invalid { .. })
        ));
    }
    let stranger = email(ChannelOwner::Merchant(MerchantId::new()), "x@example.com");
    assert!(matches!(
        store.insert_notification_channel(&stranger).await,
        Err(StoreError::NotFound {
            what: "merchant",
            ..
        })
    ));
}

async fn planning_twice_plans_once(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let channel = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let t0 = at("2026-03-01T00:00:00Z");
    let incident = CycleKey::incident(at("2026-05-01T03:04:05.678Z"));
    let mut passed = reminder(&connection, channel.id, "2026-04-17", 30, t0);
    passed.skipped = Some("its day passed".to_owned());
    let first = plan_of(
        &connection,
        vec![
            reminder(&connection, channel.id, "2026-04-17", 14, t0),
            passed,
            alert(&connection, channel.id, DeliveryKind::AccessLost, &incident),
        ],
    );
    let counts = store.plan_deliveries(&first).await.unwrap();
    assert_eq!((counts.planned, counts.skipped), (2, 1));

    // Another worker plans the same deliveries with other ids: nothing changes, also for rows without an offset.
    let again = plan_of(
        &connection,
        vec![
            reminder(&connection, channel.id, "2026-04-17", 14, t0),
            reminder(&connection, channel.id, "2026-04-17", 30, t0),
            alert(&connection, channel.id, DeliveryKind::AccessLost, &incident),
        ],
    );
    let counts = store.plan_deliveries(&again).await.unwrap();
    assert_eq!((counts.planned, counts.skipped), (0, 0));
    assert_eq!(
        states(store, &connection).await,
        [
            (
                "access_lost".to_owned(),
                incident.to_string(),
                None,
                DeliveryState::Planned
            ),
            (
                "expiry_reminder".to_owned(),
                "2026-04-17".to_owned(),
                Some(14),
                DeliveryState::Planned
            ),
            (
                "expiry_reminder".to_owned(),
                "2026-04-17".to_owned(),
                Some(30),
                DeliveryState::Skipped
            ),
        ]
    );
    let with_14 = store
        .channels_with_delivery(
            connection.id,
            DeliveryKind::ExpiryReminder,
            &CycleKey::expiry(day("2026-04-17")),
            Some(14),
        )
        .await
        .unwrap();
    assert_eq!(with_14, [channel.id]);
    let with_alert = store
        .channels_with_delivery(connection.id, DeliveryKind::AccessLost, &incident, None)
        .await
        .unwrap();
    assert_eq!(with_alert, [channel.id]);
    assert_eq!(
        store.open_access_incidents().await.unwrap(),
        [(connection.id, incident)]
    );
    assert_eq!(
        store
            .pending_cycles(DeliveryKind::ExpiryReminder)
            .await
            .unwrap(),
        [(connection.id, CycleKey::expiry(day("2026-04-17")))]
    );

    // A plan may only cover its own connection.
    let other = merchant_with_connection(store, "Blue Ocean", 2).await;
    let stray = plan_of(
        &other,
        vec![reminder(&connection, channel.id, "2026-04-17", 7, t0)],
    );
    assert!(matches!(
        store.plan_deliveries(&stray).await,
        Err(StoreError::Invalid { .. })
    ));
}

async fn pending_reminders_of_ended_cycles_and_less_urgent_offsets_are_given_up(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let channel = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let t0 = at("2026-03-01T00:00:00Z");
    let rows = vec![
        reminder(&connection, channel.id, "2026-04-17", 30, t0),
        reminder(&connection, channel.id, "2026-04-17", 14, t0),
    ];
    store
        .plan_deliveries(&plan_of(&connection, rows))
        .await
        .unwrap();
    // The 14-day reminder goes out; the 30-day one is still waiting for a retry.
    let owner = owner("w1");
    let claimed = store
        .claim_deliveries(&owner, t0, SignedDuration::from_mins(5), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    let fourteen = claimed.iter().find(|r| r.offset_days == Some(14)).unwrap();
    let thirty = claimed.iter().find(|r| r.offset_days == Some(30)).unwrap();
    store.record_delivered(fourteen.id, t0).await.unwrap();
    store
        .record_retry(
            thirty.id,
            &owner,
            "451 try later",
            at("2026-03-01T00:01:00Z"),
        )
        .await
        .unwrap();

    let mut plan = plan_of(
        &connection,
        vec![reminder(&connection, channel.id, "2026-04-17", 7, t0)],
    );
    plan.skip_pending.push(SkipPending::LessUrgent {
        cycle: CycleKey::expiry(day("2026-04-17")),
        offset_days: 7,
        reason: "the 7-day reminder replaces it".to_owned(),
    });
    let counts = store.plan_deliveries(&plan).await.unwrap();
    assert_eq!((counts.planned, counts.skipped), (1, 1));
    let given_up = store.delivery(thirty.id).await.unwrap();
    assert_eq!(given_up.state, DeliveryState::Skipped);
    assert_eq!(
        given_up.last_error.as_deref(),
        Some("the 7-day reminder replaces it")
    );
    assert_eq!(
        store.delivery(fourteen.id).await.unwrap().state,
        DeliveryState::Delivered
    );

    // Renewed: the new cycle's rows stay, the old cycle's pending ones go.
    let renewed = plan_of(
        &connection,
        vec![reminder(&connection, channel.id, "2027-04-10", 30, t0)],
    );
    store.plan_deliveries(&renewed).await.unwrap();
    let mut ended = plan_of(&connection, Vec::new());
    ended.skip_pending.push(SkipPending::RemindersOutside {
        keep: Some(CycleKey::expiry(day("2027-04-10"))),
        reason: "a new cycle began".to_owned(),
    });
    assert_eq!(store.plan_deliveries(&ended).await.unwrap().skipped, 1);
    let mut off = plan_of(&connection, Vec::new());
    off.skip_pending.push(SkipPending::RemindersOutside {
        keep: None,
        reason: "access was revoked".to_owned(),
    });
    assert_eq!(store.plan_deliveries(&off).await.unwrap().skipped, 1);
    assert_eq!(
        states(store, &connection).await,
        [
            (
                "expiry_reminder".to_owned(),
                "2026-04-17".to_owned(),
                Some(7),
                DeliveryState::Skipped
            ),
            (
                "expiry_reminder".to_owned(),
                "2026-04-17".to_owned(),
                Some(14),
                DeliveryState::Delivered
            ),
            (
                "expiry_reminder".to_owned(),
                "2026-04-17".to_owned(),
                Some(30),
                DeliveryState::Skipped
            ),
            (
                "expiry_reminder".to_owned(),
                "2027-04-10".to_owned(),
                Some(30),
                DeliveryState::Skipped
            ),
        ]
    );
    assert!(
        store
            .pending_cycles(DeliveryKind::ExpiryReminder)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_claim_is_leased_and_an_expired_lease_is_claimed_again_with_the_same_id(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let channel = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let t0 = at("2026-03-01T00:00:00Z");
    let lease = SignedDuration::from_mins(5);
    let row = reminder(&connection, channel.id, "2026-04-17", 30, t0);
    store
        .plan_deliveries(&plan_of(&connection, vec![row.clone()]))
        .await
        .unwrap();
    let (a, b) = (owner("worker-a"), owner("worker-b"));

    // Not due before it is planned.
    assert!(
        store
            .claim_deliveries(&a, at("2026-02-28T23:59:59Z"), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let claimed = store.claim_deliveries(&a, t0, lease, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let held = &claimed[0];
    assert_eq!(held.id, row.id);
    assert_eq!(held.state, DeliveryState::Sending);
    assert_eq!(held.attempts, 1);
    assert_eq!(held.lease_owner.as_ref(), Some(&a));
    assert_eq!(held.lease_until, Some(at("2026-03-01T00:05:00Z")));
    assert_eq!(held.sent_at, Some(t0));
    assert_eq!(held.payload_json, row.payload_json);

    // Held: nobody else gets it until the lease ends.
    assert!(
        store
            .claim_deliveries(&b, at("2026-03-01T00:04:59.999Z"), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Worker A stopped after sending: from the lease end on, B sends it again — same id.
    let again = store
        .claim_deliveries(&b, at("2026-03-01T00:05:00Z"), lease, 10)
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, row.id);
    assert_eq!(again[0].attempts, 2);
    // A came back: it no longer holds the row, so it cannot reschedule or fail it…
    assert!(
        !store
            .record_retry(row.id, &a, "late", at("2026-03-01T01:00:00Z"))
            .await
            .unwrap()
    );
    assert!(!store.record_failed(row.id, &a, "late").await.unwrap());
    // …but a delivery is a fact, whoever records it; recording it twice keeps the first time.
    assert!(
        store
            .record_delivered(row.id, at("2026-03-01T00:05:01Z"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .record_delivered(row.id, at("2026-03-01T00:06:00Z"))
            .await
            .unwrap()
    );
    let done = store.delivery(row.id).await.unwrap();
    assert_eq!(done.state, DeliveryState::Delivered);
    assert_eq!(done.delivered_at, Some(at("2026-03-01T00:05:01Z")));
    assert_eq!((done.lease_owner, done.lease_until), (None, None));
    assert!(
        store
            .claim_deliveries(&a, at("2026-03-02T00:00:00Z"), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // A retry waits for its time; failures and skips are recorded by the holder.
    let retried = reminder(&connection, channel.id, "2026-04-17", 14, t0);
    let failing = reminder(&connection, channel.id, "2026-04-17", 7, t0);
    let skipping = reminder(&connection, channel.id, "2026-04-17", 3, t0);
    store
        .plan_deliveries(&plan_of(
            &connection,
            vec![retried.clone(), failing.clone(), skipping.clone()],
        ))
        .await
        .unwrap();
    assert_eq!(
        store
            .claim_deliveries(&a, t0, lease, 10)
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(
        store
            .record_retry(
                retried.id,
                &a,
                "451 4.3.0 try later",
                at("2026-03-01T00:02:00Z")
            )
            .await
            .unwrap()
    );
    assert!(
        store
            .record_failed(failing.id, &a, "550 no such mailbox")
            .await
            .unwrap()
    );
    assert!(
        store
            .record_skipped(skipping.id, &a, "the channel was disabled")
            .await
            .unwrap()
    );
    assert!(
        store
            .claim_deliveries(&b, at("2026-03-01T00:01:59Z"), lease, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = store
        .claim_deliveries(&b, at("2026-03-01T00:02:00Z"), lease, 10)
        .await
        .unwrap();
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), [retried.id]);
    assert_eq!(due[0].attempts, 2);
    assert_eq!(due[0].last_error.as_deref(), Some("451 4.3.0 try later"));
    let failed = store.delivery(failing.id).await.unwrap();
    assert_eq!(
        (failed.state, failed.last_error.as_deref()),
        (DeliveryState::Failed, Some("550 no such mailbox"))
    );
    assert_eq!(
        store.delivery(skipping.id).await.unwrap().state,
        DeliveryState::Skipped
    );

    assert!(matches!(
        store
            .claim_deliveries(&a, t0, SignedDuration::ZERO, 1)
            .await,
        Err(StoreError::Invalid { .. })
    ));
    assert!(matches!(
        store.delivery(DeliveryId::new()).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn concurrent_claims_never_share_a_row(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let t0 = at("2026-03-01T00:00:00Z");
    let mut rows = Vec::new();
    for n in 0..6 {
        let channel = add_channel(
            store,
            email(ChannelOwner::Operator, &format!("ops{n}@example.com")),
        )
        .await;
        for offset in [30, 14, 7, 3, 1] {
            rows.push(reminder(&connection, channel.id, "2026-04-17", offset, t0));
        }
    }
    store
        .plan_deliveries(&plan_of(&connection, rows.clone()))
        .await
        .unwrap();
    let mut workers = Vec::new();
    for n in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let me = owner(&format!("worker-{n}"));
            let mut mine = Vec::new();
            loop {
                let claimed = store
                    .claim_deliveries(&me, t0, SignedDuration::from_mins(5), 2)
                    .await
                    .unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed.into_iter().map(|r| r.id));
            }
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let distinct: HashSet<DeliveryId> = all.iter().copied().collect();
    assert_eq!(all.len(), rows.len(), "every row claimed exactly once");
    assert_eq!(distinct, rows.iter().map(|r| r.id).collect());
}

async fn closing_an_incident_plans_restores_only_where_the_alert_went_out(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let reached = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let missed = add_channel(store, email(ChannelOwner::Operator, "night@example.com")).await;
    let incident = CycleKey::incident(at("2026-06-01T03:00:00Z"));
    let lost_reached = alert(&connection, reached.id, DeliveryKind::AccessLost, &incident);
    let lost_missed = alert(&connection, missed.id, DeliveryKind::AccessLost, &incident);
    store
        .plan_deliveries(&plan_of(
            &connection,
            vec![lost_reached.clone(), lost_missed.clone()],
        ))
        .await
        .unwrap();
    let w = owner("w");
    let t0 = at("2026-06-01T00:00:00Z");
    store
        .claim_delivery(lost_reached.id, &w, t0, SignedDuration::from_mins(5))
        .await
        .unwrap()
        .unwrap();
    store.record_delivered(lost_reached.id, t0).await.unwrap();
    assert_eq!(
        store.open_access_incidents().await.unwrap(),
        [(connection.id, incident.clone())]
    );

    // Access came back while the second channel's alert was still waiting.
    let mut close = plan_of(
        &connection,
        vec![
            alert(
                &connection,
                reached.id,
                DeliveryKind::AccessRestored,
                &incident,
            ),
            alert(
                &connection,
                missed.id,
                DeliveryKind::AccessRestored,
                &incident,
            ),
        ],
    );
    close.close_incidents.push(ClosedIncident {
        cycle: incident.clone(),
        reason: "access came back before this alert went out".to_owned(),
    });
    let counts = store.plan_deliveries(&close).await.unwrap();
    assert_eq!((counts.planned, counts.skipped), (1, 2));
    let query = DeliveryQuery {
        connection: Some(connection.id),
        ..DeliveryQuery::default()
    };
    let mut seen: Vec<(DeliveryKind, ChannelId, DeliveryState)> = store
        .deliveries(&query)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.kind, r.channel_id, r.state))
        .collect();
    seen.sort_by_key(|(kind, channel, _)| (kind.as_str(), *channel));
    let mut expected = vec![
        (
            DeliveryKind::AccessLost,
            reached.id,
            DeliveryState::Delivered,
        ),
        (DeliveryKind::AccessLost, missed.id, DeliveryState::Skipped),
        (
            DeliveryKind::AccessRestored,
            reached.id,
            DeliveryState::Planned,
        ),
        (
            DeliveryKind::AccessRestored,
            missed.id,
            DeliveryState::Skipped,
        ),
    ];
    expected.sort_by_key(|(kind, channel, _)| (kind.as_str(), *channel));
    assert_eq!(seen, expected);
    assert!(store.open_access_incidents().await.unwrap().is_empty());
    // Closing again changes nothing.
    let counts = store.plan_deliveries(&close).await.unwrap();
    assert_eq!((counts.planned, counts.skipped), (0, 0));
}

async fn the_log_pages_newest_first_and_filters(db: Db) {
    let store = &db.store;
    let first = merchant_with_connection(store, "さくら", 1).await;
    let second = merchant_with_connection(store, "Blue Ocean", 2).await;
    let channel = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let mut planned = Vec::new();
    for (n, offset) in [30, 14, 7, 3, 1].into_iter().enumerate() {
        let when = at("2026-03-01T00:00:00Z")
            .checked_add(SignedDuration::from_hours(i64::try_from(n).unwrap()))
            .unwrap();
        let row = reminder(&first, channel.id, "2026-04-17", offset, when);
        store
            .plan_deliveries(&plan_of(&first, vec![row.clone()]))
            .await
            .unwrap();
        planned.push(row.id);
    }
    let other = reminder(
        &second,
        channel.id,
        "2026-05-01",
        30,
        at("2026-03-09T00:00:00Z"),
    );
    store
        .plan_deliveries(&plan_of(&second, vec![other.clone()]))
        .await
        .unwrap();
    planned.reverse();

    let ids = |rows: Vec<sellerlink_store::DeliveryRecord>| {
        rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
    };
    let by_merchant = DeliveryQuery {
        merchant: Some(first.merchant_id),
        limit: 2,
        ..DeliveryQuery::default()
    };
    assert_eq!(
        ids(store.deliveries(&by_merchant).await.unwrap()),
        planned[..2]
    );
    let page_two = DeliveryQuery {
        offset: 2,
        ..by_merchant.clone()
    };
    assert_eq!(
        ids(store.deliveries(&page_two).await.unwrap()),
        planned[2..4]
    );
    let last = DeliveryQuery {
        offset: 4,
        ..by_merchant
    };
    assert_eq!(ids(store.deliveries(&last).await.unwrap()), planned[4..]);

    let everything = store.deliveries(&DeliveryQuery::default()).await.unwrap();
    assert_eq!(everything[0].id, other.id, "newest planned first");
    let by_connection = DeliveryQuery {
        connection: Some(second.id),
        ..DeliveryQuery::default()
    };
    assert_eq!(
        ids(store.deliveries(&by_connection).await.unwrap()),
        [other.id]
    );
    let delivered = DeliveryQuery {
        state: Some(DeliveryState::Delivered),
        kind: Some(DeliveryKind::ExpiryReminder),
        channel: Some(channel.id),
        ..DeliveryQuery::default()
    };
    assert!(store.deliveries(&delivered).await.unwrap().is_empty());
    let too_many = DeliveryQuery {
        limit: 501,
        ..DeliveryQuery::default()
    };
    assert!(matches!(
        store.deliveries(&too_many).await,
        Err(StoreError::Invalid { .. })
    ));
}

async fn test_sends_and_removed_connections(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "さくら", 1).await;
    let channel = add_channel(store, email(ChannelOwner::Operator, "ops@example.com")).await;
    let t0 = at("2026-03-01T00:00:00Z");
    let id = DeliveryId::new();
    let test = NewDelivery {
        id,
        connection_id: None,
        merchant_id: None,
        kind: DeliveryKind::Test,
        cycle: CycleKey::test(id),
        offset_days: None,
        ..reminder(&connection, channel.id, "2026-04-17", 0, t0)
    };
    store.insert_test_delivery(&test).await.unwrap();
    assert!(matches!(
        store.insert_test_delivery(&test).await,
        Err(StoreError::Duplicate { .. })
    ));
    let not_a_test = NewDelivery {
        kind: DeliveryKind::ExpiryReminder,
        ..test.clone()
    };
    assert!(matches!(
        store.insert_test_delivery(&not_a_test).await,
        Err(StoreError::Invalid { .. })
    ));
    let record = store.delivery(id).await.unwrap();
    assert_eq!(
        (record.kind, record.state, record.connection_id),
        (DeliveryKind::Test, DeliveryState::Planned, None)
    );

    store
        .plan_deliveries(&plan_of(
            &connection,
            vec![reminder(&connection, channel.id, "2026-04-17", 30, t0)],
        ))
        .await
        .unwrap();
    store
        .remove_connection(
            connection.id,
            &entry(
                connection.merchant_id,
                Some(connection.id),
                AuditAction::ConnectionRemoved,
                t0,
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .skip_deliveries_of_removed_connections()
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .skip_deliveries_of_removed_connections()
            .await
            .unwrap(),
        0
    );
    let query = DeliveryQuery {
        connection: Some(connection.id),
        ..DeliveryQuery::default()
    };
    let kept = store.deliveries(&query).await.unwrap();
    assert_eq!(kept.len(), 1, "the log outlives the connection");
    assert_eq!(kept[0].state, DeliveryState::Skipped);
    assert_eq!(
        store.delivery(id).await.unwrap().state,
        DeliveryState::Planned,
        "test sends are kept"
    );
}

on_both_engines!(
    channels_keep_owner_language_and_sealed_secret,
    planning_twice_plans_once,
    pending_reminders_of_ended_cycles_and_less_urgent_offsets_are_given_up,
    a_claim_is_leased_and_an_expired_lease_is_claimed_again_with_the_same_id,
    concurrent_claims_never_share_a_row,
    closing_an_incident_plans_restores_only_where_the_alert_went_out,
    the_log_pages_newest_first_and_filters,
    test_sends_and_removed_connections,
);
