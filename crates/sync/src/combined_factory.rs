//! [`CombinedSourceFactory`]: one [`SourceFactory`] for every connection, whichever API it uses, so that one
//! [`crate::Importer`] (and one scheduler) serves MWS and SP-API connections alike.

use std::fmt;
use std::sync::Arc;

use secrecy::SecretString;
use sellerlink_domain::connection::{ApiAccount, Connection};

use crate::factory::SourceFactory;
use crate::source::{OrderSource, SourceError, SourceErrorKind};

/// Dispatches on the connection's [`ApiAccount`] to the factory of its API. An API without a factory is not
/// configured: its connections' runs fail with an `invalid` error that says what to configure.
#[derive(Clone, Default)]
pub struct CombinedSourceFactory {
    mws: Option<Arc<dyn SourceFactory>>,
    spapi: Option<Arc<dyn SourceFactory>>,
}

impl fmt::Debug for CombinedSourceFactory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CombinedSourceFactory")
            .field("mws", &self.mws.is_some())
            .field("spapi", &self.spapi.is_some())
            .finish()
    }
}

impl CombinedSourceFactory {
    /// Serves MWS connections with `mws` (e.g. an [`crate::MwsSourceFactory`]) and SP-API connections with `spapi`
    /// (e.g. an [`crate::SpApiSourceFactory`]); either may be missing.
    pub fn new(mws: Option<Arc<dyn SourceFactory>>, spapi: Option<Arc<dyn SourceFactory>>) -> Self {
        Self { mws, spapi }
    }

    /// True when neither API is configured.
    pub fn is_empty(&self) -> bool {
        self.mws.is_none() && self.spapi.is_none()
    }
}

impl SourceFactory for CombinedSourceFactory {
    fn source(
        &self,
        connection: &Connection,
        credential: SecretString,
    ) -> Result<Arc<dyn OrderSource>, SourceError> {
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
            return Err(SourceError::new(
                SourceErrorKind::Invalid,
                "connection",
                format!(
                    "connection {} uses {}, which is not configured: set the operator's {missing}",
                    connection.id,
                    connection.account.api_name()
                ),
            ));
        };
        factory.source(connection, credential)
    }
}
