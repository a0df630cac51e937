//! Shipment confirmations: the outbox rows a worker sends to Amazon. Idempotent queueing, due lookups, transitions
//! as compare-and-swaps on the state, audit entries in the same transaction, lists, and removal with the connection.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::audit::{AuditAction, AuditEntry};
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{
    AuditFilter, NewShipment, ShipmentFilter, ShipmentId, ShipmentLine, ShipmentRecord,
    ShipmentState, Store, StoreError,
};

use crate::fixtures::{
    add_connection, add_merchant, at, entry, merchant_with_connection, mws_connection, order_id,
};
use crate::harness::Db;

fn line(order_item_id: &str, quantity: u32) -> ShipmentLine {
    ShipmentLine {
        order_item_id: order_item_id.to_owned(),
        quantity,
    }
}

/// A parcel of order `order` of `connection`, shipped by Yamato with two lines.
fn parcel(connection: &Connection, order: u32, tracking: &str) -> NewShipment {
    NewShipment {
        id: ShipmentId::new(),
        connection_id: connection.id,
        amazon_order_id: order_id(order),
        carrier: "Yamato Transport".to_owned(),
        shipping_method: Some("宅急便".to_owned()),
        tracking_number: tracking.to_owned(),
        ship_date: at("2026-03-02T05:06:07.123Z"),
        lines: vec![line("12345678901231", 1), line("12345678901232", 3)],
    }
}

fn audit(connection: &Connection, action: AuditAction, when: Timestamp) -> AuditEntry {
    entry(connection.merchant_id, Some(connection.id), action, when)
}

/// Queues a parcel that is not stored yet.
async fn queue(
    store: &Store,
    connection: &Connection,
    new: &NewShipment,
    now: Timestamp,
) -> ShipmentRecord {
    let (record, added) = store
        .queue_shipment(
            new,
            now,
            &audit(connection, AuditAction::ShipmentQueued, now),
        )
        .await
        .unwrap();
    assert!(added, "{} was queued before", new.tracking_number);
    record
}

/// The actions of the connection's audit entries about shipments, oldest first.
async fn shipment_actions(store: &Store, connection: ConnectionId) -> Vec<AuditAction> {
    let mut actions: Vec<AuditAction> = store
        .audit_entries(&AuditFilter {
            connection: Some(connection),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|record| record.entry.action)
        .filter(|action| action.as_str().starts_with("shipment_"))
        .collect();
    actions.reverse();
    actions
}

fn ids(records: &[ShipmentRecord]) -> Vec<ShipmentId> {
    records.iter().map(|record| record.id).collect()
}

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn assert_conflict(result: Result<(), StoreError>, detail_part: &str) {
    match result {
        Err(StoreError::Conflict {
            what: "shipment",
            detail,
            ..
        }) => assert!(detail.contains(detail_part), "{detail}"),
        other => panic!("expected a conflict ({detail_part}), got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, what_part: &str) {
    match result {
        Err(StoreError::Invalid { what, detail }) => {
            assert!(what.contains(what_part), "{what}: {detail}")
        }
        other => panic!("expected Invalid about {what_part}, got {other:?}"),
    }
}

async fn a_queued_shipment_reads_back_as_written(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-02T06:00:00.987654Z");
    let mut full = parcel(&connection, 1, "1234-5678-9012");
    full.ship_date = at("2026-03-02T05:06:07.123456789Z");
    let bare = NewShipment {
        shipping_method: None,
        carrier: "日本郵便".to_owned(),
        lines: vec![line("99999999999999", u32::MAX)],
        ..parcel(&connection, 2, "EJ123456789JP")
    };

    let record = queue(store, &connection, &full, now).await;
    let stored_now = at("2026-03-02T06:00:00.987Z");
    let expected = ShipmentRecord {
        id: full.id,
        connection_id: connection.id,
        amazon_order_id: order_id(1),
        carrier: "Yamato Transport".to_owned(),
        shipping_method: Some("宅急便".to_owned()),
        tracking_number: "1234-5678-9012".to_owned(),
        ship_date: at("2026-03-02T05:06:07.123Z"),
        lines: full.lines.clone(),
        state: ShipmentState::Queued,
        feed_submission_id: None,
        attempts: 0,
        last_error: None,
        next_attempt_at: stored_now,
        created_at: stored_now,
        updated_at: stored_now,
        finished_at: None,
    };
    assert_eq!(record, expected);
    assert_eq!(store.shipment(full.id).await.unwrap(), expected);

    let record = queue(store, &connection, &bare, now).await;
    assert_eq!(record.shipping_method, None);
    assert_eq!(record.carrier, "日本郵便");
    assert_eq!(record.lines, vec![line("99999999999999", u32::MAX)]);
    assert_eq!(store.shipment(bare.id).await.unwrap(), record);

    let json = serde_json::to_value(&expected).unwrap();
    assert_eq!(json["id"], full.id.to_string());
    assert_eq!(json["state"], "queued");
    assert_eq!(json["lines"][1]["quantity"], 3);

    assert_eq!(
        shipment_actions(store, connection.id).await,
        [AuditAction::ShipmentQueued, AuditAction::ShipmentQueued]
    );
    assert!(matches!(
        store.shipment(ShipmentId::new()).await,
        Err(StoreError::NotFound {
            what: "shipment",
            ..
        })
    ));
}

async fn queueing_the_same_parcel_again_returns_the_stored_row(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let first = parcel(&connection, 1, "1234-5678-9012");
    queue(store, &connection, &first, t0).await;
    store
        .shipment_submitted(first.id, Some("50001018000"), t0 + minutes(5), t0)
        .await
        .unwrap();
    let stored = store.shipment(first.id).await.unwrap();

    // Another id, another carrier, later: still the same parcel (connection, order, tracking number).
    let again = NewShipment {
        id: ShipmentId::new(),
        carrier: "Sagawa Express".to_owned(),
        lines: vec![line("12345678901231", 1)],
        ..first.clone()
    };
    let later = t0 + minutes(10);
    let (record, added) = store
        .queue_shipment(
            &again,
            later,
            &audit(&connection, AuditAction::ShipmentQueued, later),
        )
        .await
        .unwrap();
    assert!(!added);
    assert_eq!(record, stored);
    assert_eq!(record.state, ShipmentState::Submitted);
    assert!(matches!(
        store.shipment(again.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        shipment_actions(store, connection.id).await,
        [AuditAction::ShipmentQueued],
        "only the first queueing is audited"
    );

    // The same tracking number on another order, or another parcel of the same order, is a new shipment.
    let other_order = parcel(&connection, 2, "1234-5678-9012");
    queue(store, &connection, &other_order, later).await;
    let second_parcel = parcel(&connection, 1, "1234-5678-9013");
    queue(store, &connection, &second_parcel, later).await;

    // An id that is taken by another shipment is refused, and nothing is written.
    let reused = NewShipment {
        id: first.id,
        ..parcel(&connection, 3, "9999-0000-1111")
    };
    let error = store
        .queue_shipment(
            &reused,
            later,
            &audit(&connection, AuditAction::ShipmentQueued, later),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Duplicate {
                what: "shipment",
                ..
            }
        ),
        "{error}"
    );
    let all = store.shipments(&ShipmentFilter::default()).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(shipment_actions(store, connection.id).await.len(), 3);
}

async fn concurrent_queueing_stores_one_row(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-02T06:00:00Z");
    let mut tasks = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        let new = parcel(&connection, 1, "1234-5678-9012");
        let audit = audit(&connection, AuditAction::ShipmentQueued, now);
        tasks.push(tokio::spawn(async move {
            store.queue_shipment(&new, now, &audit).await.unwrap()
        }));
    }
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    assert_eq!(results.iter().filter(|(_, added)| *added).count(), 1);
    let winner = results.iter().find(|(_, added)| *added).unwrap().0.clone();
    assert!(results.iter().all(|(record, _)| *record == winner));
    assert_eq!(
        shipment_actions(store, connection.id).await,
        [AuditAction::ShipmentQueued]
    );
}

async fn queueing_refuses_unknown_connections_and_bad_input(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-02T06:00:00Z");
    let queued = audit(&connection, AuditAction::ShipmentQueued, now);

    let stranger = mws_connection(connection.merchant_id, 2);
    let orphan = parcel(&stranger, 1, "1234-5678-9012");
    let error = store
        .queue_shipment(
            &orphan,
            now,
            &audit(&stranger, AuditAction::ShipmentQueued, now),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            StoreError::NotFound { what: "connection", id } if *id == stranger.id.to_string()
        ),
        "{error}"
    );

    let good = parcel(&connection, 1, "1234-5678-9012");
    let cases: Vec<(NewShipment, &str)> = vec![
        (
            NewShipment {
                carrier: "  ".to_owned(),
                ..good.clone()
            },
            "carrier",
        ),
        (
            NewShipment {
                tracking_number: " 1234".to_owned(),
                ..good.clone()
            },
            "tracking number",
        ),
        (
            NewShipment {
                shipping_method: Some(String::new()),
                ..good.clone()
            },
            "shipping method",
        ),
        (
            NewShipment {
                tracking_number: "x".repeat(101),
                ..good.clone()
            },
            "tracking number",
        ),
        (
            NewShipment {
                lines: Vec::new(),
                ..good.clone()
            },
            "lines",
        ),
        (
            NewShipment {
                lines: vec![line("12345678901231", 0)],
                ..good.clone()
            },
            "quantity",
        ),
        (
            NewShipment {
                lines: vec![line("12345678901231", 1), line("12345678901231", 2)],
                ..good.clone()
            },
            "lines",
        ),
        (
            NewShipment {
                lines: vec![line("", 1)],
                ..good.clone()
            },
            "order item id",
        ),
    ];
    for (new, field) in cases {
        assert_invalid(store.queue_shipment(&new, now, &queued).await, field);
    }

    // The audit entry must record the queueing of this connection's shipment.
    let wrong_action = audit(&connection, AuditAction::ShipmentConfirmed, now);
    assert_invalid(
        store.queue_shipment(&good, now, &wrong_action).await,
        "audit",
    );
    let other = merchant_with_connection(store, "Other", 3).await;
    let wrong_subject = audit(&other, AuditAction::ShipmentQueued, now);
    assert_invalid(
        store.queue_shipment(&good, now, &wrong_subject).await,
        "audit",
    );

    let count = db
        .count(
            "SELECT COUNT(*) FROM shipments WHERE connection_id = $1",
            &connection.id.to_string(),
        )
        .await;
    assert_eq!(count, 0, "nothing refused was written");
    assert!(shipment_actions(store, connection.id).await.is_empty());
}

async fn due_shipments_are_the_longest_waiting_unfinished_ones(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");

    // Queued at t0, due since then.
    let waiting = parcel(&connection, 1, "T-1");
    queue(store, &connection, &waiting, t0).await;
    // Submitted as a feed at t0+1m, its result to be checked at t0+4m.
    let submitted = parcel(&connection, 2, "T-2");
    queue(store, &connection, &submitted, t0 + minutes(1)).await;
    store
        .shipment_submitted(
            submitted.id,
            Some("50001018000"),
            t0 + minutes(4),
            t0 + minutes(1),
        )
        .await
        .unwrap();
    // Queued at t0+2m, failed, to be retried from t0+30s on (the caller's choice).
    let retried = parcel(&connection, 3, "T-3");
    queue(store, &connection, &retried, t0 + minutes(2)).await;
    store
        .shipment_retry_later(
            retried.id,
            ShipmentState::Queued,
            "throttled",
            t0 + SignedDuration::from_secs(30),
            t0 + minutes(2),
        )
        .await
        .unwrap();
    // Confirmed at once: never due.
    let confirmed = parcel(&connection, 4, "T-4");
    queue(store, &connection, &confirmed, t0 + minutes(3)).await;
    store
        .shipment_finished(
            confirmed.id,
            ShipmentState::Queued,
            Ok(()),
            t0 + minutes(3),
            &audit(&connection, AuditAction::ShipmentConfirmed, t0),
        )
        .await
        .unwrap();
    // Waiting for a retry at t0+10m.
    let later = parcel(&connection, 5, "T-5");
    queue(store, &connection, &later, t0 + minutes(3)).await;
    store
        .shipment_retry_later(
            later.id,
            ShipmentState::Queued,
            "Amazon unreachable",
            t0 + minutes(10),
            t0 + minutes(3),
        )
        .await
        .unwrap();

    let now = t0 + minutes(5);
    let due = store.due_shipments(now, 10).await.unwrap();
    assert_eq!(ids(&due), [waiting.id, retried.id, submitted.id]);
    assert_eq!(due[2].state, ShipmentState::Submitted);
    assert_eq!(
        ids(&store.due_shipments(now, 2).await.unwrap()),
        [waiting.id, retried.id]
    );
    assert!(store.due_shipments(now, 0).await.unwrap().is_empty());
    // Due exactly at the next attempt, not a millisecond before.
    assert_eq!(
        ids(&store.due_shipments(t0 + minutes(4), 10).await.unwrap()),
        [waiting.id, retried.id, submitted.id]
    );
    assert_eq!(
        ids(&store
            .due_shipments(t0 + minutes(4) - SignedDuration::from_millis(1), 10)
            .await
            .unwrap()),
        [waiting.id, retried.id]
    );
    assert_eq!(
        ids(&store.due_shipments(t0, 10).await.unwrap()),
        [waiting.id]
    );
    assert!(
        store
            .due_shipments(t0 - SignedDuration::from_millis(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ids(&store.due_shipments(t0 + minutes(10), 10).await.unwrap()),
        [waiting.id, retried.id, submitted.id, later.id]
    );

    // Equal next attempts come oldest id first.
    let mut twins = [parcel(&connection, 6, "T-6"), parcel(&connection, 7, "T-7")];
    twins.sort_by_key(|new| std::cmp::Reverse(new.id));
    for twin in &twins {
        queue(store, &connection, twin, t0 - minutes(1)).await;
    }
    let due = store.due_shipments(t0, 10).await.unwrap();
    assert_eq!(ids(&due), [twins[1].id, twins[0].id, waiting.id]);
}

async fn submitting_compares_and_swaps_the_state(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let new = parcel(&connection, 1, "T-1");
    queue(store, &connection, &new, t0).await;

    // A failed first send keeps it queued, counted, with the error.
    store
        .shipment_retry_later(
            new.id,
            ShipmentState::Queued,
            "503 RequestThrottled",
            t0 + minutes(1),
            t0 + SignedDuration::from_secs(1),
        )
        .await
        .unwrap();
    let retried = store.shipment(new.id).await.unwrap();
    assert_eq!(
        (
            retried.state,
            retried.attempts,
            retried.last_error.as_deref(),
            retried.next_attempt_at,
            retried.updated_at,
        ),
        (
            ShipmentState::Queued,
            1,
            Some("503 RequestThrottled"),
            t0 + minutes(1),
            t0 + SignedDuration::from_secs(1),
        )
    );

    // The send succeeds: submitted, counted again, the error cleared.
    let check_at = t0 + minutes(6);
    store
        .shipment_submitted(new.id, Some("50001018000"), check_at, t0 + minutes(1))
        .await
        .unwrap();
    let submitted = store.shipment(new.id).await.unwrap();
    assert_eq!(
        submitted,
        ShipmentRecord {
            state: ShipmentState::Submitted,
            feed_submission_id: Some("50001018000".to_owned()),
            attempts: 2,
            last_error: None,
            next_attempt_at: check_at,
            updated_at: t0 + minutes(1),
            ..retried.clone()
        }
    );

    // A second worker that read it as queued loses.
    assert_conflict(
        store
            .shipment_submitted(new.id, Some("50001018001"), check_at, t0 + minutes(2))
            .await,
        "expected state queued, it is submitted",
    );
    assert_conflict(
        store
            .shipment_retry_later(
                new.id,
                ShipmentState::Queued,
                "late",
                check_at,
                t0 + minutes(2),
            )
            .await,
        "expected state queued, it is submitted",
    );
    assert_eq!(store.shipment(new.id).await.unwrap(), submitted);

    // The feed is still being processed: it stays submitted and is checked again later.
    store
        .shipment_retry_later(
            new.id,
            ShipmentState::Submitted,
            "feed _IN_PROGRESS_",
            t0 + minutes(12),
            check_at,
        )
        .await
        .unwrap();
    let waiting = store.shipment(new.id).await.unwrap();
    assert_eq!(
        (
            waiting.state,
            waiting.attempts,
            waiting.last_error.as_deref(),
            waiting.feed_submission_id.as_deref(),
            waiting.next_attempt_at,
        ),
        (
            ShipmentState::Submitted,
            3,
            Some("feed _IN_PROGRESS_"),
            Some("50001018000"),
            t0 + minutes(12),
        )
    );

    // An API that answers at once has no feed submission id.
    let direct = parcel(&connection, 2, "T-2");
    queue(store, &connection, &direct, t0).await;
    store
        .shipment_submitted(direct.id, None, t0 + minutes(1), t0)
        .await
        .unwrap();
    let record = store.shipment(direct.id).await.unwrap();
    assert_eq!(
        (record.state, record.feed_submission_id, record.attempts),
        (ShipmentState::Submitted, None, 1)
    );

    // Unknown rows and bad arguments.
    let unknown = ShipmentId::new();
    assert!(matches!(
        store.shipment_submitted(unknown, None, t0, t0).await,
        Err(StoreError::NotFound {
            what: "shipment",
            ..
        })
    ));
    assert!(matches!(
        store
            .shipment_retry_later(unknown, ShipmentState::Queued, "x", t0, t0)
            .await,
        Err(StoreError::NotFound {
            what: "shipment",
            ..
        })
    ));
    assert_invalid(
        store
            .shipment_submitted(new.id, Some(" 5000"), t0, t0)
            .await,
        "feed submission id",
    );
    assert_invalid(
        store
            .shipment_retry_later(new.id, ShipmentState::Submitted, " ", t0, t0)
            .await,
        "error",
    );
    assert_invalid(
        store
            .shipment_retry_later(new.id, ShipmentState::Confirmed, "x", t0, t0)
            .await,
        "expected shipment state",
    );
    assert_eq!(store.shipment(new.id).await.unwrap(), waiting);
}

async fn finishing_compares_and_swaps_the_state_and_is_audited(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let fed = parcel(&connection, 1, "T-1");
    queue(store, &connection, &fed, t0).await;
    store
        .shipment_retry_later(fed.id, ShipmentState::Queued, "throttled", t0, t0)
        .await
        .unwrap();
    store
        .shipment_submitted(fed.id, Some("50001018000"), t0 + minutes(5), t0)
        .await
        .unwrap();
    store
        .shipment_retry_later(
            fed.id,
            ShipmentState::Submitted,
            "feed _IN_PROGRESS_",
            t0 + minutes(10),
            t0 + minutes(5),
        )
        .await
        .unwrap();
    let before = store.shipment(fed.id).await.unwrap();
    let done_at = at("2026-03-02T06:10:00.250Z");
    let confirmed = audit(&connection, AuditAction::ShipmentConfirmed, done_at);

    // Refused before anything changes: it is not queued any more, the audit entry does not match.
    assert_conflict(
        store
            .shipment_finished(fed.id, ShipmentState::Queued, Ok(()), done_at, &confirmed)
            .await,
        "expected state queued, it is submitted",
    );
    assert_invalid(
        store
            .shipment_finished(
                fed.id,
                ShipmentState::Submitted,
                Err("rejected"),
                done_at,
                &confirmed,
            )
            .await,
        "audit",
    );
    let other = merchant_with_connection(store, "Other", 2).await;
    assert_invalid(
        store
            .shipment_finished(
                fed.id,
                ShipmentState::Submitted,
                Ok(()),
                done_at,
                &audit(&other, AuditAction::ShipmentConfirmed, done_at),
            )
            .await,
        "audit",
    );
    assert_invalid(
        store
            .shipment_finished(fed.id, ShipmentState::Rejected, Ok(()), done_at, &confirmed)
            .await,
        "expected shipment state",
    );
    assert_eq!(store.shipment(fed.id).await.unwrap(), before);

    store
        .shipment_finished(
            fed.id,
            ShipmentState::Submitted,
            Ok(()),
            done_at,
            &confirmed,
        )
        .await
        .unwrap();
    let finished = store.shipment(fed.id).await.unwrap();
    assert_eq!(
        finished,
        ShipmentRecord {
            state: ShipmentState::Confirmed,
            last_error: None,
            updated_at: done_at,
            finished_at: Some(done_at),
            ..before.clone()
        }
    );

    // Finished is final: every further transition conflicts and nothing more is audited.
    assert_conflict(
        store
            .shipment_finished(
                fed.id,
                ShipmentState::Submitted,
                Ok(()),
                done_at,
                &confirmed,
            )
            .await,
        "expected state submitted, it is confirmed",
    );
    assert_conflict(
        store
            .shipment_retry_later(fed.id, ShipmentState::Submitted, "x", t0, t0)
            .await,
        "it is confirmed",
    );
    assert_conflict(
        store.shipment_submitted(fed.id, None, t0, t0).await,
        "it is confirmed",
    );
    assert_eq!(store.shipment(fed.id).await.unwrap(), finished);

    // Rejected straight from queued (an API that answers at once), with Amazon's reason.
    let refused = parcel(&connection, 2, "T-2");
    queue(store, &connection, &refused, t0).await;
    let reason = "InvalidInput: tracking number 'T-2' is not valid for carrier Yamato Transport";
    assert_invalid(
        store
            .shipment_finished(
                refused.id,
                ShipmentState::Queued,
                Err("  "),
                done_at,
                &audit(&connection, AuditAction::ShipmentRejected, done_at),
            )
            .await,
        "rejection reason",
    );
    store
        .shipment_finished(
            refused.id,
            ShipmentState::Queued,
            Err(reason),
            done_at,
            &audit(&connection, AuditAction::ShipmentRejected, done_at),
        )
        .await
        .unwrap();
    let rejected = store.shipment(refused.id).await.unwrap();
    assert_eq!(
        (
            rejected.state,
            rejected.last_error.as_deref(),
            rejected.finished_at,
            rejected.attempts,
        ),
        (ShipmentState::Rejected, Some(reason), Some(done_at), 0)
    );
    assert!(rejected.state.is_finished());

    assert!(matches!(
        store
            .shipment_finished(
                ShipmentId::new(),
                ShipmentState::Queued,
                Ok(()),
                done_at,
                &confirmed,
            )
            .await,
        Err(StoreError::NotFound {
            what: "shipment",
            ..
        })
    ));
    assert_eq!(
        shipment_actions(store, connection.id).await,
        [
            AuditAction::ShipmentQueued,
            AuditAction::ShipmentQueued,
            AuditAction::ShipmentConfirmed,
            AuditAction::ShipmentRejected,
        ]
    );
}

async fn two_workers_never_both_finish_a_shipment(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let new = parcel(&connection, 1, "T-1");
    queue(store, &connection, &new, t0).await;

    let mut workers = Vec::new();
    for worker in 0..6_i64 {
        let store = store.clone();
        let connection = connection.clone();
        workers.push(tokio::spawn(async move {
            let now = t0 + SignedDuration::from_secs(worker);
            let (outcome, action) = if worker % 2 == 0 {
                (Ok(()), AuditAction::ShipmentConfirmed)
            } else {
                (Err("refused"), AuditAction::ShipmentRejected)
            };
            store
                .shipment_finished(
                    new.id,
                    ShipmentState::Queued,
                    outcome,
                    now,
                    &audit(&connection, action, now),
                )
                .await
        }));
    }
    let mut won = 0;
    for worker in workers {
        match worker.await.unwrap() {
            Ok(()) => won += 1,
            Err(StoreError::Conflict { .. }) => {}
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(won, 1);
    let record = store.shipment(new.id).await.unwrap();
    assert!(record.state.is_finished());
    let actions = shipment_actions(store, connection.id).await;
    assert_eq!(actions.len(), 2, "{actions:?}");
    let expected = match record.state {
        ShipmentState::Confirmed => AuditAction::ShipmentConfirmed,
        _ => AuditAction::ShipmentRejected,
    };
    assert_eq!(actions[1], expected);
}

async fn finished_shipments_are_never_due_again(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let confirmed = parcel(&connection, 1, "T-1");
    let rejected = parcel(&connection, 2, "T-2");
    let open = parcel(&connection, 3, "T-3");
    for new in [&confirmed, &rejected, &open] {
        queue(store, &connection, new, t0).await;
    }
    store
        .shipment_submitted(confirmed.id, Some("50001018000"), t0 + minutes(1), t0)
        .await
        .unwrap();
    store
        .shipment_finished(
            confirmed.id,
            ShipmentState::Submitted,
            Ok(()),
            t0 + minutes(1),
            &audit(&connection, AuditAction::ShipmentConfirmed, t0),
        )
        .await
        .unwrap();
    store
        .shipment_finished(
            rejected.id,
            ShipmentState::Queued,
            Err("invalid carrier"),
            t0,
            &audit(&connection, AuditAction::ShipmentRejected, t0),
        )
        .await
        .unwrap();

    let far_future = at("2099-01-01T00:00:00Z");
    assert_eq!(
        ids(&store.due_shipments(far_future, 100).await.unwrap()),
        [open.id]
    );
    // Queueing the finished parcels again does not revive them.
    for new in [&confirmed, &rejected] {
        let (record, added) = store
            .queue_shipment(
                new,
                far_future,
                &audit(&connection, AuditAction::ShipmentQueued, far_future),
            )
            .await
            .unwrap();
        assert!(!added);
        assert!(record.state.is_finished());
    }
    assert_eq!(
        ids(&store.due_shipments(far_future, 100).await.unwrap()),
        [open.id]
    );
}

async fn lists_filter_by_connection_merchant_order_and_state(db: Db) {
    let store = &db.store;
    let acme = add_merchant(store, "Acme").await;
    let a1 = mws_connection(acme.id, 1);
    let a2 = mws_connection(acme.id, 2);
    add_connection(store, &a1).await;
    add_connection(store, &a2).await;
    let other = merchant_with_connection(store, "Other", 3).await;
    let t0 = at("2026-03-02T06:00:00Z");

    // Queued one minute apart, in this order.
    let rows = [
        (&a1, parcel(&a1, 1, "T-1")),
        (&a1, parcel(&a1, 1, "T-2")),
        (&a2, parcel(&a2, 1, "T-3")),
        (&other, parcel(&other, 2, "T-4")),
        (&a2, parcel(&a2, 3, "T-5")),
    ];
    for (i, (connection, new)) in rows.iter().enumerate() {
        let i = i64::try_from(i).unwrap();
        queue(store, connection, new, t0 + minutes(i)).await;
    }
    let id = |n: usize| rows[n].1.id;
    store
        .shipment_submitted(id(1), Some("50001018000"), t0 + minutes(10), t0)
        .await
        .unwrap();
    store
        .shipment_finished(
            id(2),
            ShipmentState::Queued,
            Ok(()),
            t0 + minutes(10),
            &audit(&a2, AuditAction::ShipmentConfirmed, t0),
        )
        .await
        .unwrap();
    store
        .shipment_finished(
            id(3),
            ShipmentState::Queued,
            Err("invalid"),
            t0 + minutes(10),
            &audit(&other, AuditAction::ShipmentRejected, t0),
        )
        .await
        .unwrap();

    let list =
        |filter: ShipmentFilter| async move { ids(&store.shipments(&filter).await.unwrap()) };
    assert_eq!(
        list(ShipmentFilter::default()).await,
        [id(4), id(3), id(2), id(1), id(0)],
        "newest first"
    );
    assert_eq!(
        list(ShipmentFilter {
            connection: Some(a1.id),
            ..ShipmentFilter::default()
        })
        .await,
        [id(1), id(0)]
    );
    assert_eq!(
        list(ShipmentFilter {
            merchant: Some(acme.id),
            ..ShipmentFilter::default()
        })
        .await,
        [id(4), id(2), id(1), id(0)]
    );
    assert_eq!(
        list(ShipmentFilter {
            merchant: Some(other.merchant_id),
            ..ShipmentFilter::default()
        })
        .await,
        [id(3)]
    );
    assert_eq!(
        list(ShipmentFilter {
            amazon_order_id: Some(order_id(1)),
            ..ShipmentFilter::default()
        })
        .await,
        [id(2), id(1), id(0)]
    );
    assert_eq!(
        list(ShipmentFilter {
            states: vec![ShipmentState::Queued],
            ..ShipmentFilter::default()
        })
        .await,
        [id(4), id(0)]
    );
    assert_eq!(
        list(ShipmentFilter {
            states: vec![ShipmentState::Confirmed, ShipmentState::Rejected],
            ..ShipmentFilter::default()
        })
        .await,
        [id(3), id(2)]
    );
    assert_eq!(
        list(ShipmentFilter {
            merchant: Some(acme.id),
            amazon_order_id: Some(order_id(1)),
            states: vec![ShipmentState::Queued, ShipmentState::Submitted],
            ..ShipmentFilter::default()
        })
        .await,
        [id(1), id(0)]
    );
    assert_eq!(
        list(ShipmentFilter {
            connection: Some(a1.id),
            merchant: Some(other.merchant_id),
            ..ShipmentFilter::default()
        })
        .await,
        Vec::<ShipmentId>::new(),
        "filters combine with AND"
    );
    assert_eq!(
        list(ShipmentFilter {
            limit: 2,
            ..ShipmentFilter::default()
        })
        .await,
        [id(4), id(3)]
    );
    assert_invalid(
        store
            .shipments(&ShipmentFilter {
                limit: 501,
                ..ShipmentFilter::default()
            })
            .await,
        "limit",
    );
}

async fn a_list_without_a_limit_holds_a_hundred(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let mut queued = Vec::new();
    for n in 0..101_u32 {
        let new = parcel(&connection, 1, &format!("T-{n:03}"));
        queue(store, &connection, &new, t0 + minutes(i64::from(n))).await;
        queued.push(new.id);
    }
    let page = store.shipments(&ShipmentFilter::default()).await.unwrap();
    assert_eq!(page.len(), 100);
    assert_eq!(page[0].id, queued[100], "the newest first");
    assert_eq!(page[99].id, queued[1], "the oldest is left out");
}

async fn removing_a_connection_removes_its_shipments(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let keep = merchant_with_connection(store, "Keep", 2).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let gone = [parcel(&connection, 1, "T-1"), parcel(&connection, 2, "T-2")];
    for new in &gone {
        queue(store, &connection, new, t0).await;
    }
    store
        .shipment_submitted(gone[1].id, Some("50001018000"), t0, t0)
        .await
        .unwrap();
    let kept = parcel(&keep, 1, "T-1");
    queue(store, &keep, &kept, t0).await;

    store
        .remove_connection(
            connection.id,
            &audit(&connection, AuditAction::ConnectionRemoved, t0),
        )
        .await
        .unwrap();

    for new in &gone {
        assert!(matches!(
            store.shipment(new.id).await,
            Err(StoreError::NotFound {
                what: "shipment",
                ..
            })
        ));
    }
    let rows = db
        .count(
            "SELECT COUNT(*) FROM shipments WHERE connection_id = $1",
            &connection.id.to_string(),
        )
        .await;
    assert_eq!(rows, 0);
    assert_eq!(
        ids(&store.shipments(&ShipmentFilter::default()).await.unwrap()),
        [kept.id]
    );
    assert_eq!(ids(&store.due_shipments(t0, 10).await.unwrap()), [kept.id]);
    // The audit log keeps what happened to them.
    assert_eq!(
        shipment_actions(store, connection.id).await,
        [AuditAction::ShipmentQueued, AuditAction::ShipmentQueued]
    );
}

async fn a_corrupt_shipment_is_reported_not_a_panic(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let new = parcel(&connection, 1, "T-1");
    queue(store, &connection, &new, at("2026-03-02T06:00:00Z")).await;
    db.execute(&format!(
        "UPDATE shipments SET lines_json = '[{{\"order_item_id\": 5}}]' WHERE id = '{}'",
        new.id
    ))
    .await;
    match store.shipment(new.id).await {
        Err(StoreError::Corrupt {
            table: "shipments",
            column: "lines_json",
            ..
        }) => {}
        other => panic!("expected a corrupt lines_json, got {other:?}"),
    }
}

on_both_engines!(
    a_queued_shipment_reads_back_as_written,
    queueing_the_same_parcel_again_returns_the_stored_row,
    concurrent_queueing_stores_one_row,
    queueing_refuses_unknown_connections_and_bad_input,
    due_shipments_are_the_longest_waiting_unfinished_ones,
    submitting_compares_and_swaps_the_state,
    finishing_compares_and_swaps_the_state_and_is_audited,
    two_workers_never_both_finish_a_shipment,
    finished_shipments_are_never_due_again,
    lists_filter_by_connection_merchant_order_and_state,
    a_list_without_a_limit_holds_a_hundred,
    removing_a_connection_removes_its_shipments,
    a_corrupt_shipment_is_reported_not_a_panic,
);
