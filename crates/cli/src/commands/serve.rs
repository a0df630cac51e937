//! `sellerlink serve`: the web app (pages and JSON API) with the background order import, until SIGTERM or SIGINT.

use std::net::SocketAddr;

use anyhow::Context as _;
use secrecy::SecretString;
use sellerlink_app::App;
use sellerlink_domain::connection::Language;
use sellerlink_store::{Email, Role};
use sellerlink_sync::SchedulerConfig;
use sellerlink_web::{NewUser, PasswordCost, WebConfig, add_user, serve, serve_metrics};
use tokio_util::sync::CancellationToken;

use crate::shutdown::Signals;

use crate::args::GlobalArgs;

/// Options of `sellerlink serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (keep it on loopback unless a TLS proxy is in front).
    #[arg(long, env = "SELLERLINK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Mark cookies Secure: set this when people reach sellerlink over TLS (e.g. behind a TLS proxy).
    #[arg(long, env = "SELLERLINK_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A reverse proxy (address or network, e.g. 10.0.0.5 or 10.0.0.0/8; repeat, or comma-separate in the
    /// environment) whose X-Forwarded-For names the client; sign-in throttling then counts each client's own
    /// address. Requests from any other peer are counted by the peer's address, whatever they send.
    #[arg(
        long = "trusted-proxy",
        env = "SELLERLINK_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = sellerlink_web::parse_trusted_proxy
    )]
    pub trusted_proxies: Vec<sellerlink_web::IpNet>,
    /// Import every connection's orders in the background every this many minutes (0 = only on demand).
    #[arg(long, env = "SELLERLINK_SYNC_EVERY_MINUTES", default_value_t = 10)]
    pub sync_every_minutes: i64,
    /// The Seller Central the wizard links to, instead of Amazon's host for the marketplace (e.g. a sandbox).
    #[arg(long, env = "SELLERLINK_SELLER_CENTRAL_URL")]
    pub seller_central_url: Option<url::Url>,
    /// Create this operator at start if no user has the address yet; the password is read from
    /// SELLERLINK_OPERATOR_PASSWORD (at least 10 characters).
    #[arg(long, env = "SELLERLINK_OPERATOR_EMAIL")]
    pub operator_email: Option<String>,
    /// Also serve Prometheus metrics at http://ADDRESS/metrics to anyone who reaches it (e.g. 10.0.0.5:9464 on a
    /// private network). Without it, `/metrics` on the web app's address answers loopback clients only.
    #[arg(long, env = "SELLERLINK_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
}

/// The web settings of these options.
pub fn web_config(global: &GlobalArgs, args: &ServeArgs) -> WebConfig {
    WebConfig {
        bind: args.bind,
        secure_cookies: args.secure_cookies,
        scheduler: (args.sync_every_minutes > 0).then(|| SchedulerConfig {
            interval: jiff::SignedDuration::from_mins(args.sync_every_minutes),
            ..SchedulerConfig::default()
        }),
        seller_central_url: args.seller_central_url.clone(),
        allow_private_webhooks: global.allow_private_webhooks,
        trusted_proxies: args.trusted_proxies.clone(),
        ..WebConfig::default()
    }
}

/// Creates a user unless one with this address exists; returns whether it was created.
pub async fn ensure_user(
    app: &App,
    email: &str,
    password: SecretString,
    role: Role,
) -> anyhow::Result<bool> {
    let address = Email::parse(email)?;
    if app.store().user_by_email(&address).await?.is_some() {
        return Ok(false);
    }
    let new = NewUser {
        email: email.to_owned(),
        password,
        role,
        language: Language::Ja,
    };
    add_user(app.store(), new, PasswordCost::default(), app.now()).await?;
    Ok(true)
}

/// Serves until SIGTERM or SIGINT, then stops gracefully (see [`crate::shutdown`]).
pub async fn run(
    app: &App,
    global: &GlobalArgs,
    args: ServeArgs,
    signals: Option<Signals>,
) -> anyhow::Result<()> {
    let mut signals = Signals::or_install(signals)?;
    if let Some(email) = &args.operator_email {
        let password = std::env::var("SELLERLINK_OPERATOR_PASSWORD")
            .context("--operator-email needs the password in SELLERLINK_OPERATOR_PASSWORD")?;
        if ensure_user(app, email, password.into(), Role::Operator).await? {
            println!("Created the operator {email}.");
        }
    }
    // The notification pages add channels and send test messages through the same senders as the worker.
    let reminders =
        crate::commands::notify::reminders(global, app, global.allow_private_webhooks).await?;
    let server = serve(
        app.clone().with_notifications(reminders),
        web_config(global, &args),
    )
    .await?;
    let metrics_stop = CancellationToken::new();
    let metrics = match args.metrics_listen {
        Some(bind) => Some(serve_metrics(bind, app.gauges(), metrics_stop.clone()).await?),
        None => None,
    };
    println!(
        "sellerlink is serving at {}  (API: {}/api/v1, OpenAPI: {}/api/openapi.json)",
        server.url(),
        server.url(),
        server.url()
    );
    if let Some(metrics) = &metrics {
        println!("Metrics: http://{}/metrics", metrics.addr());
    }
    if app.importer().is_err() {
        println!(
            "Amazon access is not configured: new connections cannot be verified and no orders are imported."
        );
    }
    println!("Press Ctrl-C to stop.");
    let grace = crate::shutdown::grace(global);
    crate::shutdown::announce(signals.next().await, grace);
    metrics_stop.cancel();
    let ended = stop_server(server, &mut signals, grace).await;
    crate::shutdown::give_back_leases(app).await;
    if let Some(metrics) = metrics {
        metrics.stopped().await;
    }
    crate::shutdown::result(ended)
}

/// Stops the web app (and its background imports) within the grace period, or at once on a second signal.
pub async fn stop_server(
    server: sellerlink_web::RunningServer,
    signals: &mut Signals,
    grace: std::time::Duration,
) -> crate::shutdown::Ended {
    let mut stopping = server.begin_shutdown();
    let ended = crate::shutdown::wind_down(signals, grace, stopping.stopped(), async || {}).await;
    if ended != crate::shutdown::Ended::Finished {
        stopping.abort().await;
        crate::shutdown::let_statements_land().await;
    }
    ended
}

#[cfg(test)]
mod tests {
    use clap::Parser as _;

    use super::*;

    #[derive(clap::Parser)]
    struct Serve {
        #[command(flatten)]
        args: ServeArgs,
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks_and_repeat() {
        let parsed = Serve::try_parse_from([
            "serve",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy",
            "192.0.2.1,fd00::/8",
        ])
        .unwrap();
        let expected: Vec<sellerlink_web::IpNet> = ["10.0.0.0/8", "192.0.2.1/32", "fd00::/8"]
            .iter()
            .map(|net| net.parse().unwrap())
            .collect();
        assert_eq!(parsed.args.trusted_proxies, expected);
        assert!(Serve::try_parse_from(["serve", "--trusted-proxy", "proxy.local"]).is_err());
    }
}
