//! The last requests the sandbox answered, for tests and debugging.

use std::collections::VecDeque;

/// How many entries are kept.
pub const CAPACITY: usize = 2000;

/// One answered request.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LogEntry {
    /// Sequence number (1-based, counts every logged request).
    pub seq: u64,
    /// Sandbox time of arrival (RFC 3339).
    pub at: String,
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// `Section.Operation`, e.g. `Orders.ListOrders`, when known.
    pub operation: Option<String>,
    /// SellerId/Merchant parameter, when given.
    pub seller_id: Option<String>,
    /// HTTP status sent (0 when the connection was dropped).
    pub status: u16,
    /// MWS error code, if the answer was an error.
    pub error_code: Option<String>,
    /// Injected fault, if any.
    pub fault: Option<String>,
    /// Server-side duration in milliseconds (without injected delays).
    pub duration_ms: f64,
}

/// A bounded log of the newest requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<LogEntry>,
    seq: u64,
}

impl RequestLog {
    /// Appends an entry (its `seq` is assigned here), dropping the oldest beyond [`CAPACITY`].
    pub fn push(&mut self, mut entry: LogEntry) {
        self.seq += 1;
        entry.seq = self.seq;
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(entry);
    }

    /// The newest `n` entries, oldest first.
    pub fn last(&self, n: usize) -> Vec<LogEntry> {
        let skip = self.entries.len().saturating_sub(n);
        self.entries.iter().skip(skip).cloned().collect()
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}
