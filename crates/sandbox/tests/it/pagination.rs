//! NextToken pagination covers every order exactly once, also while the clock moves and orders
//! change between pages, and incremental imports by LastUpdatedAfter see the changes.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::StatusCode;

use crate::support::{JP, Options, TestSandbox, all, first};

const ORDERS: &str = "/Orders/2013-09-01";

/// Follows NextTokens; calls `between_pages` after each page. Returns (ids in order, pages, bound).
async fn list_all<F, Fut>(
    sandbox: &TestSandbox,
    token: &str,
    window: (&str, &str),
    page_size: &str,
    mut between_pages: F,
) -> (Vec<(String, String, String)>, usize, String)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let first_page = sandbox
        .call(ORDERS, "ListOrders", token)
        .param("MarketplaceId.Id.1", JP)
        .param(window.0, window.1)
        .param("MaxResultsPerPage", page_size)
        .send(&sandbox.client)
        .await;
    assert_eq!(first_page.status, StatusCode::OK, "{}", first_page.body);
    let bound_tag = if window.0 == "CreatedAfter" {
        "CreatedBefore"
    } else {
        "LastUpdatedBefore"
    };
    let bound = first(&first_page.body, bound_tag).expect("echoed bound");
    let mut seen = Vec::new();
    let mut pages = 0;
    let mut body = first_page.body;
    loop {
        pages += 1;
        let ids = all(&body, "AmazonOrderId");
        let statuses = all(&body, "OrderStatus");
        let updated = all(&body, "LastUpdateDate");
        assert!(ids.len() <= page_size.parse::<usize>().unwrap());
        seen.extend(
            ids.into_iter()
                .zip(statuses)
                .zip(updated)
                .map(|((i, s), u)| (i, s, u)),
        );
        assert_eq!(
            first(&body, bound_tag).as_deref(),
            Some(bound.as_str()),
            "every page echoes the pinned bound"
        );
        let Some(next) = first(&body, "NextToken") else {
            break;
        };
        between_pages().await;
        let page = sandbox
            .call(ORDERS, "ListOrdersByNextToken", token)
            .param("NextToken", &next)
            .send(&sandbox.client)
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("<ListOrdersByNextTokenResponse"));
        body = page.body;
    }
    (seen, pages, bound)
}

fn t(text: &str) -> jiff::Timestamp {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn visible_orders(json: &serde_json::Value) -> BTreeMap<String, (String, String, String)> {
    json.as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let id = o["amazon_order_id"].as_str().unwrap().to_owned();
            let purchase = o["purchase_date"].as_str().unwrap().to_owned();
            let status = o["status"].as_str().unwrap().to_owned();
            let updated = o["last_update_date"].as_str().unwrap().to_owned();
            (id, (purchase, status, updated))
        })
        .collect()
}

#[tokio::test]
async fn created_window_pages_cover_every_order_exactly_once() {
    let sandbox = TestSandbox::start_with(Options {
        frozen: false,
        scale: 1_000_000.0,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let expected = visible_orders(
        &sandbox
            .control_get(&format!(
                "/_sandbox/sellers/{}/orders",
                sandbox.seller.seller_id
            ))
            .await,
    );
    let (seen, pages, bound) = list_all(
        &sandbox,
        &token,
        ("CreatedAfter", "2024-01-01T00:00:00Z"),
        "37",
        || async {},
    )
    .await;
    let ids: Vec<&String> = seen.iter().map(|(id, _, _)| id).collect();
    let unique: BTreeSet<&String> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no order twice");
    let in_window: BTreeSet<&String> = expected
        .iter()
        .filter(|(_, (p, _, _))| t(p) <= t(&bound))
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        unique, in_window,
        "every visible order of the window, nothing else"
    );
    assert!(pages >= 3, "{pages} pages");

    // Forged and foreign tokens.
    let forged = sandbox
        .call(ORDERS, "ListOrdersByNextToken", &token)
        .param("NextToken", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==")
        .send(&sandbox.client)
        .await;
    assert_eq!(
        (forged.status, forged.code().as_deref()),
        (StatusCode::BAD_REQUEST, Some("NextTokenCorrupted"))
    );
}

#[tokio::test]
async fn pages_stay_exact_while_the_clock_moves_and_orders_change() {
    let sandbox = TestSandbox::start().await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let window = ("LastUpdatedAfter", "2024-02-25T00:00:00Z");
    let before = visible_orders(
        &sandbox
            .control_get(&format!(
                "/_sandbox/sellers/{}/orders",
                sandbox.seller.seller_id
            ))
            .await,
    );
    // Advance 3 hours between pages: generated orders move on (Pending → Unshipped → Shipped).
    let (seen, pages, bound) = list_all(&sandbox, &token, window, "20", || {
        sandbox.advance(3.0 * 3600.0)
    })
    .await;
    assert!(pages >= 3, "{pages} pages");
    let ids: Vec<&String> = seen.iter().map(|(id, _, _)| id).collect();
    let unique: BTreeSet<&String> = ids.iter().copied().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "no order twice even though orders changed between pages"
    );

    // Everything seen was in the window at the time; orders that changed meanwhile left it.
    let now_view = visible_orders(
        &sandbox
            .control_get(&format!(
                "/_sandbox/sellers/{}/orders",
                sandbox.seller.seller_id
            ))
            .await,
    );
    for (id, _, updated) in &seen {
        assert!(
            t(updated) >= t(window.1) && t(updated) <= t(&bound),
            "{id} {updated}"
        );
    }
    // Orders in the window at the start and unchanged since were all seen.
    let stable_in_window: BTreeSet<&String> = before
        .iter()
        .filter(|(id, (_, status, updated))| {
            t(updated) >= t(window.1)
                && t(updated) <= t(&bound)
                && now_view.get(*id).map(|v| (&v.1, &v.2)) == Some((status, updated))
        })
        .map(|(id, _)| id)
        .collect();
    assert!(
        stable_in_window.is_subset(&unique),
        "missing: {:?}",
        stable_in_window.difference(&unique).collect::<Vec<_>>()
    );

    // The next incremental window (from the echoed bound) picks up every order that changed.
    let (next, _, next_bound) = list_all(
        &sandbox,
        &token,
        ("LastUpdatedAfter", bound.as_str()),
        "100",
        || async {},
    )
    .await;
    let next_ids: BTreeSet<&String> = next.iter().map(|(id, _, _)| id).collect();
    let changed: Vec<&String> = now_view
        .iter()
        .filter(|(_, (_, _, updated))| t(updated) > t(&bound) && t(updated) <= t(&next_bound))
        .map(|(id, _)| id)
        .collect();
    assert!(!changed.is_empty(), "orders changed while the clock moved");
    for id in changed {
        assert!(
            next_ids.contains(id),
            "{id} changed and must be in the next window"
        );
    }
}

#[tokio::test]
async fn incremental_import_by_last_updated_after_converges_on_the_sandbox_state() {
    let sandbox = TestSandbox::start_with(Options {
        orders: 400,
        ..Options::default()
    })
    .await;
    let token = sandbox.grant(&sandbox.seller.seller_id).await;
    let orders_path = format!("/_sandbox/sellers/{}/orders", sandbox.seller.seller_id);
    // First import: everything updated since a week ago.
    let (first_window, _, bound) = list_all(
        &sandbox,
        &token,
        ("LastUpdatedAfter", "2024-02-23T00:00:00Z"),
        "100",
        || async {},
    )
    .await;
    let mut imported: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (id, status, updated) in &first_window {
        imported.insert(id.clone(), (status.clone(), updated.clone()));
    }
    // Half a day later, import only what changed since the echoed bound.
    sandbox.advance(12.0 * 3600.0).await;
    sandbox
        .control_post("/_sandbox/throttle/reset", serde_json::json!({}))
        .await;
    let (second_window, _, next_bound) = list_all(
        &sandbox,
        &token,
        ("LastUpdatedAfter", bound.as_str()),
        "100",
        || async {},
    )
    .await;
    let mut changed_status = 0;
    for (id, status, updated) in &second_window {
        if imported.get(id).is_some_and(|(old, _)| old != status) {
            changed_status += 1;
        }
        imported.insert(id.clone(), (status.clone(), updated.clone()));
    }
    assert!(
        changed_status > 0,
        "some orders were imported again with a new status"
    );
    assert!(
        second_window
            .iter()
            .any(|(id, _, _)| !first_window.iter().any(|(f, _, _)| f == id)),
        "new orders arrived"
    );

    // The imported state equals the sandbox's view of every order updated in the imported range.
    let view = visible_orders(&sandbox.control_get(&orders_path).await);
    let lower = t("2024-02-23T00:00:00Z");
    for (id, (_, status, updated)) in &view {
        if t(updated) >= lower && t(updated) <= t(&next_bound) {
            assert_eq!(
                imported.get(id),
                Some(&(status.clone(), updated.clone())),
                "{id}"
            );
        }
    }
}
