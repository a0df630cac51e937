//! Orders as the sandbox keeps them: channel-neutral (not MWS-specific) so that SP-API can serve
//! the same data later. Time-dependent state comes from each order's [`Timeline`].

use std::sync::Arc;

use crate::ids::{Asin, OrderId};

/// Order status names shared by MWS Orders 2013-09-01 and SP-API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OrderStatus {
    /// JP pre-orders only.
    PendingAvailability,
    /// Placed, payment not yet authorized.
    Pending,
    /// Paid, nothing shipped yet.
    Unshipped,
    /// Some items shipped.
    PartiallyShipped,
    /// All items shipped.
    Shipped,
    /// Canceled.
    Canceled,
    /// Cannot be fulfilled.
    Unfulfillable,
}

impl OrderStatus {
    /// Every status in documentation order.
    pub const ALL: [OrderStatus; 7] = [
        Self::PendingAvailability,
        Self::Pending,
        Self::Unshipped,
        Self::PartiallyShipped,
        Self::Shipped,
        Self::Canceled,
        Self::Unfulfillable,
    ];

    /// The wire name, e.g. `Unshipped`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PendingAvailability => "PendingAvailability",
            Self::Pending => "Pending",
            Self::Unshipped => "Unshipped",
            Self::PartiallyShipped => "PartiallyShipped",
            Self::Shipped => "Shipped",
            Self::Canceled => "Canceled",
            Self::Unfulfillable => "Unfulfillable",
        }
    }

    /// Parses a wire name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether PII (buyer name, e-mail, address, total) is hidden in this status.
    pub fn hides_buyer(self) -> bool {
        matches!(self, Self::Pending | Self::PendingAvailability)
    }
}

/// Who ships the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FulfillmentChannel {
    /// Merchant-fulfilled.
    Mfn,
    /// Fulfilled by Amazon.
    Afn,
}

impl FulfillmentChannel {
    /// `MFN` or `AFN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mfn => "MFN",
            Self::Afn => "AFN",
        }
    }

    /// Parses `MFN` / `AFN`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "MFN" => Some(Self::Mfn),
            "AFN" => Some(Self::Afn),
            _ => None,
        }
    }
}

/// How the buyer pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PaymentMethod {
    /// Cash on delivery (JP).
    Cod,
    /// Convenience store (JP).
    Cvs,
    /// Anything else (card, gift certificate, points).
    Other,
}

impl PaymentMethod {
    /// `COD`, `CVS` or `Other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cod => "COD",
            Self::Cvs => "CVS",
            Self::Other => "Other",
        }
    }

    /// Parses `COD` / `CVS` / `Other`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "COD" => Some(Self::Cod),
            "CVS" => Some(Self::Cvs),
            "Other" => Some(Self::Other),
            _ => None,
        }
    }

    /// The Orders 2026-01-01 `paymentMethod` value (the model's words, e.g. `CashOnDelivery`).
    pub fn spapi_name(self) -> &'static str {
        match self {
            Self::Cod => "CashOnDelivery",
            Self::Cvs => "ConvenienceStore",
            Self::Other => "CreditCard",
        }
    }

    /// The PaymentMethodDetail value.
    pub fn detail(self) -> &'static str {
        match self {
            Self::Cod => "COD",
            Self::Cvs => "CVS",
            Self::Other => "CreditCard",
        }
    }
}

/// One status change at an instant (epoch milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The status from this instant on.
    pub status: OrderStatus,
    /// Epoch milliseconds.
    pub at_ms: i64,
}

/// The order's status history and plan, in time order. The first three steps are stored inline,
/// so generated orders need no allocation for it.
#[derive(Debug, Clone)]
pub struct Timeline {
    inline: [Step; 3],
    len: u8,
    overflow: Vec<Step>,
}

impl Timeline {
    /// A timeline starting with `status` at `at_ms`.
    pub fn starting(status: OrderStatus, at_ms: i64) -> Self {
        let step = Step { status, at_ms };
        Self {
            inline: [step; 3],
            len: 1,
            overflow: Vec::new(),
        }
    }

    /// Appends a step; it must not be earlier than the last one (it is clamped to it).
    pub fn push(&mut self, status: OrderStatus, at_ms: i64) {
        let at_ms = at_ms.max(self.last().at_ms);
        let step = Step { status, at_ms };
        if (self.len as usize) < self.inline.len() {
            self.inline[self.len as usize] = step;
            self.len += 1;
        } else {
            self.overflow.push(step);
        }
    }

    /// Every step in order.
    pub fn steps(&self) -> impl Iterator<Item = Step> + '_ {
        self.inline[..self.len as usize]
            .iter()
            .copied()
            .chain(self.overflow.iter().copied())
    }

    /// The last step (visible or planned).
    pub fn last(&self) -> Step {
        self.overflow
            .last()
            .copied()
            .unwrap_or(self.inline[self.len as usize - 1])
    }

    /// The first step (the purchase).
    pub fn first(&self) -> Step {
        self.inline[0]
    }

    /// The step visible at `t_ms`: the last one at or before it; `None` before the first.
    pub fn at(&self, t_ms: i64) -> Option<Step> {
        let mut visible = None;
        for step in self.steps() {
            if step.at_ms <= t_ms {
                visible = Some(step);
            } else {
                break;
            }
        }
        visible
    }

    /// Drops every planned step after `t_ms` (the first step is always kept).
    pub fn truncate_after(&mut self, t_ms: i64) {
        self.overflow.retain(|s| s.at_ms <= t_ms);
        while self.len > 1
            && self.overflow.is_empty()
            && self.inline[self.len as usize - 1].at_ms > t_ms
        {
            self.len -= 1;
        }
    }
}

/// A postal address (Japanese layout).
#[derive(Debug, Clone)]
pub struct Address {
    /// Recipient.
    pub name: String,
    /// `NNN-NNNN`.
    pub postal_code: String,
    /// Prefecture (StateOrRegion).
    pub prefecture: String,
    /// City / ward.
    pub city: String,
    /// Town, block and number.
    pub line1: String,
    /// Building and room, if any.
    pub line2: Option<String>,
    /// Phone number.
    pub phone: String,
    /// ISO country code.
    pub country_code: &'static str,
    /// `Residential` or `Commercial`.
    pub address_type: &'static str,
}

/// One line of an order.
#[derive(Debug, Clone)]
pub struct OrderItem {
    /// 14-digit OrderItemId (the feeds' AmazonOrderItemCode).
    pub order_item_id: u64,
    /// ASIN.
    pub asin: Asin,
    /// Seller SKU.
    pub sku: Arc<str>,
    /// Product title.
    pub title: Arc<str>,
    /// Quantity ordered.
    pub quantity: u32,
    /// Item price for the whole quantity, in hundredths of the currency unit.
    pub item_price: i64,
    /// Shipping price, hundredths.
    pub shipping_price: i64,
    /// Promotion discount (positive number), hundredths.
    pub promotion_discount: i64,
    /// Cash-on-delivery fee, hundredths (JP COD orders).
    pub cod_fee: i64,
    /// Whether it is a gift.
    pub is_gift: bool,
    /// Condition, e.g. `New`.
    pub condition: &'static str,
}

impl OrderItem {
    /// What this line adds to the order total, hundredths.
    pub fn total(&self) -> i64 {
        self.item_price + self.shipping_price + self.cod_fee - self.promotion_discount
    }
}

/// A shipment confirmation applied to the order (from a fulfillment feed).
#[derive(Debug, Clone)]
pub struct Shipment {
    /// When the feed was processed (epoch ms); the order's LastUpdateDate.
    pub at_ms: i64,
    /// The feed submission that confirmed it.
    pub feed_submission_id: String,
    /// FulfillmentDate as the seller stated it.
    pub fulfillment_date: String,
    /// CarrierCode or `Other`.
    pub carrier_code: Option<String>,
    /// CarrierName for unlisted carriers.
    pub carrier_name: Option<String>,
    /// ShippingMethod.
    pub shipping_method: Option<String>,
    /// ShipperTrackingNumber.
    pub tracking_number: Option<String>,
    /// (OrderItemId, quantity) shipped.
    pub items: Vec<(u64, u32)>,
}

/// An order.
#[derive(Debug, Clone)]
pub struct Order {
    /// Amazon order ID.
    pub id: OrderId,
    /// The seller's own order ID; `None` means it equals the Amazon order ID.
    pub seller_order_id: Option<String>,
    /// Marketplace.
    pub marketplace_id: &'static str,
    /// Currency of every amount.
    pub currency: &'static str,
    /// MFN or AFN.
    pub channel: FulfillmentChannel,
    /// Status history and plan; the first step is the purchase.
    pub timeline: Timeline,
    /// Buyer name.
    pub buyer_name: String,
    /// Anonymized buyer e-mail.
    pub buyer_email: String,
    /// Where it ships.
    pub address: Address,
    /// ShipServiceLevel, e.g. `Std JP Kanto8`.
    pub ship_service_level: String,
    /// ShipmentServiceLevelCategory, e.g. `Standard`.
    pub service_category: &'static str,
    /// Payment method.
    pub payment: PaymentMethod,
    /// Prime order.
    pub is_prime: bool,
    /// Business order.
    pub is_business: bool,
    /// Lines.
    pub items: Vec<OrderItem>,
    /// Shipment confirmations from feeds, oldest first.
    pub shipments: Vec<Shipment>,
}

/// What an order looks like at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderState {
    /// Visible status.
    pub status: OrderStatus,
    /// LastUpdateDate (epoch ms).
    pub last_update_ms: i64,
}

impl Order {
    /// PurchaseDate (epoch ms).
    pub fn purchase_ms(&self) -> i64 {
        self.timeline.first().at_ms
    }

    /// The state at `t_ms`, or `None` if the order was not placed yet.
    pub fn state_at(&self, t_ms: i64) -> Option<OrderState> {
        self.timeline.at(t_ms).map(|step| OrderState {
            status: step.status,
            last_update_ms: step.at_ms,
        })
    }

    /// The seller order ID as shown (defaults to the Amazon order ID).
    pub fn seller_order_id(&self) -> &str {
        self.seller_order_id.as_deref().unwrap_or(self.id.as_str())
    }

    /// Quantity of item `index` shipped at `t_ms` given the visible `status`.
    pub fn shipped_quantity(&self, index: usize, t_ms: i64, status: OrderStatus) -> u32 {
        let item = &self.items[index];
        let confirmed: Vec<&Shipment> = self.shipments.iter().filter(|s| s.at_ms <= t_ms).collect();
        if confirmed.is_empty() {
            return if status == OrderStatus::Shipped {
                item.quantity
            } else {
                0
            };
        }
        let shipped: u32 = confirmed
            .iter()
            .flat_map(|s| s.items.iter())
            .filter(|(id, _)| *id == item.order_item_id)
            .map(|(_, q)| *q)
            .sum();
        shipped.min(item.quantity)
    }

    /// (NumberOfItemsShipped, NumberOfItemsUnshipped) at `t_ms`.
    pub fn item_counts(&self, t_ms: i64, status: OrderStatus) -> (u32, u32) {
        let ordered: u32 = self.items.iter().map(|i| i.quantity).sum();
        if status == OrderStatus::Canceled {
            return (0, 0);
        }
        let shipped: u32 = (0..self.items.len())
            .map(|i| self.shipped_quantity(i, t_ms, status))
            .sum();
        (shipped, ordered.saturating_sub(shipped))
    }

    /// OrderTotal, hundredths.
    pub fn total(&self) -> i64 {
        self.items.iter().map(OrderItem::total).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_visibility_and_truncation() {
        let mut t = Timeline::starting(OrderStatus::Pending, 1_000);
        t.push(OrderStatus::Unshipped, 2_000);
        t.push(OrderStatus::Shipped, 5_000);
        assert_eq!(t.at(999), None);
        assert_eq!(t.at(1_000).unwrap().status, OrderStatus::Pending);
        assert_eq!(t.at(4_999).unwrap().status, OrderStatus::Unshipped);
        assert_eq!(
            t.at(9_999).unwrap(),
            Step {
                status: OrderStatus::Shipped,
                at_ms: 5_000
            }
        );
        t.truncate_after(3_000);
        t.push(OrderStatus::PartiallyShipped, 3_000);
        t.push(OrderStatus::Shipped, 4_000);
        assert_eq!(t.steps().count(), 4);
        assert_eq!(t.at(3_500).unwrap().status, OrderStatus::PartiallyShipped);
        t.truncate_after(3_000);
        assert_eq!(t.last().status, OrderStatus::PartiallyShipped);
        t.truncate_after(0);
        assert_eq!(t.steps().count(), 1);
    }
}
