//! One store and one importer for both APIs, as the application runs them: an MWS and an SP-API connection side by
//! side, and what each API calls a value imported as one.

use jiff::SignedDuration;
use sellerlink_sync::{ImportOutcome, Importer, SyncReport};
use serde_json::json;

use crate::compare::{assert_matches_through, stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, ClientSettings, Db, Linked, import_config, importer, link_with};

/// Two sellers in one store: the first linked by SP-API, the second by MWS (both credentials sealed under one master
/// key), and one importer for both.
struct BothApis {
    sandbox: Sandbox,
    db: Db,
    connections: Vec<(Api, Linked)>,
    importer: Importer,
}

impl BothApis {
    async fn start(seed: u64, orders: usize) -> Self {
        let sandbox = Sandbox::start(Options {
            seed,
            sellers: 2,
            orders,
            ..Options::default()
        })
        .await;
        let db = Db::sqlite().await;
        let app = sandbox.demo_app().await;
        let master_key = sellerlink_secrets::MasterKey::generate().unwrap();
        let mut connections = Vec::new();
        for (index, api) in [Api::SpApi, Api::Mws].into_iter().enumerate() {
            let seller = sandbox.seller(index).seller_id;
            let credential = api.grant_access(&sandbox, &seller).await;
            let key = master_key.clone();
            let linked = link_with(api, &db.store, &sandbox, &seller, &credential, key).await;
            connections.push((api, linked));
        }
        let importer = importer(
            &db.store,
            &sandbox,
            connections[0].1.keyring.clone(),
            &ClientSettings::of(Api::SpApi, &sandbox, &app),
            import_config(),
        );
        Self {
            sandbox,
            db,
            connections,
            importer,
        }
    }

    /// The two connections with their APIs, SP-API's first.
    fn connections(&self) -> impl Iterator<Item = (Api, &Linked)> {
        self.connections.iter().map(|(api, linked)| (*api, linked))
    }

    /// Imports each connection once with the one importer; every run completes.
    async fn import_each(&self) -> Vec<(Api, &Linked, SyncReport)> {
        let mut reports = Vec::new();
        for (api, linked) in self.connections() {
            let report = self.importer.run_once(linked.connection_id).await.unwrap();
            assert_eq!(
                report.outcome,
                ImportOutcome::Completed,
                "{api:?}: {:?}",
                report.error
            );
            reports.push((api, linked, report));
        }
        reports
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_importer_serves_an_mws_and_an_spapi_connection() {
    let both = BothApis::start(13, 150).await;
    for (api, linked, report) in both.import_each().await {
        match api {
            Api::SpApi => assert_eq!(report.item_calls, 0, "SP-API pages carry the items"),
            Api::Mws => assert!(report.item_calls > 0, "MWS lists items order by order"),
        }
        let mark = watermark(&both.db.store, linked.connection_id)
            .await
            .unwrap();
        let orders = both.sandbox.orders(&linked.seller_id).await;
        assert_matches_through(api, &both.db.store, linked.connection_id, &orders, mark).await;
    }
    let log = both.sandbox.requests().await;
    assert!(
        log.iter().all(|entry| entry.status == 200),
        "no call was refused"
    );
}

/// MWS says `COD` / `CVS`, Orders 2026-01-01 says `CashOnDelivery` / `ConvenienceStore`: both import as one value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_methods_of_both_apis_import_as_one_value() {
    let both = BothApis::start(14, 10).await;
    let mut placed = Vec::new();
    for (_, linked) in both.connections() {
        for method in ["COD", "CVS"] {
            let view = both
                .sandbox
                .control
                .place_order(
                    &linked.seller_id,
                    json!({ "payment_method": method, "items": [{ "sku": "PAY-1", "quantity": 1, "unit_price": 700 }] }),
                )
                .await;
            let id = view["amazon_order_id"].as_str().unwrap().to_owned();
            placed.push((linked.connection_id, id, method));
        }
    }
    both.sandbox.advance(SignedDuration::from_mins(3)).await;
    both.import_each().await;
    for (connection, id, method) in placed {
        let stored = &stored_orders(&both.db.store, connection).await[&id];
        assert_eq!(
            serde_json::to_value(&stored.order.payment_method).unwrap(),
            json!(method),
            "{id} ({method})"
        );
    }
}
