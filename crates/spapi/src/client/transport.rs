//! One SP-API call: rate limit → access token → request with Amazon's headers → classified answer,
//! wrapped in retries (throttling, 5xx, transport) and one token refresh when Amazon says the
//! access token expired.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable as _;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use super::SpApiClient;
use crate::credentials::AccessToken;
use crate::error::{ErrorKind, ResponseMeta, SpApiError};
use crate::operation::Operation;
use crate::retry::delay;
use crate::seller_auth::SellerAuth;

/// A request, ready to be sent as often as retries need.
#[derive(Debug, Clone)]
pub(super) struct ApiRequest {
    pub(super) method: Method,
    /// Already percent-encoded, starting with `/`.
    pub(super) path: String,
    /// Already encoded, without `?`.
    pub(super) query: String,
    /// A JSON body.
    pub(super) body: Option<Vec<u8>>,
}

impl ApiRequest {
    pub(super) fn get(path: String, query: String) -> Self {
        Self {
            method: Method::GET,
            path,
            query,
            body: None,
        }
    }
}

/// A 2xx answer.
#[derive(Debug)]
pub(super) struct ApiResponse {
    pub(super) status: u16,
    pub(super) request_id: Option<String>,
    pub(super) body: Vec<u8>,
}

impl SpApiClient {
    /// Runs `request` as `operation` for `seller`, with retries; returns the 2xx answer.
    pub(super) async fn execute(
        &self,
        seller: &SellerAuth,
        operation: Operation,
        request: &ApiRequest,
    ) -> Result<ApiResponse, SpApiError> {
        let span = tracing::info_span!(
            "spapi_call",
            amazon.op = operation.name(),
            seller.id = %seller.selling_partner_id,
            amazon.region = seller.region.code(),
            http.status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let attempts = AtomicUsize::new(0);
        let policy = self.inner.retry;
        let result = (|| async {
            attempts.fetch_add(1, Ordering::Relaxed);
            self.attempt(seller, operation, request).await
        })
        .retry(policy.backoff())
        .when(SpApiError::is_retryable)
        .adjust(|error, backoff| {
            let retry_after = match error.kind() {
                ErrorKind::Throttled { retry_after } => *retry_after,
                _ => None,
            };
            backoff.map(|wait| delay(&policy, wait, retry_after))
        })
        .notify(|error, wait| {
            tracing::warn!(
                error.kind = ?error.kind(),
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "SP-API {} failed ({}); retrying",
                operation.name(),
                error.kind().summary()
            );
        })
        .instrument(span.clone())
        .await;
        span.record("attempts", attempts.load(Ordering::Relaxed));
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        match &result {
            Ok(response) => span.record("http.status", response.status),
            Err(error) => span.record("http.status", error.status().unwrap_or(0)),
        };
        result.map_err(|error| error.for_seller(&seller.selling_partner_id))
    }

    /// One attempt, refreshing the access token and trying again once if Amazon says it expired.
    async fn attempt(
        &self,
        seller: &SellerAuth,
        operation: Operation,
        request: &ApiRequest,
    ) -> Result<ApiResponse, SpApiError> {
        let mut refreshed = false;
        loop {
            if let Some(limits) = &self.inner.limits {
                limits.acquire(&seller.selling_partner_id, operation).await;
            }
            let token = self
                .inner
                .tokens
                .access_token(seller)
                .await
                .map_err(|error| SpApiError::from_lwa(operation, error))?;
            match self.send(seller, operation, request, &token).await {
                Err(error) if *error.kind() == ErrorKind::TokenExpired && !refreshed => {
                    tracing::debug!(
                        amazon.op = operation.name(),
                        seller.id = %seller.selling_partner_id,
                        "Amazon says the access token expired; refreshing it and trying once more"
                    );
                    self.inner.tokens.invalidate_token(seller, &token).await;
                    refreshed = true;
                }
                Err(error) => {
                    match error.kind() {
                        ErrorKind::AuthorizationLost => {
                            self.inner
                                .tokens
                                .invalidate(&seller.selling_partner_id)
                                .await;
                        }
                        ErrorKind::Throttled { .. } => {
                            sellerlink_metrics::amazon_throttled(
                                sellerlink_metrics::AmazonApi::SpApi,
                                operation.name(),
                            );
                            if let Some(limits) = &self.inner.limits {
                                limits.drain(&seller.selling_partner_id, operation);
                            }
                        }
                        _ => {}
                    }
                    return Err(error);
                }
                Ok(response) => return Ok(response),
            }
        }
    }

    /// Sends the request once.
    async fn send(
        &self,
        seller: &SellerAuth,
        operation: Operation,
        request: &ApiRequest,
        token: &AccessToken,
    ) -> Result<ApiResponse, SpApiError> {
        let url = self.url(seller, request);
        let mut token_header = HeaderValue::from_str(token.expose_secret())
            .expect("an AccessToken holds printable ASCII only");
        token_header.set_sensitive(true);
        let date = self
            .inner
            .clock
            .now()
            .strftime("%Y%m%dT%H%M%SZ")
            .to_string();
        let mut builder = self
            .inner
            .http
            .request(request.method.clone(), url)
            .header("x-amz-access-token", token_header)
            .header(USER_AGENT, self.inner.user_agent.clone())
            .header("x-amz-date", date)
            .header(ACCEPT, "application/json");
        if let Some(body) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        sellerlink_metrics::amazon_call(sellerlink_metrics::AmazonApi::SpApi, operation.name());
        let response = builder
            .send()
            .await
            .map_err(|error| SpApiError::transport(operation, error))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|error| SpApiError::transport(operation, error))?
            .to_vec();
        let request_id = header_text(&headers, "x-amzn-requestid");
        self.observe_rate_limit(seller, operation, status, &headers);
        if status.is_success() {
            return Ok(ApiResponse {
                status: status.as_u16(),
                request_id,
                body,
            });
        }
        let retry_after = header_text(&headers, "retry-after")
            .and_then(|text| text.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Err(SpApiError::from_response(
            operation,
            status.as_u16(),
            ResponseMeta {
                request_id,
                retry_after,
            },
            &body,
        ))
    }

    /// `x-amzn-RateLimit-Limit` comes on 2xx, 400 and 404 only.
    fn observe_rate_limit(
        &self,
        seller: &SellerAuth,
        operation: Operation,
        status: StatusCode,
        headers: &HeaderMap,
    ) {
        let carries_limit = status.is_success()
            || status == StatusCode::BAD_REQUEST
            || status == StatusCode::NOT_FOUND;
        if !carries_limit {
            return;
        }
        if let (Some(limits), Some(rate)) = (
            &self.inner.limits,
            header_text(headers, "x-amzn-ratelimit-limit")
                .and_then(|text| text.trim().parse::<f64>().ok()),
        ) {
            limits.observe_rate(&seller.selling_partner_id, operation, rate);
        }
    }

    fn url(&self, seller: &SellerAuth, request: &ApiRequest) -> Url {
        let base = self.endpoint_for(seller.region);
        let mut text = base.as_str().trim_end_matches('/').to_owned();
        text.push_str(&request.path);
        if !request.query.is_empty() {
            text.push('?');
            text.push_str(&request.query);
        }
        Url::parse(&text).expect("a valid base URL plus an encoded path and query is a valid URL")
    }

    /// Parses a 2xx body as `T`.
    pub(super) fn decode<T: DeserializeOwned>(
        operation: Operation,
        seller: &SellerAuth,
        response: &ApiResponse,
    ) -> Result<T, SpApiError> {
        serde_json::from_slice(&response.body).map_err(|error| {
            SpApiError::decode(
                operation,
                response.status,
                response.request_id.clone(),
                error,
            )
            .for_seller(&seller.selling_partner_id)
        })
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}
