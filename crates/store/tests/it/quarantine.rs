//! Orders Amazon sent that could not be read: quarantined with their page, alerted once, released when stored,
//! removed with their connection.

use sellerlink_domain::audit::AuditAction;
use sellerlink_store::{AuditFilter, MAX_RAW_BYTES, UnreadableOrder};

use crate::fixtures::{at, entry, merchant_with_connection, order, order_id};
use crate::harness::Db;

fn odd(n: u32, reason: &str) -> UnreadableOrder {
    UnreadableOrder {
        order_key: order_id(n).to_string(),
        reason: reason.to_owned(),
        raw: format!(
            "{{\"orderId\":\"{}\",\"note\":\"{}\"}}",
            order_id(n),
            "煎".repeat(10_000)
        ),
        relist_from: at("2026-02-01T00:00:00Z"),
    }
}

async fn an_unreadable_order_is_quarantined_once_and_released_when_stored(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let readable = order(1, at("2026-02-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
    let first = at("2026-03-01T00:00:00Z");
    store
        .import_orders(
            connection.id,
            &[readable],
            &[odd(2, "createdTime: not a date")],
            first,
            None,
            None,
        )
        .await
        .unwrap();
    let later = at("2026-03-01T00:10:00Z");
    store
        .import_orders(
            connection.id,
            &[],
            &[odd(2, "still not a date")],
            later,
            None,
            None,
        )
        .await
        .unwrap();

    let quarantined = store.quarantined_orders(Some(connection.id)).await.unwrap();
    assert_eq!(quarantined.len(), 1);
    let q = &quarantined[0];
    assert_eq!(q.order_key, order_id(2).to_string());
    assert_eq!((q.first_seen, q.last_seen, q.attempts), (first, later, 2));
    assert_eq!(q.reason, "still not a date");
    assert!(q.raw.len() <= MAX_RAW_BYTES + "…".len() && q.raw.ends_with('…'));
    assert_eq!(
        store.earliest_quarantined(connection.id).await.unwrap(),
        Some(at("2026-02-01T00:00:00Z"))
    );
    assert_eq!(store.quarantined_orders(None).await.unwrap().len(), 1);
    let alerts = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.entry.action == AuditAction::OrderQuarantined)
        .count();
    assert_eq!(alerts, 1, "alerted once");

    // It reads at last: stored and released in the same transaction.
    let fixed = order(2, at("2026-02-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
    store
        .import_orders(connection.id, &[fixed], &[], later, None, None)
        .await
        .unwrap();
    assert!(
        store
            .quarantined_orders(Some(connection.id))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.earliest_quarantined(connection.id).await.unwrap(),
        None
    );
}

async fn a_removed_connection_takes_its_quarantine_along(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    store
        .import_orders(connection.id, &[], &[odd(3, "unreadable")], now, None, None)
        .await
        .unwrap();
    let removal = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::ConnectionRemoved,
        now,
    );
    store
        .remove_connection(connection.id, &removal)
        .await
        .unwrap();
    assert!(store.quarantined_orders(None).await.unwrap().is_empty());
}

on_both_engines!(
    an_unreadable_order_is_quarantined_once_and_released_when_stored,
    a_removed_connection_takes_its_quarantine_along,
);
