#![doc = include_str!("../README.md")]

mod api_switch;
mod buyer_data;
mod connections;
mod error;
mod jobs;
mod keys;
mod merchants;
mod metrics;
mod notifications;
mod replace_token;
mod settings;
mod shipments;
mod spapi;
mod stock;
mod sync;
mod verification;
mod view;

use std::sync::Arc;

use sellerlink_domain::clock::Clock;
use sellerlink_reminders::Reminders;
use sellerlink_secrets::Keyring;
use sellerlink_store::{LeaseOwner, Store, StoreOptions};
use sellerlink_sync::{
    CombinedGatewayFactory, GatewayFactory, ImportConfig, Importer, KeyringBuyerData,
    KeyringCredentials, MwsGatewayFactory, SpApiGatewayFactory,
};

pub use connections::{LifecycleCommand, NewMwsConnection};
pub use error::AppError;
pub use jobs::{
    Cadence, ImportQueueView, Job, JobError, JobFuture, JobKind, JobLease, JobSettings, JobSpec,
    JobView, Jobs, JobsView, RunningJobs, SessionCleanup, run_jobs,
};
pub use keys::RotationReport;
pub use metrics::ConnectionGauges;
pub use replace_token::MwsTokenReplacement;
pub use sellerlink_sync::SpApiSettings;
pub use sellerlink_sync::{RunOptions, SyncReport, VerifyOutcome};
pub use settings::{DeveloperIdentity, KeySettings, MwsSettings, Settings};
pub use shipments::ShipmentInput;
pub use spapi::{
    AppCredentialsStatus, AuthorizationDateProblem, AuthorizationRequest, NewSpApiConnection,
    SECRET_EXPIRING_SOON_DAYS, STATE_LIFETIME, SecretCondition, SpApiAppSettings,
    SpApiApplicationId, SpApiCallback, SpApiConnected, SpApiFailure, SpApiLogin, StateProblem,
};
pub use stock::{MAX_QUANTITY, MAX_SKUS_PER_CALL};
pub use verification::VerificationFailure;
pub use view::ConnectionView;

/// The running application: storage, keys, time and settings.
#[derive(Clone)]
pub struct App {
    store: Store,
    keyring: Arc<Keyring>,
    clock: Arc<dyn Clock>,
    settings: Arc<Settings>,
    /// Builds Amazon gateways of either API; `None` when neither MWS nor SP-API is configured.
    gateways: Option<Arc<dyn GatewayFactory>>,
    /// SP-API ("Connect with Amazon"), when configured.
    spapi: Option<Arc<spapi::SpApiRuntime>>,
    /// The order-import engine over the same store, gateways and credentials.
    importer: Option<Importer>,
    /// This process's name on the leases it takes and on its jobs' runs.
    owner: LeaseOwner,
    /// The reminders service behind the notification-channel use cases, when the process has one.
    notifications: Option<Reminders>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("database", &self.store.engine())
            .finish_non_exhaustive()
    }
}

impl App {
    /// Opens the store (running migrations), loads the keyring and builds the app.
    pub async fn open(settings: Settings, clock: Arc<dyn Clock>) -> Result<Self, AppError> {
        Self::open_with(settings, clock, StoreOptions::default()).await
    }

    /// Opens the app as [`App::open`] does, with the database pool sized by `store_options`.
    pub async fn open_with(
        settings: Settings,
        clock: Arc<dyn Clock>,
        store_options: StoreOptions,
    ) -> Result<Self, AppError> {
        let keyring = settings.keys.load()?;
        let store = Store::connect_with(&settings.database_url, store_options).await?;
        store.migrate().await?;
        let keyring = Arc::new(keyring);
        let store = store.with_buyer_seal(Arc::new(KeyringBuyerData::new(keyring.clone())));
        store.seal_clear_buyer_data().await?;
        let invalid =
            |field: &'static str, problem: String| AppError::InvalidInput { field, problem };
        let mws: Option<Arc<dyn GatewayFactory>> = match &settings.mws {
            Some(mws) => Some(Arc::new(
                MwsGatewayFactory::new(mws, clock.clone())
                    .map_err(|e| invalid("MWS settings", e.to_string()))?,
            )),
            None => None,
        };
        let spapi = match &settings.spapi {
            Some(spapi) => Some(Arc::new(spapi::SpApiRuntime {
                factory: SpApiGatewayFactory::new(&spapi.api, clock.clone())
                    .map_err(|e| invalid("SP-API settings", e.to_string()))?,
                settings: spapi.clone(),
            })),
            None => None,
        };
        let spapi_gateways = spapi
            .as_ref()
            .map(|runtime| Arc::new(runtime.factory.clone()) as Arc<dyn GatewayFactory>);
        let combined = CombinedGatewayFactory::new(mws, spapi_gateways);
        let gateways: Option<Arc<dyn GatewayFactory>> =
            (!combined.is_empty()).then(|| Arc::new(combined) as _);
        let owner = LeaseOwner::of_this_process("sellerlink")
            .expect("a host name and process id make a valid lease owner");
        let importer = gateways.as_ref().map(|factory| {
            let mut config = ImportConfig::new(owner.clone());
            config.initial_lookback = settings.initial_lookback;
            config.lease_ttl = settings.lease_ttl;
            Importer::new(
                store.clone(),
                clock.clone(),
                Arc::new(KeyringCredentials::new(store.clone(), keyring.clone())),
                factory.clone(),
                config,
            )
        });
        Ok(Self {
            store,
            keyring,
            clock,
            settings: Arc::new(settings),
            gateways,
            spapi,
            importer,
            owner,
            notifications: None,
        })
    }

    /// The store, for read-only views that need no service logic.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// This process's name on the leases it takes (imports, outbox sends, its jobs) and on its jobs' runs; give
    /// its leases back with `Store::release_leases_of` when it stops.
    pub fn lease_owner(&self) -> &LeaseOwner {
        &self.owner
    }

    /// The order-import engine, if Amazon access is configured.
    pub fn importer(&self) -> Result<&Importer, AppError> {
        self.importer.as_ref().ok_or(AppError::NotConfigured {
            what: AMAZON_NOT_CONFIGURED,
        })
    }

    /// The current instant on the app's clock.
    /// A key for `purpose` derived from the master key: the same in every process that shares the master key.
    pub fn derived_key(&self, purpose: &str) -> [u8; 32] {
        *self.keyring.derive_key(purpose)
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// The app's clock, for the services that run beside it (reminders, the worker) and must read the same time.
    pub fn clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }

    /// SP-API, or [`AppError::NotConfigured`].
    pub(crate) fn spapi(&self) -> Result<&spapi::SpApiRuntime, AppError> {
        self.spapi.as_deref().ok_or(AppError::NotConfigured {
            what: SPAPI_NOT_CONFIGURED,
        })
    }
}

const MWS_NOT_CONFIGURED: &str = "MWS developer keys (set SELLERLINK_MWS_ACCESS_KEY_ID and SELLERLINK_MWS_SECRET_KEY, \
     and SELLERLINK_MWS_ENDPOINT for a non-Amazon endpoint such as the sandbox)";

const AMAZON_NOT_CONFIGURED: &str = "Amazon access: MWS developer keys (SELLERLINK_MWS_ACCESS_KEY_ID, \
     SELLERLINK_MWS_SECRET_KEY, SELLERLINK_MWS_ENDPOINT) or the SP-API app";

const SPAPI_NOT_CONFIGURED: &str = "the SP-API app (application ID, LWA client ID and secret with its expiry date, \
     and the OAuth redirect URI registered for the app)";
