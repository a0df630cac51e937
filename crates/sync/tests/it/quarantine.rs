//! MWS: one `<Order>` that does not read never stops a connection: it is quarantined, the rest of the page is
//! imported and the watermark moves; once Amazon serves it readably, the next import stores it.

use jiff::SignedDuration;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_sync::ImportOutcome;
use serde_json::json;

use crate::compare::watermark;
use crate::sandbox::{Options, Sandbox};
use crate::setup::World;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_mws_order_is_quarantined_and_the_rest_of_the_page_imported() {
    let world = World::new(
        Sandbox::start(Options {
            seed: 32,
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

    let mut placed = Vec::new();
    for sku in ["MWS-GOOD-01", "MWS-ODD-02"] {
        let order = world
            .sandbox
            .post(
                &format!("/_sandbox/sellers/{seller}/orders"),
                json!({ "items": [{"sku": sku, "quantity": 1, "unit_price": 1200}] }),
            )
            .await;
        placed.push(order["amazon_order_id"].as_str().unwrap().to_owned());
    }
    let odd = &placed[1];
    world
        .sandbox
        .put(
            &format!("/_sandbox/sellers/{seller}/orders/{odd}/malformed"),
            json!({ "kind": "unreadable" }),
        )
        .await;
    world.sandbox.advance(SignedDuration::from_mins(3)).await;

    let run = world.importer.run_once(id).await.unwrap();
    assert_eq!(run.outcome, ImportOutcome::Completed, "{:?}", run.error);
    assert!(watermark(world.store(), id).await.unwrap() > before);
    let good = AmazonOrderId::parse(&placed[0]).unwrap();
    assert!(world.store().order(id, &good).await.unwrap().is_some());
    let odd_id = AmazonOrderId::parse(odd).unwrap();
    assert!(world.store().order(id, &odd_id).await.unwrap().is_none());
    let quarantined = world.store().quarantined_orders(Some(id)).await.unwrap();
    assert_eq!(quarantined.len(), 1, "{quarantined:?}");
    assert_eq!(&quarantined[0].order_key, odd);
    assert!(
        quarantined[0].raw.starts_with("<Order>"),
        "{}",
        quarantined[0].raw
    );
    assert!(
        !quarantined[0].raw.contains("<ShippingAddress>")
            && !quarantined[0].raw.contains("<BuyerName>"),
        "buyer data is not kept: {}",
        quarantined[0].raw
    );

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
