//! The order upsert: round trips, idempotency, no regression to older snapshots, replaced items, atomic watermark.

use sellerlink_domain::ids::{ConnectionId, MarketplaceId};
use sellerlink_domain::order::{FulfillmentChannel, Money, OrderStatus};
use sellerlink_store::{OrderSummary, StoreError, SyncStream, SyncWatermark, UpsertOutcome};

use crate::fixtures::{at, item, merchant_with_connection, order, order_id};
use crate::harness::Db;

fn outcome(inserted: u64, updated: u64, unchanged: u64, skipped_older: u64) -> UpsertOutcome {
    UpsertOutcome {
        inserted,
        updated,
        unchanged,
        skipped_older,
    }
}

async fn an_order_round_trips_every_field(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T12:00:00.500Z");
    let mut full = order(
        1,
        at("1970-01-01T00:00:00.001Z"),
        at("9999-12-30T21:59:59.999Z"),
    );
    full.status = OrderStatus::Other("SomethingNew".to_owned());
    full.latest_ship_date = Some(at("1969-12-31T23:59:59.999Z"));
    full.items[1].quantity_shipped = 2;
    full.items[1].item_price = Some(Money {
        currency: "USD".to_owned(),
        amount: "12.34".to_owned(),
    });
    full.items[1].shipping_price = None;
    full.items
        .push(item("99999999999999", "B0000000ZZ", u32::MAX));
    let mut sparse = order(2, at("2026-02-01T00:00:00Z"), at("2026-02-01T00:00:00Z"));
    sparse.marketplace_id = MarketplaceId::parse("ATVPDKIKX0DER").unwrap();
    sparse.status = OrderStatus::PendingAvailability;
    sparse.fulfillment_channel = Some(FulfillmentChannel::Afn);
    sparse.order_total = None;
    sparse.sales_channel = None;
    sparse.ship_service_level = None;
    sparse.buyer_name = None;
    sparse.shipping_address = None;
    sparse.payment_method = None;
    sparse.latest_ship_date = None;
    sparse.items = Vec::new();
    let mut no_channel = order(3, at("2026-02-02T00:00:00Z"), at("2026-02-02T00:00:00Z"));
    no_channel.fulfillment_channel = None;
    no_channel.shipping_address = Some(Default::default());

    let done = store
        .upsert_orders(
            connection.id,
            &[full.clone(), sparse.clone(), no_channel.clone()],
            now,
            None,
        )
        .await
        .unwrap();
    assert_eq!(done, outcome(3, 0, 0, 0));
    assert_eq!(done.changed(), 3);

    for expected in [&full, &sparse, &no_channel] {
        let stored = store
            .order(connection.id, &expected.amazon_order_id)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(&stored.order, expected);
        assert_eq!(stored.connection_id, connection.id);
        assert_eq!(stored.first_seen_at, now);
        assert_eq!(stored.updated_at, now);
    }
    assert_eq!(
        store.order(connection.id, &order_id(9)).await.unwrap(),
        None
    );
    assert_eq!(
        store
            .order(ConnectionId::new(), &order_id(1))
            .await
            .unwrap(),
        None
    );
}

async fn the_same_page_twice_changes_nothing(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let first = at("2026-03-01T00:00:00Z");
    let later = at("2026-03-01T00:05:00Z");
    // Sub-millisecond digits are dropped when stored; they must not make the page look changed.
    let page: Vec<_> = (1..=20)
        .map(|n| {
            order(
                n,
                at("2026-02-28T10:00:00.123456Z"),
                at("2026-02-28T11:00:00.999999999Z"),
            )
        })
        .collect();
    assert_eq!(
        store
            .upsert_orders(connection.id, &page, first, None)
            .await
            .unwrap(),
        outcome(20, 0, 0, 0)
    );
    assert_eq!(
        store
            .upsert_orders(connection.id, &page, later, None)
            .await
            .unwrap(),
        outcome(0, 0, 20, 0)
    );
    let stored = store
        .order(connection.id, &order_id(7))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.updated_at, first,
        "an unchanged order is not rewritten"
    );
    assert_eq!(
        stored.order.last_update_date,
        at("2026-02-28T11:00:00.999Z")
    );
}

async fn an_older_snapshot_never_overwrites_a_newer_one(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    let mut shipped = order(1, at("2026-02-27T00:00:00Z"), at("2026-02-28T09:00:00Z"));
    shipped.status = OrderStatus::Shipped;
    shipped.items[0].quantity_shipped = 1;
    store
        .upsert_orders(connection.id, &[shipped.clone()], now, None)
        .await
        .unwrap();

    let stale = order(1, at("2026-02-27T00:00:00Z"), at("2026-02-27T09:00:00Z"));
    assert_eq!(
        store
            .upsert_orders(connection.id, &[stale], now, None)
            .await
            .unwrap(),
        outcome(0, 0, 0, 1)
    );
    let stored = store
        .order(connection.id, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.order, shipped);
}

async fn a_cancellation_is_applied(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t1 = at("2026-03-01T00:00:00Z");
    let t2 = at("2026-03-01T01:00:00Z");
    let open = order(1, at("2026-02-28T00:00:00Z"), at("2026-02-28T00:00:00Z"));
    store
        .upsert_orders(connection.id, std::slice::from_ref(&open), t1, None)
        .await
        .unwrap();

    let mut canceled = open.clone();
    canceled.status = OrderStatus::parse("CANCELLED");
    canceled.last_update_date = at("2026-02-28T06:00:00Z");
    assert_eq!(
        store
            .upsert_orders(connection.id, &[canceled.clone()], t2, None)
            .await
            .unwrap(),
        outcome(0, 1, 0, 0)
    );
    let stored = store
        .order(connection.id, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.order.status, OrderStatus::Canceled);
    assert_eq!(stored.order, canceled);
    assert_eq!(stored.first_seen_at, t1);
    assert_eq!(stored.updated_at, t2);
}

async fn items_are_replaced_by_the_newer_set(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    let original = order(1, at("2026-02-28T00:00:00Z"), at("2026-02-28T00:00:00Z"));
    let untouched = order(2, at("2026-02-28T00:00:00Z"), at("2026-02-28T00:00:00Z"));
    store
        .upsert_orders(
            connection.id,
            &[original.clone(), untouched.clone()],
            now,
            None,
        )
        .await
        .unwrap();

    let mut changed = original.clone();
    changed.last_update_date = at("2026-02-28T01:00:00Z");
    changed.items.remove(0);
    changed.items[0].quantity_shipped = 2;
    changed
        .items
        .insert(0, item("00000000000777", "B000000777", 3));
    assert_eq!(
        store
            .upsert_orders(connection.id, &[changed.clone()], now, None)
            .await
            .unwrap(),
        outcome(0, 1, 0, 0)
    );
    let stored = store
        .order(connection.id, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.order.items, changed.items,
        "removed, changed and added items, in order"
    );
    let other = store
        .order(connection.id, &order_id(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(other.order, untouched);

    // Same LastUpdateDate but different content still counts as newer-or-equal and is applied.
    let mut corrected = changed.clone();
    corrected.buyer_name = Some("山田 花子".to_owned());
    corrected.items.clear();
    assert_eq!(
        store
            .upsert_orders(connection.id, &[corrected.clone()], now, None)
            .await
            .unwrap(),
        outcome(0, 1, 0, 0)
    );
    let stored = store
        .order(connection.id, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.order, corrected);
    assert_eq!(
        store.order_ids(connection.id).await.unwrap(),
        vec![
            OrderSummary {
                amazon_order_id: order_id(1),
                last_update: corrected.last_update_date,
                item_count: 0,
            },
            OrderSummary {
                amazon_order_id: order_id(2),
                last_update: untouched.last_update_date,
                item_count: 2,
            },
        ]
    );
}

async fn an_order_twice_in_one_page_keeps_the_newest(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    let newer = order(1, at("2026-02-28T00:00:00Z"), at("2026-02-28T05:00:00Z"));
    let mut older = newer.clone();
    older.last_update_date = at("2026-02-28T01:00:00Z");
    older.status = OrderStatus::Pending;
    assert_eq!(
        store
            .upsert_orders(connection.id, &[newer.clone(), older], now, None)
            .await
            .unwrap(),
        outcome(1, 0, 0, 0)
    );
    let stored = store
        .order(connection.id, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.order, newer);
}

async fn the_watermark_is_written_with_the_orders(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: at("2026-02-28T23:58:00Z"),
    };
    store
        .upsert_orders(connection.id, &[order(1, now, now)], now, Some(&watermark))
        .await
        .unwrap();
    let stored = store
        .watermark(connection.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.watermark, watermark);
    assert_eq!(stored.updated_at, now);

    // An empty page still moves the watermark.
    let later = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: at("2026-03-01T00:10:00Z"),
    };
    let next = at("2026-03-01T00:12:00Z");
    assert_eq!(
        store
            .upsert_orders(connection.id, &[], next, Some(&later))
            .await
            .unwrap(),
        UpsertOutcome::default()
    );
    let stored = store
        .watermark(connection.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.watermark, later);
    assert_eq!(stored.updated_at, next);

    // A refused page moves nothing.
    let mut broken = order(2, now, now);
    broken.items.push(broken.items[0].clone());
    let refused = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: at("2026-03-02T00:00:00Z"),
    };
    let error = store
        .upsert_orders(
            connection.id,
            &[order(3, now, now), broken],
            next,
            Some(&refused),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "order items",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        store
            .watermark(connection.id, &SyncStream::orders())
            .await
            .unwrap()
            .unwrap()
            .watermark,
        later
    );
    assert_eq!(
        store.order(connection.id, &order_id(3)).await.unwrap(),
        None
    );
}

async fn orders_of_an_unknown_connection_are_refused(db: Db) {
    let now = at("2026-03-01T00:00:00Z");
    let error = db
        .store
        .upsert_orders(ConnectionId::new(), &[order(1, now, now)], now, None)
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

async fn large_pages_are_split_across_statements(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2026-03-01T00:00:00Z");
    let page: Vec<_> = (1..=1_234)
        .map(|n| order(n, at("2026-02-01T00:00:00Z"), at("2026-02-02T00:00:00Z")))
        .collect();
    assert_eq!(
        store
            .upsert_orders(connection.id, &page, now, None)
            .await
            .unwrap(),
        outcome(1_234, 0, 0, 0)
    );
    let mut changed = page.clone();
    for order in changed.iter_mut().step_by(2) {
        order.last_update_date = at("2026-02-03T00:00:00Z");
        order.status = OrderStatus::Shipped;
    }
    assert_eq!(
        store
            .upsert_orders(connection.id, &changed, now, None)
            .await
            .unwrap(),
        outcome(0, 617, 617, 0)
    );
    let summaries = store.order_ids(connection.id).await.unwrap();
    assert_eq!(summaries.len(), 1_234);
    assert!(summaries.iter().all(|s| s.item_count == 2));
}

on_both_engines!(
    an_order_round_trips_every_field,
    the_same_page_twice_changes_nothing,
    an_older_snapshot_never_overwrites_a_newer_one,
    a_cancellation_is_applied,
    items_are_replaced_by_the_newer_set,
    an_order_twice_in_one_page_keeps_the_newest,
    the_watermark_is_written_with_the_orders,
    orders_of_an_unknown_connection_are_refused,
    large_pages_are_split_across_statements,
);
