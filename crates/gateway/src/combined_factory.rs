//! [`CombinedGatewayFactory`]: one [`GatewayFactory`] for every connection, whichever API it uses, so that one
//! importer (and one scheduler) serves MWS and SP-API connections alike.

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;
use sellerlink_domain::connection::{ApiAccount, Connection};
use sellerlink_domain::quota::QuotaSnapshot;

use crate::factory::GatewayFactory;
use crate::gateway::{AmazonGateway, GatewayError, GatewayErrorKind};

/// Dispatches on the connection's [`ApiAccount`] to the factory of its API. An API without a factory is not
/// configured: its connections' runs fail with an `invalid` error that says what to configure.
#[derive(Clone, Default)]
pub struct CombinedGatewayFactory {
    mws: Option<Arc<dyn GatewayFactory>>,
    spapi: Option<Arc<dyn GatewayFactory>>,
}

impl fmt::Debug for CombinedGatewayFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CombinedGatewayFactory")
            .field("mws", &self.mws.is_some())
            .field("spapi", &self.spapi.is_some())
            .finish()
    }
}

impl CombinedGatewayFactory {
    /// Serves MWS connections with `mws` (e.g. an [`crate::MwsGatewayFactory`]) and SP-API connections with `spapi`
    /// (e.g. an [`crate::SpApiGatewayFactory`]); either may be missing.
    pub fn new(
        mws: Option<Arc<dyn GatewayFactory>>,
        spapi: Option<Arc<dyn GatewayFactory>>,
    ) -> Self {
        Self { mws, spapi }
    }

    /// The factory of `account`'s API, if configured.
    fn of(&self, account: &ApiAccount) -> Option<&Arc<dyn GatewayFactory>> {
        match account {
            ApiAccount::Mws { .. } => self.mws.as_ref(),
            ApiAccount::SpApi { .. } => self.spapi.as_ref(),
        }
    }

    /// True when neither API is configured.
    pub fn is_empty(&self) -> bool {
        self.mws.is_none() && self.spapi.is_none()
    }
}

impl GatewayFactory for CombinedGatewayFactory {
    fn gateway(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn AmazonGateway>, GatewayError> {
        let (factory, missing) = match &connection.account {
            ApiAccount::Mws { .. } => (
                &self.mws,
                "MWS developer keys (access key ID and secret key)",
            ),
            ApiAccount::SpApi { .. } => (
                &self.spapi,
                "SP-API app credentials (LWA client ID and client secret)",
            ),
        };
        let Some(factory) = factory else {
            return Err(GatewayError::new(
                GatewayErrorKind::Invalid,
                "connection",
                format!(
                    "connection {} uses {}, which is not configured: set the operator's {missing}",
                    connection.id,
                    connection.account.api_name()
                ),
            ));
        };
        factory.gateway(connection, credential)
    }

    fn export_quota(&self, account: &ApiAccount) -> Option<QuotaSnapshot> {
        self.of(account)?.export_quota(account)
    }

    fn import_quota(&self, account: &ApiAccount, snapshot: &QuotaSnapshot) {
        if let Some(factory) = self.of(account) {
            factory.import_quota(account, snapshot);
        }
    }
}
