//! The JSON the API sends and receives (each with its OpenAPI schema). Identifiers are UUIDs or Amazon's own
//! strings; instants are RFC 3339 UTC; dates are `YYYY-MM-DD` in the marketplace's calendar.
//!
//! One module per resource; what the handlers use is re-exported here, so they name `super::models::…`.

mod api_keys;
mod connections;
mod merchants;
mod notifications;
mod orders;
mod sync_runs;

pub use api_keys::{ApiKeyOut, CreateApiKeyIn, CreatedApiKeyOut};
pub use connections::{
    ActionIn, ActionName, ConnectionOut, ConnectionsQuery, CreateConnectionIn, VerifyOut,
};
pub use merchants::{CreateMerchantIn, MerchantOut};
pub use notifications::{
    ChannelKindName, ChannelOut, ChannelsQuery, CreateChannelIn, CreatedChannelOut, DeliveryOut,
    DeliveryPageOut, NotificationsQuery,
};
pub use orders::{OrderDetailOut, OrderOut, OrderPageOut, OrdersQuery};
pub use sync_runs::{SyncRunOut, SyncRunsQuery, SyncStartedOut};
