//! Leases keep two workers off one connection; a cancelled run stops without moving the watermark.

use jiff::SignedDuration;
use sellerlink_store::{LeaseName, LeaseOwner, LeaseProcess, SyncOutcome};
use sellerlink_sync::{ImportOutcome, RunOptions};
use tokio_util::sync::CancellationToken;

use crate::compare::{stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_leased_by_another_worker_is_left_alone_until_the_lease_lapses() {
    let world = World::new(
        Sandbox::start(Options {
            orders: 50,
            ..Options::default()
        })
        .await,
    )
    .await;
    let (store, id) = (world.store(), world.id());
    let other = LeaseOwner::parse("worker@other-node").unwrap();
    let now = world.sandbox.now();
    let ttl = SignedDuration::from_mins(5);
    assert!(
        store
            .try_acquire_lease(&LeaseName::sync(id), &other, now, ttl)
            .await
            .unwrap()
    );

    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(report.outcome, ImportOutcome::LeaseHeld);
    assert_eq!(report.run_id, None);
    let holder = report
        .lease_holder
        .as_ref()
        .expect("the holder is reported");
    assert_eq!(holder.owner, other);
    let stored_to_the_millisecond = holder.expires_at.duration_until(now + ttl);
    assert!(
        !stored_to_the_millisecond.is_negative()
            && stored_to_the_millisecond < SignedDuration::from_millis(1)
    );
    let message = report.lease_held_message().unwrap();
    assert!(
        message.contains("worker@other-node") && message.contains(&holder.expires_at.to_string()),
        "{message}"
    );
    assert!(
        store.sync_runs(id, 10).await.unwrap().is_empty(),
        "no run is recorded"
    );

    // The other worker died: once its lease lapses, this worker takes over.
    world
        .sandbox
        .advance(ttl + SignedDuration::from_secs(1))
        .await;
    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    let lease = store.lease(&LeaseName::sync(id)).await.unwrap();
    assert!(
        lease.is_none(),
        "the lease is released after the run: {lease:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lease_whose_holder_process_has_ended_is_taken_over_at_once() {
    let world = World::new(
        Sandbox::start(Options {
            orders: 50,
            ..Options::default()
        })
        .await,
    )
    .await;
    let (store, id) = (world.store(), world.id());
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    let pid = ended.id();
    ended.wait().unwrap();
    let here = LeaseProcess::current().expect("Linux tells this process's host");
    let namespace = here.pid_namespace;
    let crashed =
        LeaseOwner::parse(&format!("sellerlink@{}:{namespace}:{pid}:1", here.host)).unwrap();
    let alive = LeaseOwner::parse(&format!("sellerlink@{here}")).unwrap();
    let elsewhere = LeaseOwner::parse(&format!(
        "sellerlink@{}-other:{namespace}:{pid}:1",
        here.host
    ))
    .unwrap();
    let now = world.sandbox.now();
    let ttl = SignedDuration::from_mins(5);
    let lease = LeaseName::sync(id);

    for holder in [&alive, &elsewhere] {
        assert!(
            store
                .try_acquire_lease(&lease, holder, now, ttl)
                .await
                .unwrap()
        );
        let report = world.importer.run_once(id).await.unwrap();
        assert_eq!(
            report.outcome,
            ImportOutcome::LeaseHeld,
            "{holder} may be alive"
        );
        assert!(store.release_lease(&lease, holder).await.unwrap());
    }

    assert!(
        store
            .try_acquire_lease(&lease, &crashed, now, ttl)
            .await
            .unwrap()
    );
    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    assert!(report.orders_new > 0);
    assert_eq!(
        store.lease(&lease).await.unwrap(),
        None,
        "released after the run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_is_recorded_as_interrupted_and_moves_nothing() {
    let world = World::new(
        Sandbox::start(Options {
            orders: 50,
            ..Options::default()
        })
        .await,
    )
    .await;
    let (store, id) = (world.store(), world.id());
    let cancel = CancellationToken::new();
    cancel.cancel();
    let options = RunOptions {
        progress: None,
        cancel: Some(cancel),
    };
    let report = world.importer.run_once_with(id, options).await.unwrap();
    assert_eq!(report.outcome, ImportOutcome::Failed);
    assert_eq!(
        report.error.as_ref().map(|e| e.kind.as_str()),
        Some("interrupted")
    );
    assert_eq!(watermark(store, id).await, None);
    assert!(stored_orders(store, id).await.is_empty());
    let run = store
        .last_sync_run(id)
        .await
        .unwrap()
        .unwrap()
        .result
        .unwrap();
    assert_eq!(run.outcome, SyncOutcome::Failed);

    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "the next run imports everything"
    );
}
