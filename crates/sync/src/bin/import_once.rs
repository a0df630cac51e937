//! `sellerlink-import-once`: imports one MWS connection into a database, then exits.
//!
//! A harness for the crash test (which kills it with SIGKILL at random points and starts it again) and for
//! trying the engine by hand. The connection, its sealed credential and the developer keys must already exist:
//!
//! ```text
//! SELLERLINK_MASTER_KEY=<base64> MWS_SECRET_KEY=<secret> sellerlink-import-once \
//!     --database-url sqlite:///tmp/s.db --connection <uuid> \
//!     --endpoint http://127.0.0.1:8080 --access-key-id AKIA... \
//!     [--clock-offset-ms <sandbox now − system now>] [--restore-rate-scale 50] [--no-pacing] \
//!     [--initial-lookback-days 30] [--owner import-once] [--max-runs 50]
//! ```
//!
//! Exit status: 0 when an import completed, 3 when the connection is paused (access denied), 1 on any other error.

use std::process::ExitCode;
use std::sync::Arc;

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::clock::{Clock, OffsetClock};
use sellerlink_domain::ids::{AwsAccessKeyId, ConnectionId};
use sellerlink_secrets::Keyring;
use sellerlink_store::{LeaseOwner, Store};
use sellerlink_sync::{
    ImportConfig, ImportOutcome, Importer, KeyringBuyerData, KeyringCredentials, MwsSettings,
    MwsSourceFactory,
};

struct Args {
    database_url: String,
    connection: ConnectionId,
    endpoint: url::Url,
    access_key_id: AwsAccessKeyId,
    clock_offset: SignedDuration,
    restore_rate_scale: f64,
    pacing: bool,
    initial_lookback: SignedDuration,
    owner: LeaseOwner,
    max_runs: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut database_url = None;
    let mut connection = None;
    let mut endpoint = None;
    let mut access_key_id = None;
    let mut clock_offset = SignedDuration::ZERO;
    let mut restore_rate_scale = 1.0;
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
            "--endpoint" => endpoint = Some(value.parse().map_err(|_| bad("a URL"))?),
            "--access-key-id" => {
                access_key_id = Some(AwsAccessKeyId::parse(&value).map_err(|e| e.to_string())?)
            }
            "--clock-offset-ms" => {
                clock_offset =
                    SignedDuration::from_millis(value.parse().map_err(|_| bad("milliseconds"))?);
            }
            "--restore-rate-scale" => {
                restore_rate_scale = value.parse().map_err(|_| bad("a number"))?
            }
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
        endpoint: endpoint.ok_or_else(|| missing("--endpoint"))?,
        access_key_id: access_key_id.ok_or_else(|| missing("--access-key-id"))?,
        clock_offset,
        restore_rate_scale,
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
    let secret_key = SecretString::from(env_secret("MWS_SECRET_KEY")?);
    let keyring = Arc::new(keyring);
    let store = Store::connect(&args.database_url)
        .await
        .map_err(|e| e.to_string())?
        .with_buyer_seal(Arc::new(KeyringBuyerData::new(keyring.clone())));
    store.migrate().await.map_err(|e| e.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock(args.clock_offset));
    let mut settings = MwsSettings::new(args.endpoint, args.access_key_id, secret_key);
    settings.restore_rate_scale = args.restore_rate_scale;
    settings.pacing = args.pacing;
    let factory = MwsSourceFactory::new(&settings, clock.clone()).map_err(|e| e.to_string())?;
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
            eprintln!("sellerlink-import-once: {problem}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(ImportOutcome::Completed) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(3),
        Err(problem) => {
            eprintln!("sellerlink-import-once: {problem}");
            ExitCode::FAILURE
        }
    }
}
