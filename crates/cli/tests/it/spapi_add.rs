//! `connection add-spapi` through the binary: the refresh token on stdin, verified against a real sandbox over
//! HTTPS (LWA + `getMarketplaceParticipations`), then imported with `sync`; each refusal classified, in both
//! languages, with nothing stored; the token never printed, logged (TRACE) or written in clear.

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN, Run};
use jiff::{Timestamp, ToSpan as _};

const MERCHANT: &str = "株式会社たくみ";
const UNITED_STATES: &str = "ATVPDKIKX0DER";

/// `--json connection add-spapi` for the merchant, the refresh token on stdin.
fn add(home: &Home, seller: &str, marketplace: &str, token: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "--json",
        "connection",
        "add-spapi",
        "--merchant",
        MERCHANT,
        "--selling-partner-id",
        seller,
        "--marketplace-id",
        marketplace,
    ];
    args.extend_from_slice(extra);
    tokio::task::block_in_place(|| home.run_with_stdin(&args, &format!("{token}\n")))
}

fn connections(home: &Home) -> Vec<serde_json::Value> {
    home.run(&["--json", "connection", "list"])
        .assert_ok()
        .json()
        .as_array()
        .unwrap()
        .clone()
}

/// The JSON error of a refused command, after checking it failed.
#[track_caller]
fn refusal(run: &Run) -> serde_json::Value {
    assert!(!run.status.success(), "accepted: {}", run.stdout);
    run.json()["error"].clone()
}

/// Today in Japan, plus `days`.
fn jst_today_plus(days: i64) -> String {
    Timestamp::now()
        .in_tz("Asia/Tokyo")
        .unwrap()
        .date()
        .saturating_add(days.days())
        .to_string()
}

/// Parts of a secret that must never appear in clear (the masked form keeps only the last 6 characters).
fn fragments(token: &str) -> Vec<String> {
    vec![
        token.to_owned(),
        token["Atzr|".len()..].to_owned(),
        token[5..25].to_owned(),
        token[token.len() - 20..].to_owned(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn a_verified_refresh_token_is_stored_imported_and_renewed_by_the_next_one() {
    let amazon = Amazon::start(2).await;
    let home = amazon.spapi_home();
    home.run(&["merchant", "add", "--name", MERCHANT])
        .assert_ok();
    let seller = amazon.seller(0);
    let token = amazon.authorize(&seller).await;

    let view = add(&home, &seller, JAPAN, &token, &[]).assert_ok().json();
    assert_eq!(view["renewed"], false);
    assert_eq!(view["status"]["status"], "active", "{view}");
    assert_eq!(view["account"]["api"], "sp_api", "{view}");
    assert_eq!(view["account"]["selling_partner_id"], seller.as_str());
    assert!(view["verified_at"].is_string(), "{view}");
    assert_eq!(view["marketplaces"][0]["name"], "Amazon.co.jp");
    assert_eq!(view["grant"]["term"], "days365");
    assert_eq!(view["expires_on"], jst_today_plus(365));
    assert_eq!(
        view["credential_masked"],
        format!("Atzr|…{}", &token[token.len() - 6..])
    );
    let id = view["id"].as_str().unwrap().to_owned();

    // The plain output says what happened.
    let table = tokio::task::block_in_place(|| home.run(&["connection", "list"]));
    assert!(
        table.assert_ok().stdout.contains("sp_api"),
        "{}",
        table.stdout
    );

    // `sync` imports the seller's orders with the stored token.
    let first = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--connection", &id]));
    let first = first.assert_ok().json();
    assert_eq!(first[0]["outcome"], "completed", "{first}");
    let imported = first[0]["orders_new"].as_u64().unwrap();
    assert!(imported > 0, "{first}");
    let listed =
        tokio::task::block_in_place(|| home.run(&["--json", "orders", "list", "--limit", "1000"]));
    assert_eq!(
        listed.assert_ok().json().as_array().unwrap().len() as u64,
        imported
    );

    // The seller authorizes again: the new token renews the same connection instead of adding one.
    let renewal = amazon.authorize(&seller).await;
    assert_ne!(renewal, token);
    let renewed = add(&home, &seller, JAPAN, &renewal, &[]).assert_ok().json();
    assert_eq!(renewed["renewed"], true, "{renewed}");
    assert_eq!(renewed["id"], id.as_str());
    assert_eq!(
        renewed["credential_masked"],
        format!("Atzr|…{}", &renewal[renewal.len() - 6..])
    );
    assert_eq!(connections(&home).len(), 1);
    let shown = tokio::task::block_in_place(|| home.run(&["--json", "connection", "show", &id]));
    let actions: Vec<String> = shown.assert_ok().json()["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        ["renewed", "credential_replaced", "connection_created"]
    );
    let again = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--connection", &id]));
    assert_eq!(again.assert_ok().json()[0]["outcome"], "completed");

    // The same seller account for another merchant: refused, nothing stored.
    home.run(&["merchant", "add", "--name", "Other"])
        .assert_ok();
    let other_token = amazon.authorize(&seller).await;
    let other = tokio::task::block_in_place(|| {
        home.run_with_stdin(
            &[
                "--json",
                "connection",
                "add-spapi",
                "--merchant",
                "Other",
                "--selling-partner-id",
                &seller,
                "--marketplace-id",
                JAPAN,
            ],
            &format!("{other_token}\n"),
        )
    });
    assert_eq!(refusal(&other)["code"], "already_connected");
    assert_eq!(connections(&home).len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn each_refusal_is_classified_in_both_languages_and_stores_nothing() {
    let amazon = Amazon::start(2).await;
    let home = amazon.spapi_home();
    home.run(&["merchant", "add", "--name", MERCHANT])
        .assert_ok();
    let (a, b) = (amazon.seller(0), amazon.seller(1));

    // A well-formed token Amazon never issued: invalid_grant → re-authorize in Manage Your Apps.
    let unknown = "Atzr|IwEBIHn0tAtOkenAmazonEverIssuedXq9vL2mZ8sKd";
    let error = refusal(&add(&home, &a, JAPAN, unknown, &[]));
    assert_eq!(error["code"], "spapi_refresh_token_rejected", "{error}");
    let (en, ja) = (
        error["message"].as_str().unwrap(),
        error["message_ja"].as_str().unwrap(),
    );
    assert!(
        en.contains("invalid_grant") && en.contains("Manage Your Apps"),
        "{en}"
    );
    assert!(en.contains(&a) && en.contains("Nothing was saved"), "{en}");
    assert!(
        ja.contains("アプリの管理") && ja.contains("何も保存されていません"),
        "{ja}"
    );

    // A token whose authorization the seller revoked: the same classification.
    let revoked = amazon.authorize(&a).await;
    amazon.revoke(&a).await;
    let error = refusal(&add(&home, &a, JAPAN, &revoked, &[]));
    assert_eq!(error["code"], "spapi_refresh_token_rejected", "{error}");

    // A marketplace the seller does not sell in.
    let token_b = amazon.authorize(&b).await;
    let error = refusal(&add(&home, &b, UNITED_STATES, &token_b, &[]));
    assert_eq!(error["code"], "marketplace_not_participating", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("販売していません"),
        "{error}"
    );

    // An authorization date that cannot be right: in the future; lapsed although the token is checked.
    let error = refusal(&add(
        &home,
        &b,
        JAPAN,
        &token_b,
        &["--authorized-on", &jst_today_plus(1)],
    ));
    assert_eq!(error["code"], "spapi_authorization_date", "{error}");
    assert!(
        error["message_ja"].as_str().unwrap().contains("認可日"),
        "{error}"
    );
    let error = refusal(&add(
        &home,
        &b,
        JAPAN,
        &token_b,
        &["--authorized-on", &jst_today_plus(-365)],
    ));
    assert_eq!(error["code"], "spapi_authorization_date", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("lapsed on"),
        "{error}"
    );
    assert!(connections(&home).is_empty(), "a refusal stored something");

    // The right values, authorized 100 days ago: 265 days are left.
    let view = add(
        &home,
        &b,
        JAPAN,
        &token_b,
        &["--authorized-on", &jst_today_plus(-100)],
    )
    .assert_ok()
    .json();
    assert_eq!(view["grant"]["last_approved_on"], jst_today_plus(-100));
    assert_eq!(view["expires_on"], jst_today_plus(265));
    assert_eq!(view["days_until_expiry"], 265);

    // A renewal with another marketplace, or dated before the last approval: refused, nothing changed.
    let before = connections(&home);
    let renewal = amazon.authorize(&b).await;
    let error = refusal(&add(&home, &b, UNITED_STATES, &renewal, &[]));
    assert_eq!(error["code"], "spapi_renewal_other_marketplace", "{error}");
    let error = refusal(&add(
        &home,
        &b,
        JAPAN,
        &renewal,
        &["--authorized-on", &jst_today_plus(-200)],
    ));
    assert_eq!(error["code"], "spapi_authorization_date", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("last approval"),
        "{error}"
    );
    let strip = |mut list: Vec<serde_json::Value>| {
        for view in &mut list {
            view.as_object_mut().unwrap().remove("as_of");
        }
        list
    };
    assert_eq!(strip(connections(&home)), strip(before));
}

#[tokio::test(flavor = "multi_thread")]
async fn amazon_unreachable_stores_nothing() {
    let amazon = Amazon::start(2).await;
    let home = amazon
        .spapi_home()
        .with_env(
            "SELLERLINK_LWA_ENDPOINT",
            "http://127.0.0.1:9/auth/o2/token",
        )
        .with_env("SELLERLINK_SPAPI_ENDPOINT", "http://127.0.0.1:9/");
    home.run(&["merchant", "add", "--name", MERCHANT])
        .assert_ok();
    let seller = amazon.seller(0);
    let token = amazon.authorize(&seller).await;
    let error = refusal(&add(&home, &seller, JAPAN, &token, &[]));
    assert_eq!(error["code"], "amazon_unreachable", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("接続できませんでした"),
        "{error}"
    );
    assert!(connections(&home).is_empty());
}

#[test]
fn malformed_values_name_the_field_in_both_languages_and_change_nothing() {
    // No SP-API app configured: every value is checked before Amazon would be asked.
    let home = Home::new();
    home.run(&["merchant", "add", "--name", MERCHANT])
        .assert_ok();
    let token = "Atzr|IwEBIJq8sV3kP0xN4mT7wY2bC6dF9gH1jL5";
    let run = |seller: &str, marketplace: &str, stdin: &str, extra: &[&str]| {
        let mut args = vec![
            "connection",
            "add-spapi",
            "--merchant",
            MERCHANT,
            "--selling-partner-id",
            seller,
            "--marketplace-id",
            marketplace,
        ];
        args.extend_from_slice(extra);
        home.run_with_stdin(&args, stdin)
    };
    let cases = [
        (
            run("A1B2-C3D4E5F6", JAPAN, token, &[]),
            [
                "Selling Partner ID",
                "セリングパートナーID",
                "e.g. A1B2C3D4E5F6G7",
            ],
        ),
        (
            run("A1B2C3D4E5F6G7", "A1VC38T7YXB529", token, &[]),
            [
                "Marketplace ID",
                "マーケットプレイスID",
                "e.g. A1VC38T7YXB528",
            ],
        ),
        (
            run(
                "A1B2C3D4E5F6G7",
                JAPAN,
                token,
                &["--authorized-on", "2025/04/17"],
            ),
            ["authorization date", "認可日", "YYYY-MM-DD"],
        ),
        (
            run("A1B2C3D4E5F6G7", JAPAN, "", &[]),
            ["LWA refresh token", "LWAリフレッシュトークン", "is empty"],
        ),
    ];
    for (run, expected) in &cases {
        assert!(!run.status.success(), "accepted: {}", run.stdout);
        for text in expected {
            assert!(
                run.stderr.contains(text),
                "{text:?} missing: {}",
                run.stderr
            );
        }
    }
    // A malformed token: named and explained, never echoed.
    let bad = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeac0ffee1";
    let refused = run("A1B2C3D4E5F6G7", JAPAN, &format!("{bad}\n"), &[]);
    assert!(!refused.status.success());
    assert!(
        refused.stderr.contains("LWA refresh token") && refused.stderr.contains("Atzr|"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains(&bad[9..]) && !refused.stdout.contains(&bad[9..]));
    // There is no option that takes the token.
    let flag = run("A1B2C3D4E5F6G7", JAPAN, "", &["--refresh-token", token]);
    assert!(!flag.status.success());
    assert!(flag.stderr.contains("--refresh-token"), "{}", flag.stderr);
    assert!(
        home.run(&["--json", "connection", "list"])
            .assert_ok()
            .json()
            == serde_json::json!([]),
        "a refused command stored a connection"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_refresh_token_never_appears_in_output_logs_or_files() {
    let amazon = Amazon::start(2).await;
    let home = amazon.spapi_home();
    home.run(&["merchant", "add", "--name", MERCHANT])
        .assert_ok();
    let (a, b) = (amazon.seller(0), amazon.seller(1));
    let (token_a, token_b) = (amazon.authorize(&a).await, amazon.authorize(&b).await);
    let mut transcripts = vec![
        add(&home, &a, JAPAN, &token_a, &[]),
        // Unverified: stored without asking Amazon, and marked as such.
        tokio::task::block_in_place(|| {
            home.run_with_stdin(
                &[
                    "connection",
                    "add-spapi",
                    "--no-verify",
                    "--merchant",
                    MERCHANT,
                    "--selling-partner-id",
                    &b,
                    "--marketplace-id",
                    JAPAN,
                ],
                &format!("{token_b}\n"),
            )
        }),
    ];
    for run in &transcripts {
        run.assert_ok();
    }
    assert!(
        transcripts[1].stdout.contains("unverified"),
        "{}",
        transcripts[1].stdout
    );
    let listed = connections(&home);
    let id_of = |seller: &str| {
        listed
            .iter()
            .find(|c| c["account"]["selling_partner_id"] == seller)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (id_a, id_b) = (id_of(&a), id_of(&b));
    let status_b =
        listed.iter().find(|c| c["id"] == id_b.as_str()).unwrap()["status"]["status"].clone();
    assert_eq!(status_b, "unverified");
    // --no-verify cannot renew: a renewal is stored only once Amazon accepted the token.
    let renewal_token = amazon.authorize(&a).await;
    let renewal = tokio::task::block_in_place(|| {
        home.run_with_stdin(
            &[
                "--json",
                "connection",
                "add-spapi",
                "--no-verify",
                "--merchant",
                MERCHANT,
                "--selling-partner-id",
                &a,
                "--marketplace-id",
                JAPAN,
            ],
            &format!("{renewal_token}\n"),
        )
    });
    assert_eq!(
        refusal(&renewal)["code"],
        "spapi_renewal_needs_verification"
    );
    transcripts.push(renewal);
    for args in [
        vec!["connection", "list"],
        vec!["connection", "show", &id_a],
        vec!["--json", "connection", "show", &id_b],
        vec!["connection", "verify", &id_b],
        vec!["--json", "sync", "--all"],
        vec!["keys", "rotate"],
        vec!["--json", "connection", "show", &id_a],
    ] {
        transcripts.push(tokio::task::block_in_place(|| home.run(&args)));
    }
    let verified =
        tokio::task::block_in_place(|| home.run(&["--json", "connection", "show", &id_b]));
    assert_eq!(
        verified.assert_ok().json()["connection"]["status"]["status"],
        "active",
        "`connection verify` proved the unverified connection"
    );
    assert!(
        transcripts.iter().any(|r| r.stderr.contains("TRACE")),
        "logs were captured at TRACE"
    );
    let secrets: Vec<String> = [&token_a, &token_b]
        .iter()
        .flat_map(|token| fragments(token))
        .collect();
    for run in &transcripts {
        for fragment in &secrets {
            assert!(
                !run.stdout.contains(fragment.as_str()),
                "stdout leaks: {}",
                run.stdout
            );
            assert!(
                !run.stderr.contains(fragment.as_str()),
                "logs leak: {}",
                run.stderr
            );
        }
    }
    for (path, bytes) in home.all_file_bytes() {
        for fragment in &secrets {
            let found = bytes
                .windows(fragment.len())
                .any(|window| window == fragment.as_bytes());
            assert!(!found, "{} holds a refresh token in clear", path.display());
        }
    }
}
