//! Import benchmarks: the sandbox runs in a child process (this binary, re-run as a server), sellerlink imports
//! over loopback HTTP into a fresh SQLite file, and CPU time and peak memory are read from `/proc` for each side.
//!
//! ```text
//! cargo bench -p sellerlink-sync --bench import                           # all three benchmarks
//! cargo bench -p sellerlink-sync --bench import -- throughput             # (1) MWS only
//! cargo bench -p sellerlink-sync --bench import -- throughput-spapi       # (1) SP-API only
//! cargo bench -p sellerlink-sync --bench import -- quota                  # (3) only
//! SYNC_BENCH_ORDERS=20000 cargo bench -p sellerlink-sync --bench import -- throughput throughput-spapi
//! ```
//!
//! (1) throughput: one seller with `SYNC_BENCH_ORDERS` orders (default 12 000), throttling off, a first import —
//!     `throughput` through MWS (`ListOrders` pages + one `ListOrderItems` per order, XML, Signature V2),
//!     `throughput-spapi` through SP-API (LWA, Orders 2026-01-01 `searchOrders` pages that carry the items, JSON).
//!     Both share the sandbox process, the store set-up and the measurement; only the connection's API differs.
//! (3) quota efficiency: `SYNC_BENCH_SELLERS` sellers (default 4) × `SYNC_BENCH_QUOTA_ORDERS` orders (default
//!     400) under Amazon's quotas with restore rates × `SYNC_BENCH_SCALE` (default 40), imported side by side
//!     with pacing on (headroom `SYNC_BENCH_HEADROOM`, default 0.02); total time over the lower bound the quotas
//!     allow, and the throttled answers.
//!
//! `SYNC_BENCH_CONCURRENCY` overrides the item listings in flight per connection (default 8).

use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{
    AwsAccessKeyId, ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId,
    SellingPartnerId,
};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_secrets::{Keyring, MasterKey};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{Engine, LeaseOwner, SealedCredential, Store, StoreOptions};
use sellerlink_sync::{
    GatewayFactory, ImportConfig, ImportOutcome, Importer, KeyringBuyerData, KeyringCredentials,
    MwsGatewayFactory, MwsSettings, Scheduler, SchedulerConfig, SpApiGatewayFactory, SpApiSettings,
    WorkReport,
};
use sellerlink_testkit::SandboxControl;
use sellerlink_testkit::database::TestDatabase;
use sellerlink_testkit::sandbox_control::{Identity, Seller};
use tokio_util::sync::CancellationToken;

const SERVE_FLAG: &str = "--serve-sandbox";
const GENERATED_AT: &str = "2024-03-01T03:00:00Z";
/// From this long after generation on, generated orders no longer change.
const SETTLED_AFTER: SignedDuration = SignedDuration::from_hours(12 * 24);
const NO_THROTTLING: f64 = 1e9;
const ITEMS_BURST: f64 = 30.0;
const ITEMS_RESTORE_SECS: f64 = 2.0;
const LIST_BURST: f64 = 6.0;
const LIST_RESTORE_SECS: f64 = 60.0;

fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// The child: a sandbox that serves until its stdin closes.

fn serve(args: &[String]) {
    let number = |index: usize| -> f64 { args[index].parse().expect("numeric argument") };
    let config = sellerlink_sandbox::SandboxConfig {
        seed: 77,
        sellers: number(0) as usize,
        orders_per_seller: number(1) as usize,
        throttle_scale: number(2),
        clock_start: Some(GENERATED_AT.parse().expect("valid instant")),
        cert_dir: std::env::temp_dir()
            .join(format!("sellerlink-sync-bench-{}", std::process::id())),
        ..sellerlink_sandbox::SandboxConfig::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let sandbox = sellerlink_sandbox::start(config)
            .await
            .expect("sandbox starts");
        println!("READY {}", sandbox.http_url());
        std::io::stdout().flush().ok();
        let mut line = String::new();
        let _ = tokio::task::spawn_blocking(move || std::io::stdin().read_line(&mut line)).await;
        sandbox.shutdown().await;
    });
}

/// A sandbox in a child process.
struct SandboxProcess {
    child: Child,
    stdin: Option<ChildStdin>,
    url: String,
    control: SandboxControl,
}

impl SandboxProcess {
    fn start(sellers: usize, orders: usize, throttle_scale: f64) -> Self {
        let mut child = Command::new(std::env::current_exe().expect("own path"))
            .args([
                SERVE_FLAG,
                &sellers.to_string(),
                &orders.to_string(),
                &throttle_scale.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the sandbox process starts");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .expect("the sandbox reports its address");
        let url = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("unexpected sandbox output {line:?}"))
            .to_owned();
        Self {
            child,
            stdin,
            control: SandboxControl::new(url.clone()),
            url,
        }
    }

    fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.child.id()))
    }

    fn peak_rss_mib(&self) -> f64 {
        peak_rss_mib(&format!("/proc/{}/status", self.child.id()))
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// /proc readings.

fn clock_ticks_per_second() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(100.0)
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).expect("/proc stat");
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields[11].parse().expect("utime");
    let stime: f64 = fields[12].parse().expect("stime");
    (utime + stime) / clock_ticks_per_second()
}

/// The CPU time of every process named `postgres` on this machine, per process id: the database server's share of a
/// pass on PostgreSQL (its backends outlive the pass, as the pool keeps them). Processes that ended meanwhile are
/// missed, so compare this only across a pass where the pool stays open.
fn postgres_cpu_seconds() -> std::collections::HashMap<u32, f64> {
    let mut cpu = std::collections::HashMap::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|name| name.parse::<u32>().ok())
        else {
            continue;
        };
        let is_postgres = std::fs::read_to_string(format!("/proc/{pid}/comm"))
            .is_ok_and(|comm| comm.trim_end() == "postgres");
        let stat = format!("/proc/{pid}/stat");
        if is_postgres && std::path::Path::new(&stat).exists() {
            cpu.insert(pid, cpu_seconds(&stat));
        }
    }
    cpu
}

/// The database server's CPU time between two readings of [`postgres_cpu_seconds`].
fn postgres_cpu_between(
    before: &std::collections::HashMap<u32, f64>,
    after: &std::collections::HashMap<u32, f64>,
) -> f64 {
    after
        .iter()
        .map(|(pid, seconds)| seconds - before.get(pid).copied().unwrap_or(0.0))
        .sum()
}

/// VmHWM (peak resident set) of a process, in MiB.
fn peak_rss_mib(status_path: &str) -> f64 {
    let status = std::fs::read_to_string(status_path).expect("/proc status");
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM");
    kib / 1024.0
}

// ---------------------------------------------------------------------------------------------
// sellerlink's side.

/// The system clock moved to the sandbox's time.
#[derive(Debug)]
struct OffsetClock(SignedDuration);

impl Clock for OffsetClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
            .saturating_add(self.0)
            .unwrap_or(Timestamp::MAX)
    }
}

/// Which Amazon API the bench's connections use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Api {
    /// MWS with the demo developer's keys and an MWS Auth Token per seller.
    Mws,
    /// SP-API as the sandbox's demo app, with a self-authorized LWA refresh token per seller.
    SpApi,
}

impl Api {
    /// The name in the printed tables.
    fn label(self) -> &'static str {
        match self {
            Self::Mws => "MWS (ListOrders + ListOrderItems, XML)",
            Self::SpApi => "SP-API (searchOrders with items, JSON)",
        }
    }
}

struct Setup {
    store: Store,
    importer: Importer,
    connections: Vec<ConnectionId>,
    database: TestDatabase,
}

impl Setup {
    /// Closes the store and removes its database (a PostgreSQL one is dropped).
    async fn remove(self) {
        self.store.close().await;
        self.database.remove().await;
    }
}

/// The bench's database: a new SQLite file, or with `SYNC_BENCH_ENGINE=postgres` a new database on the server
/// `TEST_DATABASE_URL` names (an admin URL, as for the tests).
async fn bench_database() -> TestDatabase {
    match std::env::var("SYNC_BENCH_ENGINE").as_deref() {
        Ok("postgres") => TestDatabase::postgres().await.expect(
            "SYNC_BENCH_ENGINE=postgres needs TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres",
        ),
        Ok("sqlite") | Err(_) => TestDatabase::sqlite(),
        Ok(other) => panic!("SYNC_BENCH_ENGINE={other}: expected sqlite or postgres"),
    }
}

/// A seller's grant as the bench's connection holds it: the account, its term and the credential to seal.
struct SellerGrant {
    account: ApiAccount,
    term: RenewalTerm,
    secret: String,
}

/// Grants the bench access to `seller` through the control API, in `api`'s way.
async fn grant(
    sandbox: &SandboxProcess,
    api: Api,
    seller: &Seller,
    developer_id: &str,
    home: &MarketplaceId,
) -> SellerGrant {
    let seller_id = seller.seller_id.as_str();
    match api {
        Api::Mws => {
            let grant = sandbox.control.grant(seller_id, developer_id).await;
            SellerGrant {
                account: ApiAccount::Mws {
                    seller_id: SellerId::parse(seller_id).expect("seller id"),
                    developer_id: DeveloperId::parse(developer_id).expect("developer id"),
                },
                term: RenewalTerm::OneYear,
                secret: grant.mws_auth_token,
            }
        }
        Api::SpApi => {
            let authorization = sandbox.control.authorize(seller_id, None).await;
            SellerGrant {
                account: ApiAccount::SpApi {
                    selling_partner_id: SellingPartnerId::parse(seller_id).expect("seller id"),
                    region: home.marketplace().region,
                },
                term: RenewalTerm::Days365,
                secret: authorization.refresh_token.expect("refresh token"),
            }
        }
    }
}

/// The gateway factory of `api` against the sandbox: MWS as the demo developer, SP-API as the demo app (both
/// from the sandbox's `identity`).
fn gateway_factory(
    sandbox: &SandboxProcess,
    api: Api,
    identity: &Identity,
    clock: Arc<dyn Clock>,
    rate_scale: f64,
    pacing: bool,
) -> Arc<dyn GatewayFactory> {
    match api {
        Api::Mws => {
            let developer = identity.developer.as_ref().expect("the demo developer");
            let mut settings = MwsSettings::new(
                sandbox.url.parse().expect("URL"),
                AwsAccessKeyId::parse(&developer.access_key_id).expect("access key"),
                SecretString::from(developer.secret_key.clone()),
            );
            settings.restore_rate_scale = rate_scale;
            settings.pacing = pacing;
            settings.pacing_headroom = env_number("SYNC_BENCH_HEADROOM", settings.pacing_headroom);
            Arc::new(MwsGatewayFactory::new(&settings, clock).expect("settings"))
        }
        Api::SpApi => {
            let app = identity.app.as_ref().expect("the demo app");
            let credentials = LwaCredentials::new(
                LwaClientId::parse(&app.client_id).expect("the demo app's client id"),
                LwaClientSecret::parse(&app.client_secret).expect("the demo app's client secret"),
            );
            // The secret's expiry date feeds only the operator's countdown, which the bench does not show.
            let mut settings = SpApiSettings::new(credentials, jiff::civil::date(9999, 12, 31));
            settings.lwa_endpoint = format!("{}/auth/o2/token", sandbox.url)
                .parse()
                .expect("LWA URL");
            settings.spapi_endpoint_override = Some(sandbox.url.parse().expect("URL"));
            settings.rate_scale = rate_scale;
            settings.pacing = pacing;
            Arc::new(SpApiGatewayFactory::new(&settings, clock).expect("settings"))
        }
    }
}

async fn setup(sandbox: &SandboxProcess, api: Api, rate_scale: f64, pacing: bool) -> Setup {
    let settled = GENERATED_AT.parse::<Timestamp>().expect("valid") + SETTLED_AFTER;
    sandbox.control.set_clock(&settled.to_string()).await;
    let sandbox_now: Timestamp = sandbox.control.clock().await.now.parse().expect("instant");
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock(sandbox_now.duration_since(Timestamp::now())));
    let identity = sandbox.control.identity().await;
    let developer_id = identity
        .developer
        .as_ref()
        .expect("the demo developer")
        .developer_id
        .clone();
    let sellers = sandbox.control.sellers().await;

    let database = bench_database().await;
    let keyring = Arc::new(Keyring::new(MasterKey::generate().expect("randomness"), []));
    let options = StoreOptions {
        pool_size: std::env::var("SYNC_BENCH_POOL").ok().map(|size| {
            size.parse()
                .expect("SYNC_BENCH_POOL: a number of connections")
        }),
    };
    let store = Store::connect_with(database.url(), options)
        .await
        .expect("store")
        .with_buyer_seal(Arc::new(KeyringBuyerData::new(keyring.clone())));
    store.migrate().await.expect("migrations");
    let now = clock.now();
    let mut connections = Vec::new();
    for seller in &sellers {
        let seller_id = seller.seller_id.as_str();
        let merchant = Merchant {
            id: MerchantId::new(),
            name: MerchantName::parse(&format!("bench {seller_id}")).expect("name"),
            language: Language::Ja,
            created_at: now,
        };
        let audit = |merchant_id, connection_id, action| AuditEntry {
            merchant_id,
            connection_id,
            actor: Actor::cli("bench"),
            action,
            at: now,
            before: None,
            after: None,
        };
        store
            .insert_merchant(
                &merchant,
                &audit(merchant.id, None, AuditAction::MerchantCreated),
            )
            .await
            .expect("merchant");
        let marketplaces: Vec<ConnectedMarketplace> = seller
            .marketplace_ids
            .iter()
            .map(|id| ConnectedMarketplace {
                id: MarketplaceId::parse(id).expect("marketplace"),
                name: None,
            })
            .collect();
        let granted = grant(sandbox, api, seller, &developer_id, &marketplaces[0].id).await;
        let connection = Connection {
            id: ConnectionId::new(),
            merchant_id: merchant.id,
            account: granted.account,
            grant: AccessGrant::new(now, marketplaces[0].id.marketplace(), granted.term, true),
            marketplaces,
            verified_at: Some(now),
            created_at: now,
        };
        let sealed = keyring
            .seal(
                &KeyringCredentials::context(connection.id),
                &SecretString::from(granted.secret),
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
        connections.push(connection.id);
    }

    let factory = gateway_factory(sandbox, api, &identity, clock.clone(), rate_scale, pacing);
    let mut config = ImportConfig::new(LeaseOwner::parse("bench").expect("owner"));
    config.initial_lookback = SignedDuration::from_hours(90 * 24);
    config.items_concurrency = env_number("SYNC_BENCH_CONCURRENCY", config.items_concurrency);
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    let importer = Importer::new(store.clone(), clock, Arc::new(credentials), factory, config);
    Setup {
        store,
        importer,
        connections,
        database,
    }
}

// ---------------------------------------------------------------------------------------------
// (1) Throughput.

async fn throughput(api: Api) {
    let orders: usize = env_number("SYNC_BENCH_ORDERS", 12_000);
    let sandbox = SandboxProcess::start(1, orders, NO_THROTTLING);
    let setup = setup(&sandbox, api, NO_THROTTLING, false).await;
    let id = setup.connections[0];

    let (cpu_before, sandbox_cpu_before) = (cpu_seconds("/proc/self/stat"), sandbox.cpu_seconds());
    let started = Instant::now();
    let report = setup
        .importer
        .run_once(id)
        .await
        .expect("the run is recorded");
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds("/proc/self/stat") - cpu_before;
    let sandbox_cpu = sandbox.cpu_seconds() - sandbox_cpu_before;
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
    let imported = report.orders_new as f64;
    let items: usize = setup
        .store
        .order_ids(id)
        .await
        .expect("summaries")
        .iter()
        .map(|s| s.item_count as usize)
        .sum();
    let per_10k = 10_000.0 / imported;
    println!(
        "\n(1) throughput, throttling off: one seller, first import, {}, sandbox over loopback HTTP → SQLite",
        api.label()
    );
    println!(
        "| orders | items | pages | item calls | wall s | orders/s | sellerlink CPU s /10k | sandbox CPU s /10k | sellerlink peak RSS MiB | sandbox peak RSS MiB |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {} | {} | {} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {:.1} | {:.1} |",
        report.orders_new,
        items,
        report.pages,
        report.item_calls,
        wall,
        imported / wall,
        cpu * per_10k,
        sandbox_cpu * per_10k,
        peak_rss_mib("/proc/self/status"),
        sandbox.peak_rss_mib(),
    );
    let name = match api {
        Api::Mws => "throughput",
        Api::SpApi => "throughput-spapi",
    };
    println!(
        "command: cargo bench -p sellerlink-sync --bench import -- {name}   (SYNC_BENCH_ORDERS={orders})"
    );
    setup.remove().await;
}

// ---------------------------------------------------------------------------------------------
// (3) Quota efficiency.

async fn quota() {
    let sellers: usize = env_number("SYNC_BENCH_SELLERS", 4);
    let orders: usize = env_number("SYNC_BENCH_QUOTA_ORDERS", 400);
    let scale: f64 = env_number("SYNC_BENCH_SCALE", 40.0);
    let sandbox = SandboxProcess::start(sellers, orders, scale);
    let setup = setup(&sandbox, Api::Mws, scale, true).await;
    sandbox.control.clear_requests().await;
    let scheduler = Scheduler::new(
        setup.importer.clone(),
        SchedulerConfig {
            max_concurrent: sellers,
            jitter: SignedDuration::ZERO,
            ..SchedulerConfig::default()
        },
    );
    let started = Instant::now();
    let runs = scheduler
        .tick(setup.importer.clock().now())
        .await
        .expect("tick");
    let wall = started.elapsed().as_secs_f64();

    let item_period = ITEMS_RESTORE_SECS / scale;
    let list_period = LIST_RESTORE_SECS / scale;
    let mut bound: f64 = 0.0;
    let mut throttled = 0;
    println!(
        "\n(3) quota efficiency: {sellers} sellers side by side, Amazon's quotas with restore rates × {scale}, pacing on"
    );
    println!("| seller | orders | item calls | pages | bound s (items, list) |");
    println!("| ---: | ---: | ---: | ---: | ---: |");
    for (index, run) in runs.iter().enumerate() {
        let report = run.result.as_ref().expect("the run is recorded");
        assert_eq!(
            report.outcome,
            ImportOutcome::Completed,
            "{:?}",
            report.error
        );
        throttled += report.throttled;
        let items_bound = (report.item_calls as f64 - ITEMS_BURST).max(0.0) * item_period;
        let list_bound = (f64::from(report.pages) - LIST_BURST).max(0.0) * list_period;
        bound = bound.max(items_bound).max(list_bound);
        println!(
            "| {} | {} | {} | {} | {:.2}, {:.2} |",
            index + 1,
            report.orders_new,
            report.item_calls,
            report.pages,
            items_bound,
            list_bound
        );
    }
    let log = sandbox.control.requests(2000).await;
    let logged = log.len();
    let throttled_in_log = log
        .iter()
        .filter(|entry| entry["status"].as_u64() == Some(503))
        .count();
    println!(
        "| total time s | lower bound s | time / bound | throttled (engine) | 503 in the sandbox log ({logged} requests) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: |");
    println!(
        "| {wall:.2} | {bound:.2} | {:.3} | {throttled} | {throttled_in_log} |",
        wall / bound
    );
    println!(
        "command: cargo bench -p sellerlink-sync --bench import -- quota   (SYNC_BENCH_SELLERS={sellers} SYNC_BENCH_QUOTA_ORDERS={orders} SYNC_BENCH_SCALE={scale})"
    );
    setup.remove().await;
}

// ---------------------------------------------------------------------------------------------
// (4) An incremental worker pass over connections with nothing new.

async fn idle_pass() {
    let sellers: usize = env_number("SYNC_BENCH_IDLE_SELLERS", 1_000);
    let orders: usize = env_number("SYNC_BENCH_IDLE_ORDERS", 3);
    let sandbox = SandboxProcess::start(sellers, orders, 1000.0);
    let setup = setup(&sandbox, Api::Mws, 1000.0, true).await;
    let scheduler = Scheduler::new(
        setup.importer.clone(),
        SchedulerConfig {
            max_concurrent: env_number("SYNC_BENCH_IDLE_CONCURRENCY", 8),
            jitter: SignedDuration::ZERO,
            ..SchedulerConfig::default()
        },
    );
    let now = setup.importer.clock().now();
    let first = scheduler.tick(now).await.expect("first pass");
    assert_eq!(first.len(), sellers, "every connection imported once");
    // Ten minutes later every connection is due again, and Amazon has nothing new for any of them: a worker's loop
    // (the one `sellerlink worker` runs) claims and imports them until each has run once more.
    let due = setup.importer.clock().now();
    for id in &setup.connections {
        setup.store.schedule_import(*id, due).await.expect("due");
    }
    let shutdown = CancellationToken::new();
    let finished: Arc<Mutex<Vec<(ImportOutcome, u64)>>> = Arc::default();
    let report: WorkReport = {
        let (finished, shutdown) = (Arc::clone(&finished), shutdown.clone());
        Arc::new(move |_check, run| {
            let Some(run) = run else { return };
            let report = run.result.as_ref().expect("the run is recorded");
            let mut finished = finished.lock().expect("not poisoned");
            finished.push((report.outcome, report.orders_new + report.orders_changed));
            if finished.len() == sellers {
                shutdown.cancel();
            }
        })
    };
    let engine = setup.database.engine();
    let on_postgres = engine == Engine::Postgres;
    let server_before = if on_postgres {
        postgres_cpu_seconds()
    } else {
        Default::default()
    };
    let (cpu_before, sandbox_cpu_before) = (cpu_seconds("/proc/self/stat"), sandbox.cpu_seconds());
    let started = Instant::now();
    // In its own task, as `sellerlink worker` runs it.
    tokio::spawn(Arc::new(scheduler).run_reporting(shutdown, report))
        .await
        .expect("the worker's loop ran");
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds("/proc/self/stat") - cpu_before;
    let sandbox_cpu = sandbox.cpu_seconds() - sandbox_cpu_before;
    let server_cpu =
        on_postgres.then(|| postgres_cpu_between(&server_before, &postgres_cpu_seconds()));
    let finished = std::mem::take(&mut *finished.lock().expect("not poisoned"));
    assert_eq!(
        finished.len(),
        sellers,
        "every connection imported once more"
    );
    assert!(
        finished
            .iter()
            .all(|(outcome, _)| *outcome == ImportOutcome::Completed),
        "every run completed"
    );
    let written: u64 = finished.iter().map(|(_, written)| written).sum();
    assert_eq!(written, 0, "nothing new");
    let later = setup.importer.clock().now();
    let queue = setup.store.import_queue(later).await.expect("queue");
    assert_eq!(queue.due, 0, "nothing left due");
    println!(
        "\n(4) incremental pass, nothing new: {sellers} connections on {engine}, a worker's loop over the store's queue, 1 ListOrders each"
    );
    println!(
        "| connections | wall s | sellerlink CPU ms / connection | sandbox CPU ms / connection | PostgreSQL server CPU ms / connection | peak RSS MiB |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: |");
    let per_connection = |seconds: f64| format!("{:.3}", seconds * 1000.0 / sellers as f64);
    println!(
        "| {sellers} | {wall:.2} | {} | {} | {} | {:.0} |",
        per_connection(cpu),
        per_connection(sandbox_cpu),
        server_cpu.map_or_else(|| "—".to_owned(), per_connection),
        peak_rss_mib("/proc/self/status"),
    );
    let engine_variable = if on_postgres {
        "SYNC_BENCH_ENGINE=postgres "
    } else {
        ""
    };
    println!(
        "command: {engine_variable}SYNC_BENCH_IDLE_SELLERS={sellers} cargo bench -p sellerlink-sync --bench import -- idle-pass"
    );
    setup.remove().await;
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(SERVE_FLAG) {
        serve(&args[1..]);
        return;
    }
    sellerlink_sandbox::install_crypto_provider();
    // Benchmarks are chosen by their exact names; none chosen runs all.
    let selected: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let wants = |name: &str| selected.is_empty() || selected.iter().any(|s| s.as_str() == name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if wants("throughput") {
        runtime.block_on(throughput(Api::Mws));
    }
    if wants("throughput-spapi") {
        runtime.block_on(throughput(Api::SpApi));
    }
    if wants("quota") {
        runtime.block_on(quota());
    }
    if wants("idle-pass") {
        runtime.block_on(idle_pass());
    }
}
