//! A store per test (a fresh database from [`sellerlink_testkit::database`]), a connected seller and an importer
//! wired like production, through either API: [`Api`] names it, [`on_both_apis!`] runs a scenario once through
//! each, and a [`World`] is one sandbox seller linked through one API (keyring-sealed credential, the sandbox's MWS
//! developer or SP-API demo app).

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp, ToSpan as _};
use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{
    AwsAccessKeyId, ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId,
    SellingPartnerId,
};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_secrets::{Keyring, MasterKey};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::{LeaseOwner, SealedCredential, Store};
use sellerlink_sync::{
    CombinedGatewayFactory, GatewayFactory, ImportConfig, Importer, KeyringBuyerData,
    KeyringCredentials, MwsGatewayFactory, MwsSettings, RetryConfig, SpApiGatewayFactory,
    SpApiSettings,
};
use sellerlink_testkit::TestDatabase;

use crate::compare::{assert_matches_through, watermark};
use crate::sandbox::{DemoApp, NO_THROTTLING, Options, Sandbox};

/// The Amazon API a scenario runs through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// MWS: the seller grants the sandbox's demo developer access; the connection keeps the MWS Auth Token.
    Mws,
    /// SP-API: the seller authorizes the sandbox's demo app; the connection keeps the LWA refresh token.
    SpApi,
}

impl Api {
    /// The seller gives sellerlink access through this API; returns the credential the connection keeps.
    pub async fn grant_access(self, sandbox: &Sandbox, seller_id: &str) -> String {
        match self {
            Self::Mws => sandbox.grant(seller_id).await,
            Self::SpApi => sandbox.authorize_app(seller_id).await,
        }
    }

    /// The connection's account at Amazon and the term of its access.
    fn account(
        self,
        sandbox: &Sandbox,
        seller_id: &str,
        home: &MarketplaceId,
    ) -> (ApiAccount, RenewalTerm) {
        match self {
            Self::Mws => (
                ApiAccount::Mws {
                    seller_id: SellerId::parse(seller_id).expect("sandbox seller ids are valid"),
                    developer_id: DeveloperId::parse(&sandbox.developer.developer_id)
                        .expect("valid developer id"),
                },
                RenewalTerm::OneYear,
            ),
            Self::SpApi => (
                ApiAccount::SpApi {
                    selling_partner_id: SellingPartnerId::parse(seller_id)
                        .expect("sandbox seller ids are valid"),
                    region: home.marketplace().region,
                },
                RenewalTerm::Days365,
            ),
        }
    }
}

/// Expands each `async fn name(api: Api)` into the tests `name::mws` and `name::spapi`.
macro_rules! on_both_apis {
    ($($scenario:ident),+ $(,)?) => {
        $(
            mod $scenario {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn mws() {
                    super::$scenario($crate::setup::Api::Mws).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn spapi() {
                    super::$scenario($crate::setup::Api::SpApi).await;
                }
            }
        )+
    };
}

/// A migrated store with the application's buyer-data seal, on a fresh test database.
pub struct Db {
    pub store: Store,
    pub url: String,
    _database: TestDatabase,
}

impl Db {
    /// A store in a fresh SQLite file.
    pub async fn sqlite() -> Self {
        Self::open(TestDatabase::sqlite()).await
    }

    /// A store on `database`.
    pub async fn open(database: TestDatabase) -> Self {
        Self {
            store: database
                .migrated_store()
                .await
                .with_buyer_seal(buyer_seal()),
            url: database.url().to_owned(),
            _database: database,
        }
    }
}

/// The application's buyer-data seal, under a fresh master key.
pub fn buyer_seal() -> Arc<KeyringBuyerData> {
    let key = MasterKey::generate().expect("a random master key");
    Arc::new(KeyringBuyerData::new(Arc::new(Keyring::new(key, []))))
}

/// A merchant and its connection to one sandbox seller, with the credential sealed as the app seals it.
pub struct Linked {
    pub connection_id: ConnectionId,
    pub seller_id: String,
    pub keyring: Arc<Keyring>,
    pub master_key: MasterKey,
}

/// Stores a merchant and a connection through `api` to `seller_id` with `credential` sealed under a fresh key.
pub async fn link(
    api: Api,
    store: &Store,
    sandbox: &Sandbox,
    seller_id: &str,
    credential: &str,
) -> Linked {
    let master_key = MasterKey::generate().expect("randomness");
    link_with(api, store, sandbox, seller_id, credential, master_key).await
}

/// Stores a merchant and a connection through `api` to `seller_id` with `credential` sealed under `master_key`.
pub async fn link_with(
    api: Api,
    store: &Store,
    sandbox: &Sandbox,
    seller_id: &str,
    credential: &str,
    master_key: MasterKey,
) -> Linked {
    let now = sandbox.now();
    let keyring = Arc::new(Keyring::new(master_key.clone(), []));
    let merchant = Merchant {
        id: MerchantId::new(),
        name: MerchantName::parse(&format!("荷主 {seller_id}")).expect("valid name"),
        language: Language::Ja,
        created_at: now,
    };
    let audit = |connection_id, action| AuditEntry {
        merchant_id: merchant.id,
        connection_id,
        actor: Actor::cli("test"),
        action,
        at: now,
        before: None,
        after: None,
    };
    store
        .insert_merchant(&merchant, &audit(None, AuditAction::MerchantCreated))
        .await
        .expect("merchant stored");
    let marketplaces: Vec<ConnectedMarketplace> = sandbox
        .seller_marketplaces(seller_id)
        .into_iter()
        .map(|id| ConnectedMarketplace { id, name: None })
        .collect();
    let home = &marketplaces[0].id;
    let (account, term) = api.account(sandbox, seller_id, home);
    let connection = Connection {
        id: ConnectionId::new(),
        merchant_id: merchant.id,
        account,
        grant: AccessGrant::new(now, home.marketplace(), term, true),
        marketplaces,
        verified_at: None,
        created_at: now,
    };
    store
        .insert_connection(
            &connection,
            &seal(&keyring, connection.id, credential),
            &audit(Some(connection.id), AuditAction::ConnectionCreated),
        )
        .await
        .expect("connection stored");
    Linked {
        connection_id: connection.id,
        seller_id: seller_id.to_owned(),
        keyring,
        master_key,
    }
}

/// Seals a credential for a connection, bound to its row.
pub fn seal(keyring: &Keyring, connection_id: ConnectionId, credential: &str) -> SealedCredential {
    let sealed = keyring
        .seal(
            &KeyringCredentials::context(connection_id),
            &SecretString::from(credential.to_owned()),
        )
        .expect("sealing works");
    SealedCredential {
        kek_id: sealed.kek_id().to_string(),
        blob: sealed.to_bytes(),
    }
}

impl Sandbox {
    pub fn seller_marketplaces(&self, seller_id: &str) -> Vec<MarketplaceId> {
        self.running
            .sellers()
            .into_iter()
            .find(|seller| seller.seller_id == seller_id)
            .expect("the seller exists")
            .marketplace_ids
            .iter()
            .map(|id| MarketplaceId::parse(id).expect("sandbox marketplaces are Amazon's"))
            .collect()
    }

    /// MWS settings for the demo developer against this sandbox over HTTP, without pacing.
    pub fn mws_settings(&self) -> MwsSettings {
        let mut settings = MwsSettings::new(
            self.url().parse().expect("sandbox URL"),
            AwsAccessKeyId::parse(&self.developer.access_key_id).expect("valid access key"),
            SecretString::from(self.developer.secret_key.clone()),
        );
        settings.request_timeout = Duration::from_secs(10);
        settings.pacing = false;
        settings
    }

    /// SP-API settings for the demo app against this sandbox over HTTP, without pacing.
    pub fn spapi_settings(&self, app: &DemoApp) -> SpApiSettings {
        let credentials = LwaCredentials::new(
            LwaClientId::parse(&app.client_id).expect("the sandbox's client id is valid"),
            LwaClientSecret::parse(&app.client_secret).expect("the sandbox's secret is valid"),
        );
        let expires_on = self
            .now()
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .saturating_add(180.days());
        let mut settings = SpApiSettings::new(credentials, expires_on);
        settings.lwa_endpoint = format!("{}/auth/o2/token", self.url())
            .parse()
            .expect("LWA URL");
        settings.spapi_endpoint_override = Some(self.url().parse().expect("sandbox URL"));
        settings.request_timeout = Duration::from_secs(10);
        settings.pacing = false;
        settings.rate_scale = NO_THROTTLING;
        settings
    }
}

/// The settings of an importer's Amazon client, for one API.
#[derive(Clone)]
pub enum ClientSettings {
    /// An importer of MWS connections only.
    Mws(MwsSettings),
    /// An importer of both APIs, as the application runs one: SP-API with these settings, MWS with the sandbox's
    /// demo developer.
    SpApi(SpApiSettings),
}

impl ClientSettings {
    /// The sandbox's defaults for `api` (see [`Sandbox::mws_settings`], [`Sandbox::spapi_settings`]).
    pub fn of(api: Api, sandbox: &Sandbox, app: &DemoApp) -> Self {
        match api {
            Api::Mws => Self::Mws(sandbox.mws_settings()),
            Api::SpApi => Self::SpApi(sandbox.spapi_settings(app)),
        }
    }

    /// The same settings with `timeout` for every call.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        match &mut self {
            Self::Mws(settings) => settings.request_timeout = timeout,
            Self::SpApi(settings) => settings.request_timeout = timeout,
        }
        self
    }

    /// The gateway factory these settings make, its clock `clock`.
    pub fn factory(&self, sandbox: &Sandbox, clock: Arc<dyn Clock>) -> Arc<dyn GatewayFactory> {
        let mws = |settings: &MwsSettings| {
            MwsGatewayFactory::new(settings, clock.clone()).expect("valid MWS settings")
        };
        match self {
            Self::Mws(settings) => Arc::new(mws(settings)),
            Self::SpApi(settings) => {
                let spapi = SpApiGatewayFactory::new(settings, clock.clone())
                    .expect("valid SP-API settings");
                Arc::new(CombinedGatewayFactory::new(
                    Some(Arc::new(mws(&sandbox.mws_settings()))),
                    Some(Arc::new(spapi)),
                ))
            }
        }
    }
}

/// Test defaults: a lookback that covers every generated order, quick transient backoff.
pub fn import_config() -> ImportConfig {
    let mut config = ImportConfig::new(LeaseOwner::parse("test-worker").expect("valid owner"));
    config.initial_lookback = SignedDuration::from_hours(90 * 24);
    config.retry = RetryConfig {
        max_transient_attempts: 8,
        base_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(200),
        max_throttle_waits: 1000,
    };
    config
}

/// An importer over `store` reading `sandbox` with `settings`, its clock the sandbox's.
pub fn importer(
    store: &Store,
    sandbox: &Sandbox,
    keyring: Arc<Keyring>,
    settings: &ClientSettings,
    config: ImportConfig,
) -> Importer {
    let clock: Arc<dyn Clock> = Arc::new(sandbox.clock());
    let factory = settings.factory(sandbox, clock.clone());
    importer_with_factory(store, clock, keyring, factory, config)
}

/// An importer over `store` whose gateways `factory` builds, reading time from `clock`.
pub fn importer_with_factory(
    store: &Store,
    clock: Arc<dyn Clock>,
    keyring: Arc<Keyring>,
    factory: Arc<dyn GatewayFactory>,
    config: ImportConfig,
) -> Importer {
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    Importer::new(store.clone(), clock, Arc::new(credentials), factory, config)
}

/// A sandbox seller linked through one API to a store, with an importer without pacing.
pub struct World {
    pub api: Api,
    pub sandbox: Sandbox,
    pub db: Db,
    /// The sandbox's demo SP-API app as the importer knows it (unused by MWS worlds).
    pub app: DemoApp,
    pub linked: Linked,
    pub importer: Importer,
}

impl World {
    /// The first seller linked through MWS to a fresh SQLite store.
    pub async fn new(sandbox: Sandbox) -> Self {
        Self::on(Api::Mws, sandbox).await
    }

    /// The first seller of a sandbox started with `options`, linked through `api` to a fresh SQLite store.
    pub async fn start(api: Api, options: Options) -> Self {
        Self::on(api, Sandbox::start(options).await).await
    }

    /// The first seller linked through `api` to a fresh SQLite store.
    pub async fn on(api: Api, sandbox: Sandbox) -> Self {
        Self::with_db(api, sandbox, Db::sqlite().await).await
    }

    /// The first seller linked through `api` to the store of `db`.
    pub async fn with_db(api: Api, sandbox: Sandbox, db: Db) -> Self {
        let app = sandbox.demo_app().await;
        let seller = sandbox.seller(0).seller_id;
        let credential = api.grant_access(&sandbox, &seller).await;
        let linked = link(api, &db.store, &sandbox, &seller, &credential).await;
        let importer = importer(
            &db.store,
            &sandbox,
            linked.keyring.clone(),
            &ClientSettings::of(api, &sandbox, &app),
            import_config(),
        );
        Self {
            api,
            sandbox,
            db,
            app,
            linked,
            importer,
        }
    }

    pub fn store(&self) -> &Store {
        &self.db.store
    }

    pub fn id(&self) -> ConnectionId {
        self.linked.connection_id
    }

    /// The sandbox's default client settings for the world's API.
    pub fn settings(&self) -> ClientSettings {
        ClientSettings::of(self.api, &self.sandbox, &self.app)
    }

    /// Rebuilds the importer with `settings` (e.g. a shorter timeout, a rotated client secret), as a restarted
    /// worker would.
    pub fn reconfigure(&mut self, settings: &ClientSettings) {
        self.importer = importer(
            &self.db.store,
            &self.sandbox,
            self.linked.keyring.clone(),
            settings,
            import_config(),
        );
    }

    /// Stores a new credential for the connection (after the seller granted access again), as the app does.
    pub async fn replace_credential(&self, credential: &str) {
        let id = self.id();
        let stored = self
            .store()
            .connection(id)
            .await
            .expect("the connection exists");
        let audit = AuditEntry {
            merchant_id: stored.connection.merchant_id,
            connection_id: Some(id),
            actor: Actor::cli("test"),
            action: AuditAction::CredentialReplaced,
            at: self.sandbox.now(),
            before: None,
            after: None,
        };
        self.store()
            .replace_credential(
                id,
                &seal(&self.linked.keyring, id, credential),
                stored.version,
                &audit,
            )
            .await
            .expect("the credential is replaced");
    }

    /// Asserts the store holds exactly the sandbox's orders up to the watermark (amounts as the world's API spells
    /// them); returns the watermark.
    pub async fn assert_equal_to_sandbox(&self) -> Timestamp {
        let mark = watermark(self.store(), self.id())
            .await
            .expect("a watermark after a completed run");
        let orders = self.sandbox.orders(&self.linked.seller_id).await;
        assert_matches_through(self.api, self.store(), self.id(), &orders, mark).await;
        mark
    }
}
