//! `LwaClient::builder()`: token endpoint, credentials, TLS roots, timeout, clock, user agent.

use std::sync::{Arc, RwLock};
use std::time::Duration;

use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_http::{ClientSettings, amazon_user_agent_header};
use url::Url;

use super::client::{LwaClient, LwaInner};
use crate::build_error::{BuildError, check_endpoint};
use crate::credentials::LwaCredentials;

/// Amazon's LWA token endpoint, the same for every region.
pub const DEFAULT_TOKEN_ENDPOINT: &str = "https://api.amazon.com/auth/o2/token";

/// Builds an [`LwaClient`]. Required: [`credentials`](Self::credentials).
#[derive(Debug)]
pub struct LwaClientBuilder {
    token_endpoint: Option<Url>,
    credentials: Option<LwaCredentials>,
    root_certificates_pem: Vec<Vec<u8>>,
    timeout: Duration,
    clock: Arc<dyn Clock>,
    user_agent: (String, String),
}

impl Default for LwaClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl LwaClientBuilder {
    /// Amazon's endpoint, a 30-second timeout, the system clock and the user agent
    /// `sellerlink-spapi/<crate version>`.
    pub fn new() -> Self {
        Self {
            token_endpoint: None,
            credentials: None,
            root_certificates_pem: Vec::new(),
            timeout: sellerlink_http::DEFAULT_TIMEOUT,
            clock: Arc::new(SystemClock),
            user_agent: (
                env!("CARGO_PKG_NAME").to_owned(),
                env!("CARGO_PKG_VERSION").to_owned(),
            ),
        }
    }

    /// Posts token requests to `url` (e.g. the sandbox's `/auth/o2/token`) instead of
    /// [`DEFAULT_TOKEN_ENDPOINT`].
    pub fn token_endpoint(mut self, url: Url) -> Self {
        self.token_endpoint = Some(url);
        self
    }

    /// The app's LWA client ID and secret.
    pub fn credentials(mut self, credentials: LwaCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Also trusts the CA certificates in this PEM bundle (e.g. the sandbox's own CA).
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.root_certificates_pem.push(pem.to_vec());
        self
    }

    /// The whole-request timeout (connecting is capped at 10 seconds).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The clock that dates token expiry.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The application name and version for the `User-Agent` header.
    pub fn user_agent(mut self, app: &str, version: &str) -> Self {
        self.user_agent = (app.to_owned(), version.to_owned());
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<LwaClient, BuildError> {
        let credentials = self.credentials.ok_or(BuildError::MissingCredentials)?;
        let endpoint = match self.token_endpoint {
            Some(url) => url,
            None => {
                Url::parse(DEFAULT_TOKEN_ENDPOINT).map_err(|_| BuildError::InvalidEndpoint {
                    which: "LWA token endpoint",
                    url: DEFAULT_TOKEN_ENDPOINT.to_owned(),
                })?
            }
        };
        check_endpoint("LWA token endpoint", &endpoint)?;
        let user_agent = amazon_user_agent_header(&self.user_agent.0, &self.user_agent.1)?;
        let http = ClientSettings::new(&self.root_certificates_pem)?
            .timeout(self.timeout)
            .build()
            .map_err(BuildError::Http)?;
        Ok(LwaClient {
            inner: Arc::new(LwaInner {
                http,
                endpoint,
                user_agent,
                credentials: RwLock::new(credentials),
                clock: self.clock,
            }),
        })
    }
}
