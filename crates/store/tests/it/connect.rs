//! Opening stores: URL forms, file creation, migrations, errors that hide passwords.

use sellerlink_store::{Engine, Store, StoreError};
use sqlx::{Connection, SqliteConnection};

use crate::fixtures::{add_merchant, merchant};
use crate::harness::Db;

#[tokio::test]
async fn sqlite_file_is_created_and_reopened_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("deep/er/sellerlink.db");
    let url = format!("sqlite:{}", file.display());

    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.engine(), Engine::Sqlite);
    let merchant = add_merchant(&store, "株式会社たくみ").await;
    store.close().await;
    assert!(file.is_file());

    let reopened = Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    reopened.migrate().await.unwrap();
    assert_eq!(reopened.merchant(merchant.id).await.unwrap(), merchant);
    reopened.close().await;

    let mut raw = SqliteConnection::connect(&url).await.unwrap();
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut raw)
        .await
        .unwrap();
    assert_eq!(journal, "wal");
}

#[cfg(unix)]
#[tokio::test]
async fn the_database_and_its_wal_and_shm_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sellerlink.db");
    let store = Store::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    add_merchant(&store, "株式会社たくみ").await;
    // While the store is open SQLite keeps its write-ahead log and shared-memory index next to the file.
    for name in ["sellerlink.db", "sellerlink.db-wal", "sellerlink.db-shm"] {
        let mode = std::fs::metadata(dir.path().join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{name}");
    }
    store.close().await;
}

#[tokio::test]
async fn bad_urls_say_what_is_wrong_without_the_password() {
    for url in [
        "mysql://root:hunter2@localhost/sellerlink",
        "postgres://sl:hunter2@localhost:notaport/sellerlink",
        "sqlite://",
        "/var/lib/sellerlink.db",
    ] {
        let error = Store::connect(url).await.unwrap_err();
        let text = error.to_string();
        assert!(matches!(error, StoreError::Url { .. }), "{url}: {text}");
        assert!(
            text.contains("expected") || text.contains("valid"),
            "{text}"
        );
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{error:?}").contains("hunter2"), "{error:?}");
    }
}

#[tokio::test]
async fn calls_on_a_store_without_tables_fail_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}/x.db", dir.path().display()))
        .await
        .unwrap();
    let merchant = merchant("未移行");
    let error = store.merchant(merchant.id).await.unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error}");
}

async fn migrating_again_changes_nothing(db: Db) {
    let merchant = add_merchant(&db.store, "Acme").await;
    db.store.migrate().await.unwrap();
    assert_eq!(db.store.merchants().await.unwrap(), vec![merchant]);
    assert_eq!(
        format!("{:?}", db.store),
        format!("Store {{ engine: {:?} }}", db.engine())
    );
}

on_both_engines!(migrating_again_changes_nothing);
