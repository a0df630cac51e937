use crate::support::{Home, TOKEN};

/// The parts of the token that must never appear anywhere but inside ciphertext.
fn fragments() -> Vec<&'static str> {
    vec![TOKEN, &TOKEN[9..], &TOKEN[9..30], "4ea38b7b-f563"]
}

#[test]
fn the_token_never_appears_in_clear_in_files_logs_or_output() {
    let home = Home::new();
    let mut transcripts = Vec::new();
    home.run(&["merchant", "add", "--name", "Takumi"])
        .assert_ok();
    let added = home.run_with_stdin(
        &[
            "connection",
            "add",
            "--no-verify",
            "--merchant",
            "Takumi",
            "--seller-id",
            crate::support::SELLER,
            "--marketplace-id",
            crate::support::JAPAN,
        ],
        &format!("{TOKEN}\n"),
    );
    added.assert_ok();
    let id = home.run(&["--json", "connection", "list"]).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    transcripts.push(added);
    for args in [
        vec!["connection", "list"],
        vec!["--json", "connection", "list"],
        vec!["connection", "show", &id],
        vec!["--json", "connection", "show", &id],
        vec!["connection", "renew", &id],
        vec!["connection", "restore", &id],
        vec!["keys", "rotate"],
        vec!["--json", "connection", "show", &id],
    ] {
        transcripts.push(home.run(&args));
    }
    for run in &transcripts {
        for fragment in fragments() {
            assert!(
                !run.stdout.contains(fragment),
                "stdout leaks the token: {}",
                run.stdout
            );
            assert!(
                !run.stderr.contains(fragment),
                "logs leak the token: {}",
                run.stderr
            );
        }
    }
    assert!(
        transcripts
            .iter()
            .any(|r| r.stderr.contains("TRACE") || r.stderr.contains("DEBUG")),
        "logs were captured"
    );
    for (path, bytes) in home.all_file_bytes() {
        for fragment in fragments() {
            let found = bytes
                .windows(fragment.len())
                .any(|w| w == fragment.as_bytes());
            assert!(!found, "{} contains the token in clear", path.display());
        }
    }
    // After rotation the credential still opens (the masked form is derived from the plaintext).
    let shown = home
        .run(&["--json", "connection", "show", &id])
        .assert_ok()
        .json();
    assert_eq!(shown["connection"]["credential_masked"], "amzn.mws.…0ffee1");
}

#[test]
fn a_key_file_is_created_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.run(&["merchant", "list"]).assert_ok();
    let mode = std::fs::metadata(home.path().join("master.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn the_database_and_the_outbox_e_mails_are_created_with_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.merchant_with_connection();
    let channel = home
        .run(&[
            "--json",
            "notify",
            "channel",
            "add",
            "--merchant",
            "株式会社たくみ",
            "--email",
            "ops@takumi.example",
        ])
        .assert_ok()
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    home.run(&["notify", "test", &channel]).assert_ok();
    let mut files = vec![home.path().join("sellerlink.db")];
    for sibling in ["sellerlink.db-wal", "sellerlink.db-shm"] {
        let path = home.path().join(sibling);
        if path.exists() {
            files.push(path);
        }
    }
    let emails: Vec<_> = std::fs::read_dir(home.path().join("outbox"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    assert_eq!(emails.len(), 1, "{emails:?}");
    files.extend(emails);
    for path in files {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", path.display());
    }
}
