//! Snapshots of the order list and one order, in Japanese and English, with fixed data and a fixed clock: every
//! id, date and amount below is written out, so a snapshot changes only when the pages do. Only the page's
//! `<main>` is kept (the layout around it has its own tests).

use std::collections::HashMap;

use askama::Template;
use jiff::Timestamp;
use sellerlink_domain::connection::Language;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MarketplaceId};
use sellerlink_domain::order::{
    Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus, PaymentMethod, StoredOrder,
};
use sellerlink_store::{ListedOrder, OrderQuery, OrderSort};

use super::{Filters, Listing, OperatorView, detail_page, list_page};
use crate::pages::Chrome;

/// "Now": 2026-12-06 11:13:27 JST.
fn now() -> Timestamp {
    "2026-12-06T02:13:27Z".parse().unwrap()
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

const TAKUMI: &str = "0193a5b0-0000-7000-8000-000000000001";
const SAKURA: &str = "0193a5b0-0000-7000-8000-000000000002";

fn connection(id: &str) -> ConnectionId {
    ConnectionId::parse(id).unwrap()
}

fn money(currency: &str, amount: &str) -> Option<Money> {
    Some(Money {
        currency: currency.to_owned(),
        amount: amount.to_owned(),
    })
}

/// An order with everything the pages show set; the cases below change what they are about.
fn order(id: &str, purchased: &str, ship_by: Option<&str>) -> Order {
    Order {
        amazon_order_id: AmazonOrderId::parse(id).unwrap(),
        marketplace_id: MarketplaceId::japan(),
        status: OrderStatus::Unshipped,
        fulfillment_channel: Some(FulfillmentChannel::Mfn),
        purchase_date: at(purchased),
        last_update_date: at(purchased),
        order_total: money("JPY", "7360"),
        sales_channel: Some("Amazon.co.jp".to_owned()),
        ship_service_level: Some("Std JP Kanto8".to_owned()),
        buyer_name: None,
        shipping_address: None,
        payment_method: Some(PaymentMethod::CashOnDelivery),
        latest_ship_date: ship_by.map(at),
        items: Vec::new(),
    }
}

fn listed(connection_id: &str, order: Order, item_count: u64) -> ListedOrder {
    ListedOrder {
        stored: StoredOrder {
            connection_id: connection(connection_id),
            first_seen_at: order.purchase_date,
            updated_at: order.purchase_date,
            order,
        },
        item_count,
    }
}

/// Seven orders that cover the page's cases: due today, overdue, shipped past its deadline (not overdue), FBA,
/// canceled, a dollar amount, MWS's `7360.00` spelling, a status and a shipping level this version does not know,
/// no deadline.
fn orders() -> Vec<ListedOrder> {
    let due_today = order(
        "503-1111111-0000001",
        "2026-12-05T03:20:00Z",
        Some("2026-12-06T14:59:59Z"),
    );
    let mut overdue = order(
        "249-2222222-0000002",
        "2026-12-02T23:05:10Z",
        Some("2026-12-04T14:59:59Z"),
    );
    overdue.status = OrderStatus::PartiallyShipped;
    overdue.order_total = money("JPY", "1234567.00");
    let mut shipped = order(
        "503-3333333-0000003",
        "2026-12-01T01:00:00Z",
        Some("2026-12-02T14:59:59Z"),
    );
    shipped.status = OrderStatus::Shipped;
    shipped.payment_method = Some(PaymentMethod::CreditCard);
    let mut fba = order("503-4444444-0000004", "2026-11-30T09:30:00Z", None);
    fba.fulfillment_channel = Some(FulfillmentChannel::Afn);
    fba.status = OrderStatus::Canceled;
    fba.order_total = None;
    let mut dollars = order(
        "111-5555555-0000005",
        "2026-11-29T18:45:00Z",
        Some("2026-12-08T07:59:59Z"),
    );
    dollars.marketplace_id = MarketplaceId::parse("ATVPDKIKX0DER").unwrap();
    dollars.order_total = money("USD", "12.5");
    let mut pending = order(
        "503-6666666-0000006",
        "2026-11-28T00:00:00Z",
        Some("2026-12-10T14:59:59Z"),
    );
    pending.status = OrderStatus::Pending;
    let mut unknown = order(
        "503-7777777-0000007",
        "2026-11-27T00:00:00Z",
        Some("2026-12-11T14:59:59Z"),
    );
    unknown.status = OrderStatus::parse("AwaitingPickup");
    vec![
        listed(TAKUMI, due_today, 2),
        listed(SAKURA, overdue, 1),
        listed(TAKUMI, shipped, 3),
        listed(SAKURA, fba, 1),
        listed(TAKUMI, dollars, 1),
        listed(TAKUMI, pending, 1),
        listed(SAKURA, unknown, 1),
    ]
}

/// The page's `<main>`.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.find("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

fn operator() -> OperatorView {
    OperatorView {
        merchants: vec![
            (
                "0193a5b0-0000-7000-8000-0000000000a1".to_owned(),
                "株式会社たくみ".to_owned(),
            ),
            (
                "0193a5b0-0000-7000-8000-0000000000a2".to_owned(),
                "さくら商店".to_owned(),
            ),
        ],
        names: HashMap::from([
            (connection(TAKUMI), "株式会社たくみ".to_owned()),
            (connection(SAKURA), "さくら商店".to_owned()),
        ]),
    }
}

fn list_html(language: Language, operator_list: bool, sort: Option<&str>) -> String {
    let filters = Filters {
        sort: sort.map(str::to_owned),
        ..Filters::default()
    };
    let query = OrderQuery {
        sort: match sort {
            Some("ship_by") => OrderSort::ShipByEarliest,
            Some("-ship_by") => OrderSort::ShipByLatest,
            _ => OrderSort::PurchasedNewest,
        },
        ..OrderQuery::default()
    };
    let page = list_page(
        Chrome::bare(language),
        &filters,
        &query,
        None,
        None,
        Listing {
            orders: orders(),
            total: 7,
            operator: operator_list.then(operator),
        },
        now(),
    );
    main_of(&page.render().unwrap()).to_owned()
}

#[test]
fn order_list_ja_for_a_merchant() {
    insta::assert_snapshot!("order_list_ja", list_html(Language::Ja, false, None));
}

#[test]
fn order_list_en_for_a_merchant() {
    insta::assert_snapshot!("order_list_en", list_html(Language::En, false, None));
}

#[test]
fn order_list_ja_for_the_operator_sorted_by_ship_by() {
    insta::assert_snapshot!(
        "order_list_operator_ja",
        list_html(Language::Ja, true, Some("ship_by"))
    );
}

#[test]
fn order_list_en_for_the_operator_sorted_by_ship_by() {
    insta::assert_snapshot!(
        "order_list_operator_en",
        list_html(Language::En, true, Some("ship_by"))
    );
}

fn detail_html(language: Language) -> String {
    let mut order = order(
        "503-1111111-0000001",
        "2026-12-05T03:20:00Z",
        Some("2026-12-06T14:59:59Z"),
    );
    order.last_update_date = at("2026-12-05T03:25:41Z");
    order.order_total = money("JPY", "7360.00");
    order.shipping_address = Some(Address {
        name: Some("山田 太郎".to_owned()),
        postal_code: Some("150-0002".to_owned()),
        state_or_region: Some("東京都".to_owned()),
        city: Some("渋谷区".to_owned()),
        address_line1: Some("渋谷2-21-1".to_owned()),
        address_line2: Some("ヒカリエ 11F".to_owned()),
        country_code: Some("JP".to_owned()),
        ..Address::default()
    });
    order.items = vec![
        OrderItem {
            order_item_id: "12345678901234".to_owned(),
            asin: "B0C1EXAMPL".to_owned(),
            seller_sku: Some("TEA-SENCHA-100G".to_owned()),
            title: Some("静岡煎茶 100g".to_owned()),
            quantity_ordered: 3,
            quantity_shipped: 1,
            item_price: money("JPY", "5940"),
            shipping_price: money("JPY", "0"),
        },
        OrderItem {
            order_item_id: "12345678901235".to_owned(),
            asin: "B0C1EXAMPM".to_owned(),
            seller_sku: None,
            title: None,
            quantity_ordered: 1,
            quantity_shipped: 0,
            item_price: money("JPY", "1420.00"),
            shipping_price: None,
        },
    ];
    let stored = StoredOrder {
        connection_id: connection(TAKUMI),
        first_seen_at: order.purchase_date,
        updated_at: order.purchase_date,
        order,
    };
    let page = detail_page(Chrome::bare(language), &stored, &[], now());
    main_of(&page.render().unwrap()).to_owned()
}

#[test]
fn order_detail_ja() {
    insta::assert_snapshot!("order_detail_ja", detail_html(Language::Ja));
}

#[test]
fn order_detail_en() {
    insta::assert_snapshot!("order_detail_en", detail_html(Language::En));
}
