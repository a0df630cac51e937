use sellerlink_secrets::secrecy::{ExposeSecret, SecretString};
use sellerlink_secrets::{SealContext, Sealed, SecretsError};

use crate::support::{TOKEN, ctx, keyring, token};

#[test]
fn sealed_token_opens_in_its_own_context() {
    let keyring = keyring(1);
    let sealed = keyring.seal(&ctx("42"), &token()).unwrap();
    assert_eq!(sealed.kek_id(), keyring.current_id());
    let opened = keyring.open(&ctx("42"), &sealed).unwrap();
    assert_eq!(opened.expose_secret(), TOKEN);
}

#[test]
fn text_and_byte_encodings_open_after_a_round_trip() {
    let keyring = keyring(1);
    let sealed = keyring.seal(&ctx("42"), &token()).unwrap();
    let from_text = Sealed::from_text(&sealed.to_text()).unwrap();
    let from_bytes = Sealed::from_bytes(&sealed.to_bytes()).unwrap();
    assert_eq!(
        keyring
            .open(&ctx("42"), &from_text)
            .unwrap()
            .expose_secret(),
        TOKEN
    );
    assert_eq!(
        keyring
            .open(&ctx("42"), &from_bytes)
            .unwrap()
            .expose_secret(),
        TOKEN
    );
}

#[test]
fn empty_and_non_ascii_plaintexts_round_trip() {
    let keyring = keyring(1);
    for plaintext in ["", "Atzr|秘密のトークン✓"] {
        let sealed = keyring
            .seal(&ctx("7"), &SecretString::from(plaintext))
            .unwrap();
        assert_eq!(
            keyring.open(&ctx("7"), &sealed).unwrap().expose_secret(),
            plaintext
        );
    }
}

#[test]
fn ciphertext_does_not_contain_the_plaintext_and_each_seal_is_fresh() {
    let keyring = keyring(1);
    let a = keyring.seal(&ctx("42"), &token()).unwrap();
    let b = keyring.seal(&ctx("42"), &token()).unwrap();
    assert_ne!(a.to_bytes(), b.to_bytes());
    assert_ne!(a.nonce(), b.nonce());
    assert_ne!(a.wrapped_dek(), b.wrapped_dek());
    let bytes = a.to_bytes();
    assert!(
        !bytes
            .windows(8)
            .any(|w| TOKEN.as_bytes().windows(8).any(|t| t == w))
    );
}

#[test]
fn copy_to_another_record_or_field_does_not_open() {
    let keyring = keyring(1);
    let sealed = keyring.seal(&ctx("42"), &token()).unwrap();
    let elsewhere = [
        SealContext::new("connection", "43", "mws_auth_token"),
        SealContext::new("connection", "42", "refresh_token"),
        SealContext::new("merchant", "42", "mws_auth_token"),
    ];
    for other in &elsewhere {
        let err = keyring.open(other, &sealed).unwrap_err();
        assert!(
            matches!(err, SecretsError::Tampered { .. }),
            "{other:?}: {err:?}"
        );
        assert!(err.to_string().contains(&other.to_string()), "{err}");
    }
}

#[test]
fn another_keyring_cannot_open() {
    let sealed = keyring(1).seal(&ctx("42"), &token()).unwrap();
    let err = keyring(2).open(&ctx("42"), &sealed).unwrap_err();
    match err {
        SecretsError::UnknownKey { kek_id } => assert_eq!(&kek_id, keyring(1).current_id()),
        other => panic!("expected UnknownKey, got {other:?}"),
    }
}
