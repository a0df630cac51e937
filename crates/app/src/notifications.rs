//! Notification channels, as use cases: adding one, switching it off and on, sending a test message, and the
//! reminders pass — through the reminders service the process was started with ([`App::with_notifications`]),
//! whose senders and keyring (for webhook secrets) the worker's reminders use too.

use sellerlink_domain::connection::Language;
use sellerlink_reminders::{ChannelTarget, Reminders};
use sellerlink_store::{ChannelId, ChannelOwner, DeliveryRecord, NotificationChannel};

use crate::{App, AppError};

const NOTIFICATIONS_NOT_CONFIGURED: &str = "the notification senders (e-mail: SELLERLINK_SMTP_HOST or the outbox \
     folder; webhooks), which `sellerlink serve`, `worker` and `notify` set up";

impl App {
    /// The same app with `reminders` behind its notification-channel use cases and the reminders job.
    pub fn with_notifications(self, reminders: Reminders) -> Self {
        Self {
            notifications: Some(reminders),
            ..self
        }
    }

    /// The reminders service, or [`AppError::NotConfigured`] when the app was started without one.
    pub fn notifications(&self) -> Result<&Reminders, AppError> {
        self.notifications.as_ref().ok_or(AppError::NotConfigured {
            what: NOTIFICATIONS_NOT_CONFIGURED,
        })
    }

    /// Adds a channel for `owner`, delivering to `target` in `language` (default: the owner's). A webhook's
    /// signing secret is sealed before the store sees it.
    pub async fn add_notification_channel(
        &self,
        owner: ChannelOwner,
        target: ChannelTarget,
        language: Option<Language>,
    ) -> Result<NotificationChannel, AppError> {
        Ok(self
            .notifications()?
            .add_channel(owner, target, language)
            .await?)
    }

    /// Switches a channel off (`disabled`) or on again.
    pub async fn set_notification_channel_disabled(
        &self,
        channel: ChannelId,
        disabled: bool,
    ) -> Result<(), AppError> {
        Ok(self
            .notifications()?
            .set_channel_disabled(channel, disabled)
            .await?)
    }

    /// Sends a test message to a channel now; returns its log record (delivered, or failed with the reason).
    pub async fn send_test_notification(
        &self,
        channel: ChannelId,
    ) -> Result<DeliveryRecord, AppError> {
        Ok(self.notifications()?.send_test(channel).await?)
    }

    /// The channels of `owner`.
    pub async fn notification_channels(
        &self,
        owner: ChannelOwner,
    ) -> Result<Vec<NotificationChannel>, AppError> {
        Ok(self.store.notification_channels(owner).await?)
    }
}
