//! `SpApiClient::builder()`: endpoint, LWA, user agent, TLS roots, timeout, retries, rate limits.

use std::sync::Arc;
use std::time::Duration;

use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_http::{ClientSettings, RetryPolicy, amazon_user_agent_header};
use url::Url;

use super::{Inner, SpApiClient};
use crate::build_error::{BuildError, check_endpoint};
use crate::lwa::{LwaClient, TokenCache};
use crate::rate_limit::RateLimits;

/// Builds an [`SpApiClient`]. Required: [`lwa`](Self::lwa) or [`token_cache`](Self::token_cache).
#[derive(Debug)]
pub struct SpApiClientBuilder {
    endpoint_override: Option<Url>,
    tokens: Option<TokenCache>,
    user_agent: (String, String),
    root_certificates_pem: Vec<Vec<u8>>,
    timeout: Duration,
    retry: RetryPolicy,
    rate_limits: bool,
    rate_scale: f64,
    clock: Arc<dyn Clock>,
}

impl Default for SpApiClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl SpApiClientBuilder {
    /// Regional Amazon hosts, user agent `sellerlink-spapi/<crate version>`, a 30-second timeout,
    /// [`RetryPolicy::sp_api`], rate limiting on at Amazon's published rates, the system clock.
    pub fn new() -> Self {
        Self {
            endpoint_override: None,
            tokens: None,
            user_agent: (
                env!("CARGO_PKG_NAME").to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            ),
            root_certificates_pem: Vec::new(),
            timeout: sellerlink_http::DEFAULT_TIMEOUT,
            retry: RetryPolicy::sp_api(),
            rate_limits: true,
            rate_scale: 1.0,
            clock: Arc::new(SystemClock),
        }
    }

    /// Sends every call to `url` (e.g. the sandbox) instead of the seller's regional host. A path
    /// in the URL is kept as a prefix.
    pub fn endpoint_override(mut self, url: Url) -> Self {
        self.endpoint_override = Some(url);
        self
    }

    /// Gets access tokens through `lwa`, cached per seller (refreshed 60 s before expiry).
    pub fn lwa(mut self, lwa: LwaClient) -> Self {
        self.tokens = Some(TokenCache::new(lwa));
        self
    }

    /// Gets access tokens from an existing cache (to share one between clients).
    pub fn token_cache(mut self, cache: TokenCache) -> Self {
        self.tokens = Some(cache);
        self
    }

    /// The application name and version for the `User-Agent` header,
    /// `App/Version (Language=Rust/1.95; Platform=Linux)`.
    pub fn user_agent(mut self, app: &str, version: &str) -> Self {
        self.user_agent = (app.to_owned(), version.to_owned());
        self
    }

    /// Also trusts the CA certificates in this PEM bundle (e.g. the sandbox's own CA).
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.root_certificates_pem.push(pem.to_vec());
        self
    }

    /// The whole-request timeout of one attempt (connecting is capped at 10 seconds).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How throttled, 5xx and transport failures are retried (default [`RetryPolicy::sp_api`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces calls with client-side token buckets per (seller, operation) (default on).
    pub fn rate_limits(mut self, enabled: bool) -> Self {
        self.rate_limits = enabled;
        self
    }

    /// Multiplies every rate (published and reported), for a sandbox that runs faster than
    /// Amazon. Must be positive and finite; `1.0` against Amazon.
    pub fn rate_scale(mut self, scale: f64) -> Self {
        self.rate_scale = scale;
        self
    }

    /// The clock for `x-amz-date` and the rate-limit buckets.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<SpApiClient, BuildError> {
        let tokens = self.tokens.ok_or(BuildError::MissingLwa)?;
        if let Some(url) = &self.endpoint_override {
            check_endpoint("SP-API endpoint", url)?;
        }
        if !(self.rate_scale.is_finite() && self.rate_scale > 0.0) {
            return Err(BuildError::RateScale(self.rate_scale));
        }
        let user_agent = amazon_user_agent_header(&self.user_agent.0, &self.user_agent.1)?;
        let http = ClientSettings::new(&self.root_certificates_pem)?
            .timeout(self.timeout)
            .build()
            .map_err(BuildError::Http)?;
        let limits = self
            .rate_limits
            .then(|| RateLimits::new(self.rate_scale, Arc::clone(&self.clock)));
        Ok(SpApiClient {
            inner: Arc::new(Inner {
                http,
                endpoint_override: self.endpoint_override,
                user_agent,
                tokens,
                limits,
                retry: self.retry,
                clock: self.clock,
            }),
        })
    }
}
