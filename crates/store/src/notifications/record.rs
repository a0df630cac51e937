//! [`DeliveryRecord`]: one row of `notification_deliveries` as read back.

use jiff::Timestamp;
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::ids::{ChannelId, CycleKey, DeliveryId, DeliveryKind, DeliveryState};
use crate::codec::Column;
use crate::error::StoreResult;
use crate::leases::LeaseOwner;

/// One delivery of one notification to one channel, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// The idempotency key every copy carries.
    pub id: DeliveryId,
    /// The connection it is about; `None` for a test send.
    pub connection_id: Option<ConnectionId>,
    /// The merchant it is about; `None` for a test send on an operator channel.
    pub merchant_id: Option<MerchantId>,
    /// What it reports.
    pub kind: DeliveryKind,
    /// The cycle it belongs to (expiry date, incident start, or its own id for a test).
    pub cycle: CycleKey,
    /// Days before the expiry date, for reminders (0 = the day it lapses).
    pub offset_days: Option<i32>,
    /// The channel it goes to.
    pub channel_id: ChannelId,
    /// The mailbox or webhook URL (without query) it was addressed to when planned.
    pub recipient: String,
    /// The notification exactly as planned (JSON written by the caller), so every copy is identical.
    pub payload_json: String,
    /// Where it stands.
    pub state: DeliveryState,
    /// How many times a worker started sending it.
    pub attempts: u32,
    /// The last failure, or why it was skipped.
    pub last_error: Option<String>,
    /// When it was planned.
    pub planned_at: Timestamp,
    /// Not to be sent before this instant (later after each failure).
    pub next_attempt_at: Timestamp,
    /// The worker holding it while `Sending`.
    pub lease_owner: Option<LeaseOwner>,
    /// Until when that worker holds it; after that another worker sends it again, with the same id.
    pub lease_until: Option<Timestamp>,
    /// When the latest attempt started.
    pub sent_at: Option<Timestamp>,
    /// When the channel accepted it.
    pub delivered_at: Option<Timestamp>,
}

/// The columns of a delivery read, in [`DeliveryRow`]'s order.
pub(crate) const DELIVERY_COLUMNS: &str = "id, connection_id, merchant_id, kind, cycle_key, offset_days, \
    channel_id, recipient, payload_json, state, attempts, last_error, planned_at_ms, next_attempt_at_ms, \
    lease_owner, lease_until_ms, sent_at_ms, delivered_at_ms";

#[derive(sqlx::FromRow)]
pub(crate) struct DeliveryRow {
    id: String,
    connection_id: Option<String>,
    merchant_id: Option<String>,
    kind: String,
    cycle_key: String,
    offset_days: Option<i64>,
    channel_id: String,
    recipient: String,
    payload_json: String,
    state: String,
    attempts: i64,
    last_error: Option<String>,
    planned_at_ms: i64,
    next_attempt_at_ms: i64,
    lease_owner: Option<String>,
    lease_until_ms: Option<i64>,
    sent_at_ms: Option<i64>,
    delivered_at_ms: Option<i64>,
}

const TABLE: &str = "notification_deliveries";

impl DeliveryRow {
    pub(crate) fn into_record(self) -> StoreResult<DeliveryRecord> {
        let col = |name| Column::new(TABLE, name);
        Ok(DeliveryRecord {
            id: col("id").parse(DeliveryId::parse(&self.id))?,
            connection_id: self
                .connection_id
                .as_deref()
                .map(|id| col("connection_id").parse(ConnectionId::parse(id)))
                .transpose()?,
            merchant_id: self
                .merchant_id
                .as_deref()
                .map(|id| col("merchant_id").parse(MerchantId::parse(id)))
                .transpose()?,
            kind: col("kind").known(DeliveryKind::parse(&self.kind), &self.kind)?,
            cycle: col("cycle_key").parse(CycleKey::parse(&self.cycle_key))?,
            offset_days: self
                .offset_days
                .map(|days| col("offset_days").count(days))
                .transpose()?,
            channel_id: col("channel_id").parse(ChannelId::parse(&self.channel_id))?,
            recipient: self.recipient,
            payload_json: self.payload_json,
            state: col("state").known(DeliveryState::parse(&self.state), &self.state)?,
            attempts: col("attempts").count(self.attempts)?,
            last_error: self.last_error,
            planned_at: col("planned_at_ms").instant(self.planned_at_ms)?,
            next_attempt_at: col("next_attempt_at_ms").instant(self.next_attempt_at_ms)?,
            lease_owner: self
                .lease_owner
                .as_deref()
                .map(|owner| col("lease_owner").parse(LeaseOwner::parse(owner)))
                .transpose()?,
            lease_until: col("lease_until_ms").opt_instant(self.lease_until_ms)?,
            sent_at: col("sent_at_ms").opt_instant(self.sent_at_ms)?,
            delivered_at: col("delivered_at_ms").opt_instant(self.delivered_at_ms)?,
        })
    }
}

/// Reads every row into records, sorted by when they are due (then id), whatever order the database returned.
pub(crate) fn records_by_due(rows: Vec<DeliveryRow>) -> StoreResult<Vec<DeliveryRecord>> {
    let mut records = rows
        .into_iter()
        .map(DeliveryRow::into_record)
        .collect::<StoreResult<Vec<_>>>()?;
    records.sort_by_key(|record| (record.next_attempt_at, record.id));
    Ok(records)
}
