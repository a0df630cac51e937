//! The import engine as the web app uses it: built over the app's store, clock and keyring, and started in the
//! background after a merchant connects.

use std::sync::Arc;

use futures::FutureExt as _;
use futures::future::BoxFuture;
use jiff::Timestamp;
use secrecy::SecretString;
use sellerlink_app::App;
use sellerlink_domain::clock::{Clock, SystemClock};
use sellerlink_domain::ids::ConnectionId;
use sellerlink_sync::{CredentialError, CredentialOpener, Importer, MwsSourceFactory, SourceFactory};

use crate::config::AmazonAccess;
use crate::error::WebError;

/// The app's clock, for the importer (the window's bounds and the stored instants follow it).
#[derive(Debug)]
struct AppClock(App);

impl Clock for AppClock {
    fn now(&self) -> Timestamp {
        self.0.now()
    }
}

/// Opens credentials through the app, which seals and opens them.
struct AppCredentials(App);

impl CredentialOpener for AppCredentials {
    fn open(&self, connection: ConnectionId) -> BoxFuture<'_, Result<SecretString, CredentialError>> {
        async move {
            self.0.credential(connection).await.map_err(|error| CredentialError {
                connection,
                reason: error.to_string(),
            })
        }
        .boxed()
    }
}

/// Amazon as the web app reaches it.
#[derive(Clone)]
pub(crate) struct Amazon {
    /// Builds a source for a connection (also one not stored yet, to verify a grant before saving it).
    pub factory: Arc<MwsSourceFactory>,
    /// The import engine.
    pub importer: Importer,
    /// The settings it was built from.
    pub access: AmazonAccess,
}

impl Amazon {
    /// Builds the MWS client (its pacing clock is the real clock) and the importer.
    pub(crate) fn new(app: &App, access: AmazonAccess) -> Result<Self, WebError> {
        let factory = Arc::new(MwsSourceFactory::new(&access.mws, Arc::new(SystemClock))?);
        let sources: Arc<dyn SourceFactory> = factory.clone();
        let importer = Importer::new(
            app.store().clone(),
            Arc::new(AppClock(app.clone())),
            Arc::new(AppCredentials(app.clone())),
            sources,
            access.import.clone(),
        );
        Ok(Self {
            factory,
            importer,
            access,
        })
    }

    /// Imports a connection's orders in the background (the result is recorded as a sync run and logged).
    pub(crate) fn import_in_background(&self, connection: ConnectionId) {
        let importer = self.importer.clone();
        tokio::spawn(async move {
            match importer.run_once(connection).await {
                Ok(report) => tracing::info!(
                    connection.id = %connection,
                    outcome = report.outcome.as_str(),
                    orders_new = report.orders_new,
                    "import after connecting finished"
                ),
                Err(error) => tracing::warn!(connection.id = %connection, %error, "import after connecting failed"),
            }
        });
    }
}
