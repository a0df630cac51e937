//! Orders Amazon sent that the import cannot read, made ready for the store's quarantine: keyed by Amazon's order
//! id (or, without one, a digest of the fragment), with buyer data removed from the fragment.

use jiff::Timestamp;
use sellerlink_domain::unreadable::UnreadableOrder;

/// The parts of an SP-API order that hold buyer data (Orders 2026-01-01 `buyer`, `recipient`).
const SPAPI_BUYER_PARTS: [&str; 2] = ["buyer", "recipient"];

/// The elements of an MWS order that hold buyer data.
const MWS_BUYER_ELEMENTS: [&str; 4] =
    ["BuyerName", "BuyerEmail", "ShippingAddress", "BuyerTaxInfo"];

/// An order that cannot be read: `order_id` as Amazon sent it (if it did), why, the fragment without buyer data,
/// and the instant from which a listing shows it again.
pub(crate) fn unreadable(
    order_id: Option<&str>,
    reason: impl Into<String>,
    fragment: String,
    relist_from: Timestamp,
) -> UnreadableOrder {
    let order_key = match order_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => id.to_owned(),
        None => format!("digest:{:016x}", fnv1a(fragment.as_bytes())),
    };
    UnreadableOrder {
        order_key,
        reason: reason.into(),
        raw: fragment,
        relist_from,
    }
}

/// An SP-API order's JSON without its buyer data, as text.
pub(crate) fn spapi_fragment(mut order: serde_json::Value) -> String {
    if let Some(object) = order.as_object_mut() {
        for part in SPAPI_BUYER_PARTS {
            object.remove(part);
        }
    }
    order.to_string()
}

/// An MWS `<Order>` element without its buyer data (`BuyerName`, `BuyerEmail`, `ShippingAddress`,
/// `BuyerTaxInfo`).
pub(crate) fn mws_fragment(xml: &str) -> String {
    let mut fragment = xml.to_owned();
    for tag in MWS_BUYER_ELEMENTS {
        let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
        while let Some(start) = fragment.find(&open) {
            let Some(end) = fragment[start..].find(&close) else {
                fragment.truncate(start);
                break;
            };
            fragment.replace_range(start..start + end + close.len(), "");
        }
    }
    fragment
}

/// 64-bit FNV-1a: a stable key for a fragment that names no order.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buyer_data_is_removed_and_an_order_without_id_gets_a_stable_digest() {
        let fragment = spapi_fragment(serde_json::json!({
            "orderId": "503-1234567-7654321",
            "buyer": {"buyerName": "山田 太郎"},
            "recipient": {"deliveryAddress": {"name": "山田 太郎"}}
        }));
        assert!(!fragment.contains("山田"), "{fragment}");
        let at = Timestamp::UNIX_EPOCH;
        let first = unreadable(None, "no orderId", fragment.clone(), at);
        let second = unreadable(Some(" "), "no orderId", fragment, at);
        assert!(first.order_key.starts_with("digest:"));
        assert_eq!(first.order_key, second.order_key);
        assert_eq!(
            unreadable(Some("S01-1"), "odd", String::new(), at).order_key,
            "S01-1"
        );
        let xml = "<Order><AmazonOrderId>503-1234567-7654321</AmazonOrderId><BuyerName>山田</BuyerName>\
                   <ShippingAddress><Name>山田</Name></ShippingAddress><BuyerEmail>x@y</BuyerEmail></Order>";
        assert_eq!(
            mws_fragment(xml),
            "<Order><AmazonOrderId>503-1234567-7654321</AmazonOrderId></Order>"
        );
    }
}
