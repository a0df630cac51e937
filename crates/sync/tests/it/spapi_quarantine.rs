//! One odd order never stops a connection: it is quarantined, the rest of the page is imported and the watermark
//! moves; once Amazon serves it readably, the next import stores it and clears the quarantine.

use jiff::SignedDuration;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_store::AuditFilter;
use sellerlink_sync::ImportOutcome;
use serde_json::json;

use crate::compare::watermark;
use crate::sandbox::{Options, Sandbox};
use crate::spapi_setup::SpApiWorld;

async fn place(world: &SpApiWorld, sku: &str) -> String {
    let seller = &world.linked.seller_id;
    let order = world
        .sandbox
        .post(
            &format!("/_sandbox/sellers/{seller}/orders"),
            json!({ "items": [{"sku": sku, "quantity": 1, "unit_price": 1200}] }),
        )
        .await;
    order["amazon_order_id"]
        .as_str()
        .expect("the sandbox names the order")
        .to_owned()
}

async fn quarantine_alerts(world: &SpApiWorld) -> usize {
    let filter = AuditFilter {
        connection: Some(world.id()),
        ..AuditFilter::default()
    };
    let entries = world.store().audit_entries(&filter).await.unwrap();
    entries
        .iter()
        .filter(|record| record.entry.action == AuditAction::OrderQuarantined)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_spapi_order_is_quarantined_and_the_rest_of_the_page_imported() {
    let world = SpApiWorld::new(
        Sandbox::start(Options {
            seed: 31,
            orders: 40,
            ..Options::default()
        })
        .await,
    )
    .await;
    let id = world.id();
    let seller = world.linked.seller_id.clone();
    let first = world.importer.run_once(id).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);
    let before = watermark(world.store(), id).await.unwrap();

    // Two new orders: one without the model's optional fields, one that cannot be read at all.
    let sparse = place(&world, "SPARSE-01").await;
    let odd = place(&world, "ODD-02").await;
    for (order, kind) in [(&sparse, "optional_fields_missing"), (&odd, "unreadable")] {
        world
            .sandbox
            .put(
                &format!("/_sandbox/sellers/{seller}/orders/{order}/malformed"),
                json!({ "kind": kind }),
            )
            .await;
    }
    world.sandbox.advance(SignedDuration::from_mins(3)).await;

    let run = world.importer.run_once(id).await.unwrap();
    assert_eq!(run.outcome, ImportOutcome::Completed, "{:?}", run.error);
    let after = watermark(world.store(), id).await.unwrap();
    assert!(after > before, "the watermark moved ({before} → {after})");
    let sparse_id = AmazonOrderId::parse(&sparse).unwrap();
    let stored = world.store().order(id, &sparse_id).await.unwrap();
    let stored = stored.expect("the order without optional fields is imported");
    assert_eq!(stored.order.marketplace_id.as_str(), "A1VC38T7YXB528");
    assert_eq!(stored.order.items[0].asin, "");
    let odd_id = AmazonOrderId::parse(&odd).unwrap();
    assert!(world.store().order(id, &odd_id).await.unwrap().is_none());
    let quarantined = world.store().quarantined_orders(Some(id)).await.unwrap();
    assert_eq!(quarantined.len(), 1, "{quarantined:?}");
    assert_eq!(quarantined[0].order_key, odd);
    assert!(
        quarantined[0].reason.contains("createdTime") || quarantined[0].reason.contains("date"),
        "the reason says what does not read: {}",
        quarantined[0].reason
    );
    assert!(quarantined[0].raw.contains("not-a-date"), "stored raw");
    assert!(
        !quarantined[0].raw.contains("\"buyer\"") && !quarantined[0].raw.contains("\"recipient\""),
        "buyer data is not kept in the quarantine: {}",
        quarantined[0].raw
    );
    assert_eq!(quarantine_alerts(&world).await, 1);

    // Still unreadable: retried, still quarantined, alerted once only.
    world.sandbox.advance(SignedDuration::from_mins(1)).await;
    let again = world.importer.run_once(id).await.unwrap();
    assert_eq!(again.outcome, ImportOutcome::Completed, "{:?}", again.error);
    let quarantined = world.store().quarantined_orders(Some(id)).await.unwrap();
    assert_eq!(quarantined.len(), 1);
    assert!(quarantined[0].attempts >= 2, "{quarantined:?}");
    assert_eq!(quarantine_alerts(&world).await, 1, "alerted once");

    // Amazon serves it readably again: the next import stores it and clears the quarantine.
    world
        .sandbox
        .delete(&format!(
            "/_sandbox/sellers/{seller}/orders/{odd}/malformed"
        ))
        .await;
    world.sandbox.advance(SignedDuration::from_mins(1)).await;
    let fixed = world.importer.run_once(id).await.unwrap();
    assert_eq!(fixed.outcome, ImportOutcome::Completed, "{:?}", fixed.error);
    assert!(world.store().order(id, &odd_id).await.unwrap().is_some());
    assert!(
        world
            .store()
            .quarantined_orders(Some(id))
            .await
            .unwrap()
            .is_empty()
    );
}
