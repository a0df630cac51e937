use crate::support::{Home, JAPAN, Run, SELLER, TOKEN};

/// What the database holds, as the CLI shows it (without the instant the status was derived at).
fn state(home: &Home) -> (serde_json::Value, serde_json::Value, Vec<serde_json::Value>) {
    let mut connections = home
        .run(&["--json", "connection", "list"])
        .assert_ok()
        .json();
    let mut audits = Vec::new();
    for connection in connections.as_array_mut().unwrap() {
        connection.as_object_mut().unwrap().remove("as_of");
        let id = connection["id"].as_str().unwrap().to_owned();
        audits.push(
            home.run(&["--json", "connection", "show", &id])
                .assert_ok()
                .json()["audit"]
                .clone(),
        );
    }
    let merchants = home.run(&["--json", "merchant", "list"]).assert_ok().json();
    (connections, merchants, audits)
}

#[test]
fn add_list_show_and_lifecycle_through_the_binary() {
    let home = Home::new();
    let id = home.merchant_with_connection();

    let listed = home
        .run(&["--json", "connection", "list"])
        .assert_ok()
        .json();
    let first = &listed[0];
    assert_eq!(first["id"], id.as_str());
    assert_eq!(first["status"]["status"], "unverified");
    assert_eq!(first["account"]["seller_id"], SELLER);
    assert!(first["days_until_expiry"].as_i64().unwrap() >= 365);
    assert_eq!(first["credential_masked"], "amzn.mws.…0ffee1");

    let table = home.run(&["connection", "list"]);
    assert!(
        table.assert_ok().stdout.contains("unverified"),
        "{}",
        table.stdout
    );

    // R3: restore while still valid is refused, with the fix in both languages, and nothing changes.
    let before = state(&home);
    let refused = home.run(&["connection", "restore", &id]);
    assert!(!refused.status.success());
    assert!(refused.stderr.contains("use renew"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("アクセス権を承認"),
        "{}",
        refused.stderr
    );
    assert_eq!(state(&home), before);

    // R2 renew today, R5 enable-expiry refused (already on), revoke, then renew refused.
    home.run(&["connection", "renew", &id]).assert_ok();
    assert!(
        !home
            .run(&["connection", "enable-expiry", &id])
            .status
            .success()
    );
    home.run(&["connection", "revoke", &id]).assert_ok();
    let after_revoke = home
        .run(&["--json", "connection", "show", &id])
        .assert_ok()
        .json();
    assert_eq!(after_revoke["connection"]["status"]["status"], "revoked");
    let actions: Vec<&str> = after_revoke["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["revoked", "renewed", "connection_created"]);
    assert!(!home.run(&["connection", "renew", &id]).status.success());

    // Remove needs --yes.
    assert!(!home.run(&["connection", "remove", &id]).status.success());
    home.run(&["connection", "remove", &id, "--yes"])
        .assert_ok();
    assert_eq!(
        home.run(&["--json", "connection", "list"])
            .assert_ok()
            .json(),
        serde_json::json!([])
    );
}

#[test]
fn grants_read_off_seller_central_keep_their_dates() {
    let home = Home::new();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let added = home.run(&[
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
        "--granted-at",
        "2018-04-17 10:26:33 JST",
    ]);
    let view = added.assert_ok().json();
    assert_eq!(view["grant"]["last_approved_on"], "2018-04-17");
    assert_eq!(view["expires_on"], "2019-04-17");
    assert_eq!(view["status"]["status"], "expired");
    assert_eq!(view["grant"]["granted_at"], "2018-04-17T01:26:33Z");
}

/// `connection add` of a second seller account for the demo merchant, with `extra` options and the token on stdin.
fn add_second_seller(home: &Home, extra: &[&str]) -> Run {
    let mut args = vec![
        "connection",
        "add",
        "--no-verify",
        "--merchant",
        "株式会社たくみ",
        "--seller-id",
        "A9B8C7D6E5F4G3",
        "--marketplace-id",
        JAPAN,
    ];
    args.extend_from_slice(extra);
    home.run_with_stdin(&args, &format!("{TOKEN}\n"))
}

#[test]
fn grant_dates_before_mws_or_in_the_future_are_refused_and_change_nothing() {
    let home = Home::new();
    home.merchant_with_connection();
    let before = state(&home);
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--granted-at", "0000-01-01 00:00:00"],
            "Grant date",
            "権限の付与日",
        ),
        (
            &["--granted-at", "2008-12-31 23:59:59"],
            "Grant date",
            "2009-01-01",
        ),
        (
            &[
                "--granted-at",
                "2020-01-10 09:00:00",
                "--last-approved",
                "2099-01-01",
            ],
            "Last approval date",
            "前回承認日",
        ),
        (
            &["--last-approved", "0001-01-01"],
            "Last approval date",
            "2009-01-01",
        ),
        (
            &[
                "--granted-at",
                "2020-01-10 09:00:00",
                "--expires-on",
                "2099-01-01",
            ],
            "アクセス権の有効期限日",
            "2021-01-10",
        ),
    ];
    for (dates, field, detail) in cases {
        let run = add_second_seller(&home, dates);
        assert!(!run.status.success(), "{dates:?} was accepted");
        assert!(
            run.stderr.contains(field) && run.stderr.contains(detail),
            "{dates:?}: {}",
            run.stderr
        );
    }
    assert_eq!(state(&home), before, "a refused date changed the database");
}

#[test]
fn malformed_values_name_the_field_and_format_and_change_nothing() {
    let home = Home::new();
    home.merchant_with_connection();
    let before = state(&home);
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["--seller-id", "A1B2-C3D4E5F6", "--marketplace-id", JAPAN],
            "Seller ID",
            "e.g. A1B2C3D4E5F6G7",
        ),
        (
            &[
                "--seller-id",
                "A9B8C7D6E5F4G3",
                "--marketplace-id",
                "A1VC38T7YXB529",
            ],
            "Marketplace ID",
            "e.g. A1VC38T7YXB528",
        ),
    ];
    for (args, field, format) in cases {
        let mut full = vec![
            "connection",
            "add",
            "--no-verify",
            "--merchant",
            "株式会社たくみ",
        ];
        full.extend_from_slice(args);
        let run = home.run_with_stdin(&full, &format!("{TOKEN}\n"));
        assert!(!run.status.success(), "{args:?} was accepted");
        assert!(
            run.stderr.contains(field) && run.stderr.contains(format),
            "{}",
            run.stderr
        );
    }
    // A malformed token from stdin: named, explained in Japanese too, never echoed.
    let bad_token = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeacXXXXX1";
    let run = home.run_with_stdin(
        &[
            "connection",
            "add",
            "--no-verify",
            "--merchant",
            "株式会社たくみ",
            "--seller-id",
            "A9B8C7D6E5F4G3",
            "--marketplace-id",
            JAPAN,
        ],
        &format!("{bad_token}\n"),
    );
    assert!(!run.status.success());
    assert!(
        run.stderr.contains("MWS Auth Token") && run.stderr.contains("MWS認証トークン"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(bad_token) && !run.stdout.contains(bad_token));
    // A bad date, an unknown merchant, a duplicate seller.
    let run = add_second_seller(&home, &["--expires-on", "2019/04/17"]);
    assert!(
        run.stderr.contains("Access expiry date")
            && run.stderr.contains("アクセス権の有効期限日")
            && run.stderr.contains("YYYY-MM-DD"),
        "{}",
        run.stderr
    );
    let run = home.run_with_stdin(
        &[
            "connection",
            "add",
            "--no-verify",
            "--merchant",
            "nobody",
            "--seller-id",
            "A9B8C7D6E5F4G3",
            "--marketplace-id",
            JAPAN,
        ],
        &format!("{TOKEN}\n"),
    );
    assert!(
        !run.status.success() && run.stderr.contains("nobody"),
        "{}",
        run.stderr
    );
    let run = home.run_with_stdin(
        &[
            "--json",
            "connection",
            "add",
            "--no-verify",
            "--merchant",
            "株式会社たくみ",
            "--seller-id",
            SELLER,
            "--marketplace-id",
            JAPAN,
        ],
        &format!("{TOKEN}\n"),
    );
    assert!(!run.status.success());
    assert_eq!(run.json()["error"]["code"], "already_connected");
    assert_eq!(
        state(&home),
        before,
        "a refused command changed the database"
    );
}

#[test]
fn json_errors_are_machine_readable() {
    let home = Home::new();
    let run = home.run(&[
        "--json",
        "connection",
        "show",
        "01890a5d-ac96-774b-bcce-b302099a8057",
    ]);
    assert!(!run.status.success());
    let error = &run.json()["error"];
    assert_eq!(error["code"], "not_found");
    assert!(error["message_ja"].as_str().unwrap().contains("接続ID"));
}
