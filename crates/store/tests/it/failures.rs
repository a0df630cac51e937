//! Nothing half-written reaches the database: when one statement of a change fails, the whole change is undone.
//! Each test breaks one table on purpose, then checks that the other tables did not change either.

use sellerlink_domain::audit::AuditAction;
use sellerlink_store::{
    ConnectionFilter, OrderQuery, RowVersion, StoreError, SyncStream, SyncWatermark,
};

use crate::fixtures::{
    add_merchant, at, connected, created, entry, merchant, merchant_with_connection,
    mws_connection, order, sealed,
};
use crate::harness::Db;

async fn a_failed_audit_write_leaves_no_merchant(db: Db) {
    db.execute("DROP TABLE audit_log").await;
    let merchant = merchant("Acme");
    let error = db
        .store
        .insert_merchant(&merchant, &created(&merchant))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    assert!(db.store.merchants().await.unwrap().is_empty());
}

async fn a_failed_audit_write_leaves_no_connection(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    db.execute("DROP TABLE audit_log").await;
    let connection = mws_connection(merchant.id, 1);
    let error = store
        .insert_connection(&connection, &sealed("k", b"x"), &connected(&connection))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    assert!(matches!(
        store.connection(connection.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(
        store
            .connections(&ConnectionFilter::default())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_failed_audit_write_leaves_the_connection_as_it_was(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    db.execute("DROP TABLE audit_log").await;
    let now = at("2019-04-01T00:00:00Z");

    let mut revoked = connection.clone();
    revoked.grant = connection.grant.revoke(now).unwrap();
    let audit = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::Revoked,
        now,
    );
    assert!(
        store
            .update_connection(&revoked, RowVersion::FIRST, &audit)
            .await
            .is_err()
    );
    let replaced = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::CredentialReplaced,
        now,
    );
    assert!(
        store
            .replace_credential(
                connection.id,
                &sealed("k2", b"y"),
                RowVersion::FIRST,
                &replaced
            )
            .await
            .is_err()
    );
    let removed = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::ConnectionRemoved,
        now,
    );
    store
        .upsert_orders(connection.id, &[order(1, now, now)], now, None)
        .await
        .unwrap();
    assert!(
        store
            .remove_connection(connection.id, &removed)
            .await
            .is_err()
    );

    let stored = store.connection(connection.id).await.unwrap();
    assert_eq!(stored.connection, connection);
    assert_eq!(stored.version, RowVersion::FIRST);
    assert_eq!(
        store.credential(connection.id).await.unwrap(),
        sealed("kek-1", b"sealed")
    );
    let its_orders = OrderQuery {
        connection: Some(connection.id),
        ..OrderQuery::default()
    };
    assert_eq!(
        store.count_orders(&its_orders).await.unwrap(),
        1,
        "removal was undone"
    );
}

async fn a_failed_watermark_write_leaves_no_orders(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    db.execute("DROP TABLE sync_watermarks").await;
    let now = at("2026-03-01T00:00:00Z");
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: now,
    };
    let page = [order(1, now, now), order(2, now, now)];
    let error = store
        .upsert_orders(connection.id, &page, now, Some(&watermark))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    assert_eq!(store.count_orders(&OrderQuery::default()).await.unwrap(), 0);
    assert!(store.order_ids(connection.id).await.unwrap().is_empty());
}

async fn a_failed_item_write_leaves_no_orders(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    db.execute("DROP TABLE order_items").await;
    let now = at("2026-03-01T00:00:00Z");
    let error = store
        .upsert_orders(connection.id, &[order(1, now, now)], now, None)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
    assert_eq!(store.count_orders(&OrderQuery::default()).await.unwrap(), 0);
}

on_both_engines!(
    a_failed_audit_write_leaves_no_merchant,
    a_failed_audit_write_leaves_no_connection,
    a_failed_audit_write_leaves_the_connection_as_it_was,
    a_failed_watermark_write_leaves_no_orders,
    a_failed_item_write_leaves_no_orders,
);
