//! End-to-end tests of the `sellerlink` binary: a temp home per test, the real SQLite file, the real key file.

mod amazon;
mod browser;
mod connections;
mod fleet;
mod leases;
mod lifecycle;
mod notify;
mod secrets;
mod spapi_add;
mod support;
mod typed_values;
mod verified;
mod warehouse;
