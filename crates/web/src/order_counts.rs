//! [`OrderCounts`]: how many orders match a list's filters, remembered for a few seconds.
//!
//! Counting every matching order is the expensive half of a page of orders (a merchant with 100,000 orders means
//! 100,000 index entries per request, while the page itself reads 50). Large totals are therefore reused for a few
//! seconds (the total beside a page may be that old; the page's orders never are); small ones are cheap to count
//! and always exact.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sellerlink_store::{OrderQuery, Store, StoreResult};

/// How long a count is reused.
const FRESH_FOR: Duration = Duration::from_secs(5);
/// Totals below this are counted every time.
const WORTH_REMEMBERING: u64 = 5_000;
/// At most this many different filter combinations are remembered (then all are forgotten at once).
const CAPACITY: usize = 1024;

/// Recent order counts, keyed by the filters (not the page).
#[derive(Default)]
pub(crate) struct OrderCounts {
    recent: Mutex<HashMap<String, (Instant, u64)>>,
}

impl OrderCounts {
    /// The number of orders matching `query`'s filters (its limit, offset and cursor are ignored).
    pub(crate) async fn count(&self, store: &Store, query: &OrderQuery) -> StoreResult<u64> {
        let filters = OrderQuery {
            limit: 0,
            offset: 0,
            after: None,
            ..query.clone()
        };
        let key = format!("{filters:?}");
        let now = Instant::now();
        if let Some((at, count)) = self.lock().get(&key)
            && now.duration_since(*at) < FRESH_FOR
        {
            return Ok(*count);
        }
        let count = store.count_orders(query).await?;
        if count < WORTH_REMEMBERING {
            return Ok(count);
        }
        let mut recent = self.lock();
        if recent.len() >= CAPACITY {
            recent.clear();
        }
        recent.insert(key, (now, count));
        Ok(count)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, u64)>> {
        self.recent
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
