//! The engine against a real sandbox on port 0 and a temporary store, one world per test.

mod compare;
mod sandbox;
mod setup;

mod access;
mod clean_import;
mod crash;
mod faults;
mod scheduler;
mod throttling;
