//! The gauges the app can compute when `/metrics` is scraped.

use std::sync::Arc;

use sellerlink_metrics::{Gauge, GaugeFuture, Gauges};
use sellerlink_store::Store;

use crate::App;

/// `sellerlink_connections`: how many connections are stored, counted in the database at scrape time.
#[derive(Debug, Clone)]
pub struct ConnectionGauges {
    store: Store,
}

impl ConnectionGauges {
    /// The gauges of `store`.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

impl Gauges for ConnectionGauges {
    fn gauges(&self) -> GaugeFuture<'_> {
        Box::pin(async move {
            match self.store.count_connections().await {
                Ok(count) => vec![Gauge::new(
                    "sellerlink_connections",
                    "Connections to Amazon seller accounts stored, paused ones included.",
                    count as f64,
                )],
                Err(error) => {
                    tracing::warn!(%error, "counting the connections for /metrics failed");
                    Vec::new()
                }
            }
        })
    }
}

impl App {
    /// The gauges computed when `/metrics` is scraped, for `serve` and `worker` to pass to the metrics endpoint.
    pub fn gauges(&self) -> Vec<Arc<dyn Gauges>> {
        vec![Arc::new(ConnectionGauges::new(self.store.clone()))]
    }
}
