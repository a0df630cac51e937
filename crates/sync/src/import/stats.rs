//! Counters of one run, shared by the stages of its pipeline.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// What a run has done so far.
#[derive(Debug, Default)]
pub(crate) struct RunStats {
    pages: AtomicU32,
    orders_seen: AtomicU64,
    orders_new: AtomicU64,
    orders_changed: AtomicU64,
    orders_unchanged: AtomicU64,
    item_calls: AtomicU64,
    throttled: AtomicU64,
    retries: AtomicU64,
}

/// A copy of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct StatsSnapshot {
    pub(crate) pages: u32,
    pub(crate) orders_seen: u64,
    pub(crate) orders_new: u64,
    pub(crate) orders_changed: u64,
    pub(crate) orders_unchanged: u64,
    pub(crate) item_calls: u64,
    pub(crate) throttled: u64,
    pub(crate) retries: u64,
}

impl RunStats {
    pub(crate) fn page_listed(&self, orders: usize, unchanged: usize) {
        self.orders_seen.fetch_add(orders as u64, Ordering::Relaxed);
        self.orders_unchanged
            .fetch_add(unchanged as u64, Ordering::Relaxed);
    }

    pub(crate) fn pages_committed(&self, pages: u32, new: u64, changed: u64, unchanged: u64) {
        self.pages.fetch_add(pages, Ordering::Relaxed);
        self.orders_new.fetch_add(new, Ordering::Relaxed);
        self.orders_changed.fetch_add(changed, Ordering::Relaxed);
        self.orders_unchanged
            .fetch_add(unchanged, Ordering::Relaxed);
    }

    pub(crate) fn item_call(&self) {
        self.item_calls.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn throttled(&self) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            pages: self.pages.load(Ordering::Relaxed),
            orders_seen: self.orders_seen.load(Ordering::Relaxed),
            orders_new: self.orders_new.load(Ordering::Relaxed),
            orders_changed: self.orders_changed.load(Ordering::Relaxed),
            orders_unchanged: self.orders_unchanged.load(Ordering::Relaxed),
            item_calls: self.item_calls.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
        }
    }
}
