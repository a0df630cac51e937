//! Shipment confirmations: an outbox of (carrier, tracking number, lines) per order, written durably before a worker
//! sends it to Amazon (MWS: a `_POST_ORDER_FULFILLMENT_DATA_` feed whose result is polled; SP-API:
//! `confirmShipment`, which answers at once).
//!
//! A shipment moves `queued` → `submitted` → `confirmed` | `rejected` (or straight from `queued` to a final state
//! when Amazon answers at once). Its guarantees:
//! - queueing is idempotent on (connection, Amazon order id, tracking number): queueing the same parcel again
//!   returns the stored row and writes nothing;
//! - every transition is a compare-and-swap on the state the caller read (`WHERE id = … AND state = …`), so two
//!   workers never both submit or finish one row; the loser gets [`crate::StoreError::Conflict`];
//! - queueing and finishing are audited in the same transaction as the change;
//! - removing a connection removes its shipments (like its orders).

mod check;
mod ids;
mod query;
mod queue;
mod record;
mod transitions;

pub use ids::{ShipmentId, ShipmentLine, ShipmentState};
pub use query::ShipmentFilter;
pub use record::{NewShipment, ShipmentRecord};
