//! A clean import equals the sandbox exactly, through either API and on either engine; later runs apply changes and
//! duplicate nothing; the connection verifies, and an order's items read one by one equal the imported ones.

use std::sync::{Arc, Mutex};

use jiff::SignedDuration;
use sellerlink_store::{Engine, SyncOutcome};
use sellerlink_sync::{
    CredentialOpener as _, ImportOutcome, KeyringCredentials, Progress, RunOptions, VerifyOutcome,
};
use sellerlink_testkit::database;
use serde_json::json;

use crate::compare::{stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, Db, World};

async fn create_order(world: &World, body: serde_json::Value) -> String {
    let seller = &world.linked.seller_id;
    let view = world.sandbox.control.place_order(seller, body).await;
    view["amazon_order_id"]
        .as_str()
        .expect("the new order's id")
        .to_owned()
}

async fn plan_status(world: &World, order: &str, status: &str, at: jiff::Timestamp) {
    let seller = &world.linked.seller_id;
    world
        .sandbox
        .control
        .set_order_status(seller, order, status, Some(&at.to_string()))
        .await;
}

/// How many item listings importing `orders` new or changed orders takes: MWS lists each order's items on its own,
/// SP-API's searchOrders pages carry them.
fn item_calls(api: Api, orders: u64) -> u64 {
    match api {
        Api::Mws => orders,
        Api::SpApi => 0,
    }
}

async fn scenario(world: World) {
    let store = world.store();
    let id = world.id();
    let api = world.api;

    // 1. The first import brings every order, with its items, and records the run; progress is reported after
    //    every commit.
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = Arc::clone(&seen);
    let options = RunOptions {
        progress: Some(Arc::new(move |progress: &Progress| {
            sink.lock().unwrap().push(*progress)
        })),
        cancel: None,
    };
    let first = world
        .importer
        .run_once_with(id, options)
        .await
        .expect("the run is recorded");
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);
    let seen = seen.lock().unwrap().clone();
    assert!(!seen.is_empty());
    assert!(
        seen.windows(2).all(|pair| pair[0].pages < pair[1].pages
            && pair[0].orders_written <= pair[1].orders_written)
    );
    let last = seen.last().unwrap();
    assert_eq!(
        (last.pages, last.orders_written, last.item_calls),
        (first.pages, first.orders_new, first.item_calls)
    );
    let mark = world.assert_equal_to_sandbox().await;
    assert_eq!(first.watermark, Some(mark));
    let lag = world.sandbox.now().duration_since(mark);
    assert!(
        lag >= SignedDuration::from_secs(120) && lag < SignedDuration::from_secs(150),
        "the window ends at Amazon's now − 2 min, it ended {lag:#} ago"
    );
    let stored = stored_orders(store, id).await.len() as u64;
    assert!(
        stored > 200,
        "the generated history is imported ({stored} orders)"
    );
    assert_eq!((first.orders_new, first.orders_changed), (stored, 0));
    assert_eq!(
        first.item_calls,
        item_calls(api, stored),
        "one item listing per new order through MWS, none through SP-API"
    );
    assert_eq!(first.throttled, 0);
    let run = store
        .last_sync_run(id)
        .await
        .unwrap()
        .expect("a run is recorded");
    let result = run.result.expect("the run finished");
    assert_eq!(result.outcome, SyncOutcome::Ok);
    assert_eq!((result.orders_new, result.orders_changed), (stored, 0));
    assert_eq!(result.pages, first.pages);
    assert!(first.pages >= 3, "several pages ({})", first.pages);

    // 2. Orders progress: a new Pending order becomes Unshipped, then Shipped; an old one is cancelled; a
    //    later one appears.
    let now = world.sandbox.now();
    let fresh = create_order(
        &world,
        json!({ "status": "Pending", "items": [
            { "sku": "SYNC-TEA-01", "quantity": 2, "unit_price": 1200 },
            { "sku": "SYNC-CUP-02", "quantity": 1, "unit_price": 800 }
        ]}),
    )
    .await;
    plan_status(
        &world,
        &fresh,
        "Unshipped",
        now + SignedDuration::from_mins(10),
    )
    .await;
    plan_status(
        &world,
        &fresh,
        "Shipped",
        now + SignedDuration::from_mins(60),
    )
    .await;
    let shipped = world
        .sandbox
        .orders(&world.linked.seller_id)
        .await
        .into_iter()
        .find(|o| o.status == "Shipped")
        .expect("a shipped order")
        .amazon_order_id;
    plan_status(
        &world,
        &shipped,
        "Canceled",
        now + SignedDuration::from_mins(20),
    )
    .await;
    let later = create_order(
        &world,
        json!({ "purchase_date": (now + SignedDuration::from_mins(30)).to_string(),
                "items": [{ "sku": "SYNC-BAG-03", "quantity": 3, "unit_price": 450 }] }),
    )
    .await;

    world.sandbox.advance(SignedDuration::from_mins(15)).await;
    let second = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        second.outcome,
        ImportOutcome::Completed,
        "{:?}",
        second.error
    );
    assert_eq!(
        (second.orders_new, second.orders_changed),
        (1, 0),
        "the new order, as Unshipped"
    );
    world.assert_equal_to_sandbox().await;
    assert_eq!(
        store
            .order(id, &fresh.parse().unwrap())
            .await
            .unwrap()
            .unwrap()
            .order
            .status
            .as_str(),
        "Unshipped"
    );

    world.sandbox.advance(SignedDuration::from_hours(2)).await;
    let third = world.importer.run_once(id).await.unwrap();
    assert_eq!(third.outcome, ImportOutcome::Completed, "{:?}", third.error);
    assert_eq!(
        (third.orders_new, third.orders_changed),
        (1, 2),
        "the later order is new; the shipment and the cancellation are changes"
    );
    assert_eq!(
        third.item_calls,
        item_calls(api, 3),
        "items are fetched again only for new or changed orders"
    );
    world.assert_equal_to_sandbox().await;
    let cancelled = store
        .order(id, &shipped.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
        .order;
    assert_eq!(cancelled.status.as_str(), "Canceled");
    assert!(cancelled.items.iter().all(|i| i.quantity_shipped == 0));
    let done = store
        .order(id, &fresh.parse().unwrap())
        .await
        .unwrap()
        .unwrap()
        .order;
    assert_eq!(done.status.as_str(), "Shipped");
    assert_eq!(done.items.len(), 2);
    assert!(
        store
            .order(id, &later.parse().unwrap())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        stored_orders(store, id).await.len() as u64,
        stored + 2,
        "nothing duplicated"
    );

    // 3. Nothing changed: nothing new, nothing changed, no item calls. The window held no order at all (the changes
    //    of step 2 are past the overlap), so the run wrote nothing, not even its watermark: the next one asks Amazon
    //    from the same point.
    world.sandbox.advance(SignedDuration::from_mins(10)).await;
    let runs_before = store.sync_runs(id, 100).await.unwrap().len();
    let quiet = world.importer.run_once(id).await.unwrap();
    let runs = store.sync_runs(id, 100).await.unwrap();
    assert_eq!(runs.len(), runs_before + 1, "one row in the history");
    let recorded = runs[0].result.as_ref().expect("written whole, finished");
    assert_eq!(Some(runs[0].id), quiet.run_id);
    assert!(runs[0].started_at <= recorded.finished_at);
    assert_eq!((recorded.outcome, recorded.pages), (SyncOutcome::Ok, 1));
    assert_eq!(quiet.outcome, ImportOutcome::Completed);
    assert_eq!(
        (
            quiet.orders_seen,
            quiet.orders_new,
            quiet.orders_changed,
            quiet.item_calls
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(
        quiet.watermark, third.watermark,
        "an empty window leaves the watermark"
    );
    assert_eq!(
        watermark(store, id).await,
        third.watermark,
        "and the store holds what the run reports"
    );
    world.assert_equal_to_sandbox().await;

    // 3b. A day on, the watermark moves even over an empty window, so an idle window never grows long.
    world.sandbox.advance(SignedDuration::from_hours(25)).await;
    let refreshed = world.importer.run_once(id).await.unwrap();
    assert_eq!(refreshed.outcome, ImportOutcome::Completed);
    assert_eq!(refreshed.orders_seen, 0);
    assert!(refreshed.watermark > third.watermark);
    assert_eq!(watermark(store, id).await, refreshed.watermark);

    // 4. Verification records Amazon's name of the marketplace.
    let VerifyOutcome::Verified(verified) = world.importer.verify_connection(id).await.unwrap()
    else {
        panic!("the grant verifies");
    };
    assert!(verified.missing_marketplaces.is_empty());
    let connection = store.connection(id).await.unwrap().connection;
    assert_eq!(
        connection.marketplaces[0].name.as_deref(),
        Some("Amazon.co.jp")
    );
    assert!(connection.verified_at.is_some());

    // 5. An order's items read one by one (MWS ListOrderItems, SP-API getOrder; an SP-API import never needs it,
    //    its pages carry them) equal the imported ones.
    let credential = KeyringCredentials::new(store.clone(), world.linked.keyring.clone())
        .open(id)
        .await
        .unwrap();
    let gateway = world
        .settings()
        .factory(&world.sandbox, Arc::new(world.sandbox.clock()))
        .gateway(&connection, credential)
        .unwrap();
    let order = &stored_orders(store, id).await[&fresh].order;
    let items = gateway.order_items(&order.amazon_order_id).await.unwrap();
    assert_eq!(items, order.items);
}

/// The sandbox of one API's scenario.
fn options(api: Api) -> Options {
    match api {
        Api::Mws => Options::generated(11, 450),
        Api::SpApi => Options::generated(12, 300),
    }
}

/// Runs the scenario through `api` on a fresh database of `engine` (skipped on PostgreSQL without
/// `TEST_DATABASE_URL`).
async fn on(api: Api, engine: Engine) {
    database::run_on(engine, move |database| async move {
        let sandbox = Sandbox::start(options(api)).await;
        scenario(World::with_db(api, sandbox, Db::open(database).await).await).await;
    })
    .await;
}

mod a_clean_import_equals_the_sandbox_and_later_runs_apply_changes {
    use sellerlink_store::Engine;

    use crate::setup::Api;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mws_on_sqlite() {
        super::on(Api::Mws, Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn mws_on_postgres() {
        super::on(Api::Mws, Engine::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn spapi_on_sqlite() {
        super::on(Api::SpApi, Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn spapi_on_postgres() {
        super::on(Api::SpApi, Engine::Postgres).await;
    }
}
