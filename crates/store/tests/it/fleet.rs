//! A fleet on one database: fencing tokens on leases, and the import queue workers claim from.

use std::collections::HashSet;

use jiff::SignedDuration;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{
    CLAIM_LOOK_AHEAD, LeaseName, LeaseOwner, StoreError, SyncStream, SyncWatermark,
};

use crate::fixtures::{
    add_connection, add_merchant, at, merchant_with_connection, mws_connection, order,
};
use crate::harness::Db;

fn owner(name: &str) -> LeaseOwner {
    LeaseOwner::parse(name).unwrap()
}

async fn a_lease_gets_a_new_token_each_time_it_changes_hands_never_on_renewal(db: Db) {
    let store = &db.store;
    let name = LeaseName::sync(ConnectionId::new());
    let (a, b) = (owner("a"), owner("b"));
    let ttl = SignedDuration::from_secs(60);
    let t0 = at("2026-03-01T00:00:00Z");
    let first = store
        .acquire_lease(&name, &a, t0, ttl)
        .await
        .unwrap()
        .unwrap();
    let renewed = store
        .acquire_lease(&name, &a, at("2026-03-01T00:00:30Z"), ttl)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(renewed.token, first.token, "renewal keeps the token");
    assert!(
        store
            .renew_lease(&first, at("2026-03-01T00:00:40Z"), ttl)
            .await
            .unwrap()
    );

    // Expired: b takes it with a new token, and a's fence is dead even for a's own renewal.
    let late = at("2026-03-01T00:02:00Z");
    let taken = store
        .acquire_lease(&name, &b, late, ttl)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.token, first.token + 1);
    assert!(!store.renew_lease(&first, late, ttl).await.unwrap());

    // Released and taken again: the token keeps growing (the row stays).
    assert!(store.release_lease(&name, &b).await.unwrap());
    assert_eq!(
        store.lease(&name).await.unwrap(),
        None,
        "a released lease reads as free"
    );
    let again = store
        .acquire_lease(&name, &a, late, ttl)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.token, first.token + 2);
    // Even a holder that expired and takes its own lease again gets a new token.
    let own_again = store
        .acquire_lease(&name, &a, at("2026-03-01T00:10:00Z"), ttl)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(own_again.token, first.token + 3);
}

async fn a_write_under_a_lost_lease_writes_nothing(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let name = LeaseName::sync(connection.id);
    let ttl = SignedDuration::from_secs(60);
    let t0 = at("2026-03-01T00:00:00Z");
    let stalled = store
        .acquire_lease(&name, &owner("stalled"), t0, ttl)
        .await
        .unwrap()
        .unwrap();
    let page = [order(1, t0, t0)];
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: t0,
    };
    store
        .import_orders(
            connection.id,
            &page,
            &[],
            t0,
            Some(&watermark),
            Some(&stalled),
        )
        .await
        .expect("the holder writes");

    // The stalled holder's lease expires and a successor takes over and moves on.
    let later = at("2026-03-01T00:05:00Z");
    let successor = store
        .acquire_lease(&name, &owner("successor"), later, ttl)
        .await
        .unwrap()
        .unwrap();
    let newer = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: later,
    };
    store
        .import_orders(
            connection.id,
            &[order(2, later, later)],
            &[],
            later,
            Some(&newer),
            Some(&successor),
        )
        .await
        .unwrap();

    // The stalled holder wakes up and tries to write an older page with an older watermark: refused, nothing
    // written.
    let stale_page = [order(3, t0, t0)];
    let refused = store
        .import_orders(
            connection.id,
            &stale_page,
            &[],
            later,
            Some(&watermark),
            Some(&stalled),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::LeaseLost { .. }), "{refused}");
    assert!(
        store
            .order(connection.id, &stale_page[0].amazon_order_id)
            .await
            .unwrap()
            .is_none(),
        "the stalled holder's order was not written"
    );
    let stored = store
        .watermark(connection.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.watermark.last_updated_after, later,
        "the watermark did not go back"
    );
    // The message names the lease and never anything secret.
    assert!(refused.to_string().contains(name.as_str()), "{refused}");

    // An empty page (a pass that found nothing new) writes its watermark in one statement: fenced all the same.
    let refused = store
        .import_orders(
            connection.id,
            &[],
            &[],
            later,
            Some(&watermark),
            Some(&stalled),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::LeaseLost { .. }), "{refused}");
    let stored = store
        .watermark(connection.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.watermark.last_updated_after, later,
        "nothing moved back"
    );
    let newest = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: at("2026-03-01T00:06:00Z"),
    };
    let outcome = store
        .import_orders(
            connection.id,
            &[],
            &[],
            later,
            Some(&newest),
            Some(&successor),
        )
        .await
        .expect("the holder's empty page moves the watermark");
    assert_eq!(outcome, sellerlink_store::UpsertOutcome::default());
    let stored = store
        .watermark(connection.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.watermark, newest);
    // Under a released lease too, the empty page is refused.
    assert!(
        store
            .release_lease(&name, &owner("successor"))
            .await
            .unwrap()
    );
    let refused = store
        .import_orders(
            connection.id,
            &[],
            &[],
            later,
            Some(&newest),
            Some(&successor),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::LeaseLost { .. }), "{refused}");
}

async fn claims_take_the_oldest_due_first_merchants_in_turn_and_never_twice(db: Db) {
    let store = &db.store;
    let big = add_merchant(store, "Big").await;
    let small = add_merchant(store, "Small").await;
    let mut big_ids = Vec::new();
    for n in 0..6 {
        let connection = mws_connection(big.id, 10 + n);
        add_connection(store, &connection).await;
        big_ids.push(connection.id);
    }
    let lone = mws_connection(small.id, 99);
    add_connection(store, &lone).await;
    let now = at("2026-03-01T00:00:00Z");
    // The big merchant's connections fell due first, the small one's last.
    for (n, id) in big_ids.iter().enumerate() {
        let due = now - SignedDuration::from_mins(60 - i64::try_from(n).unwrap());
        store.schedule_import(*id, due).await.unwrap();
    }
    store
        .schedule_import(lone.id, now - SignedDuration::from_mins(1))
        .await
        .unwrap();
    store
        .schedule_import(ConnectionId::new(), now)
        .await
        .expect("an unknown connection is ignored");

    let queue = store.import_queue(now).await.unwrap();
    assert_eq!(queue.due, 7);
    assert_eq!(queue.oldest_due, Some(now - SignedDuration::from_mins(60)));
    assert_eq!(store.next_import_due().await.unwrap(), queue.oldest_due);

    let claim = SignedDuration::from_mins(5);
    let first = store.claim_due_imports(now, claim, 2).await.unwrap();
    let first: HashSet<_> = first.into_iter().collect();
    assert_eq!(
        first,
        HashSet::from([big_ids[0], lone.id]),
        "the oldest of each merchant before a second of any"
    );
    assert_eq!(
        store.import_due(lone.id).await.unwrap(),
        now + claim,
        "claimed until the claim ends"
    );
    let rest = store.claim_due_imports(now, claim, 100).await.unwrap();
    assert_eq!(rest.len(), 5);
    assert!(
        rest.iter().all(|id| !first.contains(id)),
        "never claimed twice"
    );
    assert!(
        store
            .claim_due_imports(now, claim, 100)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.import_queue(now).await.unwrap().due, 0);
    assert!(
        !store.claim_import(lone.id, now, claim).await.unwrap(),
        "claimed already"
    );

    // When the claim ends without the worker scheduling it (it crashed), the connection is due again.
    let after = now + claim;
    assert_eq!(
        store
            .claim_due_imports(after, claim, 100)
            .await
            .unwrap()
            .len(),
        7
    );
    assert!(
        store
            .claim_due_imports(now, SignedDuration::ZERO, 1)
            .await
            .is_err(),
        "a claim needs a positive length"
    );
}

async fn a_backlog_longer_than_the_look_ahead_still_leaves_other_merchants_their_turn(db: Db) {
    let store = &db.store;
    let big = add_merchant(store, "Big").await;
    let small = add_merchant(store, "Small").await;
    let limit = 2_u32;
    // The big merchant's backlog alone fills the claim's look-ahead, and all of it fell due before the small
    // merchant's one connection.
    let backlog = usize::try_from(i64::from(limit) * CLAIM_LOOK_AHEAD).unwrap() + 3;
    let now = at("2026-03-01T00:00:00Z");
    let mut big_ids = Vec::new();
    for n in 0..backlog {
        let connection = mws_connection(big.id, 100 + u32::try_from(n).unwrap());
        add_connection(store, &connection).await;
        let due = now - SignedDuration::from_mins(600 - i64::try_from(n).unwrap());
        store.schedule_import(connection.id, due).await.unwrap();
        big_ids.push(connection.id);
    }
    let lone = mws_connection(small.id, 99);
    add_connection(store, &lone).await;
    store.schedule_import(lone.id, now).await.unwrap();

    let claim = SignedDuration::from_mins(5);
    let first: HashSet<_> = store
        .claim_due_imports(now, claim, limit)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(
        first,
        HashSet::from([big_ids[0], lone.id]),
        "the lone connection is claimed in its merchant's turn, not after the whole backlog"
    );
    // With the small merchant served, the backlog goes oldest first.
    let next: HashSet<_> = store
        .claim_due_imports(now, claim, limit)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(next, HashSet::from([big_ids[1], big_ids[2]]));
}

async fn racing_workers_split_the_due_connections_without_overlap(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    for n in 0..40 {
        add_connection(store, &mws_connection(merchant.id, 100 + n)).await;
    }
    let now = at("2026-03-01T00:00:00Z");
    let claim = SignedDuration::from_mins(5);
    let workers = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store.claim_due_imports(now, claim, 3).await.unwrap();
                if claimed.is_empty() {
                    return mine;
                }
                mine.extend(claimed);
            }
        })
    });
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 40, "every connection claimed");
    assert_eq!(distinct.len(), 40, "none claimed twice");
}

on_both_engines!(
    a_lease_gets_a_new_token_each_time_it_changes_hands_never_on_renewal,
    a_write_under_a_lost_lease_writes_nothing,
    claims_take_the_oldest_due_first_merchants_in_turn_and_never_twice,
    a_backlog_longer_than_the_look_ahead_still_leaves_other_merchants_their_turn,
    racing_workers_split_the_due_connections_without_overlap,
);

async fn the_queue_counts_what_is_due_and_how_long_it_waited(db: Db) {
    let store = &db.store;
    let now = at("2026-03-01T00:00:00Z");
    let empty = store.import_queue(now).await.unwrap();
    assert_eq!((empty.due, empty.oldest_due), (0, None));
    assert_eq!(store.next_import_due().await.unwrap(), None);
    let connection = merchant_with_connection(store, "Acme", 1).await;
    assert_eq!(
        store.import_due(connection.id).await.unwrap(),
        connection.created_at,
        "a new connection is due from its creation"
    );
    let later = now + SignedDuration::from_mins(10);
    store.schedule_import(connection.id, later).await.unwrap();
    assert_eq!(store.import_queue(now).await.unwrap().due, 0);
    assert_eq!(store.next_import_due().await.unwrap(), Some(later));
    assert_eq!(
        store.due_imports(later, 10).await.unwrap(),
        vec![connection.id]
    );
    let queue = store.import_queue(later).await.unwrap();
    assert_eq!((queue.due, queue.oldest_due), (1, Some(later)));
}

on_both_engines!(the_queue_counts_what_is_due_and_how_long_it_waited);

/// A long import renews its lease and with it its claim: the connection stays out of other workers' claims for as
/// long as the import runs, while a connection that is due (nobody's claim) or scheduled far ahead is not touched.
async fn a_claim_is_extended_while_its_import_runs(db: Db) {
    let store = &db.store;
    let claimed = merchant_with_connection(store, "Acme", 1).await;
    let due = merchant_with_connection(store, "Brio", 2).await;
    let later = merchant_with_connection(store, "Cura", 3).await;
    let now = at("2026-03-01T00:00:00Z");
    let claim = SignedDuration::from_mins(5);
    store.schedule_import(claimed.id, now).await.unwrap();
    store.schedule_import(due.id, now).await.unwrap();
    let far = now + SignedDuration::from_hours(2);
    store.schedule_import(later.id, far).await.unwrap();
    assert!(store.claim_import(claimed.id, now, claim).await.unwrap());

    // Four minutes in, the import renews: its claim now ends five minutes from then.
    let renewal = now + SignedDuration::from_mins(4);
    assert!(
        store
            .extend_import_claim(claimed.id, renewal, claim)
            .await
            .unwrap()
    );
    assert_eq!(store.import_due(claimed.id).await.unwrap(), renewal + claim);
    // Neither a connection due now nor one scheduled beyond the claim is moved.
    let (due_before, far_before) = (
        store.import_due(due.id).await.unwrap(),
        store.import_due(later.id).await.unwrap(),
    );
    for id in [due.id, later.id] {
        assert!(!store.extend_import_claim(id, renewal, claim).await.unwrap());
    }
    assert_eq!(store.import_due(due.id).await.unwrap(), due_before);
    assert_eq!(store.import_due(later.id).await.unwrap(), far_before);

    let past_first_claim = now + SignedDuration::from_mins(6);
    let others = store
        .claim_due_imports(past_first_claim, claim, 10)
        .await
        .unwrap();
    assert_eq!(
        others,
        vec![due.id],
        "the running import is not claimed again"
    );
}

on_both_engines!(a_claim_is_extended_while_its_import_runs);
