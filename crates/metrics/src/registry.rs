//! [`Registry`]: the counters of one process.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::exposition::Exposition;
use crate::gauges::Gauges;

/// Which Amazon API a request went to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AmazonApi {
    /// MWS (Signature V2, XML).
    Mws,
    /// SP-API (LWA tokens, JSON).
    SpApi,
}

impl AmazonApi {
    /// `mws` or `spapi`, the `api` label's value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mws => "mws",
            Self::SpApi => "spapi",
        }
    }
}

/// Requests and throttled answers of one operation.
#[derive(Debug, Default, Clone, Copy)]
struct CallCounts {
    sent: u64,
    throttled: u64,
}

/// The counters of one process. Counting takes an atomic add or a short lock (label sets are few and fixed:
/// outcomes and operation names), never an allocation after the first count of a label set.
#[derive(Debug)]
pub struct Registry {
    imports: Mutex<BTreeMap<&'static str, u64>>,
    orders_written: AtomicU64,
    amazon: Mutex<BTreeMap<(AmazonApi, &'static str), CallCounts>>,
    lease_takeovers: AtomicU64,
}

static GLOBAL: Registry = Registry::new();

impl Default for Registry {
    fn default() -> Self {
        Self::new()
    }
}

impl Registry {
    /// An empty registry (tests; the process counts in [`Registry::global`]).
    pub const fn new() -> Self {
        Self {
            imports: Mutex::new(BTreeMap::new()),
            orders_written: AtomicU64::new(0),
            amazon: Mutex::new(BTreeMap::new()),
            lease_takeovers: AtomicU64::new(0),
        }
    }

    /// The registry of this process, which the free functions of this crate count in.
    pub fn global() -> &'static Self {
        &GLOBAL
    }

    /// One request sent to Amazon: `api` and the operation's name (`Orders.ListOrders`, `searchOrders`…).
    pub fn amazon_call(&self, api: AmazonApi, operation: &'static str) {
        lock(&self.amazon).entry((api, operation)).or_default().sent += 1;
    }

    /// One answer of Amazon that said the request was throttled (MWS 503 `RequestThrottled`/`QuotaExceeded`,
    /// SP-API 429).
    pub fn amazon_throttled(&self, api: AmazonApi, operation: &'static str) {
        lock(&self.amazon)
            .entry((api, operation))
            .or_default()
            .throttled += 1;
    }

    /// One import of a connection ended, with this outcome (`completed`, `failed`, `lease_held`…).
    pub fn import_finished(&self, outcome: &'static str) {
        *lock(&self.imports).entry(outcome).or_default() += 1;
    }

    /// Orders stored for the first time or changed.
    pub fn orders_written(&self, count: u64) {
        self.orders_written.fetch_add(count, Ordering::Relaxed);
    }

    /// A lease taken from another holder (one that ended or whose lease ran out) rather than found free.
    pub fn lease_taken_over(&self) {
        self.lease_takeovers.fetch_add(1, Ordering::Relaxed);
    }

    /// The counters and the gauges of `sources`, in the Prometheus text format.
    pub async fn render(&self, sources: &[Arc<dyn Gauges>]) -> String {
        let mut gauges = Vec::new();
        for source in sources {
            gauges.extend(source.gauges().await);
        }
        let mut out = Exposition::default();
        self.write_counters(&mut out);
        out.gauges(gauges);
        out.finish()
    }

    fn write_counters(&self, out: &mut Exposition) {
        let imports: Vec<_> = lock(&self.imports)
            .iter()
            .map(|(outcome, count)| (vec![("outcome", *outcome)], *count))
            .collect();
        out.counter(
            "sellerlink_imports_total",
            "Imports of a connection's orders that ended, by outcome.",
            &imports,
        );
        out.counter(
            "sellerlink_orders_written_total",
            "Orders stored for the first time or changed by imports.",
            &[(Vec::new(), self.orders_written.load(Ordering::Relaxed))],
        );
        let amazon: Vec<_> = lock(&self.amazon)
            .iter()
            .map(|(&(api, operation), counts)| {
                let labels = vec![("api", api.as_str()), ("operation", operation)];
                (labels, *counts)
            })
            .collect();
        let sent: Vec<_> = amazon
            .iter()
            .map(|(labels, counts)| (labels.clone(), counts.sent))
            .collect();
        out.counter(
            "sellerlink_amazon_requests_total",
            "Requests sent to Amazon, by API and operation (every attempt, retries included).",
            &sent,
        );
        let throttled: Vec<_> = amazon
            .iter()
            .map(|(labels, counts)| (labels.clone(), counts.throttled))
            .collect();
        out.counter(
            "sellerlink_amazon_throttled_total",
            "Answers of Amazon that throttled the request, by API and operation.",
            &throttled,
        );
        out.counter(
            "sellerlink_lease_takeovers_total",
            "Leases taken from another holder that had ended or whose lease had run out.",
            &[(Vec::new(), self.lease_takeovers.load(Ordering::Relaxed))],
        );
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while counting leaves the map whole (one insert or add), so its values are still right.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
