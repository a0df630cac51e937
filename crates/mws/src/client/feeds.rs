//! Feeds operations: `SubmitFeed`, `GetFeedSubmissionList` (+ByNextToken) and
//! `GetFeedSubmissionResult` with its `Content-MD5` check.

use futures::{FutureExt as _, Stream};
use jiff::Timestamp;
use sellerlink_domain::ids::MarketplaceId;

use super::MwsClient;
use super::transport::{Call, Payload, content_md5};
use crate::error::{DecodeError, MwsError};
use crate::feed_document::{InventoryFeed, OrderFulfillmentFeed};
use crate::model::feeds::{
    FeedProcessingResult, FeedProcessingStatus, FeedSubmissionId, FeedSubmissionInfo,
    FeedSubmissionListPage, FeedType, SubmitFeedResult,
};
use crate::pagination::paginate;
use crate::params::Params;
use crate::quota::Operation;
use crate::seller_auth::SellerAuth;

/// Fetches of a feed result whose body fails the `Content-MD5` check: the first try and three
/// retries.
const MD5_ATTEMPTS: u32 = 4;

/// A feed to submit: its type, the exact body bytes and their content type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmitFeedRequest {
    feed_type: FeedType,
    body: Vec<u8>,
    content_type: String,
    marketplace_ids: Vec<MarketplaceId>,
    purge_and_replace: bool,
}

impl SubmitFeedRequest {
    /// A feed of `feed_type` with `body` sent as `content_type` (e.g.
    /// `text/tab-separated-values; charset=Shift_JIS` for a Japanese flat file).
    pub fn new(feed_type: FeedType, body: impl Into<Vec<u8>>, content_type: &str) -> Self {
        Self {
            feed_type,
            body: body.into(),
            content_type: content_type.to_owned(),
            marketplace_ids: Vec::new(),
            purge_and_replace: false,
        }
    }

    /// An XML feed (`text/xml`).
    pub fn xml(feed_type: FeedType, xml: String) -> Self {
        Self::new(feed_type, xml.into_bytes(), "text/xml")
    }

    /// Limits the feed to these marketplaces (`MarketplaceIdList.Id.N`; Amazon ignores it in
    /// Japan).
    pub fn marketplace_ids(
        mut self,
        marketplaces: impl IntoIterator<Item = MarketplaceId>,
    ) -> Self {
        self.marketplace_ids.extend(marketplaces);
        self
    }

    /// Replaces all of the seller's data of this kind (`PurgeAndReplace=true`; once a day).
    pub fn purge_and_replace(mut self, purge: bool) -> Self {
        self.purge_and_replace = purge;
        self
    }

    /// The body that will be sent.
    pub fn body(&self) -> &[u8] {
        &self.body
    }
}

impl From<&OrderFulfillmentFeed> for SubmitFeedRequest {
    fn from(feed: &OrderFulfillmentFeed) -> Self {
        Self::xml(feed.feed_type(), feed.to_xml())
    }
}

impl From<&InventoryFeed> for SubmitFeedRequest {
    fn from(feed: &InventoryFeed) -> Self {
        Self::xml(feed.feed_type(), feed.to_xml())
    }
}

/// Filters of `GetFeedSubmissionList`. Empty means Amazon's defaults (10 most recent of the
/// last 90 days).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedSubmissionListFilter {
    submission_ids: Vec<FeedSubmissionId>,
    max_count: Option<u8>,
    feed_types: Vec<FeedType>,
    statuses: Vec<FeedProcessingStatus>,
    submitted_from: Option<Timestamp>,
    submitted_to: Option<Timestamp>,
}

impl FeedSubmissionListFilter {
    /// No filter.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these submissions (at most 100; Amazon then ignores the other filters).
    pub fn submission_ids(mut self, ids: impl IntoIterator<Item = FeedSubmissionId>) -> Self {
        self.submission_ids.extend(ids);
        self
    }

    /// Page size, 1–100.
    pub fn max_count(mut self, count: u8) -> Self {
        self.max_count = Some(count);
        self
    }

    /// Only these feed types.
    pub fn feed_types(mut self, types: impl IntoIterator<Item = FeedType>) -> Self {
        self.feed_types.extend(types);
        self
    }

    /// Only these processing statuses.
    pub fn statuses(mut self, statuses: impl IntoIterator<Item = FeedProcessingStatus>) -> Self {
        self.statuses.extend(statuses);
        self
    }

    /// Submitted at or after `instant`.
    pub fn submitted_from(mut self, instant: Timestamp) -> Self {
        self.submitted_from = Some(instant);
        self
    }

    /// Submitted at or before `instant`.
    pub fn submitted_to(mut self, instant: Timestamp) -> Self {
        self.submitted_to = Some(instant);
        self
    }

    fn to_params(&self) -> Result<Params, String> {
        let mut params = Params::new();
        if self.submission_ids.len() > 100 {
            return Err(format!(
                "at most 100 feed submission ids, {} given",
                self.submission_ids.len()
            ));
        }
        params.push_list(
            "FeedSubmissionIdList.Id",
            self.submission_ids.iter().map(|id| id.as_str().to_owned()),
        );
        if let Some(count) = self.max_count {
            if !(1..=100).contains(&count) {
                return Err(format!("MaxCount must be 1–100, got {count}"));
            }
            params.push("MaxCount", count.to_string());
        }
        params.push_list(
            "FeedTypeList.Type",
            self.feed_types.iter().map(|t| t.as_str().to_owned()),
        );
        params.push_list(
            "FeedProcessingStatusList.Status",
            self.statuses.iter().map(|s| s.as_str().to_owned()),
        );
        if let (Some(from), Some(to)) = (self.submitted_from, self.submitted_to)
            && to < from
        {
            return Err(format!(
                "SubmittedToDate ({to}) is before SubmittedFromDate ({from})"
            ));
        }
        if let Some(from) = self.submitted_from {
            params.push_timestamp("SubmittedFromDate", from);
        }
        if let Some(to) = self.submitted_to {
            params.push_timestamp("SubmittedToDate", to);
        }
        Ok(params)
    }
}

impl MwsClient {
    /// `SubmitFeed`: parameters go in the query string, the feed is the raw body, and its MD5
    /// is sent both as `ContentMD5Value` (signed) and as the `Content-MD5` header.
    ///
    /// Like every call it is retried after a 5xx or a transport failure; if Amazon received
    /// the feed but the answer was lost, the feed is submitted twice. Shipment and stock feeds
    /// state absolute facts, so applying one twice has the same effect as once.
    pub async fn submit_feed(
        &self,
        auth: &SellerAuth,
        request: &SubmitFeedRequest,
    ) -> Result<FeedSubmissionInfo, MwsError> {
        let md5 = content_md5(&request.body);
        let mut params = Params::new();
        params.push("FeedType", request.feed_type.as_str());
        params.push_list(
            "MarketplaceIdList.Id",
            request
                .marketplace_ids
                .iter()
                .map(|m| m.as_str().to_owned()),
        );
        if request.purge_and_replace {
            params.push("PurgeAndReplace", "true");
        }
        params.push("ContentMD5Value", md5.clone());
        let call = Call {
            operation: Operation::SubmitFeed,
            params,
            payload: Payload::Feed {
                body: request.body.clone(),
                content_type: request.content_type.clone(),
                content_md5: md5,
            },
        };
        let result = self
            .call_xml(auth, call, SubmitFeedResult::from_xml)
            .await?;
        Ok(result.info)
    }

    /// `GetFeedSubmissionList`: the first page of submissions matching `filter`.
    pub async fn get_feed_submission_list(
        &self,
        auth: &SellerAuth,
        filter: &FeedSubmissionListFilter,
    ) -> Result<FeedSubmissionListPage, MwsError> {
        let operation = Operation::GetFeedSubmissionList;
        let params = filter
            .to_params()
            .map_err(|reason| MwsError::invalid_request(operation, reason))?;
        self.call_xml(
            auth,
            Call::form(operation, params),
            FeedSubmissionListPage::from_xml,
        )
        .await
    }

    /// `GetFeedSubmissionListByNextToken`.
    pub async fn get_feed_submission_list_by_next_token(
        &self,
        auth: &SellerAuth,
        next_token: &str,
    ) -> Result<FeedSubmissionListPage, MwsError> {
        let mut params = Params::new();
        params.push("NextToken", next_token);
        let call = Call::form(Operation::GetFeedSubmissionListByNextToken, params);
        self.call_xml(auth, call, FeedSubmissionListPage::from_xml)
            .await
    }

    /// Every page of `GetFeedSubmissionList`, following `NextToken` while `HasNext` is true.
    pub fn feed_submission_list_stream(
        &self,
        auth: &SellerAuth,
        filter: FeedSubmissionListFilter,
    ) -> impl Stream<Item = Result<FeedSubmissionListPage, MwsError>> + Send + 'static {
        let first = {
            let (client, auth) = (self.clone(), auth.clone());
            async move { client.get_feed_submission_list(&auth, &filter).await }.boxed()
        };
        let (client, auth) = (self.clone(), auth.clone());
        paginate(
            first,
            move |token: String| {
                let (client, auth) = (client.clone(), auth.clone());
                async move {
                    client
                        .get_feed_submission_list_by_next_token(&auth, &token)
                        .await
                }
                .boxed()
            },
            FeedSubmissionListPage::continuation,
            Operation::GetFeedSubmissionListByNextToken,
        )
    }

    /// `GetFeedSubmissionResult`: the processing report. The body is checked against the
    /// `Content-MD5` header and fetched again (up to three more times) if it does not match.
    /// Before processing is done Amazon answers `FeedProcessingResultNotReady`
    /// ([`crate::ErrorKind::InvalidInput`]; see [`MwsError::amazon_code`]).
    pub async fn get_feed_submission_result(
        &self,
        auth: &SellerAuth,
        submission_id: &FeedSubmissionId,
    ) -> Result<FeedProcessingResult, MwsError> {
        let operation = Operation::GetFeedSubmissionResult;
        let mut mismatch = None;
        for attempt in 1..=MD5_ATTEMPTS {
            let mut params = Params::new();
            params.push("FeedSubmissionId", submission_id.as_str());
            let raw = self.call(auth, Call::form(operation, params)).await?;
            match check_content_md5(raw.content_md5.as_deref(), &raw.body) {
                Md5Check::Verified => {}
                Md5Check::Missing => tracing::warn!(
                    amazon.op = operation.action(),
                    seller.id = %auth.seller_id,
                    "feed processing result came without a Content-MD5 header; not verified"
                ),
                Md5Check::Mismatch { expected, actual } => {
                    tracing::warn!(
                        amazon.op = operation.action(),
                        seller.id = %auth.seller_id,
                        attempt,
                        "feed processing result failed its Content-MD5 check; fetching it again"
                    );
                    mismatch = Some((expected, actual));
                    continue;
                }
            }
            return decode_result(&raw.body).map_err(|e| MwsError::decode(operation, e));
        }
        let (expected, actual) = mismatch.unwrap_or_default();
        Err(MwsError::ContentMd5Mismatch {
            operation,
            attempts: MD5_ATTEMPTS,
            expected,
            actual,
        })
    }
}

/// The outcome of checking a body against its `Content-MD5` header.
#[derive(Debug, PartialEq, Eq)]
enum Md5Check {
    Verified,
    Missing,
    Mismatch { expected: String, actual: String },
}

fn check_content_md5(header: Option<&str>, body: &[u8]) -> Md5Check {
    let actual = content_md5(body);
    match header.map(str::trim) {
        None | Some("") => Md5Check::Missing,
        Some(expected) if expected == actual => Md5Check::Verified,
        Some(expected) => Md5Check::Mismatch {
            expected: expected.to_owned(),
            actual,
        },
    }
}

/// XML reports must be UTF-8; flat-file reports may come in another charset (Shift_JIS in
/// Japan) and are kept as text with undecodable bytes replaced.
fn decode_result(body: &[u8]) -> Result<FeedProcessingResult, DecodeError> {
    match std::str::from_utf8(body) {
        Ok(text) => FeedProcessingResult::from_body(text),
        Err(error) => {
            let lossy = String::from_utf8_lossy(body);
            match FeedProcessingResult::from_body(&lossy)? {
                FeedProcessingResult::Report(_) => Err(DecodeError::new(format!(
                    "the XML report is not UTF-8: {error}"
                ))),
                flat => Ok(flat),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filter_renders_and_checks() {
        let filter = FeedSubmissionListFilter::new()
            .feed_types([FeedType::order_fulfillment()])
            .statuses([FeedProcessingStatus::Done])
            .max_count(25)
            .submitted_from("2024-03-01T00:00:00Z".parse().expect("valid"));
        let pairs = filter.to_params().expect("valid").into_pairs();
        assert!(pairs.contains(&(
            "FeedTypeList.Type.1".to_owned(),
            "_POST_ORDER_FULFILLMENT_DATA_".to_owned()
        )));
        assert!(pairs.contains(&(
            "FeedProcessingStatusList.Status.1".to_owned(),
            "_DONE_".to_owned()
        )));
        assert!(pairs.contains(&("MaxCount".to_owned(), "25".to_owned())));
        assert!(
            FeedSubmissionListFilter::new()
                .max_count(101)
                .to_params()
                .is_err()
        );
    }

    #[test]
    fn content_md5_is_checked() {
        let body = b"<AmazonEnvelope/>";
        let good = content_md5(body);
        assert_eq!(check_content_md5(Some(&good), body), Md5Check::Verified);
        assert_eq!(check_content_md5(None, body), Md5Check::Missing);
        assert_eq!(
            check_content_md5(Some("1B2M2Y8AsgTpgAmY7PhCfg=="), body),
            Md5Check::Mismatch {
                expected: "1B2M2Y8AsgTpgAmY7PhCfg==".to_owned(),
                actual: good,
            }
        );
    }

    #[test]
    fn shift_jis_flat_file_reports_are_kept() {
        let body = b"Feed Processing Summary:\n\x83e\x83X\x83g\n";
        assert!(matches!(
            decode_result(body),
            Ok(FeedProcessingResult::FlatFile(_))
        ));
        let broken_xml = b"<AmazonEnvelope>\xff</AmazonEnvelope>";
        assert!(decode_result(broken_xml).is_err());
    }
}
