//! Posting signed webhook requests, with retries.

use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use uuid::Uuid;

use sellerlink_domain::clock::{Clock, SystemClock};

use super::endpoint::WebhookEndpoint;
use super::payload::WebhookPayload;
use super::signature::{ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, sign};
use crate::email::error_chain;
use crate::error::NotifyError;
use crate::message::Notification;
use crate::retry::RetryPolicy;
use crate::tls;

/// How much of an error response body is kept for the error message.
const BODY_EXCERPT_BYTES: usize = 512;

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
/// on other 4xx answers. Redirects are not followed.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    retry: RetryPolicy,
}

/// Settings for a [`WebhookSender`].
#[derive(Debug)]
pub struct WebhookSenderBuilder {
    timeout: Duration,
    retry: RetryPolicy,
    clock: Arc<dyn Clock>,
    extra_roots_pem: Vec<Vec<u8>>,
    user_agent: String,
}

impl Default for WebhookSenderBuilder {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            clock: Arc::new(SystemClock),
            extra_roots_pem: Vec::new(),
            user_agent: format!("sellerlink-webhooks/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl WebhookSenderBuilder {
    /// How long one request may take, connection included (default 10 s).
    pub fn timeout(self, timeout: Duration) -> Self {
        Self { timeout, ..self }
    }

    /// How often to retry (default [`RetryPolicy::default`]).
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

    /// The sender.
    ///
    /// # Errors
    ///
    /// [`NotifyError::WebhookSettings`] naming the setting that cannot be used.
    pub fn build(self) -> Result<WebhookSender, NotifyError> {
        let tls = tls::client_config(&self.extra_roots_pem).map_err(|problem| {
            NotifyError::WebhookSettings {
                field: "extra_root_ca_pem",
                problem,
            }
        })?;
        let user_agent =
            HeaderValue::from_str(&self.user_agent).map_err(|_| NotifyError::WebhookSettings {
                field: "user_agent",
                problem: "must be printable ASCII".to_owned(),
            })?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(user_agent)
            .build()
            .map_err(|e| NotifyError::WebhookSettings {
                field: "http client",
                problem: error_chain(&e.without_url()),
            })?;
        Ok(WebhookSender {
            http,
            clock: self.clock,
            retry: self.retry,
        })
    }
}

/// One failed attempt, and whether another may succeed.
enum Failure {
    Status {
        status: StatusCode,
        body_excerpt: String,
        retry_after: Option<Duration>,
    },
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
        let timestamp = self.clock.now().as_second();
        let signature = sign(endpoint.secret(), timestamp, body);
        let sent = self
            .http
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
        let mut excerpt = Vec::new();
        while excerpt.len() < BODY_EXCERPT_BYTES {
            match response.chunk().await {
                Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                Ok(None) | Err(_) => break,
            }
        }
        excerpt.truncate(BODY_EXCERPT_BYTES);
        Err(Failure::Status {
            status,
            body_excerpt: String::from_utf8_lossy(&excerpt).trim().to_owned(),
            retry_after,
        })
    }
}

fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Status { status, .. } => format!("HTTP {}", status.as_u16()),
        Failure::Transport { reason, .. } => reason.clone(),
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
            status,
            body_excerpt,
            ..
        } => NotifyError::WebhookStatus {
            endpoint: endpoint.display_url(),
            status: status.as_u16(),
            attempts,
            body_excerpt,
            retryable,
        },
        Failure::Transport { timed_out, reason } => NotifyError::WebhookTransport {
            endpoint: endpoint.display_url(),
            attempts,
            timed_out,
            reason,
        },
    }
}
