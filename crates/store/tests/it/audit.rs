//! The audit log: who, what, when, before/after; newest first; filtered by merchant or connection.

use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{AuditCursor, AuditFilter, AuditRecord, RowVersion, StoreError};

use crate::fixtures::{add_merchant, at, entry, merchant_with_connection};
use crate::harness::Db;

async fn entries_come_back_newest_first_with_their_snapshots(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let bystander = add_merchant(store, "Bystander").await;

    let mut version = RowVersion::FIRST;
    let mut current = connection.clone();
    let mut written = Vec::new();
    for (i, when) in [
        "2019-01-01T00:00:00Z",
        "2019-02-01T00:00:00Z",
        "2019-03-01T00:00:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        let when = at(when);
        let mut next = current.clone();
        next.grant = current.grant.renew(when).unwrap();
        let audit = AuditEntry {
            merchant_id: connection.merchant_id,
            connection_id: Some(connection.id),
            actor: if i == 1 {
                Actor::system("lifecycle")
            } else {
                Actor::user("担当者-42")
            },
            action: AuditAction::Renewed,
            at: when,
            before: Some(serde_json::to_value(&current.grant).unwrap()),
            after: Some(
                serde_json::json!({ "grant": next.grant, "note": "承認しました ✓", "n": i }),
            ),
        };
        version = store
            .update_connection(&next, version, &audit)
            .await
            .unwrap();
        written.push(audit);
        current = next;
    }

    let of_connection = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let entries: Vec<&AuditEntry> = of_connection.iter().map(|r| &r.entry).collect();
    assert_eq!(entries.len(), 4);
    assert_eq!(entries[0], &written[2]);
    assert_eq!(entries[1], &written[1]);
    assert_eq!(entries[2], &written[0]);
    assert_eq!(entries[3].action, AuditAction::ConnectionCreated);
    assert_eq!(entries[1].actor.as_str(), "system:lifecycle");
    assert_ne!(of_connection[0].id, of_connection[1].id);

    let limited = store
        .audit_entries(&AuditFilter {
            merchant: None,
            connection: Some(connection.id),
            limit: 2,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        limited.iter().map(|r| &r.entry).collect::<Vec<_>>(),
        vec![&written[2], &written[1]]
    );

    let of_merchant = store
        .audit_entries(&AuditFilter {
            merchant: Some(connection.merchant_id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        of_merchant.len(),
        5,
        "merchant created + connection created + 3 renewals"
    );

    let of_bystander = store
        .audit_entries(&AuditFilter {
            merchant: Some(bystander.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(of_bystander.len(), 1);

    let everything = store.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(everything.len(), 6);
    assert!(
        everything
            .windows(2)
            .all(|w| w[0].entry.at >= w[1].entry.at)
    );

    let both = store
        .audit_entries(&AuditFilter {
            merchant: Some(bystander.id),
            connection: Some(connection.id),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(both.is_empty(), "filters combine");
}

async fn an_entry_about_another_connection_is_refused(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2019-01-01T00:00:00Z");
    let mut next = connection.clone();
    next.grant = connection.grant.renew(now).unwrap();
    let audit = AuditEntry {
        merchant_id: connection.merchant_id,
        connection_id: Some(ConnectionId::new()),
        actor: Actor::cli("tester"),
        action: AuditAction::Renewed,
        at: now,
        before: None,
        after: None,
    };
    let error = store
        .update_connection(&next, RowVersion::FIRST, &audit)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "audit entry",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        store.connection(connection.id).await.unwrap().version,
        RowVersion::FIRST
    );
}

/// Writes `entries` (action, instant) about the connection, one change each.
async fn record(
    store: &sellerlink_store::Store,
    connection: &sellerlink_domain::connection::Connection,
    entries: &[(AuditAction, &str)],
) {
    let mut version = store.connection(connection.id).await.unwrap().version;
    for (action, when) in entries {
        let audit = entry(
            connection.merchant_id,
            Some(connection.id),
            *action,
            at(when),
        );
        version = store
            .update_connection(connection, version, &audit)
            .await
            .unwrap();
    }
}

async fn entries_filter_by_action_and_time_and_page_by_cursor(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let other = merchant_with_connection(store, "Other", 2).await;
    record(
        store,
        &connection,
        &[
            (AuditAction::ConnectionVerified, "2026-01-01T00:00:00Z"),
            (AuditAction::Renewed, "2026-02-01T00:00:00Z"),
            (AuditAction::Renewed, "2026-02-01T00:00:00Z"),
            (AuditAction::Revoked, "2026-03-01T00:00:00Z"),
            (AuditAction::Restored, "2026-03-31T23:59:59.999Z"),
            (AuditAction::Renewed, "2026-04-01T00:00:00Z"),
        ],
    )
    .await;
    record(
        store,
        &other,
        &[(AuditAction::Renewed, "2026-02-01T00:00:00Z")],
    )
    .await;
    let of_connection = |filter: AuditFilter| AuditFilter {
        connection: Some(connection.id),
        ..filter
    };
    let read = |filter: AuditFilter| async move {
        let filter = of_connection(filter);
        let records = store.audit_entries(&filter).await.unwrap();
        let counted = store.count_audit_entries(&filter).await.unwrap();
        (records, counted)
    };
    let actions = |records: &[AuditRecord]| -> Vec<AuditAction> {
        records.iter().map(|r| r.entry.action).collect()
    };

    let (renewals, count) = read(AuditFilter {
        actions: vec![AuditAction::Renewed],
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(actions(&renewals), [AuditAction::Renewed; 3]);
    assert_eq!(count, 3, "the other connection's renewal is not counted");

    let (lost_and_back, count) = read(AuditFilter {
        actions: vec![AuditAction::Revoked, AuditAction::Restored],
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(
        actions(&lost_and_back),
        [AuditAction::Restored, AuditAction::Revoked]
    );
    assert_eq!(count, 2);

    // From is inclusive, to exclusive: exactly March.
    let (march, count) = read(AuditFilter {
        from: Some(at("2026-03-01T00:00:00Z")),
        to: Some(at("2026-04-01T00:00:00Z")),
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(
        actions(&march),
        [AuditAction::Restored, AuditAction::Revoked]
    );
    assert_eq!(count, 2);
    let (from_april, _) = read(AuditFilter {
        from: Some(at("2026-04-01T00:00:00Z")),
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(actions(&from_april), [AuditAction::Renewed]);

    // Pages of two by cursor walk every entry once, two entries at the same instant included.
    let (all, total) = read(AuditFilter::default()).await;
    assert_eq!(total, 7, "connection created + 6");
    let mut walked = Vec::new();
    let mut before = None;
    loop {
        let (page, count) = read(AuditFilter {
            before,
            limit: 2,
            ..AuditFilter::default()
        })
        .await;
        assert_eq!(count, 7, "the count ignores the cursor");
        let Some(last) = page.last() else { break };
        before = Some(AuditCursor::after(last));
        walked.extend(page.iter().map(|r| r.id));
    }
    assert_eq!(walked, all.iter().map(|r| r.id).collect::<Vec<_>>());

    // The same pages by offset.
    let (second, _) = read(AuditFilter {
        limit: 2,
        offset: 2,
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(
        second.iter().map(|r| r.id).collect::<Vec<_>>(),
        walked[2..4]
    );

    // Filters combine with the cursor.
    let (older_renewals, _) = read(AuditFilter {
        actions: vec![AuditAction::Renewed],
        before: Some(AuditCursor::after(&renewals[0])),
        ..AuditFilter::default()
    })
    .await;
    assert_eq!(
        older_renewals.iter().map(|r| r.id).collect::<Vec<_>>(),
        renewals[1..].iter().map(|r| r.id).collect::<Vec<_>>()
    );
}

on_both_engines!(
    entries_come_back_newest_first_with_their_snapshots,
    an_entry_about_another_connection_is_refused,
    entries_filter_by_action_and_time_and_page_by_cursor,
);
