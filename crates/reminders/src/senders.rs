//! Sending one notification on one channel: e-mail through the notify crate's [`Mailer`], webhooks through its
//! [`WebhookSender`] with the channel's secret opened just for the request.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use sellerlink_notify::{
    Mailbox, Mailer, Notification, NotifyError, WebhookEndpoint, WebhookSecret, WebhookSender,
};
use sellerlink_secrets::{Keyring, SealContext, Sealed};
use sellerlink_store::{ChannelId, ChannelKind, ChannelOwner, NotificationChannel};

/// The senders a worker uses. Give them few in-process retries (e.g.
/// `RetryPolicy::delivery().with_attempts(2)`): the worker retries durably itself, with backoff
/// recorded on the delivery, and its lease must outlast one send.
pub struct Senders {
    mailer: Option<Mailer>,
    webhooks: WebhookSender,
}

impl fmt::Debug for Senders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Senders")
            .field("mailer", &self.mailer)
            .field("webhooks", &self.webhooks)
            .finish()
    }
}

/// Why one send did not succeed, and whether sending the same delivery later may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendFailure {
    pub(crate) message: String,
    pub(crate) transient: bool,
}

impl SendFailure {
    fn permanent(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            transient: false,
        }
    }
}

impl From<NotifyError> for SendFailure {
    fn from(error: NotifyError) -> Self {
        Self {
            transient: error.is_transient(),
            message: error.to_string(),
        }
    }
}

/// Where a channel's webhook secret is sealed: a sealed secret copied to another channel does not open.
pub(crate) fn secret_context(channel: ChannelId) -> SealContext {
    SealContext::new(
        "notification_channel",
        &channel.to_string(),
        "webhook_secret",
    )
}

impl Senders {
    /// E-mail through `mailer` (`None`: e-mail channels fail with "no SMTP relay configured") and webhooks
    /// through `webhooks`.
    pub fn new(mailer: Option<Mailer>, webhooks: WebhookSender) -> Self {
        Self { mailer, webhooks }
    }

    /// Sends `notification` on `channel`.
    pub(crate) async fn send(
        &self,
        keyring: &Keyring,
        channel: &NotificationChannel,
        notification: &Notification,
    ) -> Result<(), SendFailure> {
        match channel.kind {
            ChannelKind::Email => {
                let Some(mailer) = &self.mailer else {
                    return Err(SendFailure::permanent(
                        "no SMTP relay is configured, so e-mail channels cannot be served; configure SMTP",
                    ));
                };
                let mailbox: Mailbox = channel.address.parse().map_err(|e| {
                    SendFailure::permanent(format!(
                        "the channel's e-mail address {:?} does not parse ({e}); fix the channel",
                        channel.address
                    ))
                })?;
                mailer.send(notification, &[mailbox]).await?;
                Ok(())
            }
            ChannelKind::Webhook => {
                let endpoint = open_endpoint(keyring, channel)?;
                self.webhooks.send(&endpoint, notification).await?;
                Ok(())
            }
        }
    }
}

/// The channel's endpoint with its secret opened. A key the keyring lacks may come with a reload, so that is
/// worth retrying; anything else is not.
fn open_endpoint(
    keyring: &Keyring,
    channel: &NotificationChannel,
) -> Result<WebhookEndpoint, SendFailure> {
    let Some(stored) = &channel.sealed_secret else {
        return Err(SendFailure::permanent(
            "the webhook channel has no signing secret",
        ));
    };
    let sealed = Sealed::from_bytes(&stored.blob).map_err(|e| {
        SendFailure::permanent(format!(
            "the channel's sealed webhook secret cannot be read: {e}"
        ))
    })?;
    let opened: SecretString = keyring
        .open(&secret_context(channel.id), &sealed)
        .map_err(|e| SendFailure {
            transient: matches!(e, sellerlink_secrets::SecretsError::UnknownKey { .. }),
            message: format!("the channel's webhook secret cannot be opened: {e}"),
        })?;
    let secret = WebhookSecret::parse(opened.expose_secret())
        .map_err(|e| SendFailure::permanent(e.to_string()))?;
    let endpoint = WebhookEndpoint::new(&channel.address, secret)
        .map_err(|e| SendFailure::permanent(e.to_string()))?;
    // The operator chose its own channel's address; only merchants' webhooks must be on public addresses.
    Ok(match channel.owner {
        ChannelOwner::Operator => endpoint.allowing_private_addresses(),
        ChannelOwner::Merchant(_) => endpoint,
    })
}
