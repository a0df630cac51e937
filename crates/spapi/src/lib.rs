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
mod rate_limit;
mod retry;
mod seller_auth;
mod sku;

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
pub use seller_auth::SellerAuth;
pub use sellerlink_http::RetryPolicy;
pub use sku::{ProductType, Sku};
