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
    /// The TLS set-up failed: an extra root certificate (`.add_root_certificate_pem`, counted
    /// from 0) cannot be used, or rustls refused the configuration.
    #[error("{0}")]
    Tls(#[from] TlsError),
    /// The user agent is too long or has characters a header cannot carry.
    #[error("user agent {0}")]
    UserAgent(#[from] UserAgentError),
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
