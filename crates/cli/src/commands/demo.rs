//! `sellerlink demo`: the sandbox with a demo seller, sellerlink pointed at it, a demo merchant, the import
//! scheduler running, and the steps that connect them.

use std::sync::Arc;

use sellerlink_app::{App, MwsSettings};
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::AwsAccessKeyId;
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
        "⑤ Note the Seller ID, Marketplace ID and MWS Auth Token, then in another terminal (same directory):"
    );
    println!(
        "     cargo run -p sellerlink -- connection add --merchant '{}' --seller-id <Seller ID> --marketplace-id <Marketplace ID>",
        merchant.name
    );
    println!(
        "     (paste the MWS Auth Token at the prompt; sellerlink checks it against the sandbox first)"
    );
    println!("   Orders arrive within a minute:  cargo run -p sellerlink -- orders list");
    println!();
    println!("The other terminal needs the same MWS settings as this demo:");
    println!(
        "     export SELLERLINK_MWS_ENDPOINT={}",
        sandbox.https_url()
    );
    println!(
        "     export SELLERLINK_MWS_ACCESS_KEY_ID={}",
        developer.access_key_id
    );
    println!(
        "     export SELLERLINK_MWS_SECRET_KEY=<the demo developer's secret key, printed by `sellerlink sandbox`>"
    );
    println!(
        "     export SELLERLINK_MWS_CA_FILE={}",
        sandbox.ca_pem_path().display()
    );
    println!("     export SELLERLINK_MWS_RESTORE_RATE_SCALE={DEMO_THROTTLE_SCALE}");
    println!();
    println!(
        "Sandbox clock and faults: {base}_sandbox/clock  (see docs/SANDBOX.md). Press Ctrl-C to stop."
    );
    tokio::signal::ctrl_c().await?;
    shutdown.cancel();
    let _ = worker.await;
    sandbox.shutdown().await;
    Ok(())
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}
