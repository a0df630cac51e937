//! Buyer data sealed at rest: no buyer name, address or phone in clear in the database, a sealed value copied to
//! another order does not open, lists do not open it, rows from before sealing are sealed by the keyring's owner.

use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{Engine, OrderQuery, Store, StoreError};

use crate::fixtures::{add_connection, add_merchant, at, mws_connection, order, order_id};
use crate::harness::Db;

/// What must never be in the database in clear: the buyer's name, a delivery address line and the phone number.
const CLEAR: [&str; 3] = ["山田 太郎", "渋谷2-21-1", "03-0000-0000"];

async fn connection_with_orders(store: &Store, n: u32) -> ConnectionId {
    let merchant = add_merchant(store, "Acme").await;
    let connection = mws_connection(merchant.id, 1);
    add_connection(store, &connection).await;
    let now = at("2026-03-01T00:00:00Z");
    let orders: Vec<_> = (1..=n).map(|i| order(i, now, now)).collect();
    store
        .upsert_orders(connection.id, &orders, now, None)
        .await
        .unwrap();
    connection.id
}

/// Every byte the database holds about orders: the SQLite files (database and WAL), or PostgreSQL's rows as text.
async fn raw_order_bytes(db: &Db) -> Vec<u8> {
    let rows = db
        .bytes(
            match db.engine() {
                Engine::Sqlite => {
                    "SELECT CAST(group_concat(connection_id || amazon_order_id || COALESCE(buyer_name, '') \
                     || COALESCE(shipping_address_json, '') || COALESCE(buyer_sealed, ''), '') AS BLOB) \
                     FROM orders WHERE connection_id LIKE $1"
                }
                Engine::Postgres => {
                    "SELECT convert_to(string_agg(row_to_json(o)::text, ''), 'UTF8') FROM orders o \
                     WHERE connection_id LIKE $1"
                }
            },
            "%",
        )
        .await;
    let mut bytes = rows;
    if db.engine() == Engine::Sqlite {
        let file = db.url().trim_start_matches("sqlite://").to_owned();
        for path in [file.clone(), format!("{file}-wal")] {
            if let Ok(content) = std::fs::read(&path) {
                bytes.extend(content);
            }
        }
    }
    bytes
}

fn assert_no_clear_buyer_data(bytes: &[u8]) {
    for clear in CLEAR {
        let needle = clear.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{clear} is in the database in clear"
        );
    }
}

async fn buyer_data_is_stored_sealed_and_reads_back(db: Db) {
    let connection = connection_with_orders(&db.store, 3).await;
    db.execute(&format!(
        "UPDATE orders SET connection_id = connection_id WHERE connection_id = '{connection}'"
    ))
    .await;
    let bytes = raw_order_bytes(&db).await;
    assert!(!bytes.is_empty());
    assert_no_clear_buyer_data(&bytes);
    let stored = db
        .store
        .order(connection, &order_id(2))
        .await
        .unwrap()
        .unwrap()
        .order;
    let expected = order(2, stored.purchase_date, stored.last_update_date);
    assert_eq!(stored.buyer_name, expected.buyer_name);
    assert_eq!(stored.shipping_address, expected.shipping_address);
    let same_again = db
        .store
        .upsert_orders(connection, &[expected], stored.last_update_date, None)
        .await
        .unwrap();
    assert_eq!(same_again.unchanged, 1, "sealing anew is not a change");
}

async fn sealed_buyer_data_copied_to_another_order_does_not_open(db: Db) {
    let connection = connection_with_orders(&db.store, 2).await;
    db.execute(&format!(
        "UPDATE orders SET buyer_sealed = (SELECT buyer_sealed FROM orders WHERE amazon_order_id = '{}') \
         WHERE amazon_order_id = '{}'",
        order_id(1),
        order_id(2)
    ))
    .await;
    let error = db.store.order(connection, &order_id(2)).await.unwrap_err();
    assert!(matches!(error, StoreError::Corrupt { .. }), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("山田"), "{error}");
    assert!(db.store.order(connection, &order_id(1)).await.is_ok());
}

async fn the_order_list_does_not_open_buyer_data(db: Db) {
    connection_with_orders(&db.store, 2).await;
    db.execute("UPDATE orders SET buyer_sealed = 'not a sealed value'")
        .await;
    let listed = db.store.order_list(&OrderQuery::default()).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(
        listed
            .iter()
            .all(|o| o.stored.order.buyer_name.is_none()
                && o.stored.order.shipping_address.is_none())
    );
}

async fn rows_in_clear_from_before_are_sealed_by_the_keyring_owner(db: Db) {
    let connection = connection_with_orders(&db.store, 2).await;
    db.execute(
        "UPDATE orders SET buyer_kek_id = NULL, buyer_sealed = NULL, buyer_name = '山田 太郎', \
         shipping_address_json = '{\"name\":\"山田 太郎\",\"address_line1\":\"渋谷2-21-1\",\"phone\":\"03-0000-0000\"}'",
    )
    .await;
    let read = db
        .store
        .order(connection, &order_id(1))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(read.order.buyer_name.as_deref(), Some("山田 太郎"));
    assert_eq!(db.store.seal_clear_buyer_data().await.unwrap(), 2);
    assert_eq!(db.store.seal_clear_buyer_data().await.unwrap(), 0);
    db.execute("VACUUM").await;
    if db.engine() == Engine::Sqlite {
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").await;
    }
    assert_no_clear_buyer_data(&raw_order_bytes(&db).await);
    let sealed = db
        .store
        .order(connection, &order_id(1))
        .await
        .unwrap()
        .unwrap()
        .order;
    assert_eq!(sealed.buyer_name.as_deref(), Some("山田 太郎"));
    let address = sealed.shipping_address.unwrap();
    assert_eq!(address.address_line1.as_deref(), Some("渋谷2-21-1"));
    assert_eq!(address.phone.as_deref(), Some("03-0000-0000"));
}

async fn a_store_without_a_keyring_refuses_buyer_data(db: Db) {
    let merchant = add_merchant(&db.store, "Acme").await;
    let connection = mws_connection(merchant.id, 1);
    add_connection(&db.store, &connection).await;
    let unsealed = Store::connect(db.url()).await.unwrap();
    let now = at("2026-03-01T00:00:00Z");
    let error = unsealed
        .upsert_orders(connection.id, &[order(1, now, now)], now, None)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Invalid { .. }), "{error:?}");
    let mut anonymous = order(2, now, now);
    anonymous.buyer_name = None;
    anonymous.shipping_address = None;
    unsealed
        .upsert_orders(connection.id, &[anonymous], now, None)
        .await
        .unwrap();
}

on_both_engines!(
    buyer_data_is_stored_sealed_and_reads_back,
    sealed_buyer_data_copied_to_another_order_does_not_open,
    the_order_list_does_not_open_buyer_data,
    rows_in_clear_from_before_are_sealed_by_the_keyring_owner,
    a_store_without_a_keyring_refuses_buyer_data,
);
