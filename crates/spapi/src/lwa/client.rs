//! The LWA token endpoint client: the `authorization_code` and `refresh_token` grants, posted as
//! `application/x-www-form-urlencoded;charset=UTF-8`.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue, USER_AGENT};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::ids::LwaRefreshToken;
use tracing::Instrument as _;
use url::Url;

use super::builder::LwaClientBuilder;
use super::error::{GrantType, LwaError};
use super::token_response::{TokenResponse, TokenSet, parse_token_response};
use crate::credentials::{AccessToken, AuthorizationCode, LwaClientId, LwaCredentials};

/// The form content type the LWA docs prescribe.
const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded;charset=UTF-8";

/// A client for the LWA token endpoint. Cheap to clone; clones share the connection pool and
/// the credentials, so [`rotate_credentials`](Self::rotate_credentials) reaches every clone.
#[derive(Clone)]
pub struct LwaClient {
    pub(super) inner: Arc<LwaInner>,
}

pub(super) struct LwaInner {
    pub(super) http: reqwest::Client,
    pub(super) endpoint: Url,
    pub(super) user_agent: HeaderValue,
    pub(super) credentials: RwLock<LwaCredentials>,
    pub(super) clock: Arc<dyn Clock>,
}

impl fmt::Debug for LwaClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LwaClient")
            .field("token_endpoint", &self.inner.endpoint.as_str())
            .field("client_id", &self.client_id())
            .finish_non_exhaustive()
    }
}

impl LwaClient {
    /// Starts building a client.
    pub fn builder() -> LwaClientBuilder {
        LwaClientBuilder::new()
    }

    /// The token endpoint requests go to.
    pub fn token_endpoint(&self) -> &Url {
        &self.inner.endpoint
    }

    /// The app's client ID.
    pub fn client_id(&self) -> LwaClientId {
        self.credentials().client_id
    }

    /// The clock that dates token expiry.
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.inner.clock)
    }

    /// Swaps in new app credentials (after the 180-day client-secret rotation). Refresh tokens
    /// stay valid; no seller has to re-authorize.
    pub fn rotate_credentials(&self, credentials: LwaCredentials) {
        let mut current = self
            .inner
            .credentials
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *current = credentials;
    }

    fn credentials(&self) -> LwaCredentials {
        self.inner
            .credentials
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Exchanges the seller's `spapi_oauth_code` (valid 5 minutes, single use) for a refresh token.
    /// `redirect_uri` must be the one the authorization used.
    pub async fn exchange_authorization_code(
        &self,
        code: &AuthorizationCode,
        redirect_uri: &Url,
    ) -> Result<TokenSet, LwaError> {
        let grant = GrantType::AuthorizationCode;
        let response = self
            .request(
                grant,
                &[
                    ("code", code.expose_secret()),
                    ("redirect_uri", redirect_uri.as_str()),
                ],
            )
            .await?;
        let refresh_token = response.refresh_token.ok_or_else(|| {
            LwaError::decode(
                grant,
                200,
                "the answer to an authorization_code grant has no refresh_token".to_owned(),
            )
        })?;
        let expires_at = response.access_token.expires_at();
        Ok(TokenSet {
            access_token: response.access_token,
            refresh_token,
            expires_at,
        })
    }

    /// Gets a fresh access token (valid about an hour) for the seller behind `refresh_token`.
    pub async fn refresh(&self, refresh_token: &LwaRefreshToken) -> Result<AccessToken, LwaError> {
        self.request(
            GrantType::RefreshToken,
            &[("refresh_token", refresh_token.expose_secret())],
        )
        .await
        .map(|response| response.access_token)
    }

    async fn request(
        &self,
        grant: GrantType,
        fields: &[(&str, &str)],
    ) -> Result<TokenResponse, LwaError> {
        let span = tracing::debug_span!(
            "lwa_token",
            lwa.grant = grant.as_str(),
            http.status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = self.post(grant, fields).instrument(span.clone()).await;
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        if let Err(error) = &result {
            if let Some(status) = error.status() {
                span.record("http.status", status);
            }
            span.in_scope(|| {
                tracing::debug!(
                    lwa.error = error.error().unwrap_or(""),
                    "LWA refused a token request"
                );
            });
        }
        result
    }

    async fn post(
        &self,
        grant: GrantType,
        fields: &[(&str, &str)],
    ) -> Result<TokenResponse, LwaError> {
        let body = form_body(grant, fields, &self.credentials());
        let response = self
            .inner
            .http
            .post(self.inner.endpoint.clone())
            .header(CONTENT_TYPE, FORM_CONTENT_TYPE)
            .header(ACCEPT, "application/json")
            .header(USER_AGENT, self.inner.user_agent.clone())
            .body(body)
            .send()
            .await
            .map_err(|e| LwaError::transport(grant, e))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| LwaError::transport(grant, e))?;
        parse_token_response(grant, status, &bytes, self.inner.clock.now())
    }
}

/// The form body: `grant_type`, the grant's fields, then the app's credentials.
fn form_body(grant: GrantType, fields: &[(&str, &str)], credentials: &LwaCredentials) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("grant_type", grant.as_str());
    for (name, value) in fields {
        form.append_pair(name, value);
    }
    form.append_pair("client_id", credentials.client_id.as_str());
    form.append_pair("client_secret", credentials.client_secret.expose_secret());
    form.finish()
}
