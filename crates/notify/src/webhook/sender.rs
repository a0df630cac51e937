//! Posting signed webhook requests, with retries.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use url::Host;
use uuid::Uuid;

use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_http::{ClientSettings, RetryPolicy};

use super::address::{self, AddressRefusal};
use super::endpoint::WebhookEndpoint;
use super::payload::WebhookPayload;
use super::signature::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use crate::email::error_chain;
use crate::error::NotifyError;
use crate::message::Notification;

/// How much of an error response body is read (and counted, never kept: a receiver's words do not belong in
/// sellerlink's delivery log).
const BODY_COUNT_LIMIT: usize = 64 * 1024;

/// A webhook request the endpoint accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    /// The `Sellerlink-Webhook-Id` sent (the notification id).
    pub webhook_id: Uuid,
    /// The endpoint's 2xx status.
    pub status: u16,
    /// How many requests it took (1 = first time).
    pub attempts: u32,
}

/// Posts webhook requests: JSON, signed, retried on 5xx, 429, time-outs and network errors, never
/// on other 4xx answers. Redirects are not followed. Before every attempt the host is resolved and refused unless
/// all its addresses are public ([`super::address`]; unless private ones are allowed), and the request connects to
/// exactly those addresses, so a name that starts resolving into the 3PL's network is caught at send time.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    http: ClientSettings,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
    allow_private: bool,
}

/// A client from `http` that connects to `addresses` for `url`'s host name (an IP literal needs no
/// override).
fn pinned_client(
    http: &ClientSettings,
    url: &url::Url,
    addresses: &[SocketAddr],
) -> reqwest::Result<reqwest::Client> {
    let builder = match url.host() {
        Some(Host::Domain(name)) => http.builder().resolve_to_addrs(name, addresses),
        _ => http.builder(),
    };
    builder.build()
}

/// Settings for a [`WebhookSender`].
#[derive(Debug)]
pub struct WebhookSenderBuilder {
    timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    extra_roots_pem: Vec<Vec<u8>>,
    user_agent: String,
    allow_private: bool,
}

impl Default for WebhookSenderBuilder {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::delivery(),
            clock: Arc::new(SystemClock),
            extra_roots_pem: Vec::new(),
            user_agent: format!("sellerlink-webhooks/{}", env!("CARGO_PKG_VERSION")),
            allow_private: false,
        }
    }
}

impl WebhookSenderBuilder {
    /// How long one request may take, connection included (default 10 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// How often to retry (default [`RetryPolicy::delivery`]).
    pub fn retry(self, retry: RetryPolicy) -> Self {
        Self { retry, ..self }
    }

    /// The clock the timestamps are read from (default the system clock).
    pub fn clock(self, clock: Arc<dyn Clock>) -> Self {
        Self { clock, ..self }
    }

    /// Also trusts the root certificates of this PEM bundle (for an endpoint with a private CA).
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Self {
        self.extra_roots_pem.push(pem.to_vec());
        self
    }

    /// The `User-Agent` sent (default `sellerlink-webhooks/<version>`).
    pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
        Self {
            user_agent: user_agent.into(),
            ..self
        }
    }

    /// Also post to loopback, private and link-local addresses (default: refused; local development, the demo,
    /// receivers on the 3PL's own network). Compare [`WebhookEndpoint::allowing_private_addresses`].
    pub fn allow_private_addresses(self, allow_private: bool) -> Self {
        Self {
            allow_private,
            ..self
        }
    }

    /// The sender.
    ///
    /// # Errors
    ///
    /// [`NotifyError::WebhookSettings`] naming the setting that cannot be used.
    pub fn build(self) -> Result<WebhookSender, NotifyError> {
        let tls = ClientSettings::new(&self.extra_roots_pem).map_err(|error| {
            NotifyError::WebhookSettings {
                field: "extra_root_ca_pem",
                problem: error.to_string(),
            }
        })?;
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| NotifyError::WebhookSettings {
                field: "user_agent",
                problem: "must be printable ASCII".to_owned(),
            })?;
        let http = tls
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .without_redirects()
            .user_agent(user_agent);
        // Fails now, not at the first send, if the settings cannot make a client.
        http.build().map_err(|e| NotifyError::WebhookSettings {
            field: "http client",
            problem: error_chain(&e),
        })?;
        Ok(WebhookSender {
            http,
            clock: self.clock,
            retry: self.retry,
            allow_private: self.allow_private,
        })
    }
}

/// One failed attempt, and whether another may succeed.
enum Failure {
    Status {
        status: StatusCode,
        body_bytes: usize,
        retry_after: Option<Duration>,
    },
    NotPublic(AddressRefusal),
    Transport {
        timed_out: bool,
        reason: String,
    },
}

impl WebhookSender {
    /// Settings with the defaults.
    pub fn builder() -> WebhookSenderBuilder {
        WebhookSenderBuilder::default()
    }

    /// Posts `notification` to `endpoint`.
    ///
    /// # Errors
    ///
    /// [`NotifyError::WebhookStatus`] or [`NotifyError::WebhookTransport`] once retrying is over or cannot
    /// help; [`NotifyError::is_transient`] says whether the same notification may be sent again later.
    pub async fn send(
        &self,
        endpoint: &WebhookEndpoint,
        notification: &Notification,
    ) -> Result<WebhookDelivery, NotifyError> {
        self.send_payload(endpoint, &WebhookPayload::from_notification(notification))
            .await
    }

    /// Posts `payload` to `endpoint`; every attempt carries the same body and id and a fresh timestamp
    /// and signature.
    ///
    /// # Errors
    ///
    /// As [`WebhookSender::send`].
    pub async fn send_payload(
        &self,
        endpoint: &WebhookEndpoint,
        payload: &WebhookPayload,
    ) -> Result<WebhookDelivery, NotifyError> {
        let body = payload.to_json()?;
        let id = payload.id.hyphenated().to_string();
        let mut delays = self.retry.delays();
        let mut attempt: u32 = 1;
        loop {
            let failure = match self.attempt(endpoint, &id, &body).await {
                Ok(status) => {
                    return Ok(WebhookDelivery {
                        webhook_id: payload.id,
                        status: status.as_u16(),
                        attempts: attempt,
                    });
                }
                Err(failure) => failure,
            };
            let retryable = match &failure {
                Failure::Status { status, .. } => {
                    status.is_server_error() || *status == StatusCode::TOO_MANY_REQUESTS
                }
                Failure::Transport { .. } => true,
                Failure::NotPublic(_) => false,
            };
            let wait = if retryable { delays.next() } else { None };
            let Some(mut wait) = wait else {
                return Err(final_error(endpoint, failure, attempt, retryable));
            };
            if let Failure::Status {
                retry_after: Some(asked),
                ..
            } = &failure
            {
                wait = wait.max((*asked).min(self.retry.max_delay));
            }
            tracing::warn!(
                webhook.id = %id,
                webhook.url = %endpoint.display_url(),
                attempt,
                retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                outcome = %describe(&failure),
                "webhook delivery failed; retrying"
            );
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn attempt(
        &self,
        endpoint: &WebhookEndpoint,
        id: &str,
        body: &[u8],
    ) -> Result<StatusCode, Failure> {
        let allow_private = self.allow_private || endpoint.private_addresses_allowed();
        let addresses = match address::resolve(endpoint.url(), allow_private).await {
            Ok(addresses) => addresses,
            Err(refusal @ AddressRefusal::NotPublic { .. }) => {
                return Err(Failure::NotPublic(refusal));
            }
            Err(unresolvable @ AddressRefusal::Unresolvable { .. }) => {
                return Err(Failure::Transport {
                    timed_out: false,
                    reason: unresolvable.to_string(),
                });
            }
        };
        let http = pinned_client(&self.http, endpoint.url(), &addresses).map_err(|error| {
            Failure::Transport {
                timed_out: false,
                reason: error_chain(&error.without_url()),
            }
        })?;
        let timestamp = self.clock.now().as_second();
        let signature = sign(endpoint.secret(), timestamp, body);
        let sent = http
            .post(endpoint.url().clone())
            .header(CONTENT_TYPE, "application/json")
            .header(ID_HEADER, id)
            .header(TIMESTAMP_HEADER, timestamp.to_string())
            .header(SIGNATURE_HEADER, signature)
            .body(body.to_vec())
            .send()
            .await;
        let mut response = match sent {
            Ok(response) => response,
            Err(error) => {
                return Err(Failure::Transport {
                    timed_out: error.is_timeout(),
                    reason: error_chain(&error.without_url()),
                });
            }
        };
        let status = response.status();
        if status.is_success() {
            return Ok(status);
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut body_bytes = 0;
        while body_bytes < BODY_COUNT_LIMIT {
            match response.chunk().await {
                Ok(Some(chunk)) => body_bytes += chunk.len(),
                Ok(None) | Err(_) => break,
            }
        }
        Err(Failure::Status {
            status,
            body_bytes,
            retry_after,
        })
    }
}

fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Status { status, .. } => format!("HTTP {}", status.as_u16()),
        Failure::Transport { reason, .. } => reason.clone(),
        Failure::NotPublic(refusal) => refusal.to_string(),
    }
}

fn final_error(
    endpoint: &WebhookEndpoint,
    failure: Failure,
    attempts: u32,
    retryable: bool,
) -> NotifyError {
    match failure {
        Failure::Status {
            status, body_bytes, ..
        } => NotifyError::WebhookStatus {
            endpoint: endpoint.display_url(),
            status: status.as_u16(),
            attempts,
            body_bytes,
            retryable,
        },
        Failure::NotPublic(refusal) => NotifyError::WebhookAddress {
            endpoint: endpoint.display_url(),
            refusal,
        },
        Failure::Transport { timed_out, reason } => NotifyError::WebhookTransport {
            endpoint: endpoint.display_url(),
            attempts,
            timed_out,
            reason,
        },
    }
}
