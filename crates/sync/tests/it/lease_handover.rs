//! Imports of one connection that one process runs one after another hand its lease over cleanly: the page's
//! import after connecting ends while the scheduler's import of the same connection waits for it on another thread
//! (or the scheduler's import runs when the demo clock is moved and the import that move starts waits for it). The
//! one that waited must keep the lease it gets: the store's copy of the lease is given back before it takes the
//! lease, never after, or its writes would be refused as if another worker had taken over.

use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Engine, Lease, LeaseName, LeaseOwner, Store};
use sellerlink_sync::{Acquired, LeasePurpose, SellerLeases};
use sellerlink_testkit::database;

/// Imports of the one connection asked for at once, each in a task of its own.
const IMPORTS: usize = 4;
/// How many times each of them imports.
const RUNS: usize = 25;

/// One import's turns: takes the import lease `RUNS` times, reads the store's lease while holding it (as every
/// fenced write does), and gives it back. Returns what the store held on the turns the lease was no longer this
/// import's.
async fn take_turns(
    leases: SellerLeases,
    store: Store,
    connection: ConnectionId,
) -> Vec<Option<Lease>> {
    let name = LeaseName::sync(connection);
    let mut lost = Vec::new();
    for _ in 0..RUNS {
        let lease = match leases.acquire(connection, LeasePurpose::Import).await {
            Ok(Acquired::Held(lease)) => lease,
            Ok(Acquired::Elsewhere(holder)) => {
                panic!("only this process takes the lease, yet it is held by {holder:?}")
            }
            Err(error) => panic!("the store failed: {error}"),
        };
        // The page's run writes its first page a moment after it took the lease; by then an earlier run's
        // release has reached the store.
        tokio::task::yield_now().await;
        let stored = store.lease(&name).await.expect("the lease reads");
        let ours = stored.as_ref().is_some_and(|stored| {
            stored.owner == *leases.owner() && stored.token == lease.fence().token
        });
        if !ours {
            lost.push(stored);
        }
        lease.release().await;
    }
    lost
}

async fn imports_waiting_for_one_another_keep_the_lease_they_get(engine: Engine) {
    database::run_on(engine, |database| async move {
        let store = database.migrated_store().await;
        let leases = SellerLeases::new(
            store.clone(),
            Arc::new(SystemClock),
            LeaseOwner::of_this_process("worker").expect("a valid owner"),
            SignedDuration::from_mins(5),
        );
        let connection = ConnectionId::new();
        let imports: Vec<_> = (0..IMPORTS)
            .map(|_| tokio::spawn(take_turns(leases.clone(), store.clone(), connection)))
            .collect();
        for import in imports {
            let lost = import.await.expect("the import's turns end");
            assert!(
                lost.is_empty(),
                "{} of {RUNS} turns lost the lease they had just taken to an earlier run's release: {lost:?}",
                lost.len()
            );
        }
        assert_eq!(
            store
                .lease(&LeaseName::sync(connection))
                .await
                .expect("the lease reads"),
            None,
            "given back after the last run"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_waiting_for_one_another_in_one_process_keep_the_lease_on_sqlite() {
    imports_waiting_for_one_another_keep_the_lease_they_get(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imports_waiting_for_one_another_in_one_process_keep_the_lease_on_postgres() {
    imports_waiting_for_one_another_keep_the_lease_they_get(Engine::Postgres).await;
}
