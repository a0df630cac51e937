//! The MWS client: signs each request, sends it, classifies failures, retries what may be
//! retried and paces calls within Amazon's quotas.

mod builder;
mod feeds;
mod orders;
mod sellers;
mod transport;

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::AwsAccessKeyId;
use sellerlink_http::RetryPolicy;
use url::Url;

pub use builder::MwsClientBuilder;
pub use feeds::{FeedSubmissionListFilter, SubmitFeedRequest};
pub use orders::ListOrdersRequest;

use crate::pacing::Pacing;

/// An MWS client. Cheap to clone; clones share the connection pool and the pacing buckets.
#[derive(Clone)]
pub struct MwsClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    access_key_id: AwsAccessKeyId,
    secret_key: SecretString,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    pacing: Option<Pacing>,
}

impl fmt::Debug for MwsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MwsClient")
            .field("endpoint", &self.inner.endpoint.as_str())
            .field("access_key_id", &self.inner.access_key_id)
            .field("secret_key", &"[redacted]")
            .field("retry", &self.inner.retry)
            .field("pacing", &self.inner.pacing)
            .finish_non_exhaustive()
    }
}

impl MwsClient {
    /// Starts building a client.
    pub fn builder() -> MwsClientBuilder {
        MwsClientBuilder::new()
    }

    /// The base URL requests go to.
    pub fn endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The pacing layer, if configured.
    pub fn pacing(&self) -> Option<&Pacing> {
        self.inner.pacing.as_ref()
    }
}
