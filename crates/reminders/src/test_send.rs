//! The test-send button: one `Test` notification to one channel, sent at once, recorded in the log like any
//! other delivery.

use std::collections::HashMap;

use sellerlink_notify::NotificationKind;
use sellerlink_store::{
    ChannelId, ChannelOwner, ConnectionFilter, CycleKey, DeliveryId, DeliveryKind, DeliveryRecord,
    NewDelivery, StoreError,
};

use crate::compose::{notification, summary};
use crate::error::ReminderError;
use crate::reminders::Reminders;

impl Reminders {
    /// Sends a test notification to channel `id` now (disabled channels too, so a channel can be tried before it
    /// is switched on) and returns its delivery record: `delivered`, or `failed` with the error. A test is
    /// attempted once, never retried.
    ///
    /// The message shows one connection the channel's owner can recognise: the merchant's oldest connection, or
    /// for an operator channel the oldest connection of all ([`ReminderError::NoConnectionToShow`] if there is
    /// none).
    pub async fn send_test(&self, id: ChannelId) -> Result<DeliveryRecord, ReminderError> {
        let store = &self.store;
        let now = self.clock.now();
        let channel = store.notification_channel(id).await.map_err(|e| match e {
            StoreError::NotFound { .. } => ReminderError::ChannelNotFound(id),
            other => other.into(),
        })?;
        let filter = ConnectionFilter {
            merchant: channel.owner.merchant(),
            ..ConnectionFilter::default()
        };
        let Some(shown) = store.connections(&filter).await?.into_iter().next() else {
            return Err(ReminderError::NoConnectionToShow {
                owner: match channel.owner {
                    ChannelOwner::Operator => "the operator's".to_owned(),
                    ChannelOwner::Merchant(merchant) => format!("merchant {merchant}'s"),
                },
            });
        };
        let connection = shown.connection;
        let merchant = store.merchant(connection.merchant_id).await?;
        let delivery = DeliveryId::new();
        let test = notification(
            delivery,
            NotificationKind::Test,
            summary(&connection, &merchant, &self.settings),
            channel.language,
            now,
        );
        store
            .insert_test_delivery(&NewDelivery {
                id: delivery,
                connection_id: None,
                merchant_id: channel.owner.merchant(),
                kind: DeliveryKind::Test,
                cycle: CycleKey::test(delivery),
                offset_days: None,
                channel_id: channel.id,
                recipient: channel.display_address(),
                payload_json: serde_json::to_string(&test)?,
                planned_at: now,
                skipped: None,
            })
            .await?;
        let claimed = store
            .claim_delivery(delivery, &self.settings.worker, now, self.settings.lease)
            .await?;
        if let Some(record) = claimed {
            let mut channels = HashMap::from([(channel.id, channel)]);
            self.deliver_claimed(&record, now, &mut channels).await?;
        }
        Ok(store.delivery(delivery).await?)
    }
}
