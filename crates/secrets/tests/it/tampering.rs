use proptest::prelude::*;
use proptest::sample::Index;
use sellerlink_secrets::secrecy::SecretString;
use sellerlink_secrets::{KeyId, Sealed, SecretsError};

use crate::support::{ctx, keyring, token};

/// Offset of the first byte after the version byte and the key id.
const AFTER_KEY_ID: usize = 1 + KeyId::LEN;

proptest! {
    #[test]
    fn any_bit_flip_fails_to_open(plaintext in "\\PC{0,64}", bit in any::<Index>()) {
        let keyring = keyring(1);
        let sealed = keyring.seal(&ctx("42"), &SecretString::from(plaintext)).unwrap();
        let mut bytes = sealed.to_bytes();
        let bit = bit.index(bytes.len() * 8);
        bytes[bit / 8] ^= 1 << (bit % 8);

        let outcome = Sealed::from_bytes(&bytes).and_then(|s| keyring.open(&ctx("42"), &s));
        let err = outcome.expect_err("a flipped bit must not open");
        match bit / 8 {
            0 => prop_assert!(matches!(err, SecretsError::MalformedSealed { .. }), "{err:?}"),
            byte if byte < AFTER_KEY_ID => {
                prop_assert!(matches!(err, SecretsError::UnknownKey { .. }), "{err:?}");
            }
            _ => prop_assert!(matches!(err, SecretsError::Tampered { .. }), "{err:?}"),
        }
    }

    #[test]
    fn truncated_or_extended_values_fail(cut in any::<Index>(), extra in proptest::collection::vec(any::<u8>(), 1..8)) {
        let keyring = keyring(1);
        let bytes = keyring.seal(&ctx("42"), &token()).unwrap().to_bytes();
        let truncated = &bytes[..cut.index(bytes.len())];
        let outcome = Sealed::from_bytes(truncated).and_then(|s| keyring.open(&ctx("42"), &s));
        prop_assert!(outcome.is_err());
        let mut extended = bytes.clone();
        extended.extend_from_slice(&extra);
        let outcome = Sealed::from_bytes(&extended).and_then(|s| keyring.open(&ctx("42"), &s));
        prop_assert!(outcome.is_err());
    }

    #[test]
    fn from_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(sealed) = Sealed::from_bytes(&bytes) {
            prop_assert_eq!(sealed.to_bytes(), bytes.clone());
            prop_assert!(keyring(1).open(&ctx("42"), &sealed).is_err());
        }
    }

    #[test]
    fn from_bytes_with_a_valid_header_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        let keyring = keyring(1);
        let mut bytes = vec![1_u8];
        bytes.extend_from_slice(keyring.current_id().as_bytes());
        bytes.extend_from_slice(&tail);
        if let Ok(sealed) = Sealed::from_bytes(&bytes) {
            let err = keyring.open(&ctx("42"), &sealed).unwrap_err();
            prop_assert!(matches!(err, SecretsError::Tampered { .. }), "{err:?}");
        }
    }

    #[test]
    fn from_text_never_panics(text in "\\PC{0,200}") {
        let _ = Sealed::from_text(&text);
    }

    #[test]
    fn from_text_of_base64_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        use base64::Engine as _;
        let text = base64::engine::general_purpose::STANDARD.encode(&bytes);
        let _ = Sealed::from_text(&text);
    }
}

#[test]
fn swapping_wrapped_keys_between_values_fails() {
    let keyring = keyring(1);
    let a = keyring.seal(&ctx("42"), &token()).unwrap().to_bytes();
    let b = keyring.seal(&ctx("42"), &token()).unwrap().to_bytes();
    let mut mixed = a.clone();
    mixed[AFTER_KEY_ID..AFTER_KEY_ID + 60].copy_from_slice(&b[AFTER_KEY_ID..AFTER_KEY_ID + 60]);
    let err = keyring
        .open(&ctx("42"), &Sealed::from_bytes(&mixed).unwrap())
        .unwrap_err();
    assert!(matches!(err, SecretsError::Tampered { .. }), "{err:?}");
}
