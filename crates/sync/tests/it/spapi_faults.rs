//! 500s, 503s, timeouts, dropped connections and truncated bodies on SP-API: the import ends as a clean one does.

use std::time::Duration;

use sellerlink_sync::ImportOutcome;
use serde_json::json;

use crate::compare::stored_orders;
use crate::sandbox::{Options, Sandbox};
use crate::setup::import_config;
use crate::spapi_setup::{SpApiWorld, both_apis_importer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn injected_faults_end_with_the_same_result_as_a_clean_spapi_run() {
    let options = Options {
        seed: 22,
        orders: 1500,
        ..Options::default()
    };
    let clean = SpApiWorld::new(Sandbox::start(options).await).await;
    let mut faulty = SpApiWorld::new(Sandbox::start(options).await).await;
    let mut settings = faulty.sandbox.spapi_settings(&faulty.app);
    settings.request_timeout = Duration::from_millis(600);
    faulty.importer = both_apis_importer(
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
                "internal_error": 0.12,
                "service_unavailable": 0.12,
                "drop_connection": 0.1,
                "truncate_body": 0.1,
                "slow": 0.06,
                "slow_ms": 1500
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
    loop {
        let report = faulty.importer.run_once(faulty.id()).await.unwrap();
        retries += report.retries;
        match report.outcome {
            ImportOutcome::Completed => break,
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
    }
    assert!(
        retries >= 5,
        "the faults were met and retried ({retries} retries)"
    );

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
        world.assert_equal_to_sandbox().await;
    }
}
