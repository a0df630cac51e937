//! A store per test (temporary SQLite file, or a throwaway PostgreSQL database), a connected seller and an
//! importer wired like production: keyring-sealed credential, MWS client against the sandbox.

use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use secrecy::SecretString;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{
    AwsAccessKeyId, ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId,
};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_secrets::{Keyring, MasterKey};
use sellerlink_store::{LeaseOwner, SealedCredential, Store};
use sellerlink_sync::{
    ImportConfig, Importer, KeyringBuyerData, KeyringCredentials, MwsSettings, MwsSourceFactory,
    RetryConfig,
};
use sqlx::{Connection as _, PgConnection};

use crate::sandbox::Sandbox;

const PG_VARIABLE: &str = "TEST_DATABASE_URL";

/// A migrated store and what keeps it alive.
pub struct Db {
    pub store: Store,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

/// The application's buyer-data seal, under a fresh master key.
pub fn buyer_seal() -> Arc<KeyringBuyerData> {
    let key = MasterKey::generate().expect("a random master key");
    Arc::new(KeyringBuyerData::new(Arc::new(Keyring::new(key, []))))
}

impl Db {
    /// A fresh SQLite file.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("sellerlink.db").display());
        let store = Store::connect(&url)
            .await
            .expect("store opens")
            .with_buyer_seal(buyer_seal());
        store.migrate().await.expect("migrations apply");
        Self {
            store,
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    /// A throwaway PostgreSQL database, if `TEST_DATABASE_URL` is set.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var(PG_VARIABLE)
            .ok()
            .filter(|url| !url.trim().is_empty())?;
        let mut admin = PgConnection::connect(&admin_url).await.unwrap_or_else(|e| {
            panic!("{PG_VARIABLE} is set but PostgreSQL cannot be reached: {e}")
        });
        let name = format!("sl_sync_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create a throwaway database");
        admin.close().await.ok();
        let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        let url = url.to_string();
        let store = Store::connect(&url)
            .await
            .expect("store opens")
            .with_buyer_seal(buyer_seal());
        store.migrate().await.expect("migrations apply");
        Some(Self {
            store,
            url,
            _dir: None,
            pg: Some((admin_url, name)),
        })
    }

    /// Drops a PostgreSQL database (a no-op for SQLite, whose file goes with the temp dir).
    pub async fn drop_database(self) {
        self.store.close().await;
        if let Some((admin_url, name)) = self.pg {
            let mut admin = PgConnection::connect(&admin_url)
                .await
                .expect("admin connection");
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await
            .expect("drop the throwaway database");
            admin.close().await.ok();
        }
    }
}

/// A merchant and its connection to one sandbox seller, with the credential sealed as the app seals it.
pub struct Linked {
    pub connection_id: ConnectionId,
    pub seller_id: String,
    pub keyring: Arc<Keyring>,
    pub master_key: MasterKey,
}

/// Stores a merchant and a connection to `seller_id` with `token` sealed under a fresh master key.
pub async fn link(store: &Store, sandbox: &Sandbox, seller_id: &str, token: &str) -> Linked {
    link_with(
        store,
        sandbox,
        seller_id,
        token,
        MasterKey::generate().expect("randomness"),
    )
    .await
}

/// Stores a merchant and a connection to `seller_id` with `token` sealed under `master_key`.
pub async fn link_with(
    store: &Store,
    sandbox: &Sandbox,
    seller_id: &str,
    token: &str,
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
    let actor = Actor::cli("test");
    store
        .insert_merchant(
            &merchant,
            &AuditEntry {
                merchant_id: merchant.id,
                connection_id: None,
                actor: actor.clone(),
                action: AuditAction::MerchantCreated,
                at: now,
                before: None,
                after: None,
            },
        )
        .await
        .expect("merchant stored");
    let marketplaces: Vec<ConnectedMarketplace> = sandbox
        .seller_marketplaces(seller_id)
        .into_iter()
        .map(|id| ConnectedMarketplace { id, name: None })
        .collect();
    let connection = Connection {
        id: ConnectionId::new(),
        merchant_id: merchant.id,
        account: ApiAccount::Mws {
            seller_id: SellerId::parse(seller_id).expect("sandbox seller ids are valid"),
            developer_id: DeveloperId::parse(&sandbox.developer.developer_id)
                .expect("valid developer id"),
        },
        grant: AccessGrant::new(
            now,
            marketplaces[0].id.marketplace(),
            RenewalTerm::OneYear,
            true,
        ),
        marketplaces,
        verified_at: None,
        created_at: now,
    };
    let sealed = seal(&keyring, connection.id, token);
    store
        .insert_connection(
            &connection,
            &sealed,
            &AuditEntry {
                merchant_id: merchant.id,
                connection_id: Some(connection.id),
                actor,
                action: AuditAction::ConnectionCreated,
                at: now,
                before: None,
                after: None,
            },
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

/// Seals a token for a connection, bound to its row.
pub fn seal(keyring: &Keyring, connection_id: ConnectionId, token: &str) -> SealedCredential {
    let sealed = keyring
        .seal(
            &KeyringCredentials::context(connection_id),
            &SecretString::from(token.to_owned()),
        )
        .expect("sealing works");
    SealedCredential {
        kek_id: sealed.kek_id().to_string(),
        blob: sealed.to_bytes(),
    }
}

impl Sandbox {
    pub fn seller_marketplaces(&self, seller_id: &str) -> Vec<MarketplaceId> {
        let world = self.running.world();
        let world = sellerlink_sandbox::world::lock(&world);
        world
            .seller(seller_id)
            .expect("the seller exists")
            .marketplace_ids
            .iter()
            .map(|id| MarketplaceId::parse(id).expect("sandbox marketplaces are Amazon's"))
            .collect()
    }

    /// MWS settings for the demo developer against this sandbox over HTTP.
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
    settings: &MwsSettings,
    config: ImportConfig,
) -> Importer {
    let clock: Arc<dyn Clock> = Arc::new(sandbox.clock());
    let factory = MwsSourceFactory::new(settings, clock.clone()).expect("valid MWS settings");
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    Importer::new(
        store.clone(),
        clock,
        Arc::new(credentials),
        Arc::new(factory),
        config,
    )
}

/// A sandbox seller linked to a fresh SQLite store, with an importer without pacing.
pub struct World {
    pub sandbox: Sandbox,
    pub db: Db,
    pub linked: Linked,
    pub importer: Importer,
}

impl World {
    pub async fn new(sandbox: Sandbox) -> Self {
        Self::with_db(sandbox, Db::sqlite().await).await
    }

    pub async fn with_db(sandbox: Sandbox, db: Db) -> Self {
        let seller = sandbox.seller(0).seller_id;
        let token = sandbox.grant(&seller).await;
        let linked = link(&db.store, &sandbox, &seller, &token).await;
        let importer = importer(
            &db.store,
            &sandbox,
            linked.keyring.clone(),
            &sandbox.mws_settings(),
            import_config(),
        );
        Self {
            sandbox,
            db,
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
}
