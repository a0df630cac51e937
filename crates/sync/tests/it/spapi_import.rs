//! An SP-API import equals the sandbox exactly and follows its changes; one importer serves both APIs.

use std::sync::Arc;

use jiff::SignedDuration;
use sellerlink_sync::source::OrderSource as _;
use sellerlink_sync::{
    CredentialOpener as _, ImportOutcome, Importer, KeyringCredentials, SpApiSourceFactory,
    VerifyOutcome,
};
use serde_json::json;

use crate::compare::{assert_matches, stored_orders, watermark};
use crate::sandbox::{Options, Sandbox};
use crate::setup::{Db, Linked, import_config, link_with};
use crate::spapi_setup::{SpApiWorld, both_apis_importer, link_spapi_with};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_spapi_import_equals_the_sandbox_and_follows_its_changes() {
    let world = SpApiWorld::new(
        Sandbox::start(Options {
            seed: 12,
            orders: 300,
            ..Options::default()
        })
        .await,
    )
    .await;
    let id = world.id();
    let seller = world.linked.seller_id.clone();

    // 1. The first import: every order with its items, straight from searchOrders' pages.
    let first = world.importer.run_once(id).await.unwrap();
    assert_eq!(first.outcome, ImportOutcome::Completed, "{:?}", first.error);
    let mark = world.assert_equal_to_sandbox().await;
    assert_eq!(first.watermark, Some(mark));
    let lag = world.sandbox.now().duration_since(mark);
    assert!(
        lag >= SignedDuration::from_secs(120) && lag < SignedDuration::from_secs(150),
        "the window ends at Amazon's now − 2 min (lastUpdatedBefore), it ended {lag:#} ago"
    );
    let stored = stored_orders(world.store(), id).await.len() as u64;
    assert!(
        stored > 200,
        "the generated history is imported ({stored} orders)"
    );
    assert_eq!((first.orders_new, first.orders_changed), (stored, 0));
    assert_eq!(
        first.item_calls, 0,
        "searchOrders carries the items; no order is fetched again"
    );
    assert!(first.pages >= 3, "several pages of 100 ({})", first.pages);

    // 2. The seller keeps selling: two orders are placed; then one of them is cancelled.
    let mut placed = Vec::new();
    for sku in ["SPAPI-TEA-01", "SPAPI-CUP-02"] {
        let order = world
            .sandbox
            .post(
                &format!("/_sandbox/sellers/{seller}/orders"),
                json!({ "items": [
                    { "sku": sku, "quantity": 2, "unit_price": 1200 },
                    { "sku": "SPAPI-BAG-03", "quantity": 1, "unit_price": 800 }
                ]}),
            )
            .await;
        placed.push(order["amazon_order_id"].as_str().unwrap().to_owned());
    }
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let second = world.importer.run_once(id).await.unwrap();
    assert_eq!(
        second.outcome,
        ImportOutcome::Completed,
        "{:?}",
        second.error
    );
    assert_eq!((second.orders_new, second.orders_changed), (2, 0));
    world.assert_equal_to_sandbox().await;
    world
        .sandbox
        .post(
            &format!("/_sandbox/sellers/{seller}/orders/{}/status", placed[0]),
            json!({ "status": "Canceled" }),
        )
        .await;
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let third = world.importer.run_once(id).await.unwrap();
    assert_eq!(third.outcome, ImportOutcome::Completed, "{:?}", third.error);
    assert_eq!((third.orders_new, third.orders_changed), (0, 1));
    world.assert_equal_to_sandbox().await;
    let stored = stored_orders(world.store(), id).await;
    assert_eq!(stored[&placed[0]].order.status.as_str(), "Canceled");
    assert_eq!(stored[&placed[1]].order.status.as_str(), "Unshipped");
    assert_eq!(stored[&placed[1]].order.items.len(), 2);

    // 3. Nothing changed: a run writes nothing.
    world.sandbox.advance(SignedDuration::from_mins(5)).await;
    let fourth = world.importer.run_once(id).await.unwrap();
    assert_eq!(fourth.outcome, ImportOutcome::Completed);
    assert_eq!((fourth.orders_new, fourth.orders_changed), (0, 0));

    // 4. Verification through getMarketplaceParticipations records Amazon's marketplace name.
    let VerifyOutcome::Verified(verified) = world.importer.verify_connection(id).await.unwrap()
    else {
        panic!("the authorization verifies");
    };
    assert!(verified.missing_marketplaces.is_empty());
    let connection = world.store().connection(id).await.unwrap().connection;
    assert_eq!(
        connection.marketplaces[0].name.as_deref(),
        Some("Amazon.co.jp")
    );
    assert!(connection.verified_at.is_some());

    // 5. getOrder gives an order's items one by one (the engine never needs it: pages carry them).
    let credential = KeyringCredentials::new(world.store().clone(), world.linked.keyring.clone())
        .open(id)
        .await
        .unwrap();
    let factory = SpApiSourceFactory::new(
        &world.sandbox.spapi_settings(&world.app),
        Arc::new(world.sandbox.clock()),
    )
    .unwrap();
    let source = factory.spapi_source(&connection, &credential).unwrap();
    let order = &stored_orders(world.store(), id).await[&placed[1]].order;
    let items = source.order_items(&order.amazon_order_id).await.unwrap();
    assert_eq!(items, order.items);
}

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
        let sp = link_spapi_with(
            &db.store,
            &sandbox,
            &sp_seller,
            &refresh_token,
            master_key.clone(),
        )
        .await;
        let auth_token = sandbox.grant(&mws_seller).await;
        let mws = link_with(&db.store, &sandbox, &mws_seller, &auth_token, master_key).await;
        let importer = both_apis_importer(
            &db.store,
            &sandbox,
            sp.keyring.clone(),
            &sandbox.spapi_settings(&app),
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
        if linked.connection_id == sp.connection_id {
            assert_eq!(report.item_calls, 0, "SP-API pages carry the items");
            crate::spapi_setup::assert_matches_spapi(
                &db.store,
                linked.connection_id,
                &orders,
                mark,
            )
            .await;
        } else {
            assert!(report.item_calls > 0, "MWS lists items order by order");
            assert_matches(&db.store, linked.connection_id, &orders, mark).await;
        }
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
