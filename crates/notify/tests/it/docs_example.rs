//! The worked example in `docs/WEBHOOKS.md` is checked here, so the document cannot drift from the code.

use sellerlink_notify::WebhookSecret;
use sellerlink_notify::webhook::{sign, verify_signature};

const DOC: &str = include_str!("../../../../docs/WEBHOOKS.md");

const SECRET: &str = "whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0";
const TIMESTAMP: i64 = 1552869000;
const BODY: &str = r#"{"id":"7f3c2a10-4b5e-4c8d-9a01-23456789abcd","type":"connection.test"}"#;
const DIGEST: &str = "a77527b0298a98e96beaea0bab7f0471a2956de47b769003bbdcc9ec03adc88d";

#[test]
fn the_documented_digest_is_what_sign_produces() {
    let secret = WebhookSecret::parse(SECRET).unwrap();
    assert_eq!(
        sign(&secret, TIMESTAMP, BODY.as_bytes()),
        format!("v1={DIGEST}")
    );
    verify_signature(
        &secret,
        &TIMESTAMP.to_string(),
        BODY.as_bytes(),
        &format!("v1={DIGEST}"),
        jiff::Timestamp::from_second(TIMESTAMP + 60).unwrap(),
        std::time::Duration::from_secs(300),
    )
    .unwrap();
}

#[test]
fn the_document_shows_exactly_these_values() {
    for value in [SECRET, &TIMESTAMP.to_string(), BODY, DIGEST] {
        assert!(
            DOC.contains(value),
            "docs/WEBHOOKS.md no longer shows {value}"
        );
    }
    assert!(DOC.contains("openssl dgst -sha256 -hmac"));
}
