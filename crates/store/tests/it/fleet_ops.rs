//! What a fleet of processes needs from the store: walking every connection a page at a time (`sync --all`),
//! counting them (the `/metrics` gauge), giving back every lease of a stopping process, and a pool of the size
//! asked for.

use jiff::SignedDuration;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{LeaseName, LeaseOwner, Store, StoreError, StoreOptions};

use crate::fixtures::{add_connection, add_merchant, at, mws_connection};
use crate::harness::Db;

async fn connection_ids_are_walked_in_pages_each_once(db: Db) {
    let store = &db.store;
    assert_eq!(store.connection_ids_after(None, 3).await.unwrap(), vec![]);
    assert_eq!(store.count_connections().await.unwrap(), 0);
    let merchant = add_merchant(store, "Takumi").await;
    let mut expected: Vec<ConnectionId> = Vec::new();
    for n in 1..=7 {
        let connection = mws_connection(merchant.id, n);
        add_connection(store, &connection).await;
        expected.push(connection.id);
    }
    expected.sort_by_key(ToString::to_string);
    assert_eq!(store.count_connections().await.unwrap(), 7);

    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = store.connection_ids_after(after, 3).await.unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().copied();
        pages.push(page);
    }
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [3, 3, 1]);
    let walked: Vec<ConnectionId> = pages.into_iter().flatten().collect();
    assert_eq!(walked, expected, "every connection once, in id order");

    // A cursor between two ids starts after it, whether or not it names a stored connection.
    let from_third = store
        .connection_ids_after(Some(expected[2]), 100)
        .await
        .unwrap();
    assert_eq!(from_third, expected[3..]);
}

async fn a_stopping_process_gives_back_every_lease_it_holds_and_no_other(db: Db) {
    let store = &db.store;
    let stopping = LeaseOwner::parse("worker@node-1:41:7").unwrap();
    let other = LeaseOwner::parse("worker@node-2:42:9").unwrap();
    let (t0, ttl) = (at("2026-03-01T00:00:00Z"), SignedDuration::from_secs(600));
    let held: Vec<LeaseName> = (0..3)
        .map(|_| LeaseName::sync(ConnectionId::new()))
        .collect();
    for name in &held {
        assert!(
            store
                .try_acquire_lease(name, &stopping, t0, ttl)
                .await
                .unwrap()
        );
    }
    let others = LeaseName::sync(ConnectionId::new());
    assert!(
        store
            .try_acquire_lease(&others, &other, t0, ttl)
            .await
            .unwrap()
    );

    assert_eq!(store.release_leases_of(&stopping).await.unwrap(), 3);
    for name in &held {
        assert_eq!(store.lease(name).await.unwrap(), None);
        assert!(
            store
                .try_acquire_lease(name, &other, t0, ttl)
                .await
                .unwrap(),
            "free at once, long before the lease would have expired"
        );
    }
    assert_eq!(store.lease(&others).await.unwrap().unwrap().owner, other);
    assert_eq!(store.release_leases_of(&stopping).await.unwrap(), 0);
}

async fn the_pool_has_the_size_asked_for(db: Db) {
    let sized = Store::connect_with(db.url(), StoreOptions { pool_size: Some(2) })
        .await
        .unwrap();
    assert_eq!(sized.pool_size(), 2);
    sized.close().await;
    let default = Store::connect(db.url()).await.unwrap();
    assert!(default.pool_size() >= 4);
    default.close().await;
    for size in [0, sellerlink_store::MAX_POOL_SIZE + 1] {
        let refused = Store::connect_with(
            db.url(),
            StoreOptions {
                pool_size: Some(size),
            },
        )
        .await;
        let Err(StoreError::Invalid { what, detail }) = refused else {
            panic!("pool size {size} accepted");
        };
        assert_eq!(what, "database pool size");
        assert!(detail.contains("expected 1–1000"), "{detail}");
    }
}

on_both_engines!(
    connection_ids_are_walked_in_pages_each_once,
    a_stopping_process_gives_back_every_lease_it_holds_and_no_other,
    the_pool_has_the_size_asked_for,
);
