//! Stock levels to push to Amazon: the quantity available per SKU of a connection, as the 3PL last set it, with what
//! Amazon accepted last and what is in flight.
//!
//! A stock level is a state, not an event. Setting a different quantity makes a new *revision*; a worker pushes the
//! current revision (MWS: one `_POST_INVENTORY_AVAILABILITY_DATA_` feed for many SKUs, its processing report polled
//! later; SP-API: `patchListingsItem` per SKU, answered at once) and records Amazon's answer for the revision it
//! pushed. A row moves `pending` → `submitted` → `pushed` | `rejected` (or from `pending` straight to a final
//! state), and back to `pending` at every new revision. Its guarantees:
//! - setting quantities is all or nothing per call, and setting the same quantity again changes nothing;
//! - a quantity set while an older revision is in flight is still pushed afterwards: the row is pending again at the
//!   new revision, and the older revision's outcome only records what Amazon holds (`pushed_revision`);
//! - `stock_submitted` and `stock_retry_later` are compare-and-swaps on the (state, revision) the worker read, so
//!   two workers never both submit one revision; the loser gets [`crate::StoreError::Conflict`];
//! - removing a connection removes its stock levels. There are no audit entries: the rows change constantly and are
//!   their own record.

mod check;
mod query;
mod record;
mod set;
mod state;
mod transitions;

pub use query::{SkuSearch, StockFilter};
pub use record::StockLevel;
pub use state::{StockChange, StockState};
