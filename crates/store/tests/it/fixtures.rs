//! Building blocks for the tests: merchants, connections, audit entries, orders.

use jiff::Timestamp;
use jiff::civil::Date;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::{
    ApiAccount, ConnectedMarketplace, Connection, Language, Merchant, MerchantName,
};
use sellerlink_domain::ids::{
    AmazonOrderId, ConnectionId, DeveloperId, MarketplaceId, MerchantId, SellerId, SellingPartnerId,
};
use sellerlink_domain::lifecycle::{AccessGrant, RenewalTerm};
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::order::{Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus};
use sellerlink_store::{SealedCredential, Store};

pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn day(text: &str) -> Date {
    text.parse().unwrap()
}

/// `A` followed by 13 digits: a valid, distinct Seller ID per `n`.
pub fn seller(n: u32) -> String {
    format!("A{n:013}")
}

/// A valid Amazon order id, distinct per `n`.
pub fn order_id(n: u32) -> AmazonOrderId {
    AmazonOrderId::parse(&format!("503-{:07}-{:07}", n / 1000, n)).unwrap()
}

pub fn merchant(name: &str) -> Merchant {
    Merchant {
        id: MerchantId::new(),
        name: MerchantName::parse(name).unwrap(),
        language: Language::Ja,
        created_at: at("2026-01-05T01:02:03.004Z"),
    }
}

pub fn entry(
    merchant: MerchantId,
    connection: Option<ConnectionId>,
    action: AuditAction,
    when: Timestamp,
) -> AuditEntry {
    AuditEntry {
        merchant_id: merchant,
        connection_id: connection,
        actor: Actor::cli("tester"),
        action,
        at: when,
        before: None,
        after: Some(serde_json::json!({ "action": action.as_str() })),
    }
}

pub fn created(merchant: &Merchant) -> AuditEntry {
    entry(
        merchant.id,
        None,
        AuditAction::MerchantCreated,
        merchant.created_at,
    )
}

pub fn connected(connection: &Connection) -> AuditEntry {
    entry(
        connection.merchant_id,
        Some(connection.id),
        AuditAction::ConnectionCreated,
        connection.created_at,
    )
}

pub fn sealed(kek: &str, blob: &[u8]) -> SealedCredential {
    SealedCredential {
        kek_id: kek.to_owned(),
        blob: blob.to_vec(),
    }
}

/// An MWS connection for the guide's Japanese seller, granted 2018-04-17 10:26:33 JST.
pub fn mws_connection(merchant: MerchantId, seller_n: u32) -> Connection {
    let japan = MarketplaceId::japan();
    let granted = at("2018-04-17T01:26:33Z");
    Connection {
        id: ConnectionId::new(),
        merchant_id: merchant,
        account: ApiAccount::Mws {
            seller_id: SellerId::parse(&seller(seller_n)).unwrap(),
            developer_id: DeveloperId::parse("5259-6479-4073").unwrap(),
        },
        marketplaces: vec![ConnectedMarketplace {
            id: japan.clone(),
            name: Some("Amazon.co.jp".to_owned()),
        }],
        grant: AccessGrant::new(granted, japan.marketplace(), RenewalTerm::OneYear, true),
        verified_at: Some(at("2018-04-17T01:30:00.250Z")),
        created_at: at("2018-04-17T01:29:00Z"),
    }
}

/// An SP-API connection in the Far East region with the expiry feature off.
pub fn spapi_connection(merchant: MerchantId, seller_n: u32) -> Connection {
    let japan = MarketplaceId::japan();
    Connection {
        id: ConnectionId::new(),
        merchant_id: merchant,
        account: ApiAccount::SpApi {
            selling_partner_id: SellingPartnerId::parse(&seller(seller_n)).unwrap(),
            region: Region::Fe,
        },
        marketplaces: vec![ConnectedMarketplace {
            id: japan.clone(),
            name: None,
        }],
        grant: AccessGrant::new(
            at("2026-02-01T00:00:00Z"),
            japan.marketplace(),
            RenewalTerm::Days365,
            false,
        ),
        verified_at: None,
        created_at: at("2026-02-01T00:00:01Z"),
    }
}

pub async fn add_merchant(store: &Store, name: &str) -> Merchant {
    let merchant = merchant(name);
    store
        .insert_merchant(&merchant, &created(&merchant))
        .await
        .unwrap();
    merchant
}

pub async fn add_connection(store: &Store, connection: &Connection) {
    store
        .insert_connection(
            connection,
            &sealed("kek-1", b"sealed"),
            &connected(connection),
        )
        .await
        .unwrap();
}

/// A merchant with one MWS connection.
pub async fn merchant_with_connection(store: &Store, name: &str, seller_n: u32) -> Connection {
    let merchant = add_merchant(store, name).await;
    let connection = mws_connection(merchant.id, seller_n);
    add_connection(store, &connection).await;
    connection
}

pub fn yen(amount: &str) -> Money {
    // In the domain's normal form, as an import stores it (`1507.00` → `1507`).
    Money::new("JPY", amount).expect("a yen amount")
}

pub fn item(id: &str, asin: &str, quantity: u32) -> OrderItem {
    OrderItem {
        order_item_id: id.to_owned(),
        asin: asin.to_owned(),
        seller_sku: Some(format!("SKU-{asin}")),
        title: Some("今治タオル バスタオル 2枚組".to_owned()),
        quantity_ordered: quantity,
        quantity_shipped: 0,
        item_price: Some(yen("1507.00")),
        shipping_price: Some(yen("0.00")),
    }
}

/// An unshipped merchant-fulfilled Japanese order with two items.
pub fn order(n: u32, purchased: Timestamp, last_update: Timestamp) -> Order {
    Order {
        amazon_order_id: order_id(n),
        marketplace_id: MarketplaceId::japan(),
        status: OrderStatus::Unshipped,
        fulfillment_channel: Some(FulfillmentChannel::Mfn),
        purchase_date: purchased,
        last_update_date: last_update,
        order_total: Some(yen("3014.00")),
        sales_channel: Some("Amazon.co.jp".to_owned()),
        ship_service_level: Some("Std JP Kanto8".to_owned()),
        buyer_name: Some("山田 太郎".to_owned()),
        shipping_address: Some(Address {
            name: Some("山田 太郎".to_owned()),
            postal_code: Some("150-0002".to_owned()),
            state_or_region: Some("東京都".to_owned()),
            city: Some("渋谷区".to_owned()),
            address_line1: Some("渋谷2-21-1".to_owned()),
            address_line2: Some("ヒカリエ 11F".to_owned()),
            address_line3: None,
            country_code: Some("JP".to_owned()),
            phone: Some("03-0000-0000".to_owned()),
        }),
        payment_method: Some("Other".into()),
        latest_ship_date: Some(at("2026-03-03T14:59:59Z")),
        items: vec![
            item(&format!("{:014}", u64::from(n) * 10 + 1), "B000000001", 1),
            item(&format!("{:014}", u64::from(n) * 10 + 2), "B000000002", 2),
        ],
    }
}
