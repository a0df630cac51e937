//! The scheduler runs every connection that is due, several at once, skips paused ones, and re-checks paused ones
//! hourly so that access restored in Seller Central resumes the sync by itself.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::SignedDuration;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_secrets::MasterKey;
use sellerlink_store::{AuditFilter, Store};
use sellerlink_sync::{ImportOutcome, Scheduler, SchedulerConfig, VerifyOutcome, WorkReport};
use sellerlink_testkit::sandbox_control::GrantAction;
use tokio_util::sync::CancellationToken;

use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, ClientSettings, Db, Linked, import_config, importer, link_with};

async fn three_sellers() -> (Sandbox, Db, Vec<Linked>) {
    let sandbox = Sandbox::start(Options {
        seed: 9,
        sellers: 3,
        orders: 60,
        ..Options::default()
    })
    .await;
    let db = Db::sqlite().await;
    let key = MasterKey::generate().expect("randomness");
    let mut linked = Vec::new();
    for index in 0..3 {
        let seller = sandbox.seller(index).seller_id;
        let token = sandbox.grant(&seller).await;
        linked.push(link_with(Api::Mws, &db.store, &sandbox, &seller, &token, key.clone()).await);
    }
    (sandbox, db, linked)
}

/// A scheduler over the sellers' store, importing from the sandbox without pacing.
fn scheduler_over(
    sandbox: &Sandbox,
    db: &Db,
    linked: &[Linked],
    config: SchedulerConfig,
) -> Scheduler {
    let importer = importer(
        &db.store,
        sandbox,
        linked[0].keyring.clone(),
        &ClientSettings::Mws(sandbox.mws_settings()),
        import_config(),
    );
    Scheduler::new(importer, config)
}

fn config() -> SchedulerConfig {
    SchedulerConfig {
        interval: SignedDuration::from_mins(10),
        jitter: SignedDuration::ZERO,
        max_concurrent: 2,
        poll: Duration::from_millis(20),
        recheck_denied: Some(SignedDuration::from_hours(1)),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tick_runs_the_connections_due_skips_paused_ones_and_waits_for_the_interval() {
    let (sandbox, db, linked) = three_sellers().await;
    sandbox
        .grant_action(GrantAction::Revoke, &linked[2].seller_id)
        .await;
    let scheduler = scheduler_over(&sandbox, &db, &linked, config());

    let runs = scheduler.tick(sandbox.now()).await.unwrap();
    assert_eq!(runs.len(), 3);
    for run in &runs {
        let outcome = run.result.as_ref().unwrap().outcome;
        let expected = if run.connection_id == linked[2].connection_id {
            ImportOutcome::PausedAccessDenied
        } else {
            ImportOutcome::Completed
        };
        assert_eq!(outcome, expected);
    }

    assert!(
        scheduler.tick(sandbox.now()).await.unwrap().is_empty(),
        "nothing is due again at once"
    );
    let later = sandbox.now() + SignedDuration::from_mins(10) + SignedDuration::from_secs(5);
    let runs = scheduler.tick(later).await.unwrap();
    let mut ids: Vec<_> = runs.iter().map(|run| run.connection_id).collect();
    ids.sort();
    let mut active = vec![linked[0].connection_id, linked[1].connection_id];
    active.sort();
    assert_eq!(ids, active, "the paused connection is skipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_loop_imports_every_connection_and_stops_on_shutdown() {
    let (sandbox, db, linked) = three_sellers().await;
    let scheduler = Arc::new(scheduler_over(&sandbox, &db, &linked, config()));
    let shutdown = CancellationToken::new();
    let worker = tokio::spawn(Arc::clone(&scheduler).run(shutdown.clone()));

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut finished = 0;
        for link in &linked {
            let run = db.store.last_sync_run(link.connection_id).await.unwrap();
            if run.is_some_and(|run| run.result.is_some()) {
                finished += 1;
            }
        }
        if finished == linked.len() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the worker did not import every connection"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .expect("the worker stops on shutdown")
        .expect("the worker did not panic");
    for link in &linked {
        let runs = db.store.sync_runs(link.connection_id, 10).await.unwrap();
        assert_eq!(runs.len(), 1, "one run per connection within the interval");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_worker_leaves_every_connection_it_did_not_import_due_at_once() {
    // Five sellers, two imports at a time, each slowed down: the worker claims two at a time, so when an import
    // ends the next claim can hold a connection that waits for a slot. It is stopped after the second import.
    let sandbox = Sandbox::start(Options {
        seed: 11,
        sellers: 5,
        orders: 20,
        ..Options::default()
    })
    .await;
    let db = Db::sqlite().await;
    let key = MasterKey::generate().expect("randomness");
    let mut linked = Vec::new();
    for index in 0..5 {
        let seller = sandbox.seller(index).seller_id;
        let token = sandbox.grant(&seller).await;
        linked.push(link_with(Api::Mws, &db.store, &sandbox, &seller, &token, key.clone()).await);
    }
    sandbox
        .control
        .set_fault(
            "ListOrders",
            serde_json::json!({ "slow": 1.0, "slow_ms": 300 }),
        )
        .await;
    let scheduler = Arc::new(scheduler_over(&sandbox, &db, &linked, config()));
    let shutdown = CancellationToken::new();
    let completed: Arc<std::sync::Mutex<Vec<ConnectionId>>> = Arc::default();
    let report: WorkReport = {
        let (completed, shutdown) = (Arc::clone(&completed), shutdown.clone());
        Arc::new(move |_check, run| {
            let Some(run) = run else { return };
            let mut completed = completed.lock().unwrap();
            if run
                .result
                .as_ref()
                .is_ok_and(|report| report.outcome == ImportOutcome::Completed)
            {
                completed.push(run.connection_id);
            }
            if completed.len() == 2 {
                shutdown.cancel();
            }
        })
    };
    tokio::time::timeout(
        Duration::from_secs(30),
        Arc::clone(&scheduler).run_reporting(shutdown, report),
    )
    .await
    .expect("the worker stops on shutdown");

    let completed = completed.lock().unwrap().clone();
    assert!(completed.len() >= 2);
    let now = sandbox.now();
    for link in &linked {
        let id = link.connection_id;
        let due = db.store.import_due(id).await.unwrap();
        if completed.contains(&id) {
            assert!(
                due > now,
                "an imported connection is due after the interval"
            );
        } else {
            assert!(
                due <= now,
                "a connection the worker claimed but did not import is handed back due at once, not when its claim ends ({due} > {now})"
            );
        }
    }
}

async fn access_denied_entries(store: &Store, id: ConnectionId) -> usize {
    let filter = AuditFilter {
        connection: Some(id),
        ..AuditFilter::default()
    };
    let entries = store.audit_entries(&filter).await.unwrap();
    entries
        .iter()
        .filter(|record| record.entry.action == AuditAction::AccessDenied)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paused_connection_is_rechecked_hourly_and_resumes_once_the_seller_restores_access() {
    let (sandbox, db, linked) = three_sellers().await;
    let paused = &linked[2];
    sandbox
        .grant_action(GrantAction::ExpireNow, &paused.seller_id)
        .await;
    let scheduler = scheduler_over(&sandbox, &db, &linked, config());

    let runs = scheduler.tick(sandbox.now()).await.unwrap();
    let refused = runs
        .iter()
        .find(|run| run.connection_id == paused.connection_id)
        .unwrap();
    assert_eq!(
        refused.result.as_ref().unwrap().outcome,
        ImportOutcome::PausedAccessDenied
    );
    assert!(
        scheduler
            .rechecks_due(sandbox.now() + SignedDuration::from_mins(59))
            .await
            .unwrap()
            .is_empty(),
        "not re-checked within the hour"
    );

    // An hour later Amazon still refuses: the connection stays paused, and the same refusal is not logged again.
    sandbox.advance(SignedDuration::from_mins(61)).await;
    let checks = scheduler.recheck_paused(sandbox.now()).await.unwrap();
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].connection_id, paused.connection_id);
    assert!(matches!(
        checks[0].result,
        Ok(VerifyOutcome::AccessDenied { .. })
    ));
    assert!(
        scheduler
            .rechecks_due(sandbox.now())
            .await
            .unwrap()
            .is_empty(),
        "the next re-check is an hour after this one"
    );
    assert_eq!(
        access_denied_entries(&db.store, paused.connection_id).await,
        1,
        "one audit entry for the incident"
    );
    let still = db.store.connection(paused.connection_id).await.unwrap();
    assert!(still.connection.grant.access_denied.is_some());

    // The seller restores access in Seller Central and nobody presses "verify now": the next hourly re-check
    // resumes the connection, and the same tick imports it.
    sandbox
        .grant_action(GrantAction::Restore, &paused.seller_id)
        .await;
    sandbox.advance(SignedDuration::from_mins(61)).await;
    let runs = scheduler.tick(sandbox.now()).await.unwrap();
    let resumed = runs
        .iter()
        .find(|run| run.connection_id == paused.connection_id)
        .expect("the resumed connection is imported in the same tick");
    assert_eq!(
        resumed.result.as_ref().unwrap().outcome,
        ImportOutcome::Completed
    );
    let connection = db
        .store
        .connection(paused.connection_id)
        .await
        .unwrap()
        .connection;
    assert!(connection.grant.access_denied.is_none());
    assert!(
        scheduler
            .rechecks_due(sandbox.now() + SignedDuration::from_hours(2))
            .await
            .unwrap()
            .is_empty(),
        "an active connection is not re-checked"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rechecks_can_be_turned_off() {
    let (sandbox, db, linked) = three_sellers().await;
    sandbox
        .grant_action(GrantAction::Revoke, &linked[0].seller_id)
        .await;
    let config = SchedulerConfig {
        recheck_denied: None,
        ..config()
    };
    let scheduler = scheduler_over(&sandbox, &db, &linked, config);
    scheduler.tick(sandbox.now()).await.unwrap();
    sandbox.advance(SignedDuration::from_hours(3)).await;
    assert!(
        scheduler
            .rechecks_due(sandbox.now())
            .await
            .unwrap()
            .is_empty()
    );
}
