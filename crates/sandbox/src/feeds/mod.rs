//! Feed submissions: storage, the clock-driven status (`_SUBMITTED_` → `_IN_PROGRESS_` → `_DONE_`),
//! and processing when a feed is done: validation per message, effects on the seller's orders
//! and stock, and the processing report.
//!
//! Processing happens lazily but at the right instant: before every request the world applies
//! each feed whose done time has passed, as of that done time.

pub mod dom;
pub mod fulfillment;
pub mod inventory;
pub mod report;

use jiff::Timestamp;
use rand::Rng;

use crate::feeds::dom::Element;
use crate::feeds::report::{FeedOutcome, MessageResult};
use crate::world::World;

/// `_POST_ORDER_FULFILLMENT_DATA_`.
pub const ORDER_FULFILLMENT: &str = "_POST_ORDER_FULFILLMENT_DATA_";
/// `_POST_INVENTORY_AVAILABILITY_DATA_`.
pub const INVENTORY_AVAILABILITY: &str = "_POST_INVENTORY_AVAILABILITY_DATA_";
/// Feed types the sandbox accepts and processes.
pub const SUPPORTED_FEED_TYPES: &[&str] = &[ORDER_FULFILLMENT, INVENTORY_AVAILABILITY];

/// How long processing takes, from submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FeedTiming {
    /// Seconds after submission until `_IN_PROGRESS_`.
    pub in_progress_after_secs: u64,
    /// Seconds after submission until `_DONE_` (effects are applied then).
    pub done_after_secs: u64,
}

impl Default for FeedTiming {
    fn default() -> Self {
        Self {
            in_progress_after_secs: 30,
            done_after_secs: 60,
        }
    }
}

/// FeedProcessingStatus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedStatus {
    /// `_SUBMITTED_`.
    Submitted,
    /// `_IN_PROGRESS_`.
    InProgress,
    /// `_DONE_`.
    Done,
}

impl FeedStatus {
    /// Every status the sandbox uses.
    pub const ALL: [FeedStatus; 3] = [Self::Submitted, Self::InProgress, Self::Done];

    /// The wire value, e.g. `_DONE_`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "_SUBMITTED_",
            Self::InProgress => "_IN_PROGRESS_",
            Self::Done => "_DONE_",
        }
    }
}

/// One submitted feed.
#[derive(Debug, Clone)]
pub struct FeedSubmission {
    /// 11-digit FeedSubmissionId.
    pub id: String,
    /// Whose feed.
    pub seller_id: String,
    /// Which developer submitted it.
    pub developer_id: String,
    /// FeedType.
    pub feed_type: String,
    /// When it was submitted (epoch ms).
    pub submitted_ms: i64,
    /// When processing starts (epoch ms).
    pub started_ms: i64,
    /// When processing completes and effects apply (epoch ms).
    pub done_ms: i64,
    /// The feed body.
    pub content: Vec<u8>,
    /// The body's Content-Type.
    pub content_type: String,
    /// The result, once processed.
    pub outcome: Option<FeedOutcome>,
}

impl FeedSubmission {
    /// The status at `t_ms`.
    pub fn status_at(&self, t_ms: i64) -> FeedStatus {
        if t_ms >= self.done_ms {
            FeedStatus::Done
        } else if t_ms >= self.started_ms {
            FeedStatus::InProgress
        } else {
            FeedStatus::Submitted
        }
    }
}

/// What SubmitFeed received.
#[derive(Debug)]
pub struct NewFeed<'a> {
    /// Whose feed.
    pub seller_id: &'a str,
    /// Which developer submits it.
    pub developer_id: &'a str,
    /// FeedType.
    pub feed_type: &'a str,
    /// The body.
    pub content: Vec<u8>,
    /// The body's Content-Type.
    pub content_type: &'a str,
}

/// Every feed submission.
#[derive(Debug, Default)]
pub struct FeedStore {
    submissions: Vec<FeedSubmission>,
    /// Processing delays.
    pub timing: FeedTiming,
    last_id: u64,
}

impl FeedStore {
    /// Stores a new submission made at `now_ms` and returns it.
    pub fn submit(
        &mut self,
        rng: &mut impl Rng,
        feed: NewFeed<'_>,
        now_ms: i64,
    ) -> &FeedSubmission {
        let NewFeed {
            seller_id,
            developer_id,
            feed_type,
            content,
            content_type,
        } = feed;
        // Feed dates are shown in whole seconds; keep the stored instants the same.
        let now_ms = now_ms.div_euclid(1000) * 1000;
        if self.last_id == 0 {
            self.last_id = rng.random_range(50_000_000_000..51_000_000_000);
        }
        self.last_id += rng.random_range(1..2_000);
        let in_progress = i64::try_from(self.timing.in_progress_after_secs.saturating_mul(1000))
            .unwrap_or(i64::MAX);
        let done = i64::try_from(self.timing.done_after_secs.saturating_mul(1000))
            .unwrap_or(i64::MAX)
            .max(in_progress);
        self.submissions.push(FeedSubmission {
            id: self.last_id.to_string(),
            seller_id: seller_id.to_owned(),
            developer_id: developer_id.to_owned(),
            feed_type: feed_type.to_owned(),
            submitted_ms: now_ms,
            started_ms: now_ms.saturating_add(in_progress),
            done_ms: now_ms.saturating_add(done),
            content,
            content_type: content_type.to_owned(),
            outcome: None,
        });
        self.submissions.last().expect("just pushed")
    }

    /// The submission with this ID.
    pub fn get(&self, id: &str) -> Option<&FeedSubmission> {
        self.submissions.iter().find(|s| s.id == id)
    }

    /// A seller's submissions, newest first.
    pub fn for_seller<'a>(
        &'a self,
        seller_id: &'a str,
    ) -> impl Iterator<Item = &'a FeedSubmission> + 'a {
        self.submissions
            .iter()
            .rev()
            .filter(move |s| s.seller_id == seller_id)
    }
}

/// Document-level checks shared by every XML feed: the envelope and its MessageType.
pub(crate) fn envelope<'a>(
    doc: &'a Element,
    message_type: &str,
) -> Result<Vec<(u64, &'a Element)>, MessageResult> {
    if doc.name != "AmazonEnvelope" {
        return Err(MessageResult::error(
            0,
            5001,
            format!("The root element must be AmazonEnvelope, not {}.", doc.name),
        ));
    }
    let header = doc
        .child("Header")
        .ok_or_else(|| MessageResult::error(0, 5001, "The Header element is missing."))?;
    if header.child_text("MerchantIdentifier").is_none() {
        return Err(MessageResult::error(
            0,
            5001,
            "Header/MerchantIdentifier is missing.",
        ));
    }
    match doc.child_text("MessageType") {
        Some(t) if t == message_type => {}
        Some(t) => {
            return Err(MessageResult::error(
                0,
                5001,
                format!("MessageType {t} does not match the feed type; expected {message_type}."),
            ));
        }
        None => {
            return Err(MessageResult::error(
                0,
                5001,
                "The MessageType element is missing.",
            ));
        }
    }
    let messages: Vec<&Element> = doc.children_named("Message").collect();
    if messages.is_empty() {
        return Err(MessageResult::error(
            0,
            5001,
            "The envelope contains no Message.",
        ));
    }
    Ok(messages
        .into_iter()
        .map(|m| {
            (
                m.child_text("MessageID")
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0),
                m,
            )
        })
        .collect())
}

/// Applies every feed whose processing completed at or before `now`, in completion order.
pub fn process_due(world: &mut World, now: Timestamp) {
    let now_ms = now.as_millisecond();
    let mut due: Vec<usize> = world
        .feeds
        .submissions
        .iter()
        .enumerate()
        .filter(|(_, s)| s.outcome.is_none() && s.done_ms <= now_ms)
        .map(|(i, _)| i)
        .collect();
    if due.is_empty() {
        return;
    }
    due.sort_by_key(|&i| (world.feeds.submissions[i].done_ms, i));
    for i in due {
        let submission = &world.feeds.submissions[i];
        let (seller_id, feed_id, feed_type, at_ms) = (
            submission.seller_id.clone(),
            submission.id.clone(),
            submission.feed_type.clone(),
            submission.done_ms,
        );
        let content = std::mem::take(&mut world.feeds.submissions[i].content);
        let outcome = match dom::parse(&content) {
            Err(e) => {
                FeedOutcome::document_error(at_ms, MessageResult::error(0, 5000, e.to_string()))
            }
            Ok(doc) => match feed_type.as_str() {
                ORDER_FULFILLMENT => {
                    fulfillment::apply(&doc, &seller_id, &feed_id, at_ms, &mut world.orders)
                }
                INVENTORY_AVAILABILITY => {
                    inventory::apply(&doc, &seller_id, &feed_id, at_ms, &mut world.stock)
                }
                other => FeedOutcome::document_error(
                    at_ms,
                    MessageResult::error(
                        0,
                        5001,
                        format!("The sandbox does not process feed type {other}."),
                    ),
                ),
            },
        };
        let submission = &mut world.feeds.submissions[i];
        submission.content = content;
        submission.outcome = Some(outcome);
    }
}
