//! `sellerlink demo`: the sandbox with a demo seller, a demo merchant in sellerlink, and the steps between them.

use sellerlink_app::App;
use sellerlink_domain::connection::{Language, MerchantName};

use super::cli_actor;
use crate::args::DemoArgs;

const DEMO_MERCHANT: &str = "デモ荷主 (Demo Merchant)";

pub async fn run(app: &App, args: DemoArgs) -> anyhow::Result<()> {
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
    let config = sellerlink_sandbox::SandboxConfig {
        http_port: args.sandbox_port,
        https_port: Some(0),
        sellers: 2,
        orders_per_seller: 300,
        ..sellerlink_sandbox::SandboxConfig::default()
    };
    let sandbox = sellerlink_sandbox::start(config).await?;
    let base = sandbox.http_url();
    let seller = sandbox.demo_seller();
    let developer = sandbox.demo_developer();
    let developer_id = format!(
        "{}-{}-{}",
        &developer.developer_id[..4],
        &developer.developer_id[4..8],
        &developer.developer_id[8..]
    );
    println!("sellerlink demo — the Amazon sandbox is running at {base}");
    println!();
    println!("① Open Seller Central (sandbox) and sign in:");
    println!(
        "     {}gp/mws/registration/register.html",
        ensure_slash(base.as_str())
    );
    println!(
        "     e-mail: {}   password: {}",
        seller.email, seller.password
    );
    println!("② User Permissions → Amazon MWS Developer Permissions → 開発者にアクセス権を付与");
    println!(
        "③ Developer name: {}   Developer ID: {developer_id}",
        developer.name
    );
    println!("④ Tick both consent boxes → Next");
    println!("⑤ Note Seller ID, Marketplace ID and MWS Auth Token, then in another terminal:");
    println!(
        "     cargo run -p sellerlink -- connection add --merchant '{}' --seller-id <Seller ID> --marketplace-id <Marketplace ID>",
        merchant.name
    );
    println!("     (paste the MWS Auth Token at the prompt)");
    println!("     cargo run -p sellerlink -- connection list");
    println!();
    println!(
        "Sandbox control API: {}_sandbox/clock  (advance the clock to see expiry at work)",
        ensure_slash(base.as_str())
    );
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    sandbox.shutdown().await;
    Ok(())
}

fn ensure_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}
