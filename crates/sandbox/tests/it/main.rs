//! The sandbox's integration tests: one binary, a sandbox on port 0 per test.

mod support;

mod auth;
mod control;
mod faults;
mod feeds;
mod items;
mod list_orders;
mod pagination;
mod python;
mod seller_central;
mod server;
mod signature;
mod spapi_consent;
mod spapi_lwa;
mod spapi_manage;
mod spapi_orders;
mod spapi_python;
mod spapi_support;
mod throttling;
