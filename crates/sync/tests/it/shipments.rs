//! Shipment confirmations through the sandbox, both APIs: queued in the store, sent by the [`Shipper`], and
//! Amazon's state checked afterwards — MWS through a feed processed a minute later, SP-API at once; a cancelled
//! order refused with Amazon's reason; a revoked grant pausing the connection while the shipment waits.

use jiff::SignedDuration;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::{OrderStatus, StoredOrder};
use sellerlink_store::{
    AuditFilter, NewShipment, ShipmentId, ShipmentLine, ShipmentRecord, ShipmentState, Store,
};
use sellerlink_sync::{ImportOutcome, ShipmentStep, Shipper};
use sellerlink_testkit::sandbox_control::GrantAction;
use serde_json::json;

use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, World};

/// Places `count` unshipped MFN orders of two lines at the seller, lets Amazon's two-minute listing lag pass, and
/// returns their ids.
async fn place_orders(sandbox: &Sandbox, seller: &str, count: usize) -> Vec<AmazonOrderId> {
    let mut ids = Vec::new();
    for n in 0..count {
        let view = sandbox
            .control
            .place_order(
                seller,
                json!({ "items": [
                    { "sku": format!("SHIP-{n}-A"), "quantity": 2, "unit_price": 980 },
                    { "sku": format!("SHIP-{n}-B"), "quantity": 1, "unit_price": 1500 },
                ] }),
            )
            .await;
        ids.push(AmazonOrderId::parse(view["amazon_order_id"].as_str().unwrap()).unwrap());
    }
    sandbox.advance(SignedDuration::from_mins(3)).await;
    ids
}

/// The imported order `id`.
pub(crate) async fn imported(
    store: &Store,
    connection: ConnectionId,
    id: &AmazonOrderId,
) -> StoredOrder {
    let order = store
        .order(connection, id)
        .await
        .unwrap()
        .expect("the order was imported");
    assert_eq!(order.order.status, OrderStatus::Unshipped);
    assert_eq!(order.order.items.len(), 2);
    order
}

/// Queues a shipment of every unshipped unit of `order` by Yamato Transport.
pub(crate) async fn queue(store: &Store, order: &StoredOrder, tracking: &str) -> ShipmentRecord {
    queue_by(store, order, "Yamato Transport", tracking).await
}

/// Queues a shipment of every unshipped unit of `order` by `carrier`, as the warehouse typed it.
async fn queue_by(
    store: &Store,
    order: &StoredOrder,
    carrier: &str,
    tracking: &str,
) -> ShipmentRecord {
    let now = order.updated_at;
    let new = NewShipment {
        id: ShipmentId::new(),
        connection_id: order.connection_id,
        amazon_order_id: order.order.amazon_order_id.clone(),
        carrier: carrier.to_owned(),
        shipping_method: Some("宅急便".to_owned()),
        tracking_number: tracking.to_owned(),
        ship_date: order.order.purchase_date + SignedDuration::from_hours(1),
        lines: order
            .order
            .items
            .iter()
            .map(|item| ShipmentLine {
                order_item_id: item.order_item_id.clone(),
                quantity: item.quantity_ordered - item.quantity_shipped,
            })
            .collect(),
    };
    let audit = AuditEntry {
        merchant_id: store
            .connection(order.connection_id)
            .await
            .unwrap()
            .connection
            .merchant_id,
        connection_id: Some(order.connection_id),
        actor: Actor::cli("test"),
        action: AuditAction::ShipmentQueued,
        at: now,
        before: None,
        after: None,
    };
    let (record, created) = store.queue_shipment(&new, now, &audit).await.unwrap();
    assert!(created);
    record
}

pub(crate) async fn status_at_amazon(
    sandbox: &Sandbox,
    seller: &str,
    order: &AmazonOrderId,
) -> String {
    sandbox
        .orders(seller)
        .await
        .into_iter()
        .find(|o| o.amazon_order_id == order.as_str())
        .expect("the sandbox knows the order")
        .status
}

async fn audited(store: &Store, connection: ConnectionId, action: AuditAction) -> usize {
    let filter = AuditFilter {
        connection: Some(connection),
        ..AuditFilter::default()
    };
    store
        .audit_entries(&filter)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.entry.action == action)
        .count()
}

/// An MWS connection to a sandbox of `orders` generated orders, two more placed unshipped and all imported.
async fn mws_with_two_imported_orders(seed: u64, orders: usize) -> (World, [StoredOrder; 2]) {
    let world = World::new(
        Sandbox::start(Options {
            seed,
            orders,
            ..Options::default()
        })
        .await,
    )
    .await;
    let placed = place_orders(&world.sandbox, &world.linked.seller_id, 2).await;
    let report = world.importer.run_once(world.id()).await.unwrap();
    assert_eq!(report.outcome, ImportOutcome::Completed);
    let first = imported(world.store(), world.id(), &placed[0]).await;
    let second = imported(world.store(), world.id(), &placed[1]).await;
    (world, [first, second])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_confirms_through_a_feed_and_refuses_a_cancelled_order() {
    let (world, [shipped, cancelled]) = mws_with_two_imported_orders(21, 80).await;
    let seller = world.linked.seller_id.clone();
    let to_ship = queue(world.store(), &shipped, "1234-5678-9012").await;
    let to_refuse = queue(world.store(), &cancelled, "2234-5678-9012").await;
    // The buyer cancels the second order before the feed is processed.
    world
        .sandbox
        .control
        .set_order_status(
            &seller,
            cancelled.order.amazon_order_id.as_str(),
            "Canceled",
            None,
        )
        .await;

    let shipper = Shipper::new(world.importer.clone());
    let first = shipper.run_once().await.unwrap();
    assert_eq!(first.len(), 2);
    assert!(
        first.iter().all(|run| run.step == ShipmentStep::Submitted),
        "{first:?}"
    );
    let submitted = world.store().shipment(to_ship.id).await.unwrap();
    assert_eq!(submitted.state, ShipmentState::Submitted);
    assert!(submitted.feed_submission_id.is_some());
    assert!(
        shipper.run_once().await.unwrap().is_empty(),
        "nothing is due before Amazon had time to process the feeds"
    );

    // Amazon processes feeds a minute after submission; the next look reads the reports.
    world.sandbox.advance(SignedDuration::from_secs(70)).await;
    let second = shipper.run_once().await.unwrap();
    assert_eq!(second.len(), 2, "{second:?}");
    let confirmed = world.store().shipment(to_ship.id).await.unwrap();
    assert_eq!(confirmed.state, ShipmentState::Confirmed, "{confirmed:?}");
    assert!(confirmed.finished_at.is_some());
    let refused = world.store().shipment(to_refuse.id).await.unwrap();
    assert_eq!(refused.state, ShipmentState::Rejected, "{refused:?}");
    assert!(
        refused.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "Amazon's reason is kept: {refused:?}"
    );
    assert_eq!(
        status_at_amazon(&world.sandbox, &seller, &shipped.order.amazon_order_id).await,
        "Shipped"
    );
    assert_eq!(
        audited(world.store(), world.id(), AuditAction::ShipmentConfirmed).await,
        1
    );
    assert_eq!(
        audited(world.store(), world.id(), AuditAction::ShipmentRejected).await,
        1
    );
    assert!(
        shipper.run_once().await.unwrap().is_empty(),
        "finished shipments are never sent again"
    );

    // The next import sees the order shipped.
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    world.importer.run_once(world.id()).await.unwrap();
    let after = world
        .store()
        .order(world.id(), &shipped.order.amazon_order_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after.order.status, OrderStatus::Shipped);
}

/// Amazon.co.jp refuses a confirmation without a carrier code (as the sandbox does): a carrier typed in Japanese is
/// sent as Amazon's code, an unlisted one as `Other` with its name, and both are accepted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_sends_amazons_carrier_code_and_other_with_the_name() {
    let (world, [by_yamato, by_eco]) = mws_with_two_imported_orders(24, 40).await;
    let seller = world.linked.seller_id.clone();
    assert_eq!(by_yamato.order.marketplace_id.as_str(), "A1VC38T7YXB528");
    let shipments = [
        queue_by(world.store(), &by_yamato, "ヤマト運輸", "5234-5678-9012").await,
        queue_by(world.store(), &by_eco, "エコ配", "6234-5678-9012").await,
    ];

    let shipper = Shipper::new(world.importer.clone());
    shipper.run_once().await.unwrap();
    world.sandbox.advance(SignedDuration::from_secs(70)).await;
    shipper.run_once().await.unwrap();
    for shipment in &shipments {
        let sent = world.store().shipment(shipment.id).await.unwrap();
        assert_eq!(sent.state, ShipmentState::Confirmed, "{sent:?}");
    }
    let carrier_at_amazon = |order: &StoredOrder| {
        let order_id = order.order.amazon_order_id.to_string();
        let control = &world.sandbox.control;
        let seller = &seller;
        async move {
            let view = control.order(seller, &order_id).await;
            let shipment = &view["shipments"][0];
            (
                shipment["carrier_code"].as_str().map(str::to_owned),
                shipment["carrier_name"].as_str().map(str::to_owned),
            )
        }
    };
    assert_eq!(
        carrier_at_amazon(&by_yamato).await,
        (Some("Yamato Transport".to_owned()), None)
    );
    assert_eq!(
        carrier_at_amazon(&by_eco).await,
        (Some("Other".to_owned()), Some("エコ配".to_owned()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_grant_pauses_the_connection_and_the_shipment_waits_for_access() {
    let world = World::new(
        Sandbox::start(Options {
            seed: 22,
            orders: 40,
            ..Options::default()
        })
        .await,
    )
    .await;
    let placed = place_orders(&world.sandbox, &world.linked.seller_id, 1).await;
    world.importer.run_once(world.id()).await.unwrap();
    let order = imported(world.store(), world.id(), &placed[0]).await;
    let shipment = queue(world.store(), &order, "3234-5678-9012").await;
    world
        .sandbox
        .grant_action(GrantAction::Revoke, &world.linked.seller_id)
        .await;

    let shipper = Shipper::new(world.importer.clone());
    let runs = shipper.run_once().await.unwrap();
    assert!(
        matches!(runs[0].step, ShipmentStep::RetryLater(_)),
        "{runs:?}"
    );
    let waiting = world.store().shipment(shipment.id).await.unwrap();
    assert_eq!(waiting.state, ShipmentState::Queued);
    assert!(waiting.next_attempt_at > order.updated_at);
    let connection = world
        .store()
        .connection(world.id())
        .await
        .unwrap()
        .connection;
    assert!(
        connection.grant.access_denied.is_some(),
        "the refusal pauses the connection as an import would"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spapi_confirms_at_once_and_a_repeat_changes_nothing() {
    let world = World::on(
        Api::SpApi,
        Sandbox::start(Options {
            seed: 23,
            orders: 60,
            ..Options::default()
        })
        .await,
    )
    .await;
    let placed = place_orders(&world.sandbox, &world.linked.seller_id, 1).await;
    world.importer.run_once(world.id()).await.unwrap();
    let order = imported(world.store(), world.id(), &placed[0]).await;
    let shipment = queue(world.store(), &order, "4234-5678-9012").await;

    let shipper = Shipper::new(world.importer.clone());
    let runs = shipper.run_once().await.unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].step, ShipmentStep::Confirmed, "{runs:?}");
    let confirmed = world.store().shipment(shipment.id).await.unwrap();
    assert_eq!(confirmed.state, ShipmentState::Confirmed);
    assert_eq!(confirmed.feed_submission_id, None);
    assert_eq!(
        status_at_amazon(
            &world.sandbox,
            &world.linked.seller_id,
            &order.order.amazon_order_id
        )
        .await,
        "Shipped"
    );

    // Queueing the same parcel again returns the finished shipment; nothing is sent.
    let again = NewShipment {
        id: ShipmentId::new(),
        connection_id: order.connection_id,
        amazon_order_id: order.order.amazon_order_id.clone(),
        carrier: "Yamato Transport".to_owned(),
        shipping_method: None,
        tracking_number: "4234-5678-9012".to_owned(),
        ship_date: order.order.purchase_date,
        lines: shipment.lines.clone(),
    };
    let audit = AuditEntry {
        merchant_id: world
            .store()
            .connection(world.id())
            .await
            .unwrap()
            .connection
            .merchant_id,
        connection_id: Some(world.id()),
        actor: Actor::cli("test"),
        action: AuditAction::ShipmentQueued,
        at: order.updated_at,
        before: None,
        after: None,
    };
    let (same, created) = world
        .store()
        .queue_shipment(&again, order.updated_at, &audit)
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(same.id, shipment.id);
    assert!(shipper.run_once().await.unwrap().is_empty());
}

/// One seller's quota is spent by one process at a time: while another process holds the connection's lease (it
/// is importing that seller), this process leaves its shipments alone; once the lease is free they go out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipments_of_a_connection_another_process_holds_wait_for_its_lease() {
    let (world, [first, _]) = mws_with_two_imported_orders(23, 40).await;
    let store = world.store();
    let shipment = queue(store, &first, "3234-5678-9012").await;
    let lease = sellerlink_store::LeaseName::sync(world.id());
    let other =
        sellerlink_store::LeaseOwner::parse("sellerlink@other-node:1:1:1#elsewhere").unwrap();
    let now = world.sandbox.now();
    assert!(
        store
            .try_acquire_lease(&lease, &other, now, SignedDuration::from_mins(5))
            .await
            .unwrap()
    );

    let shipper = Shipper::new(world.importer.clone());
    let held = shipper.run_once().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].step, ShipmentStep::TakenByAnother);
    let waiting = store.shipment(shipment.id).await.unwrap();
    assert_eq!(waiting.state, ShipmentState::Queued, "nothing was sent");
    assert_eq!(waiting.attempts, 0);

    assert!(store.release_lease(&lease, &other).await.unwrap());
    let sent = shipper.run_once().await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].step, ShipmentStep::Submitted, "{sent:?}");
    assert_eq!(
        store.lease(&lease).await.unwrap(),
        None,
        "the shipper gave the lease back"
    );
}
