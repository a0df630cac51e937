//! [`WebState`]: what every handler shares.

use std::sync::Arc;

use jiff::Timestamp;
use sellerlink_app::App;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::Store;

use crate::auth::throttle::InFlight;
use crate::auth::tokens::CookieSigner;
use crate::config::WebConfig;
use crate::demo_clock::DemoClock;
use crate::order_counts::OrderCounts;
use crate::security::Headers;

/// The state of the web app: the application services, the settings and the security headers. Cheap to clone.
#[derive(Clone)]
pub struct WebState {
    inner: Arc<Inner>,
}

struct Inner {
    app: App,
    config: WebConfig,
    headers: Headers,
    order_counts: OrderCounts,
    sign_ins_in_flight: InFlight,
    cookie_signer: CookieSigner,
}

impl std::fmt::Debug for WebState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebState")
            .field("app", &self.inner.app)
            .finish_non_exhaustive()
    }
}

impl WebState {
    /// Builds the state.
    pub fn new(app: App, config: WebConfig) -> Self {
        let cookie_signer = CookieSigner::new(app.derived_key("web/signed-out-csrf-cookie"));
        let form_targets = app
            .settings()
            .spapi
            .as_ref()
            .map(|spapi| spapi.consent_origins())
            .unwrap_or_default();
        Self {
            inner: Arc::new(Inner {
                app,
                config,
                headers: Headers::new(&form_targets),
                order_counts: OrderCounts::default(),
                sign_ins_in_flight: InFlight::default(),
                cookie_signer,
            }),
        }
    }

    /// The application services.
    pub fn app(&self) -> &App {
        &self.inner.app
    }

    pub(crate) fn store(&self) -> &Store {
        self.inner.app.store()
    }

    pub(crate) fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    pub(crate) fn headers(&self) -> &Headers {
        &self.inner.headers
    }

    /// Signs the tokens of signed-out visitors' CSRF cookies.
    pub(crate) fn cookie_signer(&self) -> &CookieSigner {
        &self.inner.cookie_signer
    }

    /// Sign-in attempts whose password is being checked (see [`crate::auth::throttle`]).
    pub(crate) fn sign_ins_in_flight(&self) -> &InFlight {
        &self.inner.sign_ins_in_flight
    }

    /// How many orders match a query's filters (remembered for a few seconds).
    pub(crate) async fn count_orders(
        &self,
        query: &sellerlink_store::OrderQuery,
    ) -> sellerlink_store::StoreResult<u64> {
        self.inner.order_counts.count(self.store(), query).await
    }

    /// Now, on the app's clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.inner.app.now()
    }

    /// Now for sessions and sign-in throttling: real time when the demo clock runs (moving it signs nobody out),
    /// else the app's clock.
    pub(crate) fn session_now(&self) -> Timestamp {
        match self.demo_clock() {
            Some(_) => Timestamp::now(),
            None => self.now(),
        }
    }

    /// The demo's clock control, when the web app runs in the demo.
    pub(crate) fn demo_clock(&self) -> Option<&DemoClock> {
        self.inner.config.demo_clock.as_ref()
    }

    /// Imports a connection's orders in the background (the run is recorded as a sync run and logged).
    pub(crate) fn import_in_background(&self, connection: ConnectionId) {
        let app = self.inner.app.clone();
        tokio::spawn(async move {
            match app.sync_connection(connection, Default::default()).await {
                Ok(report) => tracing::info!(
                    connection.id = %connection,
                    outcome = report.outcome.as_str(),
                    orders_new = report.orders_new,
                    "import after connecting finished"
                ),
                Err(error) => {
                    tracing::warn!(connection.id = %connection, %error, "import after connecting failed")
                }
            }
        });
    }
}
