//! `sellerlink notify …`: channels, the notification log, test sends; and the reminders worker's set-up.

use std::sync::Arc;

use sellerlink_app::{App, AppError};
use sellerlink_domain::connection::Language;
use sellerlink_notify::{
    EmailTransport, Mailer, RetryPolicy, SmtpSettings, SmtpTls, WebhookSecret, WebhookSender,
};
use sellerlink_reminders::{ChannelTarget, ReminderOffsets, ReminderSettings, Reminders, Senders};
use sellerlink_store::{ChannelId, ChannelOwner, DeliveryQuery, Store};

use crate::args::{ChannelCommand, GlobalArgs, LanguageArg, MailArgs, NotifyCommand};
use crate::output::Output;

/// In-process attempts per send. The worker retries durably itself (with backoff recorded on the delivery), and a
/// test send from the web app waits for the answer, so the senders give up quickly.
const SEND_ATTEMPTS: u32 = 2;

/// The reminders worker over its own store handle, on the app's clock, with mail from the command line /
/// environment. The worker, `notify …` and the web app (`serve`, `demo`: channels and test sends) all use this.
/// `allow_private_webhooks`: merchants' webhooks may be on non-public addresses.
pub async fn reminders(
    global: &GlobalArgs,
    app: &App,
    allow_private_webhooks: bool,
) -> anyhow::Result<Reminders> {
    let settings = crate::settings(global)?;
    let keyring = Arc::new(settings.keys.load()?);
    let store = Store::connect(&settings.database_url).await?;
    let mut reminder_settings =
        ReminderSettings::new(global.developer_name.clone(), global.developer_id.clone());
    reminder_settings.offsets = ReminderOffsets::parse(&global.mail.reminder_days)
        .map_err(|e| anyhow::anyhow!("SELLERLINK_REMINDER_DAYS: {e}"))?;
    let retry = RetryPolicy::attempts(SEND_ATTEMPTS);
    let senders = Senders::new(
        Some(mailer(global, &global.mail)?.with_retry(retry)),
        WebhookSender::builder()
            .retry(retry)
            .allow_private_addresses(allow_private_webhooks)
            .build()?,
    );
    Ok(Reminders::new(store, keyring, reminder_settings, senders).with_clock(app.clock()))
}

fn mailer(global: &GlobalArgs, mail: &MailArgs) -> anyhow::Result<Mailer> {
    let from = mail.mail_from.parse().map_err(|e| {
        anyhow::anyhow!(
            "SELLERLINK_MAIL_FROM {:?}: {e}; expected e.g. \"sellerlink <noreply@3pl.example>\"",
            mail.mail_from
        )
    })?;
    let transport = match &mail.smtp_host {
        Some(host) => {
            let tls = match mail.smtp_tls.to_ascii_lowercase().as_str() {
                "starttls" => SmtpTls::StartTls,
                "tls" => SmtpTls::Tls,
                "none" => SmtpTls::None,
                other => {
                    anyhow::bail!("SELLERLINK_SMTP_TLS {other:?}: expected starttls, tls or none")
                }
            };
            let mut settings = SmtpSettings::new(host.clone(), tls);
            if let Some(port) = mail.smtp_port {
                settings = settings.with_port(port);
            }
            if let Some(user) = &mail.smtp_username {
                let password = std::env::var("SELLERLINK_SMTP_PASSWORD").map_err(|_| {
                    anyhow::anyhow!(
                        "SELLERLINK_SMTP_USERNAME is set but SELLERLINK_SMTP_PASSWORD is not"
                    )
                })?;
                settings = settings.with_credentials(user.clone(), password.into());
            }
            EmailTransport::smtp(&settings)?
        }
        None => EmailTransport::outbox(outbox_folder(global, mail)),
    };
    Ok(Mailer::new(transport, from))
}

/// Refuses a merchant's webhook URL whose host is, or resolves to, a non-public address (as the web app does).
async fn ensure_public_webhook(url: &str) -> anyhow::Result<()> {
    let Ok(parsed) = url::Url::parse(url.trim()) else {
        return Ok(()); // ChannelTarget::webhook reported it already
    };
    sellerlink_notify::webhook::address::resolve(&parsed, false)
        .await
        .map(|_| ())
        .map_err(|refusal| {
            anyhow::anyhow!(
                "{}\n{}\n(the operator may allow private addresses with --allow-private-webhooks or \
                 SELLERLINK_ALLOW_PRIVATE_WEBHOOKS=true)",
                refusal.explain_en("--webhook"),
                refusal.explain_ja("--webhook")
            )
        })
}

/// Where e-mails are written when no SMTP host is set: `--mail-outbox`, else `DATA_DIR/outbox`.
pub fn outbox_folder(global: &GlobalArgs, mail: &MailArgs) -> std::path::PathBuf {
    mail.mail_outbox
        .clone()
        .unwrap_or_else(|| global.data_dir.join("outbox"))
}

pub async fn run(
    app: &App,
    global: &GlobalArgs,
    command: NotifyCommand,
    output: &Output,
) -> anyhow::Result<()> {
    let app = &app
        .clone()
        .with_notifications(reminders(global, app, global.allow_private_webhooks).await?);
    match command {
        NotifyCommand::Channel(ChannelCommand::Add {
            merchant,
            operator: _,
            email,
            webhook,
            language,
        }) => {
            let owner = owner(app, merchant.as_deref()).await?;
            let language = language.map(|l| match l {
                LanguageArg::Ja => Language::Ja,
                LanguageArg::En => Language::En,
            });
            let (target, secret) = match (email, webhook) {
                (Some(address), _) => (ChannelTarget::email(&address)?, None),
                (None, Some(url)) => {
                    let secret = WebhookSecret::generate();
                    let shown = secret.expose_secret().to_owned();
                    let target = ChannelTarget::webhook(&url, secret)?;
                    if matches!(owner, ChannelOwner::Merchant(_)) && !global.allow_private_webhooks
                    {
                        ensure_public_webhook(&url).await?;
                    }
                    (target, Some(shown))
                }
                (None, None) => anyhow::bail!("give --email or --webhook"),
            };
            let channel = app
                .add_notification_channel(owner, target, language)
                .await?;
            let mut sentence = format!(
                "Channel {} added: {} ({}).",
                channel.id,
                channel.display_address(),
                channel.language.code()
            );
            if let Some(secret) = &secret {
                sentence.push_str(&format!(
                    "\nWebhook signing secret (shown once; verify Sellerlink-Webhook-Signature with it, see docs/WEBHOOKS.md):\n{secret}"
                ));
            }
            output.done(
                &sentence,
                serde_json::json!({
                    "id": channel.id.to_string(),
                    "address": channel.display_address(),
                    "language": channel.language.code(),
                    "webhook_secret": secret,
                }),
            );
        }
        NotifyCommand::Channel(ChannelCommand::List { merchant, operator }) => {
            let owner = if operator {
                ChannelOwner::Operator
            } else {
                owner(app, merchant.as_deref()).await?
            };
            let channels = app.notification_channels(owner).await?;
            let rows: Vec<Vec<String>> = channels
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        format!("{:?}", c.kind).to_lowercase(),
                        c.display_address(),
                        c.language.code().to_owned(),
                        if c.disabled { "disabled" } else { "active" }.to_owned(),
                    ]
                })
                .collect();
            let json: Vec<_> = channels
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id.to_string(), "kind": format!("{:?}", c.kind).to_lowercase(),
                        "address": c.display_address(), "language": c.language.code(), "disabled": c.disabled,
                    })
                })
                .collect();
            output.table(&["ID", "KIND", "ADDRESS", "LANGUAGE", "STATE"], rows, &json);
        }
        NotifyCommand::Channel(ChannelCommand::Disable { channel, enable }) => {
            let id = parse_channel(&channel)?;
            app.set_notification_channel_disabled(id, !enable).await?;
            output.done(
                &format!(
                    "Channel {id} {}.",
                    if enable { "enabled" } else { "disabled" }
                ),
                serde_json::json!({ "id": id.to_string(), "disabled": !enable }),
            );
        }
        NotifyCommand::Log {
            merchant,
            connection,
            limit,
        } => {
            let merchant = match merchant {
                Some(m) => Some(app.find_merchant(&m).await?.id),
                None => None,
            };
            let query = DeliveryQuery {
                merchant,
                connection,
                limit: limit.clamp(1, 500),
                ..DeliveryQuery::default()
            };
            let deliveries = app.store().deliveries(&query).await?;
            let rows: Vec<Vec<String>> = deliveries
                .iter()
                .map(|d| {
                    vec![
                        d.planned_at.strftime("%Y-%m-%d %H:%M").to_string(),
                        d.kind.as_str().to_owned(),
                        d.offset_days
                            .map_or_else(|| "-".to_owned(), |o| o.to_string()),
                        d.recipient.clone(),
                        d.state.as_str().to_owned(),
                        d.attempts.to_string(),
                        d.last_error.clone().unwrap_or_default(),
                    ]
                })
                .collect();
            let json: Vec<_> = deliveries
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "id": d.id.to_string(), "planned_at": d.planned_at, "kind": d.kind.as_str(),
                        "offset_days": d.offset_days, "connection_id": d.connection_id, "recipient": d.recipient,
                        "state": d.state.as_str(), "attempts": d.attempts, "sent_at": d.sent_at,
                        "delivered_at": d.delivered_at, "last_error": d.last_error,
                    })
                })
                .collect();
            output.table(
                &[
                    "PLANNED (UTC)",
                    "KIND",
                    "DAYS",
                    "TO",
                    "STATE",
                    "TRIES",
                    "ERROR",
                ],
                rows,
                &json,
            );
        }
        NotifyCommand::Test { channel } => {
            let record = app.send_test_notification(parse_channel(&channel)?).await?;
            output.done(
                &format!("Test message to {}: {}.", record.recipient, record.state.as_str()),
                serde_json::json!({ "recipient": record.recipient, "state": record.state.as_str(), "error": record.last_error }),
            );
        }
        NotifyCommand::Run => {
            let outcome = app.notifications()?.run_once(app.now()).await?;
            output.done(
                &format!(
                    "{} planned, {} sent, {} retrying, {} failed, {} skipped.",
                    outcome.planned,
                    outcome.sent,
                    outcome.retrying,
                    outcome.failed,
                    outcome.skipped
                ),
                serde_json::json!({
                    "planned": outcome.planned, "sent": outcome.sent, "retrying": outcome.retrying,
                    "failed": outcome.failed, "skipped": outcome.skipped,
                }),
            );
        }
    }
    Ok(())
}

async fn owner(app: &App, merchant: Option<&str>) -> Result<ChannelOwner, AppError> {
    Ok(match merchant {
        Some(m) => ChannelOwner::Merchant(app.find_merchant(m).await?.id),
        None => ChannelOwner::Operator,
    })
}

fn parse_channel(text: &str) -> Result<ChannelId, AppError> {
    ChannelId::parse(text).map_err(|e| AppError::InvalidInput {
        field: "channel",
        problem: e.to_string(),
    })
}
