//! Running sellerlink as a fleet: a worker that is PID 1 in its own PID namespace (as in a container) stops
//! gracefully on SIGTERM, `sync --all` is bounded and totals its outcomes, and `/metrics` counts what happened.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use sqlx::{Connection as _, SqliteConnection};

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN};

/// Adds a verified MWS connection of `seller` for the merchant Takumi (added if missing); returns its id.
async fn connect(home: &Home, amazon: &Amazon, seller: &str) -> String {
    connect_with(home, seller, &amazon.grant(seller).await)
}

/// Adds a verified MWS connection of `seller` with the MWS Auth Token `token`; returns its id.
fn connect_with(home: &Home, seller: &str, token: &str) -> String {
    let _ = home.run(&["merchant", "add", "--name", "Takumi"]);
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
        &format!("{token}\n"),
    );
    added.assert_ok().json()["id"].as_str().unwrap().to_owned()
}

/// Waits until the sandbox answered `operation` successfully at least `times` times.
async fn answered(amazon: &Amazon, operation: &str, times: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let log = amazon.control.requests(100).await;
        let count = log
            .iter()
            .filter(|entry| entry["operation"] == operation && entry["status"] == 200)
            .count();
        if count >= times {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{operation} answered {count} time(s) only"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The SQLite database of a home, opened read-only.
async fn database(home: &Home) -> SqliteConnection {
    let url = format!(
        "sqlite://{}?mode=ro",
        home.path().join("sellerlink.db").display()
    );
    SqliteConnection::connect(&url).await.unwrap()
}

/// The process whose parent is `parent` (the command `unshare --fork` started).
fn child_of(parent: u32) -> u32 {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                continue;
            };
            let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
            let ppid = after_name
                .split_whitespace()
                .nth(1)
                .and_then(|p| p.parse().ok());
            if ppid == Some(parent) {
                return pid;
            }
        }
        assert!(Instant::now() < deadline, "unshare started no child");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The process's id inside its own PID namespace (the last `NSpid` of `/proc/<pid>/status`).
fn namespace_pid(pid: u32) -> u32 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("NSpid:")).unwrap();
    line.split_whitespace().last().unwrap().parse().unwrap()
}

fn unshare_available() {
    let found = std::process::Command::new("unshare")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "this test runs the worker as PID 1 with `unshare` (util-linux), which is missing: apt-get install util-linux"
    );
}

fn wait_with_deadline(child: &mut Child, deadline: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

/// A `sync_runs` row: finished at, outcome, error kind, orders new.
type RunRow = (Option<i64>, Option<String>, Option<String>, i64);

async fn amazon_order_ids(home: &Home) -> Vec<String> {
    let mut db = database(home).await;
    sqlx::query_scalar("SELECT amazon_order_id FROM orders ORDER BY amazon_order_id")
        .fetch_all(&mut db)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_that_is_pid_1_stops_on_sigterm_within_its_grace_and_the_next_import_resumes() {
    unshare_available();
    const GRACE_SECS: u64 = 10;
    let amazon = Amazon::with_orders(1, 400).await;
    let seller = amazon.seller(0);
    let home = amazon.mws_home();
    let token = amazon.grant(&seller).await;
    let id = connect_with(&home, &seller, &token);
    // Each item listing takes 300 ms, so the first import is still running when the signal comes.
    let slow = serde_json::json!({ "slow": 1.0, "slow_ms": 300 });
    amazon.control.set_fault("ListOrderItems", slow).await;

    let log = std::fs::File::create(home.path().join("worker.log")).unwrap();
    let grace = GRACE_SECS.to_string();
    let mut unshare = home
        .command_via(
            &["unshare", "--pid", "--fork", "--kill-child"],
            &[
                "--shutdown-grace",
                &grace,
                "worker",
                "--interval-minutes",
                "60",
            ],
        )
        .env("SELLERLINK_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let worker = child_of(unshare.id());
    assert_eq!(
        namespace_pid(worker),
        1,
        "the worker is PID 1 in its namespace"
    );
    answered(&amazon, "Orders.ListOrderItems", 3).await;

    let signalled = Instant::now();
    let kill = std::process::Command::new("kill")
        .args(["-TERM", &worker.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = tokio::task::block_in_place(|| {
        wait_with_deadline(&mut unshare, Duration::from_secs(GRACE_SECS + 15))
    });
    let stderr = std::fs::read_to_string(home.path().join("worker.log")).unwrap();
    let Some(status) = status else {
        let _ = unshare.kill();
        panic!("the worker did not stop within the grace period\n{stderr}");
    };
    assert!(status.success(), "exit status {status:?}\n{stderr}");
    assert!(
        signalled.elapsed() < Duration::from_secs(GRACE_SECS + 15),
        "stopped within the grace period and a margin"
    );
    assert!(stderr.contains("SIGTERM received"), "{stderr}");

    let mut db = database(&home).await;
    let leases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leases WHERE expires_at_ms <> 0")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!(leases, 0, "no lease left behind\n{stderr}");
    let runs: Vec<RunRow> = sqlx::query_as(
        "SELECT finished_at_ms, outcome, error_kind, orders_new FROM sync_runs WHERE connection_id = $1",
    )
    .bind(&id)
    .fetch_all(&mut db)
    .await
    .unwrap();
    assert_eq!(runs.len(), 1, "{runs:?}");
    let (finished, outcome, kind, interrupted_new) = runs[0].clone();
    assert!(finished.is_some(), "the run was finished: {runs:?}");
    assert_eq!(outcome.as_deref(), Some("failed"));
    assert_eq!(kind.as_deref(), Some("interrupted"), "{runs:?}");
    assert!(
        interrupted_new < 400,
        "the import was stopped mid-way: {runs:?}"
    );
    drop(db);

    // The next import resumes: together the two runs stored every order once, as an uninterrupted import does.
    amazon.control.clear_faults().await;
    let resumed = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--all"]));
    let resumed = resumed.assert_ok().json();
    assert_eq!(resumed[0]["outcome"], "completed", "{resumed}");
    let resumed_new = resumed[0]["orders_new"].as_i64().unwrap();
    let stored = amazon_order_ids(&home).await;
    assert_eq!(stored.len() as i64, interrupted_new + resumed_new);
    let unique: BTreeSet<&String> = stored.iter().collect();
    assert_eq!(unique.len(), stored.len(), "no order stored twice");

    let reference = amazon.mws_home();
    connect_with(&reference, &seller, &token);
    tokio::task::block_in_place(|| reference.run(&["sync", "--all"])).assert_ok();
    assert_eq!(stored, amazon_order_ids(&reference).await, "no order lost");
}

/// `name{labels}` → value of a Prometheus text exposition, checking its shape: `# HELP`/`# TYPE` lines, then
/// `series value` lines of the family last typed.
fn parse_exposition(text: &str) -> BTreeMap<String, f64> {
    let mut samples = BTreeMap::new();
    let mut family = String::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect("# TYPE name kind");
            assert!(matches!(kind, "counter" | "gauge"), "{line}");
            family = name.to_owned();
            continue;
        }
        if line.starts_with("# HELP ") {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').expect("series value");
        let name = series.split('{').next().unwrap();
        assert_eq!(name, family, "a sample outside its family: {line}");
        if let Some(labels) = series.strip_prefix(name).filter(|l| !l.is_empty()) {
            assert!(labels.starts_with('{') && labels.ends_with('}'), "{line}");
            for pair in labels[1..labels.len() - 1].split("\",") {
                let (key, value) = pair.split_once("=\"").expect("label=\"value\"");
                assert!(
                    key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                    "{line}"
                );
                assert!(!value.trim_end_matches('"').contains('\n'));
            }
        }
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("not a number: {line}"));
        samples.insert(series.to_owned(), value);
    }
    samples
}

async fn scrape(url: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn metrics_count_the_imports_orders_and_amazon_calls_of_serve() {
    let amazon = Amazon::start(1).await;
    let home = amazon.mws_home();
    connect(&home, &amazon, &amazon.seller(0)).await;
    let mut serving = home.spawn(&[
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--metrics-listen",
        "127.0.0.1:0",
        "--sync-every-minutes",
        "60",
    ]);
    let banner = tokio::task::block_in_place(|| serving.read_until("Metrics:"));
    let url_after = |marker: &str| {
        let line = banner
            .lines()
            .find(|l| l.contains(marker))
            .unwrap_or_else(|| panic!("{banner}"));
        line.split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap()
            .trim_end_matches("/metrics")
            .trim_end_matches('/')
            .to_owned()
    };
    let app = url_after("serving at");
    let separate = url_after("Metrics:");

    // The background import runs at start; wait until the metrics say it completed.
    let deadline = Instant::now() + Duration::from_secs(60);
    let samples = loop {
        let answer = scrape(&format!("{app}/metrics"), &[]).await;
        assert_eq!(answer.status(), 200);
        assert_eq!(
            answer.headers()["content-type"],
            "text/plain; version=0.0.4; charset=utf-8"
        );
        let samples = parse_exposition(&answer.text().await.unwrap());
        if samples.get(r#"sellerlink_imports_total{outcome="completed"}"#) == Some(&1.0) {
            break samples;
        }
        assert!(
            Instant::now() < deadline,
            "no import completed: {samples:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let value = |series: &str| samples.get(series).copied().unwrap_or_default();
    let written = value("sellerlink_orders_written_total");
    assert!(written > 0.0, "{samples:?}");
    assert!(
        value(r#"sellerlink_amazon_requests_total{api="mws",operation="Orders.ListOrders"}"#)
            >= 1.0
    );
    assert!(
        value(r#"sellerlink_amazon_requests_total{api="mws",operation="Orders.ListOrderItems"}"#)
            >= written,
        "an item listing per new order: {samples:?}"
    );
    assert!(samples.contains_key(
        r#"sellerlink_amazon_throttled_total{api="mws",operation="Orders.ListOrderItems"}"#
    ));
    assert!(samples.contains_key("sellerlink_lease_takeovers_total"));
    assert_eq!(value("sellerlink_connections"), 1.0);
    // The queue: the one connection was claimed and imported, and is not due again for its interval.
    assert!(
        samples.contains_key("sellerlink_import_queue_due"),
        "{samples:?}"
    );
    assert_eq!(value("sellerlink_import_queue_due"), 0.0, "{samples:?}");
    assert_eq!(value("sellerlink_import_queue_oldest_due_seconds"), 0.0);

    // The separate listener serves the same; on the app's listener a forwarded request is not answered.
    let there = parse_exposition(
        &scrape(&format!("{separate}/metrics"), &[])
            .await
            .text()
            .await
            .unwrap(),
    );
    assert_eq!(
        there.get(r#"sellerlink_imports_total{outcome="completed"}"#),
        Some(&1.0)
    );
    let proxied = scrape(
        &format!("{app}/metrics"),
        &[("x-forwarded-for", "203.0.113.9")],
    )
    .await;
    assert_eq!(proxied.status(), 404);
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_all_runs_a_bounded_number_at_once_and_ends_on_a_total() {
    let amazon = Amazon::start(3).await;
    let home = amazon.mws_home();
    let mut ids: Vec<String> = Vec::new();
    for n in 0..3 {
        ids.push(connect(&home, &amazon, &amazon.seller(n)).await);
    }
    amazon.act(&amazon.seller(2), "revoke").await;

    let run = tokio::task::block_in_place(|| {
        home.run(&["--db-pool-size", "2", "sync", "--all", "--concurrency", "1"])
    });
    assert!(!run.status.success(), "one connection failed");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "one line per connection and the total: {}",
        run.stdout
    );
    for id in &ids {
        assert_eq!(
            lines.iter().filter(|l| l.starts_with(id.as_str())).count(),
            1,
            "{lines:?}"
        );
    }
    let new: u64 = lines[..3]
        .iter()
        .map(|line| {
            let before = line.split(" new,").next().unwrap();
            before.rsplit(' ').next().unwrap().parse::<u64>().unwrap()
        })
        .sum();
    assert!(new > 0);
    assert_eq!(
        lines[3],
        format!(
            "TOTAL 3 connection(s): 2 imported, 1 failed, 0 held elsewhere; {new} new, 0 changed orders"
        ),
        "{}",
        run.stdout
    );

    let json = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--all"]));
    // The refused connection is paused now: skipped, which is not a failure.
    json.assert_ok();
    let elements = json.json();
    let elements = elements.as_array().unwrap();
    assert_eq!(elements.len(), 4);
    let total = &elements[3]["total"];
    assert_eq!(total["connections"], 3);
    assert_eq!(total["imported"], 2);
    assert_eq!(total["failed"], 0);
    assert_eq!(total["paused"], 1);
    assert_eq!(total["orders_new"], 0, "nothing new the second time");
    assert!(elements[..3].iter().all(|e| e["connection_id"].is_string()));

    // Every run was finished and every lease given back, the failed one's too.
    let mut db = database(&home).await;
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sync_runs WHERE finished_at_ms IS NULL")
            .fetch_one(&mut db)
            .await
            .unwrap();
    let leases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leases WHERE expires_at_ms <> 0")
        .fetch_one(&mut db)
        .await
        .unwrap();
    assert_eq!((open, leases), (0, 0));
}
