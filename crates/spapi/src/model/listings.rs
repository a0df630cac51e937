//! Listings Items 2021-08-01 `patchListingsItem` (`docs/amazon/SP-API.md#patchlistingsitem`):
//! JSON-Patch operations and the submission response. Stock sync patches `fulfillment_availability`.

use serde::{Deserialize, Serialize};

use crate::product_type::ProductType;

/// A JSON-Patch operation on one top-level attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOp {
    /// Adds or replaces the attribute.
    Add,
    /// Adds or replaces the attribute.
    Replace,
    /// Merges into the attribute, leaving unnamed fields as they are (since 2025-06).
    Merge,
    /// Removes the attribute.
    Delete,
}

/// One patch: `{"op", "path", "value"}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatchOperation {
    /// The operation.
    pub op: PatchOp,
    /// A JSON pointer such as `/attributes/fulfillment_availability`.
    pub path: String,
    /// The attribute's value list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Vec<serde_json::Value>>,
}

/// The seller-fulfilled stock of a SKU: a `merge` on `/attributes/fulfillment_availability` with
/// channel `DEFAULT`, the quantity and — when given — the handling time in days. `merge` leaves a
/// lead time or restock date set in Seller Central untouched when not given here.
pub fn fulfillment_availability_patch(
    quantity: u32,
    lead_time_days: Option<u32>,
) -> PatchOperation {
    let mut value = serde_json::json!({
        "fulfillment_channel_code": "DEFAULT",
        "quantity": quantity,
    });
    if let Some(days) = lead_time_days {
        value["lead_time_to_ship_max_days"] = serde_json::json!(days);
    }
    PatchOperation {
        op: PatchOp::Merge,
        path: "/attributes/fulfillment_availability".to_owned(),
        value: Some(vec![value]),
    }
}

/// The `patchListingsItem` request body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PatchListingsItemBody<'a> {
    pub(crate) product_type: &'a str,
    pub(crate) patches: &'a [PatchOperation],
}

impl<'a> PatchListingsItemBody<'a> {
    pub(crate) fn new(product_type: &'a ProductType, patches: &'a [PatchOperation]) -> Self {
        Self {
            product_type: product_type.as_str(),
            patches,
        }
    }
}

/// The submission's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingsItemSubmissionResponse {
    /// The SKU.
    pub sku: String,
    /// `ACCEPTED` (queued; applied asynchronously), or `INVALID`/`VALID` (validation preview).
    pub status: SubmissionStatus,
    /// Amazon's submission ID.
    pub submission_id: String,
    /// Problems Amazon found.
    #[serde(default)]
    pub issues: Vec<ListingsIssue>,
}

/// A submission status.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubmissionStatus {
    /// Queued for processing — not yet live.
    Accepted,
    /// Refused; see the issues.
    Invalid,
    /// Would be accepted (validation preview only).
    Valid,
}

/// One problem with a submission.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListingsIssue {
    /// Amazon's issue code, e.g. `4000003`.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// `ERROR`, `WARNING` or `INFO`.
    pub severity: IssueSeverity,
    /// The attributes concerned.
    #[serde(default)]
    pub attribute_names: Vec<String>,
    /// Categories such as `INVALID_ATTRIBUTE`.
    #[serde(default)]
    pub categories: Vec<String>,
}

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum IssueSeverity {
    /// Prevented the submission.
    Error,
    /// Should be reviewed.
    Warning,
    /// For information.
    Info,
}

impl ListingsItemSubmissionResponse {
    /// True when Amazon accepted (or, in preview, validated) the patch without an error issue.
    pub fn is_accepted(&self) -> bool {
        matches!(
            self.status,
            SubmissionStatus::Accepted | SubmissionStatus::Valid
        ) && !self
            .issues
            .iter()
            .any(|issue| issue.severity == IssueSeverity::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stock_patch_matches_the_documented_body() {
        let patches = [fulfillment_availability_patch(7, Some(2))];
        let product_type = ProductType::product();
        let body =
            serde_json::to_value(PatchListingsItemBody::new(&product_type, &patches)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "productType": "PRODUCT",
                "patches": [{
                    "op": "merge",
                    "path": "/attributes/fulfillment_availability",
                    "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7, "lead_time_to_ship_max_days": 2}]
                }]
            })
        );
        let plain = serde_json::to_value(fulfillment_availability_patch(0, None)).unwrap();
        assert_eq!(
            plain["value"][0],
            serde_json::json!({"fulfillment_channel_code": "DEFAULT", "quantity": 0})
        );
    }
}
