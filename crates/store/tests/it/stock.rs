//! Stock levels to push to Amazon: quantities set in one transaction with revisions, due lookups, the worker's
//! transitions (compare-and-swaps on state and revision), Amazon's answers for current and stale revisions, lists,
//! and removal with the connection.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_store::{
    SkuSearch, StockChange, StockFilter, StockLevel, StockState, Store, StoreError,
};

use crate::fixtures::{add_connection, at, entry, merchant_with_connection, mws_connection};
use crate::harness::Db;

fn minutes(n: i64) -> SignedDuration {
    SignedDuration::from_mins(n)
}

fn levels(pairs: &[(&str, u32)]) -> Vec<(String, u32)> {
    pairs
        .iter()
        .map(|(sku, quantity)| ((*sku).to_owned(), *quantity))
        .collect()
}

/// Sets the quantities and returns only what changed, in input order.
async fn set(
    store: &Store,
    connection: ConnectionId,
    pairs: &[(&str, u32)],
    now: Timestamp,
) -> Vec<StockChange> {
    store
        .set_stock_levels(connection, &levels(pairs), now)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, change)| change)
        .collect()
}

/// The stored stock level of one SKU.
async fn level(store: &Store, connection: ConnectionId, sku: &str) -> StockLevel {
    let found = store
        .stock_levels(&StockFilter {
            connection: Some(connection),
            sku: Some(sku.to_owned()),
            ..StockFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{sku}: {found:?}");
    found.into_iter().next().unwrap()
}

/// (connection, SKU) of each stock level, in the order given.
fn keys(levels: &[StockLevel]) -> Vec<(ConnectionId, String)> {
    levels
        .iter()
        .map(|level| (level.connection_id, level.sku.clone()))
        .collect()
}

fn key(connection: &Connection, sku: &str) -> (ConnectionId, String) {
    (connection.id, sku.to_owned())
}

async fn count_rows(db: &Db, connection: ConnectionId) -> i64 {
    db.count(
        "SELECT COUNT(*) FROM stock_levels WHERE connection_id = $1",
        &connection.to_string(),
    )
    .await
}

fn assert_conflict(result: Result<(), StoreError>, detail_part: &str) {
    match result {
        Err(StoreError::Conflict {
            what: "stock level",
            detail,
            ..
        }) => assert!(detail.contains(detail_part), "{detail}"),
        other => panic!("expected a conflict ({detail_part}), got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, what_part: &str) {
    match result {
        Err(StoreError::Invalid { what, detail }) => {
            assert!(what.contains(what_part), "{what}: {detail}")
        }
        other => panic!("expected Invalid about {what_part}, got {other:?}"),
    }
}

fn assert_not_found<T: std::fmt::Debug>(result: Result<T, StoreError>, what_wanted: &str) {
    match result {
        Err(StoreError::NotFound { what, .. }) => assert_eq!(what, what_wanted),
        other => panic!("expected NotFound {what_wanted}, got {other:?}"),
    }
}

async fn setting_quantities_creates_revisions_only_on_change(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00.123456Z");
    let stored_t0 = at("2026-03-02T06:00:00.123Z");

    let first = store
        .set_stock_levels(
            connection.id,
            &levels(&[
                ("TK-MUG-0002", 5),
                ("TK-MUG-0001", 0),
                ("湯呑み-青", 1_000_000),
            ]),
            t0,
        )
        .await
        .unwrap();
    let created = StockLevel {
        connection_id: connection.id,
        sku: "TK-MUG-0002".to_owned(),
        quantity: 5,
        revision: 1,
        pushed_revision: 0,
        pushed_quantity: None,
        state: StockState::Pending,
        submitted_revision: None,
        submitted_quantity: None,
        feed_submission_id: None,
        attempts: 0,
        last_error: None,
        next_attempt_at: stored_t0,
        updated_at: stored_t0,
        pushed_at: None,
    };
    assert_eq!(first[0], (created.clone(), StockChange::Created));
    assert_eq!(
        first
            .iter()
            .map(|(level, change)| (level.sku.as_str(), level.quantity, level.revision, *change))
            .collect::<Vec<_>>(),
        [
            ("TK-MUG-0002", 5, 1, StockChange::Created),
            ("TK-MUG-0001", 0, 1, StockChange::Created),
            ("湯呑み-青", 1_000_000, 1, StockChange::Created),
        ],
        "one result per input, in input order"
    );
    assert_eq!(level(store, connection.id, "TK-MUG-0002").await, created);
    let json = serde_json::to_value(&created).unwrap();
    assert_eq!(json["state"], "pending");
    assert_eq!(json["connection_id"], connection.id.to_string());
    assert_eq!(json["revision"], 1);

    // A failed push counts an attempt; a new quantity then starts the new revision afresh.
    store
        .stock_retry_later(
            connection.id,
            "TK-MUG-0002",
            1,
            StockState::Pending,
            "503 RequestThrottled",
            t0 + minutes(5),
            t0,
        )
        .await
        .unwrap();

    let t1 = at("2026-03-02T07:00:00Z");
    let second = store
        .set_stock_levels(
            connection.id,
            &levels(&[("TK-MUG-0001", 0), ("TK-MUG-0003", 7), ("TK-MUG-0002", 4)]),
            t1,
        )
        .await
        .unwrap();
    let changes: Vec<StockChange> = second.iter().map(|(_, change)| *change).collect();
    assert_eq!(
        changes,
        [
            StockChange::Unchanged,
            StockChange::Created,
            StockChange::Changed
        ]
    );
    let (unchanged, _) = &second[0];
    assert_eq!(
        (
            unchanged.revision,
            unchanged.updated_at,
            unchanged.next_attempt_at
        ),
        (1, stored_t0, stored_t0),
        "the same quantity writes nothing"
    );
    let (changed, _) = &second[2];
    assert_eq!(
        changed,
        &StockLevel {
            quantity: 4,
            revision: 2,
            attempts: 0,
            last_error: None,
            next_attempt_at: t1,
            updated_at: t1,
            ..created.clone()
        }
    );
    assert_eq!(level(store, connection.id, "TK-MUG-0002").await, *changed);

    // Back to the first quantity is a change too: what counts is the stored quantity, not the history.
    assert_eq!(
        set(store, connection.id, &[("TK-MUG-0002", 5)], t1).await,
        [StockChange::Changed]
    );
    assert_eq!(level(store, connection.id, "TK-MUG-0002").await.revision, 3);
    assert_eq!(count_rows(&db, connection.id).await, 4);

    // An empty call checks the connection and writes nothing.
    assert!(
        store
            .set_stock_levels(connection.id, &[], t1)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn many_skus_are_set_in_one_call(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    // More SKUs than one statement writes, in descending order.
    let many: Vec<(String, u32)> = (0..1_200_u32)
        .rev()
        .map(|n| (format!("SKU-{n:05}"), n))
        .collect();
    let result = store
        .set_stock_levels(connection.id, &many, t0)
        .await
        .unwrap();
    assert_eq!(result.len(), 1_200);
    for ((sku, quantity), (level, change)) in many.iter().zip(&result) {
        assert_eq!(
            (&level.sku, level.quantity, *change),
            (sku, *quantity, StockChange::Created)
        );
    }

    // Every other SKU changes.
    let next: Vec<(String, u32)> = many
        .iter()
        .map(|(sku, quantity)| (sku.clone(), quantity + quantity % 2))
        .collect();
    let result = store
        .set_stock_levels(connection.id, &next, t0 + minutes(1))
        .await
        .unwrap();
    for ((original, (sku, quantity)), (level, change)) in many.iter().zip(&next).zip(&result) {
        assert_eq!((&level.sku, level.quantity), (sku, *quantity));
        let expected = if original.1 % 2 == 1 {
            (StockChange::Changed, 2)
        } else {
            (StockChange::Unchanged, 1)
        };
        assert_eq!((*change, level.revision), expected, "{sku}");
    }
    assert_eq!(
        result
            .iter()
            .filter(|(_, change)| *change == StockChange::Changed)
            .count(),
        600
    );
    assert_eq!(count_rows(&db, connection.id).await, 1_200);
}

async fn one_bad_sku_writes_nothing(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, connection.id, &[("TK-MUG-0001", 3)], t0).await;
    let before = level(store, connection.id, "TK-MUG-0001").await;

    let forty = "x".repeat(40);
    let forty_one = "x".repeat(41);
    let cases: Vec<(Vec<(String, u32)>, &str)> = vec![
        (levels(&[("TK-MUG-0001", 9), ("", 1)]), "SKU"),
        (levels(&[("TK-MUG-0001", 9), ("  ", 1)]), "SKU"),
        (levels(&[("TK-MUG-0001", 9), (" TK-MUG-0002", 1)]), "SKU"),
        (levels(&[("TK-MUG-0001", 9), ("TK-MUG-0002 ", 1)]), "SKU"),
        (levels(&[("TK-MUG-0001", 9), ("TK\tMUG", 1)]), "SKU"),
        (levels(&[("TK-MUG-0001", 9), (&forty_one, 1)]), "SKU"),
        (
            levels(&[("TK-MUG-0001", 9), ("TK-MUG-0002", 1_000_001)]),
            "stock quantity",
        ),
        (
            levels(&[("TK-MUG-0001", 9), ("TK-MUG-0002", 1), ("TK-MUG-0001", 2)]),
            "stock levels",
        ),
    ];
    for (batch, field) in cases {
        assert_invalid(
            store
                .set_stock_levels(connection.id, &batch, t0 + minutes(1))
                .await,
            field,
        );
    }
    assert_eq!(level(store, connection.id, "TK-MUG-0001").await, before);
    assert_eq!(count_rows(&db, connection.id).await, 1);

    // An unknown connection: nothing anywhere.
    let stranger = mws_connection(connection.merchant_id, 2);
    assert_not_found(
        store
            .set_stock_levels(stranger.id, &levels(&[("TK-MUG-0001", 1)]), t0)
            .await,
        "connection",
    );
    assert_not_found(
        store.set_stock_levels(stranger.id, &[], t0).await,
        "connection",
    );
    assert_eq!(count_rows(&db, stranger.id).await, 0);

    // The limits themselves are accepted.
    let edge = store
        .set_stock_levels(connection.id, &levels(&[(&forty, 1_000_000)]), t0)
        .await
        .unwrap();
    assert_eq!(edge[0].0.quantity, 1_000_000);
}

async fn concurrent_calls_give_each_change_its_own_revision(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let mut tasks = Vec::new();
    for n in 0..6_u32 {
        let store = store.clone();
        let id = connection.id;
        // Each call lists the SKUs in another order, with its own quantity.
        let mut batch = levels(&[("A", n), ("B", n), ("C", n)]);
        batch.rotate_left(n as usize % 3);
        tasks.push(tokio::spawn(async move {
            store.set_stock_levels(id, &batch, t0).await.unwrap()
        }));
    }
    let mut created = 0;
    for task in tasks {
        for (_, change) in task.await.unwrap() {
            assert_ne!(change, StockChange::Unchanged);
            created += usize::from(change == StockChange::Created);
        }
    }
    assert_eq!(created, 3, "each SKU is created once");
    for sku in ["A", "B", "C"] {
        assert_eq!(level(store, connection.id, sku).await.revision, 6, "{sku}");
    }
}

async fn due_levels_come_by_connection_then_sku(db: Db) {
    let store = &db.store;
    let first = merchant_with_connection(store, "Acme", 1).await;
    let second = merchant_with_connection(store, "Beta", 2).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, second.id, &[("B-2", 1), ("B-1", 1)], t0).await;
    set(
        store,
        first.id,
        &[("Z", 1), ("A", 1), ("M", 1), ("P", 1)],
        t0 + minutes(1),
    )
    .await;
    // M is submitted, its feed checked at t0+4m; P was pushed at once; Z failed and waits until t0+10m.
    store
        .stock_submitted(
            first.id,
            "M",
            1,
            "50001018000",
            t0 + minutes(4),
            t0 + minutes(1),
        )
        .await
        .unwrap();
    store
        .stock_pushed(first.id, "P", 1, 1, t0 + minutes(1))
        .await
        .unwrap();
    store
        .stock_retry_later(
            first.id,
            "Z",
            1,
            StockState::Pending,
            "Amazon unreachable",
            t0 + minutes(10),
            t0 + minutes(1),
        )
        .await
        .unwrap();

    let mut by_connection = [(&first, ["A", "M", "Z"]), (&second, ["B-1", "B-2", ""])];
    by_connection.sort_by_key(|(connection, _)| connection.id.to_string());
    let expected_at = |now_minutes: i64| -> Vec<(ConnectionId, String)> {
        let mut expected = Vec::new();
        for (connection, skus) in &by_connection {
            for sku in skus.iter().filter(|sku| !sku.is_empty()) {
                let due = match (connection.id == first.id, *sku) {
                    (true, "M") => now_minutes >= 4,
                    (true, "Z") => now_minutes >= 10,
                    (true, _) => now_minutes >= 1,
                    (false, _) => now_minutes >= 0,
                };
                if due {
                    expected.push(key(connection, sku));
                }
            }
        }
        expected
    };
    for now_minutes in [0, 1, 4, 10] {
        let due = store
            .due_stock_levels(t0 + minutes(now_minutes), 100)
            .await
            .unwrap();
        assert_eq!(keys(&due), expected_at(now_minutes), "at t0+{now_minutes}m");
    }
    let due = store.due_stock_levels(t0 + minutes(4), 100).await.unwrap();
    let m = due.iter().find(|level| level.sku == "M").unwrap();
    assert_eq!(m.state, StockState::Submitted);
    // Due exactly at the next attempt, not a millisecond before.
    let just_before = store
        .due_stock_levels(t0 + minutes(4) - SignedDuration::from_millis(1), 100)
        .await
        .unwrap();
    assert!(just_before.iter().all(|level| level.sku != "M"));
    assert!(
        store
            .due_stock_levels(t0 - SignedDuration::from_millis(1), 100)
            .await
            .unwrap()
            .is_empty()
    );
    // The limit keeps the first rows of that order.
    let all = expected_at(10);
    assert_eq!(all.len(), 5);
    assert_eq!(
        keys(&store.due_stock_levels(t0 + minutes(10), 2).await.unwrap()),
        all[..2]
    );
    assert!(
        store
            .due_stock_levels(t0 + minutes(10), 0)
            .await
            .unwrap()
            .is_empty()
    );
    // The pushed SKU is never due.
    assert!(
        store
            .due_stock_levels(at("2100-01-01T00:00:00Z"), 100)
            .await
            .unwrap()
            .iter()
            .all(|level| level.sku != "P")
    );
}

async fn a_pushed_current_revision_is_never_due_again(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, connection.id, &[("TK-MUG-0001", 12)], t0).await;
    let check_at = t0 + minutes(5);
    store
        .stock_retry_later(
            connection.id,
            "TK-MUG-0001",
            1,
            StockState::Pending,
            "throttled",
            t0,
            t0,
        )
        .await
        .unwrap();
    store
        .stock_submitted(connection.id, "TK-MUG-0001", 1, "50001018000", check_at, t0)
        .await
        .unwrap();
    let submitted = level(store, connection.id, "TK-MUG-0001").await;
    assert_eq!(
        (
            submitted.state,
            submitted.submitted_revision,
            submitted.feed_submission_id.as_deref(),
            submitted.attempts,
            submitted.last_error.as_deref(),
            submitted.next_attempt_at,
        ),
        (
            StockState::Submitted,
            Some(1),
            Some("50001018000"),
            2,
            None,
            check_at
        )
    );
    // The feed is still being processed.
    store
        .stock_retry_later(
            connection.id,
            "TK-MUG-0001",
            1,
            StockState::Submitted,
            "feed _IN_PROGRESS_",
            check_at + minutes(5),
            check_at,
        )
        .await
        .unwrap();

    let done_at = at("2026-03-02T06:10:00.250Z");
    store
        .stock_pushed(connection.id, "TK-MUG-0001", 1, 12, done_at)
        .await
        .unwrap();
    let pushed = level(store, connection.id, "TK-MUG-0001").await;
    assert_eq!(
        pushed,
        StockLevel {
            state: StockState::Pushed,
            pushed_revision: 1,
            pushed_quantity: Some(12),
            pushed_at: Some(done_at),
            submitted_revision: None,
            submitted_quantity: None,
            feed_submission_id: None,
            attempts: 3,
            last_error: None,
            next_attempt_at: check_at + minutes(5),
            updated_at: done_at,
            ..submitted.clone()
        }
    );
    assert!(
        store
            .due_stock_levels(at("2100-01-01T00:00:00Z"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Amazon's answer repeated changes nothing it recorded; the same quantity set again changes nothing.
    store
        .stock_pushed(connection.id, "TK-MUG-0001", 1, 12, done_at + minutes(1))
        .await
        .unwrap();
    let again = level(store, connection.id, "TK-MUG-0001").await;
    assert_eq!(
        again,
        StockLevel {
            updated_at: done_at + minutes(1),
            ..pushed.clone()
        }
    );
    assert_eq!(
        set(
            store,
            connection.id,
            &[("TK-MUG-0001", 12)],
            done_at + minutes(2)
        )
        .await,
        [StockChange::Unchanged]
    );
    assert_eq!(level(store, connection.id, "TK-MUG-0001").await, again);
    // Nothing left to submit or retry.
    assert_conflict(
        store
            .stock_submitted(connection.id, "TK-MUG-0001", 1, "50001018001", t0, t0)
            .await,
        "expected pending at revision 1, it is pushed at revision 1",
    );

    // An API that answers at once goes from pending straight to pushed.
    set(
        store,
        connection.id,
        &[("TK-MUG-0001", 11)],
        done_at + minutes(3),
    )
    .await;
    store
        .stock_pushed(connection.id, "TK-MUG-0001", 2, 11, done_at + minutes(4))
        .await
        .unwrap();
    let direct = level(store, connection.id, "TK-MUG-0001").await;
    assert_eq!(
        (
            direct.state,
            direct.revision,
            direct.pushed_revision,
            direct.pushed_quantity,
            direct.pushed_at,
        ),
        (
            StockState::Pushed,
            2,
            2,
            Some(11),
            Some(done_at + minutes(4))
        )
    );
}

async fn a_quantity_set_while_submitted_is_pushed_afterwards(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let id = connection.id;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, id, &[("TK-MUG-0001", 10)], t0).await;
    store
        .stock_submitted(id, "TK-MUG-0001", 1, "50001018000", t0 + minutes(5), t0)
        .await
        .unwrap();

    // The quantity changes while the feed is processed.
    let t1 = t0 + minutes(1);
    assert_eq!(
        set(store, id, &[("TK-MUG-0001", 8)], t1).await,
        [StockChange::Changed]
    );
    let changed = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        changed.submitted_quantity,
        Some(10),
        "the quantity in flight is kept beside the newer one"
    );
    assert_eq!(
        (
            changed.state,
            changed.quantity,
            changed.revision,
            changed.submitted_revision,
            changed.feed_submission_id.as_deref(),
            changed.attempts,
            changed.next_attempt_at,
        ),
        (
            StockState::Pending,
            8,
            2,
            Some(1),
            Some("50001018000"),
            0,
            t1
        ),
        "pending at the new revision, the old feed still known"
    );
    assert_eq!(
        keys(&store.due_stock_levels(t1, 10).await.unwrap()),
        [key(&connection, "TK-MUG-0001")]
    );
    // A worker that read revision 1 cannot submit it again.
    assert_conflict(
        store
            .stock_submitted(id, "TK-MUG-0001", 1, "50001018001", t1, t1)
            .await,
        "expected pending at revision 1, it is pending at revision 2",
    );

    // The old feed's outcome arrives: Amazon holds 10 now, and 8 still waits.
    let t2 = t0 + minutes(5);
    store
        .stock_pushed(id, "TK-MUG-0001", 1, 10, t2)
        .await
        .unwrap();
    let recorded = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        recorded,
        StockLevel {
            pushed_revision: 1,
            pushed_quantity: Some(10),
            pushed_at: Some(t2),
            submitted_revision: None,
            submitted_quantity: None,
            feed_submission_id: None,
            updated_at: t2,
            ..changed.clone()
        }
    );
    assert_eq!(recorded.state, StockState::Pending);
    assert_eq!(
        keys(&store.due_stock_levels(t2, 10).await.unwrap()),
        [key(&connection, "TK-MUG-0001")]
    );

    // Revision 2 goes out in its own feed and is accepted.
    store
        .stock_submitted(id, "TK-MUG-0001", 2, "50001018001", t2 + minutes(5), t2)
        .await
        .unwrap();
    store
        .stock_pushed(id, "TK-MUG-0001", 2, 8, t2 + minutes(5))
        .await
        .unwrap();
    let done = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            done.state,
            done.pushed_revision,
            done.pushed_quantity,
            done.submitted_revision
        ),
        (StockState::Pushed, 2, Some(8), None)
    );

    // A late, repeated answer about revision 1 never takes pushed_revision back.
    store
        .stock_pushed(id, "TK-MUG-0001", 1, 10, t2 + minutes(6))
        .await
        .unwrap();
    let late = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            late.state,
            late.pushed_revision,
            late.pushed_quantity,
            late.pushed_at
        ),
        (StockState::Pushed, 2, Some(8), Some(t2 + minutes(5)))
    );

    // A revision the row has not reached is a conflict, and an unknown SKU is not found.
    assert_conflict(
        store.stock_pushed(id, "TK-MUG-0001", 3, 8, t2).await,
        "revision 3 does not exist yet, it is at revision 2",
    );
    assert_not_found(
        store.stock_pushed(id, "TK-MUG-0404", 1, 8, t2).await,
        "stock level",
    );
    assert_invalid(
        store.stock_pushed(id, "TK-MUG-0001", 0, 8, t2).await,
        "stock revision",
    );
    assert_invalid(
        store
            .stock_pushed(id, "TK-MUG-0001", 2, 1_000_001, t2)
            .await,
        "stock quantity",
    );
}

async fn a_newer_feed_replaces_the_one_in_flight(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let id = connection.id;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, id, &[("TK-MUG-0001", 10)], t0).await;
    store
        .stock_submitted(id, "TK-MUG-0001", 1, "F-1", t0 + minutes(5), t0)
        .await
        .unwrap();
    set(store, id, &[("TK-MUG-0001", 8)], t0 + minutes(1)).await;
    // The worker does not wait for feed F-1: revision 2 goes out in F-2.
    store
        .stock_submitted(
            id,
            "TK-MUG-0001",
            2,
            "F-2",
            t0 + minutes(6),
            t0 + minutes(1),
        )
        .await
        .unwrap();
    let in_flight = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            in_flight.state,
            in_flight.submitted_revision,
            in_flight.feed_submission_id.as_deref(),
            in_flight.attempts
        ),
        (StockState::Submitted, Some(2), Some("F-2"), 1)
    );
    // F-1's outcome records what Amazon holds and leaves F-2 in flight.
    store
        .stock_pushed(id, "TK-MUG-0001", 1, 10, t0 + minutes(5))
        .await
        .unwrap();
    let recorded = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            recorded.state,
            recorded.pushed_revision,
            recorded.submitted_revision,
            recorded.feed_submission_id.as_deref()
        ),
        (StockState::Submitted, 1, Some(2), Some("F-2"))
    );
    // So does a refusal of F-1.
    store
        .stock_rejected(id, "TK-MUG-0001", 1, "8560 SKU not found", t0 + minutes(5))
        .await
        .unwrap();
    let still = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            still.state,
            still.last_error,
            still.feed_submission_id.as_deref()
        ),
        (StockState::Submitted, None, Some("F-2"))
    );
}

async fn rejections_of_the_current_and_of_a_stale_revision(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let id = connection.id;
    let t0 = at("2026-03-02T06:00:00Z");

    // The current revision refused: rejected, never due, until a quantity is set again.
    set(store, id, &[("CUR", 4)], t0).await;
    store
        .stock_submitted(id, "CUR", 1, "50001018000", t0 + minutes(5), t0)
        .await
        .unwrap();
    store
        .stock_rejected(id, "CUR", 1, "8541 SKU does not match", t0 + minutes(5))
        .await
        .unwrap();
    let rejected = level(store, id, "CUR").await;
    assert_eq!(
        (
            rejected.state,
            rejected.last_error.as_deref(),
            rejected.submitted_revision,
            rejected.feed_submission_id.clone(),
            rejected.pushed_revision,
            rejected.updated_at,
        ),
        (
            StockState::Rejected,
            Some("8541 SKU does not match"),
            None,
            None,
            0,
            t0 + minutes(5)
        )
    );
    assert!(
        store
            .due_stock_levels(at("2100-01-01T00:00:00Z"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_conflict(
        store
            .stock_retry_later(id, "CUR", 1, StockState::Submitted, "x", t0, t0)
            .await,
        "expected submitted at revision 1, it is rejected at revision 1",
    );
    // Even the same quantity makes a new revision of a rejected row.
    let t1 = t0 + minutes(20);
    assert_eq!(
        set(store, id, &[("CUR", 4)], t1).await,
        [StockChange::Changed]
    );
    let retried = level(store, id, "CUR").await;
    assert_eq!(
        (
            retried.state,
            retried.revision,
            retried.last_error,
            retried.attempts,
            retried.next_attempt_at
        ),
        (StockState::Pending, 2, None, 0, t1)
    );

    // A stale revision refused: only its feed is forgotten, the newer revision still waits.
    set(store, id, &[("OLD", 4)], t0).await;
    store
        .stock_submitted(id, "OLD", 1, "50001018001", t0 + minutes(5), t0)
        .await
        .unwrap();
    set(store, id, &[("OLD", 6)], t0 + minutes(1)).await;
    store
        .stock_rejected(id, "OLD", 1, "8541 SKU does not match", t0 + minutes(5))
        .await
        .unwrap();
    let stale = level(store, id, "OLD").await;
    assert_eq!(
        (
            stale.state,
            stale.revision,
            stale.last_error.as_deref(),
            stale.submitted_revision,
            stale.feed_submission_id.as_deref(),
        ),
        (StockState::Pending, 2, None, None, None)
    );
    assert!(
        store
            .due_stock_levels(t0 + minutes(5), 10)
            .await
            .unwrap()
            .iter()
            .any(|level| level.sku == "OLD")
    );

    assert_conflict(
        store.stock_rejected(id, "OLD", 3, "x", t0).await,
        "revision 3 does not exist yet, it is at revision 2",
    );
    assert_not_found(
        store.stock_rejected(id, "NONE", 1, "x", t0).await,
        "stock level",
    );
    assert_invalid(
        store.stock_rejected(id, "OLD", 2, "  ", t0).await,
        "rejection reason",
    );
    assert_eq!(level(store, id, "OLD").await, stale);
}

async fn retrying_compares_and_swaps_state_and_revision(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let id = connection.id;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, id, &[("TK-MUG-0001", 3)], t0).await;

    store
        .stock_retry_later(
            id,
            "TK-MUG-0001",
            1,
            StockState::Pending,
            "503 RequestThrottled",
            t0 + minutes(1),
            t0 + SignedDuration::from_secs(1),
        )
        .await
        .unwrap();
    let retried = level(store, id, "TK-MUG-0001").await;
    assert_eq!(
        (
            retried.state,
            retried.attempts,
            retried.last_error.as_deref(),
            retried.next_attempt_at,
            retried.updated_at
        ),
        (
            StockState::Pending,
            1,
            Some("503 RequestThrottled"),
            t0 + minutes(1),
            t0 + SignedDuration::from_secs(1)
        )
    );
    assert!(store.due_stock_levels(t0, 10).await.unwrap().is_empty());

    // Wrong state, then wrong revision: refused, nothing changes.
    assert_conflict(
        store
            .stock_retry_later(id, "TK-MUG-0001", 1, StockState::Submitted, "x", t0, t0)
            .await,
        "expected submitted at revision 1, it is pending at revision 1",
    );
    set(store, id, &[("TK-MUG-0001", 2)], t0 + minutes(2)).await;
    let changed = level(store, id, "TK-MUG-0001").await;
    assert_eq!((changed.attempts, changed.last_error.as_deref()), (0, None));
    assert_conflict(
        store
            .stock_retry_later(id, "TK-MUG-0001", 1, StockState::Pending, "x", t0, t0)
            .await,
        "expected pending at revision 1, it is pending at revision 2",
    );
    assert_eq!(level(store, id, "TK-MUG-0001").await, changed);

    // Unknown rows and bad arguments.
    assert_not_found(
        store
            .stock_retry_later(id, "NONE", 1, StockState::Pending, "x", t0, t0)
            .await,
        "stock level",
    );
    let stranger = ConnectionId::new();
    assert_not_found(
        store
            .stock_submitted(stranger, "TK-MUG-0001", 1, "50001018000", t0, t0)
            .await,
        "stock level",
    );
    assert_invalid(
        store
            .stock_retry_later(id, "TK-MUG-0001", 2, StockState::Pushed, "x", t0, t0)
            .await,
        "expected stock state",
    );
    assert_invalid(
        store
            .stock_retry_later(id, "TK-MUG-0001", 2, StockState::Pending, " ", t0, t0)
            .await,
        "stock error",
    );
    assert_invalid(
        store
            .stock_retry_later(id, "TK-MUG-0001", 0, StockState::Pending, "x", t0, t0)
            .await,
        "stock revision",
    );
    assert_invalid(
        store
            .stock_submitted(id, "TK-MUG-0001", 2, " 5000", t0, t0)
            .await,
        "feed submission id",
    );
    assert_eq!(level(store, id, "TK-MUG-0001").await, changed);
}

async fn two_workers_never_both_submit_a_revision(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, connection.id, &[("TK-MUG-0001", 3)], t0).await;
    let mut tasks = Vec::new();
    for n in 0..6 {
        let store = store.clone();
        let id = connection.id;
        tasks.push(tokio::spawn(async move {
            let feed = format!("5000101800{n}");
            store
                .stock_submitted(id, "TK-MUG-0001", 1, &feed, t0 + minutes(5), t0)
                .await
                .map(|()| feed)
        }));
    }
    let mut winners = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(feed) => winners.push(feed),
            Err(StoreError::Conflict { detail, .. }) => assert_eq!(
                detail,
                "expected pending at revision 1, it is submitted at revision 1"
            ),
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(winners.len(), 1);
    let stored = level(store, connection.id, "TK-MUG-0001").await;
    assert_eq!(stored.feed_submission_id.as_ref(), Some(&winners[0]));
    assert_eq!(stored.attempts, 1);
}

async fn lists_filter_by_connection_merchant_sku_and_state(db: Db) {
    let store = &db.store;
    let acme = merchant_with_connection(store, "Acme", 1).await;
    let acme_second = mws_connection(acme.merchant_id, 2);
    add_connection(store, &acme_second).await;
    let beta = merchant_with_connection(store, "Beta", 3).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, acme.id, &[("B", 1), ("A", 2), ("C", 3)], t0).await;
    set(store, acme_second.id, &[("A", 4)], t0).await;
    set(store, beta.id, &[("A", 5)], t0).await;
    store
        .stock_submitted(acme.id, "B", 1, "50001018000", t0, t0)
        .await
        .unwrap();
    store.stock_pushed(acme.id, "C", 1, 3, t0).await.unwrap();

    let list =
        |filter: StockFilter| async move { keys(&store.stock_levels(&filter).await.unwrap()) };
    let sorted = |mut keys: Vec<(ConnectionId, String)>| {
        keys.sort_by(|a, b| (a.0.to_string(), &a.1).cmp(&(b.0.to_string(), &b.1)));
        keys
    };

    let everything = list(StockFilter::default()).await;
    let expected = sorted(vec![
        key(&acme, "A"),
        key(&acme, "B"),
        key(&acme, "C"),
        key(&acme_second, "A"),
        key(&beta, "A"),
    ]);
    assert_eq!(everything, expected, "by connection then SKU");
    assert_eq!(
        list(StockFilter {
            connection: Some(acme.id),
            ..StockFilter::default()
        })
        .await,
        [key(&acme, "A"), key(&acme, "B"), key(&acme, "C")]
    );
    assert_eq!(
        list(StockFilter {
            merchant: Some(acme.merchant_id),
            sku: Some("A".to_owned()),
            ..StockFilter::default()
        })
        .await,
        sorted(vec![key(&acme, "A"), key(&acme_second, "A")])
    );
    assert_eq!(
        list(StockFilter {
            states: vec![StockState::Submitted, StockState::Pushed],
            ..StockFilter::default()
        })
        .await,
        [key(&acme, "B"), key(&acme, "C")]
    );
    assert_eq!(
        list(StockFilter {
            merchant: Some(beta.merchant_id),
            states: vec![StockState::Pending],
            ..StockFilter::default()
        })
        .await,
        [key(&beta, "A")]
    );
    assert!(
        list(StockFilter {
            connection: Some(beta.id),
            sku: Some("B".to_owned()),
            ..StockFilter::default()
        })
        .await
        .is_empty()
    );
    assert_eq!(
        list(StockFilter {
            limit: 2,
            ..StockFilter::default()
        })
        .await,
        expected[..2]
    );
    assert_invalid(
        store
            .stock_levels(&StockFilter {
                limit: 501,
                ..StockFilter::default()
            })
            .await,
        "stock filter limit",
    );
    assert_eq!(
        store
            .stock_levels(&StockFilter {
                limit: 500,
                ..StockFilter::default()
            })
            .await
            .unwrap()
            .len(),
        5
    );
}

async fn a_list_without_a_limit_holds_a_hundred(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let many: Vec<(String, u32)> = (0..101_u32).map(|n| (format!("SKU-{n:03}"), n)).collect();
    store
        .set_stock_levels(connection.id, &many, at("2026-03-02T06:00:00Z"))
        .await
        .unwrap();
    let page = store.stock_levels(&StockFilter::default()).await.unwrap();
    assert_eq!(page.len(), 100);
    assert_eq!(page[0].sku, "SKU-000");
    assert_eq!(page[99].sku, "SKU-099", "the last SKU is left out");
}

async fn removing_a_connection_removes_its_stock_levels(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    let keep = merchant_with_connection(store, "Keep", 2).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(store, connection.id, &[("A", 1), ("B", 2)], t0).await;
    store
        .stock_submitted(connection.id, "B", 1, "50001018000", t0, t0)
        .await
        .unwrap();
    set(store, keep.id, &[("A", 3)], t0).await;

    store
        .remove_connection(
            connection.id,
            &entry(
                connection.merchant_id,
                Some(connection.id),
                AuditAction::ConnectionRemoved,
                t0,
            ),
        )
        .await
        .unwrap();

    assert_eq!(count_rows(&db, connection.id).await, 0);
    assert_eq!(
        keys(&store.stock_levels(&StockFilter::default()).await.unwrap()),
        [key(&keep, "A")]
    );
    assert_eq!(
        keys(&store.due_stock_levels(t0, 10).await.unwrap()),
        [key(&keep, "A")]
    );
    assert_not_found(
        store
            .set_stock_levels(connection.id, &levels(&[("A", 1)]), t0)
            .await,
        "connection",
    );
}

async fn a_corrupt_stock_level_is_reported_not_a_panic(db: Db) {
    let store = &db.store;
    let connection = merchant_with_connection(store, "Acme", 1).await;
    set(
        store,
        connection.id,
        &[("A", 1)],
        at("2026-03-02T06:00:00Z"),
    )
    .await;
    db.execute(&format!(
        "UPDATE stock_levels SET next_attempt_ms = {} WHERE connection_id = '{}'",
        i64::MAX,
        connection.id
    ))
    .await;
    match store.stock_levels(&StockFilter::default()).await {
        Err(StoreError::Corrupt {
            table: "stock_levels",
            column: "next_attempt_ms",
            ..
        }) => {}
        other => panic!("expected a corrupt next_attempt_ms, got {other:?}"),
    }
}

/// The SKUs of a list, in order.
fn skus(levels: &[StockLevel]) -> Vec<String> {
    levels.iter().map(|level| level.sku.clone()).collect()
}

async fn sku_searches_fold_ascii_letters_and_match_wildcards_literally(db: Db) {
    let store = &db.store;
    let acme = merchant_with_connection(store, "Acme", 1).await;
    let other = merchant_with_connection(store, "Other", 2).await;
    let t0 = at("2026-03-02T06:00:00Z");
    set(
        store,
        acme.id,
        &[
            ("TK-MUG-0001", 1),
            ("tk-mug-0002", 2),
            ("TK-CUP-0001", 3),
            ("50%OFF-MUG", 4),
            ("50XOFF-MUG", 5),
            ("A_B", 6),
            ("AXB", 7),
            ("湯呑み-ＡＢ", 8),
            ("湯呑み-ab", 9),
        ],
        t0,
    )
    .await;
    set(store, other.id, &[("TK-MUG-0003", 1)], t0).await;
    let search = |search: SkuSearch| async move {
        let filter = StockFilter {
            connection: Some(acme.id),
            sku_search: Some(search),
            ..StockFilter::default()
        };
        let found = skus(&store.stock_levels(&filter).await.unwrap());
        let counted = store.count_stock_levels(&filter).await.unwrap();
        assert_eq!(counted, found.len() as u64, "{filter:?}");
        found
    };
    assert_eq!(
        search(SkuSearch::Prefix("tk-mug".into())).await,
        ["TK-MUG-0001", "tk-mug-0002"],
        "ASCII letters without case; the other connection's SKU is not listed"
    );
    assert_eq!(
        search(SkuSearch::Contains("Mug".into())).await,
        ["50%OFF-MUG", "50XOFF-MUG", "TK-MUG-0001", "tk-mug-0002"]
    );
    assert!(search(SkuSearch::Prefix("MUG".into())).await.is_empty());
    assert_eq!(
        search(SkuSearch::Contains("50%".into())).await,
        ["50%OFF-MUG"],
        "% matches only itself"
    );
    assert_eq!(
        search(SkuSearch::Prefix("a_".into())).await,
        ["A_B"],
        "_ matches only itself"
    );
    assert_eq!(
        search(SkuSearch::Contains("ＡＢ".into())).await,
        ["湯呑み-ＡＢ"],
        "full-width letters compare exactly on both engines"
    );
    assert_eq!(
        search(SkuSearch::Prefix("湯呑み".into())).await,
        ["湯呑み-ab", "湯呑み-ＡＢ"]
    );
}

async fn stock_levels_page_by_offset_with_a_count(db: Db) {
    let store = &db.store;
    let acme = merchant_with_connection(store, "Acme", 1).await;
    let t0 = at("2026-03-02T06:00:00Z");
    let names: Vec<String> = (1..=7).map(|n| format!("SKU-{n:02}")).collect();
    let pairs: Vec<(&str, u32)> = names.iter().map(|n| (n.as_str(), 1)).collect();
    set(store, acme.id, &pairs, t0).await;
    store
        .stock_pushed(acme.id, "SKU-03", 1, 1, t0)
        .await
        .unwrap();
    let page = |offset: u64, states: Vec<StockState>| async move {
        let filter = StockFilter {
            connection: Some(acme.id),
            states,
            limit: 3,
            offset,
            ..StockFilter::default()
        };
        (
            skus(&store.stock_levels(&filter).await.unwrap()),
            store.count_stock_levels(&filter).await.unwrap(),
        )
    };
    assert_eq!(page(0, vec![]).await, (names[0..3].to_vec(), 7));
    assert_eq!(page(3, vec![]).await, (names[3..6].to_vec(), 7));
    assert_eq!(page(6, vec![]).await, (names[6..7].to_vec(), 7));
    assert_eq!(page(9, vec![]).await, (Vec::<String>::new(), 7));
    assert_eq!(
        page(0, vec![StockState::Pending]).await,
        (
            vec![
                "SKU-01".to_owned(),
                "SKU-02".to_owned(),
                "SKU-04".to_owned()
            ],
            6
        )
    );
    assert_eq!(
        page(0, vec![StockState::Pushed]).await,
        (vec!["SKU-03".to_owned()], 1)
    );
}

on_both_engines!(
    setting_quantities_creates_revisions_only_on_change,
    many_skus_are_set_in_one_call,
    one_bad_sku_writes_nothing,
    concurrent_calls_give_each_change_its_own_revision,
    due_levels_come_by_connection_then_sku,
    a_pushed_current_revision_is_never_due_again,
    a_quantity_set_while_submitted_is_pushed_afterwards,
    a_newer_feed_replaces_the_one_in_flight,
    rejections_of_the_current_and_of_a_stale_revision,
    retrying_compares_and_swaps_state_and_revision,
    two_workers_never_both_submit_a_revision,
    lists_filter_by_connection_merchant_sku_and_state,
    a_list_without_a_limit_holds_a_hundred,
    removing_a_connection_removes_its_stock_levels,
    a_corrupt_stock_level_is_reported_not_a_panic,
    sku_searches_fold_ascii_letters_and_match_wildcards_literally,
    stock_levels_page_by_offset_with_a_count,
);
