//! Load benchmark of the web app with 100,000 orders in the database: the dashboard page and `/api/v1/orders`.
//!
//! ```text
//! cargo bench -p sellerlink-web --bench load                 # seed, measure, print a Markdown table
//! cargo bench -p sellerlink-web --bench load -- --serve      # seed, then keep serving for wrk (prints the commands)
//! cargo bench -p sellerlink-web --bench load -- --no-optimize  # skip the store's statistics refresh after seeding
//! cargo bench -p sellerlink-web --bench load -- --rate 800 --seconds 30
//! ```
//!
//! Seeding writes the orders directly through the store (`upsert_orders`, 1,000 per transaction) into a
//! temporary SQLite database. The measurement is open-loop: requests are started on a fixed schedule (500/s by
//! default, `--rate N`) whether or not earlier ones have finished, so a slow server shows up as latency instead of
//! being hidden by a waiting client; then a closed-loop run with 32 connections finds the maximum rate.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use secrecy::SecretString;
use sellerlink_app::{App, DeveloperIdentity, KeySettings, NewMwsConnection, Settings};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{AmazonOrderId, DeveloperId, MarketplaceId, MwsAuthToken, SellerId};
use sellerlink_domain::lifecycle::StatusPolicy;
use sellerlink_domain::order::{Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus};
use sellerlink_secrets::MasterKey;
use sellerlink_store::Role;
use sellerlink_web::{NewUser, PasswordCost, WebConfig, add_user, serve};

const ORDERS: u32 = 100_000;
const CONNECTIONS: u32 = 4;
const PASSWORD: &str = "benchmark password 1";

struct Args {
    serve: bool,
    optimize: bool,
    rate: u32,
    seconds: u64,
}

fn args() -> Args {
    let mut args = Args {
        serve: false,
        optimize: true,
        rate: 500,
        seconds: 20,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--serve" => args.serve = true,
            "--no-optimize" => args.optimize = false,
            "--rate" => args.rate = it.next().and_then(|v| v.parse().ok()).expect("--rate N"),
            "--seconds" => {
                args.seconds = it.next().and_then(|v| v.parse().ok()).expect("--seconds N")
            }
            _ => {} // cargo bench passes --bench
        }
    }
    args
}

fn order(n: u32, purchased: Timestamp) -> Order {
    let yen = |amount: &str| Money {
        currency: "JPY".into(),
        amount: amount.into(),
    };
    let statuses = [
        OrderStatus::Unshipped,
        OrderStatus::Shipped,
        OrderStatus::Pending,
        OrderStatus::Canceled,
    ];
    Order {
        amazon_order_id: AmazonOrderId::parse(&format!("503-{:07}-{:07}", n / 10, n)).unwrap(),
        marketplace_id: MarketplaceId::japan(),
        status: statuses[(n % 4) as usize].clone(),
        fulfillment_channel: Some(if n.is_multiple_of(5) {
            FulfillmentChannel::Afn
        } else {
            FulfillmentChannel::Mfn
        }),
        purchase_date: purchased,
        last_update_date: purchased,
        order_total: Some(yen("3280.00")),
        sales_channel: Some("Amazon.co.jp".into()),
        ship_service_level: Some("Std JP Kanto8".into()),
        buyer_name: Some("山田 太郎".into()),
        shipping_address: Some(Address {
            name: Some("山田 太郎".into()),
            postal_code: Some("150-0001".into()),
            state_or_region: Some("東京都".into()),
            city: Some("渋谷区".into()),
            address_line1: Some("神宮前1-1-1".into()),
            country_code: Some("JP".into()),
            ..Address::default()
        }),
        payment_method: Some("Other".into()),
        latest_ship_date: Some(purchased + SignedDuration::from_hours(48)),
        items: (0..2)
            .map(|i| OrderItem {
                order_item_id: format!("{:014}", u64::from(n) * 10 + i),
                asin: format!("B0{:08}", n % 5000),
                seller_sku: Some(format!("SKU-{}", n % 5000)),
                title: Some(format!("商品 {}", n % 5000)),
                quantity_ordered: 1,
                quantity_shipped: 0,
                item_price: Some(yen("1490.00")),
                shipping_price: Some(yen("300.00")),
            })
            .collect(),
    }
}

struct Seeded {
    app: App,
    database_url: String,
    merchant_path: String,
    _dir: tempfile::TempDir,
}

async fn seed() -> Seeded {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let settings = Settings {
        database_url: database_url.clone(),
        keys: KeySettings {
            master_key: Some(MasterKey::generate().unwrap().export_base64()),
            previous_master_keys: None,
            key_file: dir.path().join("master.key"),
        },
        developer: DeveloperIdentity {
            name: "shippinno".into(),
            developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
        },
        status_policy: StatusPolicy::default(),
        mws: None,
        spapi: None,
        initial_lookback: SignedDuration::from_hours(24 * 30),
        lease_ttl: SignedDuration::from_mins(5),
    };
    let app = App::open(settings, Arc::new(SystemClock)).await.unwrap();
    let actor = Actor::cli("bench");
    let merchant = app
        .add_merchant(
            MerchantName::parse("ベンチ荷主").unwrap(),
            Language::Ja,
            &actor,
        )
        .await
        .unwrap();
    let started = Instant::now();
    let now = app.now();
    let per_connection = ORDERS / CONNECTIONS;
    for c in 0..CONNECTIONS {
        let view = app
            .add_mws_connection(
                NewMwsConnection {
                    merchant_id: merchant.id,
                    seller_id: SellerId::parse(&format!("A{:013}", c + 1)).unwrap(),
                    marketplaces: vec![MarketplaceId::japan()],
                    auth_token: MwsAuthToken::parse(
                        "amzn.mws.01234567-89ab-cdef-0123-456789abcdef",
                    )
                    .unwrap(),
                    granted_at: Some(now - SignedDuration::from_hours(24 * 100 * i64::from(c))),
                    last_approved_on: None,
                    expiry: None,
                    skip_verification: true,
                },
                &actor,
            )
            .await
            .unwrap();
        let stored = app.store().connection(view.connection.id).await.unwrap();
        let mut verified = stored.connection.clone();
        verified.verified_at = Some(now);
        let audit = AuditEntry {
            merchant_id: merchant.id,
            connection_id: Some(verified.id),
            actor: actor.clone(),
            action: AuditAction::ConnectionVerified,
            at: now,
            before: None,
            after: None,
        };
        app.store()
            .update_connection(&verified, stored.version, &audit)
            .await
            .unwrap();
        for batch in 0..per_connection / 1000 {
            let orders: Vec<Order> = (0..1000)
                .map(|i| {
                    let n = c * per_connection + batch * 1000 + i;
                    order(n, now - SignedDuration::from_mins(i64::from(n) * 3))
                })
                .collect();
            app.store()
                .upsert_orders(view.connection.id, &orders, now, None)
                .await
                .unwrap();
        }
    }
    let total = app.store().count_orders(&Default::default()).await.unwrap();
    eprintln!(
        "seeded {total} orders ({CONNECTIONS} connections) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    add_user(
        app.store(),
        NewUser {
            email: "owner@bench.example".into(),
            password: SecretString::from(PASSWORD.to_owned()),
            role: Role::Merchant(merchant.id),
            language: Language::Ja,
        },
        PasswordCost::default(),
        now,
    )
    .await
    .unwrap();
    Seeded {
        app,
        database_url,
        merchant_path: format!("/merchants/{}", merchant.id),
        _dir: dir,
    }
}

/// Signs in like a browser; returns the session cookie and an API key.
async fn credentials(base: &str) -> (String, String) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let login = http.get(format!("{base}/login")).send().await.unwrap();
    let anon = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            v.to_str()
                .ok()?
                .split(';')
                .next()?
                .strip_prefix("sl_csrf=")
                .map(str::to_owned)
        })
        .unwrap();
    // The cookie carries the form's token signed by the server: `token.signature`.
    let (token, _) = anon.rsplit_once('.').expect("a signed CSRF cookie");
    let form = [
        ("csrf", token),
        ("email", "owner@bench.example"),
        ("password", PASSWORD),
    ];
    let signed_in = http
        .post(format!("{base}/login"))
        .header("cookie", format!("sl_csrf={anon}"))
        .form(&form)
        .send()
        .await
        .unwrap();
    let session = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            v.to_str()
                .ok()?
                .split(';')
                .next()?
                .strip_prefix("sl_session=")
                .map(str::to_owned)
        })
        .expect("signed in");
    let cookie = format!("sl_session={session}");
    let page = http
        .get(format!("{base}/api-keys"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let csrf = &page[start..start + page[start..].find('"').unwrap()];
    let created: serde_json::Value = http
        .post(format!("{base}/api/v1/api-keys"))
        .header("cookie", &cookie)
        .header("x-csrf-token", csrf)
        .json(
            &serde_json::json!({ "name": "bench", "scopes": ["connections:read", "orders:read"] }),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (cookie, created["key"].as_str().unwrap().to_owned())
}

#[derive(Clone)]
struct Target {
    name: &'static str,
    url: String,
    header: (&'static str, String),
}

struct Summary {
    sent: usize,
    ok: usize,
    achieved: f64,
    p50: Duration,
    p99: Duration,
    max: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn summarize(mut latencies: Vec<Duration>, sent: usize, elapsed: Duration) -> Summary {
    latencies.sort();
    Summary {
        sent,
        ok: latencies.len(),
        achieved: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
        max: latencies.last().copied().unwrap_or_default(),
    }
}

/// Open loop: one request every 1/rate s for `seconds`, each on its own task; latency from its scheduled start.
async fn open_loop(http: &reqwest::Client, target: &Target, rate: u32, seconds: u64) -> Summary {
    let total = rate as usize * seconds as usize;
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for i in 0..total {
        let due = start + interval * i as u32;
        tokio::time::sleep_until(due.into()).await;
        let request = http
            .get(&target.url)
            .header(target.header.0, &target.header.1);
        tasks.push(tokio::spawn(async move {
            let response = request.send().await.ok()?;
            let ok = response.status().is_success();
            response.bytes().await.ok()?;
            ok.then(|| due.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    for task in tasks {
        if let Ok(Some(latency)) = task.await {
            latencies.push(latency);
        }
    }
    summarize(latencies, total, start.elapsed())
}

/// Closed loop: `connections` clients back to back for `seconds`.
async fn closed_loop(
    http: &reqwest::Client,
    target: &Target,
    connections: usize,
    seconds: u64,
) -> Summary {
    let start = Instant::now();
    let end = start + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let http = http.clone();
        let target = target.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut sent = 0;
            while Instant::now() < end {
                let began = Instant::now();
                sent += 1;
                if let Ok(response) = http
                    .get(&target.url)
                    .header(target.header.0, &target.header.1)
                    .send()
                    .await
                    && response.status().is_success()
                    && response.bytes().await.is_ok()
                {
                    latencies.push(began.elapsed());
                }
            }
            (latencies, sent)
        }));
    }
    let mut all = Vec::new();
    let mut sent = 0;
    for task in tasks {
        let (latencies, n) = task.await.unwrap();
        all.extend(latencies);
        sent += n;
    }
    summarize(all, sent, start.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let args = args();
    // reqwest is built without a TLS provider of its own; the workspace uses rustls with ring.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let seeded = seed().await;
        if args.optimize {
            // What a long-running server has done within 10 minutes of the import (its clean-up task runs
            // `Store::optimize`): planner statistics for the 100,000 orders.
            seeded.app.store().optimize().await.unwrap();
            use sqlx::Connection as _;
            let mut db = sqlx::SqliteConnection::connect(&seeded.database_url)
                .await
                .unwrap();
            let analyzed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_stat1")
                .fetch_one(&mut db)
                .await
                .unwrap();
            db.close().await.unwrap();
            eprintln!("store optimized: {analyzed} index statistics");
        }
        let server = serve(
            seeded.app.clone(),
            WebConfig {
                bind: "127.0.0.1:0".parse().unwrap(),
                ..WebConfig::default()
            },
        )
        .await
        .unwrap();
        let base = server.url();
        let (cookie, key) = credentials(&base).await;
        let dashboard = Target {
            name: "dashboard (page, 4 connections)",
            url: format!("{base}{}", seeded.merchant_path),
            header: ("cookie", cookie.clone()),
        };
        let orders = Target {
            name: "/api/v1/orders (50 per page)",
            url: format!("{base}/api/v1/orders?page=7&per_page=50"),
            header: ("authorization", format!("Bearer {key}")),
        };
        if args.serve {
            println!("Serving {} with {ORDERS} orders. For example:", base);
            println!(
                "  wrk -t2 -c32 -d30s --latency -H 'Cookie: {cookie}' '{}'",
                dashboard.url
            );
            println!(
                "  wrk -t2 -c32 -d30s --latency -H 'Authorization: Bearer {key}' '{}'",
                orders.url
            );
            println!("Press Ctrl-C to stop.");
            tokio::signal::ctrl_c().await.ok();
            server.shutdown().await;
            return;
        }
        let http = reqwest::Client::builder()
            .pool_max_idle_per_host(256)
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        println!("| endpoint | mode | requests | ok | req/s | p50 | p99 | max |");
        println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for target in [&dashboard, &orders] {
            let _warm = closed_loop(&http, target, 8, 2).await;
            let open = open_loop(&http, target, args.rate, args.seconds).await;
            println!(
                "| {} | open loop, {} req/s for {} s | {} | {} | {:.0} | {} | {} | {} |",
                target.name,
                args.rate,
                args.seconds,
                open.sent,
                open.ok,
                open.achieved,
                ms(open.p50),
                ms(open.p99),
                ms(open.max)
            );
            let closed = closed_loop(&http, target, 32, 10).await;
            println!(
                "| {} | closed loop, 32 connections, 10 s | {} | {} | {:.0} | {} | {} | {} |",
                target.name,
                closed.sent,
                closed.ok,
                closed.achieved,
                ms(closed.p50),
                ms(closed.p99),
                ms(closed.max)
            );
        }
        server.shutdown().await;
    });
}
