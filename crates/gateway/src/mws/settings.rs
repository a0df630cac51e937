//! [`MwsSettings`] and [`MwsGatewayFactory`]: one MWS client (developer keys, TLS roots, pacing) shared by the
//! gateways of every MWS connection.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use secrecy::{ExposeSecret as _, SecretString};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::ids::{AwsAccessKeyId, MwsAuthToken};
use sellerlink_domain::quota::QuotaSnapshot;
use sellerlink_mws::{
    BuildError, InvalidRestoreRateScale, MwsClient, Pacing, RetryPolicy, SellerAuth,
};
use url::Url;

use super::{MwsGateway, ThrottleWait};
use crate::factory::GatewayFactory;
use crate::gateway::{AmazonGateway, GatewayError, GatewayErrorKind};

/// How sellerlink reaches MWS (Amazon's endpoint or the sandbox) as the developer.
#[derive(Clone)]
pub struct MwsSettings {
    /// The base URL, e.g. `https://mws.amazonservices.jp` or the sandbox's.
    pub endpoint: Url,
    /// The developer's access key id.
    pub access_key_id: AwsAccessKeyId,
    /// The developer's secret key, which signs every request.
    pub secret_key: SecretString,
    /// Extra root certificates (PEM), e.g. the sandbox's own CA.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Restore rates are this many times Amazon's (1.0 against Amazon; the sandbox's `throttle_scale` against a
    /// sandbox that runs faster).
    pub restore_rate_scale: f64,
    /// Pace calls per (seller, operation) within the quotas, so a normal run is never throttled.
    pub pacing: bool,
    /// Pace this fraction below the quota (0.02 = 2 %), so that network delay and clock rounding on Amazon's
    /// side never make a call arrive a hair too early.
    pub pacing_headroom: f64,
    /// The timeout of one HTTP request.
    pub request_timeout: Duration,
}

impl fmt::Debug for MwsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MwsSettings")
            .field("endpoint", &self.endpoint.as_str())
            .field("access_key_id", &self.access_key_id)
            .field("secret_key", &"[redacted]")
            .field(
                "extra_ca_pem",
                &self
                    .extra_ca_pem
                    .as_ref()
                    .map(|pem| format!("<{} bytes>", pem.len())),
            )
            .field("restore_rate_scale", &self.restore_rate_scale)
            .field("pacing", &self.pacing)
            .field("pacing_headroom", &self.pacing_headroom)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

impl MwsSettings {
    /// Settings for Amazon's real quotas: pacing on with 2 % headroom, 30-second requests, no extra roots.
    pub fn new(endpoint: Url, access_key_id: AwsAccessKeyId, secret_key: SecretString) -> Self {
        Self {
            endpoint,
            access_key_id,
            secret_key,
            extra_ca_pem: None,
            restore_rate_scale: 1.0,
            pacing: true,
            pacing_headroom: 0.02,
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// Why an [`MwsGatewayFactory`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum MwsSettingsError {
    /// The restore-rate scale (after headroom) is not a positive number.
    #[error("MWS settings: {0}")]
    Scale(#[from] InvalidRestoreRateScale),
    /// The pacing headroom is outside `[0, 0.5]`.
    #[error("MWS settings: pacing_headroom must be between 0 and 0.5 (e.g. 0.02), got {0}")]
    Headroom(f64),
    /// The MWS client refused the settings.
    #[error(transparent)]
    Client(#[from] BuildError),
}

/// Builds the [`MwsGateway`] of each MWS connection around one shared client, so that every connection's
/// calls share the connection pool and the per-(seller, operation) pacing buckets.
#[derive(Debug, Clone)]
pub struct MwsGatewayFactory {
    client: MwsClient,
    throttle: ThrottleWait,
}

impl MwsGatewayFactory {
    /// Builds the shared client. The client does not retry (the engine does); `clock` stamps requests and drives
    /// pacing, so it must move with real time (a frozen clock would make pacing wait forever).
    pub fn new(settings: &MwsSettings, clock: Arc<dyn Clock>) -> Result<Self, MwsSettingsError> {
        if !(0.0..=0.5).contains(&settings.pacing_headroom) {
            return Err(MwsSettingsError::Headroom(settings.pacing_headroom));
        }
        let pacing = if settings.pacing {
            let scale = settings.restore_rate_scale * (1.0 - settings.pacing_headroom);
            Some(Pacing::with_clock(scale, clock.clone())?)
        } else {
            if !(settings.restore_rate_scale.is_finite() && settings.restore_rate_scale > 0.0) {
                return Err(InvalidRestoreRateScale(settings.restore_rate_scale).into());
            }
            None
        };
        let mut builder = MwsClient::builder()
            .endpoint(settings.endpoint.clone())
            .credentials(settings.access_key_id.clone(), settings.secret_key.clone())
            .user_agent("sellerlink-sync", env!("CARGO_PKG_VERSION"))
            .timeout(settings.request_timeout)
            .clock(clock)
            .retry_policy(RetryPolicy::none())
            .pacing(pacing);
        if let Some(pem) = &settings.extra_ca_pem {
            builder = builder.add_root_certificate_pem(pem);
        }
        let client = builder.build()?;
        Ok(Self::from_client(client, settings.restore_rate_scale))
    }

    /// Wraps an existing client (to share its pacing with other jobs). If it paces, the engine does not wait on
    /// top of a throttle; otherwise it waits the restore period sped up by `restore_rate_scale`. The client
    /// should not retry on its own (`RetryPolicy::none()`), or retries multiply.
    pub fn from_client(client: MwsClient, restore_rate_scale: f64) -> Self {
        let throttle = if client.pacing().is_some() {
            ThrottleWait::Paced
        } else {
            ThrottleWait::RestorePeriod {
                scale: restore_rate_scale,
            }
        };
        Self { client, throttle }
    }

    /// The shared client.
    pub fn client(&self) -> &MwsClient {
        &self.client
    }

    /// The gateway of one MWS connection, whose credential is the MWS Auth Token in clear.
    pub fn mws_gateway(
        &self,
        connection: &Connection,
        credential: &SecretString,
    ) -> Result<MwsGateway, GatewayError> {
        let refuse =
            |message: String| GatewayError::new(GatewayErrorKind::Invalid, "connection", message);
        let ApiAccount::Mws { seller_id, .. } = &connection.account else {
            return Err(refuse(format!(
                "connection {} uses {}, not MWS; build its gateway with that API's factory",
                connection.id,
                connection.account.api_name()
            )));
        };
        let token = MwsAuthToken::parse(credential.expose_secret()).map_err(|e| {
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
        Ok(MwsGateway::new(
            self.client.clone(),
            SellerAuth::granted(seller_id.clone(), token),
            marketplaces,
            self.throttle,
        ))
    }
}

impl GatewayFactory for MwsGatewayFactory {
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError> {
        Ok(Arc::new(self.mws_gateway(connection, &credential)?))
    }

    fn export_quota(&self, account: &ApiAccount) -> Option<QuotaSnapshot> {
        let ApiAccount::Mws { seller_id, .. } = account else {
            return None;
        };
        self.client.pacing()?.export(seller_id)
    }

    fn import_quota(&self, account: &ApiAccount, snapshot: &QuotaSnapshot) {
        if let (ApiAccount::Mws { seller_id, .. }, Some(pacing)) = (account, self.client.pacing()) {
            pacing.import(seller_id, snapshot);
        }
    }
}
