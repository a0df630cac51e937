//! Sealed credentials: stored byte for byte, replaced under version control, resealed by compare-and-swap.

use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{AuditFilter, RowVersion, StoreError};

use crate::fixtures::{add_merchant, at, connected, entry, mws_connection, sealed};
use crate::harness::Db;

async fn the_stored_blob_is_exactly_the_bytes_given(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let connection = mws_connection(merchant.id, 1);
    let mut bytes: Vec<u8> = (0..=255u8).collect();
    bytes.extend_from_slice(&[0, 0, 0xff, 0x27, 0x5c]);
    let credential = sealed("kek-2026-01", &bytes);
    store
        .insert_connection(&connection, &credential, &connected(&connection))
        .await
        .unwrap();

    assert_eq!(store.credential(connection.id).await.unwrap(), credential);
    let raw = db
        .bytes(
            "SELECT credential_blob FROM connections WHERE id = $1",
            &connection.id.to_string(),
        )
        .await;
    assert_eq!(raw, bytes, "the column holds the given bytes, nothing else");
    assert!(matches!(
        store.credential(ConnectionId::new()).await,
        Err(StoreError::NotFound {
            what: "connection",
            ..
        })
    ));
}

async fn replacing_a_credential_is_versioned_and_audited(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let connection = mws_connection(merchant.id, 1);
    store
        .insert_connection(&connection, &sealed("k1", b"old"), &connected(&connection))
        .await
        .unwrap();
    let now = at("2026-03-01T00:00:00Z");
    let audit = entry(
        merchant.id,
        Some(connection.id),
        AuditAction::CredentialReplaced,
        now,
    );

    let version = store
        .replace_credential(
            connection.id,
            &sealed("k1", b"new"),
            RowVersion::FIRST,
            &audit,
        )
        .await
        .unwrap();
    assert_eq!(version.get(), 2);
    assert_eq!(
        store.credential(connection.id).await.unwrap(),
        sealed("k1", b"new")
    );
    assert_eq!(
        store.connection(connection.id).await.unwrap().version,
        version
    );

    let error = store
        .replace_credential(
            connection.id,
            &sealed("k1", b"lost"),
            RowVersion::FIRST,
            &audit,
        )
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Conflict { .. }), "{error}");
    assert_eq!(
        store.credential(connection.id).await.unwrap(),
        sealed("k1", b"new")
    );

    let other = add_merchant(store, "Other").await;
    let foreign = entry(
        other.id,
        Some(connection.id),
        AuditAction::CredentialReplaced,
        now,
    );
    let error = store
        .replace_credential(connection.id, &sealed("k1", b"x"), version, &foreign)
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Invalid { .. }), "{error}");

    let empty = store
        .replace_credential(connection.id, &sealed("k1", b""), version, &audit)
        .await
        .unwrap_err();
    assert!(matches!(
        empty,
        StoreError::Invalid {
            what: "sealed credential",
            ..
        }
    ));

    let actions: Vec<AuditAction> = store
        .audit_entries(&AuditFilter {
            connection: Some(connection.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.entry.action)
        .collect();
    assert_eq!(
        actions,
        vec![
            AuditAction::CredentialReplaced,
            AuditAction::ConnectionCreated
        ]
    );
}

async fn key_rotation_lists_and_reseals_by_compare_and_swap(db: Db) {
    let store = &db.store;
    let merchant = add_merchant(store, "Acme").await;
    let mut ids = Vec::new();
    for n in 1..=4u8 {
        let connection = mws_connection(merchant.id, u32::from(n));
        let kek = if n == 4 { "kek-new" } else { "kek-old" };
        store
            .insert_connection(&connection, &sealed(kek, &[n; 8]), &connected(&connection))
            .await
            .unwrap();
        ids.push(connection.id);
    }
    let old_ones = &ids[..3];

    let todo = store
        .credentials_not_sealed_with("kek-new", 100)
        .await
        .unwrap();
    let mut expected: Vec<ConnectionId> = old_ones.to_vec();
    expected.sort();
    assert_eq!(todo.iter().map(|(id, _)| *id).collect::<Vec<_>>(), expected);
    assert!(todo.iter().all(|(_, c)| c.kek_id == "kek-old"));
    assert_eq!(
        store
            .credentials_not_sealed_with("kek-new", 2)
            .await
            .unwrap()
            .len(),
        2
    );

    let (id, old) = todo[0].clone();
    let new = sealed("kek-new", b"resealed");
    let stale = sealed("kek-old", b"not what is stored");
    assert!(!store.reseal_credential(id, &stale, &new).await.unwrap());
    assert_eq!(
        store.credential(id).await.unwrap(),
        old,
        "a stale CAS changes nothing"
    );
    assert!(store.reseal_credential(id, &old, &new).await.unwrap());
    assert_eq!(store.credential(id).await.unwrap(), new);
    assert!(
        !store.reseal_credential(id, &old, &new).await.unwrap(),
        "the old sealing is gone"
    );
    assert_eq!(
        store.connection(id).await.unwrap().version,
        RowVersion::FIRST,
        "resealing keeps the version"
    );
    assert_eq!(
        store.connection(id).await.unwrap().credential_kek_id,
        "kek-new"
    );
    assert_eq!(
        store
            .credentials_not_sealed_with("kek-new", 100)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        !store
            .reseal_credential(ConnectionId::new(), &old, &new)
            .await
            .unwrap()
    );
}

on_both_engines!(
    the_stored_blob_is_exactly_the_bytes_given,
    replacing_a_credential_is_versioned_and_audited,
    key_rotation_lists_and_reseals_by_compare_and_swap,
);
