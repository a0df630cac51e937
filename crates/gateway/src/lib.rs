#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod combined_factory;
mod factory;
pub mod gateway;
mod mws;
mod quarantine;
mod spapi;

pub use combined_factory::CombinedGatewayFactory;
pub use factory::GatewayFactory;
pub use gateway::{
    AmazonGateway, GatewayError, GatewayErrorKind, GatewayFuture, OrdersPage, OutgoingShipment,
    PageToken, Participation, ShipmentOutcome, ShipmentSubmission, SkuVerdict, StockOutcome,
    StockSubmission, Window,
};
pub use mws::{MwsGateway, MwsGatewayFactory, MwsSettings, MwsSettingsError};
pub use spapi::{SpApiGateway, SpApiGatewayFactory, SpApiSettings, SpApiSettingsError};
