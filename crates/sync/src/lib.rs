#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod access;
mod config;
mod credentials;
mod error;
mod feed_timing;
mod import;
mod quota_handover;
mod report;
mod scheduler;
mod seller_access;
mod seller_lease;
mod shipper;
mod stock_pusher;
mod verify;

pub use config::{ImportConfig, RetryConfig};
pub use credentials::{CredentialError, CredentialOpener, KeyringBuyerData, KeyringCredentials};
pub use error::SyncError;
pub use import::Importer;
pub use report::{ImportOutcome, Progress, ProgressFn, RunOptions, SyncReport};
pub use scheduler::{ScheduledCheck, ScheduledRun, Scheduler, SchedulerConfig, WorkReport};
pub use seller_access::SellerAccess;
pub use seller_lease::{Acquired, LeasePurpose, LeaseState, SellerLease, SellerLeases};
pub use shipper::{ShipmentRun, ShipmentStep, Shipper};
pub use stock_pusher::{StockPusher, StockRun, StockStep};
pub use verify::{Verified, VerifyOutcome};

/// The Amazon gateway the jobs are written against, re-exported from `sellerlink-gateway` so that one import
/// serves a caller of the jobs.
pub use sellerlink_gateway::{
    AmazonGateway, CombinedGatewayFactory, GatewayError, GatewayErrorKind, GatewayFactory,
    GatewayFuture, MwsGateway, MwsGatewayFactory, MwsSettings, MwsSettingsError, OrdersPage,
    OutgoingShipment, PageToken, Participation, ShipmentOutcome, ShipmentSubmission, SkuVerdict,
    SpApiGateway, SpApiGatewayFactory, SpApiSettings, SpApiSettingsError, StockOutcome,
    StockSubmission, Window,
};
