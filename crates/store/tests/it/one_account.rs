//! One connection per seller account and region (migration 0600): a database of the old shape, where the same seller
//! was connected through MWS and through SP-API, is merged into one connection by `Store::migrate`.

use std::path::Path;

use jiff::Timestamp;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::Connection;
use sellerlink_store::{
    AuditFilter, Engine, NewShipment, OrderQuery, ShipmentFilter, ShipmentId, ShipmentLine,
    StockFilter, StoreError, SyncStream, SyncWatermark,
};
use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};

use crate::fixtures::{
    add_connection, add_merchant, at, entry, mws_connection, order, order_id, sealed,
    spapi_connection,
};
use crate::harness::Db;

/// The last migration before 0600.
const OLD_SCHEMA: i64 = 500;

/// The order quarantine's migration.
const QUARANTINE: i64 = 700;

/// Applies the migrations up to [`OLD_SCHEMA`] (and [`QUARANTINE`]) (copies of the store's own files), as an older sellerlink did.
async fn migrate_to_old_schema(db: &Db) {
    let engine = db.engine().name();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(engine);
    let old = tempfile::tempdir().unwrap();
    for file in std::fs::read_dir(&source).unwrap() {
        let path = file.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let version: i64 = name[..4].parse().unwrap();
        // The order quarantine (0700) and sealed buyer data (0800) are independent of 0600; today's order writes
        // need both.
        if version <= OLD_SCHEMA || version == QUARANTINE || version == 800 {
            std::fs::copy(&path, old.path().join(&name)).unwrap();
        }
    }
    let migrator = Migrator::new(old.path()).await.unwrap();
    match db.engine() {
        Engine::Sqlite => {
            let pool = SqlitePool::connect(db.url()).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
        Engine::Postgres => {
            let pool = PgPool::connect(db.url()).await.unwrap();
            migrator.run(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

/// Inserts a connection row as the old schema stored it (no `account_region`).
async fn insert_old_connection(db: &Db, connection: &Connection) {
    let row = serde_json::to_value(connection).unwrap();
    let (api, developer, region) = match &row["account"]["api"] {
        api if api == "mws" => (
            "mws",
            format!("'{}'", connection_developer(&row)),
            "NULL".to_owned(),
        ),
        _ => ("sp_api", "NULL".to_owned(), "'fe'".to_owned()),
    };
    let grant = &connection.grant;
    let expires_on = grant
        .expires_on()
        .map_or("NULL".to_owned(), |d| format!("'{d}'"));
    let blob = match db.engine() {
        Engine::Sqlite => "X'0102'",
        Engine::Postgres => "'\\x0102'::bytea",
    };
    let sql = format!(
        "INSERT INTO connections (id, merchant_id, api, seller_id, developer_id, region, marketplaces_json, \
         granted_at_ms, last_approved_on, expiry_enabled, expires_on, term, time_zone, verified_at_ms, created_at_ms, \
         version, credential_kek_id, credential_blob) VALUES ('{id}', '{merchant}', '{api}', '{seller}', {developer}, \
         {region}, '{marketplaces}', {granted}, '{approved}', {enabled}, {expires_on}, {term}, '{zone}', {verified}, \
         {created}, 1, 'kek-1', {blob})",
        id = connection.id,
        merchant = connection.merchant_id,
        seller = connection.account.seller_id().as_str(),
        marketplaces = serde_json::to_string(&connection.marketplaces).unwrap(),
        granted = grant.granted_at.as_millisecond(),
        approved = grant.last_approved_on,
        enabled = if grant.expires_on().is_some() {
            "TRUE"
        } else {
            "FALSE"
        },
        term = serde_json::to_value(grant.term)
            .unwrap()
            .to_string()
            .replace('"', "'"),
        zone = grant.time_zone,
        verified = connection
            .verified_at
            .map_or("NULL".to_owned(), |t| t.as_millisecond().to_string()),
        created = connection.created_at.as_millisecond(),
    );
    db.execute(&sql).await;
}

fn connection_developer(row: &serde_json::Value) -> String {
    row["account"]["developer_id"]
        .as_str()
        .unwrap()
        .replace('-', "")
}

fn shipment(connection: &Connection, order: u32, tracking: &str) -> NewShipment {
    NewShipment {
        id: ShipmentId::new(),
        connection_id: connection.id,
        amazon_order_id: order_id(order),
        carrier: "Yamato Transport".to_owned(),
        shipping_method: None,
        tracking_number: tracking.to_owned(),
        ship_date: at("2026-02-20T01:00:00Z"),
        lines: vec![ShipmentLine {
            order_item_id: format!("{:014}", u64::from(order) * 10 + 1),
            quantity: 1,
        }],
    }
}

async fn queue(db: &Db, connection: &Connection, order: u32, tracking: &str) {
    let now = at("2026-02-20T02:00:00Z");
    db.store
        .queue_shipment(
            &shipment(connection, order, tracking),
            now,
            &entry(
                connection.merchant_id,
                Some(connection.id),
                AuditAction::ShipmentQueued,
                now,
            ),
        )
        .await
        .unwrap();
}

async fn watermark(db: &Db, connection: &Connection, mark: &str) {
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: at(mark),
    };
    db.store
        .set_watermark(connection.id, &watermark, at(mark))
        .await
        .unwrap();
}

fn t(text: &str) -> Timestamp {
    at(text)
}

async fn duplicates_of_one_seller_merge_into_one_connection(db: Db) {
    migrate_to_old_schema(&db).await;
    let takumi = add_merchant(&db.store, "匠工房").await;
    // Seller 1 connected twice: MWS (verified 2018) and SP-API (verified 2026, so it stays); seller 2 once.
    let mws = mws_connection(takumi.id, 1);
    let spapi = Connection {
        verified_at: Some(t("2026-02-01T00:05:00Z")),
        ..spapi_connection(takumi.id, 1)
    };
    let other = mws_connection(takumi.id, 2);
    for connection in [&mws, &spapi, &other] {
        insert_old_connection(&db, connection).await;
    }

    // Orders 1 and 2 on both (1 newer through SP-API, 2 newer through MWS), 3 only on MWS, 4 only on SP-API.
    let purchased = t("2026-02-10T00:00:00Z");
    let now = t("2026-02-15T00:00:00Z");
    let mut newer_two = order(2, purchased, t("2026-02-14T00:00:00Z"));
    newer_two.items.truncate(1);
    db.store
        .upsert_orders(
            mws.id,
            &[
                order(1, purchased, t("2026-02-11T00:00:00Z")),
                newer_two,
                order(3, purchased, t("2026-02-11T00:00:00Z")),
            ],
            now,
            None,
        )
        .await
        .unwrap();
    db.store
        .upsert_orders(
            spapi.id,
            &[
                order(1, purchased, t("2026-02-13T00:00:00Z")),
                order(2, purchased, t("2026-02-12T00:00:00Z")),
                order(4, purchased, t("2026-02-11T00:00:00Z")),
            ],
            now,
            None,
        )
        .await
        .unwrap();
    // Shipments: the same parcel of order 1 recorded through both, and one more through each.
    queue(&db, &mws, 1, "1234-5678-0001").await;
    queue(&db, &mws, 3, "1234-5678-0003").await;
    queue(&db, &spapi, 1, "1234-5678-0001").await;
    queue(&db, &spapi, 4, "1234-5678-0004").await;
    // Stock: SKU X set last through MWS; Y and Z only on one side.
    db.store
        .set_stock_levels(
            spapi.id,
            &[("X".into(), 7), ("Z".into(), 2)],
            t("2026-02-15T09:00:00Z"),
        )
        .await
        .unwrap();
    db.store
        .set_stock_levels(
            mws.id,
            &[("X".into(), 5), ("Y".into(), 1)],
            t("2026-02-15T10:00:00Z"),
        )
        .await
        .unwrap();
    watermark(&db, &mws, "2026-02-10T00:00:00Z").await;
    watermark(&db, &spapi, "2026-02-12T00:00:00Z").await;
    db.store.start_sync_run(mws.id, now).await.unwrap();
    db.store.start_sync_run(spapi.id, now).await.unwrap();
    db.store.migrate().await.unwrap();

    // One connection for seller 1: the SP-API one; seller 2 untouched.
    assert!(matches!(
        db.store.connection(mws.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(
        db.store.connection(spapi.id).await.unwrap().connection,
        spapi
    );
    assert_eq!(
        db.store.connection(other.id).await.unwrap().connection,
        other
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM connections WHERE account_region IS NULL OR id = $1",
            &mws.id.to_string()
        )
        .await,
        0
    );

    // Each order once, on the kept connection, the newest snapshot with its own items.
    let orders = db
        .store
        .orders(&OrderQuery {
            limit: 100,
            ..OrderQuery::default()
        })
        .await
        .unwrap();
    let mut seen: Vec<(String, Timestamp, usize)> = orders
        .iter()
        .map(|stored| {
            assert_eq!(stored.connection_id, spapi.id);
            (
                stored.order.amazon_order_id.as_str().to_owned(),
                stored.order.last_update_date,
                stored.order.items.len(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (
                order_id(1).as_str().to_owned(),
                t("2026-02-13T00:00:00Z"),
                2
            ),
            (
                order_id(2).as_str().to_owned(),
                t("2026-02-14T00:00:00Z"),
                1
            ),
            (
                order_id(3).as_str().to_owned(),
                t("2026-02-11T00:00:00Z"),
                2
            ),
            (
                order_id(4).as_str().to_owned(),
                t("2026-02-11T00:00:00Z"),
                2
            ),
        ]
    );

    // Every shipment kept on the kept connection; the parcel recorded twice, once.
    let shipments = db
        .store
        .shipments(&ShipmentFilter::default())
        .await
        .unwrap();
    let mut parcels: Vec<&str> = shipments
        .iter()
        .map(|s| {
            assert_eq!(s.connection_id, spapi.id);
            s.tracking_number.as_str()
        })
        .collect();
    parcels.sort_unstable();
    assert_eq!(
        parcels,
        ["1234-5678-0001", "1234-5678-0003", "1234-5678-0004"]
    );

    // Stock: per SKU the quantity set last.
    let stock: Vec<(String, u32)> = db
        .store
        .stock_levels(&StockFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|level| {
            assert_eq!(level.connection_id, spapi.id);
            (level.sku, level.quantity)
        })
        .collect();
    assert_eq!(
        stock,
        [
            ("X".to_owned(), 5),
            ("Y".to_owned(), 1),
            ("Z".to_owned(), 2)
        ]
    );

    // The older watermark, both sync runs, and the audit log re-pointed with the merge recorded.
    let mark = db
        .store
        .watermark(spapi.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mark.watermark.last_updated_after, t("2026-02-10T00:00:00Z"));
    assert_eq!(db.store.sync_runs(spapi.id, 10).await.unwrap().len(), 2);
    let removed_audit = db
        .store
        .audit_entries(&AuditFilter {
            connection: Some(mws.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(removed_audit.is_empty(), "{removed_audit:?}");
    let audit: Vec<AuditAction> = db
        .store
        .audit_entries(&AuditFilter {
            connection: Some(spapi.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .iter()
        .map(|record| record.entry.action)
        .collect();
    assert_eq!(audit[0], AuditAction::ConnectionsMerged, "{audit:?}");
    let queued = audit
        .iter()
        .filter(|a| **a == AuditAction::ShipmentQueued)
        .count();
    assert_eq!(
        queued, 4,
        "every queued entry, including the dropped twin's"
    );

    // Idempotent, and the rule now holds: seller 2's account in the Far East cannot get a second connection.
    db.store.migrate().await.unwrap();
    assert_eq!(
        db.store
            .connections(&Default::default())
            .await
            .unwrap()
            .len(),
        2
    );
    let second = spapi_connection(takumi.id, 2);
    let refused = db
        .store
        .insert_connection(
            &second,
            &sealed("kek-1", b"x"),
            &crate::fixtures::connected(&second),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(refused, StoreError::Duplicate { .. }),
        "{refused:?}"
    );
    add_connection(&db.store, &spapi_connection(takumi.id, 3)).await;
}

on_both_engines!(empty: duplicates_of_one_seller_merge_into_one_connection);

async fn switching_api_keeps_the_connection_and_requeues_work_in_flight(db: Db) {
    let takumi = add_merchant(&db.store, "匠工房").await;
    let mws = mws_connection(takumi.id, 1);
    add_connection(&db.store, &mws).await;
    let now = t("2026-02-15T00:00:00Z");
    db.store
        .upsert_orders(mws.id, &[order(1, now, now)], now, None)
        .await
        .unwrap();
    queue(&db, &mws, 1, "1234-5678-0001").await;
    let queued = db
        .store
        .shipments(&ShipmentFilter::default())
        .await
        .unwrap();
    db.store
        .shipment_submitted(queued[0].id, Some("50001"), now, now)
        .await
        .unwrap();
    watermark(&db, &mws, "2026-02-14T00:00:00Z").await;

    let after = Connection {
        verified_at: Some(now),
        ..Connection {
            id: mws.id,
            created_at: mws.created_at,
            ..spapi_connection(takumi.id, 1)
        }
    };
    let stored = db.store.connection(mws.id).await.unwrap();
    let audit = entry(takumi.id, Some(mws.id), AuditAction::ApiSwitched, now);
    let credential = sealed("kek-1", b"refresh");
    // A sync run changes the row meanwhile: the switch read before it is refused.
    db.store
        .update_connection(
            &mws,
            stored.version,
            &entry(
                takumi.id,
                Some(mws.id),
                AuditAction::ConnectionVerified,
                now,
            ),
        )
        .await
        .unwrap();
    let stale = db
        .store
        .switch_api(&after, stored.version, &credential, &audit)
        .await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    let current = db.store.connection(mws.id).await.unwrap().version;
    db.store
        .switch_api(&after, current, &credential, &audit)
        .await
        .unwrap();

    assert_eq!(db.store.connection(mws.id).await.unwrap().connection, after);
    assert_eq!(db.store.credential(mws.id).await.unwrap().blob, b"refresh");
    assert_eq!(
        db.store.orders(&OrderQuery::default()).await.unwrap().len(),
        1
    );
    let shipment = &db
        .store
        .shipments(&ShipmentFilter::default())
        .await
        .unwrap()[0];
    assert_eq!(
        (shipment.state, shipment.feed_submission_id.as_deref()),
        (sellerlink_store::ShipmentState::Queued, None),
        "an MWS feed cannot be asked about through SP-API"
    );
    let mark = db
        .store
        .watermark(mws.id, &SyncStream::orders())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mark.watermark.last_updated_after, t("2026-02-14T00:00:00Z"));
    // Switching to the API the connection already uses is not a switch.
    let same = db
        .store
        .switch_api(
            &after,
            db.store.connection(mws.id).await.unwrap().version,
            &credential,
            &audit,
        )
        .await;
    assert!(matches!(same, Err(StoreError::Invalid { .. })), "{same:?}");
}

on_both_engines!(switching_api_keeps_the_connection_and_requeues_work_in_flight);
