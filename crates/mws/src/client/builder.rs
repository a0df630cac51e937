//! `MwsClient::builder()`: endpoint, credentials, TLS roots, timeouts, user agent, clock,
//! retries and pacing.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_domain::ids::{AwsAccessKeyId, MarketplaceId};
use sellerlink_http::{ClientSettings, RetryPolicy, amazon_user_agent_header};
use url::Url;

use super::{Inner, MwsClient};
use crate::build_error::BuildError;
use crate::pacing::Pacing;

/// Builds an [`MwsClient`]. Required: credentials, and an endpoint or a marketplace.
#[derive(Debug)]
pub struct MwsClientBuilder {
    endpoint: Option<Url>,
    marketplace: Option<MarketplaceId>,
    credentials: Option<(AwsAccessKeyId, SecretString)>,
    root_certificates_pem: Vec<Vec<u8>>,
    timeout: Duration,
    user_agent: (String, String),
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    pacing: Option<Pacing>,
}

impl Default for MwsClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl MwsClientBuilder {
    /// A builder with a 30-second timeout, [`RetryPolicy::mws`], no pacing, the system clock and
    /// the user agent `sellerlink-mws/<crate version>`.
    pub fn new() -> Self {
        Self {
            endpoint: None,
            marketplace: None,
            credentials: None,
            root_certificates_pem: Vec::new(),
            timeout: sellerlink_http::DEFAULT_TIMEOUT,
            user_agent: (
                env!("CARGO_PKG_NAME").to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            ),
            clock: Arc::new(SystemClock),
            retry: RetryPolicy::mws(),
            pacing: None,
        }
    }

    /// Sends requests to `endpoint` (e.g. the sandbox) instead of Amazon's host. A path in
    /// the URL is kept as a prefix of the section paths.
    pub fn endpoint(mut self, endpoint: Url) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// Uses Amazon's MWS host for `marketplace` (`https://{mws_host}`) unless an endpoint is set.
    pub fn marketplace(mut self, marketplace: &MarketplaceId) -> Self {
        self.marketplace = Some(marketplace.clone());
        self
    }

    /// The developer's access key id and secret key.
    pub fn credentials(mut self, access_key_id: AwsAccessKeyId, secret_key: SecretString) -> Self {
        self.credentials = Some((access_key_id, secret_key));
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

    /// The application name and version for the `User-Agent` header.
    pub fn user_agent(mut self, app: &str, version: &str) -> Self {
        self.user_agent = (app.to_owned(), version.to_owned());
        self
    }

    /// The clock that stamps requests (`Timestamp`).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How failed calls are retried (default [`RetryPolicy::mws`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Paces calls within Amazon's quotas (`None` turns pacing off).
    pub fn pacing(mut self, pacing: Option<Pacing>) -> Self {
        self.pacing = pacing;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<MwsClient, BuildError> {
        let (access_key_id, secret_key) = self.credentials.ok_or(BuildError::MissingCredentials)?;
        let endpoint =
            match (self.endpoint, &self.marketplace) {
                (Some(endpoint), _) => endpoint,
                (None, Some(marketplace)) => {
                    let host = marketplace.marketplace().mws_host.ok_or_else(|| {
                        BuildError::NoMwsHost {
                            marketplace: marketplace.clone(),
                        }
                    })?;
                    Url::parse(&format!("https://{host}")).map_err(|_| BuildError::NoMwsHost {
                        marketplace: marketplace.clone(),
                    })?
                }
                (None, None) => return Err(BuildError::MissingEndpoint),
            };
        let usable = matches!(endpoint.scheme(), "https" | "http")
            && endpoint.host_str().is_some_and(|h| !h.is_empty());
        if !usable {
            return Err(BuildError::InvalidEndpoint {
                endpoint: endpoint.to_string(),
            });
        }
        let agent = amazon_user_agent_header(&self.user_agent.0, &self.user_agent.1)?;
        let http = ClientSettings::new(&self.root_certificates_pem)?
            .timeout(self.timeout)
            .user_agent(agent)
            .build()
            .map_err(BuildError::Http)?;
        Ok(MwsClient {
            inner: Arc::new(Inner {
                http,
                endpoint,
                access_key_id,
                secret_key,
                clock: self.clock,
                retry: self.retry,
                pacing: self.pacing,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credentials() -> (AwsAccessKeyId, SecretString) {
        (
            AwsAccessKeyId::parse("AKIAIOSFODNN7EXAMPLE").expect("valid"),
            SecretString::from("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned()),
        )
    }

    #[test]
    fn the_marketplace_picks_amazons_host() {
        let (key, secret) = credentials();
        let client = MwsClient::builder()
            .marketplace(&MarketplaceId::japan())
            .credentials(key, secret)
            .build()
            .expect("builds");
        assert_eq!(client.endpoint().as_str(), "https://mws.amazonservices.jp/");
    }

    #[test]
    fn an_endpoint_overrides_the_marketplace() {
        let (key, secret) = credentials();
        let client = MwsClient::builder()
            .marketplace(&MarketplaceId::japan())
            .endpoint(Url::parse("https://127.0.0.1:8443/mws/").expect("valid"))
            .credentials(key, secret)
            .build()
            .expect("builds");
        assert_eq!(
            client.section_url(crate::quota::Section::Orders).as_str(),
            "https://127.0.0.1:8443/mws/Orders/2013-09-01"
        );
    }

    #[test]
    fn missing_pieces_are_named() {
        assert!(matches!(
            MwsClient::builder()
                .marketplace(&MarketplaceId::japan())
                .build(),
            Err(BuildError::MissingCredentials)
        ));
        let (key, secret) = credentials();
        assert!(matches!(
            MwsClient::builder().credentials(key, secret).build(),
            Err(BuildError::MissingEndpoint)
        ));
        let (key, secret) = credentials();
        let error = MwsClient::builder()
            .credentials(key, secret)
            .endpoint(Url::parse("ftp://example.com/").expect("valid"))
            .build()
            .expect_err("ftp refused");
        assert!(matches!(error, BuildError::InvalidEndpoint { .. }));
    }

    #[test]
    fn a_bad_root_certificate_is_refused() {
        let (key, secret) = credentials();
        let error = MwsClient::builder()
            .marketplace(&MarketplaceId::japan())
            .credentials(key, secret)
            .add_root_certificate_pem(b"not a certificate")
            .build()
            .expect_err("refused");
        assert!(
            matches!(
                error,
                BuildError::Tls(sellerlink_http::TlsError::RootCertificate { index: 0, .. })
            ),
            "{error}"
        );
    }

    #[test]
    fn non_ascii_user_agents_are_refused() {
        let (key, secret) = credentials();
        let error = MwsClient::builder()
            .marketplace(&MarketplaceId::japan())
            .credentials(key, secret)
            .user_agent("倉庫アプリ", "1.0")
            .build()
            .expect_err("refused");
        assert!(matches!(
            error,
            BuildError::UserAgent(sellerlink_http::UserAgentError::NotPrintableAscii)
        ));
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let (key, secret) = credentials();
        let builder = MwsClient::builder()
            .marketplace(&MarketplaceId::japan())
            .credentials(key, secret);
        let text = format!("{builder:?}");
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
        let client = builder.build().expect("builds");
        let text = format!("{client:?}");
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
        assert!(text.contains("AKIAIOSFODNN7EXAMPLE"), "{text}");
    }
}
