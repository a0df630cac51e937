//! 500s, 503s, timeouts, dropped connections and truncated bodies, through either API: the import ends as a clean
//! run does.

use std::time::Duration;

use sellerlink_sync::ImportOutcome;
use serde_json::{Value, json};

use crate::compare::stored_orders;
use crate::sandbox::Options;
use crate::setup::{Api, World};

/// The faults injected into one API's calls, and how often they must have been met.
struct Plan {
    options: Options,
    request_timeout: Duration,
    faults: Value,
    min_retries: u64,
}

fn plan(api: Api) -> Plan {
    match api {
        Api::Mws => Plan {
            options: Options::generated(21, 500),
            request_timeout: Duration::from_millis(400),
            faults: json!({
                "internal_error": 0.05,
                "service_unavailable": 0.05,
                "drop_connection": 0.04,
                "truncate_body": 0.04,
                "slow": 0.03,
                "slow_ms": 1200
            }),
            min_retries: 21,
        },
        // searchOrders pages of 100 carry their items, so far fewer calls: more orders, higher rates.
        Api::SpApi => Plan {
            options: Options::generated(22, 1500),
            request_timeout: Duration::from_millis(600),
            faults: json!({
                "internal_error": 0.12,
                "service_unavailable": 0.12,
                "drop_connection": 0.1,
                "truncate_body": 0.1,
                "slow": 0.06,
                "slow_ms": 1500
            }),
            min_retries: 5,
        },
    }
}

async fn injected_faults_end_with_the_same_result_as_a_clean_run(api: Api) {
    let plan = plan(api);
    let clean = World::start(api, plan.options).await;
    let mut faulty = World::start(api, plan.options).await;
    let settings = faulty.settings().with_request_timeout(plan.request_timeout);
    faulty.reconfigure(&settings);
    faulty.sandbox.control.set_fault("*", plan.faults).await;

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
        retries >= plan.min_retries,
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
        world.assert_equal_to_sandbox().await;
    }
}

on_both_apis!(injected_faults_end_with_the_same_result_as_a_clean_run);
