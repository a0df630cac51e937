//! [`SpApiSettings`] and [`SpApiGatewayFactory`]: one SP-API client (LWA credentials, token cache, TLS roots,
//! pacing) shared by the gateways of every SP-API connection.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use jiff::civil::Date;
use secrecy::{ExposeSecret as _, SecretString};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::ids::{LwaRefreshToken, MarketplaceId};
use sellerlink_domain::quota::QuotaSnapshot;
use sellerlink_spapi::lwa::DEFAULT_TOKEN_ENDPOINT;
use sellerlink_spapi::{
    BuildError, LwaClient, LwaCredentials, RetryPolicy, SellerAuth, SpApiClient,
};
use url::Url;

use super::SpApiGateway;
use super::classify::ThrottleWait;
use crate::factory::GatewayFactory;
use crate::gateway::{AmazonGateway, GatewayError, GatewayErrorKind};

/// How sellerlink reaches SP-API (Amazon or the sandbox) as the operator's app.
#[derive(Clone)]
pub struct SpApiSettings {
    /// The LWA token endpoint: Amazon's `https://api.amazon.com/auth/o2/token` or the sandbox's `/auth/o2/token`.
    pub lwa_endpoint: Url,
    /// Sends every SP-API call here instead of the seller's regional host (the sandbox); `None` against Amazon.
    pub spapi_endpoint_override: Option<Url>,
    /// The app's LWA client ID and secret.
    pub credentials: LwaCredentials,
    /// The first day the client secret no longer works (Amazon makes secrets expire 180 days after they are
    /// issued); the operator's countdown reads it. Amazon, not this date, decides: calls are never refused here.
    pub secret_expires_on: Date,
    /// Extra root certificates (PEM), e.g. the sandbox's own CA.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Rates are this many times Amazon's usage plans (1.0 against Amazon; the sandbox's `throttle_scale` against
    /// a sandbox that runs faster).
    pub rate_scale: f64,
    /// Pace calls per (seller, operation) with Amazon's token buckets, so a normal run is never throttled.
    pub pacing: bool,
    /// The timeout of one HTTP request (LWA and SP-API).
    pub request_timeout: Duration,
}

impl fmt::Debug for SpApiSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpApiSettings")
            .field("lwa_endpoint", &self.lwa_endpoint.as_str())
            .field(
                "spapi_endpoint_override",
                &self.spapi_endpoint_override.as_ref().map(Url::as_str),
            )
            .field("credentials", &self.credentials)
            .field("secret_expires_on", &self.secret_expires_on)
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|pem| format!("<{} bytes>", pem.len())),
            )
            .field("rate_scale", &self.rate_scale)
            .field("pacing", &self.pacing)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

impl SpApiSettings {
    /// Settings for Amazon itself: Amazon's LWA endpoint and regional hosts, Amazon's rates with pacing on,
    /// 30-second requests, no extra roots.
    pub fn new(credentials: LwaCredentials, secret_expires_on: Date) -> Self {
        Self {
            lwa_endpoint: Url::parse(DEFAULT_TOKEN_ENDPOINT)
                .expect("Amazon's LWA endpoint is a valid URL"),
            spapi_endpoint_override: None,
            credentials,
            secret_expires_on,
            extra_ca_pem: None,
            rate_scale: 1.0,
            pacing: true,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why an [`SpApiGatewayFactory`] could not be built.
#[derive(Debug, thiserror::Error)]
#[error("SP-API settings: {0}")]
pub struct SpApiSettingsError(#[from] BuildError);

/// Builds the [`SpApiGateway`] of each SP-API connection around one shared client, so that every connection's
/// calls share the connection pool, the LWA access-token cache and the per-(seller, operation) rate buckets.
#[derive(Debug, Clone)]
pub struct SpApiGatewayFactory {
    client: SpApiClient,
    throttle: ThrottleWait,
}

impl SpApiGatewayFactory {
    /// Builds the shared LWA client, token cache and SP-API client. The client does not retry (the engine does);
    /// `clock` dates access tokens, stamps requests and drives pacing, so it must read Amazon's time and move
    /// with real time.
    pub fn new(
        settings: &SpApiSettings,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SpApiSettingsError> {
        let version = env!("CARGO_PKG_VERSION");
        let mut lwa = LwaClient::builder()
            .token_endpoint(settings.lwa_endpoint.clone())
            .credentials(settings.credentials.clone())
            .timeout(settings.request_timeout)
            .clock(clock.clone())
            .user_agent("sellerlink-sync", version);
        let mut client = SpApiClient::builder()
            .user_agent("sellerlink-sync", version)
            .timeout(settings.request_timeout)
            .retry_policy(RetryPolicy::none())
            .rate_limits(settings.pacing)
            .rate_scale(settings.rate_scale)
            .clock(clock);
        if let Some(pem) = &settings.extra_ca_pem {
            lwa = lwa.add_root_certificate_pem(pem);
            client = client.add_root_certificate_pem(pem);
        }
        if let Some(url) = &settings.spapi_endpoint_override {
            client = client.endpoint_override(url.clone());
        }
        let client = client.lwa(lwa.build()?).build()?;
        let throttle = if settings.pacing {
            ThrottleWait::Paced
        } else {
            ThrottleWait::RefillTime {
                scale: settings.rate_scale,
            }
        };
        Ok(Self { client, throttle })
    }

    /// The shared client.
    pub fn client(&self) -> &SpApiClient {
        &self.client
    }

    /// The LWA client behind the token cache: exchanges authorization codes, and rotates the client secret for
    /// every gateway at once ([`LwaClient::rotate_credentials`]).
    pub fn lwa(&self) -> &LwaClient {
        self.client.token_cache().lwa()
    }

    /// A gateway for a seller authorization that is not stored yet (to verify it before storing): `marketplaces`
    /// (at least one; the first is the home marketplace) are the ones its orders are listed for.
    pub fn gateway_for(
        &self,
        seller: SellerAuth,
        marketplaces: Vec<MarketplaceId>,
    ) -> SpApiGateway {
        SpApiGateway::new(self.client.clone(), seller, marketplaces, self.throttle)
    }

    /// The gateway of one SP-API connection, whose credential is its LWA refresh token in clear.
    pub fn spapi_gateway(
        &self,
        connection: &Connection,
        credential: &SecretString,
    ) -> Result<SpApiGateway, GatewayError> {
        let refuse =
            |message: String| GatewayError::new(GatewayErrorKind::Invalid, "connection", message);
        let ApiAccount::SpApi {
            selling_partner_id,
            region,
        } = &connection.account
        else {
            return Err(refuse(format!(
                "connection {} uses {}, not SP-API; build its gateway with that API's factory",
                connection.id,
                connection.account.api_name()
            )));
        };
        let token = LwaRefreshToken::parse(credential.expose_secret()).map_err(|e| {
            refuse(format!(
                "the stored credential of connection {} is not usable: {e}",
                connection.id
            ))
        })?;
        let marketplaces = connection
            .marketplaces
            .iter()
            .map(|m| m.id.clone())
            .collect();
        let seller = SellerAuth::new(selling_partner_id.clone(), token, *region);
        Ok(self.gateway_for(seller, marketplaces))
    }
}

impl GatewayFactory for SpApiGatewayFactory {
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError> {
        Ok(Arc::new(self.spapi_gateway(connection, &credential)?))
    }

    fn export_quota(&self, account: &ApiAccount) -> Option<QuotaSnapshot> {
        let ApiAccount::SpApi {
            selling_partner_id, ..
        } = account
        else {
            return None;
        };
        self.client.export_quota(selling_partner_id)
    }

    fn import_quota(&self, account: &ApiAccount, snapshot: &QuotaSnapshot) {
        if let ApiAccount::SpApi {
            selling_partner_id, ..
        } = account
        {
            self.client.import_quota(selling_partner_id, snapshot);
        }
    }
}
