//! The order list by ship-by date (出荷期限): sorted earliest or latest first (orders without one last), filtered to
//! orders still to ship that are due in a span ("due today") or overdue, paged by offset, counted alike.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::{Order, OrderStatus};
use sellerlink_store::{OrderCursor, OrderQuery, OrderSort, ShipByFilter, Store, StoreError};

use crate::fixtures::{add_connection, add_merchant, at, mws_connection, order};
use crate::harness::Db;

/// "Now" in these tests: 2026-03-10 12:00 JST.
fn now() -> Timestamp {
    at("2026-03-10T03:00:00Z")
}

fn status_for(n: u32) -> OrderStatus {
    match n % 5 {
        0 | 3 => OrderStatus::Unshipped,
        1 => OrderStatus::Shipped,
        2 => OrderStatus::PartiallyShipped,
        _ => OrderStatus::Canceled,
    }
}

/// 48 orders over two connections; deadlines every 6 hours from four days ago on, two orders per deadline (so ties
/// are broken by connection and id), and every seventh order without a deadline.
async fn fixture(store: &Store) -> Vec<(ConnectionId, Order)> {
    let merchant = add_merchant(store, "倉庫テスト").await;
    let connections = [
        mws_connection(merchant.id, 31),
        mws_connection(merchant.id, 32),
    ];
    for c in &connections {
        add_connection(store, c).await;
    }
    let first_deadline = now() - SignedDuration::from_hours(96);
    let mut rows = Vec::new();
    for n in 0..48u32 {
        let purchased = at("2026-03-01T00:00:00Z") + SignedDuration::from_mins(i64::from(n));
        let mut o = order(n + 1, purchased, purchased);
        o.status = status_for(n);
        o.latest_ship_date =
            (n % 7 != 6).then(|| first_deadline + SignedDuration::from_hours(6 * i64::from(n / 2)));
        rows.push((connections[(n % 2) as usize].id, o));
    }
    for c in &connections {
        let page: Vec<Order> = rows
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, o)| o.clone())
            .collect();
        store.upsert_orders(c.id, &page, now(), None).await.unwrap();
    }
    rows
}

type Key = (ConnectionId, AmazonOrderId);

/// The expected order of a sort, computed here independently of the SQL.
fn sorted(rows: &[(ConnectionId, Order)], sort: OrderSort) -> Vec<Key> {
    let mut rows: Vec<&(ConnectionId, Order)> = rows.iter().collect();
    match sort {
        OrderSort::PurchasedNewest => rows.sort_by(|(ca, a), (cb, b)| {
            (b.purchase_date, cb, &b.amazon_order_id).cmp(&(
                a.purchase_date,
                ca,
                &a.amazon_order_id,
            ))
        }),
        OrderSort::ShipByEarliest => rows.sort_by(|(ca, a), (cb, b)| {
            (
                a.latest_ship_date.is_none(),
                a.latest_ship_date,
                ca,
                &a.amazon_order_id,
            )
                .cmp(&(
                    b.latest_ship_date.is_none(),
                    b.latest_ship_date,
                    cb,
                    &b.amazon_order_id,
                ))
        }),
        OrderSort::ShipByLatest => rows.sort_by(|(ca, a), (cb, b)| {
            (
                a.latest_ship_date.is_none(),
                std::cmp::Reverse((a.latest_ship_date, ca, &a.amazon_order_id)),
            )
                .cmp(&(
                    b.latest_ship_date.is_none(),
                    std::cmp::Reverse((b.latest_ship_date, cb, &b.amazon_order_id)),
                ))
        }),
    }
    rows.into_iter()
        .map(|(c, o)| (*c, o.amazon_order_id.clone()))
        .collect()
}

/// Every page of 10 of the query, read by offset, then the whole list in one page; both must agree with each
/// other, with the count and with `expected`.
async fn check(store: &Store, query: OrderQuery, expected: Vec<Key>) {
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .order_list(&OrderQuery {
                limit: 10,
                offset,
                ..query.clone()
            })
            .await
            .unwrap();
        let read = page.len();
        paged.extend(
            page.into_iter()
                .map(|l| (l.stored.connection_id, l.stored.order.amazon_order_id)),
        );
        if read < 10 {
            break;
        }
        offset += 10;
    }
    assert_eq!(paged, expected, "{query:?}");
    let whole: Vec<Key> = store
        .orders(&OrderQuery {
            limit: 1_000,
            ..query.clone()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.connection_id, s.order.amazon_order_id))
        .collect();
    assert_eq!(whole, expected, "{query:?}");
    assert_eq!(
        store.count_orders(&query).await.unwrap(),
        expected.len() as u64,
        "{query:?}"
    );
}

async fn sorted_by_ship_by_date_either_way_with_the_undated_last(db: Db) {
    let rows = fixture(&db.store).await;
    for sort in [
        OrderSort::ShipByEarliest,
        OrderSort::ShipByLatest,
        OrderSort::PurchasedNewest,
    ] {
        let expected = sorted(&rows, sort);
        assert_eq!(expected.len(), 48);
        check(
            &db.store,
            OrderQuery {
                sort,
                ..OrderQuery::default()
            },
            expected,
        )
        .await;
    }
    let first = db
        .store
        .order_list(&OrderQuery {
            sort: OrderSort::ShipByEarliest,
            limit: 1,
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(
        first[0].stored.order.latest_ship_date,
        Some(now() - SignedDuration::from_hours(96)),
        "the earliest deadline comes first"
    );
    let last = db
        .store
        .order_list(&OrderQuery {
            sort: OrderSort::ShipByEarliest,
            offset: 47,
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    assert_eq!(last[0].stored.order.latest_ship_date, None, "undated last");
}

async fn due_today_and_overdue_are_orders_still_to_ship(db: Db) {
    let rows = fixture(&db.store).await;
    // Today in Japan: 2026-03-10 00:00 JST to 2026-03-11 00:00 JST.
    let (from, before) = (at("2026-03-09T15:00:00Z"), at("2026-03-10T15:00:00Z"));
    let to_ship = |o: &Order| o.status.awaits_shipment();
    for sort in [OrderSort::ShipByEarliest, OrderSort::PurchasedNewest] {
        let due: Vec<(ConnectionId, Order)> = rows
            .iter()
            .filter(|(_, o)| {
                to_ship(o) && o.latest_ship_date.is_some_and(|d| from <= d && d < before)
            })
            .cloned()
            .collect();
        assert!(due.len() >= 2, "the fixture has orders due today");
        check(
            &db.store,
            OrderQuery {
                ship_by: Some(ShipByFilter::DueBetween { from, before }),
                sort,
                ..OrderQuery::default()
            },
            sorted(&due, sort),
        )
        .await;
        let overdue: Vec<(ConnectionId, Order)> = rows
            .iter()
            .filter(|(_, o)| to_ship(o) && o.latest_ship_date.is_some_and(|d| d < now()))
            .cloned()
            .collect();
        assert!(overdue.len() >= 10, "the fixture has overdue orders");
        assert!(
            rows.iter()
                .any(|(_, o)| !to_ship(o) && o.latest_ship_date.is_some_and(|d| d < now())),
            "and shipped or canceled orders past their deadline, which are not overdue"
        );
        check(
            &db.store,
            OrderQuery {
                ship_by: Some(ShipByFilter::Overdue { now: now() }),
                sort,
                ..OrderQuery::default()
            },
            sorted(&overdue, sort),
        )
        .await;
        // With a status filter too: both hold.
        let partial: Vec<(ConnectionId, Order)> = overdue
            .iter()
            .filter(|(_, o)| o.status == OrderStatus::PartiallyShipped)
            .cloned()
            .collect();
        check(
            &db.store,
            OrderQuery {
                ship_by: Some(ShipByFilter::Overdue { now: now() }),
                statuses: vec![OrderStatus::PartiallyShipped],
                sort,
                ..OrderQuery::default()
            },
            sorted(&partial, sort),
        )
        .await;
    }
}

async fn a_cursor_pages_newest_first_only(db: Db) {
    let rows = fixture(&db.store).await;
    let (connection, order) = &rows[0];
    let refused = db
        .store
        .orders(&OrderQuery {
            sort: OrderSort::ShipByEarliest,
            after: Some(OrderCursor {
                purchase_date: order.purchase_date,
                connection_id: *connection,
                amazon_order_id: order.amazon_order_id.clone(),
            }),
            ..OrderQuery::default()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            refused,
            StoreError::Invalid {
                what: "order query",
                ..
            }
        ),
        "{refused:?}"
    );
}

async fn the_deadline_has_its_index(db: Db) {
    let sql = match db.engine() {
        sellerlink_store::Engine::Sqlite => "SELECT COUNT(*) FROM pragma_index_info($1)",
        sellerlink_store::Engine::Postgres => {
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname = $1 AND indexdef LIKE '%(latest_ship_date_ms, connection_id, amazon_order_id)%'"
        }
    };
    let columns = db.count(sql, "orders_by_ship_by").await;
    match db.engine() {
        sellerlink_store::Engine::Sqlite => assert_eq!(columns, 3),
        sellerlink_store::Engine::Postgres => assert_eq!(columns, 1),
    }
}

on_both_engines!(
    sorted_by_ship_by_date_either_way_with_the_undated_last,
    due_today_and_overdue_are_orders_still_to_ship,
    a_cursor_pages_newest_first_only,
    the_deadline_has_its_index,
);
