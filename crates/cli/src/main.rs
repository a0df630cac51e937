//! `sellerlink`: the one binary — merchant and connection administration, key rotation, the sandbox.

mod args;
mod commands;
mod output;
mod shutdown;
mod spapi_settings;
mod usage;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use sellerlink_app::{App, DeveloperIdentity, KeySettings, MwsSettings, Settings};
use sellerlink_domain::clock::SystemClock;
use sellerlink_domain::lifecycle::StatusPolicy;

use crate::args::{Cli, Command, GlobalArgs};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return refuse_command_line(&error),
    };
    init_tracing(&cli.command);
    // One crypto provider for every TLS user in the process (rustls with ring).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let output = Output {
        json: cli.global.json,
    };
    let result = runtime.block_on(run(cli));
    // Whatever still runs (a blocked read of stdin, say) must not keep the process from exiting.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if let Some(shutdown::ExitStatus(status)) = err.downcast_ref() {
                return ExitCode::from(*status);
            }
            output.error(&err);
            output::exit_code(&err)
        }
    }
}

/// `--help` and `--version` print as clap prints them; every other refusal of the command line is explained in
/// English and Japanese naming the field (JSON on stdout under `--json`), with exit status 2.
fn refuse_command_line(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
    ) {
        let _ = error.print();
        return ExitCode::SUCCESS;
    }
    let refusal = usage::UsageError::from_clap(error);
    let json = std::env::args_os()
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json");
    if json {
        output::print_json(&refusal.json());
    } else {
        // clap's own rendering (with the usage line), then the Japanese explanation.
        match error.kind() {
            clap::error::ErrorKind::ValueValidation => {
                eprintln!("error: {}", refusal.message);
            }
            _ => eprint!("{}", error.render()),
        }
        eprintln!("エラー: {}", refusal.message_ja);
    }
    ExitCode::from(output::EXIT_INVALID_INPUT)
}

fn init_tracing(command: &Command) {
    let default = match command {
        Command::Sandbox(_) => "info",
        _ => "warn",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("SELLERLINK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let output = Output {
        json: cli.global.json,
    };
    // First of all, so that a stop asked for while starting is not lost (as PID 1 it would be ignored).
    let signals = match &cli.command {
        Command::Worker(_) | Command::Serve(_) | Command::Demo(_) | Command::Sync(_) => {
            Some(shutdown::Signals::install()?)
        }
        _ => None,
    };
    match cli.command {
        Command::Sandbox(args) => commands::sandbox::run(&cli.global, args).await,
        Command::Demo(args) => commands::demo::run(&cli.global, args, signals).await,
        command => {
            let app = open_app(&cli.global).await?;
            match command {
                Command::Merchant(command) => commands::merchant::run(&app, command, &output).await,
                Command::Connection(command) => {
                    commands::connection::run(&app, command, &output).await
                }
                Command::Orders(command) => commands::orders::run(&app, command, &output).await,
                Command::Stock(command) => commands::stock::run(&app, command, &output).await,
                Command::Keys(command) => {
                    commands::keys::run(&app, &cli.global, command, &output).await
                }
                Command::Migrate => {
                    output.done(
                        "The database schema is up to date.",
                        serde_json::json!({"migrated": true}),
                    );
                    Ok(())
                }
                Command::AppCredentials => commands::app_credentials::run(&app, &output),
                Command::Notify(command) => {
                    commands::notify::run(&app, &cli.global, command, &output).await
                }
                Command::Sync(args) => commands::sync::run(&app, args, &output, signals).await,
                Command::Worker(args) => {
                    commands::sync::worker(&app, &cli.global, args, signals).await
                }
                Command::Serve(args) => {
                    commands::serve::run(&app, &cli.global, args, signals).await
                }
                Command::Sandbox(_) | Command::Demo(_) => unreachable!("handled above"),
            }
        }
    }
}

pub(crate) fn settings(global: &GlobalArgs) -> anyhow::Result<Settings> {
    let database_url = global.database_url.clone().unwrap_or_else(|| {
        format!(
            "sqlite://{}",
            global.data_dir.join("sellerlink.db").display()
        )
    });
    Ok(Settings {
        database_url,
        keys: KeySettings {
            master_key: std::env::var(sellerlink_secrets::MASTER_KEY_VAR)
                .ok()
                .map(Into::into),
            previous_master_keys: std::env::var(sellerlink_secrets::PREVIOUS_MASTER_KEYS_VAR)
                .ok()
                .map(Into::into),
            key_file: global.data_dir.join("master.key"),
        },
        developer: DeveloperIdentity {
            name: global.developer_name.clone(),
            developer_id: global.developer_id.clone(),
        },
        status_policy: StatusPolicy {
            expiring_soon_within_days: global.expiring_soon_days,
        },
        mws: mws_settings(&global.mws)?,
        spapi: spapi_settings::spapi_settings(&global.spapi)?,
        initial_lookback: jiff::SignedDuration::from_hours(
            global.mws.initial_lookback_days.max(1) * 24,
        ),
        lease_ttl: jiff::SignedDuration::from_secs(i64::from(global.mws.lease_seconds.max(3))),
    })
}

/// MWS settings when developer keys are configured: the access key id and `SELLERLINK_MWS_SECRET_KEY`.
fn mws_settings(args: &crate::args::MwsArgs) -> anyhow::Result<Option<MwsSettings>> {
    let secret = std::env::var("SELLERLINK_MWS_SECRET_KEY")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let (key, secret) = match (&args.mws_access_key_id, secret) {
        (None, None) => return Ok(None),
        (Some(key), Some(secret)) => (key.clone(), secret),
        (Some(_), None) => {
            return Err(output::Bilingual {
                code: "not_configured",
                field: Some("SELLERLINK_MWS_SECRET_KEY"),
                en: "SELLERLINK_MWS_ACCESS_KEY_ID is set but SELLERLINK_MWS_SECRET_KEY is not: set both or neither"
                    .to_owned(),
                ja: "SELLERLINK_MWS_ACCESS_KEY_ID が設定されていますが、SELLERLINK_MWS_SECRET_KEY が設定されていません。両方を設定するか、両方とも外してください。"
                    .to_owned(),
            }
            .into());
        }
        (None, Some(_)) => {
            return Err(output::Bilingual {
                code: "not_configured",
                field: Some("SELLERLINK_MWS_ACCESS_KEY_ID"),
                en: "SELLERLINK_MWS_SECRET_KEY is set but SELLERLINK_MWS_ACCESS_KEY_ID is not: set both or neither"
                    .to_owned(),
                ja: "SELLERLINK_MWS_SECRET_KEY が設定されていますが、SELLERLINK_MWS_ACCESS_KEY_ID が設定されていません。両方を設定するか、両方とも外してください。"
                    .to_owned(),
            }
            .into());
        }
    };
    let endpoint = match &args.mws_endpoint {
        Some(url) => url.clone(),
        None => url::Url::parse("https://mws.amazonservices.jp").expect("a valid URL"),
    };
    let mut settings = MwsSettings::new(endpoint, key, secret.into());
    settings.restore_rate_scale = args.mws_restore_rate_scale;
    if let Some(path) = &args.mws_ca_file {
        let pem = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("SELLERLINK_MWS_CA_FILE {}: {e}", path.display()))?;
        settings.extra_ca_pem = Some(pem);
    }
    Ok(Some(settings))
}

async fn open_app(global: &GlobalArgs) -> anyhow::Result<App> {
    Ok(App::open_with(
        settings(global)?,
        Arc::new(SystemClock),
        store_options(global),
    )
    .await?)
}

/// The database pool settings of the global options.
pub(crate) fn store_options(global: &GlobalArgs) -> sellerlink_store::StoreOptions {
    sellerlink_store::StoreOptions {
        pool_size: global.db_pool_size,
    }
}
