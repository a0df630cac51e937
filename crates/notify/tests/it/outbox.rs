//! The outbox folder transport.

use sellerlink_domain::connection::Language;
use sellerlink_notify::{Api, DeliveryRoute, EmailTransport, Mailbox, Mailer, render};
use sellerlink_testkit::ParsedMail;

use crate::support::{expiry_reminder, notification, quick_retry};

#[tokio::test]
async fn each_notification_is_one_eml_file_and_a_resend_replaces_it() {
    let folder = tempfile::tempdir().unwrap();
    let outbox = folder.path().join("outbox");
    let mailer = Mailer::new(
        EmailTransport::outbox(&outbox),
        "sellerlink <noreply@sellerlink.test>".parse().unwrap(),
    )
    .with_retry(quick_retry(1));
    let to: Vec<Mailbox> = vec!["taro@example.com".parse().unwrap()];
    let n = notification(expiry_reminder(30), Api::Mws, Language::Ja);

    let first = mailer.send(&n, &to).await.unwrap();
    let second = mailer.send(&n, &to).await.unwrap();

    let expected = outbox.join("7f3c2a10-4b5e-4c8d-9a01-23456789abcd.eml");
    assert_eq!(
        first.route,
        DeliveryRoute::Outbox {
            path: expected.clone()
        }
    );
    assert_eq!(second.route, first.route);
    let files: Vec<_> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files,
        ["7f3c2a10-4b5e-4c8d-9a01-23456789abcd.eml"],
        "no duplicates, no temporary files"
    );

    let raw = std::fs::read(&expected).unwrap();
    assert!(
        raw.windows(2).any(|w| w == b"\r\n"),
        "RFC 5322 lines end in CRLF"
    );
    let mail = ParsedMail::parse(&raw);
    assert_eq!(mail.header_count("Message-ID"), 1);
    assert_eq!(
        mail.header("Message-ID"),
        Some("<7f3c2a10-4b5e-4c8d-9a01-23456789abcd@sellerlink>")
    );
    assert_eq!(
        mail.decoded_header("Subject").unwrap(),
        render(&n).unwrap().subject
    );
    assert_eq!(mail.parts().len(), 2);
}

#[tokio::test]
async fn an_unwritable_outbox_is_reported_with_its_path() {
    let folder = tempfile::tempdir().unwrap();
    let blocker = folder.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file where the outbox folder should be").unwrap();
    let mailer = Mailer::new(
        EmailTransport::outbox(&blocker),
        "noreply@sellerlink.test".parse().unwrap(),
    )
    .with_retry(quick_retry(1));
    let n = notification(expiry_reminder(30), Api::Mws, Language::En);

    let error = mailer
        .send(&n, &["taro@example.com".parse().unwrap()])
        .await
        .unwrap_err()
        .to_string();

    assert!(error.contains("not-a-folder"), "{error}");
    assert!(error.contains("outbox"), "{error}");
}
