//! Connections: round trips of every field, unique seller accounts, optimistic concurrency, removal.

use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{ApiAccount, ConnectedMarketplace};
use sellerlink_domain::ids::{ConnectionId, MarketplaceId, MerchantId, SellerId};
use sellerlink_domain::lifecycle::{AccessDenial, Expiry};
use sellerlink_domain::refusal::RefusalCause;
use sellerlink_store::{
    AuditFilter, ConnectionFilter, OrderQuery, RowVersion, StoreError, SyncStream, SyncWatermark,
};

use crate::fixtures::{
    add_connection, add_merchant, at, connected, day, entry, merchant_with_connection,
    mws_connection, order, sealed, spapi_connection,
};
use crate::harness::Db;

async fn mws_connection_round_trips_every_field(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "株式会社たくみ").await;
    let mut connection = mws_connection(merchant.id, 1);
    connection.marketplaces.push(ConnectedMarketplace {
        id: MarketplaceId::parse("A39IBJ37TRP1C6").unwrap(),
        name: None,
    });
    connection.grant.last_approved_on = day("2019-04-10");
    connection.grant.expiry = Expiry::Enabled {
        expires_on: day("9999-12-31"),
    };
    connection.grant.revoked_at = Some(at("1969-12-31T23:59:59.999Z"));
    connection.grant.access_denied = Some(AccessDenial {
        at: at("1970-01-01T00:00:00.001Z"),
        cause: RefusalCause::SellerAccess,
        detail: "AccessDenied: 開発者のアクセス権がありません".to_owned(),
    });
    connection.verified_at = Some(at("9999-12-30T21:59:59.999Z"));
    store
        .insert_connection(
            &connection,
            &sealed("kek-2026", b"\x00sealed\xff"),
            &connected(&connection),
        )
        .await
        .unwrap();

    let stored = store.connection(connection.id).await.unwrap();
    assert_eq!(stored.connection, connection);
    assert_eq!(stored.version, RowVersion::FIRST);
    assert_eq!(stored.credential_kek_id, "kek-2026");
    let sql = format!(
        "SELECT COUNT(*) FROM connections WHERE id = $1 AND access_denied_cause = '{}'",
        RefusalCause::SellerAccess.code()
    );
    assert_eq!(
        db.count(&sql, &connection.id.to_string()).await,
        1,
        "the cause is stored as its code"
    );
    assert_eq!(
        stored.connection.home_marketplace(),
        &MarketplaceId::japan()
    );
}

async fn spapi_connection_round_trips_every_field(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let connection = spapi_connection(merchant.id, 2);
    assert_eq!(connection.grant.expiry, Expiry::Disabled);
    add_connection(store, &connection).await;
    let stored = store.connection(connection.id).await.unwrap();
    assert_eq!(stored.connection, connection);
    assert_eq!(stored.connection.verified_at, None);
}

async fn connections_are_listed_by_merchant_and_expiry(db: Db) {
    let store = &db.store;
    let acme = add_merchant(store, "Acme").await;
    let takumi = add_merchant(store, "たくみ").await;
    let mut early = mws_connection(acme.id, 1);
    early.grant.expiry = Expiry::Enabled {
        expires_on: day("2026-03-01"),
    };
    let mut late = mws_connection(takumi.id, 2);
    late.created_at = at("2019-01-01T00:00:00Z");
    late.grant.expiry = Expiry::Enabled {
        expires_on: day("2026-12-01"),
    };
    let never = spapi_connection(acme.id, 3);
    for c in [&never, &late, &early] {
        add_connection(store, c).await;
    }

    let all: Vec<ConnectionId> = store
        .connections(&ConnectionFilter::default())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection.id)
        .collect();
    assert_eq!(all, vec![early.id, late.id, never.id], "oldest first");

    let of_acme: Vec<ConnectionId> = store
        .connections(&ConnectionFilter {
            merchant: Some(acme.id),
            ..ConnectionFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection.id)
        .collect();
    assert_eq!(of_acme, vec![early.id, never.id]);

    let expiring: Vec<ConnectionId> = store
        .connections(&ConnectionFilter {
            expires_on_or_before: Some(day("2026-03-01")),
            ..ConnectionFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.connection.id)
        .collect();
    assert_eq!(expiring, vec![early.id]);

    let none = store
        .connections(&ConnectionFilter {
            merchant: Some(MerchantId::new()),
            ..ConnectionFilter::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn a_seller_account_is_connected_once(db: Db) {
    let store = &db.store;
    let acme = add_merchant(store, "Acme").await;
    let other = add_merchant(store, "Other").await;
    let first = mws_connection(acme.id, 7);
    add_connection(store, &first).await;

    let again = mws_connection(other.id, 7);
    let error = store
        .insert_connection(&again, &sealed("kek-1", b"x"), &connected(&again))
        .await
        .unwrap_err();
    match &error {
        StoreError::Duplicate {
            what: "connection",
            detail,
        } => {
            assert!(detail.contains("A0000000000007"), "{detail}")
        }
        other => panic!("expected Duplicate, got {other:?}"),
    }
    let audit = store
        .audit_entries(&AuditFilter {
            connection: Some(again.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert!(audit.is_empty(), "no audit entry for a refused connection");
    assert!(matches!(
        store.connection(again.id).await,
        Err(StoreError::NotFound { .. })
    ));

    // One connection per seller account and region, whatever the API: the same merchant token through SP-API in
    // the same region is refused too (the existing connection is switched to SP-API instead, `Store::switch_api`).
    let via_spapi = spapi_connection(acme.id, 7);
    let error = store
        .insert_connection(&via_spapi, &sealed("kek-1", b"x"), &connected(&via_spapi))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, StoreError::Duplicate { detail, .. } if detail.contains("region fe")),
        "{error:?}"
    );
    assert_eq!(
        store
            .connections(&ConnectionFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn a_connection_needs_an_existing_merchant(db: Db) {
    let store = &db.store;
    let connection = mws_connection(MerchantId::new(), 1);
    let error = store
        .insert_connection(&connection, &sealed("k", b"x"), &connected(&connection))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotFound {
                what: "merchant",
                ..
            }
        ),
        "{error}"
    );
}

async fn updates_compare_and_swap_the_version(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2019-04-01T00:00:00Z");

    let mut renewed = connection.clone();
    renewed.grant = connection.grant.renew(now).unwrap();
    let audit = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::Renewed,
        now,
    );
    let version = store
        .update_connection(&renewed, RowVersion::FIRST, &audit)
        .await
        .unwrap();
    assert_eq!(version.get(), 2);
    let stored = store.connection(connection.id).await.unwrap();
    assert_eq!(stored.connection, renewed);
    assert_eq!(stored.version, version);

    // Someone still holding version 1 loses.
    let mut stale = connection.clone();
    stale.grant = connection.grant.revoke(now).unwrap();
    let error = store
        .update_connection(&stale, RowVersion::FIRST, &audit)
        .await
        .unwrap_err();
    match &error {
        StoreError::Conflict {
            what: "connection",
            detail,
            ..
        } => {
            assert!(
                detail.contains("expected version 1") && detail.contains('2'),
                "{detail}"
            )
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    assert_eq!(
        store.connection(connection.id).await.unwrap().connection,
        renewed
    );

    // Identity does not change.
    let mut moved = renewed.clone();
    moved.merchant_id = add_merchant(store, "Other").await.id;
    let moved_audit = entry(moved.merchant_id, Some(moved.id), AuditAction::Renewed, now);
    let error = store
        .update_connection(&moved, version, &moved_audit)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "connection merchant",
                ..
            }
        ),
        "{error}"
    );
    let mut reseller = renewed.clone();
    reseller.account = ApiAccount::Mws {
        seller_id: SellerId::parse("A9999999999999").unwrap(),
        developer_id: sellerlink_domain::ids::DeveloperId::parse("525964794073").unwrap(),
    };
    let error = store
        .update_connection(&reseller, version, &audit)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "connection account",
                ..
            }
        ),
        "{error}"
    );

    let mut unknown = renewed.clone();
    unknown.id = ConnectionId::new();
    let unknown_audit = entry(
        unknown.merchant_id,
        Some(unknown.id),
        AuditAction::Renewed,
        now,
    );
    let error = store
        .update_connection(&unknown, version, &unknown_audit)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::NotFound {
                what: "connection",
                ..
            }
        ),
        "{error}"
    );

    let audit_log = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<AuditAction> = audit_log.iter().map(|r| r.entry.action).collect();
    assert_eq!(
        actions,
        vec![AuditAction::Renewed, AuditAction::ConnectionCreated]
    );
    assert_eq!(
        store.connection(connection.id).await.unwrap().version,
        version
    );
}

async fn of_two_racing_updates_one_wins(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let now = at("2019-04-01T00:00:00Z");
    let mut renewed = connection.clone();
    renewed.grant = connection.grant.renew(now).unwrap();
    let mut revoked = connection.clone();
    revoked.grant = connection.grant.revoke(now).unwrap();
    let renew_audit = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::Renewed,
        now,
    );
    let revoke_audit = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::Revoked,
        now,
    );

    let (a, b) = tokio::join!(
        store.update_connection(&renewed, RowVersion::FIRST, &renew_audit),
        store.update_connection(&revoked, RowVersion::FIRST, &revoke_audit),
    );
    let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(wins, 1, "{a:?} {b:?}");
    let loser = if a.is_ok() { &b } else { &a };
    assert!(
        matches!(loser, Err(StoreError::Conflict { .. })),
        "{loser:?}"
    );
    let stored = store.connection(connection.id).await.unwrap();
    assert_eq!(stored.version.get(), 2);
    let winner = if a.is_ok() { &renewed } else { &revoked };
    assert_eq!(&stored.connection, winner);
    let audit = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "creation and the one winning change");
}

async fn removing_a_connection_takes_its_data_along(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let keep = merchant_with_connection(store, "Keep", 2).await;
    let now = at("2026-03-01T00:00:00Z");
    let watermark = SyncWatermark {
        stream: SyncStream::orders(),
        last_updated_after: now,
    };
    for c in [&connection, &keep] {
        store
            .upsert_orders(
                c.id,
                &[order(1, now, now), order(2, now, now)],
                now,
                Some(&watermark),
            )
            .await
            .unwrap();
        store.start_sync_run(c.id, now).await.unwrap();
    }

    let removal = entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::ConnectionRemoved,
        now,
    );
    store
        .remove_connection(connection.id, &removal)
        .await
        .unwrap();

    assert!(matches!(
        store.connection(connection.id).await,
        Err(StoreError::NotFound {
            what: "connection",
            ..
        })
    ));
    let mine = OrderQuery {
        connection: Some(connection.id),
        ..OrderQuery::default()
    };
    assert_eq!(store.count_orders(&mine).await.unwrap(), 0);
    let items = db
        .count(
            "SELECT COUNT(*) FROM order_items WHERE connection_id = $1",
            &connection.id.to_string(),
        )
        .await;
    assert_eq!(items, 0);
    assert_eq!(
        store
            .watermark(connection.id, &SyncStream::orders())
            .await
            .unwrap(),
        None
    );
    assert!(store.sync_runs(connection.id, 10).await.unwrap().is_empty());

    // The other connection is untouched.
    let theirs = OrderQuery {
        connection: Some(keep.id),
        ..OrderQuery::default()
    };
    assert_eq!(store.count_orders(&theirs).await.unwrap(), 2);
    assert!(
        store
            .watermark(keep.id, &SyncStream::orders())
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(store.sync_runs(keep.id, 10).await.unwrap().len(), 1);

    // The audit log remembers.
    let audit = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit[0].entry, removal);
    assert_eq!(audit.len(), 2);

    let error = store
        .remove_connection(connection.id, &removal)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound { .. }), "{error}");
    let wrong = entry(
        keep.merchant_id,
        Some(keep.id),
        AuditAction::ConnectionRemoved,
        now,
    );
    let error = store
        .remove_connection(connection.id, &wrong)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Invalid { .. }), "{error}");
}

async fn a_corrupt_row_is_reported_not_a_panic(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    db.execute(&format!(
        "UPDATE connections SET seller_id = 'not a seller' WHERE id = '{}'",
        connection.id
    ))
    .await;
    match store.connection(connection.id).await {
        Err(StoreError::Corrupt {
            table: "connections",
            column: "seller_id",
            detail,
        }) => assert!(detail.contains("Seller ID"), "{detail}"),
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert!(matches!(
        store.connections(&ConnectionFilter::default()).await,
        Err(StoreError::Corrupt { .. })
    ));

    db.execute(&format!(
        "UPDATE connections SET seller_id = '{}', marketplaces_json = '[]' WHERE id = '{}'",
        crate::fixtures::seller(1),
        connection.id
    ))
    .await;
    assert!(matches!(
        store.connection(connection.id).await,
        Err(StoreError::Corrupt {
            column: "marketplaces_json",
            ..
        })
    ));

    db.execute(&format!(
        "UPDATE connections SET marketplaces_json = '[{{\"id\":\"{}\",\"name\":null}}]', \
         access_denied_at_ms = 0, access_denied_cause = 'account_blocked', access_denied_detail = '' \
         WHERE id = '{}'",
        MarketplaceId::japan(),
        connection.id
    ))
    .await;
    match store.connection(connection.id).await {
        Err(StoreError::Corrupt {
            column: "access_denied_cause",
            detail,
            ..
        }) => assert!(
            detail.contains("\"account_blocked\"")
                && RefusalCause::ALL
                    .iter()
                    .all(|cause| detail.contains(cause.code())),
            "{detail}"
        ),
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

on_both_engines!(
    mws_connection_round_trips_every_field,
    spapi_connection_round_trips_every_field,
    connections_are_listed_by_merchant_and_expiry,
    a_seller_account_is_connected_once,
    a_connection_needs_an_existing_merchant,
    updates_compare_and_swap_the_version,
    of_two_racing_updates_one_wins,
    removing_a_connection_takes_its_data_along,
    a_corrupt_row_is_reported_not_a_panic,
);
