//! What an import reads before it calls Amazon, in one statement (`Store::import_start`), and the summaries of a
//! listed page's orders (`Store::order_summaries`): the same facts as the separate reads they replace.

use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_store::{StoreError, SyncStream, SyncWatermark, UnreadableOrder};

use crate::fixtures::{at, merchant_with_connection, order, order_id};
use crate::harness::Db;

async fn an_import_starts_from_what_the_separate_reads_return(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let orders = SyncStream::orders();

    // Never imported: no watermark, nothing quarantined.
    let start = store.import_start(connection.id, &orders).await.unwrap();
    assert_eq!(
        start.connection,
        store.connection(connection.id).await.unwrap()
    );
    assert_eq!(
        start.credential,
        store.credential(connection.id).await.unwrap()
    );
    assert_eq!(start.resume_after, None);
    assert_eq!(start.earliest_quarantined, None);

    // An import wrote a watermark and quarantined an order it could not read.
    let now = at("2026-03-01T00:00:00Z");
    let watermark = SyncWatermark {
        stream: orders.clone(),
        last_updated_after: at("2026-02-28T23:58:00Z"),
    };
    let unreadable = UnreadableOrder {
        order_key: order_id(2).to_string(),
        reason: "createdTime: not a date".to_owned(),
        raw: "{}".to_owned(),
        relist_from: at("2026-02-01T00:00:00Z"),
    };
    store
        .import_orders(
            connection.id,
            &[order(1, now, now)],
            &[unreadable],
            now,
            Some(&watermark),
            None,
        )
        .await
        .unwrap();
    let start = store.import_start(connection.id, &orders).await.unwrap();
    let stored = store
        .watermark(connection.id, &orders)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        start.resume_after,
        Some(stored.watermark.last_updated_after)
    );
    assert_eq!(start.resume_after, Some(watermark.last_updated_after));
    assert_eq!(
        start.earliest_quarantined,
        store.earliest_quarantined(connection.id).await.unwrap()
    );
    assert_eq!(start.earliest_quarantined, Some(at("2026-02-01T00:00:00Z")));

    // Another stream of the same connection has no watermark of its own.
    let other = SyncStream::parse("financial_events").unwrap();
    let start = store.import_start(connection.id, &other).await.unwrap();
    assert_eq!(start.resume_after, None);

    let error = store
        .import_start(ConnectionId::new(), &orders)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotFound {
                what: "connection",
                ..
            }
        ),
        "{error}"
    );
}

async fn summaries_are_read_for_the_listed_orders_only(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let other = merchant_with_connection(store, "Beta", 2).await;
    let now = at("2026-03-01T00:00:00Z");
    let page: Vec<_> = (1..=1_234).map(|n| order(n, now, now)).collect();
    store
        .import_orders(connection.id, &page, &[], now, None, None)
        .await
        .unwrap();
    store
        .import_orders(other.id, &[order(5_000, now, now)], &[], now, None, None)
        .await
        .unwrap();

    let wanted = [
        order_id(2),
        order_id(1_200),
        order_id(5_000),
        order_id(9_999),
    ];
    let ids: Vec<&AmazonOrderId> = wanted.iter().collect();
    let mut found = store.order_summaries(connection.id, &ids).await.unwrap();
    found.sort_by(|a, b| a.amazon_order_id.as_str().cmp(b.amazon_order_id.as_str()));
    let all = store.order_ids(connection.id).await.unwrap();
    let expected: Vec<_> = all
        .into_iter()
        .filter(|s| s.amazon_order_id == order_id(2) || s.amazon_order_id == order_id(1_200))
        .collect();
    assert_eq!(
        found, expected,
        "only this connection's listed orders, as order_ids summarizes them"
    );
    assert!(
        found
            .iter()
            .all(|s| s.item_count == 2 && s.last_update == now)
    );

    // More ids than one statement takes.
    let every: Vec<AmazonOrderId> = (1..=1_234).map(order_id).collect();
    let every: Vec<&AmazonOrderId> = every.iter().collect();
    assert_eq!(
        store
            .order_summaries(connection.id, &every)
            .await
            .unwrap()
            .len(),
        1_234
    );
    assert!(
        store
            .order_summaries(connection.id, &[])
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_watermark_alone_for_an_unknown_connection_is_refused(db: Db) {
    let now = at("2026-03-01T00:00:00Z");
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: now,
    };
    let error = db
        .store
        .import_orders(ConnectionId::new(), &[], &[], now, Some(&watermark), None)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotFound {
                what: "connection",
                ..
            }
        ),
        "{error}"
    );
}

on_both_engines!(
    an_import_starts_from_what_the_separate_reads_return,
    summaries_are_read_for_the_listed_orders_only,
    a_watermark_alone_for_an_unknown_connection_is_refused,
);
