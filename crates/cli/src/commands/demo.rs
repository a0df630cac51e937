//! `sellerlink demo`: the sandbox with two demo sellers, sellerlink pointed at it, a demo merchant with a user (and
//! an e-mail channel) and a demo operator, the worker's jobs, the web app, and the steps that connect them in the
//! browser. sellerlink and its sandbox share one clock that the pages' demo clock bar moves forward.

use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_app::{
    App, JobSettings, Jobs, MwsSettings, SpApiAppSettings, SpApiApplicationId, SpApiSettings,
    run_jobs,
};
use sellerlink_domain::clock::ShiftableClock;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{AwsAccessKeyId, MerchantId};
use sellerlink_reminders::ChannelTarget;
use sellerlink_sandbox::{RunningSandbox, SellerAccount};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{ChannelOwner, Role};
use sellerlink_sync::SchedulerConfig;
use sellerlink_web::{DemoClock, WebConfig};
use tokio_util::sync::CancellationToken;

use super::cli_actor;
use super::serve::ensure_user;
use crate::args::{DemoArgs, GlobalArgs};
use crate::shutdown::Signals;

const DEMO_MERCHANT: &str = "デモ荷主 (Demo Merchant)";
/// The demo's users (a local demo on loopback; the passwords are printed at start).
const DEMO_OPERATOR: &str = "operator@sellerlink.example";
const DEMO_OPERATOR_PASSWORD: &str = "demo-operator-pass";
const DEMO_MERCHANT_USER: &str = "merchant@sellerlink.example";
const DEMO_MERCHANT_PASSWORD: &str = "demo-merchant-pass";
/// The demo sandbox runs Amazon's quotas this many times faster, so a first import takes seconds, not hours.
const DEMO_THROTTLE_SCALE: f64 = 20.0;

pub async fn run(
    global: &GlobalArgs,
    args: DemoArgs,
    signals: Option<Signals>,
) -> anyhow::Result<()> {
    let mut signals = Signals::or_install(signals)?;
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
    // The SP-API app's redirect URI names the web app's port, so a free one is picked now when asked for any.
    let web_port = match args.web_port {
        0 => std::net::TcpListener::bind(("127.0.0.1", 0))?
            .local_addr()?
            .port(),
        port => port,
    };
    let web_base = url::Url::parse(&format!("http://127.0.0.1:{web_port}/"))?;
    settings.spapi = Some(demo_spapi_app(&sandbox, &web_base)?);
    // One clock for sellerlink and its sandbox: both start at real time, and the demo clock bar moves both.
    let clock = Arc::new(ShiftableClock::new());
    let app = App::open(settings, clock.clone()).await?;
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
    ensure_user(
        &app,
        DEMO_OPERATOR,
        DEMO_OPERATOR_PASSWORD.to_owned().into(),
        Role::Operator,
    )
    .await?;
    ensure_user(
        &app,
        DEMO_MERCHANT_USER,
        DEMO_MERCHANT_PASSWORD.to_owned().into(),
        Role::Merchant(merchant.id),
    )
    .await?;
    // The worker's jobs, as `sellerlink worker` runs them (imports every minute in the demo); reminders and alerts
    // go by SMTP when SELLERLINK_SMTP_HOST is set, else to the outbox folder; webhooks may post to this machine.
    let reminders = crate::commands::notify::reminders(global, &app, true).await?;
    let app = app.with_notifications(reminders);
    let scheduler = SchedulerConfig {
        interval: SignedDuration::from_mins(1),
        ..SchedulerConfig::default()
    };
    let jobs = Arc::new(Jobs::new(
        &app,
        JobSettings::worker(scheduler, args.buyer_data.buyer_data_days),
    )?);
    ensure_email_channel(&app, merchant.id, DEMO_MERCHANT_USER).await?;
    let shutdown = CancellationToken::new();
    let running = run_jobs(&jobs, &shutdown);
    let demo_clock = {
        let (sandbox_clock, jobs) = (sandbox.clock(), jobs.clone());
        DemoClock::new(clock, move |by| {
            // The sandbox finishes what fell due by its new time (feeds) as it moves.
            sandbox_clock.advance(by);
            let jobs = jobs.clone();
            Box::pin(async move { jobs.run_due_now().await })
        })
    };
    // The web app imports right after connecting; its notification pages send test messages through the
    // worker's reminders.
    let server = sellerlink_web::serve(
        app.clone(),
        WebConfig {
            bind: std::net::SocketAddr::from(([127, 0, 0, 1], web_port)),
            sync_after_connect: true,
            seller_central_url: Some(url::Url::parse(&sandbox.http_url())?),
            // Everything in the demo runs on this machine, a webhook receiver to try too.
            allow_private_webhooks: true,
            demo_clock: Some(demo_clock),
            ..WebConfig::default()
        },
    )
    .await?;

    let base = with_slash(&sandbox.http_url());
    let web = server.url();
    let (spapi_seller, mws_seller) = (seeded_seller(&sandbox, 0)?, seeded_seller(&sandbox, 1)?);
    let digits = &developer.developer_id;
    let dashed = format!("{}-{}-{}", &digits[..4], &digits[4..8], &digits[8..]);
    println!("sellerlink demo");
    println!("  sellerlink (web)     {web}/login");
    println!(
        "    merchant user      {DEMO_MERCHANT_USER} / {DEMO_MERCHANT_PASSWORD}   ({DEMO_MERCHANT})"
    );
    println!("    operator           {DEMO_OPERATOR} / {DEMO_OPERATOR_PASSWORD}");
    println!(
        "  Amazon sandbox       {base}  (HTTPS: {})",
        sandbox.https_url()
    );
    println!("    Seller Central     {base}gp/mws/registration/register.html");
    println!(
        "    MWS wizard seller  {} / {}   (grants developer access: steps ①–⑤)",
        mws_seller.email, mws_seller.password
    );
    println!(
        "    SP-API seller      {} / {}   (「Amazon で接続（SP-API）」)",
        spapi_seller.email, spapi_seller.password
    );
    println!("  JSON API             {web}/api/v1   (OpenAPI: {web}/api/openapi.json)");
    match &global.mail.smtp_host {
        None => println!(
            "  Notification e-mails {}  (.eml files; try 「テスト送信」 on {web}/merchants/{}/notification-channels)",
            crate::commands::notify::outbox_folder(global, &global.mail).display(),
            merchant.id
        ),
        Some(host) => println!("  Notification e-mails via SMTP {host}"),
    }
    println!();
    println!(
        "① Sign in to sellerlink as the merchant user and click 「Amazon アカウントを接続（MWS）」."
    );
    println!(
        "② The wizard links to the sandbox's Seller Central: sign in as {}, open",
        mws_seller.email
    );
    println!("   User Permissions → Amazon MWS Developer Permissions → 開発者にアクセス権を付与.");
    println!(
        "③ Developer name: {}   Developer ID: {dashed}",
        developer.name
    );
    println!("④ Tick both consent boxes → Next.");
    println!(
        "⑤ Paste the Seller ID, Marketplace ID and MWS Auth Token into the wizard: sellerlink verifies them"
    );
    println!(
        "   against the sandbox, stores them sealed and imports the orders; see them under 「注文」."
    );
    println!();
    println!(
        "SP-API: on the dashboard click 「Amazon で接続（SP-API）」, sign in to the sandbox as {} and",
        spapi_seller.email
    );
    println!(
        "confirm; re-authorize later from {base}apps/manage (Manage Your Apps) to renew the 365 days."
    );
    println!();
    println!(
        "Demo clock: the bar at the top of every page moves sellerlink and the sandbox forward together (+1, +7, +30,"
    );
    println!(
        "+365 days or any number); due imports, reminders and access lost alerts run at once. +340 days shows 「まもなく期限切れ」"
    );
    println!(
        "and the first reminder, +30 more the expiry and the access lost alert (API: {web}/api/v1/demo/clock)."
    );
    println!("Sandbox faults: {base}_sandbox (see docs/SANDBOX.md). Press Ctrl-C to stop.");
    let grace = crate::shutdown::grace(global);
    crate::shutdown::announce(signals.next().await, grace);
    let asked = std::time::Instant::now();
    shutdown.cancel();
    let mut ended = crate::shutdown::stop_jobs(running, &mut signals, grace).await;
    if ended == crate::shutdown::Ended::Finished {
        let left = grace.saturating_sub(asked.elapsed());
        ended = super::serve::stop_server(server, &mut signals, left).await;
    } else {
        server.begin_shutdown().abort().await;
    }
    crate::shutdown::give_back_leases(&app).await;
    sandbox.shutdown().await;
    crate::shutdown::result(ended)
}

/// The sandbox's `index`-th seeded seller (0: `seller1@example.jp`, 1: `seller2@example.jp`).
fn seeded_seller(sandbox: &RunningSandbox, index: usize) -> anyhow::Result<SellerAccount> {
    sandbox
        .sellers()
        .get(index)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("the demo sandbox has no seller number {}", index + 1))
}

/// Gives the demo merchant an e-mail channel (the merchant user's address) unless it has one, so that reminders and
/// alerts have somewhere to go.
async fn ensure_email_channel(
    app: &App,
    merchant: MerchantId,
    address: &str,
) -> anyhow::Result<()> {
    let owner = ChannelOwner::Merchant(merchant);
    if app.notification_channels(owner).await?.is_empty() {
        app.add_notification_channel(owner, ChannelTarget::email(address)?, None)
            .await?;
    }
    Ok(())
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_owned()
    } else {
        format!("{url}/")
    }
}

/// The sandbox's demo SP-API app as the operator's app: its redirect and log-in URIs are pointed at the demo web
/// app on `web_base`, and sellerlink reaches the sandbox's LWA and SP-API over HTTPS with the sandbox's CA.
fn demo_spapi_app(
    sandbox: &RunningSandbox,
    web_base: &url::Url,
) -> anyhow::Result<SpApiAppSettings> {
    let demo = sandbox.demo_app();
    let redirect_uri = web_base.join("amazon/callback")?;
    let login_uri = web_base.join("amazon/login")?;
    sandbox
        .register_web_app(
            &demo.application_id,
            redirect_uri.as_str(),
            login_uri.as_str(),
        )
        .map_err(|e| anyhow::anyhow!("the sandbox refused the demo web app's URIs: {e}"))?;
    let secret = demo
        .current_secret()
        .ok_or_else(|| anyhow::anyhow!("the sandbox's demo app has no client secret"))?;
    let secret_expires_on = secret
        .valid_until()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .date();
    let credentials = LwaCredentials::new(
        LwaClientId::parse(&demo.client_id)?,
        LwaClientSecret::parse(secret.expose())?,
    );
    let https = url::Url::parse(&sandbox.https_url())?;
    let mut api = SpApiSettings::new(credentials, secret_expires_on);
    api.lwa_endpoint = https.join("auth/o2/token")?;
    api.spapi_endpoint_override = Some(https);
    api.extra_ca_pem = Some(sandbox.ca_pem().as_bytes().to_vec());
    api.rate_scale = DEMO_THROTTLE_SCALE;
    Ok(SpApiAppSettings {
        application_id: SpApiApplicationId::parse(&demo.application_id)?,
        redirect_uri,
        consent_base_override: Some(url::Url::parse(&sandbox.http_url())?),
        draft: false,
        api,
    })
}
