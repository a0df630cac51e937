//! Setting up channels: an e-mail mailbox or a webhook URL (its signing secret sealed before the store sees it),
//! for a merchant or for the operator.

use secrecy::SecretString;
use sellerlink_domain::connection::Language;
use sellerlink_notify::{Mailbox, WebhookEndpoint, WebhookSecret};
use sellerlink_store::{
    ChannelId, ChannelKind, ChannelOwner, NotificationChannel, SealedCredential, StoreError,
};

use crate::error::ReminderError;
use crate::reminders::Reminders;
use crate::senders::secret_context;

/// Where a new channel delivers, parsed at the edge.
#[derive(Debug, Clone)]
pub enum ChannelTarget {
    /// One mailbox.
    Email(Mailbox),
    /// One endpoint and the secret it verifies signatures with.
    Webhook(WebhookEndpoint),
}

impl ChannelTarget {
    /// Parses an e-mail address (`taro@example.co.jp` or `Taro <taro@example.co.jp>`).
    pub fn email(address: &str) -> Result<Self, ReminderError> {
        address
            .trim()
            .parse::<Mailbox>()
            .map(Self::Email)
            .map_err(|e| ReminderError::InvalidChannel {
                field: "e-mail address",
                problem: format!("{:?} does not parse ({e})", address.trim()),
                expected: "an address such as taro@example.co.jp or Taro <taro@example.co.jp>",
            })
    }

    /// Parses a webhook URL (http or https) and pairs it with its signing secret.
    pub fn webhook(url: &str, secret: WebhookSecret) -> Result<Self, ReminderError> {
        Ok(Self::Webhook(WebhookEndpoint::new(url, secret)?))
    }
}

impl Reminders {
    /// Adds a channel for `owner`. Its language defaults to the merchant's (Japanese for the operator). A webhook
    /// secret is sealed with the keyring, bound to the new channel's id.
    pub async fn add_channel(
        &self,
        owner: ChannelOwner,
        target: ChannelTarget,
        language: Option<Language>,
    ) -> Result<NotificationChannel, ReminderError> {
        let language = match (language, owner) {
            (Some(language), _) => language,
            (None, ChannelOwner::Operator) => Language::Ja,
            (None, ChannelOwner::Merchant(merchant)) => {
                self.store
                    .merchant(merchant)
                    .await
                    .map_err(|e| match e {
                        StoreError::NotFound { .. } => ReminderError::MerchantNotFound(merchant),
                        other => other.into(),
                    })?
                    .language
            }
        };
        let id = ChannelId::new();
        let (kind, address, sealed_secret) = match target {
            ChannelTarget::Email(mailbox) => (ChannelKind::Email, mailbox.to_string(), None),
            ChannelTarget::Webhook(endpoint) => {
                let secret = SecretString::from(endpoint.secret().expose_secret().to_owned());
                let sealed = self.keyring.seal(&secret_context(id), &secret)?;
                let stored = SealedCredential {
                    kek_id: sealed.kek_id().to_string(),
                    blob: sealed.to_bytes(),
                };
                (
                    ChannelKind::Webhook,
                    endpoint.url().to_string(),
                    Some(stored),
                )
            }
        };
        let channel = NotificationChannel {
            id,
            owner,
            kind,
            address,
            sealed_secret,
            language,
            created_at: self.clock.now(),
            disabled: false,
        };
        self.store
            .insert_notification_channel(&channel)
            .await
            .map_err(|e| match (e, owner) {
                (StoreError::NotFound { .. }, ChannelOwner::Merchant(merchant)) => {
                    ReminderError::MerchantNotFound(merchant)
                }
                (other, _) => other.into(),
            })?;
        Ok(channel)
    }

    /// Disables a channel (no new notifications; waiting ones are skipped) or enables it again.
    pub async fn set_channel_disabled(
        &self,
        id: ChannelId,
        disabled: bool,
    ) -> Result<(), ReminderError> {
        self.store
            .set_notification_channel_disabled(id, disabled)
            .await
            .map_err(|e| match e {
                StoreError::NotFound { .. } => ReminderError::ChannelNotFound(id),
                other => other.into(),
            })
    }
}
