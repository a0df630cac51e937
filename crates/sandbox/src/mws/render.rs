//! Order and OrderItem elements in the 2013-09-01 shape
//! (`docs/amazon/MWS.md#order-and-orderitem-elements`).

use crate::malformed::{Malformation, NOT_A_DATE};
use crate::orders::{FulfillmentChannel, Order, OrderItem, OrderState, OrderStatus, PaymentMethod};
use crate::timefmt::{from_ms, seconds_z};
use crate::xml::{XmlWriter, money};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

fn write_money(w: &mut XmlWriter, tag: &str, currency: &str, hundredths: i64) {
    w.open(tag)
        .leaf("CurrencyCode", currency)
        .leaf("Amount", &money(hundredths))
        .close(tag);
}

fn write_date(w: &mut XmlWriter, tag: &str, ms: i64) {
    w.leaf(tag, &seconds_z(from_ms(ms)));
}

/// Writes one `<Order>` as seen at `now_ms` in `state`; `malformation` as set through the control API.
pub fn write_order(
    w: &mut XmlWriter,
    order: &Order,
    state: OrderState,
    now_ms: i64,
    malformation: Option<Malformation>,
) {
    let status = state.status;
    let hide = status.hides_buyer();
    w.open("Order");
    w.leaf("AmazonOrderId", order.id.as_str());
    w.leaf("SellerOrderId", order.seller_order_id());
    if malformation == Some(Malformation::Unreadable) {
        w.leaf("PurchaseDate", NOT_A_DATE);
    } else {
        write_date(w, "PurchaseDate", order.purchase_ms());
    }
    write_date(w, "LastUpdateDate", state.last_update_ms);
    w.leaf("OrderStatus", status.as_str());
    w.leaf("FulfillmentChannel", order.channel.as_str());
    let sales_channel = crate::marketplaces::find(order.marketplace_id)
        .map(|m| m.name)
        .unwrap_or("Amazon.co.jp");
    w.leaf("SalesChannel", sales_channel);
    w.leaf("ShipServiceLevel", &order.ship_service_level);
    if !hide {
        let a = &order.address;
        w.open("ShippingAddress")
            .leaf("Name", &a.name)
            .leaf("AddressLine1", &a.line1);
        w.leaf_opt("AddressLine2", a.line2.as_deref());
        w.leaf("City", &a.city)
            .leaf("StateOrRegion", &a.prefecture)
            .leaf("PostalCode", &a.postal_code);
        w.leaf("CountryCode", a.country_code)
            .leaf("Phone", &a.phone)
            .leaf("AddressType", a.address_type);
        w.close("ShippingAddress");
        write_money(w, "OrderTotal", order.currency, order.total());
    }
    let (shipped, unshipped) = order.item_counts(now_ms, status);
    w.leaf_num("NumberOfItemsShipped", shipped)
        .leaf_num("NumberOfItemsUnshipped", unshipped);
    if order.payment == PaymentMethod::Cod && !hide {
        w.open("PaymentExecutionDetail")
            .open("PaymentExecutionDetailItem");
        write_money(w, "Payment", order.currency, order.total());
        w.leaf("PaymentMethod", "COD")
            .close("PaymentExecutionDetailItem")
            .close("PaymentExecutionDetail");
    }
    w.leaf("PaymentMethod", order.payment.as_str());
    w.open("PaymentMethodDetails")
        .leaf("PaymentMethodDetail", order.payment.detail())
        .close("PaymentMethodDetails");
    w.leaf_bool("IsReplacementOrder", false);
    w.leaf("MarketplaceId", order.marketplace_id);
    if !hide {
        w.leaf("BuyerEmail", &order.buyer_email)
            .leaf("BuyerName", &order.buyer_name);
    }
    w.leaf("ShipmentServiceLevelCategory", order.service_category);
    w.leaf("OrderType", "StandardOrder");
    let earliest_ship = (order.purchase_ms() / HOUR_MS + 1) * HOUR_MS;
    let latest_ship = earliest_ship + 2 * DAY_MS;
    write_date(w, "EarliestShipDate", earliest_ship);
    write_date(w, "LatestShipDate", latest_ship);
    if order.channel == FulfillmentChannel::Mfn
        && !matches!(status, OrderStatus::Pending | OrderStatus::Canceled)
    {
        write_date(w, "EarliestDeliveryDate", latest_ship + DAY_MS);
        write_date(w, "LatestDeliveryDate", latest_ship + 3 * DAY_MS);
    }
    w.leaf_bool("IsBusinessOrder", order.is_business);
    w.leaf_bool("IsPrime", order.is_prime);
    w.leaf_bool("IsPremiumOrder", false);
    w.leaf_bool("IsGlobalExpressEnabled", false);
    w.close("Order");
}

/// Writes one `<OrderItem>`; pricing is hidden while the order is Pending.
pub fn write_item(w: &mut XmlWriter, order: &Order, index: usize, state: OrderState, now_ms: i64) {
    let item: &OrderItem = &order.items[index];
    let currency = order.currency;
    w.open("OrderItem");
    w.leaf("ASIN", item.asin.as_str())
        .leaf("SellerSKU", &item.sku);
    w.leaf_num("OrderItemId", item.order_item_id)
        .leaf("Title", &item.title);
    w.leaf_num("QuantityOrdered", item.quantity);
    w.leaf_num(
        "QuantityShipped",
        order.shipped_quantity(index, now_ms, state.status),
    );
    w.open("ProductInfo")
        .leaf_num("NumberOfItems", 1)
        .close("ProductInfo");
    if !state.status.hides_buyer() {
        write_money(w, "ItemPrice", currency, item.item_price);
        write_money(w, "ShippingPrice", currency, item.shipping_price);
        write_money(w, "ItemTax", currency, 0);
        write_money(w, "ShippingTax", currency, 0);
        write_money(w, "ShippingDiscount", currency, 0);
        write_money(w, "PromotionDiscount", currency, item.promotion_discount);
        if item.promotion_discount > 0 {
            w.open("PromotionIds")
                .leaf_fmt(
                    "PromotionId",
                    format_args!("JP-PROMO-{}", item.order_item_id % 1000),
                )
                .close("PromotionIds");
        }
        if order.payment == PaymentMethod::Cod {
            write_money(w, "CODFee", currency, item.cod_fee);
            write_money(w, "CODFeeDiscount", currency, 0);
        }
        w.leaf_bool("IsGift", item.is_gift);
    }
    w.leaf("ConditionId", item.condition)
        .leaf("ConditionSubtypeId", item.condition);
    w.leaf_bool("IsTransparency", false);
    w.close("OrderItem");
}
