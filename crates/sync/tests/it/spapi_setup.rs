//! The SP-API twin of `setup`: a seller authorizes the sandbox's demo app, the connection stores its sealed LWA
//! refresh token, and one importer (through the combined factory) serves it next to MWS connections.

use std::sync::Arc;
use std::time::Duration;

use jiff::{Timestamp, ToSpan as _};
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::clock::Clock;
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{ConnectionId, MerchantId, SellingPartnerId};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_secrets::{Keyring, MasterKey};
use sellerlink_spapi::{LwaClientId, LwaClientSecret, LwaCredentials};
use sellerlink_store::Store;
use sellerlink_sync::{
    CombinedSourceFactory, ImportConfig, Importer, KeyringCredentials, MwsSourceFactory,
    SpApiSettings, SpApiSourceFactory,
};
use serde_json::json;

use crate::compare::assert_matches;
use crate::sandbox::{OrderView, Sandbox};
use crate::setup::{Db, Linked, import_config, seal};

/// The sandbox's demo app as the operator configures it.
#[derive(Debug, Clone)]
pub struct DemoApp {
    pub application_id: String,
    pub client_id: String,
    pub client_secret: String,
}

impl Sandbox {
    /// The demo app with its current client secret.
    pub async fn demo_app(&self) -> DemoApp {
        let id = self.running.demo_app().application_id;
        let view = self.get(&format!("/_sandbox/apps/{id}")).await;
        DemoApp {
            application_id: id,
            client_id: view["client_id"].as_str().expect("client id").to_owned(),
            client_secret: view["client_secret"]
                .as_str()
                .expect("client secret")
                .to_owned(),
        }
    }

    /// The seller authorizes the demo app (self-authorization); returns the new refresh token.
    pub async fn authorize_app(&self, seller_id: &str) -> String {
        let issued = self
            .post(
                "/_sandbox/authorizations",
                json!({ "seller_id": seller_id }),
            )
            .await;
        issued["refresh_token"]
            .as_str()
            .expect("a refresh token")
            .to_owned()
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
        settings.rate_scale = crate::sandbox::NO_THROTTLING;
        settings
    }
}

/// Stores a merchant and an SP-API connection to `seller_id` with `refresh_token` sealed under a fresh key.
pub async fn link_spapi(
    store: &Store,
    sandbox: &Sandbox,
    seller_id: &str,
    refresh_token: &str,
) -> Linked {
    let master_key = MasterKey::generate().expect("randomness");
    link_spapi_with(store, sandbox, seller_id, refresh_token, master_key).await
}

/// Stores a merchant and an SP-API connection to `seller_id` with `refresh_token` sealed under `master_key`.
pub async fn link_spapi_with(
    store: &Store,
    sandbox: &Sandbox,
    seller_id: &str,
    refresh_token: &str,
    master_key: MasterKey,
) -> Linked {
    let now = sandbox.now();
    let keyring = Arc::new(Keyring::new(master_key.clone(), []));
    let merchant = Merchant {
        id: MerchantId::new(),
        name: MerchantName::parse(&format!("荷主 SP {seller_id}")).expect("valid name"),
        language: Language::Ja,
        created_at: now,
    };
    let audit = |merchant_id, connection_id, action| AuditEntry {
        merchant_id,
        connection_id,
        actor: Actor::cli("test"),
        action,
        at: now,
        before: None,
        after: None,
    };
    store
        .insert_merchant(
            &merchant,
            &audit(merchant.id, None, AuditAction::MerchantCreated),
        )
        .await
        .expect("merchant stored");
    let marketplaces: Vec<ConnectedMarketplace> = sandbox
        .seller_marketplaces(seller_id)
        .into_iter()
        .map(|id| ConnectedMarketplace { id, name: None })
        .collect();
    let home = marketplaces[0].id.marketplace();
    let connection = Connection {
        id: ConnectionId::new(),
        merchant_id: merchant.id,
        account: ApiAccount::SpApi {
            selling_partner_id: SellingPartnerId::parse(seller_id)
                .expect("sandbox seller ids are valid"),
            region: home.region,
        },
        grant: AccessGrant::new(now, home, RenewalTerm::Days365, true),
        marketplaces,
        verified_at: None,
        created_at: now,
    };
    store
        .insert_connection(
            &connection,
            &seal(&keyring, connection.id, refresh_token),
            &audit(
                merchant.id,
                Some(connection.id),
                AuditAction::ConnectionCreated,
            ),
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

/// One importer for both APIs: MWS with the demo developer's keys, SP-API with `settings`.
pub fn both_apis_importer(
    store: &Store,
    sandbox: &Sandbox,
    keyring: Arc<Keyring>,
    settings: &SpApiSettings,
    config: ImportConfig,
) -> Importer {
    let clock: Arc<dyn Clock> = Arc::new(sandbox.clock());
    let mws =
        MwsSourceFactory::new(&sandbox.mws_settings(), clock.clone()).expect("valid MWS settings");
    let spapi = SpApiSourceFactory::new(settings, clock.clone()).expect("valid SP-API settings");
    let factory = CombinedSourceFactory::new(Some(Arc::new(mws)), Some(Arc::new(spapi)));
    let credentials = KeyringCredentials::new(store.clone(), keyring);
    Importer::new(
        store.clone(),
        clock,
        Arc::new(credentials),
        Arc::new(factory),
        config,
    )
}

/// A sandbox seller who authorized the demo app, linked to a fresh SQLite store, with an unpaced importer.
pub struct SpApiWorld {
    pub sandbox: Sandbox,
    pub db: Db,
    pub app: DemoApp,
    pub linked: Linked,
    pub importer: Importer,
}

impl SpApiWorld {
    pub async fn new(sandbox: Sandbox) -> Self {
        let db = Db::sqlite().await;
        let app = sandbox.demo_app().await;
        let seller = sandbox.seller(0).seller_id;
        let refresh_token = sandbox.authorize_app(&seller).await;
        let linked = link_spapi(&db.store, &sandbox, &seller, &refresh_token).await;
        let importer = both_apis_importer(
            &db.store,
            &sandbox,
            linked.keyring.clone(),
            &sandbox.spapi_settings(&app),
            import_config(),
        );
        Self {
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

    /// Rebuilds the importer with `settings` (e.g. a rotated client secret), as a restarted worker would.
    pub fn reconfigure(&mut self, settings: &SpApiSettings) {
        self.importer = both_apis_importer(
            &self.db.store,
            &self.sandbox,
            self.linked.keyring.clone(),
            settings,
            import_config(),
        );
    }

    /// Stores a new refresh token for the connection (after the seller re-authorized), as the app does.
    pub async fn replace_refresh_token(&self, refresh_token: &str) {
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
                &seal(&self.linked.keyring, id, refresh_token),
                stored.version,
                &audit,
            )
            .await
            .expect("the credential is replaced");
    }

    /// Asserts the store equals the sandbox up to the watermark (see [`assert_matches_spapi`]).
    pub async fn assert_equal_to_sandbox(&self) -> Timestamp {
        let mark = crate::compare::watermark(self.store(), self.id())
            .await
            .expect("a watermark after a completed run");
        let orders = self.sandbox.orders(&self.linked.seller_id).await;
        assert_matches_spapi(self.store(), self.id(), &orders, mark).await;
        mark
    }
}

/// A decimal amount in its shortest spelling: `1507.00` → `1507`, `12.50` → `12.5`. SP-API 2026-01-01 sends
/// amounts that way (whole yen without decimals) while the sandbox's control view and MWS write two decimals.
pub fn shortest_amount(amount: &str) -> String {
    match amount.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_owned()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => amount.to_owned(),
    }
}

/// [`assert_matches`] for an SP-API connection: the same checks, with the sandbox's amounts spelled as SP-API
/// spells them.
pub async fn assert_matches_spapi(
    store: &Store,
    connection: ConnectionId,
    sandbox: &[OrderView],
    watermark: Timestamp,
) {
    let spelled: Vec<OrderView> = sandbox
        .iter()
        .cloned()
        .map(|mut view| {
            view.order_total = shortest_amount(&view.order_total);
            for item in &mut view.items {
                item.item_price = shortest_amount(&item.item_price);
            }
            view
        })
        .collect();
    assert_matches(store, connection, &spelled, watermark).await;
}

#[test]
fn amounts_are_compared_in_their_shortest_spelling() {
    assert_eq!(shortest_amount("1507.00"), "1507");
    assert_eq!(shortest_amount("12.50"), "12.5");
    assert_eq!(shortest_amount("330"), "330");
    assert_eq!(shortest_amount("0.05"), "0.05");
}
