//! Stock levels through the sandbox, both APIs: recorded in the store, pushed by the [`StockPusher`], and the
//! seller's stock at Amazon checked afterwards — MWS in one feed processed a minute later (a quantity changed while
//! the feed is in flight is pushed after it, never overwritten by it), SP-API SKU by SKU at once; an unknown SKU
//! refused with Amazon's reason.

use std::collections::BTreeMap;

use jiff::SignedDuration;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{StockFilter, StockLevel, StockState, Store};
use sellerlink_sync::{StockPusher, StockStep};
use serde_json::Value;

use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, World};

const UNKNOWN: &str = "NO-SUCH-SKU";

/// Two SKUs of the seller's catalog.
async fn catalog_skus(sandbox: &Sandbox, seller: &str) -> (String, String) {
    let stock: BTreeMap<String, Value> =
        serde_json::from_value(sandbox.control.stock(seller).await).unwrap();
    let mut skus = stock.keys().cloned();
    (skus.next().unwrap(), skus.next().unwrap())
}

/// The seller's quantity of `sku` at Amazon.
async fn at_amazon(sandbox: &Sandbox, seller: &str, sku: &str) -> u64 {
    let stock = sandbox.control.stock(seller).await;
    stock[sku]["quantity"].as_u64().unwrap()
}

async fn level(store: &Store, connection: ConnectionId, sku: &str) -> StockLevel {
    store
        .stock_levels(&StockFilter {
            connection: Some(connection),
            sku: Some(sku.to_owned()),
            ..StockFilter::default()
        })
        .await
        .unwrap()
        .remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mws_pushes_in_one_feed_and_a_newer_quantity_follows_the_one_in_flight() {
    let world = World::new(
        Sandbox::start(Options {
            seed: 31,
            orders: 10,
            ..Options::default()
        })
        .await,
    )
    .await;
    let seller = world.linked.seller_id.clone();
    let (a, b) = catalog_skus(&world.sandbox, &seller).await;
    let now = world.sandbox.now();
    world
        .store()
        .set_stock_levels(
            world.id(),
            &[(a.clone(), 7), (b.clone(), 0), (UNKNOWN.to_owned(), 3)],
            now,
        )
        .await
        .unwrap();

    let pusher = StockPusher::new(world.importer.clone());
    let first = pusher.run_once().await.unwrap();
    assert_eq!(first.len(), 3);
    assert!(
        first.iter().all(|run| run.step == StockStep::Submitted),
        "{first:?}"
    );
    let feed = level(world.store(), world.id(), &a)
        .await
        .feed_submission_id;
    assert!(feed.is_some());
    assert_eq!(
        level(world.store(), world.id(), &b)
            .await
            .feed_submission_id,
        feed,
        "one feed"
    );

    // A new quantity of `a` while the feed is processed: it waits for the feed's outcome.
    world
        .store()
        .set_stock_levels(world.id(), &[(a.clone(), 9)], world.sandbox.now())
        .await
        .unwrap();
    let waiting = pusher.run_once().await.unwrap();
    assert!(
        waiting
            .iter()
            .all(|run| run.step == StockStep::StillProcessing || run.sku != a),
        "{waiting:?}"
    );

    // The feed is processed a minute later: b and the first quantity of a are taken, the unknown SKU is refused,
    // and a's newer quantity goes out in a second feed.
    world.sandbox.advance(SignedDuration::from_secs(70)).await;
    let second = pusher.run_once().await.unwrap();
    let step_of = |sku: &str| {
        second
            .iter()
            .filter(|run| run.sku == sku)
            .map(|run| run.step.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(step_of(&b), [StockStep::Pushed], "{second:?}");
    assert!(
        matches!(step_of(UNKNOWN)[..], [StockStep::Rejected(_)]),
        "{second:?}"
    );
    assert_eq!(
        step_of(&a),
        [StockStep::Pushed, StockStep::Submitted],
        "{second:?}"
    );
    assert_eq!(at_amazon(&world.sandbox, &seller, &a).await, 7);
    assert_eq!(at_amazon(&world.sandbox, &seller, &b).await, 0);
    let refused = level(world.store(), world.id(), UNKNOWN).await;
    assert_eq!(refused.state, StockState::Rejected);
    assert!(
        refused
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("13013")),
        "{refused:?}"
    );

    world.sandbox.advance(SignedDuration::from_secs(70)).await;
    pusher.run_once().await.unwrap();
    assert_eq!(at_amazon(&world.sandbox, &seller, &a).await, 9);
    let pushed = level(world.store(), world.id(), &a).await;
    assert_eq!(pushed.state, StockState::Pushed);
    assert_eq!(pushed.pushed_quantity, Some(9));
    assert!(
        pusher.run_once().await.unwrap().is_empty(),
        "nothing left to push"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spapi_pushes_sku_by_sku_at_once() {
    let world = World::on(
        Api::SpApi,
        Sandbox::start(Options {
            seed: 32,
            orders: 10,
            ..Options::default()
        })
        .await,
    )
    .await;
    let seller = world.linked.seller_id.clone();
    let (a, _) = catalog_skus(&world.sandbox, &seller).await;
    world
        .store()
        .set_stock_levels(
            world.id(),
            &[(a.clone(), 42), (UNKNOWN.to_owned(), 1)],
            world.sandbox.now(),
        )
        .await
        .unwrap();
    let pusher = StockPusher::new(world.importer.clone());
    let runs = pusher.run_once().await.unwrap();
    let step_of = |sku: &str| runs.iter().find(|run| run.sku == sku).unwrap().step.clone();
    assert_eq!(step_of(&a), StockStep::Pushed, "{runs:?}");
    assert!(
        matches!(step_of(UNKNOWN), StockStep::Rejected(_)),
        "{runs:?}"
    );
    assert_eq!(at_amazon(&world.sandbox, &seller, &a).await, 42);
    let pushed = level(world.store(), world.id(), &a).await;
    assert_eq!(
        (pushed.state, pushed.pushed_quantity),
        (StockState::Pushed, Some(42))
    );
    assert!(pusher.run_once().await.unwrap().is_empty());
}
