//! The web list: filters, newest-first paging by offset and by cursor, counts, and 100,000 orders.

use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MarketplaceId, MerchantId};
use sellerlink_domain::order::{FulfillmentChannel, Order, OrderStatus, StoredOrder};
use sellerlink_store::{ListedOrder, OrderCursor, OrderQuery, Store};

use crate::fixtures::{add_connection, add_merchant, at, mws_connection, order, spapi_connection};
use crate::harness::Db;

/// The fixture orders, as the tests expect to find them.
struct Fixture {
    acme: MerchantId,
    takumi_connection: ConnectionId,
    rows: Vec<(ConnectionId, Order)>,
}

fn status_for(n: u32) -> OrderStatus {
    match n % 4 {
        0 => OrderStatus::Unshipped,
        1 => OrderStatus::Shipped,
        2 => OrderStatus::Canceled,
        _ => OrderStatus::PartiallyShipped,
    }
}

/// Two merchants, three connections, 60 orders with varied status, channel, marketplace and purchase time
/// (including ties on the purchase time).
async fn fixture(store: &Store) -> Fixture {
    let acme = add_merchant(store, "Acme").await;
    let takumi = add_merchant(store, "たくみ").await;
    let connections = [
        mws_connection(acme.id, 1),
        spapi_connection(acme.id, 2),
        mws_connection(takumi.id, 3),
    ];
    for c in &connections {
        add_connection(store, c).await;
    }
    let base = at("2026-01-01T00:00:00Z");
    let us = MarketplaceId::parse("ATVPDKIKX0DER").unwrap();
    let mut rows = Vec::new();
    for n in 0..60u32 {
        let connection = &connections[(n % 3) as usize];
        // Every two consecutive orders share a purchase time.
        let purchased = base + SignedDuration::from_hours(i64::from(n / 2));
        let mut o = order(n + 1, purchased, purchased);
        o.status = status_for(n);
        if n % 5 == 0 {
            o.fulfillment_channel = Some(FulfillmentChannel::Afn);
        }
        if n % 7 == 0 {
            o.marketplace_id = us.clone();
        }
        rows.push((connection.id, o));
    }
    let now = at("2026-03-01T00:00:00Z");
    for c in &connections {
        let page: Vec<Order> = rows
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, o)| o.clone())
            .collect();
        store.upsert_orders(c.id, &page, now, None).await.unwrap();
    }
    Fixture {
        acme: acme.id,
        takumi_connection: connections[2].id,
        rows,
    }
}

/// The expected list order: purchase time, then connection id, then order id, all descending.
fn newest_first(mut rows: Vec<(ConnectionId, Order)>) -> Vec<(ConnectionId, AmazonOrderId)> {
    rows.sort_by(|(ca, a), (cb, b)| {
        (b.purchase_date, cb, &b.amazon_order_id).cmp(&(a.purchase_date, ca, &a.amazon_order_id))
    });
    rows.into_iter()
        .map(|(c, o)| (c, o.amazon_order_id))
        .collect()
}

fn keys(orders: &[StoredOrder]) -> Vec<(ConnectionId, AmazonOrderId)> {
    orders
        .iter()
        .map(|o| (o.connection_id, o.order.amazon_order_id.clone()))
        .collect()
}

/// The list without items holds the same orders, each with its items counted and left out, and its buyer data
/// not opened.
fn assert_listed_like(listed: &[ListedOrder], full: &[StoredOrder]) {
    assert_eq!(listed.len(), full.len());
    for (listed, full) in listed.iter().zip(full) {
        assert_eq!(listed.item_count, full.order.items.len() as u64);
        let mut without_items = full.clone();
        without_items.order.items.clear();
        without_items.order.buyer_name = None;
        without_items.order.shipping_address = None;
        assert_eq!(listed.stored, without_items);
    }
}

async fn check(
    store: &Store,
    fixture: &Fixture,
    query: OrderQuery,
    keep: impl Fn(&ConnectionId, &Order) -> bool,
) {
    let expected = newest_first(
        fixture
            .rows
            .iter()
            .filter(|(c, o)| keep(c, o))
            .cloned()
            .collect(),
    );
    let all = OrderQuery {
        limit: 1_000,
        ..query.clone()
    };
    let full = store.orders(&all).await.unwrap();
    assert_eq!(keys(&full), expected, "{query:?}");
    assert_listed_like(&store.order_list(&all).await.unwrap(), &full);
    assert_eq!(
        store.count_orders(&query).await.unwrap(),
        expected.len() as u64,
        "{query:?}"
    );
}

async fn every_filter_selects_what_it_says(db: Db) {
    let store = &db.store;
    let f = fixture(store).await;
    let acme_connections: Vec<ConnectionId> = store
        .connections(&sellerlink_store::ConnectionFilter {
            merchant: Some(f.acme),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection.id)
        .collect();

    check(store, &f, OrderQuery::default(), |_, _| true).await;
    check(
        store,
        &f,
        OrderQuery {
            connection: Some(f.takumi_connection),
            ..OrderQuery::default()
        },
        |c, _| *c == f.takumi_connection,
    )
    .await;
    check(
        store,
        &f,
        OrderQuery {
            merchant: Some(f.acme),
            ..OrderQuery::default()
        },
        |c, _| acme_connections.contains(c),
    )
    .await;
    check(
        store,
        &f,
        OrderQuery {
            statuses: vec![OrderStatus::Unshipped, OrderStatus::PartiallyShipped],
            ..OrderQuery::default()
        },
        |_, o| o.status.awaits_shipment(),
    )
    .await;
    check(
        store,
        &f,
        OrderQuery {
            marketplace: Some(MarketplaceId::japan()),
            channel: Some(FulfillmentChannel::Mfn),
            ..OrderQuery::default()
        },
        |_, o| {
            o.marketplace_id == MarketplaceId::japan()
                && o.fulfillment_channel == Some(FulfillmentChannel::Mfn)
        },
    )
    .await;
    let from = at("2026-01-01T05:00:00Z");
    let until = at("2026-01-01T20:00:00Z");
    check(
        store,
        &f,
        OrderQuery {
            purchased_after: Some(from),
            purchased_before: Some(until),
            merchant: Some(f.acme),
            statuses: vec![OrderStatus::Shipped],
            ..OrderQuery::default()
        },
        |c, o| {
            o.purchase_date >= from
                && o.purchase_date < until
                && acme_connections.contains(c)
                && o.status == OrderStatus::Shipped
        },
    )
    .await;
    check(
        store,
        &f,
        OrderQuery {
            merchant: Some(MerchantId::new()),
            ..OrderQuery::default()
        },
        |_, _| false,
    )
    .await;
}

async fn offset_and_cursor_pages_walk_the_same_list(db: Db) {
    let store = &db.store;
    let f = fixture(store).await;
    let expected = newest_first(f.rows.clone());

    let mut by_offset = Vec::new();
    for page in 0.. {
        let orders = store
            .orders(&OrderQuery {
                limit: 7,
                offset: page * 7,
                ..OrderQuery::default()
            })
            .await
            .unwrap();
        if orders.is_empty() {
            break;
        }
        by_offset.extend(keys(&orders));
    }
    assert_eq!(by_offset, expected);

    let mut by_cursor = Vec::new();
    let mut after: Option<OrderCursor> = None;
    loop {
        let orders = store
            .orders(&OrderQuery {
                limit: 7,
                after: after.clone(),
                ..OrderQuery::default()
            })
            .await
            .unwrap();
        let Some(last) = orders.last() else { break };
        after = Some(OrderCursor::after(last));
        by_cursor.extend(keys(&orders));
    }
    assert_eq!(by_cursor, expected);

    let first = store.orders(&OrderQuery::default()).await.unwrap();
    assert_eq!(first.len(), 50, "the default page");
    assert!(
        first.iter().all(|o| o.order.items.len() == 2),
        "items come along"
    );
    assert_eq!(
        store
            .count_orders(&OrderQuery {
                limit: 1,
                offset: 10,
                ..OrderQuery::default()
            })
            .await
            .unwrap(),
        60,
        "counts ignore paging"
    );
}

/// 100,000 orders (two connections of one merchant, one item each): every list query reads its first page quickly.
async fn a_hundred_thousand_orders_page_and_count(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Big").await;
    let connections = [
        mws_connection(merchant.id, 1),
        mws_connection(merchant.id, 2),
    ];
    for c in &connections {
        add_connection(store, c).await;
    }
    let base = at("2020-01-01T00:00:00Z");
    let now = at("2026-03-01T00:00:00Z");
    let started = Instant::now();
    for (i, connection) in connections.iter().enumerate() {
        let offset = i as u32 * 50_000;
        let all: Vec<Order> = (0..50_000u32)
            .map(|n| {
                let purchased: Timestamp = base + SignedDuration::from_mins(i64::from(offset + n));
                let mut o = order(offset + n + 1, purchased, purchased);
                o.items.truncate(1);
                o.status = status_for(n);
                o
            })
            .collect();
        for page in all.chunks(5_000) {
            store
                .upsert_orders(connection.id, page, now, None)
                .await
                .unwrap();
        }
    }
    eprintln!(
        "{}: stored 100,000 orders in {:?}",
        db.engine(),
        started.elapsed()
    );

    let newest = base + SignedDuration::from_mins(99_999);
    let queries = [
        (
            "connection",
            OrderQuery {
                connection: Some(connections[0].id),
                ..OrderQuery::default()
            },
        ),
        (
            "merchant",
            OrderQuery {
                merchant: Some(merchant.id),
                ..OrderQuery::default()
            },
        ),
        (
            "status",
            OrderQuery {
                statuses: vec![OrderStatus::Shipped],
                ..OrderQuery::default()
            },
        ),
        ("everything", OrderQuery::default()),
    ];
    for (name, query) in queries {
        let started = Instant::now();
        let page = store.orders(&query).await.unwrap();
        let count = store.count_orders(&query).await.unwrap();
        let took = started.elapsed();
        eprintln!("{}: first page + count by {name} in {took:?}", db.engine());
        assert_eq!(page.len(), 50, "{name}");
        assert!(
            page.windows(2)
                .all(|w| w[0].order.purchase_date >= w[1].order.purchase_date)
        );
        match name {
            "connection" => {
                assert_eq!(count, 50_000);
                assert_eq!(
                    page[0].order.purchase_date,
                    base + SignedDuration::from_mins(49_999)
                );
            }
            "status" => assert_eq!(count, 25_000),
            _ => {
                assert_eq!(count, 100_000);
                assert_eq!(page[0].order.purchase_date, newest);
            }
        }
    }
    let deep = store
        .orders(&OrderQuery {
            merchant: Some(merchant.id),
            limit: 10,
            after: Some(OrderCursor {
                purchase_date: base + SignedDuration::from_mins(10),
                connection_id: connections[0].id,
                amazon_order_id: order(11, base, base).amazon_order_id,
            }),
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(deep.len(), 10);
    assert_eq!(
        deep[0].order.purchase_date,
        base + SignedDuration::from_mins(9)
    );
}

/// Item counts are per order of a connection: the same order id under two connections keeps its own count, and
/// an order without items counts 0.
async fn the_list_counts_each_orders_own_items(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let first = mws_connection(merchant.id, 1);
    let second = spapi_connection(merchant.id, 2);
    add_connection(store, &first).await;
    add_connection(store, &second).await;
    let base = at("2026-01-01T00:00:00Z");
    let with_items = |n: u32, count: usize| {
        let mut o = order(n, base + SignedDuration::from_hours(i64::from(n)), base);
        let template = o.items[0].clone();
        o.items = (0..count)
            .map(|i| sellerlink_domain::order::OrderItem {
                order_item_id: format!("{:014}", u64::from(n) * 100 + i as u64),
                ..template.clone()
            })
            .collect();
        o
    };
    let now = at("2026-03-01T00:00:00Z");
    store
        .upsert_orders(first.id, &[with_items(1, 0), with_items(2, 3)], now, None)
        .await
        .unwrap();
    store
        .upsert_orders(second.id, &[with_items(1, 1)], now, None)
        .await
        .unwrap();
    let listed = store.order_list(&OrderQuery::default()).await.unwrap();
    let counts: Vec<(ConnectionId, String, u64)> = listed
        .iter()
        .map(|l| {
            (
                l.stored.connection_id,
                l.stored.order.amazon_order_id.to_string(),
                l.item_count,
            )
        })
        .collect();
    let id = |n| order(n, base, base).amazon_order_id.to_string();
    let mut expected = vec![(first.id, id(1), 0), (second.id, id(1), 1)];
    expected.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    expected.insert(0, (first.id, id(2), 3));
    assert_eq!(counts, expected);
    assert!(listed.iter().all(|l| l.stored.order.items.is_empty()));
}

on_both_engines!(
    every_filter_selects_what_it_says,
    the_list_counts_each_orders_own_items,
    offset_and_cursor_pages_walk_the_same_list,
    a_hundred_thousand_orders_page_and_count,
);

/// After the orders table has grown, `optimize` gives SQLite's planner statistics for its indexes (the table was
/// empty when the store was migrated, so it had none).
#[tokio::test]
async fn optimize_gathers_statistics_once_the_orders_table_has_grown() {
    crate::harness::run(
        sellerlink_store::Engine::Sqlite,
        crate::harness::Start::Migrated,
        |db| async move {
            let store = &db.store;
            let merchant = add_merchant(store, "Acme").await;
            let connection = mws_connection(merchant.id, 1);
            add_connection(store, &connection).await;
            let stats = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = $1";
            assert_eq!(db.count(stats, "orders").await, 0);
            let base = at("2026-01-01T00:00:00Z");
            let orders: Vec<Order> = (1..=2_000u32)
                .map(|n| order(n, base + SignedDuration::from_mins(i64::from(n)), base))
                .collect();
            store
                .upsert_orders(connection.id, &orders, at("2026-03-01T00:00:00Z"), None)
                .await
                .unwrap();
            store.optimize().await.unwrap();
            assert!(
                db.count(stats, "orders").await >= 2,
                "the orders indexes are analyzed"
            );
        },
    )
    .await;
}
