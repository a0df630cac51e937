use sellerlink_secrets::secrecy::{ExposeSecret, SecretString};
use sellerlink_secrets::{Keyring, Sealed, SecretsError};

use crate::support::{TOKEN, ctx, key, token};

fn opens(keyring: &Keyring, record: &str, sealed: &Sealed) -> bool {
    keyring
        .open(&ctx(record), sealed)
        .is_ok_and(|s| s.expose_secret() == TOKEN)
}

#[test]
fn file_rotation_reseals_rows_and_retires_the_old_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");

    // Arrange: three rows sealed under the first key.
    let before = Keyring::load_or_create_file(&path).unwrap();
    let k1 = *before.current_id();
    let rows: Vec<Sealed> = ["1", "2", "3"]
        .iter()
        .map(|id| before.seal(&ctx(id), &token()).unwrap())
        .collect();

    // Rotate: a new current key, the old one kept.
    let k2 = Keyring::rotate_file(&path).unwrap();
    assert_ne!(k2, k1);
    let after = Keyring::load_file(&path).unwrap();
    assert_eq!(after.current_id(), &k2);
    assert!(after.contains(&k1));
    assert_eq!(after.key_ids().copied().collect::<Vec<_>>(), vec![k2, k1]);

    // Old rows still open, in the reloaded keyring and in a process that has not reloaded.
    for (id, row) in ["1", "2", "3"].iter().zip(&rows) {
        assert!(opens(&after, id, row));
        assert!(opens(&before, id, row));
    }
    // New seals use the new key and need no reseal.
    let fresh = after.seal(&ctx("4"), &token()).unwrap();
    assert_eq!(fresh.kek_id(), &k2);
    assert!(after.reseal(&ctx("4"), &fresh).unwrap().is_none());

    // Reseal rows 1 and 2 only: the data key moves, the payload stays.
    let mut resealed = Vec::new();
    for (id, row) in ["1", "2"].iter().zip(&rows) {
        let moved = after
            .reseal(&ctx(id), row)
            .unwrap()
            .expect("row is under the old key");
        assert_eq!(moved.kek_id(), &k2);
        assert_eq!(moved.ciphertext(), row.ciphertext());
        assert_eq!(moved.nonce(), row.nonce());
        assert_ne!(moved.wrapped_dek(), row.wrapped_dek());
        assert!(after.reseal(&ctx(id), &moved).unwrap().is_none());
        resealed.push(moved);
    }

    // A process still holding only k1 cannot open moved rows until it reloads.
    match before.open(&ctx("1"), &resealed[0]) {
        Err(SecretsError::UnknownKey { kek_id }) => assert_eq!(kek_id, k2),
        other => panic!("expected UnknownKey, got {other:?}"),
    }
    assert!(opens(
        &Keyring::load_file(&path).unwrap(),
        "1",
        &resealed[0]
    ));

    // Retire k1: moved rows still open, the row never resealed does not.
    Keyring::retire_file_key(&path, &k1).unwrap();
    let retired = Keyring::load_file(&path).unwrap();
    assert!(!retired.contains(&k1));
    assert!(opens(&retired, "1", &resealed[0]));
    assert!(opens(&retired, "2", &resealed[1]));
    assert!(opens(&retired, "4", &fresh));
    match retired.open(&ctx("3"), &rows[2]) {
        Err(SecretsError::UnknownKey { kek_id }) => assert_eq!(kek_id, k1),
        other => panic!("expected UnknownKey, got {other:?}"),
    }
}

#[test]
fn reseal_refuses_a_row_opened_in_the_wrong_context() {
    let old = Keyring::new(key(1), []);
    let rotated = Keyring::new(key(2), [key(1)]);
    let row = old.seal(&ctx("1"), &token()).unwrap();
    let err = rotated.reseal(&ctx("2"), &row).unwrap_err();
    assert!(matches!(err, SecretsError::Tampered { .. }), "{err:?}");
}

#[test]
fn reseal_reports_a_damaged_payload() {
    let old = Keyring::new(key(1), []);
    let rotated = Keyring::new(key(2), [key(1)]);
    let mut bytes = old.seal(&ctx("1"), &token()).unwrap().to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x80;
    let err = rotated
        .reseal(&ctx("1"), &Sealed::from_bytes(&bytes).unwrap())
        .unwrap_err();
    assert!(matches!(err, SecretsError::Tampered { .. }), "{err:?}");
}

#[test]
fn environment_rotation_opens_old_rows_and_reseals_them() {
    use base64::Engine as _;
    let b64 =
        |seed| base64::engine::general_purpose::STANDARD.encode(crate::support::key_bytes(seed));
    let old = Keyring::from_env_value(&b64(1), &[]).unwrap();
    let row = old.seal(&ctx("1"), &SecretString::from(TOKEN)).unwrap();

    let rotated = Keyring::from_env_value(&b64(2), &[&b64(1)]).unwrap();
    assert!(opens(&rotated, "1", &row));
    let moved = rotated.reseal(&ctx("1"), &row).unwrap().unwrap();
    assert_eq!(moved.kek_id(), rotated.current_id());

    let only_new = Keyring::from_env_value(&b64(2), &[]).unwrap();
    assert!(opens(&only_new, "1", &moved));
    assert!(matches!(
        only_new.open(&ctx("1"), &row),
        Err(SecretsError::UnknownKey { .. })
    ));
}

#[test]
fn retiring_the_current_or_an_absent_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let keyring = Keyring::load_or_create_file(&path).unwrap();
    let err = Keyring::retire_file_key(&path, keyring.current_id()).unwrap_err();
    assert!(
        matches!(err, SecretsError::CannotRetireCurrent { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("rotate first"), "{err}");
    let absent = *key(9).id();
    let err = Keyring::retire_file_key(&path, &absent).unwrap_err();
    assert!(matches!(err, SecretsError::UnknownKey { .. }), "{err:?}");
}

#[test]
fn rotating_without_a_key_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.json");
    let err = Keyring::rotate_file(&path).unwrap_err();
    assert!(
        matches!(err, SecretsError::KeyFileMissing { .. }),
        "{err:?}"
    );
    assert!(!path.exists());
}
