//! Building the RFC 5322 message: multipart/alternative (text, then HTML), UTF-8 headers, a Message-ID
//! and `X-Sellerlink-*` headers derived from the notification.

use std::time::SystemTime;

use jiff::Timestamp;
use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use uuid::Uuid;

use crate::error::NotifyError;
use crate::message::Notification;
use crate::render::Rendered;

/// The header carrying the notification id (the idempotency key).
pub const NOTIFICATION_ID_HEADER: &str = "X-Sellerlink-Notification-Id";
/// The header carrying the event type, e.g. `connection.expiry_reminder`.
pub const NOTIFICATION_TYPE_HEADER: &str = "X-Sellerlink-Notification-Type";

/// One e-mail, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    /// The sender.
    pub from: Mailbox,
    /// The recipients; at least one.
    pub to: Vec<Mailbox>,
    /// The subject (UTF-8; encoded by the transport as RFC 2047 words when not ASCII).
    pub subject: String,
    /// The `text/plain` part.
    pub text: String,
    /// The `text/html` part.
    pub html: String,
    /// `<{uuid}@sellerlink>`: the same for every copy of one notification, so receivers can de-duplicate.
    pub message_id: String,
    /// The `Date` header: when the notification was created (stable across re-sends).
    pub date: Timestamp,
    /// The notification id; it also names the outbox file.
    pub notification_id: Uuid,
    /// Extra headers (name, value), such as [`NOTIFICATION_ID_HEADER`].
    pub headers: Vec<(String, String)>,
}

impl Email {
    /// The e-mail for `notification`, rendered as `rendered`, from `from` to `to`.
    pub fn for_notification(
        notification: &Notification,
        rendered: Rendered,
        from: Mailbox,
        to: Vec<Mailbox>,
    ) -> Self {
        Self {
            from,
            to,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            message_id: notification.message_id(),
            date: notification.created_at,
            notification_id: notification.id,
            headers: vec![
                (
                    NOTIFICATION_ID_HEADER.to_owned(),
                    notification.id.hyphenated().to_string(),
                ),
                (
                    NOTIFICATION_TYPE_HEADER.to_owned(),
                    notification.event_type().to_owned(),
                ),
                (
                    "X-Sellerlink-Connection-Id".to_owned(),
                    notification.connection.connection_id.to_string(),
                ),
                // RFC 3834: tells auto-responders not to answer.
                ("Auto-Submitted".to_owned(), "auto-generated".to_owned()),
            ],
        }
    }

    /// The lettre message.
    pub(crate) fn to_message(&self) -> Result<Message, NotifyError> {
        if self.to.is_empty() {
            return Err(NotifyError::InvalidEmail {
                field: "to".to_owned(),
                problem: "has no recipient; expected at least one address".to_owned(),
            });
        }
        let mut builder = Message::builder()
            .from(self.from.clone())
            .subject(self.subject.clone())
            .message_id(Some(self.message_id.clone()))
            .date(SystemTime::try_from(self.date).unwrap_or(SystemTime::UNIX_EPOCH));
        for to in &self.to {
            builder = builder.to(to.clone());
        }
        for (name, value) in &self.headers {
            builder = builder.raw_header(header(name, value)?);
        }
        builder
            .multipart(MultiPart::alternative_plain_html(
                self.text.clone(),
                self.html.clone(),
            ))
            .map_err(|e| NotifyError::InvalidEmail {
                field: "message".to_owned(),
                problem: e.to_string(),
            })
    }
}

/// Checks and builds one extra header.
fn header(name: &str, value: &str) -> Result<HeaderValue, NotifyError> {
    let invalid = |problem: &str| NotifyError::InvalidEmail {
        field: format!("header {name:?}"),
        problem: problem.to_owned(),
    };
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
    if !name_ok {
        return Err(invalid(
            "the name must be visible ASCII without a colon, e.g. X-Sellerlink-Notification-Id",
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(
            "the value must not contain line breaks or control characters",
        ));
    }
    let name = HeaderName::new_from_ascii(name.to_owned()).map_err(|_| {
        invalid("the name must be visible ASCII without a colon, e.g. X-Sellerlink-Notification-Id")
    })?;
    Ok(HeaderValue::new(name, value.to_owned()))
}
