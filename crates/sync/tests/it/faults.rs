//! 500s, 503s, timeouts, dropped connections and truncated bodies: the import ends as a clean run does.

use std::time::Duration;

use sellerlink_sync::ImportOutcome;
use serde_json::json;

use crate::compare::{assert_matches, stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{World, import_config, importer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_faults_end_with_the_same_result_as_a_clean_run() {
    let options = Options {
        seed: 21,
        orders: 500,
        ..Options::default()
    };
    let clean = World::new(Sandbox::start(options).await).await;
    let mut faulty = World::new(Sandbox::start(options).await).await;
    let mut settings = faulty.sandbox.mws_settings();
    settings.request_timeout = Duration::from_millis(400);
    faulty.importer = importer(
        faulty.store(),
        &faulty.sandbox,
        faulty.linked.keyring.clone(),
        &settings,
        import_config(),
    );
    faulty
        .sandbox
        .put(
            "/_sandbox/faults/*",
            json!({
                "internal_error": 0.05,
                "service_unavailable": 0.05,
                "drop_connection": 0.04,
                "truncate_body": 0.04,
                "slow": 0.03,
                "slow_ms": 1200
            }),
        )
        .await;

    let report = clean.importer.run_once(clean.id()).await.unwrap();
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    assert_eq!(report.retries, 0);

    let mut failed_runs = 0;
    let mut retries = 0;
    let faulty_report = loop {
        let report = faulty.importer.run_once(faulty.id()).await.unwrap();
        retries += report.retries;
        match report.outcome {
            ImportOutcome::Completed => break report,
            ImportOutcome::Failed => {
                let error = report.error.expect("a failed run says why");
                assert_eq!(
                    error.kind, "transient",
                    "only transient failures are injected: {}",
                    error.message
                );
                failed_runs += 1;
                assert!(failed_runs < 10, "the import never completes");
            }
            other => panic!("unexpected outcome {other:?}"),
        }
    };
    assert!(
        retries > 20,
        "the faults were met and retried ({retries} retries)"
    );
    assert!(faulty_report.error.is_none());

    let log = faulty.sandbox.requests().await;
    for fault in [
        "internal_error",
        "service_unavailable",
        "drop_connection",
        "truncate_body",
    ] {
        assert!(
            log.iter()
                .any(|entry| entry.fault.as_deref() == Some(fault)),
            "no {fault} was injected"
        );
    }
    assert!(
        log.iter()
            .any(|entry| entry.fault.is_none() && entry.status == 200)
    );

    // Same orders, same statuses, same items as the clean run, and both equal their sandbox.
    let clean_orders = stored_orders(clean.store(), clean.id()).await;
    let faulty_orders = stored_orders(faulty.store(), faulty.id()).await;
    assert_eq!(clean_orders.len(), faulty_orders.len());
    for (id, stored) in &clean_orders {
        assert_eq!(
            Some(&stored.order),
            faulty_orders.get(id).map(|o| &o.order),
            "order {id} differs"
        );
    }
    for world in [&clean, &faulty] {
        let mark = watermark(world.store(), world.id()).await.unwrap();
        let orders = world.sandbox.orders(&world.linked.seller_id).await;
        assert_matches(world.store(), world.id(), &orders, mark).await;
    }
}
