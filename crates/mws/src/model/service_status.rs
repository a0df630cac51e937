//! `GetServiceStatus` responses (`docs/amazon/MWS.md#getservicestatus`), the same shape for every section.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Deserializer};

use super::ResponseMetadata;
use super::de::{element_parsers, optional_text, parse_timestamp};
use crate::error::DecodeError;

/// A section's health as Amazon reports it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ServiceStatusLevel {
    /// Working normally.
    Green,
    /// Working normally, with an informational message.
    GreenInformational,
    /// Degraded.
    Yellow,
    /// Not available.
    Red,
    /// A value this client does not know.
    Other(String),
}

impl ServiceStatusLevel {
    /// Reads Amazon's spelling (`GREEN`, `GREEN_I`, `YELLOW`, `RED`).
    pub fn from_wire(value: &str) -> Self {
        match value.trim() {
            "GREEN" => Self::Green,
            "GREEN_I" => Self::GreenInformational,
            "YELLOW" => Self::Yellow,
            "RED" => Self::Red,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Amazon's spelling.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Green => "GREEN",
            Self::GreenInformational => "GREEN_I",
            Self::Yellow => "YELLOW",
            Self::Red => "RED",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for ServiceStatusLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ServiceStatusLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::from_wire(&text))
    }
}

/// A status message.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServiceMessage {
    /// e.g. `en_US`.
    #[serde(rename = "Locale", default, deserialize_with = "optional_text")]
    pub locale: Option<String>,
    /// The text.
    #[serde(rename = "Text", default)]
    pub text: String,
}

element_parsers! {
    required status_timestamp: "Timestamp" => Timestamp = parse_timestamp;
}

/// What `GetServiceStatus` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceStatus {
    /// The health level.
    pub status: ServiceStatusLevel,
    /// When Amazon evaluated it.
    pub timestamp: Timestamp,
    /// Id of the message, if any.
    pub message_id: Option<String>,
    /// Messages, if any.
    pub messages: Vec<ServiceMessage>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl ServiceStatus {
    /// Parses a `GetServiceStatusResponse` document.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "GetServiceStatusResult")]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "Status")]
            status: ServiceStatusLevel,
            #[serde(rename = "Timestamp", deserialize_with = "status_timestamp")]
            timestamp: Timestamp,
            #[serde(rename = "MessageId", default, deserialize_with = "optional_text")]
            message_id: Option<String>,
            #[serde(rename = "Messages", default)]
            messages: MessageList,
        }
        #[derive(Default, Deserialize)]
        struct MessageList {
            #[serde(rename = "Message", default)]
            items: Vec<ServiceMessage>,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            status: envelope.result.status,
            timestamp: envelope.result.timestamp,
            message_id: envelope.result.message_id,
            messages: envelope.result.messages.items,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::fixture;

    #[test]
    fn green_status() {
        let status = ServiceStatus::from_xml(&fixture("get_service_status.xml")).expect("parses");
        assert_eq!(status.status, ServiceStatusLevel::Green);
        assert_eq!(
            status.timestamp,
            "2024-03-01T03:00:07.412Z".parse().expect("valid")
        );
        assert!(status.messages.is_empty());
    }

    #[test]
    fn yellow_status_with_messages() {
        let xml = r#"<GetServiceStatusResponse xmlns="https://mws.amazonservices.com/Sellers/2011-07-01">
  <GetServiceStatusResult>
    <Status>YELLOW</Status>
    <Timestamp>2024-03-01T03:00:07+00:00</Timestamp>
    <MessageId>173964729I</MessageId>
    <Messages>
      <Message><Locale>en_US</Locale><Text>Slower than usual.</Text></Message>
      <Message><Locale>ja_JP</Locale><Text>応答が遅くなっています。</Text></Message>
    </Messages>
  </GetServiceStatusResult>
  <ResponseMetadata><RequestId>0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a</RequestId></ResponseMetadata>
</GetServiceStatusResponse>"#;
        let status = ServiceStatus::from_xml(xml).expect("parses");
        assert_eq!(status.status, ServiceStatusLevel::Yellow);
        assert_eq!(status.messages.len(), 2);
        assert_eq!(status.messages[1].text, "応答が遅くなっています。");
        assert_eq!(status.message_id.as_deref(), Some("173964729I"));
    }
}
