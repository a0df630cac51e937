//! Comparing what the store holds with what the sandbox says, order by order and item by item.

use std::collections::BTreeMap;

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_domain::order::{Money, StoredOrder};
use sellerlink_store::{OrderQuery, Store, SyncStream};

use crate::sandbox::OrderView;
use crate::setup::Api;

/// The sandbox's amount (written `1507.00`) in the domain's normal form for the currency (`1507` for yen), as an
/// import stores it through either API.
fn normal(currency: &str, amount: &str) -> Money {
    Money::new(currency, amount).expect("the sandbox writes decimal amounts")
}

/// Every stored order of a connection, by order id.
pub async fn stored_orders(
    store: &Store,
    connection: ConnectionId,
) -> BTreeMap<String, StoredOrder> {
    let query = OrderQuery {
        connection: Some(connection),
        limit: u32::MAX,
        ..OrderQuery::default()
    };
    let orders = store.orders(&query).await.expect("orders read");
    let count = orders.len();
    let by_id: BTreeMap<String, StoredOrder> = orders
        .into_iter()
        .map(|o| (o.order.amazon_order_id.as_str().to_owned(), o))
        .collect();
    assert_eq!(by_id.len(), count, "an order is stored twice");
    by_id
}

/// The connection's order watermark.
pub async fn watermark(store: &Store, connection: ConnectionId) -> Option<Timestamp> {
    store
        .watermark(connection, &SyncStream::orders())
        .await
        .expect("watermark read")
        .map(|record| record.watermark.last_updated_after)
}

/// Asserts the store holds exactly the sandbox's orders last updated up to `watermark` (every one of them, none
/// twice, nothing else), with the same status, dates, channel, marketplace, total and items.
pub async fn assert_matches(
    store: &Store,
    connection: ConnectionId,
    sandbox: &[OrderView],
    watermark: Timestamp,
) {
    let expected: BTreeMap<&str, &OrderView> = sandbox
        .iter()
        .filter(|view| view.last_update() <= watermark)
        .map(|view| (view.amazon_order_id.as_str(), view))
        .collect();
    let stored = stored_orders(store, connection).await;
    let missing: Vec<&&str> = expected
        .keys()
        .filter(|id| !stored.contains_key(**id))
        .collect();
    let extra: Vec<&String> = stored
        .keys()
        .filter(|id| !expected.contains_key(id.as_str()))
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{} orders missing (e.g. {:?}), {} unexpected (e.g. {:?}); {} expected",
        missing.len(),
        missing.iter().take(5).collect::<Vec<_>>(),
        extra.len(),
        extra.iter().take(5).collect::<Vec<_>>(),
        expected.len()
    );
    for (id, view) in &expected {
        let order = &stored[*id].order;
        assert_eq!(order.status.as_str(), view.status, "status of {id}");
        assert_eq!(
            order.last_update_date,
            view.last_update(),
            "last update of {id}"
        );
        assert_eq!(
            order.purchase_date,
            view.purchase(),
            "purchase date of {id}"
        );
        assert_eq!(
            order.marketplace_id.as_str(),
            view.marketplace_id,
            "marketplace of {id}"
        );
        assert_eq!(
            order.fulfillment_channel.map(|c| c.as_str()),
            Some(view.fulfillment_channel.as_str()),
            "channel of {id}"
        );
        if let Some(total) = &order.order_total {
            assert_eq!(
                total,
                &normal(&total.currency, &view.order_total),
                "total of {id} (stored in the currency's normal form)"
            );
        } else {
            assert_eq!(
                view.status, "Pending",
                "only a Pending order hides its total ({id})"
            );
        }
        let mut items: Vec<_> = order.items.iter().collect();
        items.sort_by(|a, b| a.order_item_id.cmp(&b.order_item_id));
        let mut want: Vec<_> = view.items.iter().collect();
        want.sort_by(|a, b| a.order_item_id.cmp(&b.order_item_id));
        assert_eq!(items.len(), want.len(), "item count of {id}");
        for (item, want) in items.iter().zip(&want) {
            assert_eq!(item.order_item_id, want.order_item_id, "item ids of {id}");
            assert_eq!(item.asin, want.asin, "ASIN of {id}/{}", want.order_item_id);
            assert_eq!(
                item.seller_sku.as_deref(),
                Some(want.sku.as_str()),
                "SKU of {id}/{}",
                want.order_item_id
            );
            assert_eq!(
                item.quantity_ordered, want.quantity_ordered,
                "quantity of {id}/{}",
                want.order_item_id
            );
            assert_eq!(
                item.quantity_shipped, want.quantity_shipped,
                "shipped of {id}/{}",
                want.order_item_id
            );
            if let Some(price) = &item.item_price {
                assert_eq!(
                    price,
                    &normal(&price.currency, &want.item_price),
                    "price of {id}/{}",
                    want.order_item_id
                );
            }
        }
    }
}

/// A decimal amount in its shortest spelling: `1507.00` → `1507`, `12.50` → `12.5`. SP-API 2026-01-01 sends
/// amounts that way (whole yen without decimals) while the sandbox's control view and MWS write two decimals.
fn shortest_amount(amount: &str) -> String {
    match amount.split_once('.') {
        Some((whole, fraction)) => {
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                whole.to_owned()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => amount.to_owned(),
    }
}

/// [`assert_matches`] for a connection of `api`: through SP-API with the sandbox's amounts spelled as SP-API spells
/// them.
pub async fn assert_matches_through(
    api: Api,
    store: &Store,
    connection: ConnectionId,
    sandbox: &[OrderView],
    watermark: Timestamp,
) {
    if api == Api::Mws {
        return assert_matches(store, connection, sandbox, watermark).await;
    }
    let spelled: Vec<OrderView> = sandbox
        .iter()
        .cloned()
        .map(|mut view| {
            view.order_total = shortest_amount(&view.order_total);
            for item in &mut view.items {
                item.item_price = shortest_amount(&item.item_price);
            }
            view
        })
        .collect();
    assert_matches(store, connection, &spelled, watermark).await;
}

#[test]
fn amounts_are_compared_in_their_shortest_spelling() {
    assert_eq!(shortest_amount("1507.00"), "1507");
    assert_eq!(shortest_amount("12.50"), "12.5");
    assert_eq!(shortest_amount("330"), "330");
    assert_eq!(shortest_amount("0.05"), "0.05");
}
