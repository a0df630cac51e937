//! From an Orders v2026-01-01 order to sellerlink's API-neutral [`domain::Order`].
//!
//! - status: `fulfillment.fulfillmentStatus` (`PARTIALLY_SHIPPED` → `PartiallyShipped`, `CANCELLED`
//!   → `Canceled`); it needs `includedData=FULFILLMENT`, without which conversion fails;
//! - channel: `fulfilledBy` `MERCHANT` → MFN, `AMAZON` → AFN;
//! - money in the domain's normal form (exactly the currency's decimals: `7360` JPY, `12.50` USD; a malformed
//!   amount fails the conversion): order total = `proceeds.grandTotal`; a line's item price = its
//!   `ITEM` proceeds, else unit price × quantity; shipping price = its `SHIPPING` proceeds;
//! - items from `orderItems` (shipped quantity from `fulfillment.quantityFulfilled`, else 0);
//! - the recipient's delivery address when present;
//! - only what the model requires is required: an order without `salesChannel.marketplaceId` is taken to be of the
//!   connection's home marketplace, and a line without `product.asin` gets an empty ASIN.

use sellerlink_domain::ids::{IdError, MarketplaceId};
use sellerlink_domain::order as domain;

use super::decimal;
use super::orders::{CustomerAddress, Money, Order, OrderItem, ProceedsBreakdown};

/// An order that cannot become a [`domain::Order`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderConversionError {
    /// A field the domain order needs is absent.
    #[error("order {order_id}: {field} is missing{}", hint_text(.hint))]
    Missing {
        /// The order.
        order_id: String,
        /// The JSON path of the field.
        field: String,
        /// The `includedData` value that brings the field, if one does.
        hint: Option<&'static str>,
    },
    /// A field holds an amount or currency that is not money.
    #[error("order {order_id}: {field}: {source}")]
    Money {
        /// The order.
        order_id: String,
        /// The JSON path of the field.
        field: String,
        /// What is wrong with it.
        #[source]
        source: domain::MoneyError,
    },
    /// A field holds an identifier that does not parse.
    #[error("order {order_id}: {field}: {source}")]
    Id {
        /// The order.
        order_id: String,
        /// The JSON path of the field.
        field: &'static str,
        /// Why it does not parse.
        #[source]
        source: IdError,
    },
}

fn hint_text(hint: &Option<&'static str>) -> String {
    match hint {
        Some(data) => format!("; request it with includedData={data}"),
        None => String::new(),
    }
}

impl Order {
    /// Converts to sellerlink's order model (see the module documentation for the mapping); `home` is the
    /// marketplace of an order that names none.
    pub fn to_domain(&self, home: &MarketplaceId) -> Result<domain::Order, OrderConversionError> {
        let order_id = self.order_id.to_string();
        let missing = |field: &str, hint: Option<&'static str>| OrderConversionError::Missing {
            order_id: order_id.clone(),
            field: field.to_owned(),
            hint,
        };
        let marketplace_id = match self.sales_channel.marketplace_id.as_deref() {
            None => home.clone(),
            Some(text) => {
                MarketplaceId::parse(text).map_err(|source| OrderConversionError::Id {
                    order_id: order_id.clone(),
                    field: "salesChannel.marketplaceId",
                    source,
                })?
            }
        };
        let fulfillment = self
            .fulfillment
            .as_ref()
            .ok_or_else(|| missing("fulfillment.fulfillmentStatus", Some("FULFILLMENT")))?;
        let money = |field: &str, value: &Money| {
            domain::Money::new(&value.currency_code, &value.amount).map_err(|source| {
                OrderConversionError::Money {
                    order_id: order_id.clone(),
                    field: field.to_owned(),
                    source,
                }
            })
        };
        let items = self
            .order_items
            .iter()
            .enumerate()
            .map(|(index, item)| {
                convert_item(item, |field, value| {
                    money(&format!("orderItems[{index}].{field}"), value)
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(domain::Order {
            amazon_order_id: self.order_id.clone(),
            marketplace_id,
            status: domain::OrderStatus::parse(fulfillment.fulfillment_status.as_str()),
            fulfillment_channel: fulfillment
                .fulfilled_by
                .as_ref()
                .and_then(|by| domain::FulfillmentChannel::parse(by.as_str())),
            purchase_date: self.created_time,
            last_update_date: self.last_updated_time,
            order_total: self
                .proceeds
                .as_ref()
                .and_then(|p| p.grand_total.as_ref())
                .map(|total| money("proceeds.grandTotal", total))
                .transpose()?,
            sales_channel: self.sales_channel.marketplace_name.clone(),
            ship_service_level: fulfillment.fulfillment_service_level.clone(),
            buyer_name: self.buyer.as_ref().and_then(|b| b.buyer_name.clone()),
            shipping_address: self
                .recipient
                .as_ref()
                .and_then(|r| r.delivery_address.as_ref())
                .map(address),
            payment_method: self.payment.as_ref().and_then(|p| {
                p.payment_executions
                    .iter()
                    .find_map(|execution| execution.payment_method.as_deref())
                    .map(domain::PaymentMethod::parse)
            }),
            latest_ship_date: fulfillment
                .ship_by_window
                .and_then(|window| window.latest_date_time),
            items,
        })
    }
}

/// A line; its ASIN is empty when Amazon sent none (the model makes it optional). `money` normalizes an amount
/// at a path relative to the line.
fn convert_item(
    item: &OrderItem,
    money: impl Fn(&str, &Money) -> Result<domain::Money, OrderConversionError>,
) -> Result<domain::OrderItem, OrderConversionError> {
    let asin = item.product.asin.clone().unwrap_or_default();
    let breakdowns: &[ProceedsBreakdown] = item
        .proceeds
        .as_ref()
        .map(|p| p.breakdowns.as_slice())
        .unwrap_or_default();
    let category = |name: &str| {
        breakdowns
            .iter()
            .enumerate()
            .find(|(_, b)| b.kind.eq_ignore_ascii_case(name))
            .map(|(index, b)| {
                money(
                    &format!("proceeds.breakdowns[{index}].subtotal"),
                    &b.subtotal,
                )
            })
            .transpose()
    };
    let item_price = match category("ITEM")? {
        Some(price) => Some(price),
        None => item
            .product
            .price
            .as_ref()
            .and_then(|price| price.unit_price.as_ref())
            .and_then(|unit| {
                let total = decimal::multiply(&unit.amount, item.quantity_ordered)?;
                Some(money(
                    "product.price.unitPrice",
                    &Money {
                        amount: total,
                        currency_code: unit.currency_code.clone(),
                    },
                ))
            })
            .transpose()?,
    };
    Ok(domain::OrderItem {
        order_item_id: item.order_item_id.clone(),
        asin,
        seller_sku: item.product.seller_sku.clone(),
        title: item.product.title.clone(),
        quantity_ordered: item.quantity_ordered,
        quantity_shipped: item
            .fulfillment
            .and_then(|f| f.quantity_fulfilled)
            .unwrap_or(0),
        item_price,
        shipping_price: category("SHIPPING")?,
    })
}

fn address(value: &CustomerAddress) -> domain::Address {
    domain::Address {
        name: value.name.clone(),
        postal_code: value.postal_code.clone(),
        state_or_region: value.state_or_region.clone(),
        city: value.city.clone(),
        address_line1: value.address_line1.clone(),
        address_line2: value.address_line2.clone(),
        address_line3: value.address_line3.clone().filter(|line| !line.is_empty()),
        country_code: value.country_code.clone(),
        phone: value.phone.clone(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn order(value: serde_json::Value) -> Order {
        serde_json::from_value(value).unwrap()
    }

    fn minimal() -> serde_json::Value {
        json!({
            "orderId": "503-1234567-7654321",
            "createdTime": "2026-01-09T23:58:30Z",
            "lastUpdatedTime": "2026-01-10T00:10:00Z",
            "salesChannel": {"channelName": "AMAZON", "marketplaceId": "A1VC38T7YXB528", "marketplaceName": "Amazon.co.jp"},
            "fulfillment": {"fulfillmentStatus": "PARTIALLY_SHIPPED", "fulfilledBy": "MERCHANT"},
            "orderItems": [{
                "orderItemId": "12345678901234",
                "quantityOrdered": 3,
                "product": {"asin": "B0C1EXAMPL", "sellerSku": "TEA-SENCHA-100G", "price": {"unitPrice": {"amount": "1980", "currencyCode": "JPY"}}},
                "fulfillment": {"quantityFulfilled": 1, "quantityUnfulfilled": 2}
            }]
        })
    }

    #[test]
    fn a_minimal_order_converts() {
        let converted = order(minimal()).to_domain(&MarketplaceId::japan()).unwrap();
        assert_eq!(converted.status, domain::OrderStatus::PartiallyShipped);
        assert_eq!(
            converted.fulfillment_channel,
            Some(domain::FulfillmentChannel::Mfn)
        );
        assert_eq!(converted.marketplace_id, MarketplaceId::japan());
        assert_eq!(converted.sales_channel.as_deref(), Some("Amazon.co.jp"));
        assert_eq!(converted.order_total, None);
        assert_eq!(converted.shipping_address, None);
        let item = &converted.items[0];
        assert_eq!((item.quantity_ordered, item.quantity_shipped), (3, 1));
        assert_eq!(
            item.item_price,
            Some(domain::Money {
                currency: "JPY".to_owned(),
                amount: "5940".to_owned()
            }),
            "unit price × quantity when no ITEM proceeds"
        );
    }

    #[test]
    fn money_takes_the_currency_decimals_and_malformed_amounts_fail() {
        let mut value = minimal();
        value["proceeds"] = json!({"grandTotal": {"amount": "7360.00", "currencyCode": "JPY"}});
        let converted = order(value.clone())
            .to_domain(&MarketplaceId::japan())
            .unwrap();
        assert_eq!(converted.order_total.unwrap().amount, "7360");
        value["proceeds"]["grandTotal"] = json!({"amount": "1e3", "currencyCode": "JPY"});
        let error = order(value).to_domain(&MarketplaceId::japan()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "order 503-1234567-7654321: proceeds.grandTotal: amount \"1e3\" is not a decimal number (e.g. 7360 or 12.50)"
        );
    }

    #[test]
    fn amazon_fulfilled_and_cancelled() {
        let mut value = minimal();
        value["fulfillment"] = json!({"fulfillmentStatus": "CANCELLED", "fulfilledBy": "AMAZON"});
        let converted = order(value).to_domain(&MarketplaceId::japan()).unwrap();
        assert_eq!(converted.status, domain::OrderStatus::Canceled);
        assert_eq!(
            converted.fulfillment_channel,
            Some(domain::FulfillmentChannel::Afn)
        );
    }

    #[test]
    fn missing_fulfillment_names_the_included_data() {
        let mut value = minimal();
        value.as_object_mut().unwrap().remove("fulfillment");
        let error = order(value).to_domain(&MarketplaceId::japan()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "order 503-1234567-7654321: fulfillment.fulfillmentStatus is missing; request it with includedData=FULFILLMENT"
        );
    }

    #[test]
    fn unknown_marketplaces_are_refused() {
        let mut value = minimal();
        value["salesChannel"]["marketplaceId"] = json!("AXXXXXXXXXXXXX");
        let error = order(value).to_domain(&MarketplaceId::japan()).unwrap_err();
        assert!(matches!(
            error,
            OrderConversionError::Id {
                field: "salesChannel.marketplaceId",
                ..
            }
        ));
    }

    #[test]
    fn fields_the_model_makes_optional_are_not_required() {
        let mut value = minimal();
        value["salesChannel"] = json!({"channelName": "AMAZON"});
        value["orderItems"][0]["product"] = json!({"title": "煎茶"});
        let home = MarketplaceId::parse("A1VC38T7YXB528").unwrap();
        let converted = order(value).to_domain(&home).unwrap();
        assert_eq!(converted.marketplace_id, home);
        assert_eq!(converted.items[0].asin, "");
        assert_eq!(converted.items[0].title.as_deref(), Some("煎茶"));
    }
}
