//! `sellerlink-reminders-probe`: one reminders pass against a database, for crash tests.
//!
//! It runs [`Reminders::run_once`] once and prints the outcome as one JSON line. With
//! `REMINDERS_PROBE_ABORT_AFTER_SENDS=n` it aborts the process (`std::process::abort`, no unwinding, no clean-up)
//! right after its n-th successful send and before that send is recorded — the crash window of the README.
//!
//! Settings (environment):
//! - `REMINDERS_PROBE_DATABASE_URL` — the store (`sqlite://…` or `postgres://…`), already migrated;
//! - `REMINDERS_PROBE_MASTER_KEY` — the master key the webhook secrets are sealed with (base64 or hex);
//! - `REMINDERS_PROBE_SMTP` — `host:port` of a plain-text SMTP relay;
//! - `REMINDERS_PROBE_NOW` — the pass's instant (RFC 3339);
//! - `REMINDERS_PROBE_WORKER` — the worker's lease name;
//! - `REMINDERS_PROBE_LEASE_SECONDS` — the lease (default 600);
//! - `REMINDERS_PROBE_ABORT_AFTER_SENDS` — optional, see above.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::DeveloperId;
use sellerlink_notify::{
    EmailTransport, Mailer, RetryPolicy, SmtpSettings, SmtpTls, WebhookSender,
};
use sellerlink_reminders::{ReminderSettings, Reminders, Senders};
use sellerlink_secrets::Keyring;
use sellerlink_store::{LeaseOwner, Store};

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("{name} is not set"))
}

async fn run() -> Result<String, String> {
    let url = var("REMINDERS_PROBE_DATABASE_URL")?;
    let keyring = Keyring::from_env_value(&var("REMINDERS_PROBE_MASTER_KEY")?, &[])
        .map_err(|e| e.to_string())?;
    let smtp = var("REMINDERS_PROBE_SMTP")?;
    let (host, port) = smtp
        .rsplit_once(':')
        .ok_or("REMINDERS_PROBE_SMTP: expected host:port")?;
    let port: u16 = port.parse().map_err(|_| "REMINDERS_PROBE_SMTP: bad port")?;
    let now: Timestamp = var("REMINDERS_PROBE_NOW")?
        .parse()
        .map_err(|e| format!("REMINDERS_PROBE_NOW: {e}"))?;
    let worker = LeaseOwner::parse(&var("REMINDERS_PROBE_WORKER")?).map_err(|e| e.to_string())?;
    let lease_seconds: i64 = std::env::var("REMINDERS_PROBE_LEASE_SECONDS")
        .ok()
        .map_or(Ok(600), |text| text.parse())
        .map_err(|_| "REMINDERS_PROBE_LEASE_SECONDS: expected whole seconds")?;
    let abort_after: Option<u32> = std::env::var("REMINDERS_PROBE_ABORT_AFTER_SENDS")
        .ok()
        .map(|text| text.parse())
        .transpose()
        .map_err(|_| "REMINDERS_PROBE_ABORT_AFTER_SENDS: expected a count")?;

    let store = Store::connect(&url).await.map_err(|e| e.to_string())?;
    let transport = EmailTransport::smtp(&SmtpSettings::new(host, SmtpTls::None).with_port(port))
        .map_err(|e| e.to_string())?;
    let mailer = Mailer::new(
        transport,
        "sellerlink <noreply@sellerlink.test>"
            .parse()
            .map_err(|e| format!("sender: {e}"))?,
    )
    .with_retry(RetryPolicy::none());
    let webhooks = WebhookSender::builder()
        .retry(RetryPolicy::none())
        // The probe's receivers run on this machine.
        .allow_private_addresses(true)
        .build()
        .map_err(|e| e.to_string())?;
    let developer = DeveloperId::parse("5259-6479-4073").map_err(|e| e.to_string())?;
    let mut settings = ReminderSettings::new("sellerlink-probe", developer);
    settings.worker = worker;
    settings.lease = SignedDuration::from_secs(lease_seconds);
    let mut reminders = Reminders::new(
        store.clone(),
        Arc::new(keyring),
        settings,
        Senders::new(Some(mailer), webhooks),
    );
    if let Some(limit) = abort_after {
        let sends = AtomicU32::new(0);
        reminders = reminders.on_sent(move |_| {
            if sends.fetch_add(1, Ordering::SeqCst) + 1 >= limit {
                std::process::abort();
            }
        });
    }
    let outcome = reminders.run_once(now).await.map_err(|e| e.to_string())?;
    store.close().await;
    serde_json::to_string(&outcome).map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(problem) => {
            eprintln!("sellerlink-reminders-probe: {problem}");
            ExitCode::FAILURE
        }
    }
}
