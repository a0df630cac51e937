//! Processing results and the ProcessingReport document (`docs/amazon/MWS.md#processing-report`).
//!
//! Result message codes: 5000 (XML parse error) is Amazon's; the others are the sandbox's own,
//! documented in docs/SANDBOX.md.

use crate::xml::XmlWriter;

/// Error or Warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ResultCode {
    /// The message was not applied.
    Error,
    /// Applied, with a remark.
    Warning,
}

/// One `<Result>` of the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MessageResult {
    /// MessageID (0 = the whole document).
    pub message_id: u64,
    /// Error or Warning.
    pub code: ResultCode,
    /// ResultMessageCode.
    pub message_code: u32,
    /// ResultDescription.
    pub description: String,
    /// AdditionalInfo/SKU.
    pub sku: Option<String>,
    /// AdditionalInfo/AmazonOrderID.
    pub amazon_order_id: Option<String>,
    /// AdditionalInfo/AmazonOrderItemCode.
    pub amazon_order_item_code: Option<String>,
}

impl MessageResult {
    /// An error result without additional info.
    pub fn error(message_id: u64, message_code: u32, description: impl Into<String>) -> Self {
        Self {
            message_id,
            code: ResultCode::Error,
            message_code,
            description: description.into(),
            sku: None,
            amazon_order_id: None,
            amazon_order_item_code: None,
        }
    }

    /// Adds the order ID to AdditionalInfo.
    pub fn order(mut self, id: &str) -> Self {
        self.amazon_order_id = Some(id.to_owned());
        self
    }

    /// Adds the order item code to AdditionalInfo.
    pub fn item(mut self, code: &str) -> Self {
        self.amazon_order_item_code = Some(code.to_owned());
        self
    }

    /// Adds the SKU to AdditionalInfo.
    pub fn sku(mut self, sku: &str) -> Self {
        self.sku = Some(sku.to_owned());
        self
    }
}

/// What processing a feed did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedOutcome {
    /// When it was processed (epoch ms).
    pub processed_ms: i64,
    /// MessagesProcessed.
    pub messages_processed: u32,
    /// MessagesSuccessful.
    pub messages_successful: u32,
    /// MessagesWithError.
    pub messages_with_error: u32,
    /// MessagesWithWarning.
    pub messages_with_warning: u32,
    /// Per-message results.
    pub results: Vec<MessageResult>,
    /// Human-readable effects, e.g. `503-1234567-1234567: Shipped`.
    pub effects: Vec<String>,
}

impl FeedOutcome {
    /// An outcome where the whole document was refused.
    pub fn document_error(processed_ms: i64, result: MessageResult) -> Self {
        Self {
            processed_ms,
            messages_processed: 0,
            messages_successful: 0,
            messages_with_error: 1,
            messages_with_warning: 0,
            results: vec![result],
            effects: Vec::new(),
        }
    }

    /// Renders the ProcessingReport envelope for `merchant` and feed `feed_id`.
    pub fn report_xml(&self, merchant: &str, feed_id: &str) -> String {
        let mut w = XmlWriter::with_declaration("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        w.open_with(
            "AmazonEnvelope",
            &[
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                ("xsi:noNamespaceSchemaLocation", "amzn-envelope.xsd"),
            ],
        );
        w.open("Header")
            .leaf("DocumentVersion", "1.02")
            .leaf("MerchantIdentifier", merchant)
            .close("Header");
        w.leaf("MessageType", "ProcessingReport");
        w.open("Message")
            .leaf_num("MessageID", 1)
            .open("ProcessingReport");
        w.leaf("DocumentTransactionID", feed_id)
            .leaf("StatusCode", "Complete");
        w.open("ProcessingSummary")
            .leaf_num("MessagesProcessed", self.messages_processed)
            .leaf_num("MessagesSuccessful", self.messages_successful)
            .leaf_num("MessagesWithError", self.messages_with_error)
            .leaf_num("MessagesWithWarning", self.messages_with_warning)
            .close("ProcessingSummary");
        for result in &self.results {
            w.open("Result").leaf_num("MessageID", result.message_id);
            w.leaf(
                "ResultCode",
                if result.code == ResultCode::Error {
                    "Error"
                } else {
                    "Warning"
                },
            );
            w.leaf_num("ResultMessageCode", result.message_code)
                .leaf("ResultDescription", &result.description);
            if result.sku.is_some()
                || result.amazon_order_id.is_some()
                || result.amazon_order_item_code.is_some()
            {
                w.open("AdditionalInfo")
                    .leaf_opt("SKU", result.sku.as_deref())
                    .leaf_opt("AmazonOrderID", result.amazon_order_id.as_deref())
                    .leaf_opt(
                        "AmazonOrderItemCode",
                        result.amazon_order_item_code.as_deref(),
                    )
                    .close("AdditionalInfo");
            }
            w.close("Result");
        }
        w.close("ProcessingReport")
            .close("Message")
            .close("AmazonEnvelope");
        w.finish()
    }
}

/// Tallies per-message results into an outcome. `messages` is the number of messages read.
pub fn tally(
    processed_ms: i64,
    messages: u32,
    results: Vec<MessageResult>,
    effects: Vec<String>,
) -> FeedOutcome {
    let mut errored: Vec<u64> = results
        .iter()
        .filter(|r| r.code == ResultCode::Error)
        .map(|r| r.message_id)
        .collect();
    errored.sort_unstable();
    errored.dedup();
    let mut warned: Vec<u64> = results
        .iter()
        .filter(|r| r.code == ResultCode::Warning)
        .map(|r| r.message_id)
        .collect();
    warned.sort_unstable();
    warned.dedup();
    let with_error = errored.len() as u32;
    FeedOutcome {
        processed_ms,
        messages_processed: messages,
        messages_successful: messages.saturating_sub(with_error),
        messages_with_error: with_error,
        messages_with_warning: warned.len() as u32,
        results,
        effects,
    }
}
