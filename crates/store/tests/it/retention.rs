//! Erasing buyer data: only finished orders last updated before the cut-off lose the buyer's name and address;
//! everything else about them, and every other order, stays.

use jiff::SignedDuration;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_domain::order::{Order, OrderStatus};
use sellerlink_store::Store;

use crate::fixtures::{add_connection, add_merchant, at, mws_connection, order};
use crate::harness::Db;

async fn stored(
    store: &Store,
    connection: sellerlink_domain::ids::ConnectionId,
    id: &AmazonOrderId,
) -> Order {
    store.order(connection, id).await.unwrap().unwrap().order
}

async fn only_finished_orders_past_the_cut_off_lose_buyer_data(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let connection = mws_connection(merchant.id, 1);
    add_connection(store, &connection).await;
    let now = at("2026-03-01T00:00:00Z");
    let cut_off = now - SignedDuration::from_hours(24 * 30);
    let old = cut_off - SignedDuration::from_hours(24);
    let recent = cut_off + SignedDuration::from_hours(24);
    let with = |n: u32, status: OrderStatus, last_update| {
        let mut o = order(n, old - SignedDuration::from_hours(24), last_update);
        o.status = status;
        o
    };
    let orders = vec![
        with(1, OrderStatus::Shipped, old),
        with(2, OrderStatus::Canceled, old),
        with(3, OrderStatus::Unshipped, old),
        with(4, OrderStatus::Shipped, recent),
        with(5, OrderStatus::PartiallyShipped, old),
    ];
    store
        .upsert_orders(connection.id, &orders, old, None)
        .await
        .unwrap();

    assert_eq!(store.erase_buyer_data(cut_off, now).await.unwrap(), 2);
    for (original, erased) in orders.iter().zip([true, true, false, false, false]) {
        let after = stored(store, connection.id, &original.amazon_order_id).await;
        if erased {
            assert_eq!(after.buyer_name, None, "{}", original.amazon_order_id);
            assert_eq!(after.shipping_address, None, "{}", original.amazon_order_id);
            let mut expected = original.clone();
            expected.buyer_name = None;
            expected.shipping_address = None;
            assert_eq!(after, expected, "nothing else changes");
        } else {
            assert_eq!(&after, original, "kept whole");
        }
    }
    let first = store
        .order(connection.id, &orders[0].amazon_order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        first.updated_at, now,
        "the erasure is a change sellerlink made"
    );

    assert_eq!(
        store.erase_buyer_data(cut_off, now).await.unwrap(),
        0,
        "erasing again finds nothing left"
    );
}

on_both_engines!(only_finished_orders_past_the_cut_off_lose_buyer_data);
