//! Feeds 2009-01-01: SubmitFeed, GetFeedSubmissionList (+ByNextToken), GetFeedSubmissionCount,
//! GetFeedSubmissionResult (GetServiceStatus is shared).

use axum::http::{Method, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};

use crate::feeds::{FeedStatus, FeedSubmission, NewFeed, SUPPORTED_FEED_TYPES};
use crate::mws::call::{Call, Reply};
use crate::mws::errors::MwsErrorAnswer;
use crate::mws::next_token::{self, TokenKind, Writer};
use crate::timefmt::{self, feeds as feeds_date, from_ms};
use crate::world::World;

/// Every FeedProcessingStatus value a filter may name.
pub const ALL_STATUSES: &[&str] = &[
    "_AWAITING_ASYNCHRONOUS_REPLY_",
    "_CANCELLED_",
    "_DONE_",
    "_IN_PROGRESS_",
    "_IN_SAFETY_NET_",
    "_SUBMITTED_",
    "_UNCONFIRMED_",
];

const NINETY_DAYS_MS: i64 = 90 * 86_400_000;

/// Base64 of the MD5 of `bytes`.
pub fn content_md5(bytes: &[u8]) -> String {
    STANDARD.encode(Md5::digest(bytes))
}

/// Dispatches a Feeds operation.
pub fn run(world: &mut World, call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    match call.operation {
        "SubmitFeed" => submit_feed(world, call),
        "GetFeedSubmissionList" => {
            let filter = Filter::parse(call, true)?;
            Ok(list_page(world, call, &filter, None))
        }
        "GetFeedSubmissionListByNextToken" => {
            let token = call
                .params
                .non_empty("NextToken")
                .ok_or_else(|| MwsErrorAnswer::missing("NextToken"))?;
            let (filter, cursor) =
                open_token(world, call, token).ok_or_else(MwsErrorAnswer::next_token_corrupted)?;
            Ok(list_page(world, call, &filter, Some(cursor)))
        }
        "GetFeedSubmissionCount" => {
            let filter = Filter::parse(call, false)?;
            let count = matching(world, call, &filter).len();
            let mut w = call.begin(512);
            w.leaf_num("Count", count);
            Ok(call.end(w))
        }
        "GetFeedSubmissionResult" => submission_result(world, call),
        _ => Ok(call.service_status()),
    }
}

fn submit_feed(world: &mut World, call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    if call.method != Method::POST {
        return Err(MwsErrorAnswer::invalid(
            "SubmitFeed must be sent with HTTP POST and the feed as the request body.",
        ));
    }
    let feed_type = call
        .params
        .non_empty("FeedType")
        .ok_or_else(|| MwsErrorAnswer::missing("FeedType"))?;
    if !SUPPORTED_FEED_TYPES.contains(&feed_type) {
        return Err(MwsErrorAnswer::bad_request(
            "InvalidFeedType",
            format!(
                "Invalid FeedType {feed_type}; the sandbox accepts {}.",
                SUPPORTED_FEED_TYPES.join(" and ")
            ),
        ));
    }
    for marketplace in call.params.list("MarketplaceIdList.Id") {
        if !call.seller.marketplace_ids.iter().any(|m| m == marketplace) {
            return Err(MwsErrorAnswer::invalid(format!(
                "The seller is not registered in marketplace {marketplace}."
            )));
        }
    }
    let calculated = content_md5(call.body);
    let from_param = call.params.get("ContentMD5Value");
    let from_header = call
        .headers
        .get("content-md5")
        .and_then(|v| v.to_str().ok());
    if from_param.is_none() && from_header.is_none() {
        return Err(MwsErrorAnswer::bad_request(
            "ContentMD5Missing",
            "The Content-MD5 HTTP header or the ContentMD5Value parameter is required for SubmitFeed.",
        ));
    }
    for given in [from_param, from_header].into_iter().flatten() {
        if given.trim() != calculated {
            return Err(MwsErrorAnswer::bad_request(
                "ContentMD5DoesNotMatch",
                format!(
                    "the Content-MD5 HTTP header you passed for your feed ({given}) did not match the Content-MD5 we calculated for your feed ({calculated})"
                ),
            ));
        }
    }
    let content_type = call
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/xml")
        .to_owned();
    let now_ms = call.now.as_millisecond();
    let new_feed = NewFeed {
        seller_id: &call.seller.seller_id,
        developer_id: &call.developer_id,
        feed_type,
        content: call.body.to_vec(),
        content_type: &content_type,
    };
    let submission = world.feeds.submit(&mut world.rng, new_feed, now_ms).clone();
    let mut w = call.begin(1024);
    write_info(&mut w, &submission, now_ms);
    Ok(call.end(w))
}

fn write_info(w: &mut crate::xml::XmlWriter, s: &FeedSubmission, now_ms: i64) {
    let status = s.status_at(now_ms);
    w.open("FeedSubmissionInfo");
    w.leaf("FeedSubmissionId", &s.id)
        .leaf("FeedType", &s.feed_type);
    w.leaf("SubmittedDate", &feeds_date(from_ms(s.submitted_ms)));
    w.leaf("FeedProcessingStatus", status.as_str());
    if status != FeedStatus::Submitted {
        w.leaf("StartedProcessingDate", &feeds_date(from_ms(s.started_ms)));
    }
    if status == FeedStatus::Done {
        w.leaf("CompletedProcessingDate", &feeds_date(from_ms(s.done_ms)));
    }
    w.close("FeedSubmissionInfo");
}

/// A GetFeedSubmissionList / Count filter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    ids: Vec<String>,
    types: Vec<String>,
    statuses: Vec<String>,
    from_ms: i64,
    to_ms: i64,
    max_count: usize,
}

impl Filter {
    fn parse(call: &Call<'_>, with_ids: bool) -> Result<Self, MwsErrorAnswer> {
        let p = call.params;
        let now_ms = call.now.as_millisecond();
        let ids: Vec<String> = if with_ids {
            p.list("FeedSubmissionIdList.Id")
                .into_iter()
                .map(str::to_owned)
                .collect()
        } else {
            Vec::new()
        };
        if ids.len() > 100 {
            return Err(MwsErrorAnswer::invalid(
                "FeedSubmissionIdList accepts at most 100 IDs.",
            ));
        }
        let types: Vec<String> = p
            .list("FeedTypeList.Type")
            .into_iter()
            .map(str::to_owned)
            .collect();
        let statuses: Vec<String> = p
            .list("FeedProcessingStatusList.Status")
            .into_iter()
            .map(str::to_owned)
            .collect();
        if let Some(bad) = statuses
            .iter()
            .find(|s| !ALL_STATUSES.contains(&s.as_str()))
        {
            return Err(MwsErrorAnswer::invalid(format!(
                "{bad} is not a valid FeedProcessingStatus."
            )));
        }
        let date = |name: &str, default: i64| -> Result<i64, MwsErrorAnswer> {
            match p.get(name) {
                None => Ok(default),
                Some(text) => timefmt::parse(text)
                    .map(|t| t.as_millisecond())
                    .ok_or_else(|| {
                        MwsErrorAnswer::invalid(format!(
                            "{text} is not a valid ISO 8601 date-time for {name}."
                        ))
                    }),
            }
        };
        let from_ms =
            date("SubmittedFromDate", now_ms - NINETY_DAYS_MS)?.max(now_ms - NINETY_DAYS_MS);
        let to_ms = date("SubmittedToDate", now_ms)?;
        if from_ms > to_ms {
            return Err(MwsErrorAnswer::invalid(
                "SubmittedFromDate must be earlier than SubmittedToDate.",
            ));
        }
        let max_count = match p.get("MaxCount") {
            None => 10,
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    return Err(MwsErrorAnswer::invalid(format!(
                        "MaxCount must be between 1 and 100, got '{text}'."
                    )));
                }
            },
        };
        // With an ID list the other filters are ignored.
        if !ids.is_empty() {
            return Ok(Self {
                ids,
                types: Vec::new(),
                statuses: Vec::new(),
                from_ms: i64::MIN,
                to_ms: i64::MAX,
                max_count,
            });
        }
        Ok(Self {
            ids,
            types,
            statuses,
            from_ms,
            to_ms,
            max_count,
        })
    }

    fn matches(&self, s: &FeedSubmission, now_ms: i64) -> bool {
        (self.ids.is_empty() || self.ids.contains(&s.id))
            && (self.types.is_empty() || self.types.contains(&s.feed_type))
            && (self.statuses.is_empty()
                || self
                    .statuses
                    .iter()
                    .any(|st| st == s.status_at(now_ms).as_str()))
            && s.submitted_ms >= self.from_ms
            && s.submitted_ms <= self.to_ms
    }
}

/// The caller's submissions matching `filter`, newest first.
fn matching<'a>(world: &'a World, call: &'a Call<'_>, filter: &Filter) -> Vec<&'a FeedSubmission> {
    let now_ms = call.now.as_millisecond();
    let mut found: Vec<&FeedSubmission> = world
        .feeds
        .for_seller(&call.seller.seller_id)
        .filter(|s| s.developer_id == call.developer_id && filter.matches(s, now_ms))
        .collect();
    found.sort_by(|a, b| (b.submitted_ms, &b.id).cmp(&(a.submitted_ms, &a.id)));
    found
}

fn list_page(
    world: &World,
    call: &Call<'_>,
    filter: &Filter,
    cursor: Option<(i64, String)>,
) -> Reply {
    let now_ms = call.now.as_millisecond();
    let all = matching(world, call, filter);
    let rest: Vec<&FeedSubmission> = match &cursor {
        Some((ms, id)) => all
            .into_iter()
            .filter(|s| (s.submitted_ms, &s.id) < (*ms, id))
            .collect(),
        None => all,
    };
    let has_next = rest.len() > filter.max_count;
    let page = &rest[..rest.len().min(filter.max_count)];
    let mut w = call.begin(1024 + page.len() * 512);
    if has_next && let Some(last) = page.last() {
        w.leaf("NextToken", &seal_token(world, call, filter, last));
    }
    w.leaf_bool("HasNext", has_next);
    for s in page {
        write_info(&mut w, s, now_ms);
    }
    call.end(w)
}

fn seal_token(world: &World, call: &Call<'_>, f: &Filter, last: &FeedSubmission) -> String {
    let mut w = Writer::default();
    w.str(&call.seller.seller_id).str(&call.developer_id);
    w.strs(f.ids.iter().map(String::as_str))
        .strs(f.types.iter().map(String::as_str))
        .strs(f.statuses.iter().map(String::as_str));
    w.i64(f.from_ms)
        .i64(f.to_ms)
        .i64(f.max_count as i64)
        .i64(last.submitted_ms)
        .str(&last.id);
    next_token::seal(&world.next_token_key, TokenKind::FeedSubmissions, w)
}

fn open_token(world: &World, call: &Call<'_>, token: &str) -> Option<(Filter, (i64, String))> {
    let bytes = next_token::open(&world.next_token_key, TokenKind::FeedSubmissions, token)?;
    let mut r = next_token::reader(&bytes);
    if r.str()? != call.seller.seller_id || r.str()? != call.developer_id {
        return None;
    }
    let filter = Filter {
        ids: r.strs()?,
        types: r.strs()?,
        statuses: r.strs()?,
        from_ms: r.i64()?,
        to_ms: r.i64()?,
        max_count: usize::try_from(r.i64()?).ok()?,
    };
    let cursor = (r.i64()?, r.str()?);
    r.is_done().then_some((filter, cursor))
}

fn submission_result(world: &World, call: &Call<'_>) -> Result<Reply, MwsErrorAnswer> {
    let id = call
        .params
        .non_empty("FeedSubmissionId")
        .ok_or_else(|| MwsErrorAnswer::missing("FeedSubmissionId"))?;
    let submission = world
        .feeds
        .get(id)
        .filter(|s| s.seller_id == call.seller.seller_id)
        .ok_or_else(|| {
            MwsErrorAnswer::bad_request(
                "InvalidFeedSubmissionId",
                format!("Invalid FeedSubmissionId: {id}"),
            )
        })?;
    if submission.developer_id != call.developer_id {
        return Err(MwsErrorAnswer::bad_request(
            "AccessToFeedProcessingResultDenied",
            format!("Access to the processing result of feed submission {id} is denied."),
        ));
    }
    let Some(outcome) = submission
        .outcome
        .as_ref()
        .filter(|_| submission.status_at(call.now.as_millisecond()) == FeedStatus::Done)
    else {
        return Err(MwsErrorAnswer::bad_request(
            "FeedProcessingResultNotReady",
            format!("Feed Submission Result is not ready for Feed Submission Id: {id}"),
        ));
    };
    let body = outcome.report_xml(&submission.seller_id, &submission.id);
    let md5 = content_md5(body.as_bytes());
    Ok(Reply {
        body,
        content_type: "text/xml;charset=UTF-8",
        content_md5: Some(md5),
    })
}
