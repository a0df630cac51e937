//! Notifications: channels (where reminders and access alerts go) and deliveries (each notification to each
//! channel, planned once, claimed under a lease, recorded as delivered, failed or skipped), plus the log queries.
//!
//! The store keeps what the reminders scheduler decides; it decides nothing itself. Its guarantees:
//! - planning is idempotent: the unique key (connection, kind, cycle, offset, channel) makes a second plan of the
//!   same delivery — by a later pass or by another worker at the same moment — a no-op;
//! - a claim hands each due row to one worker until its lease ends; a row whose worker stopped while sending is
//!   due again after the lease and keeps its id, the idempotency key receivers de-duplicate by;
//! - webhook secrets are stored sealed, as the caller sealed them.

mod channels;
mod claim;
mod ids;
mod log;
mod plan;
mod record;

pub use channels::NotificationChannel;
pub use ids::{
    ChannelId, ChannelKind, ChannelOwner, CycleKey, DeliveryId, DeliveryKind, DeliveryState,
};
pub use log::DeliveryQuery;
pub use plan::{ClosedIncident, DeliveryPlan, NewDelivery, PlanCounts, SkipPending};
pub use record::DeliveryRecord;
