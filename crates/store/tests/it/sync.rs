//! Sync state: watermarks per stream and the history of sync runs.

use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{
    StoreError, SyncFailure, SyncOutcome, SyncRunResult, SyncStream, SyncWatermark,
};

use crate::fixtures::{at, merchant_with_connection};
use crate::harness::Db;

async fn watermarks_are_kept_per_stream(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let orders = SyncStream::orders();
    let stock = SyncStream::parse("stock_push").unwrap();
    assert_eq!(store.watermark(connection.id, &orders).await.unwrap(), None);

    let first = SyncWatermark {
        stream: orders.clone(),
        last_updated_after: at("2026-03-01T00:00:00Z"),
    };
    store
        .set_watermark(connection.id, &first, at("2026-03-01T00:01:00Z"))
        .await
        .unwrap();
    let back = SyncWatermark {
        stream: orders.clone(),
        last_updated_after: at("2025-01-01T00:00:00Z"),
    };
    store
        .set_watermark(connection.id, &back, at("2026-03-01T00:02:00Z"))
        .await
        .unwrap();
    let other = SyncWatermark {
        stream: stock.clone(),
        last_updated_after: at("1970-01-01T00:00:00Z"),
    };
    store
        .set_watermark(connection.id, &other, at("2026-03-01T00:03:00Z"))
        .await
        .unwrap();

    let stored = store
        .watermark(connection.id, &orders)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.watermark, back,
        "set_watermark may move a stream back (re-import)"
    );
    assert_eq!(stored.updated_at, at("2026-03-01T00:02:00Z"));
    assert_eq!(
        store
            .watermark(connection.id, &stock)
            .await
            .unwrap()
            .unwrap()
            .watermark,
        other
    );

    let error = store
        .set_watermark(ConnectionId::new(), &first, at("2026-03-01T00:00:00Z"))
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
}

async fn sync_runs_are_recorded_and_finish_once(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    assert_eq!(store.last_sync_run(connection.id).await.unwrap(), None);

    let first = store
        .start_sync_run(connection.id, at("2026-03-01T00:00:00Z"))
        .await
        .unwrap();
    let ok = SyncRunResult {
        finished_at: at("2026-03-01T00:00:09.500Z"),
        outcome: SyncOutcome::Ok,
        pages: 3,
        orders_new: 250,
        orders_changed: 12,
        error: None,
    };
    store.finish_sync_run(first, &ok).await.unwrap();

    let second = store
        .start_sync_run(connection.id, at("2026-03-01T00:15:00Z"))
        .await
        .unwrap();
    let running = store.last_sync_run(connection.id).await.unwrap().unwrap();
    assert_eq!(running.id, second);
    assert_eq!(running.result, None);
    let denied = SyncRunResult {
        finished_at: at("2026-03-01T00:15:01Z"),
        outcome: SyncOutcome::PausedAccessDenied,
        pages: 0,
        orders_new: 0,
        orders_changed: 0,
        error: Some(SyncFailure {
            kind: "auth".to_owned(),
            message: "AccessDenied: アクセス権がありません".to_owned(),
        }),
    };
    store.finish_sync_run(second, &denied).await.unwrap();

    let error = store.finish_sync_run(second, &ok).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                what: "sync run",
                ..
            }
        ),
        "{error}"
    );
    let third = store
        .start_sync_run(connection.id, at("2026-03-01T00:30:00Z"))
        .await
        .unwrap();

    let runs = store.sync_runs(connection.id, 10).await.unwrap();
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![third, second, first]
    );
    assert_eq!(runs[1].result.as_ref(), Some(&denied));
    assert_eq!(runs[2].result.as_ref(), Some(&ok));
    assert_eq!(runs[2].started_at, at("2026-03-01T00:00:00Z"));
    assert_eq!(runs[2].connection_id, connection.id);
    assert_eq!(store.sync_runs(connection.id, 2).await.unwrap().len(), 2);
    assert_eq!(
        store
            .last_sync_run(connection.id)
            .await
            .unwrap()
            .unwrap()
            .id,
        third
    );

    let other = merchant_with_connection(store, "Other", 2).await;
    let unknown = store
        .start_sync_run(other.id, at("2026-03-01T00:00:00Z"))
        .await
        .unwrap();
    store.finish_sync_run(unknown, &ok).await.unwrap();
    assert_eq!(store.sync_runs(connection.id, 10).await.unwrap().len(), 3);

    let error = store
        .start_sync_run(ConnectionId::new(), at("2026-03-01T00:00:00Z"))
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
}

async fn a_run_that_wrote_nothing_while_it_ran_is_recorded_whole(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let before = store
        .start_sync_run(connection.id, at("2026-03-01T00:00:00Z"))
        .await
        .unwrap();
    let idle = SyncRunResult {
        finished_at: at("2026-03-01T00:10:00.250Z"),
        outcome: SyncOutcome::Ok,
        pages: 1,
        orders_new: 0,
        orders_changed: 0,
        error: None,
    };
    let id = store
        .record_sync_run(connection.id, at("2026-03-01T00:10:00Z"), &idle)
        .await
        .unwrap();
    let runs = store.sync_runs(connection.id, 10).await.unwrap();
    assert_eq!(
        runs.iter().map(|run| run.id).collect::<Vec<_>>(),
        vec![id, before],
        "newest first"
    );
    assert_eq!(runs[0].started_at, at("2026-03-01T00:10:00Z"));
    assert_eq!(runs[0].result.as_ref(), Some(&idle), "finished as written");
    assert_eq!(runs[1].result, None, "the other run still runs");

    let failed = SyncRunResult {
        outcome: SyncOutcome::Failed,
        pages: 0,
        error: Some(SyncFailure {
            kind: "throttled".to_owned(),
            message: "RequestThrottled after 5 tries".to_owned(),
        }),
        ..idle.clone()
    };
    let id = store
        .record_sync_run(connection.id, at("2026-03-01T00:20:00Z"), &failed)
        .await
        .unwrap();
    assert_eq!(
        store
            .last_sync_run(connection.id)
            .await
            .unwrap()
            .unwrap()
            .result,
        Some(failed.clone())
    );
    let error = store.finish_sync_run(id, &idle).await.unwrap_err();
    assert!(
        matches!(
            error,
            StoreError::Conflict {
                what: "sync run",
                ..
            }
        ),
        "a whole run is finished already: {error}"
    );
    let error = store
        .record_sync_run(ConnectionId::new(), at("2026-03-01T00:00:00Z"), &idle)
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
    assert_eq!(store.sync_runs(connection.id, 10).await.unwrap().len(), 3);
}

on_both_engines!(
    watermarks_are_kept_per_stream,
    sync_runs_are_recorded_and_finish_once,
    a_run_that_wrote_nothing_while_it_ran_is_recorded_whole,
);
