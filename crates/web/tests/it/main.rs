//! The web app's integration tests: one binary, an isolated world per test (temporary SQLite database, the router
//! in-process or on port 0, a real sandbox where Amazon is involved). The real-browser journeys live in the CLI
//! crate's suite, against the demo binary.

mod support;

mod api;
mod api_keys;
mod auth;
mod dashboard_cards;
mod demo_clock;
mod fuzz;
mod jobs;
mod lifecycle_pages;
mod notifications;
mod odd_order_ids;
mod openapi;
mod order_pages;
mod pages;

mod spapi;
mod stock_audit_pages;
mod tenancy;
mod warehouse;
mod wizard;
