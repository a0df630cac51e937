//! Delivering: claim a due row under a lease, send it with its id as the idempotency key, record the result.
//!
//! The order is send, then record. A worker that stops between the two leaves the row `sending`; once the lease
//! ends another pass sends it again with the same id (see the README's crash-window argument).

use std::collections::HashMap;

use jiff::Timestamp;
use sellerlink_notify::Notification;
use sellerlink_store::{ChannelId, DeliveryKind, DeliveryRecord, NotificationChannel};

use crate::error::ReminderError;
use crate::reminders::Reminders;

/// What became of one claimed delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The channel accepted it.
    Sent,
    /// It failed and is planned again for later.
    Retrying,
    /// It failed for good.
    Failed,
    /// It was not sent on purpose (its channel was disabled).
    Skipped,
}

/// Tally of one delivery pass.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) sent: u32,
    pub(crate) retrying: u32,
    pub(crate) failed: u32,
    pub(crate) skipped: u32,
}

impl Tally {
    fn add(&mut self, fate: Fate) {
        match fate {
            Fate::Sent => self.sent += 1,
            Fate::Retrying => self.retrying += 1,
            Fate::Failed => self.failed += 1,
            Fate::Skipped => self.skipped += 1,
        }
    }
}

impl Reminders {
    /// Sends everything due at `now`, a claim at a time, until nothing due is left. Rows that fail are planned
    /// again after `now`, and claimed rows are leased beyond `now`, so the pass ends.
    pub(crate) async fn deliver_due(&self, now: Timestamp) -> Result<Tally, ReminderError> {
        let mut tally = Tally::default();
        let mut channels = HashMap::new();
        loop {
            let claimed = self
                .store
                .claim_deliveries(
                    &self.settings.worker,
                    now,
                    self.settings.lease,
                    self.settings.claim_batch.max(1),
                )
                .await?;
            if claimed.is_empty() {
                return Ok(tally);
            }
            for record in claimed {
                tally.add(self.deliver_claimed(&record, now, &mut channels).await?);
            }
        }
    }

    /// Sends one delivery this worker holds and records the result.
    pub(crate) async fn deliver_claimed(
        &self,
        record: &DeliveryRecord,
        now: Timestamp,
        channels: &mut HashMap<ChannelId, NotificationChannel>,
    ) -> Result<Fate, ReminderError> {
        let store = &self.store;
        let worker = &self.settings.worker;
        let channel = match channels.get(&record.channel_id) {
            Some(channel) => channel.clone(),
            None => {
                let channel = store.notification_channel(record.channel_id).await?;
                channels.insert(record.channel_id, channel.clone());
                channel
            }
        };
        if channel.disabled && record.kind != DeliveryKind::Test {
            store
                .record_skipped(
                    record.id,
                    worker,
                    "the channel was disabled before this went out",
                )
                .await?;
            return Ok(Fate::Skipped);
        }
        let notification: Notification = match serde_json::from_str(&record.payload_json) {
            Ok(notification) => notification,
            Err(error) => {
                let message = format!("the planned notification cannot be read back: {error}");
                store.record_failed(record.id, worker, &message).await?;
                return Ok(Fate::Failed);
            }
        };
        match self
            .senders
            .send(&self.keyring, &channel, &notification)
            .await
        {
            Ok(()) => {
                if let Some(hook) = &self.on_sent {
                    hook(record);
                }
                store.record_delivered(record.id, now).await?;
                tracing::info!(
                    delivery.id = %record.id,
                    connection.id = ?record.connection_id,
                    notification.kind = record.kind.as_str(),
                    channel.id = %record.channel_id,
                    attempts = record.attempts,
                    "notification delivered"
                );
                Ok(Fate::Sent)
            }
            Err(failure) => {
                let retry = failure.transient
                    && record.kind != DeliveryKind::Test
                    && record.attempts < self.settings.max_attempts;
                let fate = if retry {
                    let wait = self.settings.retry_delay(record.attempts);
                    let retry_at = now.checked_add(wait).unwrap_or(now);
                    store
                        .record_retry(record.id, worker, &failure.message, retry_at)
                        .await?;
                    Fate::Retrying
                } else {
                    store
                        .record_failed(record.id, worker, &failure.message)
                        .await?;
                    Fate::Failed
                };
                tracing::warn!(
                    delivery.id = %record.id,
                    connection.id = ?record.connection_id,
                    notification.kind = record.kind.as_str(),
                    channel.id = %record.channel_id,
                    attempts = record.attempts,
                    retrying = retry,
                    error = %failure.message,
                    "notification not delivered"
                );
                Ok(fate)
            }
        }
    }
}
