use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use proptest::prelude::*;
use sellerlink_secrets::{
    KeyProblem, KeySource, Keyring, MASTER_KEY_VAR, PREVIOUS_MASTER_KEYS_VAR, SecretsError,
};

use crate::support::{key, key_bytes};

fn b64(seed: u8) -> String {
    STANDARD.encode(key_bytes(seed))
}

fn hex_of(seed: u8) -> String {
    hex::encode(key_bytes(seed))
}

fn problem(err: &SecretsError) -> (&'static str, Option<usize>, KeyProblem) {
    match err {
        SecretsError::InvalidMasterKey {
            variable,
            entry,
            problem,
        } => (variable, *entry, *problem),
        other => panic!("expected InvalidMasterKey, got {other:?}"),
    }
}

#[test]
fn base64_and_hex_values_give_the_same_key() {
    let from_b64 = Keyring::from_env_value(&b64(1), &[]).unwrap();
    let from_hex = Keyring::from_env_value(&hex_of(1), &[]).unwrap();
    assert_eq!(from_b64.current_id(), key(1).id());
    assert_eq!(from_hex.current_id(), key(1).id());
    assert_eq!(from_b64.source(), &KeySource::Environment);
}

#[test]
fn previous_keys_are_accepted_and_deduplicated() {
    let keyring = Keyring::from_env_value(&b64(1), &[&hex_of(2), &b64(2), &b64(1)]).unwrap();
    assert_eq!(
        keyring.key_ids().copied().collect::<Vec<_>>(),
        vec![*key(1).id(), *key(2).id()]
    );
}

#[test]
fn wrong_length_names_the_variable_and_the_expected_format() {
    let short = STANDARD.encode([7_u8; 16]);
    let err = Keyring::from_env_value(&short, &[]).unwrap_err();
    assert_eq!(
        problem(&err),
        (
            MASTER_KEY_VAR,
            None,
            KeyProblem::DecodedLength { bytes: 16 }
        )
    );
    let msg = err.to_string();
    assert!(
        msg.starts_with("SELLERLINK_MASTER_KEY is not a usable master key"),
        "{msg}"
    );
    assert!(msg.contains("decodes to 16 bytes instead of 32"), "{msg}");
    assert!(
        msg.contains("standard base64") && msg.contains("64 hex digits"),
        "{msg}"
    );
    assert!(!msg.contains(&short), "{msg}");

    let err = Keyring::from_env_value(&hex_of(1)[..62], &[]).unwrap_err();
    assert_eq!(problem(&err).2, KeyProblem::HexDigitCount { digits: 62 });
}

#[test]
fn bad_alphabet_names_the_position_but_not_the_value() {
    let mut value = b64(1);
    value.replace_range(10..11, "-");
    let err = Keyring::from_env_value(&value, &[]).unwrap_err();
    assert_eq!(
        problem(&err),
        (MASTER_KEY_VAR, None, KeyProblem::Alphabet { position: 11 })
    );
    let msg = err.to_string();
    assert!(msg.contains("character 11"), "{msg}");
    assert!(!msg.contains(&value), "{msg}");
}

#[test]
fn a_bad_previous_key_names_its_variable_and_entry() {
    let err = Keyring::from_env_value(&b64(1), &[&b64(2), "not-a-key"]).unwrap_err();
    assert_eq!(problem(&err).0, PREVIOUS_MASTER_KEYS_VAR);
    assert_eq!(problem(&err).1, Some(2));
    assert!(
        err.to_string()
            .starts_with("SELLERLINK_PREVIOUS_MASTER_KEYS (entry 2) is not"),
        "{err}"
    );
    let err = Keyring::from_env_value("", &[]).unwrap_err();
    assert_eq!(problem(&err).2, KeyProblem::Empty);
}

#[test]
fn resolve_prefers_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let previous = format!("{}, ,{}", b64(2), hex_of(3));
    let keyring = Keyring::resolve(Some(&b64(1)), Some(&previous), &path).unwrap();
    assert_eq!(keyring.source(), &KeySource::Environment);
    assert_eq!(keyring.key_ids().count(), 3);
    assert!(
        !path.exists(),
        "no key file is created when the environment provides the key"
    );
}

#[test]
fn resolve_falls_back_to_the_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let first = Keyring::resolve(None, None, &path).unwrap();
    assert_eq!(first.source(), &KeySource::File(path.clone()));
    let again = Keyring::resolve(None, Some(""), &path).unwrap();
    assert_eq!(again.current_id(), first.current_id());
}

#[test]
fn resolve_refuses_previous_keys_without_a_current_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let err = Keyring::resolve(None, Some(&b64(2)), &path).unwrap_err();
    assert!(
        matches!(err, SecretsError::PreviousKeysWithoutCurrent),
        "{err:?}"
    );
    assert!(!path.exists());
    let err = Keyring::resolve(Some(" "), None, &path).unwrap_err();
    assert_eq!(problem(&err).2, KeyProblem::Empty);
}

proptest! {
    #[test]
    fn errors_never_echo_the_value(value in "[!-~]{8,80}") {
        if let Err(err) = Keyring::from_env_value(&value, &[]) {
            prop_assert!(!err.to_string().contains(&value));
            let debug = format!("{err:?}");
            prop_assert!(!debug.contains(&value));
        }
        if let Err(err) = Keyring::from_env_value(&b64(1), &[&value]) {
            prop_assert!(!err.to_string().contains(&value));
            let debug = format!("{err:?}");
            prop_assert!(!debug.contains(&value));
        }
    }
}
