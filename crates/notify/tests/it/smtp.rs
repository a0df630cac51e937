//! Real SMTP over loopback: lettre → MailSink.

use sellerlink_domain::connection::Language;
use sellerlink_notify::email::{NOTIFICATION_ID_HEADER, NOTIFICATION_TYPE_HEADER};
use sellerlink_notify::{
    Api, DeliveryRoute, EmailTransport, Mailbox, Mailer, NotifyError, SmtpSettings, SmtpTls, render,
};
use sellerlink_testkit::MailSink;

use crate::support::{WAIT, expiry_reminder, notification, quick_retry};

fn mailer(sink: &MailSink, attempts: u32) -> Mailer {
    let settings = SmtpSettings {
        hello_name: Some("sellerlink.test".to_owned()),
        ..SmtpSettings::new(sink.host(), SmtpTls::None).with_port(sink.port())
    };
    let from: Mailbox = "sellerlink <noreply@sellerlink.test>".parse().unwrap();
    Mailer::new(EmailTransport::smtp(&settings).unwrap(), from).with_retry(quick_retry(attempts))
}

fn recipients() -> Vec<Mailbox> {
    vec![
        "山田 太郎 <taro@example.com>".parse().unwrap(),
        "ops@3pl.example".parse().unwrap(),
    ]
}

#[tokio::test]
async fn a_notification_arrives_as_multipart_alternative_with_an_encoded_subject() {
    let sink = MailSink::start().await.unwrap();
    let n = notification(expiry_reminder(30), Api::Mws, Language::Ja);
    let expected = render(&n).unwrap();

    let delivery = mailer(&sink, 1).send(&n, &recipients()).await.unwrap();
    assert_eq!(delivery.attempts, 1);
    assert_eq!(
        delivery.message_id,
        "<7f3c2a10-4b5e-4c8d-9a01-23456789abcd@sellerlink>"
    );
    let DeliveryRoute::Smtp { reply } = &delivery.route else {
        panic!("{delivery:?}")
    };
    assert!(reply.starts_with("250 "), "{reply}");

    let received = sink.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(received.helo, "sellerlink.test");
    assert_eq!(received.mail_from, "noreply@sellerlink.test");
    assert_eq!(received.rcpt_to, ["taro@example.com", "ops@3pl.example"]);

    let mail = received.parsed();
    let raw_subject = mail.header("Subject").unwrap();
    assert!(
        raw_subject.is_ascii(),
        "the subject travels RFC 2047-encoded: {raw_subject}"
    );
    assert!(
        raw_subject.to_ascii_lowercase().contains("=?utf-8?"),
        "{raw_subject}"
    );
    assert_eq!(mail.decoded_header("Subject").unwrap(), expected.subject);
    assert_eq!(
        mail.header("Message-ID"),
        Some("<7f3c2a10-4b5e-4c8d-9a01-23456789abcd@sellerlink>")
    );
    assert_eq!(
        mail.header(NOTIFICATION_ID_HEADER),
        Some("7f3c2a10-4b5e-4c8d-9a01-23456789abcd")
    );
    assert_eq!(
        mail.header(NOTIFICATION_TYPE_HEADER),
        Some("connection.expiry_reminder")
    );
    assert_eq!(mail.header("Auto-Submitted"), Some("auto-generated"));
    assert!(mail.decoded_header("To").unwrap().contains("山田 太郎"));
    assert_eq!(mail.header("Date"), Some("Mon, 18 Mar 2019 00:30:00 +0000"));

    assert_eq!(mail.mime_type(), "multipart/alternative");
    let parts = mail.parts();
    assert_eq!(parts.len(), 2, "{parts:#?}");
    assert_eq!(parts[0].mime_type(), "text/plain", "plain text comes first");
    assert_eq!(
        parts[1].mime_type(),
        "text/html",
        "the preferred HTML comes last"
    );
    for part in &parts {
        assert_eq!(
            part.content_type_parameter("charset")
                .map(|c| c.to_ascii_lowercase()),
            Some("utf-8".to_owned())
        );
    }
    assert_eq!(parts[0].body_text().trim_end(), expected.text.trim_end());
    assert_eq!(parts[1].body_text().trim_end(), expected.html.trim_end());
}

#[tokio::test]
async fn a_body_line_starting_with_a_dot_survives_the_smtp_dot_stuffing() {
    let sink = MailSink::start().await.unwrap();
    let mailer = mailer(&sink, 1);
    let n = notification(expiry_reminder(30), Api::Mws, Language::En);
    let mut email = mailer.compose(&n, &recipients()[1..]).unwrap();
    email.text = "first line\n.hidden unless unstuffed\n.\nlast line\n".to_owned();
    mailer.send_email(&email).await.unwrap();

    let mail = sink.wait_for(1, WAIT).await.unwrap().remove(0).parsed();
    let text = mail.find_part("text/plain").unwrap().body_text();
    assert_eq!(text, "first line\n.hidden unless unstuffed\n.\nlast line\n");
}

#[tokio::test]
async fn a_transient_451_is_retried_and_delivered_once() {
    let sink = MailSink::start().await.unwrap();
    sink.fail_next(2);
    let n = notification(expiry_reminder(14), Api::SpApi, Language::En);

    let delivery = mailer(&sink, 3).send(&n, &recipients()).await.unwrap();

    assert_eq!(delivery.attempts, 3);
    assert_eq!(sink.pending_failures(), 0);
    let received = sink.wait_for(1, WAIT).await.unwrap();
    assert_eq!(received.len(), 1, "the failed attempts were not recorded");
}

#[tokio::test]
async fn when_retries_run_out_the_error_is_transient_and_counts_the_attempts() {
    let sink = MailSink::start().await.unwrap();
    sink.fail_next(5);
    let n = notification(expiry_reminder(14), Api::Mws, Language::Ja);

    let error = mailer(&sink, 2).send(&n, &recipients()).await.unwrap_err();

    match &error {
        NotifyError::Smtp {
            attempts,
            transient,
            code,
            ..
        } => {
            assert_eq!((*attempts, *transient, *code), (2, true, Some(451)));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_transient());
    assert!(
        error
            .to_string()
            .contains("after 2 attempt(s) (reply code 451)"),
        "{error}"
    );
    assert_eq!(sink.pending_failures(), 3);
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn an_unreachable_relay_is_a_transient_error_with_a_hint() {
    let closed = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let settings = SmtpSettings::new("127.0.0.1", SmtpTls::None).with_port(port);
    let mailer = Mailer::new(
        EmailTransport::smtp(&settings).unwrap(),
        "noreply@sellerlink.test".parse().unwrap(),
    )
    .with_retry(quick_retry(2));
    let n = notification(expiry_reminder(14), Api::Mws, Language::Ja);

    let error = mailer.send(&n, &recipients()).await.unwrap_err();

    assert!(error.is_transient(), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("check the SMTP host, port and TLS mode"),
        "{error}"
    );
}

#[test]
fn settings_that_cannot_work_are_refused_by_name() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let no_password = SmtpSettings {
        username: Some("user".to_owned()),
        ..SmtpSettings::new("smtp.example.com", SmtpTls::StartTls)
    };
    let bad_ca = SmtpSettings {
        extra_root_ca_pem: Some(b"not a certificate".to_vec()),
        ..SmtpSettings::new("smtp.example.com", SmtpTls::Tls)
    };
    for (settings, field) in [
        (no_password, "SMTP settings: password:"),
        (bad_ca, "SMTP settings: extra_root_ca_pem:"),
        (
            SmtpSettings::new(" ", SmtpTls::None),
            "SMTP settings: host:",
        ),
    ] {
        let error = EmailTransport::smtp(&settings).unwrap_err().to_string();
        assert!(error.starts_with(field), "{error}");
    }
    let with_password = SmtpSettings::new("smtp.example.com", SmtpTls::StartTls)
        .with_credentials("user", "hunter2-very-secret".to_owned().into());
    assert!(!format!("{with_password:?}").contains("hunter2"));
    let transport = EmailTransport::smtp(&with_password).unwrap();
    assert!(!format!("{transport:?}").contains("hunter2"));
}
