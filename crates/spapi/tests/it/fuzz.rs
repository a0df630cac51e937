//! Every SP-API and LWA parser of Amazon's answers, fuzzed: orders (and their conversion to sellerlink's model),
//! participations, listings submissions, the error envelope and its classification, the token answer and the token
//! endpoint's errors; fed arbitrary bytes, mutations of the documented fixtures (bytes and JSON values), deep
//! nesting and huge values; and the identifier parsers, fed arbitrary text. Each must answer with its typed result —
//! no panic, no case longer than the bound. The budget per target is `SELLERLINK_FUZZ_CASES` (see
//! docs/RELIABILITY.md).

use proptest::prelude::*;
use sellerlink_spapi::error::ErrorEnvelope;
use sellerlink_spapi::lwa::parse_token_response;
use sellerlink_spapi::model::orders::GetOrderResponse;
use sellerlink_spapi::model::sellers::GetMarketplaceParticipationsResponse;
use sellerlink_spapi::{
    AuthorizationCode, GrantType, ListingsItemSubmissionResponse, LwaClientId, LwaClientSecret,
    LwaError, Operation, ProductType, ResponseMeta, SearchOrdersPage, Sku, SpApiError,
};
use sellerlink_testkit::fuzz::{cases, mutated, run, within_bound};
use serde_json::Value;

use crate::fake_amazon::start_instant;

const FIXTURES: [&str; 26] = [
    include_str!("../fixtures/listings_patch_accepted.json"),
    include_str!("../fixtures/listings_patch_invalid.json"),
    include_str!("../fixtures/lwa_authorization_code_success.json"),
    include_str!("../fixtures/lwa_error_invalid_client.json"),
    include_str!("../fixtures/lwa_error_invalid_grant_code.json"),
    include_str!("../fixtures/lwa_error_invalid_grant_refresh.json"),
    include_str!("../fixtures/lwa_error_invalid_request.json"),
    include_str!("../fixtures/lwa_error_server_error.json"),
    include_str!("../fixtures/lwa_error_temporarily_unavailable.json"),
    include_str!("../fixtures/lwa_error_unauthorized_client.json"),
    include_str!("../fixtures/lwa_error_unsupported_grant_type.json"),
    include_str!("../fixtures/lwa_refresh_success.json"),
    include_str!("../fixtures/orders_get_order.json"),
    include_str!("../fixtures/orders_search_orders_page.json"),
    include_str!("../fixtures/sellers_marketplace_participations.json"),
    include_str!("../fixtures/spapi_error_400_invalid_input.json"),
    include_str!("../fixtures/spapi_error_400_package_reference_id.json"),
    include_str!("../fixtures/spapi_error_403_lwa_secret_expired.json"),
    include_str!("../fixtures/spapi_error_403_missing_authentication_token.json"),
    include_str!("../fixtures/spapi_error_403_missing_role.json"),
    include_str!("../fixtures/spapi_error_403_missing_token.json"),
    include_str!("../fixtures/spapi_error_403_revoked.json"),
    include_str!("../fixtures/spapi_error_403_token_expired.json"),
    include_str!("../fixtures/spapi_error_404_not_found.json"),
    include_str!("../fixtures/spapi_error_429_quota_exceeded.json"),
    include_str!("../fixtures/spapi_error_500.json"),
];

/// Fragments that stress a JSON reader when spliced in anywhere.
const JSON_FRAGMENTS: [&str; 14] = [
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\"",
    "\\u0000",
    "\\ud800",
    "1e999999",
    "-0.0000000000000000000000000000001",
    "18446744073709551616",
    "null",
    "\"orders\":[{}],",
];

/// Feeds one body to every parser, as the client would for a success and for an error answer.
fn parse_everything(body: Vec<u8>) {
    within_bound(move || {
        if let Ok(page) = serde_json::from_slice::<SearchOrdersPage>(&body) {
            for order in &page.orders {
                let _ = order.to_domain(&sellerlink_domain::ids::MarketplaceId::japan());
            }
        }
        if let Ok(response) = serde_json::from_slice::<GetOrderResponse>(&body) {
            let _ = response
                .order
                .to_domain(&sellerlink_domain::ids::MarketplaceId::japan());
        }
        if let Ok(response) = serde_json::from_slice::<GetMarketplaceParticipationsResponse>(&body)
        {
            for participation in &response.payload {
                let _ = participation.marketplace_id();
            }
        }
        let _ = serde_json::from_slice::<ListingsItemSubmissionResponse>(&body);
        let _ = ErrorEnvelope::parse(&body);
        for status in [400, 403, 429, 500] {
            let error = SpApiError::from_response(
                Operation::SearchOrders,
                status,
                ResponseMeta::default(),
                &body,
            );
            let _ = error.to_string();
        }
        for grant in [GrantType::AuthorizationCode, GrantType::RefreshToken] {
            let _ = parse_token_response(grant, 200, &body, start_instant());
            let _ = LwaError::from_response(grant, 400, &body).to_string();
        }
    });
}

#[test]
fn bodies_of_arbitrary_bytes_are_typed_errors() {
    run(
        "arbitrary bytes",
        cases(),
        prop::collection::vec(any::<u8>(), 0..4096),
        parse_everything,
    );
}

#[test]
fn byte_mutated_fixtures_are_parsed_or_typed_errors() {
    run(
        "byte-mutated fixtures",
        cases(),
        mutated(&FIXTURES, &JSON_FRAGMENTS),
        parse_everything,
    );
}

/// Any JSON value, including the extremes: huge and fractional numbers, long and odd strings, nesting.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[0-9]{1,400}(\\.[0-9]{1,40})?".prop_map(Value::String),
        "[0-9]{3}-[0-9]{7}-[0-9]{7}".prop_map(Value::String),
        "[A-Z0-9]{1,20}".prop_map(Value::String),
        "[0-9]{1,6}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[+-][0-9]{2}:[0-9]{2})"
            .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,16}", inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer inside `value`.
fn pointers(value: &Value, at: String, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    into,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), into);
            }
        }
        _ => {}
    }
    into.push(at);
}

/// A fixture with up to four of its values (a leaf, an object, an array, the whole) replaced or removed.
#[test]
fn value_mutated_fixtures_are_parsed_or_typed_errors() {
    let edits = prop::collection::vec((any::<usize>(), prop::option::of(json_value())), 1..5);
    let shapes = (0..FIXTURES.len(), edits).prop_map(|(which, edits)| {
        let mut document: Value = serde_json::from_str(FIXTURES[which])
            .unwrap_or_else(|e| panic!("fixture {which}: {e}"));
        for (pick, replacement) in edits {
            let mut all = Vec::new();
            pointers(&document, String::new(), &mut all);
            let pointer = &all[pick % all.len()];
            match replacement {
                Some(value) => {
                    if let Some(slot) = document.pointer_mut(pointer) {
                        *slot = value;
                    }
                }
                None => {
                    let (parent, key) = pointer.rsplit_once('/').unwrap_or(("", ""));
                    match document.pointer_mut(parent) {
                        Some(Value::Object(map)) => {
                            map.remove(&key.replace("~1", "/").replace("~0", "~"));
                        }
                        Some(Value::Array(items)) => {
                            if let Ok(index) = key.parse::<usize>()
                                && index < items.len()
                            {
                                items.remove(index);
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        serde_json::to_vec(&document).unwrap_or_else(|e| panic!("re-encoding: {e}"))
    });
    run("value-mutated fixtures", cases(), shapes, parse_everything);
}

/// A fixture with a value replaced by arrays or objects nested up to 100 000 deep.
#[test]
fn deep_nesting_is_a_typed_error_not_a_stack_overflow() {
    let shapes =
        (0..FIXTURES.len(), 1usize..=100_000, any::<bool>()).prop_map(|(which, depth, arrays)| {
            let (open, close) = if arrays { ("[", "]") } else { ("{\"a\":", "}") };
            let nested = format!("{}0{}", open.repeat(depth), close.repeat(depth));
            let fixture = FIXTURES[which];
            // After the first key's colon, or the whole body when there is none.
            match fixture.find("\":") {
                Some(index) => {
                    let rest = &fixture[index + 2..];
                    let end = rest.find([',', '}']).unwrap_or(rest.len());
                    format!("{}{nested}{}", &fixture[..index + 2], &rest[end..]).into_bytes()
                }
                None => nested.into_bytes(),
            }
        });
    run(
        "deep nesting",
        (cases() / 16).max(4),
        shapes,
        parse_everything,
    );
}

/// A fixture with one string value replaced by a huge one (up to 4 MiB).
#[test]
fn huge_values_are_parsed_or_typed_errors() {
    let shapes = (
        0..FIXTURES.len(),
        any::<usize>(),
        1usize..=4 << 20,
        any::<char>(),
    )
        .prop_map(|(which, pick, size, filler)| {
            let mut document: Value = serde_json::from_str(FIXTURES[which])
                .unwrap_or_else(|e| panic!("fixture {which}: {e}"));
            let mut all = Vec::new();
            pointers(&document, String::new(), &mut all);
            let strings: Vec<&String> = all
                .iter()
                .filter(|pointer| document.pointer(pointer).is_some_and(Value::is_string))
                .collect();
            let value: String = std::iter::repeat_n(filler, size / filler.len_utf8()).collect();
            let target = strings
                .get(pick % strings.len().max(1))
                .map(|p| p.to_string());
            if let Some(slot) = target.and_then(|pointer| document.pointer_mut(&pointer)) {
                *slot = Value::String(value);
            }
            serde_json::to_vec(&document).unwrap_or_else(|e| panic!("re-encoding: {e}"))
        });
    run(
        "huge values",
        (cases() / 16).max(4),
        shapes,
        parse_everything,
    );
}

#[test]
fn identifier_parsers_answer_arbitrary_text_with_typed_errors() {
    let text = prop_oneof![any::<String>(), "[ -~]{0,64}", "\\PC{0,8}"];
    run("identifier parsers", cases(), text, |text| {
        within_bound(move || {
            let _ = Sku::parse(&text);
            let _ = ProductType::parse(&text);
            let _ = LwaClientId::parse(&text);
            let _ = LwaClientSecret::parse(&text);
            let _ = AuthorizationCode::parse(&text);
        });
    });
}
