//! [`NewShipment`] (what a caller queues) and [`ShipmentRecord`] (one row of `shipments` as read back).

use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use serde::Serialize;

use super::ids::{ShipmentId, ShipmentLine, ShipmentState};
use crate::codec::Column;
use crate::error::StoreResult;

/// A shipment confirmation to queue: one parcel of one order, with its carrier and tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShipment {
    /// The id to give it (ignored when the same parcel is already queued: the stored row keeps its id).
    pub id: ShipmentId,
    /// The seller account the order belongs to.
    pub connection_id: ConnectionId,
    /// The order shipped.
    pub amazon_order_id: AmazonOrderId,
    /// The carrier, as Amazon knows it (e.g. `Yamato Transport`, `Japan Post`).
    pub carrier: String,
    /// The carrier's service, if known (e.g. `宅急便`).
    pub shipping_method: Option<String>,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// When the parcel left the warehouse (stored to the millisecond).
    pub ship_date: Timestamp,
    /// The order items in the parcel (at least one, each item once, each quantity at least 1).
    pub lines: Vec<ShipmentLine>,
}

/// A shipment confirmation as stored, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShipmentRecord {
    /// Its id.
    pub id: ShipmentId,
    /// The seller account.
    pub connection_id: ConnectionId,
    /// The order shipped.
    pub amazon_order_id: AmazonOrderId,
    /// The carrier.
    pub carrier: String,
    /// The carrier's service, if known.
    pub shipping_method: Option<String>,
    /// The tracking number.
    pub tracking_number: String,
    /// When the parcel left.
    pub ship_date: Timestamp,
    /// The order items in the parcel.
    pub lines: Vec<ShipmentLine>,
    /// Where it stands.
    pub state: ShipmentState,
    /// Amazon's feed submission id once submitted as a feed (MWS), `None` otherwise.
    pub feed_submission_id: Option<String>,
    /// How many times a worker sent it or checked on it.
    pub attempts: u32,
    /// The last failure (cleared by a submission and a confirmation), or why Amazon rejected it.
    pub last_error: Option<String>,
    /// When a worker should next send it (queued) or check its feed (submitted).
    pub next_attempt_at: Timestamp,
    /// When it was queued.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When it was confirmed or rejected.
    pub finished_at: Option<Timestamp>,
}

/// The columns of a shipment read, in [`ShipmentRow`]'s order.
pub(super) const SHIPMENT_COLUMNS: &str = "id, connection_id, amazon_order_id, carrier, shipping_method, \
    tracking_number, ship_date_ms, lines_json, state, feed_submission_id, attempts, last_error, next_attempt_ms, \
    created_at_ms, updated_at_ms, finished_at_ms";

#[derive(sqlx::FromRow)]
pub(super) struct ShipmentRow {
    id: String,
    connection_id: String,
    amazon_order_id: String,
    carrier: String,
    shipping_method: Option<String>,
    tracking_number: String,
    ship_date_ms: i64,
    lines_json: String,
    state: String,
    feed_submission_id: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_ms: i64,
    created_at_ms: i64,
    updated_at_ms: i64,
    finished_at_ms: Option<i64>,
}

const TABLE: &str = "shipments";

impl ShipmentRow {
    pub(super) fn into_record(self) -> StoreResult<ShipmentRecord> {
        let col = |name| Column::new(TABLE, name);
        Ok(ShipmentRecord {
            id: col("id").parse(ShipmentId::parse(&self.id))?,
            connection_id: col("connection_id").parse(ConnectionId::parse(&self.connection_id))?,
            amazon_order_id: col("amazon_order_id")
                .parse(AmazonOrderId::from_amazon(&self.amazon_order_id))?,
            carrier: self.carrier,
            shipping_method: self.shipping_method,
            tracking_number: self.tracking_number,
            ship_date: col("ship_date_ms").instant(self.ship_date_ms)?,
            lines: col("lines_json").json(&self.lines_json)?,
            state: col("state").known(ShipmentState::parse(&self.state), &self.state)?,
            feed_submission_id: self.feed_submission_id,
            attempts: col("attempts").count(self.attempts)?,
            last_error: self.last_error,
            next_attempt_at: col("next_attempt_ms").instant(self.next_attempt_ms)?,
            created_at: col("created_at_ms").instant(self.created_at_ms)?,
            updated_at: col("updated_at_ms").instant(self.updated_at_ms)?,
            finished_at: col("finished_at_ms").opt_instant(self.finished_at_ms)?,
        })
    }
}
