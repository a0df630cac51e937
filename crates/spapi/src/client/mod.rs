//! [`SpApiClient`]: the calls, over one transport that adds the headers, waits for the rate
//! limit, refreshes the access token and retries.

mod builder;
mod listings;
mod orders;
mod sellers;
mod transport;

use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderValue;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::SellingPartnerId;
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::quota::QuotaSnapshot;
use sellerlink_http::RetryPolicy;
use url::Url;

pub use builder::SpApiClientBuilder;

use crate::lwa::TokenCache;
use crate::operation::{Operation, UsagePlan};
use crate::rate_limit::RateLimits;

/// A client for the SP-API operations sellerlink uses. Cheap to clone; clones share the
/// connection pool, the token cache and the rate-limit buckets.
#[derive(Clone)]
pub struct SpApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint_override: Option<Url>,
    user_agent: HeaderValue,
    tokens: TokenCache,
    limits: Option<RateLimits>,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for SpApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpApiClient")
            .field(
                "endpoint_override",
                &self.inner.endpoint_override.as_ref().map(Url::as_str),
            )
            .field("user_agent", &self.inner.user_agent)
            .field("rate_limits", &self.inner.limits)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

impl SpApiClient {
    /// Starts building a client.
    pub fn builder() -> SpApiClientBuilder {
        SpApiClientBuilder::new()
    }

    /// The base URL calls for `region` go to: the override, else `https://{region's SP-API host}`.
    pub fn endpoint_for(&self, region: Region) -> Url {
        match &self.inner.endpoint_override {
            Some(url) => url.clone(),
            None => Url::parse(&format!("https://{}", region.spapi_host()))
                .expect("the regional hosts in the marketplace table are valid host names"),
        }
    }

    /// The access-token cache (shared with clones of this client).
    pub fn token_cache(&self) -> &TokenCache {
        &self.inner.tokens
    }

    /// The usage plan the client currently paces `operation` for `seller` with (as Amazon states
    /// it, before `rate_scale`); `None` when rate limiting is off.
    pub fn rate_limit(&self, seller: &SellingPartnerId, operation: Operation) -> Option<UsagePlan> {
        self.inner
            .limits
            .as_ref()
            .map(|limits| limits.plan(seller, operation))
    }

    /// The state of `seller`'s rate buckets now (levels and rates Amazon reported), for the process that spends
    /// the seller's quota next; `None` when rate limiting is off or nothing was spent or learned.
    pub fn export_quota(&self, seller: &SellingPartnerId) -> Option<QuotaSnapshot> {
        self.inner.limits.as_ref()?.export(seller)
    }

    /// Takes on the state another process left for `seller` ([`SpApiClient::export_quota`]): its learned rates,
    /// and its levels plus what the rates gave back since. Does nothing when rate limiting is off.
    pub fn import_quota(&self, seller: &SellingPartnerId, snapshot: &QuotaSnapshot) {
        if let Some(limits) = &self.inner.limits {
            limits.import(seller, snapshot);
        }
    }
}
