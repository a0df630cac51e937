//! Why an [`LwaClient`](crate::LwaClient) or [`SpApiClient`](crate::SpApiClient) could not be built.

use sellerlink_http::{TlsError, UserAgentError};

/// A builder refused its configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// `LwaClient::builder()` without `.credentials(...)`.
    #[error(
        "LWA client: no app credentials; call .credentials(LwaCredentials::new(client_id, client_secret))"
    )]
    MissingCredentials,
    /// `SpApiClient::builder()` without `.lwa(...)` or `.token_cache(...)`.
    #[error("SP-API client: no LWA client; call .lwa(LwaClient) or .token_cache(TokenCache)")]
    MissingLwa,
    /// An endpoint that is not an `http`/`https` URL with a host.
    #[error(
        "{which}: {url} must be an https:// URL (http:// only for a local sandbox) with a host"
    )]
    InvalidEndpoint {
        /// Which endpoint (`LWA token endpoint` or `SP-API endpoint`).
        which: &'static str,
        /// The URL given.
        url: String,
    },
    /// An extra root certificate could not be used.
    #[error("extra root certificate #{index} {reason}")]
    RootCertificate {
        /// Which `.add_root_certificate_pem` call, from 0.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// rustls refused the TLS configuration.
    #[error("TLS configuration refused: {0}")]
    Tls(#[source] rustls::Error),
    /// The user agent is too long or holds characters a header cannot carry.
    #[error("user agent {reason}")]
    UserAgent {
        /// What is wrong with it.
        reason: String,
    },
    /// `rate_scale` is not a positive finite number.
    #[error(
        "rate_scale must be a positive finite number (1.0 = Amazon's published rates), got {0}"
    )]
    RateScale(f64),
    /// The HTTP client could not be built.
    #[error("HTTP client could not be built: {0}")]
    Http(#[source] reqwest::Error),
}

/// Checks that `url` can be an endpoint.
pub(crate) fn check_endpoint(which: &'static str, url: &url::Url) -> Result<(), BuildError> {
    let usable = matches!(url.scheme(), "https" | "http")
        && url.host_str().is_some_and(|host| !host.is_empty());
    if usable {
        Ok(())
    } else {
        Err(BuildError::InvalidEndpoint {
            which,
            url: url.to_string(),
        })
    }
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
