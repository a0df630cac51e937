//! Repository tests of `sellerlink-store`. Every test runs on SQLite (a fresh file) and, when `TEST_DATABASE_URL`
//! is set, on PostgreSQL (a fresh database per test); see `harness`.

#[macro_use]
mod harness;
mod fixtures;

mod accounts;
mod audit;
mod buyer_data;
mod connect;
mod connections;
mod credentials;
mod failures;
mod fleet;
mod fleet_ops;
mod import_start;
mod job_runs;
mod leases;
mod merchants;
mod notifications;
mod oauth_states;
mod one_account;
mod order_queries;
mod orders;
mod quarantine;
mod retention;
mod ship_by;
mod shipments;
mod stock;
mod sync;
