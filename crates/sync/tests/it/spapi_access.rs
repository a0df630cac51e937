//! SP-API access lost mid-import (the 365 days pass, the seller revokes, the app's client secret expires): the
//! connection pauses with a classified cause, and resumes without a gap once access is back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiff::SignedDuration;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::ConnectionStatus;
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_sandbox::world::lock;
use sellerlink_store::{AuditFilter, SyncOutcome};
use sellerlink_sync::{ImportOutcome, Progress, RunOptions, VerifyOutcome};
use serde_json::json;

use crate::compare::watermark;
use crate::sandbox::{Options, Sandbox};
use crate::spapi_setup::SpApiWorld;

/// Runs an import that calls `during` once, right after its first page is committed.
fn after_first_page(during: impl Fn() + Send + Sync + 'static) -> RunOptions {
    let done = AtomicBool::new(false);
    RunOptions {
        progress: Some(Arc::new(move |progress: &Progress| {
            if progress.pages == 1 && !done.swap(true, Ordering::SeqCst) {
                during();
            }
        })),
        cancel: None,
    }
}

async fn assert_paused(world: &SpApiWorld, cause: RefusalCause) {
    let connection = world
        .store()
        .connection(world.id())
        .await
        .unwrap()
        .connection;
    assert_eq!(
        connection.status(world.sandbox.now(), &StatusPolicy::default()),
        ConnectionStatus::AccessDenied
    );
    assert_eq!(connection.grant.access_denied.map(|d| d.cause), Some(cause));
    let runs_before = world
        .store()
        .sync_runs(world.id(), 100)
        .await
        .unwrap()
        .len();
    let again = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        again.outcome,
        ImportOutcome::Paused,
        "later runs stay paused without calling Amazon"
    );
    assert_eq!(
        world
            .store()
            .sync_runs(world.id(), 100)
            .await
            .unwrap()
            .len(),
        runs_before
    );
}

async fn assert_resumes(world: &SpApiWorld) {
    let VerifyOutcome::Verified(verified) =
        world.importer.verify_connection(world.id()).await.unwrap()
    else {
        panic!("access is back, so the connection verifies");
    };
    assert!(verified.cleared_access_denied);
    let report = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    world.assert_equal_to_sandbox().await;
}

async fn add_orders(world: &SpApiWorld, count: usize) {
    let seller = &world.linked.seller_id;
    for n in 0..count {
        world
            .sandbox
            .post(
                &format!("/_sandbox/sellers/{seller}/orders"),
                json!({ "items": [{ "sku": format!("SP-PAUSE-{n:04}"), "quantity": 1, "unit_price": 500 }] }),
            )
            .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lapse_revocation_and_an_expired_app_secret_pause_the_connection_and_it_resumes_without_a_gap()
 {
    let mut world = SpApiWorld::new(
        Sandbox::start(Options {
            seed: 34,
            orders: 450,
            ..Options::default()
        })
        .await,
    )
    .await;
    let id = world.id();
    let seller = world.linked.seller_id.clone();
    let app_id = world.app.application_id.clone();
    let sandbox_world = world.sandbox.running.world();

    // searchOrders pages come without item calls in between, so the lister would read the whole window before
    // the first commit; slowing each page down lets the changes below land while pages are still to be read.
    world
        .sandbox
        .put(
            "/_sandbox/faults/searchOrders",
            json!({ "slow": 1.0, "slow_ms": 300 }),
        )
        .await;

    // 1. The authorization reaches its 365th day while the first import runs: the page already committed stays,
    //    the watermark does not move, and the refusal is recorded as the seller's to fix (invalid_grant).
    let (w, s, a) = (sandbox_world.clone(), seller.clone(), app_id.clone());
    let options = after_first_page(move || {
        let mut world = lock(&w);
        let now = world.now();
        world
            .lwa_mut()
            .expire_now(&s, &a, now)
            .expect("the authorization lapses");
    });
    let report = world.importer.run_once_with(id, options).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    assert!(
        report.pages >= 1 && report.pages < 5,
        "{} pages committed before the refusal",
        report.pages
    );
    assert_eq!(report.watermark, None);
    let error = report.error.expect("the refusal is reported");
    assert_eq!(error.kind, RefusalCause::AuthorizationLost.code());
    assert!(
        error.message.contains("revoked, malformed or invalid"),
        "{}",
        error.message
    );
    assert_eq!(
        watermark(world.store(), id).await,
        None,
        "the watermark did not move"
    );
    let run = world
        .store()
        .last_sync_run(id)
        .await
        .unwrap()
        .unwrap()
        .result
        .unwrap();
    assert_eq!(run.outcome, SyncOutcome::PausedAccessDenied);
    assert_paused(&world, RefusalCause::AuthorizationLost).await;

    // While paused the seller keeps selling; verification keeps failing (LWA invalid_grant now).
    world.sandbox.advance(SignedDuration::from_mins(30)).await;
    add_orders(&world, 20).await;
    world.sandbox.advance(SignedDuration::from_hours(2)).await;
    let refused = world.importer.verify_connection(id).await.unwrap();
    assert!(
        matches!(
            refused,
            VerifyOutcome::AccessDenied {
                cause: RefusalCause::AuthorizationLost,
                ..
            }
        ),
        "{refused:?}"
    );

    // The seller re-authorizes: a new refresh token (the lapsed one never works again), verify, caught up.
    let renewed = world.sandbox.authorize_app(&seller).await;
    world.replace_refresh_token(&renewed).await;
    assert_paused(&world, RefusalCause::AuthorizationLost).await;
    assert_resumes(&world).await;

    // 2. The seller revokes the app during an incremental import of several pages.
    add_orders(&world, 230).await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let before = watermark(world.store(), id).await;
    let (w, s, a) = (sandbox_world.clone(), seller.clone(), app_id.clone());
    let options = after_first_page(move || {
        let mut world = lock(&w);
        let now = world.now();
        world
            .lwa_mut()
            .revoke(&s, &a, now)
            .expect("the authorization is revoked");
    });
    let report = world.importer.run_once_with(id, options).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    assert_eq!(
        watermark(world.store(), id).await,
        before,
        "the watermark stays where it was"
    );
    assert_paused(&world, RefusalCause::AuthorizationLost).await;
    let renewed = world.sandbox.authorize_app(&seller).await;
    world.replace_refresh_token(&renewed).await;
    world.sandbox.delete("/_sandbox/faults").await;
    assert_resumes(&world).await;

    // 3. The operator lets the app's client secret expire: once the cached access token is gone, LWA answers
    //    invalid_client and the connection pauses for the operator (invalid_client), not for the seller.
    world
        .sandbox
        .post(&format!("/_sandbox/apps/{app_id}/secret/expire"), json!({}))
        .await;
    world.sandbox.advance(SignedDuration::from_hours(2)).await;
    add_orders(&world, 5).await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let report = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::PausedAccessDenied,
        "{:?}",
        report.error
    );
    assert_eq!(
        report.error.as_ref().map(|e| e.kind.as_str()),
        Some(RefusalCause::AppCredentialsRejected.code())
    );
    assert_paused(&world, RefusalCause::AppCredentialsRejected).await;
    // The operator rotates the secret and restarts with it; the seller's refresh token is untouched.
    world
        .sandbox
        .post(&format!("/_sandbox/apps/{app_id}/secret/rotate"), json!({}))
        .await;
    world.app = world.sandbox.demo_app().await;
    let settings = world.sandbox.spapi_settings(&world.app);
    world.reconfigure(&settings);
    assert_resumes(&world).await;

    let filter = AuditFilter {
        connection: Some(id),
        ..AuditFilter::default()
    };
    let actions: Vec<(AuditAction, String)> = world
        .store()
        .audit_entries(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|record| (record.entry.action, record.entry.actor.as_str().to_owned()))
        .collect();
    let denied = actions
        .iter()
        .filter(|(action, _)| *action == AuditAction::AccessDenied)
        .count();
    let cleared = actions
        .iter()
        .filter(|(action, _)| *action == AuditAction::AccessDeniedCleared)
        .count();
    assert_eq!(
        (denied, cleared),
        (3, 3),
        "one refusal per incident (part 1's verification repeats the run's refusal and logs nothing new), each \
         cleared once: {actions:?}"
    );
    assert!(
        actions
            .iter()
            .all(|(action, actor)| actor == "system:sync" || *action != AuditAction::AccessDenied)
    );
}
