//! MWS Orders models → the domain's API-neutral orders.

use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::order::{
    Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus, PaymentMethod,
};

/// The money in the domain's normal form (`7360.00` JPY → `7360`, as SP-API writes it).
fn money(money: &sellerlink_mws::Money) -> Money {
    let (currency, amount) = (money.currency_code.as_str(), money.amount.as_str());
    Money::new(currency, amount).unwrap_or_else(|_| Money {
        // The MWS model admits only three letters and `-?digits(.digits)?`, which always normalize; kept verbatim
        // should that ever change.
        currency: currency.to_owned(),
        amount: amount.to_owned(),
    })
}

fn address(address: &sellerlink_mws::Address) -> Address {
    Address {
        name: address.name.clone(),
        postal_code: address.postal_code.clone(),
        state_or_region: address.state_or_region.clone(),
        city: address.city.clone(),
        address_line1: address.address_line1.clone(),
        address_line2: address.address_line2.clone(),
        address_line3: address.address_line3.clone(),
        country_code: address.country_code.clone(),
        phone: address.phone.clone(),
    }
}

/// An MWS order without its items. `home` stands in for an order that names no marketplace (Amazon always names
/// one; older recordings of other sections did not).
pub(crate) fn order(order: &sellerlink_mws::Order, home: &MarketplaceId) -> Order {
    Order {
        amazon_order_id: order.amazon_order_id.clone(),
        marketplace_id: order.marketplace_id.clone().unwrap_or_else(|| home.clone()),
        status: OrderStatus::parse(order.order_status.as_str()),
        fulfillment_channel: order
            .fulfillment_channel
            .as_ref()
            .and_then(|channel| FulfillmentChannel::parse(channel.as_str())),
        purchase_date: order.purchase_date,
        last_update_date: order.last_update_date,
        order_total: order.order_total.as_ref().map(money),
        sales_channel: order.sales_channel.clone(),
        ship_service_level: order.ship_service_level.clone(),
        buyer_name: order.buyer_name.clone(),
        shipping_address: order.shipping_address.as_ref().map(address),
        payment_method: PaymentMethod::from_mws(
            order.payment_method.as_deref(),
            order.payment_method_details.iter().map(String::as_str),
        ),
        latest_ship_date: order.latest_ship_date,
        items: Vec::new(),
    }
}

/// An MWS order item.
pub(crate) fn item(item: &sellerlink_mws::OrderItem) -> OrderItem {
    OrderItem {
        order_item_id: item.order_item_id.as_str().to_owned(),
        asin: item.asin.clone(),
        seller_sku: item.seller_sku.clone(),
        title: item.title.clone(),
        quantity_ordered: item.quantity_ordered,
        quantity_shipped: item.quantity_shipped.unwrap_or(0),
        item_price: item.item_price.as_ref().map(money),
        shipping_price: item.shipping_price.as_ref().map(money),
    }
}
