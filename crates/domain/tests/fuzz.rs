//! The domain's identifier and value parsers — every text that arrives from a merchant, Amazon or the database —
//! fuzzed with arbitrary text, id-shaped text with look-alike characters, and huge values. Each must answer with its
//! typed result (no panic, no case longer than the bound), and an identifier it accepts must read back as itself
//! from its canonical text. The budget per target is `SELLERLINK_FUZZ_CASES` (see docs/RELIABILITY.md).

use std::str::FromStr;

use proptest::prelude::*;
use sellerlink_domain::audit::AuditAction;
use sellerlink_domain::connection::{Language, MerchantName};
use sellerlink_domain::ids::{
    AmazonOrderId, AwsAccessKeyId, ConnectionId, DeveloperId, IdError, LwaRefreshToken,
    MarketplaceId, MerchantId, MwsAuthToken, SellerId, SellingPartnerId,
};
use sellerlink_domain::lifecycle::DateField;
use sellerlink_domain::marketplace::Region;
use sellerlink_domain::order::{FulfillmentChannel, OrderStatus};
use sellerlink_testkit::fuzz::{cases, run, within_bound};

/// Arbitrary text, text shaped like the identifiers (with full-width and other look-alike characters mixed in),
/// and huge text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,48}",
        "\\PC{0,24}",
        "[0-9０-９٠-٩-－‐]{0,24}",
        "[0-9]{3}-[0-9]{7}-[0-9]{7}",
        "[A-Z0-9ＡＺ]{10,16}",
        "amzn\\.mws\\.[0-9a-f-]{36}",
        "Atzr\\|[ -~]{0,200}",
        "[0-9a-fA-F-]{32,40}",
        "[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}",
        (1usize..=1 << 20, any::<char>())
            .prop_map(|(size, filler)| std::iter::repeat_n(filler, size).collect()),
    ]
}

/// Parses `text` as `T`; an accepted value must parse again, unchanged, from its canonical text.
fn round_trips<T: PartialEq + std::fmt::Debug>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, IdError>,
    canonical: impl Fn(&T) -> String,
) {
    match parse(text) {
        Ok(value) => assert_eq!(parse(&canonical(&value)).as_ref(), Ok(&value), "{text:?}"),
        Err(error) => assert!(!error.to_string().is_empty()),
    }
}

#[test]
fn identifiers_answer_any_text_with_a_typed_result_and_read_back_as_themselves() {
    run("identifiers", cases(), text(), |text| {
        within_bound(move || {
            round_trips(&text, SellerId::parse, |id| id.as_str().to_owned());
            round_trips(&text, SellingPartnerId::parse, |id| id.as_str().to_owned());
            round_trips(&text, MarketplaceId::parse, |id| id.as_str().to_owned());
            round_trips(&text, MwsAuthToken::parse, |id| id.as_str().to_owned());
            round_trips(&text, DeveloperId::parse, |id| id.as_str().to_owned());
            round_trips(&text, AwsAccessKeyId::parse, |id| id.as_str().to_owned());
            round_trips(&text, LwaRefreshToken::parse, |id| id.as_str().to_owned());
            round_trips(&text, AmazonOrderId::parse, |id| id.as_str().to_owned());
            round_trips(&text, MerchantId::from_str, ToString::to_string);
            round_trips(&text, ConnectionId::from_str, ToString::to_string);
        });
    });
}

#[test]
fn names_codes_and_dates_answer_any_text_with_a_typed_result() {
    run("names, codes and dates", cases(), text(), |text| {
        within_bound(move || {
            if let Err(error) = MerchantName::parse(&text) {
                assert!(!error.to_string().is_empty());
            }
            let _ = Language::parse(&text);
            let _ = Region::parse(&text);
            let _ = OrderStatus::parse(&text);
            let _ = FulfillmentChannel::parse(&text);
            let _ = AuditAction::parse(&text);
            for field in [
                DateField::GrantedOn,
                DateField::LastApprovedOn,
                DateField::ExpiresOn,
                DateField::ActionOn,
            ] {
                let _ = field.parse(&text);
            }
        });
    });
}

/// `text` as a Japanese IME in full-width mode types it: each printable ASCII character as its full-width form, the
/// space as the ideographic space.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap_or(c),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

/// ASCII text shaped like the typed identifiers, valid and not.
fn ascii_ids() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,48}",
        "[ a-zA-Z0-9]{8,22}",
        "[ ]?(amzn\\.mws\\.)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}[ ]?",
        "[a-z0-9.|:/]{0,12}[0-9a-f-]{30,40}",
    ]
}

#[test]
fn identifiers_typed_full_width_answer_exactly_as_typed_in_ascii() {
    run("full-width identifiers", cases(), ascii_ids(), |text| {
        within_bound(move || {
            let wide = full_width(&text);
            assert_eq!(SellerId::parse(&wide), SellerId::parse(&text), "{text:?}");
            assert_eq!(
                SellingPartnerId::parse(&wide),
                SellingPartnerId::parse(&text),
                "{text:?}"
            );
            assert_eq!(
                MarketplaceId::parse(&wide),
                MarketplaceId::parse(&text),
                "{text:?}"
            );
            assert_eq!(
                MwsAuthToken::parse(&wide),
                MwsAuthToken::parse(&text),
                "{text:?}"
            );
        });
    });
}
