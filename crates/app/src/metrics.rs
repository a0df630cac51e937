//! The gauges the app can compute when `/metrics` is scraped.

use std::sync::Arc;

use sellerlink_domain::clock::Clock;
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

/// The import queue, read by index at scrape time: `sellerlink_import_queue_due` (connections whose import or
/// re-check is due and not claimed by a worker) and `sellerlink_import_queue_oldest_due_seconds` (how long the one
/// waiting longest has waited; 0 when none is due). A growing age means the fleet needs more workers.
pub struct QueueGauges {
    store: Store,
    clock: Arc<dyn Clock>,
}

impl QueueGauges {
    /// The queue of `store`, aged by `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self { store, clock }
    }
}

impl Gauges for QueueGauges {
    fn gauges(&self) -> GaugeFuture<'_> {
        Box::pin(async move {
            let now = self.clock.now();
            match self.store.import_queue(now).await {
                Ok(queue) => {
                    let age = queue
                        .oldest_due
                        .map_or(0.0, |due| due.duration_until(now).as_secs_f64().max(0.0));
                    vec![
                        Gauge::new(
                            "sellerlink_import_queue_due",
                            "Connections whose import or re-check is due and not claimed by a worker.",
                            queue.due as f64,
                        ),
                        Gauge::new(
                            "sellerlink_import_queue_oldest_due_seconds",
                            "How long the connection waiting longest for its import has waited (0 when none is due).",
                            age,
                        ),
                    ]
                }
                Err(error) => {
                    tracing::warn!(%error, "reading the import queue for /metrics failed");
                    Vec::new()
                }
            }
        })
    }
}

impl App {
    /// The gauges computed when `/metrics` is scraped, for `serve` and `worker` to pass to the metrics endpoint.
    pub fn gauges(&self) -> Vec<Arc<dyn Gauges>> {
        vec![
            Arc::new(ConnectionGauges::new(self.store.clone())),
            Arc::new(QueueGauges::new(self.store.clone(), self.clock.clone())),
        ]
    }
}
