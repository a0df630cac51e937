//! SIGKILL at random points while thousands of orders are imported: the final database equals the sandbox.

use std::process::Stdio;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use secrecy::ExposeSecret as _;
use tokio::process::Command;

use crate::compare::{assert_matches, stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{Db, link};

const KILLS: usize = 25;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_loses_nothing_and_duplicates_nothing() {
    let sandbox = Sandbox::start(Options {
        seed: 5,
        orders: 3000,
        ..Options::default()
    })
    .await;
    let db = Db::sqlite().await;
    let seller = sandbox.seller(0).seller_id;
    let token = sandbox.grant(&seller).await;
    let linked = link(&db.store, &sandbox, &seller, &token).await;
    // The import process seals buyer data under the linked master key; read it back with that key.
    let reader = db.store.clone().with_buyer_seal(std::sync::Arc::new(
        sellerlink_sync::KeyringBuyerData::new(linked.keyring.clone()),
    ));
    // Every page of orders takes at least 60 ms, so the whole import (30 pages, each run starting again from the
    // watermark of the last completed run) outlasts the longest life below however fast the machine is, and the
    // kills (150–900 ms after each start) land in the middle of it.
    for operation in ["ListOrders", "ListOrdersByNextToken"] {
        sandbox
            .put(
                &format!("/_sandbox/faults/{operation}"),
                serde_json::json!({ "slow": 1.0, "slow_ms": 60 }),
            )
            .await;
    }
    let offset_ms = sandbox.now().duration_since(Timestamp::now()).as_millis();
    let command = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_sellerlink-import-once"));
        command
            .args(["--database-url", &db.url])
            .args(["--connection", &linked.connection_id.to_string()])
            .args(["--endpoint", &sandbox.url()])
            .args(["--access-key-id", &sandbox.developer.access_key_id])
            .args(["--clock-offset-ms", &offset_ms.to_string()])
            .args(["--initial-lookback-days", "90"])
            .args(["--no-pacing"])
            .env(
                "SELLERLINK_MASTER_KEY",
                linked.master_key.export_base64().expose_secret(),
            )
            .env("MWS_SECRET_KEY", &sandbox.developer.secret_key)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    };

    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(0x5EED_C4A5);
    let mut killed = 0;
    let mut finished_early = false;
    let mut committed_at_kill = Vec::new();
    for _ in 0..KILLS {
        let mut child = command().spawn().expect("the importer starts");
        let delay = Duration::from_millis(rng.random_range(150..900));
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
                let committed = db.store.order_ids(linked.connection_id).await.unwrap().len();
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
        .filter(|&&n| n > 0 && n < 2500)
        .count();
    assert!(
        mid_import >= 5,
        "too few kills in the middle of the import: {committed_at_kill:?}"
    );

    if !finished_early {
        let output = command()
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
        "{killed} SIGKILLs (orders committed at each: {committed_at_kill:?}), whole test {:?}",
        started.elapsed()
    );

    // Every kill left its run unfinished; the last run completed.
    let runs = db
        .store
        .sync_runs(linked.connection_id, 1000)
        .await
        .unwrap();
    let unfinished = runs.iter().filter(|run| run.result.is_none()).count();
    assert!(
        unfinished >= killed / 2,
        "{unfinished} unfinished runs for {killed} kills"
    );
    assert!(runs[0].result.is_some(), "the newest run finished");

    let mark = watermark(&db.store, linked.connection_id)
        .await
        .expect("the import completed");
    let orders = sandbox.orders(&seller).await;
    assert_matches(&reader, linked.connection_id, &orders, mark).await;
    assert!(stored_orders(&reader, linked.connection_id).await.len() > 2500);
}
