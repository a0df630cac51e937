//! Feeds 2009-01-01 responses: `SubmitFeed`, `GetFeedSubmissionList` (+ByNextToken) and the
//! processing report `GetFeedSubmissionResult` returns (`docs/amazon/MWS.md#feeds-2009-01-01`).

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::ids::AmazonOrderId;
use serde::{Deserialize, Deserializer};

use super::ResponseMetadata;
use super::de::{element_parsers, optional_bool, optional_text, parse_timestamp};
use crate::error::DecodeError;

/// A feed submission's id: a decimal number Amazon assigns (about 11 digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeedSubmissionId(String);

impl FeedSubmissionId {
    /// Parses 1–20 decimal digits.
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        if (1..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "feed submission id {value:?} is not 1–20 digits (e.g. 51799018438)"
            ))
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeedSubmissionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A feed type such as `_POST_ORDER_FULFILLMENT_DATA_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedType(String);

impl FeedType {
    /// Shipment confirmations (XML, [`crate::OrderFulfillmentFeed`]).
    pub const ORDER_FULFILLMENT: &'static str = "_POST_ORDER_FULFILLMENT_DATA_";
    /// Stock quantities (XML, [`crate::InventoryFeed`]).
    pub const INVENTORY_AVAILABILITY: &'static str = "_POST_INVENTORY_AVAILABILITY_DATA_";
    /// Shipment confirmations as a tab-separated flat file.
    pub const FLAT_FILE_FULFILLMENT: &'static str = "_POST_FLAT_FILE_FULFILLMENT_DATA_";

    /// Parses `_UPPER_CASE_WORDS_`: upper-case letters, digits and underscores, starting and
    /// ending with `_`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        let shaped = value.len() > 2
            && value.starts_with('_')
            && value.ends_with('_')
            && value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if shaped {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "feed type {value:?} is not of the form _POST_ORDER_FULFILLMENT_DATA_"
            ))
        }
    }

    /// `_POST_ORDER_FULFILLMENT_DATA_`.
    pub fn order_fulfillment() -> Self {
        Self(Self::ORDER_FULFILLMENT.to_owned())
    }

    /// `_POST_INVENTORY_AVAILABILITY_DATA_`.
    pub fn inventory_availability() -> Self {
        Self(Self::INVENTORY_AVAILABILITY.to_owned())
    }

    /// The feed type's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FeedType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a feed submission is in Amazon's processing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FeedProcessingStatus {
    /// `_AWAITING_ASYNCHRONOUS_REPLY_`.
    AwaitingAsynchronousReply,
    /// `_CANCELLED_`.
    Cancelled,
    /// `_DONE_`: the processing report is available.
    Done,
    /// `_IN_PROGRESS_`.
    InProgress,
    /// `_IN_SAFETY_NET_`.
    InSafetyNet,
    /// `_SUBMITTED_`.
    Submitted,
    /// `_UNCONFIRMED_`.
    Unconfirmed,
    /// A value this client does not know.
    Other(String),
}

impl FeedProcessingStatus {
    /// Reads Amazon's spelling.
    pub fn from_wire(value: &str) -> Self {
        match value.trim() {
            "_AWAITING_ASYNCHRONOUS_REPLY_" => Self::AwaitingAsynchronousReply,
            "_CANCELLED_" => Self::Cancelled,
            "_DONE_" => Self::Done,
            "_IN_PROGRESS_" => Self::InProgress,
            "_IN_SAFETY_NET_" => Self::InSafetyNet,
            "_SUBMITTED_" => Self::Submitted,
            "_UNCONFIRMED_" => Self::Unconfirmed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Amazon's spelling, as sent in `FeedProcessingStatusList.Status.N`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::AwaitingAsynchronousReply => "_AWAITING_ASYNCHRONOUS_REPLY_",
            Self::Cancelled => "_CANCELLED_",
            Self::Done => "_DONE_",
            Self::InProgress => "_IN_PROGRESS_",
            Self::InSafetyNet => "_IN_SAFETY_NET_",
            Self::Submitted => "_SUBMITTED_",
            Self::Unconfirmed => "_UNCONFIRMED_",
            Self::Other(other) => other,
        }
    }

    /// Whether processing has finished (done or cancelled).
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Done | Self::Cancelled)
    }
}

impl fmt::Display for FeedProcessingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FeedProcessingStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::from_wire(&text))
    }
}

element_parsers! {
    required feed_submission_id: "FeedSubmissionId" => FeedSubmissionId = FeedSubmissionId::parse;
    required feed_type: "FeedType" => FeedType = FeedType::parse;
    required submitted_date: "SubmittedDate" => Timestamp = parse_timestamp;
    optional started_processing_date: "StartedProcessingDate" => Timestamp = parse_timestamp;
    optional completed_processing_date: "CompletedProcessingDate" => Timestamp = parse_timestamp;
    required message_id: "MessageID" => u32 = |text: &str| text.parse::<u32>();
    optional result_message_code: "ResultMessageCode" => u32 = |text: &str| text.parse::<u32>();
    optional report_order_id: "AmazonOrderID" => AmazonOrderId = AmazonOrderId::from_amazon;
    required messages_processed: "MessagesProcessed" => u32 = |text: &str| text.parse::<u32>();
    required messages_successful: "MessagesSuccessful" => u32 = |text: &str| text.parse::<u32>();
    required messages_with_error: "MessagesWithError" => u32 = |text: &str| text.parse::<u32>();
    required messages_with_warning: "MessagesWithWarning" => u32 = |text: &str| text.parse::<u32>();
}

/// A feed submission's state (`FeedSubmissionInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FeedSubmissionInfo {
    /// The submission's id.
    #[serde(rename = "FeedSubmissionId", deserialize_with = "feed_submission_id")]
    pub feed_submission_id: FeedSubmissionId,
    /// The feed type submitted.
    #[serde(rename = "FeedType", deserialize_with = "feed_type")]
    pub feed_type: FeedType,
    /// When it was submitted.
    #[serde(rename = "SubmittedDate", deserialize_with = "submitted_date")]
    pub submitted_date: Timestamp,
    /// Where it is in processing.
    #[serde(rename = "FeedProcessingStatus")]
    pub feed_processing_status: FeedProcessingStatus,
    /// When processing started.
    #[serde(
        rename = "StartedProcessingDate",
        default,
        deserialize_with = "started_processing_date"
    )]
    pub started_processing_date: Option<Timestamp>,
    /// When processing finished.
    #[serde(
        rename = "CompletedProcessingDate",
        default,
        deserialize_with = "completed_processing_date"
    )]
    pub completed_processing_date: Option<Timestamp>,
}

/// What `SubmitFeed` returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitFeedResult {
    /// The new submission.
    pub info: FeedSubmissionInfo,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl SubmitFeedResult {
    /// Parses a `SubmitFeedResponse` document.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "SubmitFeedResult")]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "FeedSubmissionInfo")]
            info: FeedSubmissionInfo,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            info: envelope.result.info,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

/// One page of `GetFeedSubmissionList` or its by-next-token form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSubmissionListPage {
    /// The submissions of this page.
    pub submissions: Vec<FeedSubmissionInfo>,
    /// Whether more pages follow.
    pub has_next: bool,
    /// The token for the next page (meaningful when `has_next`).
    pub next_token: Option<String>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl FeedSubmissionListPage {
    /// Parses a `GetFeedSubmissionListResponse` or its by-next-token form.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(
                rename = "GetFeedSubmissionListResult",
                alias = "GetFeedSubmissionListByNextTokenResult"
            )]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "NextToken", default, deserialize_with = "optional_text")]
            next_token: Option<String>,
            #[serde(rename = "HasNext", default, deserialize_with = "optional_bool")]
            has_next: Option<bool>,
            #[serde(rename = "FeedSubmissionInfo", default)]
            submissions: Vec<FeedSubmissionInfo>,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            submissions: envelope.result.submissions,
            has_next: envelope.result.has_next.unwrap_or(false),
            next_token: envelope.result.next_token,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }

    /// The token to continue with, if Amazon says more pages follow.
    pub fn continuation(&self) -> Option<&str> {
        if self.has_next {
            self.next_token.as_deref()
        } else {
            None
        }
    }
}

/// The overall outcome of a processed feed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportStatusCode {
    /// Processing finished (individual messages may still have failed).
    Complete,
    /// Still processing.
    Processing,
    /// The whole feed was rejected.
    Rejected,
    /// A value this client does not know.
    Other(String),
}

impl<'de> Deserialize<'de> for ReportStatusCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.trim() {
            "Complete" => Self::Complete,
            "Processing" => Self::Processing,
            "Rejected" => Self::Rejected,
            other => Self::Other(other.to_owned()),
        })
    }
}

/// Whether a result line is an error or a warning.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResultCode {
    /// The message was not applied.
    Error,
    /// The message was applied with a warning.
    Warning,
    /// A value this client does not know.
    Other(String),
}

impl<'de> Deserialize<'de> for ResultCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(match text.trim() {
            "Error" => Self::Error,
            "Warning" => Self::Warning,
            other => Self::Other(other.to_owned()),
        })
    }
}

/// Counts of a processing report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct ProcessingSummary {
    /// Messages read.
    #[serde(rename = "MessagesProcessed", deserialize_with = "messages_processed")]
    pub messages_processed: u32,
    /// Messages applied.
    #[serde(
        rename = "MessagesSuccessful",
        deserialize_with = "messages_successful"
    )]
    pub messages_successful: u32,
    /// Messages with an error.
    #[serde(rename = "MessagesWithError", deserialize_with = "messages_with_error")]
    pub messages_with_error: u32,
    /// Messages with a warning.
    #[serde(
        rename = "MessagesWithWarning",
        deserialize_with = "messages_with_warning"
    )]
    pub messages_with_warning: u32,
}

/// What a result line refers to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct AdditionalInfo {
    /// The SKU concerned.
    #[serde(rename = "SKU", default, deserialize_with = "optional_text")]
    pub sku: Option<String>,
    /// The fulfilment centre concerned.
    #[serde(
        rename = "FulfillmentCenterID",
        default,
        deserialize_with = "optional_text"
    )]
    pub fulfillment_center_id: Option<String>,
    /// The order concerned.
    #[serde(
        rename = "AmazonOrderID",
        default,
        deserialize_with = "report_order_id"
    )]
    pub amazon_order_id: Option<AmazonOrderId>,
    /// The order item concerned.
    #[serde(
        rename = "AmazonOrderItemCode",
        default,
        deserialize_with = "optional_text"
    )]
    pub amazon_order_item_code: Option<String>,
}

/// One error or warning of a processing report.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProcessingResult {
    /// The feed message it concerns; 0 means the whole document.
    #[serde(rename = "MessageID", deserialize_with = "message_id")]
    pub message_id: u32,
    /// Error or warning.
    #[serde(rename = "ResultCode")]
    pub result_code: ResultCode,
    /// Amazon's numeric code, e.g. 5000 for an XML parse error.
    #[serde(
        rename = "ResultMessageCode",
        default,
        deserialize_with = "result_message_code"
    )]
    pub result_message_code: Option<u32>,
    /// What went wrong.
    #[serde(rename = "ResultDescription", default)]
    pub result_description: String,
    /// What it refers to.
    #[serde(rename = "AdditionalInfo", default)]
    pub additional_info: Option<AdditionalInfo>,
}

/// The processing report of an XML feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingReport {
    /// Equals the feed submission id.
    pub document_transaction_id: String,
    /// The overall outcome.
    pub status_code: ReportStatusCode,
    /// The counts.
    pub summary: Option<ProcessingSummary>,
    /// Errors and warnings, per message.
    pub results: Vec<ProcessingResult>,
}

impl ProcessingReport {
    /// Parses an `AmazonEnvelope` holding a `ProcessingReport` message.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "Message")]
            message: MessageWire,
        }
        #[derive(Deserialize)]
        struct MessageWire {
            #[serde(rename = "ProcessingReport")]
            report: ReportWire,
        }
        #[derive(Deserialize)]
        struct ReportWire {
            #[serde(rename = "DocumentTransactionID", default)]
            document_transaction_id: String,
            #[serde(rename = "StatusCode")]
            status_code: ReportStatusCode,
            #[serde(rename = "ProcessingSummary", default)]
            summary: Option<ProcessingSummary>,
            #[serde(rename = "Result", default)]
            results: Vec<ProcessingResult>,
        }
        let envelope: Envelope = super::decode(xml)?;
        let report = envelope.message.report;
        Ok(Self {
            document_transaction_id: report.document_transaction_id.trim().to_owned(),
            status_code: report.status_code,
            summary: report.summary,
            results: report.results,
        })
    }

    /// The results that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &ProcessingResult> {
        self.results
            .iter()
            .filter(|r| r.result_code == ResultCode::Error)
    }
}

/// What `GetFeedSubmissionResult` returned: the XML processing report, or the text report of a
/// flat-file feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedProcessingResult {
    /// An XML feed's report.
    Report(ProcessingReport),
    /// A flat-file feed's tab-separated report, as text.
    FlatFile(String),
}

impl FeedProcessingResult {
    /// Reads a result body: XML (starts with `<` after whitespace and a byte-order mark) is
    /// parsed as a processing report, anything else is kept as text.
    pub fn from_body(body: &str) -> Result<Self, DecodeError> {
        let start = body.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
        if start.starts_with('<') {
            ProcessingReport::from_xml(start).map(Self::Report)
        } else {
            Ok(Self::FlatFile(body.to_owned()))
        }
    }

    /// The XML report, if it is one.
    pub fn report(&self) -> Option<&ProcessingReport> {
        match self {
            Self::Report(report) => Some(report),
            Self::FlatFile(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::fixture;

    #[test]
    fn submit_feed_response_with_offset_dates() {
        let result = SubmitFeedResult::from_xml(&fixture("submit_feed.xml")).expect("parses");
        assert_eq!(result.info.feed_submission_id.as_str(), "60218374512");
        assert_eq!(result.info.feed_type.as_str(), FeedType::ORDER_FULFILLMENT);
        assert_eq!(
            result.info.feed_processing_status,
            FeedProcessingStatus::Submitted
        );
        assert_eq!(
            result.info.submitted_date,
            "2024-03-01T03:10:11Z".parse().expect("valid")
        );
        assert_eq!(
            result.request_id.as_deref(),
            Some("3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7")
        );
    }

    #[test]
    fn submission_list_with_next_page() {
        let page = FeedSubmissionListPage::from_xml(&fixture("get_feed_submission_list.xml"))
            .expect("parses");
        assert!(page.has_next);
        assert_eq!(page.continuation(), Some("ZmVlZHMtcGFnZS0y"));
        assert_eq!(page.submissions.len(), 2);
        let done = &page.submissions[0];
        assert_eq!(done.feed_processing_status, FeedProcessingStatus::Done);
        assert!(done.feed_processing_status.is_final());
        assert!(done.completed_processing_date.is_some());
        let waiting = &page.submissions[1];
        assert_eq!(
            waiting.feed_processing_status,
            FeedProcessingStatus::InProgress
        );
        assert!(waiting.completed_processing_date.is_none());
    }

    #[test]
    fn processing_report_with_an_error_line() {
        let report = ProcessingReport::from_xml(&fixture("processing_report.xml")).expect("parses");
        assert_eq!(report.document_transaction_id, "60218374512");
        assert_eq!(report.status_code, ReportStatusCode::Complete);
        let summary = report.summary.expect("summary");
        assert_eq!(
            (
                summary.messages_processed,
                summary.messages_successful,
                summary.messages_with_error
            ),
            (2, 1, 1)
        );
        let errors: Vec<_> = report.errors().collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message_id, 2);
        assert_eq!(errors[0].result_message_code, Some(18028));
        let info = errors[0].additional_info.as_ref().expect("info");
        assert_eq!(
            info.amazon_order_id.as_ref().map(|id| id.as_str()),
            Some("249-7712093-3364511")
        );
    }

    #[test]
    fn flat_file_results_are_kept_as_text() {
        let text = "Feed Processing Summary:\n\tNumber of records processed\t\t1\n";
        assert_eq!(
            FeedProcessingResult::from_body(text).expect("text"),
            FeedProcessingResult::FlatFile(text.to_owned())
        );
        let xml = format!("\u{feff}\n{}", fixture("processing_report.xml"));
        assert!(
            FeedProcessingResult::from_body(&xml)
                .expect("xml")
                .report()
                .is_some()
        );
    }

    #[test]
    fn feed_types_and_ids_are_checked() {
        assert!(FeedType::parse("_POST_INVENTORY_AVAILABILITY_DATA_").is_ok());
        assert!(FeedType::parse("POST_DATA").is_err());
        assert!(FeedType::parse("_post_").is_err());
        assert!(FeedSubmissionId::parse("51799018438").is_ok());
        assert!(FeedSubmissionId::parse("5179-9018438").is_err());
        assert!(FeedSubmissionId::parse("").is_err());
    }
}
