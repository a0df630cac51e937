//! MWS Orders models → the domain's API-neutral orders, next to the models they read (as `sellerlink-spapi`
//! converts its own orders): [`Order::to_domain`] and [`OrderItem::to_domain`].
//!
//! Unlike SP-API's, the conversion cannot fail: the MWS models are parsed strictly when the answer is read, so
//! every field the domain needs is already typed.

use sellerlink_domain::ids::MarketplaceId;
use sellerlink_domain::order as domain;

use crate::{Address, Money, Order, OrderItem};

impl Order {
    /// This order without its items, as the domain keeps it. `home` stands in for an order that names no
    /// marketplace (Amazon always names one; older recordings of other sections did not).
    pub fn to_domain(&self, home: &MarketplaceId) -> domain::Order {
        domain::Order {
            amazon_order_id: self.amazon_order_id.clone(),
            marketplace_id: self.marketplace_id.clone().unwrap_or_else(|| home.clone()),
            status: domain::OrderStatus::parse(self.order_status.as_str()),
            fulfillment_channel: self
                .fulfillment_channel
                .as_ref()
                .and_then(|channel| domain::FulfillmentChannel::parse(channel.as_str())),
            purchase_date: self.purchase_date,
            last_update_date: self.last_update_date,
            order_total: self.order_total.as_ref().map(Money::to_domain),
            sales_channel: self.sales_channel.clone(),
            ship_service_level: self.ship_service_level.clone(),
            buyer_name: self.buyer_name.clone(),
            shipping_address: self.shipping_address.as_ref().map(Address::to_domain),
            payment_method: domain::PaymentMethod::from_mws(
                self.payment_method.as_deref(),
                self.payment_method_details.iter().map(String::as_str),
            ),
            latest_ship_date: self.latest_ship_date,
            items: Vec::new(),
        }
    }
}

impl OrderItem {
    /// This order item, as the domain keeps it.
    pub fn to_domain(&self) -> domain::OrderItem {
        domain::OrderItem {
            order_item_id: self.order_item_id.as_str().to_owned(),
            asin: self.asin.clone(),
            seller_sku: self.seller_sku.clone(),
            title: self.title.clone(),
            quantity_ordered: self.quantity_ordered,
            quantity_shipped: self.quantity_shipped.unwrap_or(0),
            item_price: self.item_price.as_ref().map(Money::to_domain),
            shipping_price: self.shipping_price.as_ref().map(Money::to_domain),
        }
    }
}

impl Money {
    /// The amount in the domain's normal form (`7360.00` JPY → `7360`, as SP-API writes it).
    pub fn to_domain(&self) -> domain::Money {
        let (currency, amount) = (self.currency_code.as_str(), self.amount.as_str());
        domain::Money::new(currency, amount).unwrap_or_else(|_| domain::Money {
            // The MWS model admits only three letters and `-?digits(.digits)?`, which always normalize; kept
            // verbatim should that ever change.
            currency: currency.to_owned(),
            amount: amount.to_owned(),
        })
    }
}

impl Address {
    /// The address as the domain keeps it.
    pub fn to_domain(&self) -> domain::Address {
        domain::Address {
            name: self.name.clone(),
            postal_code: self.postal_code.clone(),
            state_or_region: self.state_or_region.clone(),
            city: self.city.clone(),
            address_line1: self.address_line1.clone(),
            address_line2: self.address_line2.clone(),
            address_line3: self.address_line3.clone(),
            country_code: self.country_code.clone(),
            phone: self.phone.clone(),
        }
    }
}
