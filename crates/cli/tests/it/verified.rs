//! Verified onboarding and import through the binary, against a real sandbox over HTTPS.

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN};

fn add(home: &Home, seller: &str, marketplace: &str, token: &str) -> crate::support::Run {
    home.run_with_stdin(
        &[
            "--json",
            "connection",
            "add",
            "--merchant",
            "Takumi",
            "--seller-id",
            seller,
            "--marketplace-id",
            marketplace,
        ],
        &format!("{token}\n"),
    )
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
async fn onboarding_is_verified_and_each_refusal_says_what_to_do() {
    let amazon = Amazon::start(3).await;
    let home = amazon.mws_home();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let (a, b) = (amazon.seller(0), amazon.seller(1));
    let (token_a, token_b) = (amazon.grant(&a).await, amazon.grant(&b).await);

    // A token issued to seller B, typed with seller A's id.
    let run = tokio::task::block_in_place(|| add(&home, &a, JAPAN, &token_b));
    assert!(!run.status.success());
    let error = &run.json()["error"];
    assert_eq!(error["code"], "token_for_another_seller", "{error}");
    assert!(
        error["message_ja"].as_str().unwrap().contains("同じ画面"),
        "{error}"
    );
    // A marketplace the seller does not sell in.
    let run = tokio::task::block_in_place(|| add(&home, &a, "ATVPDKIKX0DER", &token_a));
    assert_eq!(
        run.json()["error"]["code"],
        "marketplace_not_participating",
        "{}",
        run.stdout
    );
    assert_eq!(
        connection_count(&home),
        0,
        "refused onboarding stores nothing"
    );

    // The right values: verified, with Amazon's marketplace name.
    let run = tokio::task::block_in_place(|| add(&home, &a, JAPAN, &token_a));
    let view = run.assert_ok().json();
    assert_eq!(view["status"]["status"], "active");
    assert!(view["verified_at"].is_string());
    assert_eq!(view["marketplaces"][0]["name"], "Amazon.co.jp");
    let id = view["id"].as_str().unwrap().to_owned();

    // Import, then again: nothing new the second time.
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
    let again = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--connection", &id]));
    assert_eq!(again.assert_ok().json()[0]["orders_new"], 0);

    // Revoked and expired grants: their own messages; nothing stored.
    let c = amazon.seller(2);
    let token_c = amazon.grant(&c).await;
    amazon.act(&c, "expire").await;
    let run = tokio::task::block_in_place(|| add(&home, &c, JAPAN, &token_c));
    let error = &run.json()["error"];
    assert_eq!(error["code"], "access_expired", "{error}");
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("アクセス権の復元"),
        "{error}"
    );
    amazon.act(&c, "restore").await;
    amazon.act(&c, "revoke").await;
    let run = tokio::task::block_in_place(|| add(&home, &c, JAPAN, &token_c));
    assert_eq!(
        run.json()["error"]["code"],
        "access_revoked",
        "{}",
        run.stdout
    );
    assert_eq!(connection_count(&home), 1);

    // Access lost after onboarding: the sync pauses with access denied; verify after restore resumes it.
    amazon.act(&a, "expire").await;
    let paused = tokio::task::block_in_place(|| home.run(&["--json", "sync", "--connection", &id]));
    assert_eq!(
        paused.json()[0]["outcome"],
        "paused_access_denied",
        "{}",
        paused.stdout
    );
    let shown = tokio::task::block_in_place(|| home.run(&["--json", "connection", "show", &id]));
    assert_eq!(
        shown.assert_ok().json()["connection"]["status"]["status"],
        "access_denied"
    );
    amazon.act(&a, "restore").await;
    tokio::task::block_in_place(|| home.run(&["connection", "verify", &id])).assert_ok();
    let resumed =
        tokio::task::block_in_place(|| home.run(&["--json", "sync", "--connection", &id]));
    assert_eq!(resumed.assert_ok().json()[0]["outcome"], "completed");
}

#[tokio::test(flavor = "multi_thread")]
async fn amazon_unreachable_stores_nothing() {
    let home = Home::new()
        .with_env("SELLERLINK_MWS_ENDPOINT", "http://127.0.0.1:9/")
        .with_env("SELLERLINK_MWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
        .with_env(
            "SELLERLINK_MWS_SECRET_KEY",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        );
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let run = add(&home, "A1B2C3D4E5F6G7", JAPAN, crate::support::TOKEN);
    assert_eq!(
        run.json()["error"]["code"],
        "amazon_unreachable",
        "{}",
        run.stdout
    );
    assert_eq!(connection_count(&home), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn buyer_data_of_finished_orders_is_erased_after_the_retention_period_and_nothing_else() {
    let amazon = Amazon::start(1).await;
    let home = amazon.mws_home();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let seller = amazon.seller(0);
    let token = amazon.grant(&seller).await;
    let id = tokio::task::block_in_place(|| add(&home, &seller, JAPAN, &token))
        .assert_ok()
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    tokio::task::block_in_place(|| home.run(&["sync", "--connection", &id])).assert_ok();
    let list = || {
        tokio::task::block_in_place(|| home.run(&["--json", "orders", "list", "--limit", "1000"]))
            .assert_ok()
            .json()
    };
    let before = list();

    let days = 3;
    let erased = tokio::task::block_in_place(|| {
        home.run(&[
            "--json",
            "orders",
            "erase-buyer-data",
            "--older-than-days",
            &days.to_string(),
        ])
    });
    let erased = erased.assert_ok().json()["erased"].as_u64().unwrap();

    // Exactly the shipped or cancelled orders Amazon last updated more than 3 days ago lost name and address.
    let cut_off = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days);
    let finished = ["Shipped", "Canceled", "Unfulfillable"];
    let due = |order: &serde_json::Value| {
        let updated: jiff::Timestamp = order["order"]["last_update_date"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        finished.contains(&order["order"]["status"].as_str().unwrap()) && updated < cut_off
    };
    let expected = before
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| due(o) && !o["order"]["buyer_name"].is_null())
        .count() as u64;
    assert!(expected > 0, "the sandbox has old shipped orders: {before}");
    assert_eq!(erased, expected);
    let after = list();
    for (old, new) in before
        .as_array()
        .unwrap()
        .iter()
        .zip(after.as_array().unwrap())
    {
        assert_eq!(
            old["order"]["amazon_order_id"],
            new["order"]["amazon_order_id"]
        );
        if due(old) {
            assert!(new["order"]["buyer_name"].is_null(), "{new}");
            assert!(new["order"]["shipping_address"].is_null(), "{new}");
        } else {
            assert_eq!(old["order"]["buyer_name"], new["order"]["buyer_name"]);
            assert_eq!(
                old["order"]["shipping_address"],
                new["order"]["shipping_address"]
            );
        }
        assert_eq!(old["order"]["items"], new["order"]["items"], "items stay");
        assert_eq!(old["order"]["status"], new["order"]["status"]);
    }

    // A retention of 0 days is refused at the edge.
    let zero = tokio::task::block_in_place(|| {
        home.run(&["orders", "erase-buyer-data", "--older-than-days", "0"])
    });
    assert!(!zero.status.success());
    assert!(zero.stderr.contains("older-than-days"), "{}", zero.stderr);
}
