//! A connection's lease carries the seller's quota state from one process to the next: two importers on one store,
//! each with its own lease owner and its own gateway factory (so its own buckets), as two worker processes are.
//! Process A spends the seller's quota and releases the lease; process B takes it and starts where A left off. The
//! control runs the same scenario with a process A whose factory hands nothing on (the lease row keeps no state),
//! which is how every takeover worked before: B started with full buckets and was throttled.

use std::sync::Arc;

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::SellingPartnerId;
use sellerlink_spapi::Operation;
use sellerlink_store::LeaseOwner;
use sellerlink_sync::{
    AmazonGateway, CombinedGatewayFactory, GatewayError, GatewayFactory, ImportOutcome, Importer,
    MwsGatewayFactory, SpApiGatewayFactory,
};
use sellerlink_testkit::SandboxControl;
use serde_json::{Value, json};

use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, World, import_config, importer_with_factory};

/// A factory as every factory was before leases carried quota state: it builds gateways and hands nothing on.
struct HandsNothingOn(Arc<dyn GatewayFactory>);

impl GatewayFactory for HandsNothingOn {
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError> {
        self.0.gateway(connection, credential)
    }
}

/// A worker process: an importer with its own lease owner over `factory`.
fn process(world: &World, owner: &str, factory: Arc<dyn GatewayFactory>) -> Importer {
    let mut config = import_config();
    config.owner = LeaseOwner::parse(owner).expect("valid owner");
    let clock: Arc<dyn Clock> = Arc::new(world.sandbox.clock());
    importer_with_factory(
        world.store(),
        clock,
        world.linked.keyring.clone(),
        factory,
        config,
    )
}

/// The calls of the request log Amazon answered as throttled (MWS 503 `RequestThrottled`, SP-API 429).
fn throttled(log: &[Value]) -> usize {
    log.iter()
        .filter(|entry| matches!(entry["status"].as_u64(), Some(429 | 503)))
        .count()
}

/// MWS's quotas sped up fivefold: `ListOrderItems` gives one token back every 400 ms, so a burst drained by one
/// process is still nearly empty when the next starts, yet a run stays short.
const MWS_SCALE: f64 = 5.0;

/// Process A imports 30 orders (draining the `ListOrderItems` burst), 30 more orders arrive, process B imports them
/// at once; returns how many of B's calls Amazon throttled and how many item calls B made.
async fn items_burst_after_another_process(hand_over: bool) -> (usize, u64) {
    let sandbox = Sandbox::start(Options {
        seed: 47,
        orders: 30,
        throttle_scale: MWS_SCALE,
        ..Options::default()
    })
    .await;
    let world = World::on(Api::Mws, sandbox).await;
    let control = SandboxControl::new(world.sandbox.url());
    let mut settings = world.sandbox.mws_settings();
    settings.restore_rate_scale = MWS_SCALE;
    settings.pacing = true;
    let clock: Arc<dyn Clock> = Arc::new(world.sandbox.clock());
    let factory = |settings| -> Arc<dyn GatewayFactory> {
        Arc::new(MwsGatewayFactory::new(settings, clock.clone()).expect("valid MWS settings"))
    };
    let a_factory = if hand_over {
        factory(&settings)
    } else {
        Arc::new(HandsNothingOn(factory(&settings)))
    };
    let a = process(&world, "worker-a", a_factory);
    let b = process(&world, "worker-b", factory(&settings));

    let report = a.run_once(world.id()).await.expect("A imports");
    assert_eq!(report.outcome, ImportOutcome::Completed, "{report:?}");
    assert!(
        report.item_calls >= 29,
        "A drained the burst: {} item calls",
        report.item_calls
    );
    assert_eq!(report.throttled, 0, "A paces itself");

    // 30 more orders, four minutes old: inside B's window, unseen by A. Placed all at once, so Amazon's bucket
    // has little time to refill before B starts.
    let placed_at = (world.sandbox.now() - SignedDuration::from_mins(4)).to_string();
    let order = json!({
        "purchase_date": placed_at,
        "items": [{"sku": "HANDOVER-1", "quantity": 1, "unit_price": 500}],
    });
    futures::future::join_all(
        (0..30).map(|_| control.place_order(&world.linked.seller_id, order.clone())),
    )
    .await;
    control.clear_requests().await;
    let report = b.run_once(world.id()).await.expect("B imports");
    assert_eq!(report.outcome, ImportOutcome::Completed, "{report:?}");
    let log = control.requests(1000).await;
    assert!(
        log.len() as u64 > report.item_calls,
        "the log holds B's whole run"
    );
    world.assert_equal_to_sandbox().await;
    (throttled(&log), report.item_calls)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_process_starts_from_the_items_bucket_the_last_one_drained() {
    let (throttled, item_calls) = items_burst_after_another_process(true).await;
    assert!(item_calls >= 30, "{item_calls} item calls");
    assert_eq!(
        throttled, 0,
        "B paced from A's buckets: no throttled answer"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_state_handed_over_the_next_process_is_throttled() {
    let (throttled, item_calls) = items_burst_after_another_process(false).await;
    assert!(item_calls >= 30, "{item_calls} item calls");
    assert!(
        throttled > 0,
        "B started with full buckets while Amazon's was empty: throttled answers expected"
    );
}

/// SP-API's sandbox runs 1000× faster than the published plans and says so in `x-amzn-RateLimit-Limit`
/// (`searchOrders`: 0.0056 × 1000 = 5.6 per second); the clients pace by the published plans until told.
const SPAPI_SANDBOX_SCALE: f64 = 1000.0;

/// Process A imports (and learns `searchOrders`' rate from Amazon's answers) and releases; process B takes the
/// lease and calls while every `searchOrders` fails before Amazon states a rate. Returns the rate B paces with.
async fn rate_after_another_process(hand_over: bool) -> f64 {
    let world = World::start(
        Api::SpApi,
        Options {
            seed: 48,
            orders: 20,
            throttle_scale: SPAPI_SANDBOX_SCALE,
            ..Options::default()
        },
    )
    .await;
    let control = SandboxControl::new(world.sandbox.url());
    let mut settings = world.sandbox.spapi_settings(&world.app);
    settings.pacing = true;
    settings.rate_scale = 1.0;
    let clock: Arc<dyn Clock> = Arc::new(world.sandbox.clock());
    let spapi = |settings| {
        SpApiGatewayFactory::new(settings, clock.clone()).expect("valid SP-API settings")
    };
    let combined = |spapi: SpApiGatewayFactory| -> Arc<dyn GatewayFactory> {
        Arc::new(CombinedGatewayFactory::new(None, Some(Arc::new(spapi))))
    };
    let a_factory = if hand_over {
        combined(spapi(&settings))
    } else {
        Arc::new(HandsNothingOn(combined(spapi(&settings))))
    };
    let b_spapi = spapi(&settings);
    let b_client = b_spapi.client().clone();
    let a = process(&world, "worker-a", a_factory);
    let b = process(&world, "worker-b", combined(b_spapi));
    let seller = SellingPartnerId::parse(&world.linked.seller_id).expect("valid seller");
    let documented = Operation::SearchOrders.documented_plan().rate;
    let learned = documented * SPAPI_SANDBOX_SCALE;

    let report = a.run_once(world.id()).await.expect("A imports");
    assert_eq!(report.outcome, ImportOutcome::Completed, "{report:?}");

    // Every searchOrders now fails with 503 before the bucket, so B learns nothing from Amazon itself.
    control
        .set_fault("searchOrders", json!({"service_unavailable": 1.0}))
        .await;
    let report = b.run_once(world.id()).await.expect("B runs");
    assert_eq!(report.outcome, ImportOutcome::Failed, "{report:?}");
    let in_force = b_client
        .rate_limit(&seller, Operation::SearchOrders)
        .expect("B paces")
        .rate;
    assert!(
        (in_force - learned).abs() < 1e-9 || (in_force - documented).abs() < 1e-12,
        "B paces with either the learned {learned} or the documented {documented}: {in_force}"
    );
    in_force
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_process_keeps_the_rate_amazon_reported_to_the_last_one() {
    let rate = rate_after_another_process(true).await;
    let learned = Operation::SearchOrders.documented_plan().rate * SPAPI_SANDBOX_SCALE;
    assert!(
        (rate - learned).abs() < 1e-9,
        "B paces at {rate}, not {learned}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_state_handed_over_the_next_process_starts_from_the_published_rate() {
    let rate = rate_after_another_process(false).await;
    let documented = Operation::SearchOrders.documented_plan().rate;
    assert!(
        (rate - documented).abs() < 1e-12,
        "B paces at {rate}, not {documented}"
    );
}
