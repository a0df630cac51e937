//! The engine against a real sandbox on port 0 and a temporary store, one world per test.

mod compare;
mod sandbox;
mod setup;
mod spapi_setup;

mod access;
mod clean_import;
mod crash;
mod faults;
mod fleet;
mod lease;
mod odd_order_ids;
mod quarantine;
mod scheduler;
mod shipments;
mod spapi_access;
mod spapi_crash;
mod spapi_faults;
mod spapi_import;
mod spapi_quarantine;
mod stock;
mod throttling;
