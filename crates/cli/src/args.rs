//! The command line, parsed at the edge: every identifier becomes a domain type here or clap refuses it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sellerlink_domain::ids::{
    AwsAccessKeyId, ConnectionId, DeveloperId, MarketplaceId, OrderIdLookup, SellerId,
};

/// How the exit status reads, shown under `--help` (and in the README).
pub const EXIT_STATUS_HELP: &str = "Exit status: 0 done; 1 the command could not be carried out (Amazon refused, \
not found, a conflict…); 2 the command line or a typed value is malformed (nothing was done). Every error names \
the field in English and Japanese; with --json it is printed on stdout as \
{\"error\": {\"code\", \"message\", \"message_ja\", \"field\"}}.";

/// sellerlink connects a 3PL to its merchants' Amazon seller accounts.
#[derive(Debug, Parser)]
#[command(name = "sellerlink", version, about, long_about = None, after_help = EXIT_STATUS_HELP)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command shares; each can also come from the environment. Listed under their own headings, after
/// each command's own options.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Where sellerlink keeps its SQLite database and key file.
    #[arg(
        long,
        env = "SELLERLINK_HOME",
        default_value = ".sellerlink",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH (default: DATA_DIR/sellerlink.db) or postgres://USER@HOST/DB.
    #[arg(long, env = "SELLERLINK_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// The 3PL's Amazon developer name that merchants type into Seller Central.
    #[arg(
        long,
        env = "SELLERLINK_DEVELOPER_NAME",
        default_value = "shippinno",
        global = true
    )]
    pub developer_name: String,
    /// The 3PL's 12-digit Amazon developer ID (dashes optional).
    #[arg(long, env = "SELLERLINK_DEVELOPER_ID", default_value = "5259-6479-4073", value_parser = DeveloperId::parse, global = true)]
    pub developer_id: DeveloperId,
    /// A connection counts as expiring soon this many days before its expiry date.
    #[arg(
        long,
        env = "SELLERLINK_EXPIRING_SOON_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub expiring_soon_days: i32,
    /// Print machine-readable JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// Let merchants' webhooks point at loopback, private or link-local addresses (refused by default: sellerlink
    /// would post into the 3PL's own network on a merchant's say-so). Checked when a channel is added (web app and
    /// `notify channel add`) and again at every send.
    #[arg(long, env = "SELLERLINK_ALLOW_PRIVATE_WEBHOOKS", global = true)]
    pub allow_private_webhooks: bool,
    /// On SIGTERM or SIGINT, `worker`, `serve` and `demo` let running work finish for at most this many seconds,
    /// then give back every lease they still hold and exit 0 (a second signal stops them at once).
    #[arg(
        long,
        env = "SELLERLINK_SHUTDOWN_GRACE",
        default_value_t = 20,
        value_parser = clap::value_parser!(u64).range(0..=3600),
        global = true
    )]
    pub shutdown_grace: u64,
    /// Database connections this process keeps open at most (default: 4 on SQLite, 10 on PostgreSQL). Each
    /// process sharing a PostgreSQL server counts against its `max_connections`.
    #[arg(
        long,
        env = "SELLERLINK_DB_POOL_SIZE",
        value_parser = clap::value_parser!(u32).range(1..=i64::from(sellerlink_store::MAX_POOL_SIZE)),
        global = true
    )]
    pub db_pool_size: Option<u32>,
    #[command(flatten)]
    pub mws: MwsArgs,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub spapi: SpApiArgs,
}

/// The operator's SP-API app (for "Connect with Amazon" and importing SP-API connections).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options: Amazon SP-API")]
pub struct SpApiArgs {
    /// The app's application id, `amzn1.sellerapps.app.<uuid>`.
    #[arg(long, env = "SELLERLINK_SPAPI_APPLICATION_ID", global = true)]
    pub spapi_application_id: Option<String>,
    /// The app's LWA client id (the secret is read from SELLERLINK_LWA_CLIENT_SECRET only).
    #[arg(long, env = "SELLERLINK_LWA_CLIENT_ID", global = true)]
    pub lwa_client_id: Option<String>,
    /// The day the LWA client secret expires (YYYY-MM-DD; Amazon requires rotation every 180 days).
    #[arg(long, env = "SELLERLINK_LWA_CLIENT_SECRET_EXPIRES_ON", global = true)]
    pub lwa_client_secret_expires_on: Option<String>,
    /// The OAuth redirect URI registered for the app (sellerlink's `/amazon/callback`).
    #[arg(long, env = "SELLERLINK_SPAPI_REDIRECT_URI", global = true)]
    pub spapi_redirect_uri: Option<url::Url>,
    /// LWA token endpoint (default https://api.amazon.com/auth/o2/token; the sandbox's for local work).
    #[arg(long, env = "SELLERLINK_LWA_ENDPOINT", global = true)]
    pub lwa_endpoint: Option<url::Url>,
    /// SP-API endpoint instead of the region's (the sandbox's URL for local work).
    #[arg(long, env = "SELLERLINK_SPAPI_ENDPOINT", global = true)]
    pub spapi_endpoint: Option<url::Url>,
    /// Seller Central origin for the consent pages instead of the marketplace's (the sandbox's URL).
    #[arg(long, env = "SELLERLINK_SELLER_CENTRAL_URL", global = true)]
    pub seller_central_url: Option<url::Url>,
    /// Extra root certificate (PEM) for the LWA and SP-API endpoints.
    #[arg(long, env = "SELLERLINK_SPAPI_CA_FILE", global = true)]
    pub spapi_ca_file: Option<PathBuf>,
    /// Authorize the app's Draft version (version=beta).
    #[arg(long, env = "SELLERLINK_SPAPI_DRAFT", global = true)]
    pub spapi_draft: bool,
    /// Rates are this many times Amazon's (only against a sandbox started with --throttle-scale).
    #[arg(
        long,
        env = "SELLERLINK_SPAPI_RATE_SCALE",
        default_value_t = 1.0,
        global = true
    )]
    pub spapi_rate_scale: f64,
}

/// How sellerlink reaches MWS as the 3PL's developer (Amazon or the sandbox).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options: Amazon MWS")]
pub struct MwsArgs {
    /// MWS endpoint base URL (default https://mws.amazonservices.jp); the sandbox's URL for local work.
    #[arg(long, env = "SELLERLINK_MWS_ENDPOINT", global = true)]
    pub mws_endpoint: Option<url::Url>,
    /// The developer's AWS access key id (the secret key is read from SELLERLINK_MWS_SECRET_KEY only).
    #[arg(long, env = "SELLERLINK_MWS_ACCESS_KEY_ID", value_parser = AwsAccessKeyId::parse, global = true)]
    pub mws_access_key_id: Option<AwsAccessKeyId>,
    /// Extra root certificate (PEM) to trust for the MWS endpoint, e.g. the sandbox's CA file.
    #[arg(long, env = "SELLERLINK_MWS_CA_FILE", global = true)]
    pub mws_ca_file: Option<PathBuf>,
    /// Restore rates are this many times Amazon's (only for a sandbox started with --throttle-scale).
    #[arg(
        long,
        env = "SELLERLINK_MWS_RESTORE_RATE_SCALE",
        default_value_t = 1.0,
        global = true
    )]
    pub mws_restore_rate_scale: f64,
    /// How many days back the first import of a connection reaches.
    #[arg(
        long,
        env = "SELLERLINK_INITIAL_LOOKBACK_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub initial_lookback_days: i64,
    /// How long this process's lease on a connection lasts without renewal (it renews every third of it while
    /// working): how soon another worker takes over from one that crashed or stalled. At least 3.
    #[arg(
        long,
        env = "SELLERLINK_LEASE_SECONDS",
        default_value_t = 300,
        global = true
    )]
    pub lease_seconds: u32,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Merchants (the 3PL's tenants).
    #[command(subcommand)]
    Merchant(MerchantCommand),
    /// Connections to Amazon seller accounts and their access lifecycle.
    #[command(subcommand)]
    Connection(ConnectionCommand),
    /// The master key that seals credentials.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Imported orders.
    #[command(subcommand)]
    Orders(OrdersCommand),
    /// Stock levels to push to Amazon (the quantity available per SKU).
    #[command(subcommand)]
    Stock(StockCommand),
    /// The operator's SP-API app credentials and the countdown to the LWA client secret's expiry.
    AppCredentials,
    /// Expiry reminders and access alerts: channels, the notification log, test sends.
    #[command(subcommand)]
    Notify(NotifyCommand),
    /// Import orders now (incrementally, within Amazon's quotas), with progress bars.
    Sync(SyncArgs),
    /// Run the scheduler: every connection imported every few minutes until Ctrl-C.
    Worker(WorkerArgs),
    /// Create or upgrade the database schema.
    Migrate,
    /// Run the local Amazon sandbox (Seller Central pages, MWS, control API).
    Sandbox(SandboxArgs),
    /// Start the sandbox with a demo seller, register a demo merchant, and print the steps to connect them.
    Demo(DemoArgs),
    /// Run the web app (pages and JSON API) with the background order import.
    Serve(crate::commands::serve::ServeArgs),
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// HTTP port of the demo sandbox (0 = any free port).
    #[arg(long, default_value_t = 8480)]
    pub sandbox_port: u16,
    /// HTTP port of the demo's web app on 127.0.0.1 (0 = any free port).
    #[arg(long, default_value_t = 8080)]
    pub web_port: u16,
    #[command(flatten)]
    pub buyer_data: BuyerDataArgs,
}

#[derive(Debug, Subcommand)]
pub enum MerchantCommand {
    /// Register a merchant.
    Add {
        /// The merchant's display name.
        #[arg(long)]
        name: String,
        /// The language the merchant reads: ja or en.
        #[arg(long, value_enum, default_value_t = LanguageArg::Ja)]
        language: LanguageArg,
    },
    /// List merchants.
    List,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    Ja,
    En,
}

#[derive(Debug, Subcommand)]
pub enum ConnectionCommand {
    /// Add a connection from the three values Seller Central showed (the guide's step ⑤). Full-width characters,
    /// lower case and spaces around the values are normalised; a token pasted without `amzn.mws.` gets it.
    #[command(after_help = EXIT_STATUS_HELP)]
    Add(ConnectionAddArgs),
    /// Add an SP-API connection from a seller's LWA refresh token (read from stdin or a hidden prompt); a token for
    /// a seller account the merchant is already connected to renews that connection.
    AddSpapi(ConnectionAddSpApiArgs),
    /// List connections with their status and days until expiry.
    List {
        /// Only this merchant's connections (id or exact name).
        #[arg(long)]
        merchant: Option<String>,
    },
    /// Ask Amazon again whether the connection works; clears *access denied* on success.
    Verify { id: ConnectionId },
    /// Show one connection with its audit log.
    Show { id: ConnectionId },
    /// The merchant approved access (renewed) in Seller Central (rule R2), today or on --on.
    Renew {
        id: ConnectionId,
        /// The day it was done in Seller Central (YYYY-MM-DD, not in the future). Default: today.
        #[arg(long)]
        on: Option<String>,
    },
    /// The merchant restored expired access in Seller Central (rule R3), today or on --on.
    Restore {
        id: ConnectionId,
        /// The day it was done in Seller Central (YYYY-MM-DD, not in the future). Default: today.
        #[arg(long)]
        on: Option<String>,
    },
    /// Replace the MWS Auth Token of a revoked, expired or refused connection with the token of a new grant (read
    /// from stdin or a hidden prompt). Amazon must accept it for the same seller; nothing is stored otherwise.
    ReplaceToken(ConnectionReplaceTokenArgs),
    /// The merchant enabled the expiry feature (irreversible, rules R4–R5).
    EnableExpiry { id: ConnectionId },
    /// The merchant revoked access in Seller Central.
    Revoke { id: ConnectionId },
    /// Delete a connection, its credential and its imported orders.
    Remove {
        id: ConnectionId,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Args)]
pub struct ConnectionAddArgs {
    /// The merchant (id or exact name).
    #[arg(long)]
    pub merchant: String,
    /// Seller ID (出品者ID), e.g. A1B2C3D4E5F6G7.
    #[arg(long, value_parser = SellerId::parse)]
    pub seller_id: SellerId,
    /// Marketplace ID (マーケットプレイスID), e.g. A1VC38T7YXB528; repeat for several, home marketplace first.
    #[arg(long = "marketplace-id", required = true, value_parser = MarketplaceId::parse)]
    pub marketplace_ids: Vec<MarketplaceId>,
    /// MWS Auth Token (MWS認証トークン), amzn.mws.<UUID>. Leave it out to type it at a prompt or pipe it on stdin,
    /// so it stays out of your shell history.
    #[arg(long, env = "SELLERLINK_MWS_AUTH_TOKEN", hide_env_values = true)]
    pub auth_token: Option<String>,
    #[command(flatten)]
    pub dates: GrantDatesArgs,
    /// Store without asking Amazon first (e.g. a historical grant); it stays unverified until `connection verify`.
    #[arg(long)]
    pub no_verify: bool,
}

/// The dates Seller Central shows for a grant (all optional; default: granted now, expiring a year later).
#[derive(Debug, Args)]
pub struct GrantDatesArgs {
    /// When access was granted: RFC 3339, or Seller Central's "2018-04-17 10:26:33" in the marketplace's time
    /// zone. Default: now.
    #[arg(long)]
    pub granted_at: Option<String>,
    /// Seller Central's last approval date (YYYY-MM-DD), if later than the grant day.
    #[arg(long)]
    pub last_approved: Option<String>,
    /// Seller Central's access expiry date (YYYY-MM-DD). Default: one year after the last approval.
    #[arg(long, conflicts_with = "no_expiry")]
    pub expires_on: Option<String>,
    /// The seller's expiry feature is disabled (no expiry date).
    #[arg(long)]
    pub no_expiry: bool,
}

/// `connection replace-token`. There is deliberately no option for the token: it is read from stdin or a prompt
/// that does not echo.
#[derive(Debug, Args)]
pub struct ConnectionReplaceTokenArgs {
    pub id: ConnectionId,
    #[command(flatten)]
    pub dates: GrantDatesArgs,
}

/// `connection add-spapi`. The identifiers are taken as text and parsed by the command, so that a malformed one is
/// reported in English and Japanese (and as JSON with `--json`) like every other refusal. There is deliberately no
/// option for the refresh token: it is read from stdin or a prompt that does not echo, so it stays out of shell
/// history and process lists.
#[derive(Debug, Args)]
pub struct ConnectionAddSpApiArgs {
    /// The merchant (id or exact name).
    #[arg(long)]
    pub merchant: String,
    /// The seller account's Selling Partner ID (merchant token, セリングパートナーID), e.g. A1B2C3D4E5F6G7.
    #[arg(long)]
    pub selling_partner_id: String,
    /// The marketplace to import from, e.g. A1VC38T7YXB528 (Amazon.co.jp); an SP-API connection has one.
    #[arg(long)]
    pub marketplace_id: String,
    /// The day the seller authorized the app, as Manage Your Apps shows it (YYYY-MM-DD, the marketplace's
    /// calendar); the 365 days count from it. Default: today.
    #[arg(long)]
    pub authorized_on: Option<String>,
    /// Store without asking Amazon first; it stays unverified until `connection verify` (cannot renew).
    #[arg(long)]
    pub no_verify: bool,
}

/// Where reminders and alerts are e-mailed from (SMTP, or an outbox folder for local work).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Global options: e-mail")]
pub struct MailArgs {
    /// SMTP relay host; without it e-mails are written as .eml files to the outbox folder.
    #[arg(long, env = "SELLERLINK_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,
    /// SMTP port (default: 587 for starttls, 465 for tls, 25 for none).
    #[arg(long, env = "SELLERLINK_SMTP_PORT", global = true)]
    pub smtp_port: Option<u16>,
    /// How the SMTP connection is secured: starttls, tls or none.
    #[arg(
        long,
        env = "SELLERLINK_SMTP_TLS",
        default_value = "starttls",
        global = true
    )]
    pub smtp_tls: String,
    /// SMTP user name (the password is read from SELLERLINK_SMTP_PASSWORD only).
    #[arg(long, env = "SELLERLINK_SMTP_USERNAME", global = true)]
    pub smtp_username: Option<String>,
    /// The sender of reminders, e.g. "sellerlink <noreply@3pl.example>".
    #[arg(
        long,
        env = "SELLERLINK_MAIL_FROM",
        default_value = "sellerlink <noreply@sellerlink.invalid>",
        global = true
    )]
    pub mail_from: String,
    /// Folder for e-mails when no SMTP host is set (default: DATA_DIR/outbox).
    #[arg(long, env = "SELLERLINK_MAIL_OUTBOX", global = true)]
    pub mail_outbox: Option<PathBuf>,
    /// Days before expiry when reminders go out (0 = the day access lapses).
    #[arg(
        long,
        env = "SELLERLINK_REMINDER_DAYS",
        default_value = "30,14,7,3,1,0",
        global = true
    )]
    pub reminder_days: String,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Add a channel that receives reminders and alerts.
    #[command(subcommand)]
    Channel(ChannelCommand),
    /// The notification log: what was sent to whom, when, delivered or failed.
    Log {
        /// Only this merchant's notifications (id or exact name).
        #[arg(long)]
        merchant: Option<String>,
        /// Only notifications about this connection.
        #[arg(long)]
        connection: Option<ConnectionId>,
        /// At most this many rows.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Send a test message to a channel now.
    Test { channel: String },
    /// Plan and send the reminders and alerts that are due now, once.
    Run,
}

#[derive(Debug, Subcommand)]
pub enum ChannelCommand {
    /// Add an e-mail address or a webhook URL for a merchant (or, with --operator, for the 3PL's operators).
    Add {
        /// The merchant whose contacts it reaches (id or exact name).
        #[arg(
            long,
            required_unless_present = "operator",
            conflicts_with = "operator"
        )]
        merchant: Option<String>,
        /// The operator's own channel: receives every merchant's reminders and alerts.
        #[arg(long)]
        operator: bool,
        /// An e-mail address.
        #[arg(long, required_unless_present = "webhook", conflicts_with = "webhook")]
        email: Option<String>,
        /// A webhook URL on a public address (a merchant's; see --allow-private-webhooks); its signing secret is
        /// printed once.
        #[arg(long)]
        webhook: Option<String>,
        /// The language of its messages: ja or en (default: the merchant's).
        #[arg(long, value_enum)]
        language: Option<LanguageArg>,
    },
    /// List channels.
    List {
        /// Only this merchant's channels (id or exact name); --operator for the operator's.
        #[arg(long)]
        merchant: Option<String>,
        /// The operator's channels.
        #[arg(long)]
        operator: bool,
    },
    /// Stop or resume sending to a channel.
    Disable {
        channel: String,
        #[arg(long)]
        enable: bool,
    },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Import these connections (repeatable).
    #[arg(long = "connection", conflicts_with = "all")]
    pub connections: Vec<ConnectionId>,
    /// Import every connection that is not paused.
    #[arg(long)]
    pub all: bool,
    /// Connections imported at the same time (default: the database pool size, `--db-pool-size`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub concurrency: Option<u32>,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// Minutes between two imports of the same connection.
    #[arg(long, default_value_t = 10)]
    pub interval_minutes: i64,
    /// Connections imported at the same time.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    #[command(flatten)]
    pub buyer_data: BuyerDataArgs,
    /// Serve Prometheus metrics at http://ADDRESS/metrics (e.g. 127.0.0.1:9464); off unless given. Anyone who can
    /// reach the address can read them: keep it on loopback or a private network.
    #[arg(long, env = "SELLERLINK_METRICS_LISTEN")]
    pub metrics_listen: Option<std::net::SocketAddr>,
}

/// The worker's buyer-data erasure (`worker` and `demo`).
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct BuyerDataArgs {
    /// Erase the buyer's name and address of shipped or cancelled orders this many days after Amazon's last
    /// update of them, once a day (Amazon's Data Protection Policy: 30 days after delivery); 0 keeps them.
    #[arg(long, env = "SELLERLINK_BUYER_DATA_DAYS", default_value_t = 30)]
    pub buyer_data_days: u32,
}

#[derive(Debug, Subcommand)]
pub enum OrdersCommand {
    /// List imported orders, newest purchase first.
    List(OrdersListArgs),
    /// Show one order with its items.
    Show {
        /// The connection that imported it.
        #[arg(long)]
        connection: ConnectionId,
        /// The Amazon order id (3-7-7 digits, or any id Amazon sent for an imported order).
        #[arg(value_parser = OrderIdLookup::parse)]
        order_id: OrderIdLookup,
    },
    /// Confirm to Amazon that an order's package left (carrier and tracking number). The confirmation is queued and
    /// the worker sends it; `--now` sends it at once and waits for Amazon's answer where Amazon answers at once.
    Ship(OrdersShipArgs),
    /// Shipment confirmations, newest first, and what Amazon made of them.
    Shipments {
        /// Only this connection's.
        #[arg(long)]
        connection: Option<ConnectionId>,
        /// Only this order's.
        #[arg(long = "order", value_parser = OrderIdLookup::parse)]
        order_id: Option<OrderIdLookup>,
        /// At most this many.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Erase the buyer's name and address of shipped or cancelled orders Amazon last updated more than DAYS days
    /// ago (the worker does this daily); the orders, items and statuses stay.
    EraseBuyerData {
        /// Keep buyer data this many days after Amazon's last update of a finished order (at least 1).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
        older_than_days: u32,
    },
}

#[derive(Debug, Args)]
pub struct OrdersListArgs {
    /// Only this connection's orders.
    #[arg(long)]
    pub connection: Option<ConnectionId>,
    /// Only this merchant's orders (id or exact name).
    #[arg(long)]
    pub merchant: Option<String>,
    /// Only these statuses (repeatable), e.g. Unshipped.
    #[arg(long = "status")]
    pub statuses: Vec<String>,
    /// Only this marketplace.
    #[arg(long, value_parser = MarketplaceId::parse)]
    pub marketplace_id: Option<MarketplaceId>,
    /// Only MFN (merchant-fulfilled) or AFN (Amazon-fulfilled) orders.
    #[arg(long)]
    pub channel: Option<String>,
    /// Only orders purchased on or after this date (YYYY-MM-DD, UTC) or instant (RFC 3339).
    #[arg(long)]
    pub since: Option<String>,
    /// At most this many orders.
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Skip this many first (paging).
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
}

#[derive(Debug, Subcommand)]
pub enum StockCommand {
    /// Record how many units of each SKU are available; the worker pushes the changed ones to Amazon (`--now`
    /// pushes at once).
    Set {
        /// The connection (seller account) the SKUs belong to.
        #[arg(long)]
        connection: ConnectionId,
        /// `SKU=QUANTITY` pairs, e.g. `TEA-GREEN-100G=12`.
        #[arg(required = true)]
        levels: Vec<String>,
        /// Push now instead of leaving it to the worker.
        #[arg(long)]
        now: bool,
    },
    /// The recorded stock levels and what Amazon has accepted.
    List {
        /// Only this connection's.
        #[arg(long)]
        connection: Option<ConnectionId>,
        /// At most this many.
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

/// Options of `orders ship`.
#[derive(Debug, clap::Args)]
pub struct OrdersShipArgs {
    /// The connection that imported the order.
    #[arg(long)]
    pub connection: ConnectionId,
    /// The Amazon order id (3-7-7 digits, or any id Amazon sent for an imported order).
    #[arg(value_parser = OrderIdLookup::parse)]
    pub order_id: OrderIdLookup,
    /// The carrier as Seller Central names it, e.g. "Yamato Transport", "Japan Post", "Sagawa Express".
    #[arg(long)]
    pub carrier: String,
    /// The carrier's tracking number.
    #[arg(long)]
    pub tracking: String,
    /// The service, e.g. 宅急便.
    #[arg(long)]
    pub method: Option<String>,
    /// When the package left: YYYY-MM-DD (00:00 in Japan) or RFC 3339; now when not given.
    #[arg(long)]
    pub ship_date: Option<String>,
    /// Send it now instead of leaving it to the worker.
    #[arg(long)]
    pub now: bool,
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Add a new master key to the key file and re-seal every credential with it (old keys stay readable).
    Rotate,
    /// Re-seal every credential with the current key (after changing SELLERLINK_MASTER_KEY).
    Reseal,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Address to listen on (loopback by default; the control API has no authentication).
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// HTTP port (0 = any free port).
    #[arg(long, default_value_t = 8480)]
    pub port: u16,
    /// HTTPS port (0 = any free port).
    #[arg(long, default_value_t = 8443)]
    pub https_port: u16,
    /// Seed of the deterministic data generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Number of generated seller accounts.
    #[arg(long, default_value_t = 3)]
    pub sellers: usize,
    /// Number of generated orders per seller.
    #[arg(long, default_value_t = 200)]
    pub orders_per_seller: usize,
    /// Multiply Amazon's restore rates (1 = real Amazon quotas).
    #[arg(long, default_value_t = 1.0)]
    pub throttle_scale: f64,
    /// Where the sandbox writes its CA certificate (default: DATA_DIR/sandbox).
    #[arg(long)]
    pub cert_dir: Option<PathBuf>,
}
