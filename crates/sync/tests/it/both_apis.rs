//! One store and one importer for both APIs, as the application runs them: an MWS and an SP-API connection side by
//! side, and what each API calls a value imported as one.

use jiff::SignedDuration;
use sellerlink_sync::{ImportOutcome, Importer};
use serde_json::json;

use crate::compare::{assert_matches_through, stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{Api, ClientSettings, Db, Linked, import_config, importer, link_with};

/// Two sellers in one store: the first linked by SP-API, the second by MWS, and one importer for both.
struct BothApis {
    sandbox: Sandbox,
    db: Db,
    sp: Linked,
    mws: Linked,
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
        let (sp_seller, mws_seller) = (sandbox.seller(0).seller_id, sandbox.seller(1).seller_id);
        let master_key = sellerlink_secrets::MasterKey::generate().unwrap();
        let refresh_token = sandbox.authorize_app(&sp_seller).await;
        let sp = link_with(
            Api::SpApi,
            &db.store,
            &sandbox,
            &sp_seller,
            &refresh_token,
            master_key.clone(),
        )
        .await;
        let auth_token = sandbox.grant(&mws_seller).await;
        let mws = link_with(
            Api::Mws,
            &db.store,
            &sandbox,
            &mws_seller,
            &auth_token,
            master_key,
        )
        .await;
        let importer = importer(
            &db.store,
            &sandbox,
            sp.keyring.clone(),
            &ClientSettings::of(Api::SpApi, &sandbox, &app),
            import_config(),
        );
        Self {
            sandbox,
            db,
            sp,
            mws,
            importer,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_importer_serves_an_mws_and_an_spapi_connection() {
    let BothApis {
        sandbox,
        db,
        sp,
        mws,
        importer,
    } = BothApis::start(13, 150).await;

    for linked in [&sp, &mws] {
        let report = importer.run_once(linked.connection_id).await.unwrap();
        assert_eq!(
            report.outcome,
            ImportOutcome::Completed,
            "{:?}",
            report.error
        );
        let mark = watermark(&db.store, linked.connection_id).await.unwrap();
        let orders = sandbox.orders(&linked.seller_id).await;
        let api = if linked.connection_id == sp.connection_id {
            assert_eq!(report.item_calls, 0, "SP-API pages carry the items");
            Api::SpApi
        } else {
            assert!(report.item_calls > 0, "MWS lists items order by order");
            Api::Mws
        };
        assert_matches_through(api, &db.store, linked.connection_id, &orders, mark).await;
    }
    let log = sandbox.requests().await;
    assert!(
        log.iter().all(|entry| entry.status == 200),
        "no call was refused"
    );
}

/// MWS says `COD` / `CVS`, Orders 2026-01-01 says `CashOnDelivery` / `ConvenienceStore`: both import as one value.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_methods_of_both_apis_import_as_one_value() {
    let BothApis {
        sandbox,
        db,
        sp,
        mws,
        importer,
    } = BothApis::start(14, 10).await;
    let mut placed = Vec::new();
    for linked in [&sp, &mws] {
        for method in ["COD", "CVS"] {
            let view = sandbox
                .post(
                    &format!("/_sandbox/sellers/{}/orders", linked.seller_id),
                    json!({ "payment_method": method, "items": [{ "sku": "PAY-1", "quantity": 1, "unit_price": 700 }] }),
                )
                .await;
            let id = view["amazon_order_id"].as_str().unwrap().to_owned();
            placed.push((linked.connection_id, id, method));
        }
    }
    sandbox.advance(SignedDuration::from_mins(3)).await;
    for linked in [&sp, &mws] {
        let report = importer.run_once(linked.connection_id).await.unwrap();
        assert_eq!(
            report.outcome,
            ImportOutcome::Completed,
            "{:?}",
            report.error
        );
    }
    for (connection, id, method) in placed {
        let stored = &stored_orders(&db.store, connection).await[&id];
        assert_eq!(
            serde_json::to_value(&stored.order.payment_method).unwrap(),
            json!(method),
            "{id} ({method})"
        );
    }
}
