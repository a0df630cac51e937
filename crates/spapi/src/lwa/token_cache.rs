//! Access tokens per seller: reused until fewer than 60 seconds remain, refreshed by one caller
//! at a time while the others wait for its result.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::SignedDuration;
use sellerlink_domain::ids::SellingPartnerId;

use super::client::LwaClient;
use super::error::LwaError;
use crate::credentials::AccessToken;
use crate::seller_auth::SellerAuth;

/// A slot is found by the seller and a keyed hash of their refresh token, so a re-authorized
/// seller (new refresh token) never gets the old grant's access token.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct SlotKey {
    seller: SellingPartnerId,
    refresh_token_hash: u64,
}

#[derive(Default)]
struct Slot {
    /// Refresh attempts finished so far; lets a waiter tell whether one failed while it waited.
    finished: AtomicU64,
    state: tokio::sync::Mutex<SlotState>,
}

#[derive(Default)]
struct SlotState {
    token: Option<AccessToken>,
    /// The last refresh failure and the number of the attempt (counting finished ones) it ended.
    failure: Option<(u64, LwaError)>,
}

struct CacheInner {
    lwa: LwaClient,
    margin: SignedDuration,
    hasher: RandomState,
    slots: Mutex<HashMap<SlotKey, Arc<Slot>>>,
}

/// Caches LWA access tokens per seller (and refresh token). Cheap to clone; clones share the cache.
///
/// - A cached token is reused while more than the refresh margin (60 s by default) remains.
/// - Concurrent callers for one seller share one refresh: the first refreshes, the others wait
///   and take its token — or its error, so a revoked authorization costs one LWA request, not one
///   per waiting call.
/// - [`invalidate`](Self::invalidate) drops a seller's token (after Amazon said it expired), so
///   the next call refreshes.
#[derive(Clone)]
pub struct TokenCache {
    inner: Arc<CacheInner>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("lwa", &self.inner.lwa)
            .field("refresh_margin", &self.inner.margin)
            .field("sellers", &self.slots().len())
            .finish()
    }
}

impl TokenCache {
    /// The refresh margin Amazon's Java SDK uses.
    pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);

    /// A cache that refreshes through `lwa`, 60 seconds before expiry.
    pub fn new(lwa: LwaClient) -> Self {
        Self::with_refresh_margin(lwa, Self::DEFAULT_REFRESH_MARGIN)
    }

    /// A cache that refreshes once fewer than `margin` remain.
    pub fn with_refresh_margin(lwa: LwaClient, margin: Duration) -> Self {
        Self {
            inner: Arc::new(CacheInner {
                lwa,
                margin: SignedDuration::try_from(margin).unwrap_or(SignedDuration::MAX),
                hasher: RandomState::new(),
                slots: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The LWA client refreshes go through.
    pub fn lwa(&self) -> &LwaClient {
        &self.inner.lwa
    }

    /// A token for `seller` with more than the margin left: the cached one, or a fresh one.
    pub async fn access_token(&self, seller: &SellerAuth) -> Result<AccessToken, LwaError> {
        let slot = self.slot(seller);
        let finished_before_waiting = slot.finished.load(Ordering::SeqCst);
        let mut state = slot.state.lock().await;
        let now = self.inner.lwa.clock().now();
        if let Some(token) = &state.token
            && token.is_fresh_at(now, self.inner.margin)
        {
            return Ok(token.clone());
        }
        if let Some((attempt, error)) = &state.failure
            && *attempt > finished_before_waiting
        {
            // A refresh failed while this caller waited: share its answer.
            return Err(error.clone());
        }
        tracing::debug!(
            seller.id = %seller.selling_partner_id,
            "refreshing the LWA access token"
        );
        let result = self.inner.lwa.refresh(&seller.refresh_token).await;
        let attempt = slot.finished.fetch_add(1, Ordering::SeqCst) + 1;
        match result {
            Ok(token) => {
                state.token = Some(token.clone());
                state.failure = None;
                Ok(token)
            }
            Err(error) => {
                state.token = None;
                state.failure = Some((attempt, error.clone()));
                Err(error)
            }
        }
    }

    /// Drops every cached token of `seller`, so the next call refreshes.
    pub async fn invalidate(&self, seller: &SellingPartnerId) {
        let slots: Vec<Arc<Slot>> = self
            .slots()
            .iter()
            .filter(|(key, _)| &key.seller == seller)
            .map(|(_, slot)| Arc::clone(slot))
            .collect();
        for slot in slots {
            slot.state.lock().await.token = None;
        }
    }

    /// Drops `seller`'s cached token only if it is still `rejected` — so many calls that saw the
    /// same expired token cause one refresh, not one each.
    pub(crate) async fn invalidate_token(&self, seller: &SellerAuth, rejected: &AccessToken) {
        let slot = self.slot(seller);
        let mut state = slot.state.lock().await;
        if state
            .token
            .as_ref()
            .is_some_and(|cached| cached.same_token(rejected))
        {
            state.token = None;
        }
    }

    fn slot(&self, seller: &SellerAuth) -> Arc<Slot> {
        let key = SlotKey {
            seller: seller.selling_partner_id.clone(),
            refresh_token_hash: self
                .inner
                .hasher
                .hash_one(seller.refresh_token.expose_secret()),
        };
        let mut slots = self.slots();
        if let Some(slot) = slots.get(&key) {
            return Arc::clone(slot);
        }
        // A new refresh token for this seller replaces the old grant's slot.
        slots.retain(|existing, _| existing.seller != key.seller);
        Arc::clone(slots.entry(key).or_default())
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<SlotKey, Arc<Slot>>> {
        self.inner
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
