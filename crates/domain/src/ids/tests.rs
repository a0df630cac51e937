use proptest::prelude::*;

use super::*;

#[test]
fn seller_id_accepts_the_guide_example_and_normalizes_case_and_spaces() {
    assert_eq!(
        SellerId::parse("A1B2C3D4E5F6G7").unwrap().as_str(),
        "A1B2C3D4E5F6G7"
    );
    assert_eq!(
        SellerId::parse("  a2986zq066ch2f\n").unwrap().as_str(),
        "A2986ZQ066CH2F"
    );
}

#[test]
fn seller_id_errors_name_the_field_the_problem_and_the_format() {
    let err = SellerId::parse("A1B2-C3D4E5F6").unwrap_err();
    assert_eq!(
        err.problem,
        IdProblem::Character {
            position: 5,
            character: Some('-')
        }
    );
    let text = err.to_string();
    assert!(
        text.starts_with("Seller ID: contains '-' at position 5"),
        "{text}"
    );
    assert!(text.contains("e.g. A1B2C3D4E5F6G7"), "{text}");
    assert!(
        err.message_ja().starts_with("出品者IDの5文字目"),
        "{}",
        err.message_ja()
    );
    assert_eq!(SellerId::parse("").unwrap_err().problem, IdProblem::Empty);
    assert_eq!(
        SellerId::parse("A12").unwrap_err().problem,
        IdProblem::Length { actual: 3 }
    );
    assert_eq!(
        SellerId::parse("B1B2C3D4E5F6G7").unwrap_err().problem,
        IdProblem::Shape
    );
    assert!(matches!(
        SellerId::parse("A1B2C3D4E5F6Gあ").unwrap_err().problem,
        IdProblem::Character { position: 14, .. }
    ));
}

#[test]
fn marketplace_id_must_be_in_the_table() {
    let japan = MarketplaceId::parse("A1VC38T7YXB528").unwrap();
    assert_eq!(japan.marketplace().country_code, "JP");
    assert_eq!(japan, MarketplaceId::japan());
    let err = MarketplaceId::parse("A1VC38T7YXB529").unwrap_err();
    assert_eq!(err.problem, IdProblem::UnknownMarketplace);
    assert!(err.to_string().contains("A1VC38T7YXB528"));
    assert_eq!(
        MarketplaceId::parse("A1VC").unwrap_err().problem,
        IdProblem::Length { actual: 4 }
    );
}

#[test]
fn mws_auth_token_is_amzn_mws_and_a_uuid() {
    let token = MwsAuthToken::parse("amzn.mws.01234567-89AB-cdef-0123-456789abcdef").unwrap();
    assert_eq!(
        token.expose_secret(),
        "amzn.mws.01234567-89ab-cdef-0123-456789abcdef"
    );
    assert_eq!(format!("{token:?}"), "MwsAuthToken(amzn.mws.…)");
    assert_eq!(
        MwsAuthToken::parse("mws.01234567-89ab-cdef-0123-456789abcdef")
            .unwrap_err()
            .problem,
        IdProblem::WrongPrefix {
            expected: "amzn.mws."
        }
    );
    assert_eq!(
        MwsAuthToken::parse("amzn.mws.01234567-89ab-cdef-0123-456789abcde")
            .unwrap_err()
            .problem,
        IdProblem::Length { actual: 44 }
    );
    assert_eq!(
        MwsAuthToken::parse("amzn.mws.0123456789-ab-cdef-0123-456789abcdef")
            .unwrap_err()
            .problem,
        IdProblem::Shape
    );
    let bad = MwsAuthToken::parse("amzn.mws.01234567-89ab-cdef-0123-456789abcdeZ").unwrap_err();
    assert_eq!(
        bad.problem,
        IdProblem::Character {
            position: 45,
            character: None
        }
    );
    assert!(
        !bad.to_string().contains('Z'),
        "secret characters are never echoed"
    );
}

#[test]
fn seller_and_marketplace_ids_typed_full_width_lower_case_or_padded_are_normalised() {
    for typed in [
        "ａ１ｂ２ｃ３ｄ４ｅ５ｆ６ｇ７",
        "Ａ１Ｂ２Ｃ３Ｄ４Ｅ５Ｆ６Ｇ７",
        "\u{3000}A1B2C3D4E5F6G7\u{3000}",
        " a1b2c3d4e5f6g7\t",
        "ａ1b2Ｃ3d4e5f6g7",
    ] {
        assert_eq!(
            SellerId::parse(typed).unwrap().as_str(),
            "A1B2C3D4E5F6G7",
            "{typed:?}"
        );
        assert_eq!(
            SellingPartnerId::parse(typed).unwrap().as_str(),
            "A1B2C3D4E5F6G7",
            "{typed:?}"
        );
    }
    for typed in [
        "ａ１ｖｃ３８ｔ７ｙｘｂ５２８",
        " a1vc38t7yxb528 ",
        "Ａ1VC38T7YXB528",
    ] {
        assert_eq!(
            MarketplaceId::parse(typed).unwrap(),
            MarketplaceId::japan(),
            "{typed:?}"
        );
    }
    // Normalising does not make a wrong value right: the error names the field and the character.
    let err = SellerId::parse("ａ１ｂ２！").unwrap_err();
    assert_eq!(
        err.problem,
        IdProblem::Character {
            position: 5,
            character: Some('!')
        }
    );
    assert!(err.message_ja().starts_with("出品者ID"));
    assert_eq!(
        SellerId::parse("\u{3000}\u{3000}").unwrap_err().problem,
        IdProblem::Empty
    );
}

#[test]
fn mws_auth_token_is_normalised_and_a_bare_uuid_gets_its_prefix() {
    let canonical = "amzn.mws.01234567-89ab-cdef-0123-456789abcdef";
    for typed in [
        "01234567-89ab-cdef-0123-456789abcdef",
        " 01234567-89AB-CDEF-0123-456789ABCDEF\n",
        "ａｍｚｎ．ｍｗｓ．０１２３４５６７－８９ａｂ－ｃｄｅｆ－０１２３－４５６７８９ａｂｃｄｅｆ",
        "AMZN.MWS.01234567-89ab-cdef-0123-456789abcdef",
        "amzn.mws.01234567ー89ab−cdef‐0123–456789abcdef",
        "０１２３４５６７ー８９ａｂーｃｄｅｆー０１２３ー４５６７８９ａｂｃｄｅｆ",
    ] {
        assert_eq!(
            MwsAuthToken::parse(typed).unwrap().expose_secret(),
            canonical,
            "{typed:?}"
        );
    }
    for wrong in [
        "amzn1.mws.01234567-89ab-cdef-0123-456789abcdef",
        "Atzr|IwEBIexample-token",
        "amzn.sp.01234567-89ab-cdef-0123-456789abcdef",
        "https://sellercentral.amazon.co.jp/01234567-89ab-cdef-0123-456789abcdef",
    ] {
        let err = MwsAuthToken::parse(wrong).unwrap_err();
        assert_eq!(
            err.problem,
            IdProblem::WrongPrefix {
                expected: "amzn.mws."
            },
            "{wrong:?}"
        );
        assert_eq!(
            err.to_string(),
            "MWS Auth Token: does not start with amzn.mws.; expected amzn.mws. followed by a UUID, e.g. \
             amzn.mws.01234567-89ab-cdef-0123-456789abcdef"
        );
        assert!(
            err.message_ja()
                .starts_with("MWS認証トークンが amzn.mws. で始まっていません。"),
            "{}",
            err.message_ja()
        );
        assert!(!err.to_string().contains("example-token"));
    }
    // A bare value that is not a UUID: its length or its character, counted in what was typed.
    assert_eq!(
        MwsAuthToken::parse("01234567-89ab-cdef-0123-456789abcde")
            .unwrap_err()
            .problem,
        IdProblem::Length { actual: 35 }
    );
    assert_eq!(
        MwsAuthToken::parse("01234567-89ab-cdef-0123-456789abcdeZ")
            .unwrap_err()
            .problem,
        IdProblem::Character {
            position: 36,
            character: None
        }
    );
}

#[test]
fn every_field_has_a_request_key() {
    assert_eq!(IdField::SellerId.key(), "seller_id");
    assert_eq!(IdField::MarketplaceId.key(), "marketplace_id");
    assert_eq!(IdField::MwsAuthToken.key(), "mws_auth_token");
}

#[test]
fn developer_id_takes_dashes_or_not_and_shows_dashes() {
    let with = DeveloperId::parse("5259-6479-4073").unwrap();
    let without = DeveloperId::parse("525964794073").unwrap();
    assert_eq!(with, without);
    assert_eq!(with.digits(), "525964794073");
    assert_eq!(with.to_string(), "5259-6479-4073");
    assert_eq!(
        DeveloperId::parse("52596-479-4073").unwrap_err().problem,
        IdProblem::Shape
    );
    assert_eq!(
        DeveloperId::parse("5259-6479-407").unwrap_err().problem,
        IdProblem::Length { actual: 11 }
    );
    assert!(matches!(
        DeveloperId::parse("5259 6479 4073").unwrap_err().problem,
        IdProblem::Character {
            position: 5,
            character: Some(' ')
        }
    ));
}

#[test]
fn access_key_refresh_token_and_order_id() {
    assert!(AwsAccessKeyId::parse("AKIAIOSFODNN7EXAMPLE").is_ok());
    assert_eq!(
        AwsAccessKeyId::parse("AKIAIOSFODNN7EXAMPL")
            .unwrap_err()
            .problem,
        IdProblem::Length { actual: 19 }
    );
    let token = LwaRefreshToken::parse("Atzr|IwEBIexample-token").unwrap();
    assert_eq!(format!("{token:?}"), "LwaRefreshToken(Atzr|…)");
    assert_eq!(
        LwaRefreshToken::parse("Atza|IwEB").unwrap_err().problem,
        IdProblem::Shape
    );
    assert_eq!(
        LwaRefreshToken::parse("Atzr|has space")
            .unwrap_err()
            .problem,
        IdProblem::Character {
            position: 9,
            character: None
        }
    );
    assert!(AmazonOrderId::parse("503-1234567-1234567").is_ok());
    assert_eq!(
        AmazonOrderId::parse("5031-234567-1234567")
            .unwrap_err()
            .problem,
        IdProblem::Shape
    );
    assert_eq!(
        AmazonOrderId::parse("503-1234567-123456")
            .unwrap_err()
            .problem,
        IdProblem::Length { actual: 18 }
    );
}

#[test]
fn amazon_sends_order_ids_of_other_shapes_which_are_taken_as_sent() {
    for id in [
        "503-1234567-1234567",
        "S01-1234567-1234567",
        "1234567890123",
        "TEST_ORDER.42",
        "AB#12/34?x=1%",
        "7",
    ] {
        let taken = AmazonOrderId::from_amazon(id).unwrap();
        assert_eq!(taken.as_str(), id);
        assert_eq!(taken.is_usual_shape(), id == "503-1234567-1234567");
    }
    // The wire format's layout around the id is not part of it.
    assert_eq!(
        AmazonOrderId::from_amazon("\n  S01-1234567-1234567 ")
            .unwrap()
            .as_str(),
        "S01-1234567-1234567"
    );
    let longest = "9".repeat(AmazonOrderId::MAX_RECEIVED_LEN);
    assert!(AmazonOrderId::from_amazon(&longest).is_ok());
}

#[test]
fn order_ids_that_could_not_be_shown_typed_or_sent_back_are_refused_from_amazon_too() {
    let refused = |id: &str| AmazonOrderId::from_amazon(id).unwrap_err();
    assert_eq!(refused("").problem, IdProblem::Empty);
    assert_eq!(refused("   ").problem, IdProblem::Empty);
    assert_eq!(
        refused("503 1234567").problem,
        IdProblem::Character {
            position: 4,
            character: Some(' ')
        }
    );
    for bad in [
        "503\u{7}1",
        "503\u{200b}1",
        "５０３-1",
        "503\u{202e}1",
        "a\tb",
    ] {
        let error = refused(bad);
        assert!(
            matches!(error.problem, IdProblem::Character { .. }),
            "{bad:?}: {error}"
        );
        assert_eq!(error.field, IdField::ReceivedOrderId);
    }
    let too_long = "9".repeat(AmazonOrderId::MAX_RECEIVED_LEN + 1);
    assert_eq!(
        refused(&too_long).problem,
        IdProblem::Length {
            actual: AmazonOrderId::MAX_RECEIVED_LEN + 1
        }
    );
    let text = refused("a b").to_string();
    assert!(text.starts_with("order ID from Amazon"), "{text}");
    assert!(text.contains("1–64 printable ASCII"), "{text}");
    assert!(
        refused("a b")
            .message_ja()
            .starts_with("Amazonから届いた注文番号")
    );
}

#[test]
fn typed_order_ids_stay_strict() {
    for typed in ["S01-1234567-1234567", "503-1234567", "TEST_ORDER.42"] {
        let error = AmazonOrderId::parse(typed).unwrap_err();
        assert_eq!(error.field, IdField::AmazonOrderId);
        assert!(
            error.to_string().contains("expected 3-7-7 digits"),
            "{error}"
        );
        assert!(
            error.message_ja().contains("3桁-7桁-7桁"),
            "{}",
            error.message_ja()
        );
        assert!(typed.parse::<AmazonOrderId>().is_err());
    }
    assert_eq!(
        " 503-1234567-1234567\n"
            .parse::<AmazonOrderId>()
            .unwrap()
            .as_str(),
        "503-1234567-1234567"
    );
}

#[test]
fn a_lookup_takes_any_received_id_and_keeps_the_strict_error_for_not_found() {
    let usual = OrderIdLookup::parse(" 503-1234567-1234567 ").unwrap();
    assert_eq!(usual.id().as_str(), "503-1234567-1234567");
    assert!(usual.unusual_shape().is_none());

    let odd = OrderIdLookup::parse("S01-1234567-1234567").unwrap();
    assert_eq!(odd.id().as_str(), "S01-1234567-1234567");
    let (id, strict) = odd.into_parts();
    assert_eq!(
        id,
        AmazonOrderId::from_amazon("S01-1234567-1234567").unwrap()
    );
    let strict = strict.expect("not the usual shape");
    assert_eq!(strict.field, IdField::AmazonOrderId);
    assert_eq!(
        strict.problem,
        IdProblem::Character {
            position: 1,
            character: Some('S')
        }
    );

    // Text that could not be any order id fails at once, with the typed (3-7-7) explanation.
    let error = OrderIdLookup::parse("503 1234567 1234567").unwrap_err();
    assert_eq!(error.field, IdField::AmazonOrderId);
    assert!(
        error.to_string().contains("expected 3-7-7 digits"),
        "{error}"
    );
    assert!(OrderIdLookup::parse("").is_err());
    assert!(OrderIdLookup::parse(&"1".repeat(65)).is_err());
}

#[test]
fn serde_reads_order_ids_as_amazon_sends_them() {
    let id: AmazonOrderId = serde_json::from_str("\"S01-1234567-1234567\"").unwrap();
    assert_eq!(id.as_str(), "S01-1234567-1234567");
    assert_eq!(
        serde_json::to_string(&id).unwrap(),
        "\"S01-1234567-1234567\""
    );
    assert!(serde_json::from_str::<AmazonOrderId>("\"has space\"").is_err());
}

#[test]
fn uuid_ids_round_trip() {
    let id = ConnectionId::new();
    assert_eq!(ConnectionId::parse(&id.to_string()).unwrap(), id);
    assert_eq!(
        MerchantId::parse("nope").unwrap_err().field,
        IdField::MerchantId
    );
}

#[test]
fn serde_goes_through_the_parser() {
    let id: SellerId = serde_json::from_str("\"a1b2c3d4e5f6g7\"").unwrap();
    assert_eq!(id.as_str(), "A1B2C3D4E5F6G7");
    assert!(serde_json::from_str::<SellerId>("\"nope\"").is_err());
    assert_eq!(
        serde_json::to_string(&DeveloperId::parse("525964794073").unwrap()).unwrap(),
        "\"525964794073\""
    );
}

fn merchant_token() -> impl Strategy<Value = String> {
    "A[A-Z0-9]{9,19}"
}

fn order_id() -> impl Strategy<Value = String> {
    "[0-9]{3}-[0-9]{7}-[0-9]{7}"
}

fn mws_token() -> impl Strategy<Value = String> {
    "amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
}

/// `text` as a Japanese IME in full-width mode types it: every ASCII character as its full-width form.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap_or(c),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

#[test]
fn skus_keep_their_text_and_refuse_what_amazon_would_not_take() {
    for (typed, kept) in [
        ("TEA-GREEN-100G", "TEA-GREEN-100G"),
        (" 抹茶/100g 缶\u{3000}\n", "抹茶/100g 缶"),
        ("抹茶&ほうじ茶<set>", "抹茶&ほうじ茶<set>"),
        ("tea-green-100g", "tea-green-100g"),
        ("ＴＥＡ", "ＴＥＡ"),
    ] {
        assert_eq!(Sku::parse(typed).unwrap().as_str(), kept, "{typed:?}");
    }
    assert_eq!(Sku::parse(&"x".repeat(40)).unwrap().as_str().len(), 40);
    assert_eq!(Sku::parse("  ").unwrap_err().problem, IdProblem::Empty);
    assert_eq!(
        Sku::parse(&"x".repeat(41)).unwrap_err().problem,
        IdProblem::Length { actual: 41 }
    );
    let hidden = Sku::parse("TK\u{200B}1").unwrap_err();
    assert_eq!(
        hidden.problem,
        IdProblem::Hidden {
            position: 3,
            character: '\u{200B}'
        }
    );
    assert_eq!(
        hidden.to_string(),
        "SKU: contains U+200B at position 3, an invisible or text-direction character; \
         expected 1–40 visible characters as in Seller Central, e.g. TEA-GREEN-100G"
    );
    assert!(
        hidden
            .message_ja()
            .starts_with("SKUの3文字目に見えない文字または文字の向きを変える文字（U+200B）"),
        "{}",
        hidden.message_ja()
    );
    assert!(matches!(
        Sku::parse("TK\n1").unwrap_err().problem,
        IdProblem::Hidden { position: 3, .. }
    ));
    assert_eq!(IdField::Sku.key(), "sku");
}

proptest! {
    #[test]
    fn typed_variants_normalise_to_the_canonical_value(
        seller in merchant_token(),
        token in mws_token(),
        market in proptest::sample::select(crate::marketplace::MARKETPLACES.iter().map(|m| m.id).collect::<Vec<_>>()),
        wide in any::<bool>(),
        lower in any::<bool>(),
        pad in "[ \t\u{3000}\n]{0,3}",
    ) {
        let typed = |canonical: &str| {
            let cased = if lower { canonical.to_lowercase() } else { canonical.to_uppercase() };
            let shaped = if wide { full_width(&cased) } else { cased };
            format!("{pad}{shaped}{pad}")
        };
        prop_assert_eq!(SellerId::parse(&typed(&seller)).unwrap().as_str().to_owned(), seller.clone());
        prop_assert_eq!(MarketplaceId::parse(&typed(market)).unwrap().as_str().to_owned(), market.to_owned());
        prop_assert_eq!(MwsAuthToken::parse(&typed(&token)).unwrap().expose_secret().to_owned(), token.clone());
        let bare = &token["amzn.mws.".len()..];
        prop_assert_eq!(MwsAuthToken::parse(&typed(bare)).unwrap().expose_secret().to_owned(), token.clone());
    }

    #[test]
    fn canonical_values_round_trip(
        seller in merchant_token(),
        order in order_id(),
        token in mws_token(),
        developer in "[0-9]{12}",
        key in "[A-Z0-9]{20}",
        refresh in "Atzr\\|[!-~]{1,300}",
        market in proptest::sample::select(crate::marketplace::MARKETPLACES.iter().map(|m| m.id).collect::<Vec<_>>()),
    ) {
        prop_assert_eq!(SellerId::parse(&seller).unwrap().as_str().to_owned(), seller.clone());
        prop_assert_eq!(SellingPartnerId::parse(&seller).unwrap().as_str().to_owned(), seller.clone());
        prop_assert_eq!(AmazonOrderId::parse(&order).unwrap().as_str().to_owned(), order.clone());
        prop_assert_eq!(MwsAuthToken::parse(&token).unwrap().expose_secret().to_owned(), token.clone());
        let dev = DeveloperId::parse(&developer).unwrap();
        prop_assert_eq!(DeveloperId::parse(&dev.dashed()).unwrap(), dev.clone());
        prop_assert_eq!(DeveloperId::parse(&dev.to_string()).unwrap().digits().to_owned(), developer.clone());
        prop_assert_eq!(AwsAccessKeyId::parse(&key).unwrap().as_str().to_owned(), key.clone());
        prop_assert_eq!(LwaRefreshToken::parse(&refresh).unwrap().expose_secret().to_owned(), refresh.clone());
        prop_assert_eq!(MarketplaceId::parse(market).unwrap().as_str().to_owned(), market.to_owned());
    }

    #[test]
    fn parsers_never_panic_and_errors_always_explain(input in "\\PC{0,60}") {
        let errors: Vec<Option<IdError>> = vec![
            SellerId::parse(&input).err(),
            SellingPartnerId::parse(&input).err(),
            MarketplaceId::parse(&input).err(),
            MwsAuthToken::parse(&input).err(),
            DeveloperId::parse(&input).err(),
            AwsAccessKeyId::parse(&input).err(),
            LwaRefreshToken::parse(&input).err(),
            AmazonOrderId::parse(&input).err(),
            AmazonOrderId::from_amazon(&input).err(),
            OrderIdLookup::parse(&input).err(),
            MerchantId::parse(&input).err(),
        ];
        for err in errors.into_iter().flatten() {
            let text = err.to_string();
            prop_assert!(text.starts_with(err.field.name_en()));
            prop_assert!(text.contains("expected"));
            prop_assert!(err.message_ja().starts_with(err.field.name_ja()));
        }
    }

    #[test]
    fn garbage_is_rejected(seller in "[a-z]{0,3}[^A-Za-z0-9]{1,5}[A-Z]{0,5}", order in "[0-9-]{0,25}") {
        prop_assert!(SellerId::parse(&seller).is_err());
        let shaped = order.len() == 19 && order.as_bytes()[3] == b'-' && order.as_bytes()[11] == b'-'
            && order.matches('-').count() == 2;
        prop_assert_eq!(AmazonOrderId::parse(&order).is_ok(), shaped);
    }

    #[test]
    fn every_printable_ascii_id_from_amazon_round_trips(id in "[!-~]{1,64}") {
        let taken = AmazonOrderId::from_amazon(&id).unwrap();
        prop_assert_eq!(taken.as_str(), id.as_str());
        let lookup = OrderIdLookup::parse(&id).unwrap();
        prop_assert_eq!(lookup.id(), &taken);
        prop_assert_eq!(lookup.unusual_shape().is_none(), taken.is_usual_shape());
    }

    #[test]
    fn secrets_never_appear_in_errors(secret in "[!-~]{6,40}") {
        let candidate = format!("amzn.mws.{secret}");
        if let Err(err) = MwsAuthToken::parse(&candidate) {
            prop_assert!(!err.to_string().contains(&secret));
            prop_assert!(!err.message_ja().contains(&secret));
        }
        let refresh = format!("Atzr|{secret} x");
        if let Err(err) = LwaRefreshToken::parse(&refresh) {
            prop_assert!(!err.to_string().contains(&secret));
        }
    }
}
