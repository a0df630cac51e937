//! Why an [`MwsClient`](crate::MwsClient) could not be built.

use sellerlink_domain::ids::MarketplaceId;
use sellerlink_http::{TlsError, UserAgentError};

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// `.credentials(...)` was not called.
    #[error("MWS client: no developer credentials; call .credentials(access key id, secret key)")]
    MissingCredentials,
    /// Neither `.endpoint(...)` nor `.marketplace(...)` was called.
    #[error(
        "MWS client: no endpoint; call .marketplace(id) for Amazon's host or .endpoint(url) for another"
    )]
    MissingEndpoint,
    /// The marketplace has no MWS host in the marketplace table.
    #[error("MWS client: marketplace {marketplace} has no MWS endpoint; pass .endpoint(url)")]
    NoMwsHost {
        /// The marketplace asked for.
        marketplace: MarketplaceId,
    },
    /// The endpoint is not an `http`/`https` URL with a host.
    #[error(
        "MWS client: endpoint {endpoint} must be an https:// (or http:// for a local sandbox) URL with a host"
    )]
    InvalidEndpoint {
        /// The endpoint given.
        endpoint: String,
    },
    /// The TLS set-up failed: an extra root certificate (`.add_root_certificate_pem`, counted
    /// from 0) cannot be used, or rustls refused the configuration.
    #[error("MWS client: {0}")]
    Tls(#[from] TlsError),
    /// The user agent is too long or has characters a header cannot carry.
    #[error("MWS client: user agent {0}")]
    UserAgent(#[from] UserAgentError),
    /// The HTTP client could not be built.
    #[error("MWS client: HTTP client could not be built: {0}")]
    Http(#[source] reqwest::Error),
}
