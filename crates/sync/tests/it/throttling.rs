//! Amazon's real quotas (scaled): a paced run is never throttled; an unpaced one backs off and completes.

use sellerlink_sync::ImportOutcome;

use crate::compare::{assert_matches, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{ClientSettings, World};

const SCALE: f64 = 50.0;

async fn throttled_world(pacing: bool) -> World {
    let sandbox = Sandbox::start(Options {
        seed: 44,
        orders: 150,
        throttle_scale: SCALE,
        ..Options::default()
    })
    .await;
    let mut world = World::new(sandbox).await;
    let mut settings = world.sandbox.mws_settings();
    settings.restore_rate_scale = SCALE;
    settings.pacing = pacing;
    world.reconfigure(&ClientSettings::Mws(settings));
    world.sandbox.control.clear_requests().await;
    world
}

async fn import_and_compare(world: &World) -> sellerlink_sync::SyncReport {
    let report = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    let mark = watermark(world.store(), world.id()).await.unwrap();
    let orders = world.sandbox.orders(&world.linked.seller_id).await;
    assert_matches(world.store(), world.id(), &orders, mark).await;
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paced_import_receives_no_throttled_answer() {
    let world = throttled_world(true).await;
    let report = import_and_compare(&world).await;
    assert!(report.item_calls > 100);
    assert_eq!(report.throttled, 0);
    let log = world.sandbox.requests().await;
    assert!(
        log.len() as u64 > report.item_calls,
        "the log holds the whole run"
    );
    let throttled: Vec<_> = log.iter().filter(|entry| entry.status == 503).collect();
    assert!(
        throttled.is_empty(),
        "{} throttled answers: {:?}",
        throttled.len(),
        throttled.first()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_pacing_the_engine_backs_off_and_completes() {
    let world = throttled_world(false).await;
    let report = import_and_compare(&world).await;
    assert!(report.throttled > 0, "an unpaced import exceeds the burst");
    let log = world.sandbox.requests().await;
    assert!(log.iter().any(
        |entry| entry.status == 503 && entry.error_code.as_deref() == Some("RequestThrottled")
    ));
}
