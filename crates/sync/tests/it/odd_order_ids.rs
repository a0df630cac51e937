//! Orders whose id is not Amazon's usual 3-7-7 digits — FBA multi-channel `S01-…` ids, non-Amazon channels, test
//! orders; Amazon's models make the id a plain string — are imported like any other through both APIs, never
//! quarantined, and their shipment confirmation reaches Amazon. An id no order could carry is still quarantined.

use jiff::SignedDuration;
use sellerlink_domain::ids::AmazonOrderId;
use sellerlink_sync::{ImportOutcome, ShipmentStep, Shipper};
use serde_json::json;

use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, World};
use crate::shipments::{imported, queue, status_at_amazon};

/// An FBA multi-channel id and a non-Amazon channel's id with punctuation, of another length.
const ODD_IDS: [&str; 2] = ["S01-5512345-7788990", "NA.2026_07+8:x&y=z"];

/// Places one unshipped MFN order of two lines under each id at the seller and lets Amazon's listing lag pass.
async fn place_odd_orders(sandbox: &Sandbox, seller: &str) -> Vec<AmazonOrderId> {
    let mut placed = Vec::new();
    for (n, id) in ODD_IDS.iter().enumerate() {
        let view = sandbox
            .control
            .place_order(
                seller,
                json!({
                    "amazon_order_id": id,
                    "items": [
                        { "sku": format!("ODD-{n}-A"), "quantity": 2, "unit_price": 980 },
                        { "sku": format!("ODD-{n}-B"), "quantity": 1, "unit_price": 1500 },
                    ],
                }),
            )
            .await;
        assert_eq!(view["amazon_order_id"], *id, "{view}");
        let taken = AmazonOrderId::from_amazon(id).unwrap();
        assert!(
            AmazonOrderId::parse(id).is_err(),
            "{id} is not what a person types"
        );
        placed.push(taken);
    }
    sandbox.advance(SignedDuration::from_mins(3)).await;
    placed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_imports_orders_of_other_id_shapes_and_confirms_their_shipment() {
    let world = World::new(
        Sandbox::start(Options {
            seed: 41,
            orders: 30,
            ..Options::default()
        })
        .await,
    )
    .await;
    let seller = world.linked.seller_id.clone();
    let placed = place_odd_orders(&world.sandbox, &seller).await;

    let run = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(run.outcome, ImportOutcome::Completed, "{:?}", run.error);
    let quarantined = world
        .store()
        .quarantined_orders(Some(world.id()))
        .await
        .unwrap();
    assert!(quarantined.is_empty(), "{quarantined:?}");
    let mut shipments = Vec::new();
    for (n, id) in placed.iter().enumerate() {
        let order = imported(world.store(), world.id(), id).await;
        assert_eq!(&order.order.amazon_order_id, id);
        shipments.push(queue(world.store(), &order, &format!("7{n}34-5678-9012")).await);
    }

    // The fulfillment feed names the orders as Amazon sent them; Amazon processes it a minute later.
    let shipper = Shipper::new(world.importer.clone());
    let submitted = shipper.run_once().await.unwrap();
    assert!(
        submitted
            .iter()
            .all(|run| run.step == ShipmentStep::Submitted),
        "{submitted:?}"
    );
    world.sandbox.advance(SignedDuration::from_secs(70)).await;
    shipper.run_once().await.unwrap();
    for (id, shipment) in placed.iter().zip(&shipments) {
        let sent = world.store().shipment(shipment.id).await.unwrap();
        assert_eq!(
            sent.state,
            sellerlink_store::ShipmentState::Confirmed,
            "{sent:?}"
        );
        assert_eq!(
            status_at_amazon(&world.sandbox, &seller, id).await,
            "Shipped"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spapi_imports_orders_of_other_id_shapes_and_confirms_their_shipment() {
    let world = World::on(
        Api::SpApi,
        Sandbox::start(Options {
            seed: 42,
            orders: 30,
            ..Options::default()
        })
        .await,
    )
    .await;
    let seller = world.linked.seller_id.clone();
    let placed = place_odd_orders(&world.sandbox, &seller).await;

    let run = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(run.outcome, ImportOutcome::Completed, "{:?}", run.error);
    let quarantined = world
        .store()
        .quarantined_orders(Some(world.id()))
        .await
        .unwrap();
    assert!(quarantined.is_empty(), "{quarantined:?}");
    let shipper = Shipper::new(world.importer.clone());
    for (n, id) in placed.iter().enumerate() {
        let order = imported(world.store(), world.id(), id).await;
        let shipment = queue(world.store(), &order, &format!("8{n}34-5678-9012")).await;
        // confirmShipment carries the id percent-encoded in its path; Amazon confirms at once.
        let runs = shipper.run_once().await.unwrap();
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!(runs[0].step, ShipmentStep::Confirmed, "{runs:?}");
        let sent = world.store().shipment(shipment.id).await.unwrap();
        assert_eq!(sent.state, sellerlink_store::ShipmentState::Confirmed);
        assert_eq!(
            status_at_amazon(&world.sandbox, &seller, id).await,
            "Shipped"
        );
    }

    // The next import reads them back shipped, still under the ids Amazon gave them.
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let again = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(again.outcome, ImportOutcome::Completed, "{:?}", again.error);
    for id in &placed {
        let order = world.store().order(world.id(), id).await.unwrap().unwrap();
        assert_eq!(
            order.order.status,
            sellerlink_domain::order::OrderStatus::Shipped
        );
    }
}
