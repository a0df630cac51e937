//! A crashed `sync` never holds its connection silently: a `kill -9`ed import's lease is taken over at once, a
//! lease held by a live process makes `sync` name that process and fail, and without a terminal `sync` prints one
//! line per connection and a total.

use std::time::{Duration, Instant};

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN, Run, Running};

/// Adds a verified MWS connection of `seller`; returns its id.
async fn connect(home: &Home, amazon: &Amazon, seller: &str) -> String {
    let added = home.run_with_stdin(
        &[
            "--json",
            "connection",
            "add",
            "--merchant",
            "Takumi",
            "--seller-id",
            seller,
            "--marketplace-id",
            JAPAN,
        ],
        &format!("{}\n", amazon.grant(seller).await),
    );
    added.assert_ok().json()["id"].as_str().unwrap().to_owned()
}

/// A home with the merchant and one connection to the sandbox's first seller.
async fn connected_home(amazon: &Amazon) -> (Home, String) {
    let home = amazon.mws_home();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let id = connect(&home, amazon, &amazon.seller(0)).await;
    (home, id)
}

/// Makes every item listing answer after two minutes, so an import stays in the middle of its first page.
async fn stall_item_listings(amazon: &Amazon) {
    slow_item_listings(amazon, 120_000).await;
}

async fn clear_faults(amazon: &Amazon) {
    amazon.control.clear_faults().await;
}

/// Starts `sync --all` and returns once it is importing (Amazon answered its first order listing).
async fn importing(amazon: &Amazon, home: &Home) -> Running {
    let running = home.spawn(&["sync", "--all"]);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = amazon.control.requests(100).await;
        let listed = log
            .iter()
            .any(|entry| entry["operation"] == "Orders.ListOrders" && entry["status"] == 200);
        if listed {
            return running;
        }
        assert!(
            Instant::now() < deadline,
            "the import never listed orders: {log:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn sync_all(home: &Home) -> Run {
    tokio::task::block_in_place(|| home.run(&["sync", "--all"]))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_killed_import_does_not_hold_its_connection() {
    let amazon = Amazon::start(1).await;
    let (home, id) = connected_home(&amazon).await;
    stall_item_listings(&amazon).await;
    let mut crashed = importing(&amazon, &home).await;
    crashed.0.kill().unwrap(); // SIGKILL: no chance to release the lease
    crashed.0.wait().unwrap();
    clear_faults(&amazon).await;

    let started = Instant::now();
    let run = sync_all(&home);
    run.assert_ok();
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "the next sync took over at once, not after the lease ran out"
    );
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&id))
        .unwrap_or_default();
    assert!(
        line.contains("completed"),
        "stdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    let listed = tokio::task::block_in_place(|| home.run(&["--json", "orders", "list"]));
    assert!(
        !listed.assert_ok().json().as_array().unwrap().is_empty(),
        "the orders were imported"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_held_by_a_live_process_is_named_and_fails_the_command() {
    let amazon = Amazon::start(1).await;
    let (home, id) = connected_home(&amazon).await;
    stall_item_listings(&amazon).await;
    let holder = importing(&amazon, &home).await;

    let run = sync_all(&home);
    assert!(
        !run.status.success(),
        "a held lease is a failure\nstdout: {}\nstderr: {}",
        run.stdout,
        run.stderr
    );
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains(&id))
        .unwrap_or_default();
    let pid = holder.0.id().to_string();
    assert!(
        line.contains("lease_held"),
        "{line:?}\nstderr: {}",
        run.stderr
    );
    assert!(
        line.contains(&format!("process {pid}")),
        "names the holder: {line:?}"
    );
    assert!(line.contains("until"), "says until when: {line:?}");

    let json = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--all"]));
    assert!(!json.status.success());
    let error = json.json()[0]["error"].as_str().unwrap().to_owned();
    assert!(error.contains(&format!("process {pid}")), "{error}");
    drop(holder);
    clear_faults(&amazon).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_sync_prints_one_line_per_connection() {
    let amazon = Amazon::start(2).await;
    let (home, first) = connected_home(&amazon).await;
    let second_seller = amazon.seller(1);
    let second = connect(&home, &amazon, &second_seller).await;
    amazon.act(&second_seller, "revoke").await;

    let run = sync_all(&home);
    assert!(!run.status.success(), "one connection failed");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "stdout: {}", run.stdout);
    assert!(
        lines[2].starts_with("TOTAL 2 connection(s): 1 imported, 1 failed"),
        "the total comes last: {}",
        run.stdout
    );
    let line_of = |id: &str| *lines.iter().find(|l| l.contains(id)).unwrap();
    assert!(line_of(&first).contains("completed"), "{lines:?}");
    let refused = line_of(&second);
    assert!(refused.contains("paused_access_denied"), "{refused}");
    assert!(
        refused.contains(" — "),
        "the error is on the line: {refused}"
    );
    assert!(
        run.stderr.contains("see above") || run.stderr.contains("did not import"),
        "{}",
        run.stderr
    );
}

/// Makes every item listing answer after `ms` milliseconds.
async fn slow_item_listings(amazon: &Amazon, ms: u64) {
    amazon
        .control
        .set_fault(
            "ListOrderItems",
            serde_json::json!({ "slow": 1.0, "slow_ms": ms }),
        )
        .await;
}

fn signal(process: &Running, name: &str) {
    let pid = process.0.id().to_string();
    let sent = std::process::Command::new("kill")
        .args([&format!("-{name}"), &pid])
        .status()
        .expect("kill(1) runs");
    assert!(sent.success(), "kill -{name} {pid}");
}

/// The fencing test: an import stopped (SIGSTOP) past its lease while another process took the connection over
/// and imported it, then continued (SIGCONT), writes nothing: its run ends on the lost lease and the watermark
/// stays where the successor left it.
#[tokio::test(flavor = "multi_thread")]
async fn a_stalled_import_writes_nothing_after_its_successor_took_over() {
    let amazon = Amazon::start(1).await;
    let home = amazon.mws_home().with_env("SELLERLINK_LEASE_SECONDS", "3");
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let id = connect(&home, &amazon, &amazon.seller(0)).await;
    slow_item_listings(&amazon, 2_000).await;
    let mut stalled = importing(&amazon, &home).await;
    signal(&stalled, "STOP");
    // Well past the 3 s lease: the stalled holder could not renew it.
    tokio::time::sleep(Duration::from_secs(5)).await;
    clear_faults(&amazon).await;

    let successor = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--all"]));
    let report = successor.assert_ok().json();
    assert_eq!(report[0]["outcome"], "completed", "{report}");
    let store = sellerlink_store::Store::connect(&format!(
        "sqlite://{}",
        home.path().join("sellerlink.db").display()
    ))
    .await
    .unwrap();
    let connection: sellerlink_domain::ids::ConnectionId = id.parse().unwrap();
    let stream = sellerlink_store::SyncStream::orders();
    let after_successor = store.watermark(connection, &stream).await.unwrap().unwrap();
    let orders_after_successor = store.order_ids(connection).await.unwrap();

    signal(&stalled, "CONT");
    let output = tokio::task::block_in_place(|| {
        let mut text = String::new();
        use std::io::Read as _;
        stalled
            .0
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    });
    let status = stalled.0.wait().unwrap();
    assert!(!status.success(), "the stalled import fails: {output}");
    assert!(output.contains("lease_lost"), "{output}");
    let after_stalled = store.watermark(connection, &stream).await.unwrap().unwrap();
    assert_eq!(
        after_stalled.watermark, after_successor.watermark,
        "the stalled import did not move the watermark back"
    );
    assert_eq!(
        after_stalled.updated_at, after_successor.updated_at,
        "nor wrote it at all"
    );
    let orders_after_stalled = store.order_ids(connection).await.unwrap();
    assert_eq!(
        orders_after_stalled, orders_after_successor,
        "nor any order"
    );
    let runs = store.sync_runs(connection, 10).await.unwrap();
    let lost = runs
        .iter()
        .filter_map(|run| run.result.as_ref())
        .filter_map(|result| result.error.as_ref())
        .any(|error| error.kind == "lease_lost");
    assert!(
        lost,
        "the stalled run is recorded as having lost its lease: {runs:?}"
    );
}
