//! SIGKILL at random points while thousands of orders are imported, through either API: the final database equals
//! the sandbox.

use std::ops::Range;
use std::process::Stdio;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use secrecy::ExposeSecret as _;
use tokio::process::Command;

use crate::compare::{assert_matches_through, stored_orders, watermark};
use crate::sandbox::Options;
use crate::setup::{Api, World};

const KILLS: usize = 25;

/// How the import is set up to be killed in its middle, through one API.
struct Plan {
    options: Options,
    /// The operations slowed down (60 ms a page), so that the import outlasts the longest life below.
    slowed: &'static [&'static str],
    kills_seed: u64,
    /// How long each importer lives before its SIGKILL, in milliseconds.
    life_ms: Range<u64>,
    /// Fewer orders than this committed at a kill is the middle of the import; more at the end is all of it.
    most: usize,
}

fn plan(api: Api) -> Plan {
    match api {
        // Every page of orders takes at least 60 ms, so the whole import (30 pages, each run starting again from
        // the watermark of the last completed run) outlasts the longest life however fast the machine is, and the
        // kills (150–900 ms after each start) land in the middle of it.
        Api::Mws => Plan {
            options: Options::generated(5, 3000),
            slowed: &["ListOrders", "ListOrdersByNextToken"],
            kills_seed: 0x5EED_C4A5,
            life_ms: 150..900,
            most: 2500,
        },
        // searchOrders pages of 100 carry their items: twice the orders, no slowing down, shorter lives.
        Api::SpApi => Plan {
            options: Options::generated(6, 6000),
            slowed: &[],
            kills_seed: 0x5EED_5A41,
            life_ms: 100..700,
            most: 6000 * 8 / 10,
        },
    }
}

/// `sellerlink-import-once` for the world's connection, the sandbox's clock and its API's client credentials.
fn import_once(world: &World, offset_ms: i128) -> Command {
    let sandbox = &world.sandbox;
    let mut command = Command::new(env!("CARGO_BIN_EXE_sellerlink-import-once"));
    command
        .args(["--database-url", &world.db.url])
        .args(["--connection", &world.id().to_string()])
        .args(["--clock-offset-ms", &offset_ms.to_string()])
        .args(["--initial-lookback-days", "90"])
        .args(["--no-pacing"])
        .env(
            "SELLERLINK_MASTER_KEY",
            world.linked.master_key.export_base64().expose_secret(),
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    match world.api {
        Api::Mws => command
            .args(["--api", "mws"])
            .args(["--endpoint", &sandbox.url()])
            .args(["--access-key-id", &sandbox.developer.access_key_id])
            .env("MWS_SECRET_KEY", &sandbox.developer.secret_key),
        Api::SpApi => command
            .args(["--api", "spapi"])
            .args([
                "--lwa-endpoint",
                &format!("{}/auth/o2/token", sandbox.url()),
            ])
            .args(["--spapi-endpoint", &sandbox.url()])
            .args(["--client-id", &world.app.client_id])
            .env("LWA_CLIENT_SECRET", &world.app.client_secret),
    };
    command
}

async fn sigkill_at_random_points_loses_nothing_and_duplicates_nothing(api: Api) {
    let plan = plan(api);
    let world = World::start(api, plan.options).await;
    let (store, id) = (world.store(), world.id());
    // The import process seals buyer data under the linked master key; read it back with that key.
    let reader =
        store
            .clone()
            .with_buyer_seal(std::sync::Arc::new(sellerlink_sync::KeyringBuyerData::new(
                world.linked.keyring.clone(),
            )));
    for operation in plan.slowed {
        world
            .sandbox
            .control
            .set_fault(operation, serde_json::json!({ "slow": 1.0, "slow_ms": 60 }))
            .await;
    }
    let offset_ms = world
        .sandbox
        .now()
        .duration_since(Timestamp::now())
        .as_millis();

    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(plan.kills_seed);
    let mut killed = 0;
    let mut finished_early = false;
    let mut committed_at_kill = Vec::new();
    for _ in 0..KILLS {
        let mut child = import_once(&world, offset_ms)
            .spawn()
            .expect("the importer starts");
        let delay = Duration::from_millis(rng.random_range(plan.life_ms.clone()));
        tokio::select! {
            status = child.wait() => {
                let status = status.expect("the importer ran");
                assert!(status.success(), "the importer failed on its own: {status}");
                finished_early = true;
                break;
            }
            () = tokio::time::sleep(delay) => {
                child.start_kill().expect("SIGKILL");
                child.wait().await.expect("the killed importer is reaped");
                killed += 1;
                let committed = store.order_ids(id).await.unwrap().len();
                committed_at_kill.push(committed);
            }
        }
    }
    assert!(
        killed >= 10,
        "only {killed} kills before the import finished; the test proves too little"
    );
    assert!(
        committed_at_kill.windows(2).all(|pair| pair[0] <= pair[1]),
        "a kill lost committed orders: {committed_at_kill:?}"
    );
    let mid_import = committed_at_kill
        .iter()
        .filter(|&&n| n > 0 && n < plan.most)
        .count();
    assert!(
        mid_import >= 5,
        "too few kills in the middle of the import: {committed_at_kill:?}"
    );

    if !finished_early {
        let output = import_once(&world, offset_ms)
            .output()
            .await
            .expect("the importer runs to the end");
        assert!(
            output.status.success(),
            "the last import failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    eprintln!(
        "{api:?}: {killed} SIGKILLs (orders committed at each: {committed_at_kill:?}), whole test {:?}",
        started.elapsed()
    );

    // A killed run that had found orders to import shows in the history as unfinished (one that was still listing
    // orders it already had left no row); the last run completed.
    let runs = store.sync_runs(id, 1000).await.unwrap();
    let unfinished = runs.iter().filter(|run| run.result.is_none()).count();
    let committing = std::iter::once(&0)
        .chain(&committed_at_kill)
        .zip(&committed_at_kill)
        .filter(|(before, after)| after > before)
        .count();
    assert!(
        (committing..=killed).contains(&unfinished),
        "{unfinished} unfinished runs for {killed} kills, {committing} of them after the run committed orders"
    );
    assert!(runs[0].result.is_some(), "the newest run finished");

    let mark = watermark(store, id).await.expect("the import completed");
    let orders = world.sandbox.orders(&world.linked.seller_id).await;
    assert_matches_through(api, &reader, id, &orders, mark).await;
    assert!(stored_orders(&reader, id).await.len() > plan.most);
}

on_both_apis!(sigkill_at_random_points_loses_nothing_and_duplicates_nothing);
