//! Request and response bodies of the operations this client calls, in Amazon's JSON shapes.

pub mod decimal;
pub mod listings;
pub mod orders;
pub mod search_orders;
pub mod sellers;
pub mod shipment;
mod to_domain;

pub use to_domain::OrderConversionError;
