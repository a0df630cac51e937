//! `sellerlink-import-once`: imports one MWS or SP-API connection into a database, then exits.
//!
//! A harness for the crash tests (which kill it with SIGKILL at random points and start it again) and for trying the
//! engine by hand. The connection and its sealed credential (MWS Auth Token or LWA refresh token) must already
//! exist; the API's client secret comes from the environment:
//!
//! ```text
//! SELLERLINK_MASTER_KEY=<base64> MWS_SECRET_KEY=<secret> sellerlink-import-once --api mws \
//!     --database-url sqlite:///tmp/s.db --connection <uuid> \
//!     --endpoint http://127.0.0.1:8080 --access-key-id AKIA... [common options]
//!
//! SELLERLINK_MASTER_KEY=<base64> LWA_CLIENT_SECRET=<secret> sellerlink-import-once --api spapi \
//!     --database-url sqlite:///tmp/s.db --connection <uuid> \
//!     --lwa-endpoint http://127.0.0.1:8080/auth/o2/token [--spapi-endpoint http://127.0.0.1:8080] \
//!     --client-id amzn1.application-oa2-client.… [common options]
//!
//! common options: [--clock-offset-ms <sandbox now − system now>] [--rate-scale 50] [--no-pacing]
//!     [--initial-lookback-days 30] [--owner import-once] [--max-runs 50]
//! ```
//!
//! `--api` defaults to `mws`; `--rate-scale` scales the API's quotas (MWS restore rates, SP-API rates).
//!
//! Exit status: 0 when an import completed, 3 when the connection is paused (access denied), 2 on bad arguments, 1 on
//! any other error.

use std::process::ExitCode;
use std::sync::Arc;

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::clock::{Clock, OffsetClock};
use sellerlink_domain::ids::{AwsAccessKeyId, ConnectionId};
use sellerlink_secrets::Keyring;
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{LeaseOwner, Store};
use sellerlink_sync::{
    GatewayFactory, ImportConfig, ImportOutcome, Importer, KeyringBuyerData, KeyringCredentials,
    MwsGatewayFactory, MwsSettings, SpApiGatewayFactory, SpApiSettings,
};

const NAME: &str = "sellerlink-import-once";

/// Where and as whom the importer calls Amazon.
enum ApiClient {
    /// MWS: the endpoint and the developer's access key id (its secret key from `MWS_SECRET_KEY`).
    Mws {
        endpoint: url::Url,
        access_key_id: AwsAccessKeyId,
    },
    /// SP-API: LWA's token endpoint, an SP-API endpoint instead of the region's, and the app's client id (its
    /// secret from `LWA_CLIENT_SECRET`).
    SpApi {
        lwa_endpoint: url::Url,
        spapi_endpoint: Option<url::Url>,
        client_id: LwaClientId,
    },
}

struct Args {
    database_url: String,
    connection: ConnectionId,
    client: ApiClient,
    clock_offset: SignedDuration,
    rate_scale: f64,
    pacing: bool,
    initial_lookback: SignedDuration,
    owner: LeaseOwner,
    max_runs: u32,
}

/// The options of one API, which the other API refuses.
#[derive(Default)]
struct ApiOptions {
    endpoint: Option<url::Url>,
    access_key_id: Option<AwsAccessKeyId>,
    lwa_endpoint: Option<url::Url>,
    spapi_endpoint: Option<url::Url>,
    client_id: Option<LwaClientId>,
}

impl ApiOptions {
    /// The client of `api` (`mws` or `spapi`) from the options given; an option of the other API is refused.
    fn client(self, api: &str) -> Result<ApiClient, String> {
        let given = [
            ("--endpoint", "mws", self.endpoint.is_some()),
            ("--access-key-id", "mws", self.access_key_id.is_some()),
            ("--lwa-endpoint", "spapi", self.lwa_endpoint.is_some()),
            ("--spapi-endpoint", "spapi", self.spapi_endpoint.is_some()),
            ("--client-id", "spapi", self.client_id.is_some()),
        ];
        if let Some((name, of, _)) = given.iter().find(|(_, of, present)| *present && *of != api) {
            return Err(format!(
                "{name} is an option of --api {of}, not of --api {api}"
            ));
        }
        let missing = |name: &str| format!("{name} is required with --api {api}");
        match api {
            "mws" => Ok(ApiClient::Mws {
                endpoint: self.endpoint.ok_or_else(|| missing("--endpoint"))?,
                access_key_id: self
                    .access_key_id
                    .ok_or_else(|| missing("--access-key-id"))?,
            }),
            "spapi" => Ok(ApiClient::SpApi {
                lwa_endpoint: self.lwa_endpoint.ok_or_else(|| missing("--lwa-endpoint"))?,
                spapi_endpoint: self.spapi_endpoint,
                client_id: self.client_id.ok_or_else(|| missing("--client-id"))?,
            }),
            other => Err(format!(
                "--api {other:?} is not an API; expected mws or spapi"
            )),
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut api = "mws".to_owned();
    let mut options = ApiOptions::default();
    let mut database_url = None;
    let mut connection = None;
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
        let url = || value.parse::<url::Url>().map_err(|_| bad("a URL"));
        match flag.as_str() {
            "--api" => api = value,
            "--database-url" => database_url = Some(value),
            "--connection" => {
                connection = Some(ConnectionId::parse(&value).map_err(|e| e.to_string())?)
            }
            "--endpoint" => options.endpoint = Some(url()?),
            "--access-key-id" => {
                options.access_key_id =
                    Some(AwsAccessKeyId::parse(&value).map_err(|e| e.to_string())?)
            }
            "--lwa-endpoint" => options.lwa_endpoint = Some(url()?),
            "--spapi-endpoint" => options.spapi_endpoint = Some(url()?),
            "--client-id" => {
                options.client_id = Some(LwaClientId::parse(&value).map_err(|e| e.to_string())?)
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
        client: options.client(&api)?,
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

/// The gateway factory of the chosen API, reading its client secret from the environment.
fn gateway_factory(
    client: ApiClient,
    rate_scale: f64,
    pacing: bool,
    clock: Arc<dyn Clock>,
) -> Result<Arc<dyn GatewayFactory>, String> {
    match client {
        ApiClient::Mws {
            endpoint,
            access_key_id,
        } => {
            let secret_key = SecretString::from(env_secret("MWS_SECRET_KEY")?);
            let mut settings = MwsSettings::new(endpoint, access_key_id, secret_key);
            settings.restore_rate_scale = rate_scale;
            settings.pacing = pacing;
            let factory = MwsGatewayFactory::new(&settings, clock).map_err(|e| e.to_string())?;
            Ok(Arc::new(factory))
        }
        ApiClient::SpApi {
            lwa_endpoint,
            spapi_endpoint,
            client_id,
        } => {
            let secret = LwaClientSecret::parse(&env_secret("LWA_CLIENT_SECRET")?)
                .map_err(|e| e.to_string())?;
            // The secret's expiry date only feeds the operator's countdown, which this harness does not show.
            let mut settings = SpApiSettings::new(
                LwaCredentials::new(client_id, secret),
                jiff::civil::date(9999, 12, 31),
            );
            settings.lwa_endpoint = lwa_endpoint;
            settings.spapi_endpoint_override = spapi_endpoint;
            settings.rate_scale = rate_scale;
            settings.pacing = pacing;
            let factory = SpApiGatewayFactory::new(&settings, clock).map_err(|e| e.to_string())?;
            Ok(Arc::new(factory))
        }
    }
}

async fn run(args: Args) -> Result<ImportOutcome, String> {
    let keyring = Keyring::from_env_value(&env_secret("SELLERLINK_MASTER_KEY")?, &[])
        .map_err(|e| e.to_string())?;
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock(args.clock_offset));
    let factory = gateway_factory(args.client, args.rate_scale, args.pacing, clock.clone())?;
    let keyring = Arc::new(keyring);
    let store = Store::connect(&args.database_url)
        .await
        .map_err(|e| e.to_string())?
        .with_buyer_seal(Arc::new(KeyringBuyerData::new(keyring.clone())));
    store.migrate().await.map_err(|e| e.to_string())?;
    let mut config = ImportConfig::new(args.owner);
    config.initial_lookback = args.initial_lookback;
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    let importer = Importer::new(store, clock, Arc::new(credentials), factory, config);
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
            eprintln!("{NAME}: {problem}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(ImportOutcome::Completed) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(3),
        Err(problem) => {
            eprintln!("{NAME}: {problem}");
            ExitCode::FAILURE
        }
    }
}
