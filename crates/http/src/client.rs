//! [`ClientSettings`]: how a reqwest client for outbound calls is set up — TLS, time-outs,
//! redirects and a default `User-Agent` — so every caller builds it the same way.

use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::tls::{TlsError, client_config};

/// The whole-request timeout of one attempt unless [`ClientSettings::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest connection set-up unless [`ClientSettings::connect_timeout`] says otherwise: the
/// request timeout, but never more than this.
pub const CONNECT_TIMEOUT_CAP: Duration = Duration::from_secs(10);

/// What an outbound reqwest client is built from: rustls on ring with Mozilla's roots plus extra
/// root certificates, a request timeout, a connect timeout, whether redirects are followed, and a
/// `User-Agent` sent with every request. Clone it to build one client per attempt (as webhooks do,
/// to pin the addresses they connect to).
#[derive(Debug, Clone)]
pub struct ClientSettings {
    tls: rustls::ClientConfig,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    follow_redirects: bool,
    user_agent: Option<HeaderValue>,
}

impl ClientSettings {
    /// Trusts Mozilla's roots and the CA certificates in `extra_roots_pem` (one PEM bundle per
    /// entry, e.g. the sandbox's CA); a [`DEFAULT_TIMEOUT`] per request, connecting within
    /// [`CONNECT_TIMEOUT_CAP`]; follows redirects as reqwest does by default (at most 10); sends
    /// reqwest's `User-Agent` (none).
    ///
    /// # Errors
    ///
    /// [`TlsError`] naming the bundle that cannot be used.
    pub fn new(extra_roots_pem: &[Vec<u8>]) -> Result<Self, TlsError> {
        Ok(Self {
            tls: client_config(extra_roots_pem)?,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: None,
            follow_redirects: true,
            user_agent: None,
        })
    }

    /// The whole-request timeout of one attempt, connecting included. Unless
    /// [`connect_timeout`](Self::connect_timeout) is set, connecting may take this long but never
    /// more than [`CONNECT_TIMEOUT_CAP`].
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// How long connecting (TCP and TLS) may take, instead of the capped request timeout.
    pub fn connect_timeout(self, connect_timeout: Duration) -> Self {
        Self {
            connect_timeout: Some(connect_timeout),
            ..self
        }
    }

    /// Answers a redirect with the redirect itself instead of following it.
    pub fn without_redirects(self) -> Self {
        Self {
            follow_redirects: false,
            ..self
        }
    }

    /// The `User-Agent` every request carries (see [`crate::amazon_user_agent`] for Amazon's).
    pub fn user_agent(self, user_agent: HeaderValue) -> Self {
        Self {
            user_agent: Some(user_agent),
            ..self
        }
    }

    /// The request timeout.
    pub fn request_timeout(&self) -> Duration {
        self.timeout
    }

    /// How long connecting may take.
    pub fn effective_connect_timeout(&self) -> Duration {
        self.connect_timeout
            .unwrap_or_else(|| self.timeout.min(CONNECT_TIMEOUT_CAP))
    }

    /// A reqwest builder with these settings, for a caller that adds more (such as
    /// `resolve_to_addrs`) before building.
    pub fn builder(&self) -> reqwest::ClientBuilder {
        let builder = reqwest::Client::builder()
            .tls_backend_preconfigured(self.tls.clone())
            .timeout(self.timeout)
            .connect_timeout(self.effective_connect_timeout());
        let builder = if self.follow_redirects {
            builder
        } else {
            builder.redirect(reqwest::redirect::Policy::none())
        };
        match &self.user_agent {
            Some(user_agent) => builder.user_agent(user_agent.clone()),
            None => builder,
        }
    }

    /// The client.
    ///
    /// # Errors
    ///
    /// reqwest's, without a URL (there is none yet).
    pub fn build(&self) -> Result<reqwest::Client, reqwest::Error> {
        self.builder().build().map_err(reqwest::Error::without_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connecting_is_capped_by_the_request_timeout_and_ten_seconds() {
        let settings = ClientSettings::new(&[]).expect("builds");
        assert_eq!(settings.request_timeout(), Duration::from_secs(30));
        assert_eq!(
            settings.effective_connect_timeout(),
            Duration::from_secs(10)
        );
        let short = settings.clone().timeout(Duration::from_secs(3));
        assert_eq!(short.effective_connect_timeout(), Duration::from_secs(3));
        let explicit = short.connect_timeout(Duration::from_secs(20));
        assert_eq!(
            explicit.effective_connect_timeout(),
            Duration::from_secs(20)
        );
    }

    #[test]
    fn every_setting_builds_a_client() {
        let settings = ClientSettings::new(&[])
            .expect("builds")
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(5))
            .without_redirects()
            .user_agent(HeaderValue::from_static("sellerlink-tests/1.0"));
        assert!(settings.build().is_ok());
    }
}
