//! The `AmazonEnvelope` every XML feed shares, written with escaping.

use quick_xml::escape::escape;
use sellerlink_domain::ids::SellerId;

/// Writes one feed document: header, message type, then one `<Message>` per payload.
pub(crate) struct EnvelopeWriter {
    out: String,
    next_message_id: u32,
}

impl EnvelopeWriter {
    pub(crate) fn new(merchant: &SellerId, message_type: &str) -> Self {
        let mut out = String::from(concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            "\n",
            r#"<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">"#,
            "\n",
        ));
        out.push_str("  <Header>\n");
        out.push_str("    <DocumentVersion>1.01</DocumentVersion>\n");
        out.push_str(&format!(
            "    <MerchantIdentifier>{}</MerchantIdentifier>\n",
            escape(merchant.as_str())
        ));
        out.push_str("  </Header>\n");
        out.push_str(&format!(
            "  <MessageType>{}</MessageType>\n",
            escape(message_type)
        ));
        Self {
            out,
            next_message_id: 1,
        }
    }

    /// Opens a `<Message>` with the next `MessageID`, optionally an `OperationType`.
    pub(crate) fn open_message(&mut self, operation_type: Option<&str>) {
        self.out.push_str("  <Message>\n");
        self.out.push_str(&format!(
            "    <MessageID>{}</MessageID>\n",
            self.next_message_id
        ));
        self.next_message_id += 1;
        if let Some(operation) = operation_type {
            self.out.push_str(&format!(
                "    <OperationType>{}</OperationType>\n",
                escape(operation)
            ));
        }
    }

    pub(crate) fn close_message(&mut self) {
        self.out.push_str("  </Message>\n");
    }

    /// Opens an element at `depth` (two spaces per level).
    pub(crate) fn open(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.out.push_str(&format!("<{name}>\n"));
    }

    pub(crate) fn close(&mut self, depth: usize, name: &str) {
        self.indent(depth);
        self.out.push_str(&format!("</{name}>\n"));
    }

    /// Writes `<name>text</name>` with the text escaped.
    pub(crate) fn text(&mut self, depth: usize, name: &str, text: &str) {
        self.indent(depth);
        self.out
            .push_str(&format!("<{name}>{}</{name}>\n", escape(text)));
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push_str("</AmazonEnvelope>\n");
        self.out
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }
}
