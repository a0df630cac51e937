//! What a merchant or operator types into `connection add`: values typed with a Japanese IME are normalised and
//! accepted by Amazon (the sandbox, over HTTPS); malformed ones — clap's refusals included — are explained in English
//! and Japanese naming the field, as JSON under `--json`, with the documented exit status; `--help` lists the
//! command's own options before the global ones.

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN, Run, TOKEN};

/// `text` as a Japanese IME in full-width mode types it.
fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) - 0x21 + 0xFF01).unwrap(),
            c => c,
        })
        .collect()
}

fn add(home: &Home, json: bool, seller: &str, marketplace: &str, token: &str) -> Run {
    let mut args = vec![
        "connection",
        "add",
        "--merchant",
        "Takumi",
        "--seller-id",
        seller,
        "--marketplace-id",
        marketplace,
    ];
    if json {
        args.insert(0, "--json");
    }
    home.run_with_stdin(&args, &format!("{token}\n"))
}

fn connection_count(home: &Home) -> usize {
    home.run(&["--json", "connection", "list"])
        .assert_ok()
        .json()
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_seller_id_typed_full_width_and_lower_case_is_normalised_and_accepted_by_amazon() {
    let amazon = Amazon::start(1).await;
    let home = amazon.mws_home();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let seller = amazon.seller(0);
    let token = amazon.grant(&seller).await;

    // A well-formed Seller ID Amazon does not know: Amazon's "Invalid seller id", as a message at the field.
    let mistyped = "AZZZZZZZZZZZZZ";
    assert_ne!(seller, mistyped);
    let run = tokio::task::block_in_place(|| add(&home, true, mistyped, JAPAN, &token));
    assert_eq!(run.status.code(), Some(1), "{}", run.stdout);
    let error = &run.json()["error"];
    assert_eq!(error["code"], "seller_id_not_found", "{error}");
    assert_eq!(error["field"], "seller_id", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .starts_with("出品者ID AZZZZZZZZZZZZZ のアカウントはAmazonにありません"),
        "{error}"
    );
    assert!(!run.stdout.contains(&token), "the token is never repeated");
    let run = tokio::task::block_in_place(|| add(&home, false, mistyped, JAPAN, &token));
    assert!(
        run.stderr
            .contains("Amazon has no seller account with Seller ID AZZZZZZZZZZZZZ")
            && run.stderr.contains("エラー: 出品者ID AZZZZZZZZZZZZZ"),
        "{}",
        run.stderr
    );
    assert_eq!(connection_count(&home), 0);

    // The Seller ID and Marketplace ID full-width and lower case, the token as a full-width bare UUID.
    let seller_typed = format!("\u{3000}{}", full_width(&seller.to_lowercase()));
    let marketplace_typed = full_width(&JAPAN.to_lowercase());
    let token_typed = full_width(token.trim_start_matches("amzn.mws."));
    assert_ne!(seller_typed, seller);
    let run = tokio::task::block_in_place(|| {
        add(&home, true, &seller_typed, &marketplace_typed, &token_typed)
    });
    let view = run.assert_ok().json();
    assert_eq!(view["account"]["seller_id"], seller.as_str(), "{view}");
    assert_eq!(view["marketplaces"][0]["id"], JAPAN, "{view}");
    assert_eq!(view["status"]["status"], "active", "{view}");
    assert!(
        view["verified_at"].is_string(),
        "Amazon accepted it: {view}"
    );
    assert_eq!(connection_count(&home), 1);
}

#[test]
fn a_malformed_seller_id_is_refused_in_both_languages_and_as_json_naming_the_field() {
    let home = Home::new();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let listed = |home: &Home| {
        home.run(&["--json", "connection", "list"])
            .assert_ok()
            .json()
    };
    let before = listed(&home);

    let run = add(&home, false, "bad!", JAPAN, TOKEN);
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: --seller-id: Seller ID: contains '!' at position 4")
            && run.stderr.contains("e.g. A1B2C3D4E5F6G7"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("エラー: --seller-id: 出品者IDの4文字目に使用できない文字「!」があります"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    let run = add(&home, true, "bad!", JAPAN, TOKEN);
    assert_eq!(run.status.code(), Some(2), "{}", run.stderr);
    let error = &run.json()["error"];
    assert_eq!(error["code"], "invalid_input", "{error}");
    assert_eq!(error["field"], "seller_id", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("Seller ID"),
        "{error}"
    );
    assert!(
        error["message_ja"].as_str().unwrap().contains("出品者ID"),
        "{error}"
    );

    // clap's own refusals: a missing option and an unknown one, in both languages, as JSON too.
    let run = home.run(&[
        "--json",
        "connection",
        "add",
        "--seller-id",
        "A1B2C3D4E5F6G7",
    ]);
    assert_eq!(run.status.code(), Some(2));
    let error = &run.json()["error"];
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("usage"), Some("merchant")),
        "{error}"
    );
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .starts_with("必須の --merchant"),
        "{error}"
    );
    let run = home.run(&[
        "connection",
        "add",
        "--merchant",
        "Takumi",
        "--seler-id",
        "A1B2C3D4E5F6G7",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        run.stderr.contains("unexpected argument '--seler-id'")
            && run.stderr.contains(
                "エラー: --seler-id というオプションはありません。--seller-id のことですか？"
            ),
        "{}",
        run.stderr
    );

    // A token with another prefix, from stdin: named, what is expected, never echoed; the same exit status.
    let run = add(
        &home,
        true,
        "A1B2C3D4E5F6G7",
        JAPAN,
        "Atzr|IwEBIsecret-refresh-token",
    );
    assert_eq!(run.status.code(), Some(2), "{}", run.stdout);
    let error = &run.json()["error"];
    assert_eq!(error["field"], "mws_auth_token", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .starts_with("MWS認証トークンが amzn.mws. で始まっていません"),
        "{error}"
    );
    assert!(!run.stdout.contains("secret-refresh-token"));

    assert_eq!(listed(&home), before, "a refused command stored nothing");
    assert_eq!(before, serde_json::json!([]));
}

#[test]
fn connection_add_help_lists_its_own_options_before_the_global_ones() {
    let run = Home::new().run(&["connection", "add", "--help"]);
    run.assert_ok();
    let help = &run.stdout;
    let at = |needle: &str| {
        help.find(needle)
            .unwrap_or_else(|| panic!("{needle:?} is not in the help:\n{help}"))
    };
    let global = at("\nGlobal options:\n");
    for own in [
        "--merchant",
        "--seller-id",
        "--marketplace-id",
        "--auth-token",
        "--no-verify",
    ] {
        assert!(
            at(own) < global,
            "{own} is not among the command's own options:\n{help}"
        );
    }
    for shared in ["--data-dir", "--json", "--developer-id"] {
        assert!(
            at(shared) > global,
            "{shared} is not under Global options:\n{help}"
        );
    }
    for heading in [
        "Global options: Amazon MWS:",
        "Global options: e-mail:",
        "Global options: Amazon SP-API:",
    ] {
        assert!(at(heading) > global, "{heading}\n{help}");
    }
    assert!(at("--mws-endpoint") > at("Global options: Amazon MWS:"));
    assert!(help.contains("Exit status: 0 done; 1"), "{help}");
}

#[test]
fn a_half_configured_mws_developer_is_explained_in_both_languages() {
    let home = Home::new().with_env("SELLERLINK_MWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    let run = home.run(&["--json", "connection", "list"]);
    assert_eq!(run.status.code(), Some(1), "{}", run.stdout);
    let error = &run.json()["error"];
    assert_eq!(error["field"], "SELLERLINK_MWS_SECRET_KEY", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("SELLERLINK_MWS_SECRET_KEY が設定されていません"),
        "{error}"
    );
}
