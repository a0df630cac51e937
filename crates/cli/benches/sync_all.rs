//! `sellerlink sync --all` over many connections: the sandbox (in this process) has one seller per connection,
//! the connections are written straight into a fresh home's SQLite store (set-up, not measured), then the real
//! binary runs under `/usr/bin/time -v`; its wall time, peak memory (max RSS), exit status and `TOTAL` line are
//! printed.
//!
//! ```text
//! cargo bench -p sellerlink --bench sync_all                                  # 10,000 connections
//! SYNC_ALL_CONNECTIONS=1000 cargo bench -p sellerlink --bench sync_all
//! SYNC_ALL_ORDERS=5 SYNC_ALL_ARGS="--concurrency 8" cargo bench -p sellerlink --bench sync_all
//! ```
//!
//! `SYNC_ALL_ORDERS` is the orders per seller (default 2), `SYNC_ALL_ARGS` extra arguments to `sync --all`,
//! `SYNC_ALL_GLOBAL_ARGS` extra global arguments (e.g. `--db-pool-size 8`).

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_secrets::Keyring;
use sellerlink_store::{SealedCredential, Store};
use sellerlink_sync::KeyringCredentials;
use sellerlink_testkit::SandboxControl;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn words(name: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let connections = env_number("SYNC_ALL_CONNECTIONS", 10_000);
    let orders = env_number("SYNC_ALL_ORDERS", 2);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(connections, orders));
}

async fn run(connections: usize, orders: usize) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certs = tempfile::tempdir().expect("temp dir");
    let started = Instant::now();
    let sandbox = sellerlink_sandbox::start(sellerlink_sandbox::SandboxConfig {
        sellers: connections,
        orders_per_seller: orders,
        throttle_scale: 1000.0,
        cert_dir: certs.path().to_path_buf(),
        ..sellerlink_sandbox::SandboxConfig::default()
    })
    .await
    .expect("the sandbox starts");
    eprintln!(
        "sandbox with {connections} sellers × {orders} orders up in {:.1}s",
        started.elapsed().as_secs_f64()
    );

    let home = tempfile::tempdir().expect("temp dir");
    let developer = sandbox.demo_developer();
    let env: Vec<(&str, String)> = vec![
        ("SELLERLINK_HOME", home.path().display().to_string()),
        ("SELLERLINK_MWS_ENDPOINT", sandbox.https_url()),
        (
            "SELLERLINK_MWS_ACCESS_KEY_ID",
            developer.access_key_id.clone(),
        ),
        ("SELLERLINK_MWS_SECRET_KEY", developer.secret_key.clone()),
        (
            "SELLERLINK_MWS_CA_FILE",
            sandbox.ca_pem_path().display().to_string(),
        ),
        ("SELLERLINK_MWS_RESTORE_RATE_SCALE", "1000".to_owned()),
        ("SELLERLINK_LOG", "warn".to_owned()),
    ];
    let binary = env!("CARGO_BIN_EXE_sellerlink");
    let migrate = Command::new(binary)
        .arg("migrate")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .status()
        .expect("sellerlink migrate runs");
    assert!(migrate.success());

    // The connections, written straight into the store with credentials sealed by the home's key file.
    let started = Instant::now();
    let keyring = Arc::new(
        Keyring::resolve(None, None, &home.path().join("master.key")).expect("the key file"),
    );
    let url = format!("sqlite://{}", home.path().join("sellerlink.db").display());
    let store = Store::connect(&url).await.expect("store");
    let now = jiff::Timestamp::now();
    let audit = |merchant_id, connection_id, action| AuditEntry {
        merchant_id,
        connection_id,
        actor: Actor::cli("bench"),
        action,
        at: now,
        before: None,
        after: None,
    };
    let merchant = Merchant {
        id: MerchantId::new(),
        name: MerchantName::parse("bench").expect("name"),
        language: Language::Ja,
        created_at: now,
    };
    store
        .insert_merchant(
            &merchant,
            &audit(merchant.id, None, AuditAction::MerchantCreated),
        )
        .await
        .expect("merchant");
    let control = SandboxControl::new(sandbox.http_url());
    let sellers = sandbox.sellers();
    for seller in &sellers {
        let token = control
            .grant(&seller.seller_id, &developer.developer_id)
            .await
            .mws_auth_token;
        let japan = MarketplaceId::parse(&seller.marketplace_ids[0]).expect("marketplace");
        let connection = Connection {
            id: ConnectionId::new(),
            merchant_id: merchant.id,
            account: ApiAccount::Mws {
                seller_id: SellerId::parse(&seller.seller_id).expect("seller id"),
                developer_id: DeveloperId::parse(&developer.developer_id).expect("developer"),
            },
            grant: AccessGrant::new(now, japan.marketplace(), RenewalTerm::OneYear, true),
            marketplaces: vec![ConnectedMarketplace {
                id: japan,
                name: None,
            }],
            verified_at: Some(now),
            created_at: now,
        };
        let sealed = keyring
            .seal(
                &KeyringCredentials::context(connection.id),
                &SecretString::from(token),
            )
            .expect("seal");
        let credential = SealedCredential {
            kek_id: sealed.kek_id().to_string(),
            blob: sealed.to_bytes(),
        };
        store
            .insert_connection(
                &connection,
                &credential,
                &audit(
                    merchant.id,
                    Some(connection.id),
                    AuditAction::ConnectionCreated,
                ),
            )
            .await
            .expect("connection");
    }
    store.close().await;
    eprintln!(
        "{} connections stored in {:.1}s",
        sellers.len(),
        started.elapsed().as_secs_f64()
    );

    // The measurement.
    let stdout_path = home.path().join("sync.out");
    let stderr_path = home.path().join("sync.err");
    let mut args: Vec<String> = vec!["-v".into(), binary.into()];
    args.extend(words("SYNC_ALL_GLOBAL_ARGS"));
    args.extend(["sync".into(), "--all".into()]);
    args.extend(words("SYNC_ALL_ARGS"));
    let started = Instant::now();
    let status = tokio::task::spawn_blocking(move || {
        Command::new("/usr/bin/time")
            .args(&args)
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
            .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
            .status()
            .expect("/usr/bin/time runs (apt-get install time)")
    })
    .await
    .expect("joined");
    let wall = started.elapsed().as_secs_f64();
    let stdout = std::fs::read_to_string(home.path().join("sync.out")).expect("stdout");
    let stderr = std::fs::read_to_string(home.path().join("sync.err")).expect("stderr");
    let max_rss_kib: f64 = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(f64::NAN);
    let lines = stdout.lines().count();
    let total = stdout
        .lines()
        .find(|l| l.starts_with("TOTAL"))
        .unwrap_or("(no TOTAL line)");
    let warnings = stderr.lines().filter(|l| l.contains("WARN")).count();
    let unfinished = count(&url, "sync_runs WHERE finished_at_ms IS NULL").await;
    let leases = count(&url, "leases").await;
    println!("sync --all over {connections} connection(s) × {orders} order(s)");
    println!("  exit status        {status}");
    println!("  wall time          {wall:.1} s");
    println!(
        "  peak memory        {:.1} MiB (max RSS)",
        max_rss_kib / 1024.0
    );
    println!("  stdout lines       {lines}");
    println!("  {total}");
    println!(
        "  WARN lines         {warnings}, stderr {} bytes",
        stderr.len()
    );
    println!("  unfinished runs    {unfinished}");
    println!("  leases left        {leases}");
    drop(sandbox);
}

/// Rows of `from` (a table with an optional condition), read with a connection of its own.
async fn count(url: &str, from: &str) -> i64 {
    use sqlx::Connection as _;
    let mut connection = sqlx::SqliteConnection::connect(url)
        .await
        .expect("database");
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {from}")))
        .fetch_one(&mut connection)
        .await
        .expect("count")
}
