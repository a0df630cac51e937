//! Every MWS parser of Amazon's answers, fuzzed: orders, order items, errors, feed submissions, processing reports,
//! participations and service status, fed arbitrary bytes (invalid UTF-8 included, read as the client reads it),
//! mutations of the documented fixtures, deep nesting and huge values; and the field parsers, fed arbitrary text.
//! Each must answer with its typed result — no panic, no case longer than the bound. The budget per target is
//! `SELLERLINK_FUZZ_CASES` (see docs/RELIABILITY.md).

use proptest::prelude::*;
use sellerlink_mws::model::feeds::SubmitFeedResult;
use sellerlink_mws::model::orders::GetOrderResult;
use sellerlink_mws::{
    Amount, Carrier, CurrencyCode, ErrorResponse, FeedSubmissionId, FeedSubmissionListPage,
    FeedType, ListedMarketplace, MarketplaceParticipationsPage, OrderItemId, OrderItemsPage,
    OrdersPage, ProcessingReport, ServiceStatus, Sku,
};
use sellerlink_testkit::fuzz::{cases, mutated, run, within_bound};

const FIXTURES: [&str; 17] = [
    include_str!("../fixtures/error_access_denied.xml"),
    include_str!("../fixtures/error_internal.xml"),
    include_str!("../fixtures/error_invalid_access_key.xml"),
    include_str!("../fixtures/error_invalid_address.xml"),
    include_str!("../fixtures/error_invalid_parameter.xml"),
    include_str!("../fixtures/error_quota_exceeded_feeds.xml"),
    include_str!("../fixtures/error_signature.xml"),
    include_str!("../fixtures/error_throttled_orders.xml"),
    include_str!("../fixtures/get_feed_submission_list.xml"),
    include_str!("../fixtures/get_order_unknown_elements.xml"),
    include_str!("../fixtures/get_service_status.xml"),
    include_str!("../fixtures/list_marketplace_participations.xml"),
    include_str!("../fixtures/list_order_items.xml"),
    include_str!("../fixtures/list_orders.xml"),
    include_str!("../fixtures/list_orders_by_next_token_empty.xml"),
    include_str!("../fixtures/processing_report.xml"),
    include_str!("../fixtures/submit_feed.xml"),
];

/// Fragments that stress an XML reader when spliced in anywhere.
const XML_FRAGMENTS: [&str; 14] = [
    "<",
    ">",
    "</Order>",
    "<Order>",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&unknown;",
    "<![CDATA[",
    "]]>",
    "<!DOCTYPE r [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>",
    "<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>",
    "xmlns:x=\"urn:x\" x:",
];

/// Feeds one body to every document parser, as the client does: bytes that are not UTF-8 are a decode error before
/// any parser runs for successful answers, and read lossily for error answers.
fn parse_everything(body: Vec<u8>) {
    within_bound(move || {
        let lossy = String::from_utf8_lossy(&body).into_owned();
        let error = ErrorResponse::parse(400, &lossy, Some("header-id".to_owned()));
        assert!(error.errors.iter().all(|e| e.code == e.code.trim()));
        if let Ok(text) = std::str::from_utf8(&body) {
            let _ = OrdersPage::from_xml(text);
            let _ = GetOrderResult::from_xml(text);
            let _ = OrderItemsPage::from_xml(text);
            let _ = SubmitFeedResult::from_xml(text);
            let _ = FeedSubmissionListPage::from_xml(text);
            let _ = ProcessingReport::from_xml(text);
            let _ = MarketplaceParticipationsPage::from_xml(text);
            let _ = ServiceStatus::from_xml(text);
        }
    });
}

#[test]
fn documents_of_arbitrary_bytes_are_typed_errors() {
    run(
        "arbitrary bytes",
        cases(),
        prop::collection::vec(any::<u8>(), 0..4096),
        parse_everything,
    );
}

#[test]
fn mutated_fixtures_are_parsed_or_typed_errors() {
    run(
        "mutated fixtures",
        cases(),
        mutated(&FIXTURES, &XML_FRAGMENTS),
        parse_everything,
    );
}

/// Deeply nested unknown elements inside each document's result, and deeply nested known ones.
#[test]
fn deep_nesting_is_a_result_not_a_stack_overflow() {
    let shapes =
        (1usize..=50_000, 0..FIXTURES.len(), any::<bool>()).prop_map(|(depth, which, known)| {
            let fixture = FIXTURES[which];
            // Just after the root element's start tag.
            let inside_root = fixture
                .match_indices('>')
                .nth(if fixture.starts_with("<?xml") { 1 } else { 0 })
                .map_or(0, |(index, _)| index + 1);
            let tag = if known { "Order" } else { "Unknown" };
            let mut document = String::with_capacity(fixture.len() + depth * 16);
            document.push_str(&fixture[..inside_root]);
            for _ in 0..depth {
                document.push('<');
                document.push_str(tag);
                document.push('>');
            }
            for _ in 0..depth {
                document.push_str("</");
                document.push_str(tag);
                document.push('>');
            }
            document.push_str(&fixture[inside_root..]);
            document.into_bytes()
        });
    // Each case is large: a sixteenth of the budget covers the depths.
    run(
        "deep nesting",
        (cases() / 16).max(4),
        shapes,
        parse_everything,
    );
}

/// A fixture with one text value replaced by a huge one (up to 4 MiB).
#[test]
fn huge_values_are_parsed_or_typed_errors() {
    let shapes = (
        0..FIXTURES.len(),
        any::<usize>(),
        1usize..=4 << 20,
        any::<char>(),
    )
        .prop_map(|(which, pick, size, filler)| {
            let fixture = FIXTURES[which];
            // Text values sit between a '>' and the next '<'.
            let values: Vec<(usize, usize)> = fixture
                .match_indices('>')
                .filter_map(|(end_of_tag, _)| {
                    let start = end_of_tag + 1;
                    let len = fixture[start..].find('<')?;
                    (len > 0 && !fixture[start..start + len].trim().is_empty())
                        .then_some((start, start + len))
                })
                .collect();
            let (start, end) = values[pick % values.len()];
            let value: String = std::iter::repeat_n(filler, size / filler.len_utf8()).collect();
            format!("{}{value}{}", &fixture[..start], &fixture[end..]).into_bytes()
        });
    run(
        "huge values",
        (cases() / 16).max(4),
        shapes,
        parse_everything,
    );
}

#[test]
fn field_parsers_answer_arbitrary_text_with_typed_errors() {
    let text = prop_oneof![any::<String>(), "[ -~]{0,64}", "\\PC{0,8}"];
    run("field parsers", cases(), text, |text| {
        within_bound(move || {
            let _ = Amount::parse(&text);
            let _ = CurrencyCode::parse(&text);
            let _ = FeedSubmissionId::parse(&text);
            let _ = FeedType::parse(&text);
            let _ = OrderItemId::parse(&text);
            let _ = ListedMarketplace::parse(&text);
            let _ = Sku::parse(&text);
            let _ = Carrier::code(&text);
            let _ = Carrier::other(&text);
            let _ = Carrier::for_shipment(
                &sellerlink_domain::carrier::ShipmentCarrier::from_typed(&text),
            );
        });
    });
}
