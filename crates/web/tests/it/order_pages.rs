//! The order pages in the reader's words: one sandbox seller imported through MWS into one database and through
//! SP-API into another reads identically, row for row; the list sorts and filters by 出荷期限 (page and JSON API
//! alike); the operator's list names each order's merchant.

use std::collections::BTreeMap;

use axum::http::{Method, StatusCode};
use jiff::{SignedDuration, Timestamp};
use sellerlink_app::{NewMwsConnection, NewSpApiConnection};
use sellerlink_domain::audit::Actor;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::{
    ConnectionId, LwaRefreshToken, MarketplaceId, MwsAuthToken, SellerId, SellingPartnerId,
};
use sellerlink_domain::order::Order;
use sellerlink_store::Role;
use sellerlink_sync::ImportOutcome;

use crate::support::{Options, TestApp, order};

/// The rows of the order table, by order id, with the connection's id (the database's own, not an order value)
/// written `{connection}`.
fn rows_of(html: &str, connection: ConnectionId) -> BTreeMap<String, String> {
    let mut rows = BTreeMap::new();
    let mut rest = html;
    while let Some(start) = rest.find("<tr data-order-id=\"") {
        let row = &rest[start..];
        let end = row.find("</tr>").expect("a row ends") + "</tr>".len();
        let id_start = "<tr data-order-id=\"".len();
        let id = &row[id_start..id_start + row[id_start..].find('"').unwrap()];
        rows.insert(
            id.to_owned(),
            row[..end].replace(&connection.to_string(), "{connection}"),
        );
        rest = &row[end..];
    }
    rows
}

async fn import(world: &TestApp, connection: ConnectionId) {
    let report = world
        .app
        .sync_connection(connection, Default::default())
        .await
        .expect("the import runs");
    assert_eq!(
        report.outcome,
        ImportOutcome::Completed,
        "{:?}",
        report.error
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_sellers_orders_through_mws_and_through_sp_api_read_the_same() {
    let options = Options {
        sandbox: true,
        spapi: true,
        ..Options::default()
    };
    let through_mws = TestApp::with(options).await;
    let sandbox = through_mws.sandbox.as_ref().expect("a sandbox");
    let through_spapi = TestApp::sharing_sandbox(options, sandbox).await;

    // The same seller: by its MWS grant in one installation …
    let (seller, marketplace, token) = through_mws.sandbox_grant(0).await;
    let merchant = through_mws.merchant("株式会社たくみ").await;
    through_mws
        .user(
            "mws@takumi.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let mws_connection = through_mws
        .app
        .add_mws_connection(
            NewMwsConnection {
                merchant_id: merchant.id,
                seller_id: SellerId::parse(&seller).unwrap(),
                marketplaces: vec![MarketplaceId::parse(&marketplace).unwrap()],
                auth_token: MwsAuthToken::parse(&token).unwrap(),
                granted_at: None,
                last_approved_on: None,
                expiry: None,
                skip_verification: false,
            },
            &Actor::cli("test"),
        )
        .await
        .expect("the MWS grant is accepted")
        .connection
        .id;
    import(&through_mws, mws_connection).await;

    // … and by an SP-API authorization of the sandbox's demo app in the other.
    let refresh_token = through_mws
        .sandbox_control()
        .authorize(&seller, Some(&sandbox.demo_app().application_id))
        .await
        .refresh_token
        .expect("the seller authorizes the app");
    let merchant = through_spapi.merchant("株式会社たくみ").await;
    through_spapi
        .user(
            "sp@takumi.example",
            Role::Merchant(merchant.id),
            Language::Ja,
        )
        .await;
    let spapi_connection = through_spapi
        .app
        .add_spapi_connection(
            NewSpApiConnection {
                merchant_id: merchant.id,
                selling_partner_id: SellingPartnerId::parse(&seller).unwrap(),
                marketplace_id: MarketplaceId::parse(&marketplace).unwrap(),
                refresh_token: LwaRefreshToken::parse(&refresh_token).unwrap(),
                authorized_on: None,
                skip_verification: false,
            },
            &Actor::cli("test"),
        )
        .await
        .expect("the SP-API authorization is accepted")
        .connection
        .connection
        .id;
    import(&through_spapi, spapi_connection).await;

    for language in ["ja", "en"] {
        let mut mws_browser = through_mws.browser().signed_in("mws@takumi.example").await;
        let mut spapi_browser = through_spapi.browser().signed_in("sp@takumi.example").await;
        let path = "/orders";
        if language == "en" {
            for browser in [&mut mws_browser, &mut spapi_browser] {
                let csrf = browser.csrf().await;
                browser
                    .post_form(
                        "/language",
                        &[("csrf", &csrf), ("lang", "en"), ("next", "/orders")],
                    )
                    .await;
            }
        }
        let mws_page = mws_browser.get(path).await;
        let spapi_page = spapi_browser.get(path).await;
        assert_eq!(mws_page.status, StatusCode::OK);
        let mws_rows = rows_of(&mws_page.body, mws_connection);
        let spapi_rows = rows_of(&spapi_page.body, spapi_connection);
        assert!(
            mws_rows.len() >= 10,
            "the sandbox seller's orders are listed ({})",
            mws_rows.len()
        );
        assert_eq!(
            mws_rows.keys().collect::<Vec<_>>(),
            spapi_rows.keys().collect::<Vec<_>>(),
            "the same orders"
        );
        for (id, row) in &mws_rows {
            assert_eq!(row, &spapi_rows[id], "order {id} ({language})");
        }
        let yen = mws_rows.values().filter(|row| row.contains("¥")).count();
        assert!(yen > 0, "totals read in yen: {mws_rows:?}");
        assert!(
            mws_rows.values().all(|row| !row.contains(".00")),
            "no amount keeps MWS's two decimals"
        );
        let (channel, date) = if language == "ja" {
            ("自社出荷", "年")
        } else {
            ("Merchant fulfilled", " JST")
        };
        assert!(
            mws_rows
                .values()
                .any(|row| row.contains(channel) && row.contains(date)),
            "channel and dates in Seller Central's words ({language})"
        );
    }

    // One order's payment method and shipping level read the same too (MWS `COD`/`Std JP …`, SP-API
    // `CashOnDelivery`/`STANDARD`).
    let stored = through_mws
        .app
        .store()
        .orders(&sellerlink_store::OrderQuery::default())
        .await
        .unwrap();
    let mut mws_browser = through_mws.browser().signed_in("mws@takumi.example").await;
    let mut spapi_browser = through_spapi.browser().signed_in("sp@takumi.example").await;
    for order in stored.iter().take(8) {
        let id = &order.order.amazon_order_id;
        let facts = |html: &str| -> String {
            let start = html.find("<dl class=\"facts card\">").expect("the facts");
            let end = start + html[start..].find("</dl>").unwrap();
            // The raw level Amazon wrote is kept in a tooltip; the words shown must agree.
            let mut text = html[start..end].to_owned();
            while let Some(at) = text.find(" title=\"") {
                let close = at + 8 + text[at + 8..].find('"').unwrap() + 1;
                text.replace_range(at..close, "");
            }
            text
        };
        let mws = mws_browser
            .get(&format!("/connections/{mws_connection}/orders/{id}"))
            .await;
        let spapi = spapi_browser
            .get(&format!("/connections/{spapi_connection}/orders/{id}"))
            .await;
        assert_eq!(facts(&mws.body), facts(&spapi.body), "order {id}");
    }
}

/// A world with one merchant's orders whose deadlines straddle now; returns the orders as stored.
async fn orders_around_now(world: &TestApp) -> (ConnectionId, Vec<Order>) {
    let merchant = world.merchant("Acme").await;
    world
        .user(
            "owner@acme.example",
            Role::Merchant(merchant.id),
            Language::En,
        )
        .await;
    let connection = world.connection(&merchant, "A1B2C3D4E5F6G7", 10).await;
    let now = world.app.now();
    // One order per hour back from now; each must ship 48 hours after purchase, so about half are past due.
    let orders: Vec<Order> = (0..80u32)
        .map(|n| order(n + 1, now - SignedDuration::from_hours(i64::from(n) + 1)))
        .collect();
    world
        .app
        .store()
        .upsert_orders(connection, &orders, now, None)
        .await
        .unwrap();
    (connection, orders)
}

fn japan_day(at: Timestamp) -> jiff::civil::Date {
    at.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(9)))
        .date()
}

#[tokio::test]
async fn the_list_sorts_and_filters_by_ship_by_date() {
    let world = TestApp::new().await;
    let (_, orders) = orders_around_now(&world).await;
    let now = world.app.now();
    let mut browser = world.browser().signed_in("owner@acme.example").await;

    let overdue: Vec<&Order> = orders
        .iter()
        .filter(|o| o.status.awaits_shipment() && o.latest_ship_date.unwrap() < now)
        .collect();
    let due_today: Vec<&Order> = orders
        .iter()
        .filter(|o| {
            let deadline = o.latest_ship_date.unwrap();
            o.status.awaits_shipment() && japan_day(deadline) == japan_day(now)
        })
        .collect();
    assert!(overdue.len() > 10);

    // The page: filtered, every row marked overdue, counted.
    let page = browser.get("/orders?ship_by=overdue").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("of {}", overdue.len())),
        "{}",
        page.body
    );
    assert_eq!(
        page.body.matches("class=\"ship-by overdue\"").count(),
        overdue.len(),
        "every listed order is marked overdue"
    );
    let today = browser.get("/orders?ship_by=due_today").await;
    assert_eq!(
        today.body.matches("<tr data-order-id=").count(),
        due_today.len(),
        "{}",
        today.body
    );

    // Sorted by 出荷期限, earliest first: the first row is the order with the earliest deadline.
    let sorted = browser.get("/orders?sort=ship_by").await;
    let earliest = orders
        .iter()
        .min_by_key(|o| o.latest_ship_date)
        .unwrap()
        .amazon_order_id
        .to_string();
    let first_row = sorted.body.find("<tr data-order-id=").unwrap();
    assert!(
        sorted.body[first_row..].starts_with(&format!("<tr data-order-id=\"{earliest}\"")),
        "{}",
        &sorted.body[first_row..first_row + 200]
    );
    assert!(sorted.body.contains("aria-sort=\"ascending\""));
    assert!(
        sorted.body.contains("href=\"/orders?sort=-ship_by\""),
        "the header turns the sort around"
    );
    let next = browser.get("/orders?sort=ship_by&page=2").await;
    assert_eq!(next.status, StatusCode::OK);
    let next_link = sorted
        .body
        .split("<a href=\"")
        .find(|part| part.contains("id=\"next-page\""))
        .and_then(|part| part.split('"').next())
        .expect("a next page");
    assert!(
        next_link.starts_with("/orders?sort=ship_by&") && next_link.ends_with("page=2"),
        "pages keep the sort: {next_link}"
    );

    // A value that does not read is refused, naming the field.
    let bad = browser.get("/orders?sort=soonest").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("soonest") && bad.body.contains("ship_by"));

    // The JSON API takes the same parameters.
    let api = browser
        .api(
            Method::GET,
            "/api/v1/orders?sort=ship_by&ship_by=overdue&per_page=200",
            None,
            None,
        )
        .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json = api.json();
    assert_eq!(json["total"], overdue.len());
    let deadlines: Vec<Timestamp> = json["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["latest_ship_date"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(deadlines.windows(2).all(|w| w[0] <= w[1]), "earliest first");
    assert!(deadlines.iter().all(|d| *d < now));
    for (query, field) in [("sort=soonest", "sort"), ("ship_by=tomorrow", "ship_by")] {
        let reply = browser
            .api(Method::GET, &format!("/api/v1/orders?{query}"), None, None)
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let error = &reply.json()["error"];
        assert_eq!(error["field"], field, "{query}");
    }
}

#[tokio::test]
async fn the_operators_list_names_each_orders_merchant() {
    let world = TestApp::new().await;
    let takumi = world.merchant("株式会社たくみ").await;
    let sakura = world.merchant("さくら商店").await;
    let first = world.connection(&takumi, "A1B2C3D4E5F6G7", 10).await;
    let second = world.connection(&sakura, "A7G6F5E4D3C2B1", 10).await;
    world.orders(first, 3, 1).await;
    world.orders(second, 2, 100).await;
    world.operator().await;
    let mut browser = world.browser().signed_in("ops@3pl.example").await;
    let page = browser.get("/orders").await;
    assert_eq!(page.status, StatusCode::OK);
    let takumi_rows = rows_of(&page.body, first);
    assert_eq!(
        takumi_rows
            .values()
            .filter(|row| row.contains("{connection}") && row.contains(">株式会社たくみ</td>"))
            .count(),
        3
    );
    assert_eq!(
        rows_of(&page.body, second)
            .values()
            .filter(|row| row.contains("{connection}") && row.contains(">さくら商店</td>"))
            .count(),
        2
    );
    // A merchant's own list has no such column.
    world
        .user(
            "owner@takumi.example",
            Role::Merchant(takumi.id),
            Language::Ja,
        )
        .await;
    let mut own = world.browser().signed_in("owner@takumi.example").await;
    let mine = own.get("/orders").await;
    assert!(!mine.body.contains(">株式会社たくみ</td>"));
    assert!(mine.body.contains("¥1,507"), "{}", mine.body);
}
