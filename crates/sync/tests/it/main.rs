//! The engine against a real sandbox on port 0 and a temporary store, one world per test; scenarios that are the
//! same through both APIs run once through each (`on_both_apis!`).

mod compare;
mod sandbox;
#[macro_use]
mod setup;

mod access;
mod both_apis;
mod clean_import;
mod crash;
mod faults;
mod fleet;
mod lease;
mod lease_handover;
mod odd_order_ids;
mod quarantine;
mod quota_handover;
mod scheduler;
mod shipments;
mod stock;
mod throttling;
