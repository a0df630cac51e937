//! Gauges: values computed when scraped (how many connections there are, how deep the work queue is), from sources
//! the server serving `/metrics` is given.

use std::future::Future;
use std::pin::Pin;

/// One gauge sample: `name{labels} value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    /// The metric name, `[a-zA-Z_:][a-zA-Z0-9_:]*`, e.g. `sellerlink_connections`.
    pub name: &'static str,
    /// One line saying what it measures (the `# HELP` text; samples of one name share the first one's).
    pub help: &'static str,
    /// Label names (same rule as metric names, without `:`) and their values (any text; escaped on output).
    pub labels: Vec<(&'static str, String)>,
    /// The value.
    pub value: f64,
}

impl Gauge {
    /// A sample without labels.
    pub fn new(name: &'static str, help: &'static str, value: f64) -> Self {
        Self {
            name,
            help,
            labels: Vec::new(),
            value,
        }
    }

    /// The sample with one more label.
    pub fn with_label(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.labels.push((name, value.into()));
        self
    }
}

/// What a gauge source returns: its samples, computed now.
pub type GaugeFuture<'a> = Pin<Box<dyn Future<Output = Vec<Gauge>> + Send + 'a>>;

/// A source of gauges computed at scrape time. A source that cannot answer (its database is unreachable, say)
/// logs why and returns no samples: the scrape still serves the counters and the other sources' gauges.
pub trait Gauges: Send + Sync {
    /// The samples, as of now.
    fn gauges(&self) -> GaugeFuture<'_>;
}
