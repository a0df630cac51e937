//! One order that does not read never stops a connection, through either API: it is quarantined (without buyer
//! data, alerted once), the rest of the page is imported and the watermark moves; once Amazon serves it readably, the
//! next import stores it and clears the quarantine.

use jiff::SignedDuration;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_store::AuditFilter;
use sellerlink_sync::ImportOutcome;
use sellerlink_testkit::sandbox_control::Malformation;
use serde_json::json;

use crate::compare::watermark;
use crate::sandbox::Options;
use crate::setup::{Api, World};

/// What a quarantined order looks like through one API.
struct Quarantined {
    seed: u64,
    /// How the kept fragment of the order starts.
    raw_starts_with: &'static str,
    /// Elements or keys of buyer data that must not be kept.
    buyer_data: [&'static str; 2],
    /// One of these names the field that does not read.
    reason_names: &'static [&'static str],
}

fn quarantined(api: Api) -> Quarantined {
    match api {
        Api::Mws => Quarantined {
            seed: 32,
            raw_starts_with: "<Order>",
            buyer_data: ["<ShippingAddress>", "<BuyerName>"],
            reason_names: &["PurchaseDate"],
        },
        Api::SpApi => Quarantined {
            seed: 31,
            raw_starts_with: "{",
            buyer_data: ["\"buyer\"", "\"recipient\""],
            reason_names: &["createdTime", "date"],
        },
    }
}

async fn place(world: &World, sku: &str) -> String {
    let seller = &world.linked.seller_id;
    let order = world
        .sandbox
        .control
        .place_order(
            seller,
            json!({ "items": [{"sku": sku, "quantity": 1, "unit_price": 1200}] }),
        )
        .await;
    order["amazon_order_id"]
        .as_str()
        .expect("the sandbox names the order")
        .to_owned()
}

async fn malform(world: &World, order: &str, malformation: Malformation) {
    world
        .sandbox
        .control
        .set_malformed(&world.linked.seller_id, order, malformation)
        .await;
}

async fn quarantine_alerts(world: &World) -> usize {
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

async fn an_unreadable_order_is_quarantined_and_the_rest_of_the_page_imported(api: Api) {
    let expected = quarantined(api);
    let world = World::start(api, Options::generated(expected.seed, 40)).await;
    let id = world.id();
    let seller = world.linked.seller_id.clone();
    let first = world.importer.run_once(id).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);
    let before = watermark(world.store(), id).await.unwrap();

    // Two new orders: one that reads (through SP-API also without the model's optional fields, which only the
    // 2026-01-01 model leaves out) and one that cannot be read at all.
    let readable = place(&world, "SPARSE-01").await;
    let odd = place(&world, "ODD-02").await;
    if api == Api::SpApi {
        malform(&world, &readable, Malformation::OptionalFieldsMissing).await;
    }
    malform(&world, &odd, Malformation::Unreadable).await;
    world.sandbox.advance(SignedDuration::from_mins(3)).await;

    let run = world.importer.run_once(id).await.unwrap();
    assert_eq!(run.outcome, ImportOutcome::Completed, "{:?}", run.error);
    let after = watermark(world.store(), id).await.unwrap();
    assert!(after > before, "the watermark moved ({before} → {after})");
    let readable_id = AmazonOrderId::parse(&readable).unwrap();
    let stored = world.store().order(id, &readable_id).await.unwrap();
    let stored = stored.expect("the readable order is imported");
    if api == Api::SpApi {
        assert_eq!(stored.order.marketplace_id.as_str(), "A1VC38T7YXB528");
        assert_eq!(stored.order.items[0].asin, "");
    }
    let odd_id = AmazonOrderId::parse(&odd).unwrap();
    assert!(world.store().order(id, &odd_id).await.unwrap().is_none());
    let quarantined = world.store().quarantined_orders(Some(id)).await.unwrap();
    assert_eq!(quarantined.len(), 1, "{quarantined:?}");
    assert_eq!(quarantined[0].order_key, odd);
    assert!(
        expected
            .reason_names
            .iter()
            .any(|name| quarantined[0].reason.contains(name)),
        "the reason says what does not read: {}",
        quarantined[0].reason
    );
    assert!(
        quarantined[0].raw.starts_with(expected.raw_starts_with),
        "{}",
        quarantined[0].raw
    );
    assert!(quarantined[0].raw.contains("not-a-date"), "stored raw");
    assert!(
        expected
            .buyer_data
            .iter()
            .all(|buyer_data| !quarantined[0].raw.contains(buyer_data)),
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
    world.sandbox.control.clear_malformed(&seller, &odd).await;
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

on_both_apis!(an_unreadable_order_is_quarantined_and_the_rest_of_the_page_imported);
