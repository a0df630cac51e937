//! `_POST_ORDER_FULFILLMENT_DATA_`: shipment confirmations with carrier and tracking number.

use std::num::NonZeroU32;

use jiff::Timestamp;
use sellerlink_domain::carrier::{OTHER_CARRIER_CODE, ShipmentCarrier};
use sellerlink_domain::ids::{AmazonOrderId, SellerId};

use super::envelope::EnvelopeWriter;
use super::{FeedDocumentError, feed_text};
use crate::model::feeds::FeedType;
use crate::model::orders::OrderItemId;
use crate::params::format_timestamp;

/// Who carries the parcel: a code from Amazon's carrier-code list (e.g. `Yamato Transport`), or
/// `Other` with the carrier's name — the only use of `<CarrierName>` Amazon accepts (Amazon.co.jp
/// refuses a confirmation without `<CarrierCode>` since 2022-08-31).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// `<CarrierCode>`.
    Code(String),
    /// `<CarrierCode>Other</CarrierCode>` and `<CarrierName>`, for carriers not on Amazon's list.
    Other(String),
}

impl Carrier {
    /// A carrier code (at most 50 characters).
    pub fn code(code: &str) -> Result<Self, FeedDocumentError> {
        feed_text("CarrierCode", code, 50).map(Self::Code)
    }

    /// A carrier not on Amazon's list, by its name (at most 50 characters).
    pub fn other(name: &str) -> Result<Self, FeedDocumentError> {
        feed_text("CarrierName", name, 50).map(Self::Other)
    }

    /// The carrier a warehouse typed, as Amazon's code or `Other` with its name.
    pub fn for_shipment(carrier: &ShipmentCarrier) -> Result<Self, FeedDocumentError> {
        match carrier {
            ShipmentCarrier::Listed(code) => Self::code(code),
            ShipmentCarrier::Other(name) => Self::other(name),
        }
    }
}

/// One shipped order line: the item and, for a partial shipment, the quantity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FulfillmentItem {
    /// The item's `OrderItemId` (the feed's `AmazonOrderItemCode`).
    pub amazon_order_item_code: OrderItemId,
    /// How many were shipped; `None` means all of the line.
    pub quantity: Option<NonZeroU32>,
}

/// One shipment confirmation. Without items it confirms the whole order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFulfillment {
    amazon_order_id: AmazonOrderId,
    fulfillment_date: Timestamp,
    carrier: Option<Carrier>,
    shipping_method: Option<String>,
    shipper_tracking_number: Option<String>,
    items: Vec<FulfillmentItem>,
}

impl OrderFulfillment {
    /// A confirmation that `amazon_order_id` shipped at `fulfillment_date`.
    pub fn new(amazon_order_id: AmazonOrderId, fulfillment_date: Timestamp) -> Self {
        Self {
            amazon_order_id,
            fulfillment_date,
            carrier: None,
            shipping_method: None,
            shipper_tracking_number: None,
            items: Vec::new(),
        }
    }

    /// Sets the carrier.
    pub fn carrier(mut self, carrier: Carrier) -> Self {
        self.carrier = Some(carrier);
        self
    }

    /// Sets the shipping method, e.g. `宅急便` (at most 50 characters).
    pub fn shipping_method(mut self, method: &str) -> Result<Self, FeedDocumentError> {
        self.shipping_method = Some(feed_text("ShippingMethod", method, 50)?);
        Ok(self)
    }

    /// Sets the tracking number (at most 50 characters).
    pub fn tracking_number(mut self, number: &str) -> Result<Self, FeedDocumentError> {
        self.shipper_tracking_number = Some(feed_text("ShipperTrackingNumber", number, 50)?);
        Ok(self)
    }

    /// Adds a shipped line; `quantity` `None` ships the whole line.
    pub fn item(
        mut self,
        amazon_order_item_code: OrderItemId,
        quantity: Option<NonZeroU32>,
    ) -> Self {
        self.items.push(FulfillmentItem {
            amazon_order_item_code,
            quantity,
        });
        self
    }

    /// The order confirmed.
    pub fn amazon_order_id(&self) -> &AmazonOrderId {
        &self.amazon_order_id
    }

    fn write(&self, writer: &mut EnvelopeWriter) {
        writer.open_message(None);
        writer.open(2, "OrderFulfillment");
        writer.text(3, "AmazonOrderID", self.amazon_order_id.as_str());
        writer.text(
            3,
            "FulfillmentDate",
            &format_timestamp(self.fulfillment_date),
        );
        let has_data = self.carrier.is_some()
            || self.shipping_method.is_some()
            || self.shipper_tracking_number.is_some();
        if has_data {
            writer.open(3, "FulfillmentData");
            match &self.carrier {
                Some(Carrier::Code(code)) => writer.text(4, "CarrierCode", code),
                Some(Carrier::Other(name)) => {
                    writer.text(4, "CarrierCode", OTHER_CARRIER_CODE);
                    writer.text(4, "CarrierName", name);
                }
                None => {}
            }
            if let Some(method) = &self.shipping_method {
                writer.text(4, "ShippingMethod", method);
            }
            if let Some(number) = &self.shipper_tracking_number {
                writer.text(4, "ShipperTrackingNumber", number);
            }
            writer.close(3, "FulfillmentData");
        }
        for item in &self.items {
            writer.open(3, "Item");
            writer.text(
                4,
                "AmazonOrderItemCode",
                item.amazon_order_item_code.as_str(),
            );
            if let Some(quantity) = item.quantity {
                writer.text(4, "Quantity", &quantity.to_string());
            }
            writer.close(3, "Item");
        }
        writer.close(2, "OrderFulfillment");
        writer.close_message();
    }
}

/// A `_POST_ORDER_FULFILLMENT_DATA_` document: one message per confirmed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFulfillmentFeed {
    merchant: SellerId,
    messages: Vec<OrderFulfillment>,
}

impl OrderFulfillmentFeed {
    /// An empty document for the seller `merchant` (the `MerchantIdentifier`).
    pub fn new(merchant: SellerId) -> Self {
        Self {
            merchant,
            messages: Vec::new(),
        }
    }

    /// Adds a confirmation; messages are numbered 1, 2, … in the order added.
    pub fn push(&mut self, fulfillment: OrderFulfillment) -> &mut Self {
        self.messages.push(fulfillment);
        self
    }

    /// The confirmations added so far.
    pub fn messages(&self) -> &[OrderFulfillment] {
        &self.messages
    }

    /// The feed type to submit this document as.
    pub fn feed_type(&self) -> FeedType {
        FeedType::order_fulfillment()
    }

    /// Renders the document.
    pub fn to_xml(&self) -> String {
        let mut writer = EnvelopeWriter::new(&self.merchant, "OrderFulfillment");
        for message in &self.messages {
            message.write(&mut writer);
        }
        writer.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order_id(text: &str) -> AmazonOrderId {
        AmazonOrderId::parse(text).expect("valid order id")
    }

    #[test]
    fn renders_carrier_tracking_and_items_with_escaping() {
        let mut feed = OrderFulfillmentFeed::new(SellerId::parse("A2SLNK0EXAMPL3").expect("valid"));
        feed.push(
            OrderFulfillment::new(
                order_id("249-3018476-5521904"),
                "2024-03-01T10:00:00+09:00".parse().expect("valid"),
            )
            .carrier(Carrier::code("Yamato Transport").expect("valid"))
            .shipping_method("宅急便 <速達> & 翌日")
            .expect("valid")
            .tracking_number("4021-8837-1150")
            .expect("valid")
            .item(
                OrderItemId::parse("40817263510294").expect("valid"),
                NonZeroU32::new(2),
            ),
        );
        feed.push(
            OrderFulfillment::new(
                order_id("249-7712093-3364511"),
                "2024-03-01T01:30:00Z".parse().expect("valid"),
            )
            .carrier(Carrier::other("西濃運輸 \"カンガルー便\"").expect("valid")),
        );
        let xml = feed.to_xml();
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header>
    <DocumentVersion>1.01</DocumentVersion>
    <MerchantIdentifier>A2SLNK0EXAMPL3</MerchantIdentifier>
  </Header>
  <MessageType>OrderFulfillment</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <OrderFulfillment>
      <AmazonOrderID>249-3018476-5521904</AmazonOrderID>
      <FulfillmentDate>2024-03-01T01:00:00.000Z</FulfillmentDate>
      <FulfillmentData>
        <CarrierCode>Yamato Transport</CarrierCode>
        <ShippingMethod>宅急便 &lt;速達&gt; &amp; 翌日</ShippingMethod>
        <ShipperTrackingNumber>4021-8837-1150</ShipperTrackingNumber>
      </FulfillmentData>
      <Item>
        <AmazonOrderItemCode>40817263510294</AmazonOrderItemCode>
        <Quantity>2</Quantity>
      </Item>
    </OrderFulfillment>
  </Message>
  <Message>
    <MessageID>2</MessageID>
    <OrderFulfillment>
      <AmazonOrderID>249-7712093-3364511</AmazonOrderID>
      <FulfillmentDate>2024-03-01T01:30:00.000Z</FulfillmentDate>
      <FulfillmentData>
        <CarrierCode>Other</CarrierCode>
        <CarrierName>西濃運輸 &quot;カンガルー便&quot;</CarrierName>
      </FulfillmentData>
    </OrderFulfillment>
  </Message>
</AmazonEnvelope>
"#;
        assert_eq!(xml, expected);
        assert_eq!(feed.feed_type().as_str(), "_POST_ORDER_FULFILLMENT_DATA_");
    }

    #[test]
    fn the_rendered_document_is_well_formed_xml() {
        let mut feed = OrderFulfillmentFeed::new(SellerId::parse("A2SLNK0EXAMPL3").expect("valid"));
        feed.push(
            OrderFulfillment::new(order_id("249-3018476-5521904"), Timestamp::UNIX_EPOCH)
                .tracking_number("a<b>&'\"")
                .expect("valid"),
        );
        let xml = feed.to_xml();
        #[derive(serde::Deserialize)]
        struct Envelope {
            #[serde(rename = "Message")]
            message: Message,
        }
        #[derive(serde::Deserialize)]
        struct Message {
            #[serde(rename = "OrderFulfillment")]
            fulfillment: Fulfillment,
        }
        #[derive(serde::Deserialize)]
        struct Fulfillment {
            #[serde(rename = "FulfillmentData")]
            data: Data,
        }
        #[derive(serde::Deserialize)]
        struct Data {
            #[serde(rename = "ShipperTrackingNumber")]
            tracking: String,
        }
        let parsed: Envelope = quick_xml::de::from_str(&xml).expect("well-formed");
        let tracking = Some(parsed.message.fulfillment.data.tracking);
        assert_eq!(tracking.as_deref(), Some("a<b>&'\""));
    }

    #[test]
    fn too_long_or_empty_texts_are_refused_naming_the_field() {
        let long = "x".repeat(51);
        let error = Carrier::other(&long).expect_err("too long");
        assert_eq!(error.field, "CarrierName");
        assert!(error.to_string().contains("51 characters"));
        let error = OrderFulfillment::new(order_id("249-3018476-5521904"), Timestamp::UNIX_EPOCH)
            .tracking_number("  ")
            .expect_err("empty");
        assert_eq!(error.field, "ShipperTrackingNumber");
        assert!(Carrier::code("Yamato\u{7}").is_err());
    }
}
