//! Real HTTP over loopback: WebhookSender → WebhookReceiver, verified with `verify_signature`.

use std::sync::Arc;
use std::time::Duration;

use sellerlink_domain::clock::ManualClock;
use sellerlink_domain::connection::Language;
use sellerlink_notify::webhook::{
    ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, VerifyError, WebhookPayload,
};
use sellerlink_notify::{
    Api, NotificationKind, NotifyError, WebhookEndpoint, WebhookSecret, WebhookSender,
    verify_signature,
};
use sellerlink_testkit::{RecordedRequest, WebhookReceiver};

use crate::support::{WAIT, all_cases, expiry_reminder, instant, notification, quick_retry};

const TOLERANCE: Duration = Duration::from_secs(300);

fn secret() -> WebhookSecret {
    WebhookSecret::parse("whsec_9f8e7d6c5b4a39281706f5e4d3c2b1a0").unwrap()
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(instant("2019-03-18T00:30:05Z")))
}

fn sender(clock: Arc<ManualClock>, attempts: u32) -> WebhookSender {
    WebhookSender::builder()
        .clock(clock)
        .retry(quick_retry(attempts))
        .timeout(Duration::from_secs(5))
        .allow_private_addresses(true)
        .build()
        .unwrap()
}

fn endpoint(receiver: &WebhookReceiver) -> WebhookEndpoint {
    WebhookEndpoint::new(&receiver.url("/hooks/sellerlink?tenant=sakura"), secret()).unwrap()
}

fn verify(request: &RecordedRequest, body: &[u8], clock: &ManualClock) -> Result<(), VerifyError> {
    verify_signature(
        &secret(),
        request.header(TIMESTAMP_HEADER).unwrap(),
        body,
        request.header(SIGNATURE_HEADER).unwrap(),
        sellerlink_domain::clock::Clock::now(clock),
        TOLERANCE,
    )
}

#[tokio::test]
async fn a_webhook_is_delivered_signed_and_verifies() {
    let receiver = WebhookReceiver::start().await.unwrap();
    let clock = clock();
    let n = notification(expiry_reminder(30), Api::Mws, Language::Ja);

    let delivery = sender(Arc::clone(&clock), 1)
        .send(&endpoint(&receiver), &n)
        .await
        .unwrap();

    assert_eq!((delivery.status, delivery.attempts), (200, 1));
    assert_eq!(delivery.webhook_id, n.id);
    let request = receiver.wait_for(1, WAIT).await.unwrap().remove(0);
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/hooks/sellerlink?tenant=sakura");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(
        request.header(ID_HEADER),
        Some("7f3c2a10-4b5e-4c8d-9a01-23456789abcd")
    );
    assert_eq!(request.header(TIMESTAMP_HEADER), Some("1552869005"));
    let signature = request.header(SIGNATURE_HEADER).unwrap();
    assert!(
        signature.starts_with("v1=") && signature.len() == 3 + 64,
        "{signature}"
    );
    assert!(
        request
            .header("user-agent")
            .unwrap()
            .starts_with("sellerlink-webhooks/")
    );
    verify(&request, &request.body, &clock).unwrap();

    let json: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(json["id"], "7f3c2a10-4b5e-4c8d-9a01-23456789abcd");
    assert_eq!(json["type"], "connection.expiry_reminder");
    assert_eq!(json["data"]["expires_on"], "2019-04-17");
    assert_eq!(json["data"]["days_left"], 30);
    assert_eq!(json["data"]["connection"]["developer_id"], "5259-6479-4073");
}

#[tokio::test]
async fn server_errors_are_retried_with_the_same_id_and_body_and_fresh_signatures() {
    let receiver = WebhookReceiver::start().await.unwrap();
    receiver.fail_next(2);
    let clock = clock();
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);

    let delivery = sender(Arc::clone(&clock), 3)
        .send(&endpoint(&receiver), &n)
        .await
        .unwrap();

    assert_eq!(delivery.attempts, 3);
    let requests = receiver.wait_for(3, WAIT).await.unwrap();
    let answered: Vec<u16> = requests.iter().map(|r| r.answered).collect();
    assert_eq!(answered, [500, 500, 200]);
    for request in &requests {
        assert_eq!(
            request.header(ID_HEADER),
            Some("7f3c2a10-4b5e-4c8d-9a01-23456789abcd")
        );
        assert_eq!(
            request.body, requests[0].body,
            "every attempt sends the same bytes"
        );
        verify(request, &request.body, &clock).unwrap();
    }
}

#[tokio::test]
async fn too_many_requests_is_retried_but_other_client_errors_are_not() {
    let receiver = WebhookReceiver::start().await.unwrap();
    let clock = clock();
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);
    let sender = sender(clock, 3);

    receiver.fail_next_with(1, 429);
    let delivery = sender.send(&endpoint(&receiver), &n).await.unwrap();
    assert_eq!(delivery.attempts, 2);

    receiver.fail_next_with(3, 410);
    let error = sender.send(&endpoint(&receiver), &n).await.unwrap_err();
    match &error {
        NotifyError::WebhookStatus {
            status,
            attempts,
            retryable,
            body_bytes,
            endpoint,
        } => {
            assert_eq!((*status, *attempts, *retryable), (410, 1, false));
            assert_eq!(*body_bytes, "failure injected by WebhookReceiver".len());
            assert!(
                !endpoint.contains("tenant=sakura"),
                "no query string in errors: {endpoint}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!error.is_transient());
    assert!(
        !error.to_string().contains("failure injected"),
        "the receiver's body is not echoed: {error}"
    );
    assert_eq!(
        receiver.requests().len(),
        3,
        "2 for the 429 case, 1 for the 410"
    );
}

#[tokio::test]
async fn when_retries_run_out_a_server_error_stays_transient() {
    let receiver = WebhookReceiver::start().await.unwrap();
    receiver.fail_next(5);
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);

    let error = sender(clock(), 3)
        .send(&endpoint(&receiver), &n)
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            NotifyError::WebhookStatus {
                status: 500,
                attempts: 3,
                retryable: true,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_retried_then_reported() {
    let closed = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let url = format!("http://{}/hooks", closed.local_addr().unwrap());
    drop(closed);
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);

    let error = sender(clock(), 2)
        .send(&WebhookEndpoint::new(&url, secret()).unwrap(), &n)
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            NotifyError::WebhookTransport {
                attempts: 2,
                timed_out: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient());
}

#[tokio::test]
async fn a_stale_timestamp_and_a_tampered_body_are_rejected() {
    let receiver = WebhookReceiver::start().await.unwrap();
    let clock = clock();
    let n = notification(expiry_reminder(30), Api::Mws, Language::Ja);
    sender(Arc::clone(&clock), 1)
        .send(&endpoint(&receiver), &n)
        .await
        .unwrap();
    let request = receiver.wait_for(1, WAIT).await.unwrap().remove(0);
    verify(&request, &request.body, &clock).unwrap();

    let mut tampered = request.body.clone();
    let at = tampered.iter().position(|b| *b == b'3').unwrap();
    tampered[at] = b'9';
    assert_eq!(
        verify(&request, &tampered, &clock),
        Err(VerifyError::Mismatch)
    );

    let other_secret = WebhookSecret::parse("whsec_another-secret-entirely").unwrap();
    assert_eq!(
        verify_signature(
            &other_secret,
            request.header(TIMESTAMP_HEADER).unwrap(),
            &request.body,
            request.header(SIGNATURE_HEADER).unwrap(),
            instant("2019-03-18T00:30:05Z"),
            TOLERANCE,
        ),
        Err(VerifyError::Mismatch)
    );

    clock.advance(jiff::SignedDuration::from_secs(301));
    assert_eq!(
        verify(&request, &request.body, &clock),
        Err(VerifyError::StaleTimestamp {
            skew_seconds: 301,
            tolerance_seconds: 300
        })
    );
    clock.set(instant("2019-03-18T00:20:00Z"));
    assert!(matches!(
        verify(&request, &request.body, &clock),
        Err(VerifyError::StaleTimestamp {
            skew_seconds: -605,
            ..
        })
    ));
}

#[test]
fn malformed_headers_are_named() {
    let now = instant("2019-03-18T00:30:05Z");
    let good = sellerlink_notify::webhook::sign(&secret(), 1552869005, b"{}");
    assert_eq!(
        verify_signature(&secret(), "1552869005", b"{}", &good, now, TOLERANCE),
        Ok(())
    );
    assert_eq!(
        verify_signature(&secret(), "2019-03-18", b"{}", &good, now, TOLERANCE),
        Err(VerifyError::MalformedTimestamp)
    );
    assert_eq!(
        verify_signature(&secret(), "-5", b"{}", &good, now, TOLERANCE),
        Err(VerifyError::MalformedTimestamp)
    );
    for bad in ["", "sha256=abc", "v1=zz", "v1=abcd"] {
        assert_eq!(
            verify_signature(&secret(), "1552869005", b"{}", bad, now, TOLERANCE),
            Err(VerifyError::MalformedSignature),
            "{bad}"
        );
    }
    // Several entries (e.g. during a secret rotation): one match is enough.
    let rotated = format!("v1={}, {good}", "0".repeat(64));
    assert_eq!(
        verify_signature(&secret(), "1552869005", b"{}", &rotated, now, TOLERANCE),
        Ok(())
    );
    let error = VerifyError::MalformedTimestamp.to_string();
    assert!(
        error.starts_with("Sellerlink-Webhook-Timestamp: "),
        "{error}"
    );
}

#[test]
fn payloads_for_every_kind() {
    let payloads: Vec<WebhookPayload> = all_cases()
        .into_iter()
        .map(|(_, kind, api)| {
            WebhookPayload::from_notification(&notification(kind, api, Language::En))
        })
        .collect();
    insta::assert_json_snapshot!("webhook_payloads", payloads);
}

#[test]
fn the_wire_order_is_id_type_created_at_data() {
    let payload = WebhookPayload::from_notification(&notification(
        NotificationKind::Test,
        Api::Mws,
        Language::Ja,
    ));
    let body = String::from_utf8(payload.to_json().unwrap()).unwrap();
    assert!(
        body.starts_with(r#"{"id":"7f3c2a10-4b5e-4c8d-9a01-23456789abcd","type":"connection.test","created_at":"2019-03-18T00:30:00Z","data":{"connection":{"#),
        "{body}"
    );
    assert!(
        !body.contains("\"fix\""),
        "no fix for a test message: {body}"
    );
}

#[test]
fn the_same_reminder_always_gets_the_same_id() {
    let connection = crate::support::connection(Api::Mws).connection_id;
    let first =
        sellerlink_notify::Notification::stable_id(connection, "expiry_reminder:2019-04-17:30");
    let again =
        sellerlink_notify::Notification::stable_id(connection, "expiry_reminder:2019-04-17:30");
    let other =
        sellerlink_notify::Notification::stable_id(connection, "expiry_reminder:2019-04-17:14");
    assert_eq!(first, again);
    assert_ne!(first, other);
    assert_eq!(first.get_version_num(), 8);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    let receiver = WebhookReceiver::start().await.unwrap();
    receiver.hang_next(1);
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);
    let sender = WebhookSender::builder()
        .clock(clock())
        .retry(quick_retry(2))
        .timeout(Duration::from_millis(300))
        .allow_private_addresses(true)
        .build()
        .unwrap();

    let delivery = sender.send(&endpoint(&receiver), &n).await.unwrap();

    assert_eq!(delivery.attempts, 2);
    let answered: Vec<u16> = receiver.requests().iter().map(|r| r.answered).collect();
    assert_eq!(answered, [0, 200], "the first request was never answered");
}

#[tokio::test]
async fn when_every_attempt_times_out_the_error_says_so() {
    let receiver = WebhookReceiver::start().await.unwrap();
    receiver.hang_next(2);
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);
    let sender = WebhookSender::builder()
        .clock(clock())
        .retry(quick_retry(2))
        .timeout(Duration::from_millis(300))
        .allow_private_addresses(true)
        .build()
        .unwrap();

    let error = sender.send(&endpoint(&receiver), &n).await.unwrap_err();

    assert!(
        matches!(
            error,
            NotifyError::WebhookTransport {
                attempts: 2,
                timed_out: true,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_non_public_address_is_refused_at_send_time_unless_allowed() {
    let receiver = WebhookReceiver::start().await.unwrap();
    let n = notification(expiry_reminder(7), Api::Mws, Language::En);
    let strict = WebhookSender::builder()
        .clock(clock())
        .retry(quick_retry(3))
        .build()
        .unwrap();
    let by_name = receiver
        .url("/hooks/sellerlink")
        .replace("127.0.0.1", "localhost");
    for url in [receiver.url("/hooks/sellerlink"), by_name.clone()] {
        let endpoint = WebhookEndpoint::new(&url, secret()).unwrap();
        let error = strict.send(&endpoint, &n).await.unwrap_err();
        assert!(
            matches!(error, NotifyError::WebhookAddress { .. }),
            "{url}: {error:?}"
        );
        assert!(!error.is_transient(), "{error}");
        assert!(
            error.to_string().contains("127.0.0.1") || error.to_string().contains("::1"),
            "{error}"
        );
    }
    assert!(receiver.requests().is_empty(), "nothing was sent");

    // The operator's own channel may point into its network; the name is connected to as resolved.
    let operator = WebhookEndpoint::new(&by_name, secret())
        .unwrap()
        .allowing_private_addresses();
    let delivery = strict.send(&operator, &n).await.unwrap();
    assert_eq!(delivery.attempts, 1);
    assert_eq!(receiver.requests().len(), 1);
}
