#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod build_error;
mod client;
mod conversion;
pub mod error;
pub mod feed_document;
pub mod model;
pub mod pacing;
mod pagination;
pub mod params;
pub mod quota;
mod retry;
mod seller_auth;
pub mod signature;

pub use build_error::BuildError;
pub use client::{
    FeedSubmissionListFilter, ListOrdersRequest, MwsClient, MwsClientBuilder, SubmitFeedRequest,
};
pub use error::{AmazonErrorDetail, DecodeError, ErrorKind, ErrorResponse, MwsError};
pub use feed_document::{
    Carrier, FeedDocumentError, FulfillmentItem, InventoryFeed, InventoryUpdate, OrderFulfillment,
    OrderFulfillmentFeed, Sku,
};
pub use model::common::{Address, Amount, CurrencyCode, Money};
pub use model::feeds::{
    FeedProcessingResult, FeedProcessingStatus, FeedSubmissionId, FeedSubmissionInfo,
    FeedSubmissionListPage, FeedType, ProcessingReport,
};
pub use model::orders::{
    FulfillmentChannel, Order, OrderItem, OrderItemId, OrderItemsPage, OrderStatus, OrdersPage,
    UnreadableOrder,
};
pub use model::sellers::{
    ListedMarketplace, MarketplaceInfo, MarketplaceParticipations, MarketplaceParticipationsPage,
    Participation,
};
pub use model::service_status::{ServiceStatus, ServiceStatusLevel};
pub use pacing::{DEFAULT_SAFETY_MARGIN, InvalidRestoreRateScale, Pacing};
pub use quota::{Operation, Quota, QuotaGroup, Section, ServiceStatusSection};
pub use seller_auth::SellerAuth;
pub use sellerlink_http::RetryPolicy;
