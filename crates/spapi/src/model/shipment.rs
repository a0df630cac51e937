//! Orders v0 `confirmShipment` body (`docs/amazon/SP-API.md#confirmshipment`) and the Japanese carrier
//! names (`docs/amazon/SP-API.md#carriers`). The client checks the body before sending it, so a
//! missing carrier name or a numeric package reference is refused here with a message that names
//! the field.

use jiff::Timestamp;
use sellerlink_domain::ids::MarketplaceId;
use serde::Serialize;

use crate::input::{InputError, InputField, InputProblem, text, token_like};

/// Carrier codes for Amazon.co.jp as Seller Central spells them. The exact current list is not
/// confirmed (`docs/amazon/SP-API.md#carriers`); keep carrier codes configurable and use [`OTHER_CARRIER`]
/// with a carrier name for anything else.
pub const JP_CARRIER_CODES: &[&str] = &[
    "Japan Post",
    "Yamato Transport",
    "Sagawa Express",
    "Seino Transportation",
    "Fukuyama Transporting",
    "Nippon Express",
    OTHER_CARRIER,
];

/// The carrier code for a carrier not in the list; `carrierName` is then required.
pub const OTHER_CARRIER: &str = "Other";

/// The `confirmShipment` request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfirmShipment {
    /// The order's marketplace.
    pub marketplace_id: MarketplaceId,
    /// The package shipped.
    pub package_detail: PackageDetail,
}

/// One shipped package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageDetail {
    /// A positive whole number as text, unique per order (`"1"`, `"2"`, …); re-sending one edits it.
    pub package_reference_id: String,
    /// A carrier Seller Central offers, e.g. `Yamato Transport`, or `Other`.
    pub carrier_code: String,
    /// The carrier's name; required when `carrier_code` is `Other`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier_name: Option<String>,
    /// The service, e.g. 宅急便, ネコポス, ゆうパケット.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_method: Option<String>,
    /// The carrier's tracking number.
    pub tracking_number: String,
    /// When the package left.
    pub ship_date: Timestamp,
    /// What is in the package.
    pub order_items: Vec<ShipmentItem>,
}

/// A line in the package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShipmentItem {
    /// Amazon's order item ID.
    pub order_item_id: String,
    /// Units of it in the package.
    pub quantity: u32,
}

impl ConfirmShipment {
    /// Checks what Amazon would refuse with a vaguer message: the package reference must be a
    /// positive integer as text, `Other` needs a carrier name, fields must be non-empty and
    /// quantities positive.
    pub fn validate(&self) -> Result<(), InputError> {
        let package = &self.package_detail;
        let reference = package.package_reference_id.trim();
        let positive = !reference.is_empty()
            && reference.bytes().all(|b| b.is_ascii_digit())
            && reference.bytes().any(|b| b != b'0');
        if !positive {
            return Err(InputError::new(
                InputField::PackageReferenceId,
                InputProblem::NotPositiveInteger,
            ));
        }
        text(InputField::CarrierCode, &package.carrier_code, 100)?;
        let is_other = package
            .carrier_code
            .trim()
            .eq_ignore_ascii_case(OTHER_CARRIER);
        match &package.carrier_name {
            Some(name) => {
                text(InputField::CarrierName, name, 100)?;
            }
            None if is_other => {
                return Err(InputError::new(
                    InputField::CarrierName,
                    InputProblem::Required {
                        because: "when the carrier code is \"Other\"",
                    },
                ));
            }
            None => {}
        }
        token_like(
            InputField::TrackingNumber,
            &package.tracking_number,
            100,
            false,
        )?;
        if package.order_items.is_empty() {
            return Err(InputError::new(
                InputField::OrderItemId,
                InputProblem::Required {
                    because: "for at least one line of the package",
                },
            ));
        }
        for item in &package.order_items {
            token_like(InputField::OrderItemId, &item.order_item_id, 50, false)?;
            if item.quantity == 0 {
                return Err(InputError::new(
                    InputField::Quantity,
                    InputProblem::NotPositiveInteger,
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yamato() -> ConfirmShipment {
        ConfirmShipment {
            marketplace_id: MarketplaceId::japan(),
            package_detail: PackageDetail {
                package_reference_id: "1".to_owned(),
                carrier_code: "Yamato Transport".to_owned(),
                carrier_name: None,
                shipping_method: Some("宅急便".to_owned()),
                tracking_number: "123456789012".to_owned(),
                ship_date: "2026-01-10T01:00:00Z".parse().unwrap(),
                order_items: vec![ShipmentItem {
                    order_item_id: "12345678901234".to_owned(),
                    quantity: 1,
                }],
            },
        }
    }

    #[test]
    fn serializes_as_documented() {
        let body = serde_json::to_value(yamato()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "marketplaceId": "A1VC38T7YXB528",
                "packageDetail": {
                    "packageReferenceId": "1",
                    "carrierCode": "Yamato Transport",
                    "shippingMethod": "宅急便",
                    "trackingNumber": "123456789012",
                    "shipDate": "2026-01-10T01:00:00Z",
                    "orderItems": [{"orderItemId": "12345678901234", "quantity": 1}]
                }
            })
        );
        assert!(yamato().validate().is_ok());
    }

    #[test]
    fn validation_names_the_field() {
        let mut shipment = yamato();
        shipment.package_detail.package_reference_id = "0".to_owned();
        assert_eq!(
            shipment.validate().unwrap_err().field,
            InputField::PackageReferenceId
        );
        let mut shipment = yamato();
        shipment.package_detail.carrier_code = "Other".to_owned();
        let error = shipment.validate().unwrap_err();
        assert_eq!(error.field, InputField::CarrierName);
        assert!(
            error
                .to_string()
                .contains("required when the carrier code is \"Other\""),
            "{error}"
        );
        shipment.package_detail.carrier_name = Some("西濃運輸".to_owned());
        assert!(shipment.validate().is_ok());
        let mut shipment = yamato();
        shipment.package_detail.order_items[0].quantity = 0;
        assert_eq!(shipment.validate().unwrap_err().field, InputField::Quantity);
        let mut shipment = yamato();
        shipment.package_detail.tracking_number = " ".to_owned();
        assert_eq!(
            shipment.validate().unwrap_err().field,
            InputField::TrackingNumber
        );
    }
}
