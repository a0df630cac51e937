#![doc = include_str!("../README.md")]

mod exposition;
mod gauges;
mod registry;

use std::sync::Arc;

pub use exposition::{CONTENT_TYPE, escape_label_value};
pub use gauges::{Gauge, GaugeFuture, Gauges};
pub use registry::{AmazonApi, Registry};

/// Counts one request sent to Amazon (see [`Registry::amazon_call`]) in this process's registry.
pub fn amazon_call(api: AmazonApi, operation: &'static str) {
    Registry::global().amazon_call(api, operation);
}

/// Counts one throttled answer from Amazon (see [`Registry::amazon_throttled`]) in this process's registry.
pub fn amazon_throttled(api: AmazonApi, operation: &'static str) {
    Registry::global().amazon_throttled(api, operation);
}

/// Counts one finished import by its outcome (see [`Registry::import_finished`]) in this process's registry.
pub fn import_finished(outcome: &'static str) {
    Registry::global().import_finished(outcome);
}

/// Counts orders written (new or changed) in this process's registry.
pub fn orders_written(count: u64) {
    Registry::global().orders_written(count);
}

/// Counts one lease taken over from another holder in this process's registry.
pub fn lease_taken_over() {
    Registry::global().lease_taken_over();
}

/// This process's counters and the gauges of `sources`, in the Prometheus text format ([`CONTENT_TYPE`]).
pub async fn render(sources: &[Arc<dyn Gauges>]) -> String {
    Registry::global().render(sources).await
}
