//! One planning pass: the pure planner's verdict for every connection, turned into delivery rows per channel and
//! written with [`Store::plan_deliveries`] — only where something is missing or has to be given up.

use std::collections::HashMap;

use jiff::Timestamp;
use sellerlink_domain::connection::{Connection, Merchant};
use sellerlink_domain::ids::{ConnectionId, MerchantId};
use sellerlink_notify::{ConnectionSummary, NotificationKind};
use sellerlink_store::{
    ChannelId, ClosedIncident, ConnectionFilter, CycleKey, DeliveryKind, DeliveryPlan, NewDelivery,
    NotificationChannel, PlanCounts, SkipPending, Store, StoreError,
};

use crate::cause::{amazon_answer, classify};
use crate::compose::{delivery_id, notification, summary};
use crate::error::ReminderError;
use crate::owed::{ConnectionPlan, ReminderPlan, plan};
use crate::reminders::Reminders;

/// Merchants and their channels, read once per pass.
#[derive(Default)]
struct Lookups {
    merchants: HashMap<MerchantId, Merchant>,
    reaching: HashMap<MerchantId, Vec<NotificationChannel>>,
    channels: HashMap<ChannelId, NotificationChannel>,
}

impl Lookups {
    async fn merchant(&mut self, store: &Store, id: MerchantId) -> Result<Merchant, ReminderError> {
        if let Some(merchant) = self.merchants.get(&id) {
            return Ok(merchant.clone());
        }
        let merchant = store.merchant(id).await?;
        self.merchants.insert(id, merchant.clone());
        Ok(merchant)
    }

    async fn reaching(
        &mut self,
        store: &Store,
        merchant: MerchantId,
    ) -> Result<Vec<NotificationChannel>, ReminderError> {
        if let Some(channels) = self.reaching.get(&merchant) {
            return Ok(channels.clone());
        }
        let channels = store.channels_reaching(merchant).await?;
        self.reaching.insert(merchant, channels.clone());
        Ok(channels)
    }

    async fn channel(
        &mut self,
        store: &Store,
        id: ChannelId,
    ) -> Result<NotificationChannel, ReminderError> {
        if let Some(channel) = self.channels.get(&id) {
            return Ok(channel.clone());
        }
        let channel = store.notification_channel(id).await?;
        self.channels.insert(id, channel.clone());
        Ok(channel)
    }
}

fn by_connection(pairs: Vec<(ConnectionId, CycleKey)>) -> HashMap<ConnectionId, Vec<CycleKey>> {
    let mut grouped: HashMap<ConnectionId, Vec<CycleKey>> = HashMap::new();
    for (connection, cycle) in pairs {
        grouped.entry(connection).or_default().push(cycle);
    }
    grouped
}

/// What every row of one connection shares.
struct Subject<'a> {
    connection: &'a Connection,
    summary: ConnectionSummary,
    now: Timestamp,
}

impl Subject<'_> {
    fn row(
        &self,
        channel: &NotificationChannel,
        kind: DeliveryKind,
        cycle: &CycleKey,
        offset_days: Option<u16>,
        event: NotificationKind,
        skipped: Option<String>,
    ) -> Result<NewDelivery, ReminderError> {
        let id = delivery_id(self.connection, kind, cycle, offset_days, channel.id);
        let notification =
            notification(id, event, self.summary.clone(), channel.language, self.now);
        Ok(NewDelivery {
            id,
            connection_id: Some(self.connection.id),
            merchant_id: Some(self.connection.merchant_id),
            kind,
            cycle: cycle.clone(),
            offset_days: offset_days.map(i32::from),
            channel_id: channel.id,
            recipient: channel.display_address(),
            payload_json: serde_json::to_string(&notification)?,
            planned_at: self.now,
            skipped,
        })
    }
}

/// The channels of `reaching` without a delivery of this (connection, kind, cycle, offset) yet.
async fn missing(
    store: &Store,
    reaching: &[NotificationChannel],
    connection: ConnectionId,
    kind: DeliveryKind,
    cycle: &CycleKey,
    offset_days: Option<u16>,
) -> Result<Vec<NotificationChannel>, StoreError> {
    if reaching.is_empty() {
        return Ok(Vec::new());
    }
    let existing = store
        .channels_with_delivery(connection, kind, cycle, offset_days.map(i32::from))
        .await?;
    Ok(reaching
        .iter()
        .filter(|channel| !existing.contains(&channel.id))
        .cloned()
        .collect())
}

impl Reminders {
    /// Plans what is due at `now` for every connection; returns what it planned and gave up.
    pub(crate) async fn plan_pass(&self, now: Timestamp) -> Result<PlanCounts, ReminderError> {
        let store = &self.store;
        let mut counts = PlanCounts {
            planned: 0,
            skipped: store.skip_deliveries_of_removed_connections().await?,
        };
        let alerted = by_connection(store.open_access_incidents().await?);
        let pending = by_connection(store.pending_cycles(DeliveryKind::ExpiryReminder).await?);
        let mut lookups = Lookups::default();
        for stored in store.connections(&ConnectionFilter::default()).await? {
            let connection = stored.connection;
            let alerted = alerted.get(&connection.id).map_or(&[][..], Vec::as_slice);
            let verdict = plan(&connection, now, &self.settings.offsets, alerted);
            let pending = pending.get(&connection.id).map_or(&[][..], Vec::as_slice);
            let write = self
                .write_for(&connection, &verdict, pending, now, &mut lookups)
                .await?;
            if write.rows.is_empty()
                && write.skip_pending.is_empty()
                && write.close_incidents.is_empty()
            {
                continue;
            }
            let written = store.plan_deliveries(&write).await?;
            if written.planned > 0 || written.skipped > 0 {
                tracing::debug!(
                    connection.id = %connection.id,
                    planned = written.planned,
                    skipped = written.skipped,
                    "notifications planned"
                );
            }
            counts.planned += written.planned;
            counts.skipped += written.skipped;
        }
        Ok(counts)
    }

    /// The rows and give-ups `verdict` calls for, leaving out what is already planned.
    async fn write_for(
        &self,
        connection: &Connection,
        verdict: &ConnectionPlan,
        pending_cycles: &[CycleKey],
        now: Timestamp,
        lookups: &mut Lookups,
    ) -> Result<DeliveryPlan, ReminderError> {
        let store = &self.store;
        let mut write = DeliveryPlan {
            connection_id: connection.id,
            rows: Vec::new(),
            skip_pending: Vec::new(),
            close_incidents: Vec::new(),
        };
        let needs_rows = matches!(verdict.reminders, ReminderPlan::Due { .. })
            || verdict.access.lost.is_some()
            || !verdict.access.ended.is_empty();
        if !needs_rows && pending_cycles.is_empty() {
            return Ok(write);
        }
        let merchant = lookups.merchant(store, connection.merchant_id).await?;
        let subject = Subject {
            connection,
            summary: summary(connection, &merchant, &self.settings),
            now,
        };
        let reaching = lookups.reaching(store, connection.merchant_id).await?;

        // Reminders of a cycle that ended (renewed, restored, revoked, expiry switched off) never go out.
        let current = verdict.reminders.cycle();
        if pending_cycles
            .iter()
            .any(|cycle| Some(cycle) != current.as_ref())
        {
            let reason = match (&verdict.reminders, &current) {
                (ReminderPlan::Off { reason }, _) => format!("no reminders any more: {reason}"),
                (_, Some(cycle)) => format!("a new cycle began: access now expires on {cycle}"),
                (_, None) => "no reminders any more".to_owned(),
            };
            write.skip_pending.push(SkipPending::RemindersOutside {
                keep: current.clone(),
                reason,
            });
        }

        if let ReminderPlan::Due {
            expires_on,
            send,
            skip,
        } = &verdict.reminders
        {
            let cycle = CycleKey::expiry(*expires_on);
            let kind = DeliveryKind::ExpiryReminder;
            let event = NotificationKind::ExpiryReminder {
                expires_on: *expires_on,
                days_left: send.days_left,
            };
            let channels = missing(
                store,
                &reaching,
                connection.id,
                kind,
                &cycle,
                Some(send.offset_days),
            )
            .await?;
            for channel in &channels {
                write.rows.push(subject.row(
                    channel,
                    kind,
                    &cycle,
                    Some(send.offset_days),
                    event.clone(),
                    None,
                )?);
                for passed in skip {
                    let reason = format!(
                        "its day passed while no reminder went out; the {}-day reminder replaces it",
                        send.offset_days
                    );
                    let event = NotificationKind::ExpiryReminder {
                        expires_on: *expires_on,
                        days_left: send.days_left,
                    };
                    write.rows.push(subject.row(
                        channel,
                        kind,
                        &cycle,
                        Some(*passed),
                        event,
                        Some(reason),
                    )?);
                }
            }
            if !channels.is_empty() {
                write.skip_pending.push(SkipPending::LessUrgent {
                    cycle,
                    offset_days: i32::from(send.offset_days),
                    reason: format!(
                        "the more urgent {}-day reminder replaces it",
                        send.offset_days
                    ),
                });
            }
        }

        if let Some((incident, denial)) = &verdict.access.lost {
            let kind = DeliveryKind::AccessLost;
            for channel in missing(store, &reaching, connection.id, kind, incident, None).await? {
                let (amazon_code, amazon_message) = amazon_answer(denial);
                let event = NotificationKind::AccessLost {
                    cause: classify(connection, denial, channel.language),
                    amazon_code,
                    amazon_message,
                    detected_at: denial.at,
                };
                write
                    .rows
                    .push(subject.row(&channel, kind, incident, None, event, None)?);
            }
        }

        for ended in &verdict.access.ended {
            let (skipped, reason) = if ended.restored {
                (None, "access came back before this alert went out")
            } else if connection.grant.revoked_at.is_some() {
                (Some("access was revoked".to_owned()), "access was revoked")
            } else {
                (
                    Some("a newer incident began before access came back".to_owned()),
                    "a newer incident began before this alert went out",
                )
            };
            let restored_at = connection
                .verified_at
                .filter(|at| *at <= now)
                .unwrap_or(now);
            let alerted = store
                .channels_with_delivery(
                    connection.id,
                    DeliveryKind::AccessLost,
                    &ended.incident,
                    None,
                )
                .await?;
            for channel_id in alerted {
                let channel = lookups.channel(store, channel_id).await?;
                let event = NotificationKind::AccessRestored { restored_at };
                write.rows.push(subject.row(
                    &channel,
                    DeliveryKind::AccessRestored,
                    &ended.incident,
                    None,
                    event,
                    skipped.clone(),
                )?);
            }
            write.close_incidents.push(ClosedIncident {
                cycle: ended.incident.clone(),
                reason: reason.to_owned(),
            });
        }
        Ok(write)
    }
}
