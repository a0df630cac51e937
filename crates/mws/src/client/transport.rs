//! One MWS call: pacing → the signed request (Signature V2, a fresh `Timestamp` each attempt) →
//! the classified answer, wrapped in retries (a throttled call waits the operation's restore
//! period; 5xx and transport errors back off).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use backon::Retryable as _;
use base64::Engine as _;
use md5::{Digest as _, Md5};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use tracing::Instrument as _;
use url::Url;

use super::MwsClient;
use crate::error::{DecodeError, ErrorKind, ErrorResponse, MwsError};
use crate::params::{Params, format_timestamp};
use crate::quota::{Operation, Section};
use crate::retry::throttle_delay;
use crate::seller_auth::SellerAuth;
use crate::signature::{canonical_query, percent_encode, sign};

/// How the operation's parameters travel.
#[derive(Debug, Clone)]
pub(crate) enum Payload {
    /// In an `application/x-www-form-urlencoded` body (every operation but `SubmitFeed`).
    Form,
    /// In the query string, with the feed as the raw body (`SubmitFeed`).
    Feed {
        body: Vec<u8>,
        content_type: String,
        content_md5: String,
    },
}

/// One operation to call.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) operation: Operation,
    pub(crate) params: Params,
    pub(crate) payload: Payload,
}

impl Call {
    pub(crate) fn form(operation: Operation, params: Params) -> Self {
        Self {
            operation,
            params,
            payload: Payload::Form,
        }
    }
}

/// A successful answer.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub(crate) body: Vec<u8>,
    pub(crate) content_md5: Option<String>,
}

/// Base64 of the MD5 of `bytes`, as `Content-MD5` carries it.
pub(crate) fn content_md5(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(bytes))
}

impl MwsClient {
    /// The operation's restore period, sped up by the pacing scale if pacing is configured.
    fn restore_period(&self, operation: Operation) -> Duration {
        match &self.inner.pacing {
            Some(pacing) => pacing.restore_period(operation),
            None => operation.quota().restore_period,
        }
    }

    /// Calls and parses the XML answer with `parse`.
    pub(crate) async fn call_xml<T>(
        &self,
        auth: &SellerAuth,
        call: Call,
        parse: impl FnOnce(&str) -> Result<T, DecodeError>,
    ) -> Result<T, MwsError> {
        let operation = call.operation;
        let raw = self.call(auth, call).await?;
        let text = std::str::from_utf8(&raw.body).map_err(|e| {
            MwsError::decode(
                operation,
                DecodeError::new(format!("the body is not UTF-8: {e}")),
            )
        })?;
        parse(text).map_err(|e| MwsError::decode(operation, e))
    }

    /// Calls with pacing and retries; returns the body of a 2xx answer.
    pub(crate) async fn call(
        &self,
        auth: &SellerAuth,
        call: Call,
    ) -> Result<RawResponse, MwsError> {
        let operation = call.operation;
        let span = tracing::info_span!(
            "mws.call",
            amazon.op = operation.action(),
            amazon.section = operation.section().name(),
            seller.id = %auth.seller_id,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let attempts = AtomicU32::new(0);
        let retry = self.inner.retry;
        let result = (|| async {
            attempts.fetch_add(1, Ordering::Relaxed);
            self.attempt(auth, &call).await
        })
        .retry(retry.backoff())
        .when(MwsError::is_retryable)
        .adjust(|error, backoff| {
            let backoff = backoff?;
            match error.kind() {
                ErrorKind::Throttled { retry_after } => Some(throttle_delay(&retry, retry_after)),
                _ => Some(backoff),
            }
        })
        .notify(|error, delay| {
            tracing::warn!(
                error = %error,
                retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "MWS call failed; retrying"
            );
        })
        .instrument(span.clone())
        .await;
        span.record("attempts", attempts.load(Ordering::Relaxed));
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        if let Err(error) = &result {
            span.in_scope(|| tracing::debug!(error = %error, "MWS call failed"));
        }
        result
    }

    /// One signed request.
    async fn attempt(&self, auth: &SellerAuth, call: &Call) -> Result<RawResponse, MwsError> {
        let operation = call.operation;
        if let Some(pacing) = &self.inner.pacing {
            pacing.acquire(&auth.seller_id, operation).await;
        }
        let request = self.prepare(auth, call)?;
        sellerlink_metrics::amazon_call(
            sellerlink_metrics::AmazonApi::Mws,
            operation.qualified_name(),
        );
        let response = self
            .inner
            .http
            .execute(request)
            .await
            .map_err(|e| MwsError::transport(operation, e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| MwsError::transport(operation, e))?
            .to_vec();
        if status.is_success() {
            return Ok(RawResponse {
                body,
                content_md5: header(&headers, "content-md5"),
            });
        }
        let response = ErrorResponse::parse(
            status.as_u16(),
            &String::from_utf8_lossy(&body),
            header(&headers, "x-mws-request-id"),
        );
        let kind = response.classify(self.restore_period(operation));
        if let ErrorKind::Throttled { .. } = kind {
            sellerlink_metrics::amazon_throttled(
                sellerlink_metrics::AmazonApi::Mws,
                operation.qualified_name(),
            );
        }
        if let (ErrorKind::Throttled { .. }, Some(pacing)) = (&kind, &self.inner.pacing) {
            let hourly = response.code() == Some("QuotaExceeded");
            pacing.throttled(&auth.seller_id, operation, hourly);
        }
        Err(MwsError::Amazon {
            operation,
            kind,
            response,
        })
    }

    /// Builds the signed HTTP request for one attempt (a fresh `Timestamp` each time).
    fn prepare(&self, auth: &SellerAuth, call: &Call) -> Result<reqwest::Request, MwsError> {
        let url = self.section_url(call.operation.section());
        let params = self.signed_params(auth, call);
        let signature = sign(
            &self.inner.secret_key,
            "POST",
            &signing_host(&url),
            url.path(),
            &params,
        );
        let mut wire = canonical_query(&params);
        wire.push_str("&Signature=");
        wire.push_str(&percent_encode(&signature));
        let builder = match &call.payload {
            Payload::Form => self
                .inner
                .http
                .post(url)
                .header(
                    CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=utf-8",
                )
                .body(wire),
            Payload::Feed {
                body,
                content_type,
                content_md5,
            } => {
                let mut url = url;
                url.set_query(Some(&wire));
                self.inner
                    .http
                    .post(url)
                    .header(CONTENT_TYPE, content_type.as_str())
                    .header("Content-MD5", content_md5.as_str())
                    .body(body.clone())
            }
        };
        builder
            .build()
            .map_err(|e| MwsError::transport(call.operation, e))
    }

    /// The common parameters, the token if any, and the operation's own parameters.
    fn signed_params(&self, auth: &SellerAuth, call: &Call) -> Vec<(String, String)> {
        let operation = call.operation;
        let mut params: Vec<(String, String)> = [
            ("AWSAccessKeyId", self.inner.access_key_id.as_str()),
            ("Action", operation.action()),
            ("SellerId", auth.seller_id.as_str()),
            ("SignatureMethod", "HmacSHA256"),
            ("SignatureVersion", "2"),
            ("Version", operation.section().version()),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        params.push((
            "Timestamp".to_owned(),
            format_timestamp(self.inner.clock.now()),
        ));
        if let Some(token) = &auth.auth_token {
            params.push(("MWSAuthToken".to_owned(), token.expose_secret().to_owned()));
        }
        params.extend(call.params.clone().into_pairs());
        params
    }

    pub(super) fn section_url(&self, section: Section) -> Url {
        let mut url = self.inner.endpoint.clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), section.path());
        url.set_path(&path);
        url.set_query(None);
        url.set_fragment(None);
        url
    }
}

/// The Host as sent: lower-case, with `:port` when the URL names a non-default port.
fn signing_host(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use secrecy::SecretString;
    use sellerlink_domain::ids::{AwsAccessKeyId, MwsAuthToken, SellerId};

    use super::*;

    #[test]
    fn signing_host_keeps_only_non_default_ports() {
        let url = |text: &str| Url::parse(text).expect("valid url");
        assert_eq!(
            signing_host(&url("https://MWS.amazonservices.JP/")),
            "mws.amazonservices.jp"
        );
        assert_eq!(
            signing_host(&url("https://mws.amazonservices.jp:443/")),
            "mws.amazonservices.jp"
        );
        assert_eq!(
            signing_host(&url("https://127.0.0.1:8443/")),
            "127.0.0.1:8443"
        );
        assert_eq!(signing_host(&url("http://localhost:80/")), "localhost");
    }

    use percent_encoding::percent_decode_str;
    use sellerlink_domain::clock::ManualClock;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    fn client(endpoint: &str) -> MwsClient {
        let clock = ManualClock::new("2020-01-01T12:00:00Z".parse().expect("valid"));
        MwsClient::builder()
            .endpoint(Url::parse(endpoint).expect("valid url"))
            .credentials(
                AwsAccessKeyId::parse("AKIAIOSFODNN7EXAMPLE").expect("valid"),
                SecretString::from(SECRET.to_owned()),
            )
            .clock(Arc::new(clock))
            .build()
            .expect("builds")
    }

    fn auth() -> SellerAuth {
        SellerAuth::granted(
            SellerId::parse("A1EXAMPLE12345").expect("valid"),
            MwsAuthToken::parse("amzn.mws.01234567-89ab-cdef-0123-456789abcdef").expect("valid"),
        )
    }

    /// Splits `a=1&b=2` into decoded pairs.
    fn decode_pairs(wire: &str) -> Vec<(String, String)> {
        wire.split('&')
            .map(|pair| {
                let (name, value) = pair.split_once('=').expect("name=value");
                let decode = |text: &str| {
                    percent_decode_str(text)
                        .decode_utf8()
                        .expect("utf-8")
                        .into_owned()
                };
                (decode(name), decode(value))
            })
            .collect()
    }

    /// Checks the `Signature` among `pairs` is what the server recomputes for `host` and `path`.
    fn assert_signed(pairs: &[(String, String)], host: &str, path: &str) {
        let signature = pairs
            .iter()
            .find(|(name, _)| name == "Signature")
            .map(|(_, value)| value.clone())
            .expect("a Signature parameter");
        let rest: Vec<_> = pairs
            .iter()
            .filter(|(name, _)| name != "Signature")
            .cloned()
            .collect();
        let secret = SecretString::from(SECRET.to_owned());
        assert_eq!(sign(&secret, "POST", host, path, &rest), signature);
    }

    fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn form_requests_carry_signed_parameters_in_the_body() {
        let client = client("https://mws.amazonservices.jp");
        let mut params = Params::new();
        params.push("SellerOrderId", "a b~c*d+e/f=g&h:注文");
        let call = Call::form(Operation::ListOrders, params);
        let request = client.prepare(&auth(), &call).expect("prepared");
        assert_eq!(request.method(), reqwest::Method::POST);
        assert_eq!(
            request.url().as_str(),
            "https://mws.amazonservices.jp/Orders/2013-09-01"
        );
        assert_eq!(
            request.headers()[CONTENT_TYPE],
            "application/x-www-form-urlencoded; charset=utf-8"
        );
        let body = std::str::from_utf8(request.body().and_then(|b| b.as_bytes()).expect("body"))
            .expect("utf-8")
            .to_owned();
        assert!(body.contains("SellerOrderId=a%20b~c%2Ad%2Be%2Ff%3Dg%26h%3A%E6%B3%A8%E6%96%87"));
        let pairs = decode_pairs(&body);
        assert_eq!(value(&pairs, "Timestamp"), Some("2020-01-01T12:00:00.000Z"));
        assert_eq!(value(&pairs, "Action"), Some("ListOrders"));
        assert_eq!(value(&pairs, "Version"), Some("2013-09-01"));
        assert_eq!(value(&pairs, "SellerId"), Some("A1EXAMPLE12345"));
        assert_eq!(
            value(&pairs, "MWSAuthToken"),
            Some("amzn.mws.01234567-89ab-cdef-0123-456789abcdef")
        );
        assert_eq!(value(&pairs, "SignatureMethod"), Some("HmacSHA256"));
        assert_signed(&pairs, "mws.amazonservices.jp", "/Orders/2013-09-01");
    }

    #[test]
    fn own_account_calls_send_no_token() {
        let client = client("https://mws.amazonservices.jp");
        let own = SellerAuth::own_account(SellerId::parse("A1EXAMPLE12345").expect("valid"));
        let call = Call::form(Operation::ListMarketplaceParticipations, Params::new());
        let request = client.prepare(&own, &call).expect("prepared");
        let body = std::str::from_utf8(request.body().and_then(|b| b.as_bytes()).expect("body"))
            .expect("utf-8")
            .to_owned();
        assert!(!body.contains("MWSAuthToken"));
        assert!(request.url().path().ends_with("/Sellers/2011-07-01"));
    }

    #[test]
    fn feed_requests_carry_parameters_in_the_query_and_sign_the_port() {
        let client = client("https://127.0.0.1:8443/");
        let body = b"<AmazonEnvelope/>".to_vec();
        let md5 = content_md5(&body);
        let mut params = Params::new();
        params.push("FeedType", "_POST_ORDER_FULFILLMENT_DATA_");
        params.push("ContentMD5Value", md5.clone());
        let call = Call {
            operation: Operation::SubmitFeed,
            params,
            payload: Payload::Feed {
                body: body.clone(),
                content_type: "text/xml".to_owned(),
                content_md5: md5.clone(),
            },
        };
        let request = client.prepare(&auth(), &call).expect("prepared");
        assert_eq!(request.url().path(), "/Feeds/2009-01-01");
        assert_eq!(request.headers()[CONTENT_TYPE], "text/xml");
        assert_eq!(request.headers()["Content-MD5"], md5.as_str());
        assert_eq!(
            request.body().and_then(|b| b.as_bytes()),
            Some(body.as_slice())
        );
        let pairs = decode_pairs(request.url().query().expect("query"));
        assert_eq!(value(&pairs, "ContentMD5Value"), Some(md5.as_str()));
        assert_eq!(value(&pairs, "Action"), Some("SubmitFeed"));
        assert_eq!(value(&pairs, "Version"), Some("2009-01-01"));
        assert_signed(&pairs, "127.0.0.1:8443", "/Feeds/2009-01-01");
    }

    #[test]
    fn content_md5_vectors() {
        assert_eq!(content_md5(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(content_md5(b"abc\tdef"), "Zj+Bh1BJ8HzBb9ToK28qFQ==");
    }
}
