//! Where a merchant receives webhooks, and the secret it verifies them with.

use std::fmt;

use url::Url;

use super::secret::WebhookSecret;

/// A webhook endpoint: an `http`/`https` URL and its signing secret.
///
/// `Debug` shows the URL without its query string and never the secret.
#[derive(Clone)]
pub struct WebhookEndpoint {
    url: Url,
    secret: WebhookSecret,
    private_addresses_allowed: bool,
}

/// A webhook URL that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "webhook URL: {problem}; expected an http or https URL such as https://example.com/hooks/sellerlink"
)]
pub struct WebhookEndpointError {
    problem: String,
}

impl WebhookEndpoint {
    /// Parses the endpoint URL.
    pub fn new(url: &str, secret: WebhookSecret) -> Result<Self, WebhookEndpointError> {
        let url = Url::parse(url.trim()).map_err(|e| WebhookEndpointError {
            problem: format!("is not a valid URL ({e})"),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(WebhookEndpointError {
                problem: format!("uses the scheme {:?}", url.scheme()),
            });
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(WebhookEndpointError {
                problem: "has no host".to_owned(),
            });
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(WebhookEndpointError {
                problem:
                    "contains a user name or password; authenticate with the signature instead"
                        .to_owned(),
            });
        }
        Ok(Self {
            url,
            secret,
            private_addresses_allowed: false,
        })
    }

    /// The same endpoint, which may be on a loopback, private or link-local address: for the operator's own
    /// channels (the operator chose the address; a merchant's channel never gets this).
    pub fn allowing_private_addresses(self) -> Self {
        Self {
            private_addresses_allowed: true,
            ..self
        }
    }

    /// Whether the endpoint may be on a non-public address ([`Self::allowing_private_addresses`]).
    pub fn private_addresses_allowed(&self) -> bool {
        self.private_addresses_allowed
    }

    /// The URL requests are POSTed to.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The signing secret.
    pub fn secret(&self) -> &WebhookSecret {
        &self.secret
    }

    /// The URL without query or fragment, safe for logs and errors.
    pub fn display_url(&self) -> String {
        let mut shown = self.url.clone();
        shown.set_query(None);
        shown.set_fragment(None);
        shown.to_string()
    }
}

impl fmt::Debug for WebhookEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookEndpoint")
            .field("url", &self.display_url())
            .field("secret", &self.secret)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> WebhookSecret {
        WebhookSecret::parse("whsec_0123456789abcdef").unwrap()
    }

    #[test]
    fn debug_hides_the_query_and_the_secret() {
        let endpoint =
            WebhookEndpoint::new("https://example.com/hook?token=abc", secret()).unwrap();
        let shown = format!("{endpoint:?}");
        assert!(shown.contains("https://example.com/hook"), "{shown}");
        assert!(!shown.contains("token=abc"), "{shown}");
        assert!(!shown.contains("0123456789abcdef"), "{shown}");
    }

    #[test]
    fn other_schemes_and_credentials_are_refused() {
        for bad in [
            "ftp://example.com/x",
            "https://u:p@example.com/x",
            "not a url",
        ] {
            let error = WebhookEndpoint::new(bad, secret()).unwrap_err().to_string();
            assert!(error.starts_with("webhook URL: "), "{error}");
        }
    }
}
