//! No key material and no plaintext in `Debug` output or error messages.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sellerlink_secrets::secrecy::{ExposeSecret, SecretString};
use sellerlink_secrets::{KeyId, Keyring, MasterKey, SealContext, Sealed};

use crate::support::{TOKEN, assert_hides, ctx, key, key_bytes, token};

/// Every text form of key `seed` that could leak.
fn key_forms(seed: u8) -> Vec<String> {
    let bytes = key_bytes(seed);
    vec![
        STANDARD.encode(bytes),
        hex::encode(bytes),
        hex::encode_upper(bytes),
        format!("{bytes:?}"),
    ]
}

/// Formats `value` with Display-less Debug, pretty Debug and, if given, Display.
fn renderings(debug: &dyn std::fmt::Debug, display: Option<&dyn std::fmt::Display>) -> Vec<String> {
    let mut out = vec![format!("{debug:?}"), format!("{debug:#?}")];
    if let Some(display) = display {
        out.push(display.to_string());
    }
    out
}

fn assert_clean(texts: &[String], seeds: &[u8]) {
    for text in texts {
        assert_hides(text, TOKEN, "the token");
        for &seed in seeds {
            for form in key_forms(seed) {
                assert_hides(text, &form, "key material");
            }
        }
    }
}

#[test]
fn debug_of_every_type_hides_keys_and_plaintext() {
    let master = key(1);
    let keyring = Keyring::new(key(1), [key(2)]);
    let sealed = keyring.seal(&ctx("42"), &token()).unwrap();
    let opened = keyring.open(&ctx("42"), &sealed).unwrap();
    assert_eq!(opened.expose_secret(), TOKEN);
    let exported = master.export_base64();
    let id: KeyId = *master.id();
    let context: SealContext = ctx("42");

    let mut texts = Vec::new();
    texts.extend(renderings(&master, None));
    texts.extend(renderings(&keyring, None));
    texts.extend(renderings(&sealed, None));
    texts.extend(renderings(&opened, None));
    texts.extend(renderings(&exported, None));
    texts.extend(renderings(&id, Some(&id)));
    texts.extend(renderings(&context, Some(&context)));
    texts.extend(renderings(keyring.source(), None));
    assert_clean(&texts, &[1, 2]);
    // The Debug output still says which key is which.
    assert!(format!("{master:?}").contains(&id.to_string()));
    assert!(format!("{keyring:?}").contains(&key(2).id().to_string()));
}

#[test]
fn error_messages_hide_keys_and_plaintext() {
    let keyring = Keyring::new(key(1), []);
    let sealed = keyring.seal(&ctx("42"), &token()).unwrap();
    let mut bytes = sealed.to_bytes();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;

    let errors = vec![
        keyring.open(&ctx("43"), &sealed).unwrap_err(),
        keyring
            .open(&ctx("42"), &Sealed::from_bytes(&bytes).unwrap())
            .unwrap_err(),
        Keyring::new(key(2), [])
            .open(&ctx("42"), &sealed)
            .unwrap_err(),
        Keyring::new(key(2), [])
            .reseal(&ctx("42"), &sealed)
            .unwrap_err(),
        Keyring::from_env_value(&STANDARD.encode(&key_bytes(1)[..31]), &[]).unwrap_err(),
        Keyring::from_env_value(&format!("{}!", &STANDARD.encode(key_bytes(1))[..43]), &[])
            .unwrap_err(),
        Keyring::from_env_value(&hex::encode(key_bytes(1))[..63], &[]).unwrap_err(),
        Keyring::from_env_value(
            &STANDARD.encode(key_bytes(2)),
            &[&hex::encode(&key_bytes(1)[..30])],
        )
        .unwrap_err(),
        Sealed::from_text(TOKEN).unwrap_err(),
    ];
    let mut texts = Vec::new();
    for err in &errors {
        texts.extend(renderings(err, Some(err)));
    }
    assert_clean(&texts, &[1, 2]);
}

#[test]
fn key_file_errors_hide_the_keys_inside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.json");
    let good = STANDARD.encode(key_bytes(1));
    let short = STANDARD.encode(&key_bytes(2)[..30]);
    let id = key(1).id().to_string();
    let bodies = [
        // A key of the wrong length.
        format!(
            r#"{{"version":1,"current":"{id}","keys":[{{"id":"{id}","key":"{short}","created_at":"2026-01-01T00:00:00Z"}}]}}"#
        ),
        // A key of the wrong JSON type (serde would quote it).
        format!(
            r#"{{"version":1,"current":"{id}","keys":[{{"id":"{id}","key":{{"v":"{good}"}},"created_at":"2026-01-01T00:00:00Z"}}]}}"#
        ),
        // Unparseable JSON right after a key.
        format!(r#"{{"version":1,"current":"{id}","keys":[{{"id":"{id}","key":"{good}" "#),
        // A key as the id.
        format!(r#"{{"version":1,"current":"{good}","keys":[]}}"#),
    ];
    let mut texts = Vec::new();
    for body in &bodies {
        fs::write(&path, body).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let err = Keyring::load_or_create_file(&path).unwrap_err();
        texts.extend(renderings(&err, Some(&err)));
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let err = Keyring::load_or_create_file(&path).unwrap_err();
    texts.extend(renderings(&err, Some(&err)));
    assert_clean(&texts, &[1, 2]);
}

#[test]
fn master_key_export_is_the_only_way_out() {
    let master = MasterKey::from_bytes(key_bytes(1));
    let exported: SecretString = master.export_base64();
    assert_eq!(exported.expose_secret(), STANDARD.encode(key_bytes(1)));
    assert_eq!(format!("{exported:?}"), "SecretBox<str>([REDACTED])");
}
