//! Merchants: every field round trips, names are unique, creation is audited.

use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::MerchantId;
use sellerlink_store::{AuditFilter, StoreError};

use crate::fixtures::{at, created, merchant};
use crate::harness::Db;

async fn merchants_round_trip_every_field(db: Db) {
    let store = &db.store;
    let mut first = merchant("株式会社たくみ 🚚 Takumi Logistics");
    first.language = Language::En;
    first.created_at = at("1970-01-01T00:00:00.001Z");
    let mut second = merchant("Ünïcödé & Co. <b>");
    second.created_at = at("9999-12-30T21:59:59.999Z");
    let mut before_epoch = merchant("Before 1970");
    before_epoch.created_at = at("1969-12-31T23:59:59.999Z");
    for m in [&second, &first, &before_epoch] {
        store.insert_merchant(m, &created(m)).await.unwrap();
    }

    assert_eq!(store.merchant(first.id).await.unwrap(), first);
    assert_eq!(store.merchant(second.id).await.unwrap(), second);
    assert_eq!(
        store.merchants().await.unwrap(),
        vec![before_epoch.clone(), first.clone(), second.clone()]
    );
    let name = MerchantName::parse("株式会社たくみ 🚚 Takumi Logistics").unwrap();
    assert_eq!(
        store.merchant_by_name(&name).await.unwrap(),
        Some(first.clone())
    );
    let missing = MerchantName::parse("nobody").unwrap();
    assert_eq!(store.merchant_by_name(&missing).await.unwrap(), None);

    let unknown = MerchantId::new();
    match store.merchant(unknown).await {
        Err(StoreError::NotFound {
            what: "merchant",
            id,
        }) => assert_eq!(id, unknown.to_string()),
        other => panic!("expected NotFound, got {other:?}"),
    }

    let audit = store
        .audit_entries(&AuditFilter {
            merchant: Some(first.id),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].entry, created(&first));
    assert_eq!(audit[0].entry.action, AuditAction::MerchantCreated);
}

async fn a_taken_name_is_a_duplicate_and_writes_nothing(db: Db) {
    let store = &db.store;
    let original = merchant("Acme");
    store
        .insert_merchant(&original, &created(&original))
        .await
        .unwrap();
    let copy = merchant("Acme");
    let error = store
        .insert_merchant(&copy, &created(&copy))
        .await
        .unwrap_err();
    match &error {
        StoreError::Duplicate {
            what: "merchant",
            detail,
        } => assert!(detail.contains("Acme")),
        other => panic!("expected Duplicate, got {other:?}"),
    }
    assert_eq!(store.merchants().await.unwrap(), vec![original]);
    let audit = store.audit_entries(&AuditFilter::default()).await.unwrap();
    assert_eq!(audit.len(), 1, "the failed insert left no audit entry");
}

async fn an_audit_entry_about_someone_else_is_refused(db: Db) {
    let store = &db.store;
    let merchant = merchant("Acme");
    let other = self::merchant("Other");
    let error = store
        .insert_merchant(&merchant, &created(&other))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Invalid {
                what: "audit entry",
                ..
            }
        ),
        "{error}"
    );
    assert!(store.merchants().await.unwrap().is_empty());
}

on_both_engines!(
    merchants_round_trip_every_field,
    a_taken_name_is_a_duplicate_and_writes_nothing,
    an_audit_entry_about_someone_else_is_refused,
);
