//! Several workers on one database: a connection claimed while another process holds its lease is tried again
//! within seconds — when that lease ends, if sooner — so that neither a brief hold by another worker's shipments
//! nor a worker killed mid-import keeps the connection waiting half a minute.

use std::time::Duration;

use jiff::SignedDuration;
use sellerlink_store::{LeaseName, LeaseOwner};
use sellerlink_sync::{ImportOutcome, Scheduler, SchedulerConfig};

use crate::sandbox::{Options, Sandbox};
use crate::setup::World;

async fn world() -> World {
    let sandbox = Sandbox::start(Options {
        orders: 10,
        ..Options::default()
    })
    .await;
    World::new(sandbox).await
}

fn scheduler(world: &World) -> Scheduler {
    Scheduler::new(
        world.importer.clone(),
        SchedulerConfig {
            interval: SignedDuration::from_mins(10),
            jitter: SignedDuration::ZERO,
            max_concurrent: 1,
            poll: Duration::from_millis(20),
            recheck_denied: None,
        },
    )
}

/// A worker in another container (so not provably gone).
fn other_worker() -> LeaseOwner {
    LeaseOwner::parse("sellerlink@other-host:4026532001:1:7#0123456789ab").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_held_by_a_killed_worker_is_due_again_when_its_lease_ends() {
    let world = world().await;
    let store = world.store();
    let now = world.sandbox.now();
    // Killed mid-import: its lease runs one second more, and nobody renews it.
    let lease_ttl = SignedDuration::from_secs(1);
    let fence = store
        .acquire_lease(
            &LeaseName::sync(world.id()),
            &other_worker(),
            now,
            lease_ttl,
        )
        .await
        .unwrap();
    assert!(fence.is_some(), "the lease was free");

    let scheduler = scheduler(&world);
    let runs = scheduler.tick(now).await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0].result.as_ref().unwrap().outcome,
        ImportOutcome::LeaseHeld
    );
    let lease_end = now + lease_ttl;
    let due = store.import_due(world.id()).await.unwrap();
    assert!(
        due <= lease_end,
        "due again when the killed worker's lease ends ({lease_end}), not later: due {due}"
    );
    assert!(due > now, "not before: due {due}, now {now}");

    // Once the lease has ended, the next claim imports the connection.
    while world.sandbox.now() <= lease_end {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let runs = scheduler.tick(world.sandbox.now()).await.unwrap();
    assert_eq!(runs.len(), 1, "claimed again when the lease ended");
    let report = runs[0].result.as_ref().unwrap();
    assert_eq!(report.outcome, ImportOutcome::Completed, "{report:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_another_worker_holds_for_its_shipments_is_due_again_within_seconds() {
    let world = world().await;
    let store = world.store();
    let now = world.sandbox.now();
    // Another worker's shipper holds the lease (taken for the usual 5 minutes, released once it has sent).
    let fence = store
        .acquire_lease(
            &LeaseName::sync(world.id()),
            &other_worker(),
            now,
            SignedDuration::from_mins(5),
        )
        .await
        .unwrap();
    assert!(fence.is_some(), "the lease was free");

    let scheduler = scheduler(&world);
    let runs = scheduler.tick(now).await.unwrap();
    assert_eq!(
        runs[0].result.as_ref().unwrap().outcome,
        ImportOutcome::LeaseHeld
    );
    let due = store.import_due(world.id()).await.unwrap();
    let soon = now + SignedDuration::from_secs(5);
    assert!(
        due <= soon,
        "tried again within seconds ({soon}), not half a minute later: due {due}"
    );

    // The shipper is done: the next try imports.
    assert!(
        store
            .release_lease(&LeaseName::sync(world.id()), &other_worker())
            .await
            .unwrap()
    );
    while world.sandbox.now() < due {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let runs = scheduler.tick(world.sandbox.now()).await.unwrap();
    assert_eq!(runs.len(), 1, "claimed again");
    let report = runs[0].result.as_ref().unwrap();
    assert_eq!(report.outcome, ImportOutcome::Completed, "{report:?}");
}
