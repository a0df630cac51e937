//! Leases: exclusive between owners, renewable by their holder, taken over after expiry, released by the holder.

use jiff::SignedDuration;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{LeaseName, LeaseOwner, StoreError};

use crate::fixtures::at;
use crate::harness::Db;

fn owner(name: &str) -> LeaseOwner {
    LeaseOwner::parse(name).unwrap()
}

async fn a_lease_is_exclusive_until_it_expires(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let (a, b) = (owner("worker-a@node-1"), owner("worker-b@node-2"));
    let ttl = SignedDuration::from_secs(60);
    let t0 = at("2026-03-01T00:00:00Z");

    assert_eq!(store.lease(&name).await.unwrap(), None);
    assert!(store.try_acquire_lease(&name, &a, t0, ttl).await.unwrap());
    assert!(!store.try_acquire_lease(&name, &b, t0, ttl).await.unwrap());
    let t30 = at("2026-03-01T00:00:30Z");
    assert!(!store.try_acquire_lease(&name, &b, t30, ttl).await.unwrap());

    // The holder extends it.
    assert!(store.try_acquire_lease(&name, &a, t30, ttl).await.unwrap());
    let held = store.lease(&name).await.unwrap().unwrap();
    assert_eq!(held.owner, a);
    assert_eq!(held.expires_at, at("2026-03-01T00:01:30Z"));
    assert!(
        !store
            .try_acquire_lease(&name, &b, at("2026-03-01T00:01:29.999Z"), ttl)
            .await
            .unwrap()
    );

    // From the expiry instant on, anyone may take it.
    assert!(
        store
            .try_acquire_lease(&name, &b, at("2026-03-01T00:01:30Z"), ttl)
            .await
            .unwrap()
    );
    assert_eq!(store.lease(&name).await.unwrap().unwrap().owner, b);
    assert!(
        !store
            .try_acquire_lease(&name, &a, at("2026-03-01T00:01:31Z"), ttl)
            .await
            .unwrap()
    );

    // Other names are independent.
    let other = LeaseName::parse("report:daily").unwrap();
    assert!(store.try_acquire_lease(&other, &a, t0, ttl).await.unwrap());
}

async fn only_the_holder_releases_a_lease(db: Db) {
    let store = &db.store;
    let name = LeaseName::parse("sync:x").unwrap();
    let (a, b) = (owner("a"), owner("b"));
    let ttl = SignedDuration::from_mins(5);
    let t0 = at("2026-03-01T00:00:00Z");
    assert!(store.try_acquire_lease(&name, &a, t0, ttl).await.unwrap());
    assert!(!store.release_lease(&name, &b).await.unwrap());
    assert!(!store.try_acquire_lease(&name, &b, t0, ttl).await.unwrap());
    assert!(store.release_lease(&name, &a).await.unwrap());
    assert!(!store.release_lease(&name, &a).await.unwrap());
    assert_eq!(store.lease(&name).await.unwrap(), None);
    assert!(store.try_acquire_lease(&name, &b, t0, ttl).await.unwrap());
}

async fn of_racing_workers_exactly_one_gets_the_lease(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let now = at("2026-03-01T00:00:00Z");
    let ttl = SignedDuration::from_secs(60);
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let name = name.clone();
        let me = owner(&format!("worker-{i}"));
        tasks.push(tokio::spawn(async move {
            store.try_acquire_lease(&name, &me, now, ttl).await.unwrap()
        }));
    }
    let mut winners = 0;
    for task in tasks {
        if task.await.unwrap() {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
}

async fn a_lease_needs_a_positive_ttl(db: Db) {
    let name = LeaseName::parse("sync:x").unwrap();
    let error = db
        .store
        .try_acquire_lease(
            &name,
            &owner("a"),
            at("2026-03-01T00:00:00Z"),
            SignedDuration::ZERO,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "lease ttl",
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(db.store.lease(&name).await.unwrap(), None);
}

async fn a_gone_holders_lease_is_taken_over_once_and_only_from_it(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let (gone, a, b) = (owner("sellerlink@h:1:2"), owner("a"), owner("b"));
    let ttl = SignedDuration::from_mins(5);
    let t0 = at("2026-03-01T00:00:00Z");
    assert!(
        store
            .take_over_lease(&name, &gone, &a, t0, ttl)
            .await
            .unwrap()
            .is_none(),
        "nobody holds it"
    );
    assert!(
        store
            .try_acquire_lease(&name, &gone, t0, ttl)
            .await
            .unwrap()
    );

    // Before it expires: only from the holder named, and only once.
    let t1 = at("2026-03-01T00:00:01Z");
    assert!(
        store
            .take_over_lease(&name, &b, &a, t1, ttl)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .take_over_lease(&name, &gone, &a, t1, ttl)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .take_over_lease(&name, &gone, &b, t1, ttl)
            .await
            .unwrap()
            .is_none()
    );
    let held = store.lease(&name).await.unwrap().unwrap();
    assert_eq!(held.owner, a);
    assert_eq!(held.expires_at, at("2026-03-01T00:05:01Z"));
    assert!(store.release_lease(&name, &a).await.unwrap());
}

on_both_engines!(
    a_gone_holders_lease_is_taken_over_once_and_only_from_it,
    a_lease_is_exclusive_until_it_expires,
    only_the_holder_releases_a_lease,
    of_racing_workers_exactly_one_gets_the_lease,
    a_lease_needs_a_positive_ttl,
);
