//! `sellerlink demo`: the sandbox with a demo seller, sellerlink pointed at it, a demo merchant, the import
//! scheduler running, and the steps that connect them.

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use sellerlink_app::{App, MwsSettings, NewMwsConnection};
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{AwsAccessKeyId, MarketplaceId, MerchantId, MwsAuthToken, SellerId};
use sellerlink_sync::{Scheduler, SchedulerConfig};
use tokio_util::sync::CancellationToken;

use super::cli_actor;
use crate::args::{DemoArgs, GlobalArgs};

const DEMO_MERCHANT: &str = "デモ荷主 (Demo Merchant)";
/// The demo sandbox runs Amazon's quotas this many times faster, so a first import takes seconds, not hours.
const DEMO_THROTTLE_SCALE: f64 = 20.0;

pub async fn run(global: &GlobalArgs, args: DemoArgs) -> anyhow::Result<()> {
    let sandbox = sellerlink_sandbox::start(sellerlink_sandbox::SandboxConfig {
        http_port: args.sandbox_port,
        https_port: Some(0),
        sellers: 2,
        orders_per_seller: 300,
        throttle_scale: DEMO_THROTTLE_SCALE,
        cert_dir: global.data_dir.join("sandbox"),
        ..sellerlink_sandbox::SandboxConfig::default()
    })
    .await?;
    let developer = sandbox.demo_developer();
    let mut settings = crate::settings(global)?;
    let mut mws = MwsSettings::new(
        url::Url::parse(&sandbox.https_url())?,
        AwsAccessKeyId::parse(&developer.access_key_id)?,
        developer.secret_key.clone().into(),
    );
    mws.extra_ca_pem = Some(sandbox.ca_pem().as_bytes().to_vec());
    mws.restore_rate_scale = DEMO_THROTTLE_SCALE;
    settings.mws = Some(mws);
    let app = App::open(settings, Arc::new(SystemClock)).await?;
    let merchant = match app.find_merchant(DEMO_MERCHANT).await {
        Ok(merchant) => merchant,
        Err(_) => {
            app.add_merchant(
                MerchantName::parse(DEMO_MERCHANT)?,
                Language::Ja,
                &cli_actor(),
            )
            .await?
        }
    };
    let scheduler = Arc::new(Scheduler::new(
        app.importer()?.clone(),
        SchedulerConfig {
            interval: jiff::SignedDuration::from_mins(1),
            ..SchedulerConfig::default()
        },
    ));
    let shutdown = CancellationToken::new();
    let worker = tokio::spawn(scheduler.run(shutdown.clone()));

    let base = with_slash(&sandbox.http_url());
    let seller = sandbox.demo_seller();
    let digits = &developer.developer_id;
    let dashed = format!("{}-{}-{}", &digits[..4], &digits[4..8], &digits[8..]);
    println!(
        "sellerlink demo — the Amazon sandbox runs at {base} (HTTPS: {})",
        sandbox.https_url()
    );
    println!();
    println!("① Open the sandbox's Seller Central and sign in:");
    println!("     {base}gp/mws/registration/register.html");
    println!(
        "     e-mail: {}   password: {}",
        seller.email, seller.password
    );
    println!("② User Permissions → Amazon MWS Developer Permissions → 開発者にアクセス権を付与");
    println!(
        "③ Developer name: {}   Developer ID: {dashed}",
        developer.name
    );
    println!("④ Tick both consent boxes → Next");
    println!(
        "⑤ Type the Seller ID, Marketplace ID and MWS Auth Token from the completion page below;"
    );
    println!(
        "   sellerlink checks them against the sandbox, stores them sealed, and imports the orders."
    );
    println!(
        "   In another terminal: cargo run -p sellerlink -- --data-dir {} orders list",
        global.data_dir.display()
    );
    println!();
    println!(
        "Sandbox clock and faults: {base}_sandbox/clock  (see docs/SANDBOX.md). Press Ctrl-C to stop."
    );
    if std::io::stdin().is_terminal() {
        let app = app.clone();
        let merchant_id = merchant.id;
        tokio::task::spawn_blocking(move || connect_interactively(&app, merchant_id));
    }
    tokio::signal::ctrl_c().await?;
    shutdown.cancel();
    let _ = worker.await;
    sandbox.shutdown().await;
    Ok(())
}

/// Asks for the guide's three values until Amazon (the sandbox) accepts them, then imports once.
fn connect_interactively(app: &App, merchant_id: MerchantId) {
    let handle = tokio::runtime::Handle::current();
    loop {
        let (Some(seller), Some(marketplace), Some(token)) = (
            ask("Seller ID (出品者ID)"),
            ask("Marketplace ID (マーケットプレイスID)"),
            ask("MWS Auth Token (MWS認証トークン)"),
        ) else {
            return;
        };
        let parsed = SellerId::parse(&seller)
            .and_then(|s| MarketplaceId::parse(&marketplace).map(|m| (s, m)))
            .and_then(|(s, m)| MwsAuthToken::parse(&token).map(|t| (s, m, t)));
        let (seller_id, marketplace_id, auth_token) = match parsed {
            Ok(values) => values,
            Err(err) => {
                eprintln!("  ✗ {err}\n  ✗ {}", err.message_ja());
                continue;
            }
        };
        let input = NewMwsConnection {
            merchant_id,
            seller_id,
            marketplaces: vec![marketplace_id],
            auth_token,
            granted_at: None,
            last_approved_on: None,
            expiry: None,
            skip_verification: false,
        };
        match handle.block_on(app.add_mws_connection(input, &cli_actor())) {
            Ok(view) => {
                println!(
                    "  ✓ Verified with Amazon and stored sealed: connection {}",
                    view.connection.id
                );
                match handle.block_on(app.sync_connection(view.connection.id, Default::default())) {
                    Ok(report) => println!(
                        "  ✓ First import: {} order(s) in {} page(s); the worker imports changes every minute.",
                        report.orders_new, report.pages
                    ),
                    Err(err) => eprintln!("  ✗ import: {err}"),
                }
                return;
            }
            Err(err) => eprintln!("  ✗ {err}\n  ✗ {}", err.message_ja()),
        }
    }
}

fn ask(label: &str) -> Option<String> {
    print!("{label}: ");
    std::io::stdout().flush().ok()?;
    let mut line = String::new();
    match std::io::stdin().read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => Some(line.trim().to_owned()),
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}
