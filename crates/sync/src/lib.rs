#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod access;
mod combined_factory;
mod config;
mod error;
mod factory;
mod import;
mod mws_source;
mod outbox;
mod quarantine;
mod report;
mod scheduler;
mod seller_lease;
mod shipper;
pub mod source;
mod spapi_source;
mod stock_pusher;
mod verify;

pub use combined_factory::CombinedSourceFactory;
pub use config::{ImportConfig, RetryConfig};
pub use error::SyncError;
pub use factory::{
    CredentialError, CredentialOpener, KeyringBuyerData, KeyringCredentials, SourceFactory,
};
pub use import::Importer;
pub use mws_source::{MwsOrderSource, MwsSettings, MwsSettingsError, MwsSourceFactory};
pub use report::{ImportOutcome, Progress, ProgressFn, RunOptions, SyncReport};
pub use scheduler::{ScheduledCheck, ScheduledRun, Scheduler, SchedulerConfig, WorkReport};
pub use seller_lease::{Acquired, LeasePurpose, SellerLease, SellerLeases};
pub use shipper::{ShipmentRun, ShipmentStep, Shipper};
pub use source::{
    OrderSource, OrdersPage, OutgoingShipment, PageToken, Participation, ShipmentOutcome,
    ShipmentSubmission, SkuVerdict, SourceError, SourceErrorKind, SourceFuture, StockOutcome,
    StockSubmission, Window,
};
pub use spapi_source::{SpApiOrderSource, SpApiSettings, SpApiSettingsError, SpApiSourceFactory};
pub use stock_pusher::{StockPusher, StockRun, StockStep};
pub use verify::{Verified, VerifyOutcome};
