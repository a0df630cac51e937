#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod build_error;
mod client;
mod credentials;
mod encoding;
pub mod error;
mod input;
pub mod lwa;
pub mod model;
mod operation;
mod product_type;
mod rate_limit;
mod retry;
mod seller_auth;

pub use build_error::BuildError;
pub use client::{SpApiClient, SpApiClientBuilder};
pub use credentials::{
    AccessToken, AuthorizationCode, LwaClientId, LwaClientSecret, LwaCredentials,
};
pub use error::{ApiError, ErrorKind, ResponseMeta, SpApiError};
pub use input::{InputError, InputField, InputProblem};
pub use lwa::{
    GrantType, LwaClient, LwaClientBuilder, LwaError, LwaErrorKind, TokenCache, TokenSet,
};
pub use model::OrderConversionError;
pub use model::listings::{
    ListingsItemSubmissionResponse, PatchOp, PatchOperation, SubmissionStatus,
    fulfillment_availability_patch,
};
pub use model::orders::{FulfilledBy, FulfillmentStatus, IncludedData, Order, OrderItem};
pub use model::search_orders::{
    OrderWindow, SearchOrdersPage, SearchOrdersRequest, UnreadableOrder,
};
pub use model::sellers::Participation;
pub use model::shipment::{ConfirmShipment, PackageDetail, ShipmentItem};
pub use operation::{Operation, UsagePlan};
pub use product_type::ProductType;
pub use seller_auth::SellerAuth;
/// The seller SKU a listing is patched under: the domain's one SKU rule (1–40 characters, kept as typed apart from
/// surrounding white space, no hidden character); the client percent-encodes it as a path segment.
pub use sellerlink_domain::ids::Sku;
pub use sellerlink_http::RetryPolicy;
