#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod account_merge;
mod accounts;
mod api_switch;
mod audit;
mod codec;
mod connection_row;
mod connections;
mod credentials;
mod database_url;
mod engine;
mod error;
mod import_start;
mod job_runs;
mod leases;
mod list_filter;
mod merchants;
mod names;
mod notifications;
mod oauth_states;
mod orders;
mod private_file;
mod shipments;
mod stock;
mod store;
mod sync;
mod work_queue;

pub use accounts::*;
pub use audit::{AuditCursor, AuditFilter, AuditRecord};
pub use connections::{ConnectionFilter, RowVersion, StoredConnection};
pub use credentials::SealedCredential;
pub use engine::Engine;
pub use error::{StoreError, StoreResult};
pub use import_start::ImportStart;
pub use job_runs::{JobName, JobOutcome, JobRun};
pub use leases::{
    Fence, Lease, LeaseName, LeaseOwner, LeaseProcess, MAX_QUOTA_STATE_BYTES, TakenLease,
};
pub use names::NameError;
pub use notifications::*;
pub use oauth_states::{OAuthState, OAuthStateRefusal};
pub use orders::{
    BuyerDataSeal, FINISHED_STATUSES, ListedOrder, MAX_RAW_BYTES, OrderCursor, OrderQuery,
    OrderSort, OrderSummary, QuarantinedOrder, SealedBuyerData, ShipByFilter, UnreadableOrder,
    UpsertOutcome,
};
pub use shipments::{
    NewShipment, ShipmentFilter, ShipmentId, ShipmentLine, ShipmentRecord, ShipmentState,
};
pub use stock::{SkuSearch, StockChange, StockFilter, StockLevel, StockState};
pub use store::{MAX_POOL_SIZE, Store, StoreOptions};
pub use sync::{
    SyncFailure, SyncOutcome, SyncRun, SyncRunId, SyncRunResult, SyncStream, SyncWatermark,
    WatermarkRecord,
};
pub use work_queue::{CLAIM_LOOK_AHEAD, ImportQueue};
