//! `connection add` date checks, `renew`/`restore --on`, and `replace-token` through the binary.

use crate::amazon::Amazon;
use crate::support::{Home, JAPAN, SELLER, TOKEN};

fn add_with(home: &Home, dates: &[&str]) -> crate::support::Run {
    let mut args = vec![
        "--json",
        "connection",
        "add",
        "--no-verify",
        "--merchant",
        "Takumi",
        "--seller-id",
        SELLER,
        "--marketplace-id",
        JAPAN,
        "--auth-token",
        TOKEN,
    ];
    args.extend_from_slice(dates);
    home.run(&args)
}

fn days_from_today(days: i64) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap())
        .date();
    today
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

#[test]
fn dates_are_checked_and_renewals_take_the_day_done() {
    let home = Home::new();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();

    // An expiry more than a year after the last approval, and a last approval in the future, are refused.
    let beyond = add_with(
        &home,
        &[
            "--granted-at",
            "2025-01-10T00:00:00Z",
            "--expires-on",
            "2026-02-01",
        ],
    );
    assert!(!beyond.status.success());
    let error = &beyond.json()["error"];
    assert_eq!(error["field"], "expires_on", "{error}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("more than a year")
    );
    assert!(
        error["message_ja"]
            .as_str()
            .unwrap()
            .contains("1年を超えています")
    );
    let tomorrow = days_from_today(1);
    let future = add_with(&home, &["--last-approved", &tomorrow]);
    assert_eq!(future.json()["error"]["field"], "last_approved_on");
    assert!(
        home.run(&["--json", "connection", "list"])
            .assert_ok()
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Granted 300 days ago; approved again 5 days ago, recorded today with --on.
    let granted = format!("{} 09:00:00 JST", days_from_today(-300));
    let view = add_with(&home, &["--granted-at", &granted])
        .assert_ok()
        .json();
    let id = view["id"].as_str().unwrap().to_owned();
    let approved = days_from_today(-5);
    let renewed = home
        .run(&["--json", "connection", "renew", &id, "--on", &approved])
        .assert_ok()
        .json();
    assert_eq!(renewed["grant"]["last_approved_on"], approved.as_str());
    let future = home.run(&["--json", "connection", "renew", &id, "--on", &tomorrow]);
    assert!(!future.status.success());
    assert_eq!(future.json()["error"]["field"], "on");
    let not_a_date = home.run(&["connection", "restore", &id, "--on", "5/1"]);
    assert!(
        not_a_date.stderr.contains("YYYY-MM-DD"),
        "{}",
        not_a_date.stderr
    );
    let refused = home.run(&["connection", "restore", &id, "--on", &approved]);
    assert!(refused.stderr.contains("use renew"), "{}", refused.stderr);

    // Replacing the token of a connection whose access still works is refused before anything is asked.
    let early = home.run_with_stdin(
        &["--json", "connection", "replace-token", &id],
        &format!("{TOKEN}\n"),
    );
    assert!(!early.status.success());
    assert_eq!(early.json()["error"]["code"], "lifecycle_refused");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_connection_takes_the_new_grants_token() {
    let amazon = Amazon::start(2).await;
    let home = amazon.mws_home();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let (a, b) = (amazon.seller(0), amazon.seller(1));
    let token = amazon.grant(&a).await;
    let added = tokio::task::block_in_place(|| {
        home.run_with_stdin(
            &[
                "--json",
                "connection",
                "add",
                "--merchant",
                "Takumi",
                "--seller-id",
                &a,
                "--marketplace-id",
                JAPAN,
            ],
            &format!("{token}\n"),
        )
    });
    let id = added.assert_ok().json()["id"].as_str().unwrap().to_owned();
    amazon.act(&a, "revoke").await;
    home.run(&["connection", "revoke", &id]).assert_ok();

    let replace = |token: &str| {
        tokio::task::block_in_place(|| {
            home.run_with_stdin(
                &["--json", "connection", "replace-token", &id],
                &format!("{token}\n"),
            )
        })
    };
    // Seller B's token: Amazon refuses it, nothing changes.
    let other = replace(&amazon.grant(&b).await);
    assert!(!other.status.success());
    assert_eq!(other.json()["error"]["code"], "token_for_another_seller");
    let shown = home
        .run(&["--json", "connection", "show", &id])
        .assert_ok()
        .json();
    assert_eq!(shown["connection"]["status"]["status"], "revoked");

    // Seller A grants access again: a new token, verified, a new year.
    let new_token = amazon.grant(&a).await;
    assert_ne!(new_token, token);
    let replaced = replace(&new_token).assert_ok().json();
    assert_eq!(replaced["id"], id.as_str());
    assert_eq!(replaced["status"]["status"], "active");
    assert!(replaced["verified_at"].is_string());
    assert!(replaced["days_until_expiry"].as_i64().unwrap() >= 365);
    let shown = home
        .run(&["--json", "connection", "show", &id])
        .assert_ok()
        .json();
    assert_eq!(shown["audit"][0]["action"], "credential_replaced");
    assert!(
        !home
            .run(&["connection", "show", &id])
            .stdout
            .contains(&new_token)
    );
}
