//! `sellerlink-import-once-spapi`: imports one SP-API connection into a database, then exits.
//!
//! The SP-API twin of `sellerlink-import-once`, for the crash test (which kills it with SIGKILL at random points
//! and starts it again) and for trying the engine by hand. The connection and its sealed refresh token must
//! already exist:
//!
//! ```text
//! SELLERLINK_MASTER_KEY=<base64> LWA_CLIENT_SECRET=<secret> sellerlink-import-once-spapi \
//!     --database-url sqlite:///tmp/s.db --connection <uuid> \
//!     --lwa-endpoint http://127.0.0.1:8080/auth/o2/token --spapi-endpoint http://127.0.0.1:8080 \
//!     --client-id amzn1.application-oa2-client.… \
//!     [--clock-offset-ms <sandbox now − system now>] [--rate-scale 50] [--no-pacing] \
//!     [--initial-lookback-days 30] [--owner import-once] [--max-runs 50]
//! ```
//!
//! Exit status: 0 when an import completed, 3 when the connection is paused (access denied), 1 on any other error.

use std::process::ExitCode;
use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_domain::clock::{Clock, OffsetClock};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_secrets::Keyring;
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{LeaseOwner, Store};
use sellerlink_sync::{
    ImportConfig, ImportOutcome, Importer, KeyringBuyerData, KeyringCredentials, SpApiSettings,
    SpApiSourceFactory,
};

struct Args {
    database_url: String,
    connection: ConnectionId,
    lwa_endpoint: url::Url,
    spapi_endpoint: Option<url::Url>,
    client_id: LwaClientId,
    clock_offset: SignedDuration,
    rate_scale: f64,
    pacing: bool,
    initial_lookback: SignedDuration,
    owner: LeaseOwner,
    max_runs: u32,
}

fn parse_args() -> Result<Args, String> {
    let (mut database_url, mut connection, mut lwa_endpoint, mut spapi_endpoint, mut client_id) =
        (None, None, None, None, None);
    let mut clock_offset = SignedDuration::ZERO;
    let mut rate_scale = 1.0;
    let mut pacing = true;
    let mut initial_lookback = SignedDuration::from_hours(30 * 24);
    let mut owner = LeaseOwner::parse("import-once").map_err(|e| e.to_string())?;
    let mut max_runs = 50;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--no-pacing" {
            pacing = false;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let bad = |what: &str| format!("{flag} {value:?} is not {what}");
        match flag.as_str() {
            "--database-url" => database_url = Some(value),
            "--connection" => {
                connection = Some(ConnectionId::parse(&value).map_err(|e| e.to_string())?)
            }
            "--lwa-endpoint" => lwa_endpoint = Some(value.parse().map_err(|_| bad("a URL"))?),
            "--spapi-endpoint" => spapi_endpoint = Some(value.parse().map_err(|_| bad("a URL"))?),
            "--client-id" => {
                client_id = Some(LwaClientId::parse(&value).map_err(|e| e.to_string())?)
            }
            "--clock-offset-ms" => {
                clock_offset =
                    SignedDuration::from_millis(value.parse().map_err(|_| bad("milliseconds"))?);
            }
            "--rate-scale" => rate_scale = value.parse().map_err(|_| bad("a number"))?,
            "--initial-lookback-days" => {
                let days: i64 = value.parse().map_err(|_| bad("a number of days"))?;
                initial_lookback = SignedDuration::from_hours(days.saturating_mul(24));
            }
            "--owner" => owner = LeaseOwner::parse(&value).map_err(|e| e.to_string())?,
            "--max-runs" => max_runs = value.parse().map_err(|_| bad("a count"))?,
            other => return Err(format!("unknown option {other}")),
        }
    }
    let missing = |name: &str| format!("{name} is required");
    Ok(Args {
        database_url: database_url.ok_or_else(|| missing("--database-url"))?,
        connection: connection.ok_or_else(|| missing("--connection"))?,
        lwa_endpoint: lwa_endpoint.ok_or_else(|| missing("--lwa-endpoint"))?,
        spapi_endpoint,
        client_id: client_id.ok_or_else(|| missing("--client-id"))?,
        clock_offset,
        rate_scale,
        pacing,
        initial_lookback,
        owner,
        max_runs,
    })
}

fn env_secret(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("the environment variable {name} is required"))
}

async fn run(args: Args) -> Result<ImportOutcome, String> {
    let keyring = Keyring::from_env_value(&env_secret("SELLERLINK_MASTER_KEY")?, &[])
        .map_err(|e| e.to_string())?;
    let secret =
        LwaClientSecret::parse(&env_secret("LWA_CLIENT_SECRET")?).map_err(|e| e.to_string())?;
    let keyring = Arc::new(keyring);
    let store = Store::connect(&args.database_url)
        .await
        .map_err(|e| e.to_string())?
        .with_buyer_seal(Arc::new(KeyringBuyerData::new(keyring.clone())));
    store.migrate().await.map_err(|e| e.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock(args.clock_offset));
    // The secret's expiry date only feeds the operator's countdown, which this harness does not show.
    let mut settings = SpApiSettings::new(
        LwaCredentials::new(args.client_id, secret),
        jiff::civil::date(9999, 12, 31),
    );
    settings.lwa_endpoint = args.lwa_endpoint;
    settings.spapi_endpoint_override = args.spapi_endpoint;
    settings.rate_scale = args.rate_scale;
    settings.pacing = args.pacing;
    let factory = SpApiSourceFactory::new(&settings, clock.clone()).map_err(|e| e.to_string())?;
    let mut config = ImportConfig::new(args.owner);
    config.initial_lookback = args.initial_lookback;
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    let importer = Importer::new(
        store,
        clock,
        Arc::new(credentials),
        Arc::new(factory),
        config,
    );
    importer
        .run_until_settled(args.connection, args.max_runs, |report| {
            println!("{}", report.summary_line())
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no import completed in {} runs", args.max_runs))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("sellerlink-import-once-spapi: {problem}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(ImportOutcome::Completed) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(3),
        Err(problem) => {
            eprintln!("sellerlink-import-once-spapi: {problem}");
            ExitCode::FAILURE
        }
    }
}
