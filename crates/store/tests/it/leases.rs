//! Leases: exclusive between owners, renewable by their holder, taken over after expiry, released by the holder.

use jiff::SignedDuration;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{LeaseName, LeaseOwner, MAX_QUOTA_STATE_BYTES, StoreError};

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

async fn a_lease_carries_its_holders_quota_state_to_the_next_holder(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let (a, b, c) = (owner("worker-a"), owner("worker-b"), owner("worker-c"));
    let ttl = SignedDuration::from_secs(60);
    let t0 = at("2026-03-01T00:00:00Z");

    let first = store
        .acquire_lease_with_state(&name, &a, t0, ttl)
        .await
        .unwrap()
        .expect("free");
    assert_eq!(first.quota_state, None, "nobody left anything");
    let fence_a = first.fence;
    // Renewing stores the state (so a holder killed later leaves it behind); no state keeps the stored one.
    let t10 = at("2026-03-01T00:00:10Z");
    assert!(
        store
            .renew_lease_with_state(&fence_a, t10, ttl, Some(r#"{"v":"renewed"}"#))
            .await
            .unwrap()
    );
    assert!(
        store
            .renew_lease_with_state(&fence_a, t10, ttl, None)
            .await
            .unwrap()
    );
    // A holder that ended is taken over with what it left at its last renewal.
    let t20 = at("2026-03-01T00:00:20Z");
    let taken = store
        .take_over_lease_with_state(&name, &a, &b, t20, ttl)
        .await
        .unwrap()
        .expect("a still held it");
    assert_eq!(taken.quota_state.as_deref(), Some(r#"{"v":"renewed"}"#));
    assert_eq!(taken.fence.token, fence_a.token + 1);
    let fence_b = taken.fence;

    // The old holder's fence writes nothing any more: neither renewal nor release, state included.
    assert!(
        !store
            .renew_lease_with_state(&fence_a, t20, ttl, Some("stale"))
            .await
            .unwrap()
    );
    assert!(
        !store
            .release_lease_with_state(&fence_a, Some("stale"))
            .await
            .unwrap()
    );

    // The release stores the holder's state; the next holder (after the release) gets it with a new token.
    assert!(
        store
            .release_lease_with_state(&fence_b, Some(r#"{"v":"released"}"#))
            .await
            .unwrap()
    );
    assert!(
        !store
            .release_lease_with_state(&fence_b, Some("again"))
            .await
            .unwrap(),
        "released once"
    );
    let next = store
        .acquire_lease_with_state(&name, &c, t20, ttl)
        .await
        .unwrap()
        .expect("released");
    assert_eq!(next.quota_state.as_deref(), Some(r#"{"v":"released"}"#));
    assert_eq!(next.fence.token, fence_b.token + 1);
    // The plain calls keep working and keep the state.
    assert!(store.renew_lease(&next.fence, t20, ttl).await.unwrap());
    assert!(store.release_lease(&name, &c).await.unwrap());
    let again = store
        .acquire_lease_with_state(&name, &a, t20, ttl)
        .await
        .unwrap()
        .expect("free");
    assert_eq!(again.quota_state.as_deref(), Some(r#"{"v":"released"}"#));
}

async fn oversized_quota_state_is_refused_naming_the_field(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let t0 = at("2026-03-01T00:00:00Z");
    let ttl = SignedDuration::from_secs(60);
    let fence = store
        .acquire_lease(&name, &owner("a"), t0, ttl)
        .await
        .unwrap()
        .expect("free");
    let huge = "x".repeat(MAX_QUOTA_STATE_BYTES + 1);
    for error in [
        store
            .renew_lease_with_state(&fence, t0, ttl, Some(&huge))
            .await
            .unwrap_err(),
        store
            .release_lease_with_state(&fence, Some(&huge))
            .await
            .unwrap_err(),
    ] {
        assert!(matches!(error, StoreError::Invalid { .. }), "{error:?}");
        assert!(error.to_string().contains("lease quota state"), "{error}");
    }
    let fitting = "x".repeat(MAX_QUOTA_STATE_BYTES);
    assert!(
        store
            .release_lease_with_state(&fence, Some(&fitting))
            .await
            .unwrap()
    );
}

on_both_engines!(
    a_gone_holders_lease_is_taken_over_once_and_only_from_it,
    a_lease_is_exclusive_until_it_expires,
    only_the_holder_releases_a_lease,
    of_racing_workers_exactly_one_gets_the_lease,
    a_lease_needs_a_positive_ttl,
    a_lease_carries_its_holders_quota_state_to_the_next_holder,
    oversized_quota_state_is_refused_naming_the_field,
);
