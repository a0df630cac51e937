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
    /// An extra root certificate could not be used.
    #[error("MWS client: extra root certificate #{index} {reason}")]
    RootCertificate {
        /// Which `.add_root_certificate_pem` call (0-based).
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// rustls refused the configuration.
    #[error("MWS client: TLS configuration refused: {0}")]
    Tls(#[source] rustls::Error),
    /// The user agent is too long or has characters a header cannot carry.
    #[error("MWS client: user agent {reason}")]
    UserAgent {
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("MWS client: HTTP client could not be built: {0}")]
    Http(#[source] reqwest::Error),
}

impl From<TlsError> for BuildError {
    fn from(error: TlsError) -> Self {
        match error {
            TlsError::RootCertificate { index, problem } => Self::RootCertificate {
                index,
                reason: problem.to_string(),
            },
            TlsError::Rustls(error) => Self::Tls(error),
        }
    }
}

impl From<UserAgentError> for BuildError {
    fn from(error: UserAgentError) -> Self {
        Self::UserAgent {
            reason: error.to_string(),
        }
    }
}
